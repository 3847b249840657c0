"""Stage 1, load: read content/<year>/ and data/ into typed objects.

Every problem is collected (not just the first) and names the file, line and field. Nothing
after this stage reads a file.
"""
from __future__ import annotations

import dataclasses
import difflib
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ValidationError

from . import bilingual, models, nations, outline, rules
from .inputs import read_text, year_too_big
from .privacy import lookalike_hint
from .problems import Finding, PlanError, Severity, errors_in, field_path
from .yamlfile import LineMap, parse_yaml, read_yaml

YEAR_FOLDER = re.compile(r"^\d{4}-\d{2}$")
LOOKS_LIKE_YEAR = re.compile(r"^(\d{4})(?:\D{0,3}(\d{2}|\d{4})\b)?")   # 2025-2026, 2025_26, 2025 26 ...


def is_plan_year(name: str) -> bool:
    """A plan year's folder: YYYY-YY, the second year the one after the first (2025-26)."""
    return bool(YEAR_FOLDER.match(name)) and int(name[5:]) == (int(name[:4]) + 1) % 100


def year_name(start: int) -> str:
    """The folder name of the plan year starting in `start`: 2025 -> 2025-26."""
    return f"{start}-{(start + 1) % 100:02d}"


@dataclass
class Narrative:
    heading: str
    title: str
    body: str
    file: str                 # shown path, e.g. content/2025-26/narrative/03-governance.md
    body_line: int            # line number in the file where the body starts
    heading_line: int = 2     # line of 'heading:' in the front matter


@dataclass
class PlanYear:
    year: str
    folder: Path
    meta: models.PlanMeta
    governance: models.Governance
    finance: models.Finance
    staffing: models.Staffing
    champions: models.Champions
    priorities: models.Priorities
    risks: models.Risks
    inspection: models.Inspection | None
    glossary: models.Glossary
    narratives: list[Narrative]
    guidance: rules.Guidance
    lines: dict[str, LineMap] = field(default_factory=dict)   # file name -> line map, for checks
    site: models.SiteSettings | None = None    # content/site.yml, for its e-mail domain allow-list
    warnings: list[Finding] = field(default_factory=list)     # load warnings, reported by check.load_warnings
    services: models.Services | None = None    # services.yml: how each s.38(4) service is provided
    voice: models.Voice | None = None          # voice.yml: quotes and case studies (childvoice.py)
    child_friendly: list[Narrative] = field(default_factory=list)   # child-friendly/*.md (childfriendly.py)

    def shown(self, name: str) -> str:
        return f"content/{self.year}/{name}"

    def finding(self, name: str, location: tuple, rule: str, message: str, fix: str,
                severity: Severity = Severity.ERROR) -> Finding:
        """A finding about a place in one of this year's YAML files, with its line and field."""
        lines = self.lines.get(name)
        return Finding(rule, message, fix=fix, file=self.shown(name), line=lines.line_of(location) if lines else None,
                       field=field_path(location), severity=severity)


@dataclass
class Project:
    root: Path
    years: list[PlanYear]            # oldest first
    indicators: pd.DataFrame
    kpis: pd.DataFrame
    areas: pd.DataFrame
    local: pd.DataFrame
    population: pd.DataFrame
    indicator_set: rules.IndicatorSet
    kpi_set: rules.IndicatorSet
    site: models.SiteSettings | None = None    # content/site.yml: the website's settings
    site_lines: LineMap | None = None          # content/site.yml's line map, for checks
    tables: dict = field(default_factory=dict)  # issue 14: year -> its declared local tables (localtables.py)

    @property
    def latest(self) -> PlanYear:
        return self.years[-1]


# --- pydantic errors in plain English ---------------------------------------------------------

def _unwrap(annotation):
    """The model inside list[...] or X | None, if there is one."""
    while typing.get_origin(annotation) in (list, typing.Union, types.UnionType):
        annotation = next((a for a in typing.get_args(annotation) if a is not type(None)), None)
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _model_at(model: type[BaseModel], location: tuple) -> type[BaseModel] | None:
    """The model class found at `location` (list indexes skipped), for listing allowed keys."""
    current = model
    for part in location:
        if isinstance(part, int):
            continue
        if current is None or part not in current.model_fields:
            return None
        current = _unwrap(current.model_fields[part].annotation)
    return current


