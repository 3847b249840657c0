"""Narrative templates: the `{{ figure }}` expressions a Head of Service writes, worked out in a
bounded sandbox, with every mistake in a file reported as a Finding naming its line.

Narrative is prose that quotes figures (content/README.md lists them), not a program, so:
- every name and figure quoted is checked before anything runs, and ALL unknown ones in a file
  are reported at once, each with the closest existing figure;
- quoting a count small enough to identify a child is an error at the line that quotes it;
- includes, imports and template inheritance are refused (there is nothing to include);
- the sandbox refuses Python internals (`''.__class__`), and sums that would grow without limit
  (`range(10**12)`, `'x' * 10**9`, `10**10**10`); any other failure is a finding, never a
  traceback.
"""
from __future__ import annotations

import difflib
import traceback
from functools import cache

import jinja2
from jinja2 import meta, nodes
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from .derive import Suppressed, SuppressedFigure
from .inputs import limits
from .load import Narrative
from .problems import Finding, PlanError

# Filters and globals whose size argument is unbounded (center(10**9) is a gigabyte of spaces).
UNBOUNDED = {"center", "indent", "wordwrap", "format", "filesizeformat", "pprint", "random", "urlize", "xmlattr"}
QUOTE_FIX = "quote figures by name, e.g. {{ fte.rate }} (content/README.md lists them)"
UNSAFE_FIX = "quote figures by name, e.g. {{ fte.rate }}; Python's internals (such as __class__) are not available"


class TooLarge(OverflowError):
    """A sum in narrative that would produce a number or text without limit."""


class NarrativeSandbox(SandboxedEnvironment):
    """Jinja's sandbox, with repetition, powers and %-formatting bounded as well."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def call_binop(self, context, operator, left, right):
        bounds = limits()["template"]
        if operator == "**" and isinstance(left, int) and isinstance(right, (int, float)):
            if abs(right) > bounds["power"] or max(abs(left), 2).bit_length() * abs(right) > 64 * bounds["power"]:
                raise TooLarge(f"{left} ** {right} is too large a number")
        if operator == "*":
            for sequence, times in ((left, right), (right, left)):
                if isinstance(sequence, (str, list, tuple)) and isinstance(times, int) \
                        and len(sequence) * times > bounds["text_length"]:
                    raise TooLarge(f"repeating something {times:,} times makes it too long")
        if operator == "%" and isinstance(left, str):
            raise SecurityError("text formatting with % is not available in narrative")
        return super().call_binop(context, operator, left, right)


@cache
def sandbox(language: str | None = None) -> NarrativeSandbox:
    """The narrative's environment; in a language other than English a figure's words ("down
    12.5%", a date, "not available") are said in it (i18n.translate), as on yjplan's own pages."""
    from . import i18n
    options = {} if i18n.is_source(language) else {"finalize": lambda value: i18n.translate(value, language)}
    env = NarrativeSandbox(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True, **options)
    for name in UNBOUNDED:
        env.filters.pop(name, None)
    env.globals.pop("lipsum", None)
    return env


# --- before running: includes, unknown names, suppressed counts --------------------------------

def _dotted(node: nodes.Node) -> tuple[str, list[str]] | None:
    """('budget', ['totl']) for budget.totl or budget['totl']; None if not rooted at a name."""
    parts = []
    while isinstance(node, (nodes.Getattr, nodes.Getitem)):
        if isinstance(node, nodes.Getattr):
            parts.append(node.attr)
        elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            parts.append(node.arg.value)
        else:
            return None
        node = node.node
    return (node.name, parts[::-1]) if isinstance(node, nodes.Name) and node.ctx == "load" else None


def _references(ast: nodes.Template):
    """(line, name, [parts]) for each name or figure the template reads, outermost only
    (budget.total once, not also budget)."""
    inner: set[int] = set()
    for node in ast.find_all((nodes.Getattr, nodes.Getitem, nodes.Name)):
        if id(node) in inner:
            continue
        found = _dotted(node)
        if found is None:
            continue
        child = node
        while isinstance(child, (nodes.Getattr, nodes.Getitem)):
            child = child.node
            inner.add(id(child))
        yield node.lineno, found[0], found[1]


def _known(variables: dict) -> list[str]:
    from .localtables import flatten      # issue 14: tables.<id>.<category>.<figure> are nested
    return sorted(f"{group}.{name}" for group, values in variables.items() if isinstance(values, dict)
                  for name in flatten(values))


def _unknown(narrative: Narrative, line: int, shown: str, variables: dict) -> Finding:
    known = _known(variables)
    close = difflib.get_close_matches(shown, known + sorted(variables), n=1, cutoff=0.6)
    group = shown.split(".")[0]
    choices = [k for k in known if k.startswith(group + ".")] or sorted(variables)
    # issue 14: a nested figure (tables.<id>...) offers the names under the longest prefix that exists
    parts = shown.split(".")
    for size in range(len(parts) - 1, 1, -1):
        nearer = [k for k in known if k.startswith(".".join(parts[:size]) + ".")]
        if nearer:
            choices = nearer
            break
    if len(choices) > 40:
        choices = choices[:40] + ["... (yjplan variables lists them all)"]
    return Finding("narrative.unknown-figure",
                   f"the figure '{shown}' does not exist" + (f"; did you mean '{close[0]}'?" if close else ""),
                   fix=f"correct the name; use one of: {', '.join(choices)} (content/README.md lists every figure)",
                   file=narrative.file, line=narrative.body_line + line - 1)


def suppressed(narrative: Narrative, line: int, what: str) -> Finding:
    return Finding("privacy.suppressed-figure",
                   f"the narrative quotes {what}, which is a small number that could identify a child",
                   fix="describe it without the number (e.g. 'fewer than five'), or remove it",
                   file=narrative.file, line=narrative.body_line + line - 1)


def _before_running(narrative: Narrative, ast: nodes.Template, variables: dict) -> list[Finding]:
    findings = [Finding("narrative.include", "narrative cannot include, import or extend another template",
                        fix="write the text in this file; yjplan adds the tables for each heading itself",
                        file=narrative.file, line=narrative.body_line + node.lineno - 1)
                for node in ast.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends))]
    findings += [Finding("narrative.unsafe", f"'{node.attr}' is part of Python's internals, which narrative "
                         "cannot use", fix=UNSAFE_FIX, file=narrative.file, line=narrative.body_line + node.lineno - 1)
                 for node in ast.find_all(nodes.Getattr) if node.attr.startswith("_")]
    free = meta.find_undeclared_variables(ast) - set(sandbox().globals)
    for line, name, parts in _references(ast):
        if name not in free or any(part.startswith("_") for part in parts):
            continue    # set or looped over in the narrative itself, range(); internals: above
        if name not in variables:
            findings.append(_unknown(narrative, line, ".".join([name] + parts), variables))
            continue
        value, path = variables[name], [name]
        for part in parts:
            if not isinstance(value, dict):
                break                # a figure's own text methods: left to the sandbox
            path.append(part)
            if part not in value:
                # issue 14: nested figures (tables.<id>.<category>.<figure>) are matched whole
                findings.append(_unknown(narrative, line, ".".join(path if len(parts) <= 1 else [name] + parts),
                                         variables))
                break
            value = value[part]
        if isinstance(value, Suppressed):
            findings.append(suppressed(narrative, line, value.what))
    return list(dict.fromkeys(findings))     # the same mistake twice on a line is one finding


