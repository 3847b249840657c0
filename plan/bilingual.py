"""A plan in two languages from one source (Welsh and English, for services in Wales).

plan.yml declares the plan's languages (`languages: [en-GB, cy-GB]`, the primary one first or
named by `language:`). A free-text field (plan/rules/bilingual.yml lists them) may then be
written `{en: "...", cy: "..."}`; figures, dates and codes are written once. Narrative in the
primary language is `narrative/<name>.md`, in the other `narrative/<name>.cy.md` (or `.en.md`).

Everything happens at load time, on the raw YAML, before pydantic sees it: a plan year is loaded
*in one language* (load.load_year's `language`), each bilingual mapping becomes that language's
plain text, so every later stage (check, derive, render) works on plain `str` as before. The
loaded copy's `meta.language` is the language it was loaded in and `meta.languages` every
language of the plan, primary first. A plan that declares one language loads exactly as before.

Missing text is reported whichever language is loaded: in a bilingual plan, a free-text field
or narrative file without its counterpart is an error, or a warning in a draft (whose copy in
the other language then shows the text it has, until it is translated).
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Callable

import yaml

from . import rules
from .problems import Finding, Severity, field_path
from .yamlfile import LineMap

DEFAULT = "en-GB"
PLAN_FILE = "plan.yml"


@cache
def _rules() -> dict:
    return yaml.safe_load((rules.RULES_DIR / "bilingual.yml").read_text(encoding="utf-8"))


def known_languages() -> dict[str, dict]:
    """Language tag -> its YAML key, Babel locale and names (plan/rules/bilingual.yml)."""
    return _rules()["languages"]


def key_of(language: str) -> str:
    """The key a bilingual mapping uses for a language: cy-GB -> cy."""
    return known_languages()[language]["key"]


def name_of(language: str) -> str:
    return known_languages()[language]["name"]


def locale_of(language: str | None) -> str:
    """Babel's locale for a language tag (en_GB for an unknown or missing one)."""
    return known_languages().get(language or DEFAULT, known_languages()[DEFAULT])["locale"]


def free_text_fields() -> dict[str, list[str]]:
    """File name -> the paths of its free-text fields, as written in bilingual.yml."""
    return _rules()["free_text"]


@dataclass(frozen=True)
class Languages:
    """The languages a plan year is written in, as plan.yml declares them."""
    all: tuple[str, ...] = (DEFAULT,)      # primary first
    draft: bool = False

    @property
    def primary(self) -> str:
        return self.all[0]

    @property
    def bilingual(self) -> bool:
        return len(self.all) > 1

    @property
    def keys(self) -> list[str]:
        return [key_of(language) for language in self.all]

    @property
    def severity(self) -> Severity:
        """Missing translations stop a plan that is not a draft; a draft is published for
        comment, so they are a warning there."""
        return Severity.WARNING if self.draft else Severity.ERROR


def site_languages(years) -> Languages:
    """The languages content/site.yml is published in: every language of the plan years loaded,
    the newest year's first (its primary language is the site's); a draft newest year makes a
    missing translation a warning, as in its own files."""
    newest = sorted((p for p in years if p.meta is not None), key=lambda p: p.year, reverse=True)
    tags: list[str] = []
    for plan in newest:
        tags += [tag for tag in (plan.meta.languages or [plan.meta.language]) if tag not in tags]
    if not tags:
        return Languages()
    return Languages(tuple(tags), draft=newest[0].meta.is_draft)


# --- plan.yml: which languages ---------------------------------------------------------------

def _unknown_language(code: str, location: tuple, lines: LineMap, shown: str) -> Finding:
    known = list(known_languages())
    close = [tag for tag in known if code.strip().lower() in (tag.lower(), key_of(tag), tag.lower().split("-")[0])]
    close = close or difflib.get_close_matches(code, known, n=1, cutoff=0.5)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return Finding("language.unknown", f"'{code}' is not a language yjplan knows",
                   fix=f"{hint}use one of: {', '.join(known)} (English, Welsh)", file=shown,
                   line=lines.line_of(location), field=field_path(location))


