"""The plan's own outline (#14 item 7): a council titles and numbers the sections and appendices
of its plan its own way, and adds its own (an annual report, a KPI commentary). plan.yml says so:

    headings:                       # an edition heading or appendix, by its id: title and number
      governance: {title: How we are run, number: 2}
      structure: {title: "Appendix 3: Our structure"}
    sections:                       # the plan's own sections, after an edition heading
      - {id: kpi-commentary, title: Commentary on our KPIs, after: performance}
    appendices:                     # the plan's own appendices, after an edition appendix
      - {id: annual-report, title: Annual report 2024-25, after: budget}

The edition's ids stay, so every check still applies and every required heading is still
required; a local section or appendix is never required. Narrative for any of them is a file in
narrative/ whose front matter names its id (`heading: annual-report`). This module makes the
plan's Guidance from the edition's and reports bad ids; render, the site's nav, the PDF contents
and the compliance appendix then read titles and labels from it (rules.Guidance.label_of).
"""
from __future__ import annotations

import difflib
import re

from . import rules
from .problems import Finding, Severity

CHAPTER_NUMBER = re.compile(r"^(\d+[A-Za-z]?)[.:]\s+(.+)$")                    # "2. How we are run"
APPENDIX_LABEL = re.compile(r"^(?:Appendix|Annex)\s+([0-9A-Za-z]+)\s*[:.\-–]\s*(.+)$", re.I)  # "Appendix 3: ..."


PLURAL = {"section": "sections", "appendix": "appendices"}

def split_title(title: str, appendix: bool) -> tuple[str, str]:
    """(number, title) from a title that carries its own number: "2. How we are run" for a
    section, "Appendix 3: Annual report 2024-25" for an appendix; ("", title) otherwise."""
    match = (APPENDIX_LABEL if appendix else CHAPTER_NUMBER).match(title.strip())
    return (match.group(1), match.group(2).strip()) if match else ("", title.strip())


def _retitled(item: rules.Heading, title: str, number, appendix: bool) -> rules.Heading:
    label, text = split_title(title, appendix) if title else ("", item.title)
    return item.model_copy(update={"title": text or item.title, "label": str(number or label or item.label)})


def _local(part, appendix: bool) -> rules.Heading:
    label, text = split_title(part.title, appendix)
    return rules.Heading(id=part.id, title=text, label=str(part.number or label), required=False, local=True,
                         source="plan.yml", status="local")


def _insert(items: list[rules.Heading], part, new: rules.Heading) -> list[rules.Heading]:
    at = next((i + 1 for i, h in enumerate(items) if h.id == part.after), len(items))
    return [*items[:at], new, *items[at:]]


def apply(guidance: rules.Guidance | None, meta, lines, shown: str) -> tuple[rules.Guidance | None, list[Finding]]:
    """The plan's guidance: the edition's headings and appendices as plan.yml titles them, with
    the plan's own added; and a finding for each id plan.yml names wrongly."""
    if guidance is None or meta is None or not (meta.headings or meta.sections or meta.appendices):
        return guidance, []
    findings: list[Finding] = []
    edition_ids = [h.id for h in guidance.headings] + [a.id for a in guidance.appendices]

    def problem(rule, location, message, fix, severity=Severity.ERROR):
        findings.append(Finding(rule, message, fix=fix, file=shown, line=lines.line_of(location) if lines else None,
                                field=".".join(str(p) for p in location), severity=severity))

    headings, appendices = list(guidance.headings), list(guidance.appendices)
    seen: set[str] = set()
    for kind, parts in (("sections", meta.sections), ("appendices", meta.appendices)):
        targets = headings if kind == "sections" else appendices
        for index, part in enumerate(parts):
            if part.id in edition_ids:
                problem("plan.outline-clash", (kind, index, "id"),
                        f"the local {kind[:-1] if kind == 'sections' else 'appendix'} '{part.id}' has the id of a "
                        f"{guidance.edition} heading or appendix",
                        f"give it an id of its own (e.g. '{part.id}-local'), or retitle the edition's "
                        f"'{part.id}' under 'headings:' instead")
                continue
            if part.id in seen:
                problem("plan.outline-clash", (kind, index, "id"), f"'{part.id}' is named twice in plan.yml",
                        "give each local section and appendix its own id")
                continue
            seen.add(part.id)
            if part.after and part.after not in {h.id for h in targets}:
                known = [h.id for h in targets]
                close = difflib.get_close_matches(part.after, known, n=1)
                problem("plan.outline-after", (kind, index, "after"),
                        f"'{part.after}' is not {'a heading' if kind == 'sections' else 'an appendix'} it can follow",
                        (f"did you mean '{close[0]}'? " if close else "") + f"use one of: {', '.join(known)}")
                continue
            new = _local(part, appendix=kind == "appendices")
            if kind == "sections":
                headings = _insert(headings, part, new)
            else:
                appendices = _insert(appendices, part, new)
    for key, change in meta.headings.items():
        where = next((("h", i) for i, h in enumerate(headings) if h.id == key), None) or \
            next((("a", i) for i, a in enumerate(appendices) if a.id == key), None)
        if where is None:
            known = [*[h.id for h in headings], *[a.id for a in appendices]]
            close = difflib.get_close_matches(key, known, n=1)
            problem("plan.outline-unknown", ("headings", key),
                    f"'{key}' is not a heading or appendix of the {guidance.edition} guidance or of this plan",
                    (f"did you mean '{close[0]}'? " if close else "") + f"use one of: {', '.join(known)}")
            continue
        kind, index = where
        if kind == "h":
            headings[index] = _retitled(headings[index], change.title, change.number, appendix=False)
        else:
            appendices[index] = _retitled(appendices[index], change.title, change.number, appendix=True)
    result = guidance.model_copy(update={"headings": headings, "appendices": appendices})
    for kind, items in (("section", headings), ("appendix", appendices)):
        labels = [result.label_of(item.id) for item in items]
        for item, label in zip(items, labels):
            if labels.count(label) > 1 and (item.label or item.local):
                key = ("headings", item.id) if item.id in meta.headings else ((
                    "sections" if kind == "section" else "appendices"), 0)
                problem("plan.outline-number", key, f"two {PLURAL[kind]} are numbered {label}: the contents would "
                        "repeat it", f"number every {kind} after the one you numbered, or none",
                        Severity.WARNING)
                break
    return result, findings