# Fields whose numbers are money, in whole pounds (finance.yml), and the words for the ends of
# a scale (content/README.md): a wrong value is explained with the kind of value the field takes.
MONEY_FIELDS = {models.Contribution: {"staffing", "in_kind", "other", "total", "previous_total"},
                models.GrantLine: {"cost"}}
SCALE_WORDS = {(models.Risk, "likelihood"): ("rare", "almost certain"),
               (models.Risk, "impact"): ("negligible", "severe"),
               (models.Post, "fte"): ("", "full time")}
NUMBER_KINDS = ("int", "float", "decimal")


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _fields_only(model: type[BaseModel], location: tuple, keep_last: bool) -> tuple:
    """The location without pydantic's union tags (('authority', 'str') is about 'authority')."""
    kept, current = [], model
    for index, part in enumerate(location):
        last = index == len(location) - 1
        if isinstance(part, int) or current is None or part in current.model_fields or (last and keep_last):
            kept.append(part)
            if isinstance(part, str) and current is not None:
                field_info = current.model_fields.get(part)
                current = _unwrap(field_info.annotation) if field_info else None
    return tuple(kept)


def _subject(location: tuple) -> tuple[str, str]:
    """What the message is about, and where, counting list entries from 1 as people do:
    ("'other'", " (in the 1st entry of 'contributions')"). The field path the finding names
    stays as pydantic and YAML tools count, contributions[0].other."""
    parts, entries = list(location), []
    head = None
    if parts and isinstance(parts[-1], str):
        head = f"'{parts.pop()}'"
    while parts:
        part = parts.pop()
        if isinstance(part, int):
            owner = next((p for p in reversed(parts) if isinstance(p, str)), None)
            while parts and isinstance(parts[-1], str):
                parts.pop()
            entries.append(f"the {_ordinal(part + 1)} entry" + (f" of '{owner}'" if owner else ""))
        elif head is None:
            head = f"'{part}'"
    if head is None:       # the entry itself is wrong, e.g. members[2] is not a group of fields
        head = entries.pop(0) if entries else "this entry"
    return head, (f" (in {', in '.join(entries)})" if entries else "")


def _field_info(model: type[BaseModel], location: tuple):
    """(model class, field info) of the field at `location`, or (None, None)."""
    names = [p for p in location if isinstance(p, str)]
    if not names:
        return None, None
    parent = _model_at(model, location[:location.index(names[-1])])
    if parent is None or names[-1] not in parent.model_fields:
        return None, None
    return parent, parent.model_fields[names[-1]]


def _bounds(field_info) -> tuple:
    """(lowest, highest) a number field allows, from its constraints (None where open), and
    whether each end is allowed itself."""
    low = high = None
    low_in = high_in = True
    for rule in getattr(field_info, "metadata", []):
        if getattr(rule, "ge", None) is not None:
            low = rule.ge
        if getattr(rule, "gt", None) is not None:
            low, low_in = rule.gt, False
        if getattr(rule, "le", None) is not None:
            high = rule.le
        if getattr(rule, "lt", None) is not None:
            high, high_in = rule.lt, False
    return low, low_in, high, high_in


def _plain(number) -> str:
    return f"{number:g}" if isinstance(number, float) else str(number)