def settings(data: object, lines: LineMap, shown: str) -> tuple[Languages, list[Finding]]:
    """The languages plan.yml declares (`language:` the primary, `languages:` all of them; a
    plan with neither is in English), with a finding for each code yjplan does not know. Types
    that are wrong altogether (a number, a mapping) are left to the model to report."""
    if not isinstance(data, dict):
        return Languages(), []
    known, findings = known_languages(), []
    primary, listed = data.get("language"), data.get("languages")
    codes: list[str] = []
    if isinstance(listed, list):
        for index, code in enumerate(listed):
            if not isinstance(code, str):
                continue
            if code not in known:
                findings.append(_unknown_language(code, ("languages", index), lines, shown))
            elif code not in codes:
                codes.append(code)
    if isinstance(primary, str):
        if primary not in known:
            findings.append(_unknown_language(primary, ("language",), lines, shown))
            primary = None
        elif codes and primary not in codes:
            findings.append(Finding(
                "language.primary", f"the plan's language '{primary}' is not among its languages ({', '.join(codes)})",
                fix=f"add {primary} to 'languages:', or set 'language:' to the primary one of {', '.join(codes)}",
                file=shown, line=lines.line_of(("language",)), field="language"))
    else:
        primary = None
    primary = primary or (codes[0] if codes else DEFAULT)
    ordered = (primary, *(c for c in codes if c != primary))
    return Languages(ordered, data.get("status") == "draft"), findings


def not_in_plan(language: str, langs: Languages, lines: LineMap, shown: str) -> Finding | None:
    """A plan asked for in a language it is not written in (load.load_project's `language`)."""
    if language in langs.all:
        return None
    if language not in known_languages():
        return Finding("language.unknown", f"'{language}' is not a language yjplan knows",
                       fix=f"use one of: {', '.join(known_languages())}", file=shown)
    return Finding("language.not-in-plan",
                   f"this plan is not written in {name_of(language)} ({language}): its languages are "
                   f"{', '.join(langs.all)}", fix=f"add {language} to 'languages:' in plan.yml and give each "
                   f"free-text field and narrative file in {name_of(language)}", file=shown,
                   line=lines.line_of(("languages",)) or lines.line_of(("language",)), field="languages")


# --- free-text fields: a mapping becomes the loaded language's text ----------------------------

def _trie(paths: list[str]) -> dict:
    """['a[].b', 'a[].c'] -> {'a': {'[]': {'b': True, 'c': True}}}: the paths as a tree to walk
    beside the data. A field that is a text itself and also holds texts (`authority`: one
    council's name, or a list of `{name, area}`) is {'': True, ...}: read as a text where its
    value is one, walked into where not."""
    tree: dict = {}
    for path in paths:
        parts = [p for p in re.split(r"\.|(\[\])", path) if p]
        node = tree
        for part in parts[:-1]:
            node = _branch(node, part)
        if isinstance(node.get(parts[-1]), dict):
            node[parts[-1]][""] = True
        else:
            node[parts[-1]] = True
    return tree


def _branch(node: dict, part: str) -> dict:
    """The subtree under `part`, made a dict (keeping a text mark as '') if it was a leaf."""
    if node.get(part) is True:
        node[part] = {"": True}
    return node.setdefault(part, {})


def _looks_bilingual(value: object) -> bool:
    """A mapping whose keys are all language keys ({en: ..., cy: ...})."""
    keys = {known["key"] for known in known_languages().values()}
    return isinstance(value, dict) and bool(value) and all(isinstance(k, str) and k in keys for k in value)