# --- running ------------------------------------------------------------------------------------

def _template_line(error: BaseException) -> int:
    """The narrative line an error happened on: Jinja maps its frames back to template lines."""
    lines = [number for frame, number in traceback.walk_tb(error.__traceback__)
             if frame.f_code.co_filename == "<template>"]
    return lines[-1] if lines else 1


def _while_running(narrative: Narrative, error: Exception) -> Finding:
    line = narrative.body_line + _template_line(error) - 1

    def finding(rule, message, fix=QUOTE_FIX):
        return Finding(rule, message, fix=fix, file=narrative.file, line=line)

    if isinstance(error, SuppressedFigure):
        return suppressed(narrative, _template_line(error), str(error))
    if isinstance(error, SecurityError):
        return finding("narrative.unsafe", f"this {{{{ }}}} expression uses something narrative may not: {error}",
                       UNSAFE_FIX)
    if isinstance(error, OverflowError):    # TooLarge, and Jinja's own "Range too big"
        what = error if isinstance(error, TooLarge) else (
            "a range of more than 100,000 numbers" if "Range too big" in str(error) else error)
        return finding("narrative.too-large", f"this {{{{ }}}} expression would make something too large: {what}",
                       "narrative quotes figures; it does not generate text or numbers. " + QUOTE_FIX)
    if isinstance(error, ArithmeticError):
        return finding("narrative.arithmetic", f"this {{{{ }}}} expression cannot be worked out: {error}",
                       "remove the sum: yjplan works out every figure from the data. " + QUOTE_FIX)
    if isinstance(error, jinja2.UndefinedError):
        return finding("narrative.unknown-figure",
                       f"this {{{{ }}}} expression uses something that does not exist ({error.message})")
    return finding("narrative.template", f"this {{{{ }}}} expression cannot be worked out "
                   f"({type(error).__name__}: {error})")


def render(narrative: Narrative, variables: dict, language: str | None = None) -> str:
    """The narrative's text with its figures filled in, in `language` (the plan copy's). Raises
    PlanError with every problem found in the file."""
    env = sandbox(language)
    try:
        ast = env.parse(narrative.body)
        template = env.from_string(ast)
    except jinja2.TemplateSyntaxError as error:    # also an unknown filter (TemplateAssertionError)
        raise PlanError([Finding("narrative.template",
                                 f"this {{{{ }}}} expression cannot be read: {error.message}", fix=QUOTE_FIX,
                                 file=narrative.file, line=narrative.body_line + (error.lineno or 1) - 1)]) from None
    if findings := _before_running(narrative, ast, variables):
        raise PlanError(findings)
    try:
        return template.render(**variables)
    except Exception as error:          # noqa: BLE001: whatever the text does, it is a finding
        raise PlanError([_while_running(narrative, error)]) from None