def _number_wanted(parent, name: str, field_info) -> tuple[str, str]:
    """(what the field takes, an example) for a number field, e.g. ('a whole number from 1
    (rare) to 5 (almost certain)', '3')."""
    whole = field_info.annotation is int
    if parent in MONEY_FIELDS and name in MONEY_FIELDS[parent]:
        return "a number of whole pounds (digits only: no £, commas or pence)", "125000"
    low, low_in, high, high_in = _bounds(field_info)
    ends = SCALE_WORDS.get((parent, name), ("", ""))
    named = [f"{_plain(v)} ({w})" if w else _plain(v) for v, w in zip((low, high), ends)] if low is not None or high is not None else []
    kind = "a whole number" if whole else "a number"
    if low is not None and high is not None:
        example = _plain((low + high) // 2 if whole else (low + high) / 2)
        if low_in and high_in:
            return f"{kind} from {named[0]} to {named[1]}", example
        start = f"of {named[0]} or more" if low_in else f"more than {named[0]}"
        return f"{kind} {start} and {'at most' if high_in else 'below'} {named[1]}", example
    if low is not None:
        return f"{kind} of {_plain(low)} or more" if low_in else f"{kind} more than {_plain(low)}", _plain(low + 2)
    return kind, "6"


def _as_whole_pounds(given) -> str | None:
    """Whole pounds the author probably meant by '£5,000' or 146000.50, or None."""
    text = re.sub(r"[£,\s]", "", str(given))
    try:
        return str(int(float(text) + 0.5)) if text and float(text) >= 0 else None
    except ValueError:
        return None


def _explain_number(kind: str, subject: str, parent, name: str, field_info, given) -> tuple[str, str]:
    wanted, example = _number_wanted(parent, name, field_info) if field_info else ("a number", "6")
    money = "whole pounds" in wanted
    if money and isinstance(given, (float, str)) and (pounds := _as_whole_pounds(given)) is not None:
        pence = isinstance(given, float) or "." in str(given)
        if pence:
            return f"{subject} is {given!r}: amounts are in whole pounds, no pence", f"write {pounds} (rounded to the pound)"
        return f"{subject} must be {wanted}, not {given!r}", f"write {pounds}, without £, commas or pence"
    if isinstance(given, list):
        return f"{subject} must be {wanted}, not a list", f"write one number on the same line as '{name}:', e.g. {name}: {example}"
    if kind.endswith("from_float"):
        return f"{subject} must be {wanted}, not {given!r}", f"write a whole number, e.g. {name}: {example}"
    return f"{subject} must be {wanted}, not {given!r}", f"write it in digits, without £, commas or words, e.g. {name}: {example}"


def _explain_text(subject: str, name: str, given) -> tuple[str, str]:
    """A field that takes one piece of text was given something else."""
    if given is None:
        return f"{subject} is empty", f"write the text after '{name}:' on the same line"
    if isinstance(given, list):
        return (f"{subject} should be one piece of text, but it is written as a list of {len(given)} "
                "lines starting with '- '",
                f"write the text on the same line as '{name}:', as one sentence (join the list's lines)")
    if isinstance(given, dict):
        return (f"{subject} should be one piece of text, but it is written as 'key: value' lines",
                f"write the text on the same line as '{name}:'; if the text itself contains ': ', "
                "put it all in double quotes")
    return (f"{subject} must be text, not {given!r}",
            f"put it in double quotes so it is read as text, e.g. {name}: \"{given}\"")


def _flow_comma(location: tuple, given, data, lines: LineMap | None) -> tuple[str, str] | None:
    """An unquoted comma inside a one-line {key: value, ...} entry ends the value, and the text
    after it becomes a key with no value: {post: Head of Service, Resources and Youth Justice}.
    Recognised by the empty key sharing its line with the key before it (in the usual one key a
    line, no two keys of an entry share a line). Returns (message, fix), or None."""
    if given is not None or lines is None:
        return None
    parent = data
    for part in location[:-1]:
        try:
            parent = parent[part]
        except (KeyError, IndexError, TypeError):
            return None
    if not isinstance(parent, dict) or location[-1] not in parent:
        return None
    keys = list(parent)
    at = keys.index(location[-1])
    line = lines.line_of(location)
    start = at
    while start > 0 and parent[keys[start - 1]] is None and lines.line_of(location[:-1] + (keys[start - 1],)) == line:
        start -= 1
    if start == 0 or lines.line_of(location[:-1] + (keys[start - 1],)) != line:
        return None
    field_name = keys[start - 1]
    whole = ", ".join(str(p) for p in [parent[field_name], *keys[start:at + 1]])
    return (f"'{location[-1]}' was read as a field name, because in a {{...}} entry a comma ends the value: "
            f"it belongs to '{field_name}'",
            f"put the whole value in double quotes: {field_name}: \"{whole}\"")


def _explain(error: dict, model: type[BaseModel], data=None, lines: LineMap | None = None) -> tuple[str, str]:
    """(message, fix) for one pydantic error, in words a Head of Service understands: the kind
    of value the field takes (whole pounds, a scale of 1 to 5, a date, text), entries counted
    from 1. `data` and `lines` (the parsed file) let it recognise a comma in a {...} entry."""
    kind = error["type"]
    location = _fields_only(model, tuple(error["loc"]), keep_last=kind == "extra_forbidden")
    name = next((p for p in reversed(location) if isinstance(p, str)), "this entry")
    subject, where = _subject(location)
    message, fix = _explain_kind(error, model, data, lines, location, name, subject)
    return message + where, fix


def _explain_kind(error: dict, model: type[BaseModel], data, lines, location: tuple, name: str,
                  subject: str) -> tuple[str, str]:
    """_explain's (message, fix), before saying which entry of a list it is about."""
    kind = error["type"]
    given = error.get("input")
    if "fix" in error.get("ctx", {}):     # our own validators say what is wrong and how to fix it
        return f"{subject}: {error['msg']}", error["ctx"]["fix"]
    if kind == "missing":
        return f"{subject} is missing", f"add '{name}:' here (content/README.md shows an example)"
    if kind == "extra_forbidden":
        if comma := _flow_comma(tuple(error["loc"]), given, data, lines):
            return comma
        parent = _model_at(model, location[:-1])
        allowed = sorted(parent.model_fields) if parent else []
        close = difflib.get_close_matches(str(name), allowed, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        odd = lookalike_hint(name)      # a field name that looks right: a letter from another alphabet
        return (f"{subject} is not a field yjplan knows here" + (f": {odd}" if odd else ""),
                f"{'retype it; ' if odd else ''}{hint}check the spelling; allowed fields are: {', '.join(allowed)}")
    parent, field_info = _field_info(model, location)
    if kind.startswith("date") or kind.startswith("datetime"):
        if isinstance(given, (list, dict)):
            return f"{subject} must be one date, not a list", f"write one date after '{name}:' as YYYY-MM-DD, e.g. 2025-06-30"
        if match := re.fullmatch(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*", str(given)):
            day, month, year = match.groups()
            return (f"{subject} must be a date written year first, not {given!r}",
                    f"write dates as YYYY-MM-DD: {year}-{int(month):02d}-{int(day):02d} if you meant "
                    f"{int(day)} {_month_name(int(month))} {year}")
        return (f"{subject} must be a real date, not {given!r}",
                "write dates as YYYY-MM-DD, e.g. 2025-06-30")
    if kind.startswith(NUMBER_KINDS):
        return _explain_number(kind, subject, parent, name, field_info, given)
    if kind in ("enum", "literal_error"):
        expected = error.get("ctx", {}).get("expected", "")
        if odd := lookalike_hint(given):    # looks right, but a letter is Cyrillic or Greek
            return (f"{subject} cannot be {given!r}: {odd}", f"retype the value; use one of: {expected}")
        return (f"{subject} cannot be {given!r}", f"use one of: {expected}")
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        wanted, example = _number_wanted(parent, name, field_info) if field_info else ("within the limits", "")
        return (f"{subject} is {given!r}, but it must be {wanted}",
                f"correct the value, e.g. {name}: {example}" if example else "correct the value")
    if kind in ("list_type", "model_type", "dict_type", "model_attributes_type"):
        wanted = "a list of entries (lines starting with '- ')" if kind == "list_type" else "a group of 'key: value' lines"
        return f"{subject} should be {wanted}", "see the example in content/README.md"
    if kind == "string_type":
        return _explain_text(subject, name, given)
    return f"{subject}: {error['msg']}", "see the example in content/README.md"


def _month_name(month: int) -> str:
    import calendar
    return calendar.month_name[month] if 1 <= month <= 12 else f"month {month}"


def validate(model: type[BaseModel], data: object, lines: LineMap, shown: str):
    """Validate parsed YAML against a model. Returns (object or None, findings)."""
    if data is None:
        data = {}
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        findings = []
        for error in exc.errors():
            location = tuple(error["loc"])
            message, fix = _explain(error, model, data, lines)
            findings.append(Finding(f"content.{error['type']}", message, fix=fix, file=shown,
                                    line=lines.line_of(location), field=field_path(location)))
        return None, findings


def _after_validation(obj, lines: LineMap, shown: str) -> list[Finding]:
    """Checks a file's model cannot make alone, because they need another part of the file:
    each risk against the council's risk scheme (riskscheme.py)."""
    if isinstance(obj, models.Risks):
        from .riskscheme import validate as risks_against_scheme
        return risks_against_scheme(obj, lines, shown)
    return []


# --- narrative Markdown -----------------------------------------------------------------------

def read_narrative(path: Path, shown: str, guidance: rules.Guidance | None) -> tuple[Narrative | None, list[Finding]]:
    """One narrative file. Without a guidance edition (plan.yml could not be read) the front
    matter is still checked, so its problems show up with plan.yml's, not after it is fixed."""
    text, problems = read_text(path, shown, "narrative")
    if text is None:
        return None, problems
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None, [Finding("narrative.front-matter", "the file has no front matter",
                              fix="start the file with '---', 'heading: <id>', '---'", file=shown, line=1)]
    end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"), None)
    if end is None:
        return None, [Finding("narrative.front-matter", "the front matter is not closed",
                              fix="add a line '---' after the front matter", file=shown, line=1)]
    front, front_lines, problems = parse_yaml("".join(lines[1:end]), shown, first_line=2)
    if problems:
        return None, problems
    meta, findings = validate(models.NarrativeFront, front, front_lines, shown)
    if meta is None:
        return None, findings
    if guidance is None:
        return Narrative(meta.heading, meta.title or meta.heading, "".join(lines[end + 1:]), shown, end + 2,
                         front_lines.line_of(("heading",)) or 2), []
    heading = guidance.heading(meta.heading) or guidance.appendix(meta.heading)   # narrative in an appendix (#14)
    if heading is None:
        known = ", ".join(h.id for h in guidance.headings)
        close = difflib.get_close_matches(meta.heading, [h.id for h in [*guidance.headings, *guidance.appendices]], n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        return None, [Finding("narrative.unknown-heading",
                              f"'{meta.heading}' is not a heading of the {guidance.edition} guidance",
                              fix=f"{hint}use one of: {known}; or an appendix: "
                                  f"{', '.join(a.id for a in guidance.appendices)}", file=shown, line=front_lines.line_of(("heading",)),
                              field="heading")]
    return Narrative(meta.heading, meta.title or heading.title, "".join(lines[end + 1:]), shown, end + 2,
                     front_lines.line_of(("heading",)) or 2), []


# --- a plan year ------------------------------------------------------------------------------

def _did_you_mean(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f"did you mean '{close[0]}'? " if close else ""


def load_year(root: Path, year: str, partial: bool = False,
              language: str | None = None) -> tuple[PlanYear | None, list[Finding]]:
    """One plan year: every file is read and every problem reported, even when one is missing.
    With `partial`, a year with errors is still returned, with None for what could not be
    read, so the checks that do not need it can run (see check.check_partially).
    `language` (default: the plan's primary language) is the language a bilingual plan is
    loaded in: its free-text fields and narrative in that language (bilingual.py)."""
    folder = root / "content" / year
    findings: list[Finding] = [problem] if (problem := year_too_big(folder, f"content/{year}/")) else []
    loaded: dict[str, object] = {}
    line_maps: dict[str, LineMap] = {}
    langs: bilingual.Languages | None = None
    for name, (model, required) in models.STRUCTURED_FILES.items():
        path, shown = folder / name, f"content/{year}/{name}"
        if not path.exists() and not required:
            loaded[name] = None
            continue
        data, lines, problems = read_yaml(path, shown)
        line_maps[name] = lines
        findings += problems
        if not problems:
            if name == bilingual.PLAN_FILE:
                langs, problems = bilingual.settings(data, lines, shown)
                if language and (wrong := bilingual.not_in_plan(language, langs, lines, shown)):
                    problems.append(wrong)
                    language = None      # the rest is read in the primary language; the error stops it
                findings += problems
            data, problems = bilingual.resolve(name, data, lines, shown, langs, language)
            findings += problems
            obj, problems = validate(model, data, lines, shown)
            findings += problems + _after_validation(obj, lines, shown)
            loaded[name] = obj
    meta = loaded.get("plan.yml")
    guidance = None
    if meta is not None:
        guidance = nations.guidance_for(rules.guidance(meta.guidance), meta.nation)   # Wales: Blueprint headings
        # yjplan #14 item 7: the council's own titles, numbers, sections and appendices (outline.py)
        guidance, problems = outline.apply(guidance, meta, line_maps.get("plan.yml"), f"content/{year}/plan.yml")
        findings += problems
        if guidance is None:
            findings.append(Finding(
                "plan.guidance", f"'{meta.guidance}' is not a guidance edition yjplan knows",
                fix=_did_you_mean(meta.guidance, rules.guidance_editions()) +   # #16
                    f"use one of: {', '.join(rules.guidance_editions())}", file=f"content/{year}/plan.yml",
                line=line_maps["plan.yml"].line_of(("guidance",)), field="guidance"))
    narratives, problems = bilingual.read_narratives(folder / "narrative", year, langs, language,
                                                     lambda path, shown: read_narrative(path, shown, guidance))
    findings += problems
    if meta is not None:
        guidance = nations.drop_unused(guidance, {n.heading for n in narratives}, meta.nation)
    from .childfriendly import read_child_friendly
    child_friendly, problems = read_child_friendly(folder, year, langs, language)
    findings += problems
    findings += unknown_files(folder, year, meta)
    if errors_in(findings) and not partial:
        return None, findings
    return PlanYear(
        year=year, folder=folder, meta=meta, governance=loaded.get("governance.yml"),
        finance=loaded.get("finance.yml"), staffing=loaded.get("staffing.yml"),
        champions=loaded.get("champions.yml"), priorities=loaded.get("priorities.yml"),
        risks=loaded.get("risks.yml"), inspection=loaded.get("inspection.yml"),
        glossary=loaded.get("glossary.yml"), narratives=narratives, guidance=guidance,
        lines=line_maps, warnings=[f for f in findings if f.severity is Severity.WARNING],
        services=loaded.get("services.yml"), voice=loaded.get("voice.yml"), child_friendly=child_friendly), findings


NARRATIVE = "narrative"
CONTENT_TYPES = {".yml", ".yaml", ".md", ".markdown", ".txt"}   # text yjplan would have read if named right
IMAGES = "images"     # the narrative's pictures (sanitize.py publishes those it names)
IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}


def unknown_files(folder: Path, year: str, meta: models.PlanMeta | None) -> list[Finding]:
    """Files in content/<year>/ and its narrative/ that yjplan does not read: a misnamed file
    (inspections.yml) would otherwise vanish from the plan without a word."""
    known = [*models.STRUCTURED_FILES, NARRATIVE, IMAGES, "tables.yml",   # tables.yml: issue 14, localtables.py
             "child-friendly"]
    if meta is not None and meta.logo:
        known.append(Path(meta.logo).parts[0])
    findings = []
    for path in sorted(folder.iterdir()) if folder.is_dir() else ():
        if _ignorable(path) or path.name in known or _image(path):
            continue
        close = difflib.get_close_matches(path.name, known, n=1, cutoff=0.6)
        findings.append(_unknown(path, f"content/{year}/{path.name}", close,
                                 f"yjplan reads only {', '.join(models.STRUCTURED_FILES)}, the logo plan.yml "
                                 f"names, the narrative/ folder and pictures (in images/ or beside them)"))
    narrative = folder / NARRATIVE
    for path in sorted(narrative.iterdir()) if narrative.is_dir() else ():
        if _ignorable(path) or (path.is_file() and path.suffix == ".md") or _image(path):
            continue
        close = [f"{path.stem}.md"] if path.suffix.lower() in (".md", ".markdown", ".txt") else []
        findings.append(_unknown(path, f"content/{year}/{NARRATIVE}/{path.name}", close,
                                 "narrative/ holds only Markdown files ending .md, one per guidance heading"))
    return findings


def _image(path: Path) -> bool:
    """A picture the narrative may show: published when a narrative file names it."""
    return path.is_file() and path.suffix.lower() in IMAGE_TYPES


def _ignorable(path: Path) -> bool:
    """Editors' and systems' own files (.DS_Store, backup~, .#lock) are nobody's content."""
    return path.name.startswith((".", "~$")) or path.name.endswith("~") or path.name == "Thumbs.db"


def _unknown(path: Path, shown: str, close: list[str], reads: str) -> Finding:
    hint = f"did you mean {close[0]}? rename it" if close else "rename it to a file yjplan reads, or move it out of content/"
    content = path.is_dir() or path.suffix.lower() in CONTENT_TYPES
    return Finding("content.unknown-file",
                   f"yjplan does not know this {'folder' if path.is_dir() else 'file'}, so nothing in it is published",
                   fix=f"{hint} ({reads})", file=shown,
                   severity=Severity.ERROR if content else Severity.WARNING)


def misnamed_year_folders(root: Path) -> list[Finding]:
    """Folders in content/ that look like a plan year but are not named YYYY-YY (2025-2026,
    2025-27, 2025_26): yjplan would ignore them, and the year would silently not be built."""
    content = root / "content"
    findings = []
    for path in sorted(content.iterdir()) if content.is_dir() else ():
        match = LOOKS_LIKE_YEAR.match(path.name)
        if not path.is_dir() or not match or is_plan_year(path.name):
            continue
        right = year_name(int(match.group(1)))
        taken = (content / right).exists()
        findings.append(Finding(
            "content.year-folder", f"the folder '{path.name}' looks like a plan year, but plan years are named "
            f"YYYY-YY with the next year's last two digits (e.g. {right}), so yjplan would ignore it",
            fix=(f"content/{right}/ already exists: move '{path.name}' out of content/ if it is a copy"
                 if taken else f"rename it to content/{right}/ (the year its plan period starts in, then the next)"),
            file=f"content/{path.name}/"))
    return findings


def comparators_known(plan: PlanYear, areas) -> list[Finding]:
    """Every comparator in plan.yml must be an area in data/areas.csv: a mistyped code would
    drop that area from every table and leave the narrative saying 'not available'."""
    codes = list(areas.area)
    findings = []
    for kind in models.Comparators.model_fields:
        code = getattr(plan.meta.comparators, kind)
        if code in codes:
            continue
        close = difflib.get_close_matches(code, codes, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        findings.append(Finding(
            "plan.comparator-area", f"the {kind} comparator '{code}' is not an area in data/areas.csv, so it "
            "would be missing from every table and figure", fix=f"{hint}use one of: {', '.join(codes)} "
            "(or add the area to data/areas.csv)", file=plan.shown("plan.yml"),
            line=plan.lines["plan.yml"].line_of(("comparators", kind)), field=f"comparators.{kind}"))
    return findings


# --- the website's settings ---------------------------------------------------------------------

SITE_FILE = "content/site.yml"
LOGO_TYPES = {".svg", ".png"}


def inside(path: Path, folder: Path) -> bool:
    """Whether `path` is in `folder` once symbolic links and '..' are followed: content may only
    name the project's own files."""
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError, ValueError):
        return False


def load_site(root: Path, langs: bilingual.Languages | None = None,
              language: str | None = None) -> tuple[models.SiteSettings | None, list[Finding], LineMap]:
    """content/site.yml: who publishes the site, its colours and logo, its accessibility statement
    (and the file's line map, for checks). `langs`: the languages the site is published in (a
    bilingual plan's, site_languages); its free-text fields are read in `language`."""
    data, lines, findings = read_yaml(root / SITE_FILE, SITE_FILE)
    if findings:
        return None, findings, lines
    data, findings = bilingual.resolve(Path(SITE_FILE).name, data, lines, SITE_FILE,
                                       langs or bilingual.Languages(), language)
    settings, problems = validate(models.SiteSettings, data, lines, SITE_FILE)
    findings += problems
    if settings and settings.logo:
        logo = root / "content" / settings.logo
        if not inside(logo, root / "content"):
            findings.append(Finding(
                "security.path", f"the logo '{settings.logo}' is outside content/ (symbolic links followed)",
                fix="copy the logo file into content/ and write its file name here, e.g. logo: council-logo.svg",
                file=SITE_FILE, line=lines.line_of(("logo",)), field="logo"))
        elif logo.suffix.lower() not in LOGO_TYPES or not logo.is_file():
            findings.append(Finding(
                "site.logo", f"the logo '{settings.logo}' is not an SVG or PNG file in content/",
                fix="put the logo file in content/ and write its file name here, e.g. logo: council-logo.svg",
                file=SITE_FILE, line=lines.line_of(("logo",)), field="logo"))
    return settings, findings, lines


def plan_years(root: Path) -> list[str]:
    content = root / "content"
    return sorted(p.name for p in content.iterdir() if p.is_dir() and is_plan_year(p.name)) if content.exists() else []


def load_project(root: Path, years: list[str] | None = None, language: str | None = None) -> Project:
    """Load every plan year and the indicator data. Raises PlanError listing every problem.
    `language`: load each year in that language (a bilingual plan; default: each year's primary)."""
    from .indicators import load_indicator_data, load_local_data
    from .joint import authority_areas_known
    findings: list[Finding] = misnamed_year_folders(root)
    found = plan_years(root)
    if not found:
        raise PlanError([*findings, Finding("content.no-years", "there is no plan year in content/",
                                            fix="create a folder such as content/2025-26/ (or run 'yjplan new 2025-26')",
                                            file="content/")])
    loaded, broken = [], []
    for year in years or found:
        if year not in found:
            findings.append(Finding("content.unknown-year", f"there is no plan year '{year}'",
                                    fix=f"use one of: {', '.join(found)}", file="content/"))
            continue
        plan_year, problems = load_year(root, year, partial=True, language=language)
        findings += problems
        (broken if errors_in(problems) else loaded).append(plan_year)
    indicators, kpis, areas, problems = load_indicator_data(root)
    findings += problems
    local, population, problems = load_local_data(root)
    findings += problems
    site, problems, site_lines = load_site(root, bilingual.site_languages(loaded + broken), language)
    findings += problems
    # issue 14: the local tables each year declares, with their counts (plan/localtables.py)
    from .localtables import load_tables
    tables, problems = load_tables(root, [p for p in loaded + broken if p.guidance is not None], areas, local)
    findings += problems
    if areas is not None:
        for plan_year in loaded + broken:
            if plan_year.meta is not None:
                findings += comparators_known(plan_year, areas)
                findings += authority_areas_known(plan_year, areas)    # joint services (plan/joint.py)
    project = Project(root=root, years=loaded, indicators=indicators, kpis=kpis, areas=areas, local=local,
                      population=population, indicator_set=rules.indicator_set(),
                      kpi_set=rules.indicator_set("kpis-2023"), site=site, site_lines=site_lines, tables=tables)
    for plan_year in loaded + broken:
        plan_year.site = site     # its e-mail domain allow-list, for the privacy checks
    if errors_in(findings):
        error = PlanError(findings)
        # What could be read, so `yjplan check` can still run the checks that do not need the
        # rest (check.check_partially): a missing file never hides the other problems.
        error.project = dataclasses.replace(project, years=sorted(loaded + broken, key=lambda p: p.year))
        raise error
    return project