class _Resolver:
    """Walks one file's data beside its free-text paths, replacing each text by the loaded
    language's and collecting a finding for each text missing a language."""

    def __init__(self, langs: Languages | None, language: str, lines: LineMap, shown: str):
        self.langs, self.language, self.lines, self.shown = langs, language, lines, shown
        self.findings: list[Finding] = []

    def finding(self, rule: str, location: tuple, message: str, fix: str,
                severity: Severity = Severity.ERROR) -> None:
        self.findings.append(Finding(rule, message, fix=fix, file=self.shown, line=self.lines.line_of(location),
                                     field=field_path(location), severity=severity))

    def walk(self, value: object, tree: dict | bool | None, location: tuple) -> object:
        if tree is True:
            return self.texts(value, location)
        if isinstance(tree, dict) and tree.get("") and (value is None or isinstance(value, str) or _looks_bilingual(value)):
            return self.text(value, location)
        if isinstance(value, dict):
            if _looks_bilingual(value) and self.langs is not None:
                self.finding("bilingual.not-free-text", location,
                             "this field is written once for every language, so it cannot be given per language",
                             fix=f"write one value here (free-text fields are listed in content/README.md, "
                                 f"'Welsh and English')")
                return next(iter(value.values()))
            return {k: self.walk(v, tree.get(k) if isinstance(tree, dict) else None, location + (k,))
                    for k, v in value.items()}
        if isinstance(value, list):
            inner = tree.get("[]") if isinstance(tree, dict) else None
            return [self.walk(item, inner, location + (index,)) for index, item in enumerate(value)]
        return value

    def texts(self, value: object, location: tuple) -> object:
        """A free-text field: one text, a mapping, or a list of them (a shared seat's organisations)."""
        if isinstance(value, list):
            return [self.text(item, location + (index,)) for index, item in enumerate(value)]
        return self.text(value, location)

    def text(self, value: object, location: tuple) -> object:
        langs = self.langs
        if langs is None:          # plan.yml could not be read: its problems come first
            return next(iter(value.values()), "") if isinstance(value, dict) and value else value
        if isinstance(value, str) or value is None:
            if langs.bilingual and isinstance(value, str) and value.strip() and not _catalogued(value, langs):
                self.missing(location, [langs.primary], [c for c in langs.all if c != langs.primary], value)
            return value       # a catalogued text is said in the page's language when printed (render.finalize_for)
        if not isinstance(value, dict):
            return value           # a number, a date: the model says what it should be
        if not set(value) & {known["key"] for known in known_languages().values()}:
            return value           # an entry with fields of its own (a joint service's {name, area})
        declared = langs.keys
        for key in value:
            if key in declared:
                continue
            tags = [tag for tag, known in known_languages().items() if known["key"] == key]
            if tags:
                self.finding("bilingual.undeclared-language", location + (key,),
                             f"this {name_of(tags[0])} text is never published: plan.yml does not give "
                             f"{tags[0]} among the plan's languages",
                             fix=f"add {tags[0]} to 'languages:' in plan.yml, or delete this text",
                             severity=Severity.WARNING)
            else:
                close = difflib.get_close_matches(str(key), declared, n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                self.finding("bilingual.unknown-key", location + (key,),
                             f"'{key}' is not one of this plan's languages ({', '.join(declared)})",
                             fix=f"{hint}give the text as {{{', '.join(f'{k}: ...' for k in declared)}}}")
        given = [tag for tag in langs.all if _filled(value.get(key_of(tag)))]
        missing = [tag for tag in langs.all if tag not in given]
        if missing and given:
            self.missing(location, given, missing, value)
        elif missing:
            self.finding("bilingual.missing-text", location, "this text is empty in every language",
                         fix=f"write it as {_example(langs)}, or delete the field if it is optional",
                         severity=langs.severity)
        chosen = self.language if self.language in given else (given[0] if given else None)
        return value.get(key_of(chosen)) if chosen else ""

    def missing(self, location: tuple, given: list[str], missing: list[str], value: object) -> None:
        names = " and ".join(name_of(tag) for tag in missing)
        self.finding("bilingual.missing-text", location,
                     f"this text is given in {' and '.join(name_of(t) for t in given)} but not in {names}: "
                     f"a plan in {' and '.join(name_of(t) for t in self.langs.all)} gives it in each",
                     fix=f"write it as {_example(self.langs, value)}", severity=self.langs.severity)


def _catalogued(text: str, langs: Languages) -> bool:
    """A text yjplan's catalogue already says in each other language of the plan (a partner's
    name such as "Police" or "Local authority"): it needs no translation of its own."""
    from . import i18n      # i18n reads this module's language table
    return langs.primary == DEFAULT and all(i18n.gettext(text, tag) != text for tag in langs.all[1:])


def _filled(text: object) -> bool:
    return isinstance(text, str) and bool(text.strip()) or (text is not None and not isinstance(text, str))


def _example(langs: Languages, value: object = None) -> str:
    def shown(tag: str) -> str:
        text = (value if isinstance(value, str) and tag == langs.primary
                else value.get(key_of(tag)) if isinstance(value, dict) else None)
        if isinstance(text, str) and text.strip():
            return '"' + (text if len(text) <= 40 else text[:37] + "...") + '"'
        return f'"<the {name_of(tag)} text>"'
    return "{" + ", ".join(f"{key_of(tag)}: {shown(tag)}" for tag in langs.all) + "}"


def resolve(name: str, data: object, lines: LineMap, shown: str, langs: Languages | None,
            language: str | None = None) -> tuple[object, list[Finding]]:
    """One file's raw YAML in `language` (default: the primary): each free-text field's text in
    that language, plus a finding for each text missing a language of the plan. plan.yml also
    records the language loaded and the plan's languages (meta.language, meta.languages)."""
    language = language or (langs.primary if langs else DEFAULT)
    resolver = _Resolver(langs, language, lines, shown)
    data = resolver.walk(data, _trie(free_text_fields().get(name, [])), ())
    if name == PLAN_FILE and isinstance(data, dict) and langs is not None:
        if isinstance(data.get("language", ""), str) and isinstance(data.get("languages", []), list):
            data = {**data, "language": language, "languages": list(langs.all)}   # else the model says what is wrong
    return data, resolver.findings


# --- narrative: <name>.md in the primary language, <name>.cy.md beside it ----------------------

NarrativeReader = Callable[[Path, str], tuple[object, list[Finding]]]


def _split(path: Path) -> tuple[str, str | None]:
    """narrative/01-intro.cy.md -> ('01-intro', 'cy'); 01-intro.md -> ('01-intro', None)."""
    stem = path.name.removesuffix(".md")
    base, dot, key = stem.rpartition(".")
    keys = {known["key"] for known in known_languages().values()}
    return (base, key) if dot and key in keys else (stem, None)


def read_narratives(folder: Path, year: str, langs: Languages | None, language: str | None,
                    read: NarrativeReader, subfolder: str = "narrative") -> tuple[list, list[Finding]]:
    """The narrative files of a plan year in `language`, after reading those of every language
    (so front matter in each is checked, whichever is loaded) and checking each file has its
    counterpart in every language of the plan. `read(path, shown)` reads one file (load.py);
    `subfolder` is the year's folder they are in (narrative/, child-friendly/)."""
    unknown = langs is None            # plan.yml could not be read: its languages are not known
    langs = langs or Languages()
    language = language or langs.primary
    shown = lambda path: f"content/{year}/{subfolder}/{path.name}"   # noqa: E731
    by_key: dict[str | None, dict[str, Path]] = {}
    findings: list[Finding] = []
    for path in sorted(folder.glob("*.md")):
        base, key = _split(path)
        if key is not None and key == key_of(langs.primary):
            findings.append(Finding(
                "bilingual.narrative-suffix", f"narrative in the plan's primary language ({name_of(langs.primary)}) "
                f"is named without '.{key}'", fix=f"rename it {base}.md", file=shown(path)))
            continue
        if key is not None and key not in langs.keys:
            if unknown:
                continue               # plan.yml's own problems come first
            tag = next(t for t, known in known_languages().items() if known["key"] == key)
            findings.append(Finding(
                "bilingual.narrative-language", f"this is {name_of(tag)} narrative, but plan.yml does not give "
                f"{tag} among the plan's languages, so it would never be published",
                fix=f"add {tag} to 'languages:' in plan.yml (languages: [{', '.join((*langs.all, tag))}]), "
                    f"or move the file out of {subfolder}/", file=shown(path)))
            continue
        by_key.setdefault(key, {})[base] = path
    read_files: dict[Path, object] = {}
    for files in by_key.values():
        for path in files.values():
            narrative, problems = read(path, shown(path))
            findings += problems
            read_files[path] = narrative
    primary = by_key.get(None, {})
    for tag in langs.all[1:]:
        findings += _counterparts(primary, by_key.get(key_of(tag), {}), tag, langs, read_files, shown, subfolder)
    chosen = primary if language == langs.primary else {**primary, **by_key.get(key_of(language), {})}
    if language != langs.primary and not langs.draft:
        # a non-draft plan never mixes languages: a missing counterpart is an error above
        chosen = {base: path for base, path in chosen.items() if path in by_key.get(key_of(language), {}).values()}
    ordered = sorted(chosen, key=lambda base: f"{base}.md")    # as the files sort, so as before
    narratives = [read_files[chosen[base]] for base in ordered if read_files.get(chosen[base])]
    return narratives, findings


def _counterparts(primary: dict[str, Path], other: dict[str, Path], tag: str, langs: Languages,
                  read_files: dict, shown, subfolder: str = "narrative") -> list[Finding]:
    """Each primary narrative file needs its file in `tag`, and the reverse; both for the same heading."""
    findings, key = [], key_of(tag)
    for base in sorted(set(primary) | set(other)):
        first, second = primary.get(base), other.get(base)
        if first and second:
            one, two = read_files.get(first), read_files.get(second)
            if one is not None and two is not None and one.heading != two.heading:
                findings.append(Finding(
                    "bilingual.narrative-heading", f"this {name_of(tag)} file is for the heading '{two.heading}', "
                    f"but {first.name} beside it is for '{one.heading}'",
                    fix=f"write 'heading: {one.heading}' in both, or rename one of them",
                    file=shown(second), line=two.heading_line, field="heading"))
            continue
        present = first or second
        narrative = read_files.get(present)
        line = narrative.heading_line if narrative is not None else None
        if first:
            findings.append(Finding(
                "bilingual.missing-narrative", f"this narrative has no {name_of(tag)} counterpart "
                f"({base}.{key}.md), so the {name_of(tag)} plan would lack this section",
                fix=f"add {subfolder}/{base}.{key}.md with the same 'heading:' and its text in {name_of(tag)}"
                    if subfolder == "narrative" else f"add {subfolder}/{base}.{key}.md with its text in {name_of(tag)}",
                file=shown(first), line=line, field="heading", severity=langs.severity))
        else:
            findings.append(Finding(
                "bilingual.missing-narrative", f"this {name_of(tag)} narrative has no {name_of(langs.primary)} "
                f"counterpart ({base}.md), so the {name_of(langs.primary)} plan would lack this section",
                fix=f"add {subfolder}/{base}.md with the same 'heading:' and its text in {name_of(langs.primary)}, "
                    f"or rename this file to match the {name_of(langs.primary)} one",
                file=shown(second), line=line, field="heading", severity=langs.severity))
    return findings


# --- the checks of what the author wrote, in each language ------------------------------------

def _checked_in_each_language(rule: str) -> bool:
    return any(rule == wanted or (wanted.endswith(".") and rule.startswith(wanted))
               for wanted in _rules()["checked_in_each_language"])


def other_languages(project, loaded: dict | None = None) -> list[Finding]:
    """`yjplan check` reads a plan in its primary language. A bilingual plan's other copy can hold
    what the primary one does not (a phone number typed into the Welsh text, a script in a .cy.md
    file): the checks listed in bilingual.yml `checked_in_each_language` also run on each other
    language's copy, reporting what the primary copy's checks did not (same rule, file, line and
    field). Each string of the templates and rules the copy shows needs its catalogue entry
    (i18n.missing_entries). A plan in one language costs nothing here. `loaded`: the copies
    already loaded (languages.copies), language tag -> project."""
    from . import i18n
    from .check import check_partially
    from .load import load_project
    from .problems import PlanError
    if project is None:
        return []
    others = {tag: [plan.year for plan in project.years if plan.meta is not None and tag in plan.meta.languages[1:]]
              for plan in project.years if plan.meta is not None for tag in plan.meta.languages[1:]}
    findings: list[Finding] = []
    for tag, years in others.items():
        if loaded is not None and tag in loaded:
            copy = loaded[tag]
        else:
            try:
                copy = load_project(project.root, years, language=tag)
            except PlanError as error:
                copy = getattr(error, "project", None)     # what did load; its reading problems are the primary's
        findings += [f for f in check_partially(copy) if _checked_in_each_language(f.rule)]
        findings += i18n.missing_entries(project.root, tag)    # a fixed string the copy would show in English
    return findings


def new_findings(findings: list[Finding], more: list[Finding]) -> list[Finding]:
    """`more` without those already in `findings` (the same rule at the same place)."""
    seen = {(f.rule, f.file, f.line, f.field) for f in findings}
    kept = []
    for finding in more:
        key = (finding.rule, finding.file, finding.line, finding.field)
        if key not in seen:
            seen.add(key)
            kept.append(finding)
    return kept
