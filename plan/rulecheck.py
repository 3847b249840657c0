"""A rule file that is wrong is reported like a content file (#16 "Bad input"): a heading with no
source, a KPI without a definition, a misspelt field, each an error naming the file under
plan/rules/, the line, the field and the fix, never a traceback. rules.py reads every edition,
indicator set and local measure set through `validated`."""
from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ValidationError

from .problems import Finding, PlanError, field_path
from .yamlfile import LineMap, read_yaml

STATUSES = ("confirmed", "provisional", "inferred")
ENTRY_LISTS = {"headings": "heading", "appendices": "appendix", "indicators": "indicator", "measures": "measure"}


def validated(model: type[BaseModel], path: Path) -> BaseModel:
    """The rule file at `path` as `model`; PlanError with every problem in it otherwise."""
    shown = f"plan/rules/{path.name}"
    data, lines, findings = read_yaml(path, shown)
    if findings:
        raise PlanError(findings)
    findings = unsourced(data, lines, shown) if isinstance(data, dict) else []
    try:
        result = model.model_validate(data)
    except ValidationError as exc:
        findings += [_invalid(error, data, lines, shown) for error in exc.errors()]
    if findings:
        raise PlanError(findings)
    return result


def _line(lines: LineMap, location: tuple) -> int | None:
    """The line of `location`, or of the nearest entry above it (a missing field has none)."""
    for end in range(len(location), 0, -1):
        if (line := lines.line_of(tuple(location[:end]))) is not None:
            return line
    return None


def _entry_name(data, location: tuple) -> str:
    """'the heading \\'governance\\'' for a location inside a listed entry, else 'the file'."""
    if len(location) >= 2 and location[0] in ENTRY_LISTS and isinstance(location[1], int):
        try:
            entry = data[location[0]][location[1]]
        except (KeyError, IndexError, TypeError):
            entry = {}
        name = entry.get("id", f"number {location[1] + 1}") if isinstance(entry, dict) else f"number {location[1] + 1}"
        return f"the {ENTRY_LISTS[location[0]]} '{name}'"
    return "the file"


def _invalid(error: dict, data, lines: LineMap, shown: str) -> Finding:
    location = tuple(error["loc"])
    where, name = _entry_name(data, location), str(location[-1]) if location else ""
    if error["type"] == "missing":
        message = f"{where} has no '{name}'"
        fix = (f"add '{name}:' to it" + (": what the indicator measures, in its source's words"
                                         if name == "definition" else ""))
    elif error["type"] == "extra_forbidden":
        message, fix = f"'{name}' is not a field a rule file may have here", "check the spelling, or remove it"
    else:
        message, fix = f"{where}: '{name}' {error['msg'].lower()}", "correct the value"
    return Finding("rules.invalid", message, fix=fix, file=shown, line=_line(lines, location),
                   field=field_path(location))


def unsourced(data: dict, lines: LineMap, shown: str) -> list[Finding]:
    """Every entry names a source of the file's `sources:` and a status (#16: every rule carries
    its source, so the compliance appendix and `check --explain` can cite it)."""
    sources = data.get("sources") or {}
    findings = []
    entries = [((), data)] + [((key, index), item) for key in ENTRY_LISTS
                              for index, item in enumerate(data.get(key) or []) if isinstance(item, dict)]
    for location, entry in entries:
        where = _entry_name(data, location) if location else "the file"
        if entry.get("source") not in sources:
            findings.append(Finding(
                "rules.no-source", f"{where} names no source" if not entry.get("source")
                else f"{where} names the source '{entry['source']}', which is not under 'sources:'",
                fix=f"add 'source:' with one of {', '.join(sources) or 'the keys of sources: (add one)'}: "
                    "where the rule comes from", file=shown, line=_line(lines, location),
                field=field_path((*location, "source"))))
        if entry.get("status") not in STATUSES:
            findings.append(Finding(
                "rules.no-source", f"{where} has no status" if not entry.get("status")
                else f"{where} has the status '{entry['status']}'",
                fix=f"add 'status:' {', '.join(STATUSES)}: how sure the rule is", file=shown,
                line=_line(lines, location), field=field_path((*location, "status"))))
    return findings
