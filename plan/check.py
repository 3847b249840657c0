"""Stage 2, check: turn a loaded plan into findings, each with a severity, a rule id, the place
it applies to and a fix. `yjplan check` prints them; `yjplan build` refuses to publish a plan
with errors unless it is a draft.

The statutory requirements are also returned as a checklist (`compliance`), which the plan
publishes as an appendix showing where it meets each one.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

import yaml
from markdown_it import MarkdownIt
from pydantic import BaseModel

from . import rules
from .derive import budget, publication_rules
from .load import Narrative, PlanYear, Project
from .models import Partner
from .problems import Finding, Severity
from .sanitize import narrative_security, paths_inside_project

Check = Callable[[PlanYear], Iterator[Finding]]


@cache
def statutory() -> dict:
    return yaml.safe_load((rules.RULES_DIR / "statutory.yml").read_text(encoding="utf-8"))


def _finding(plan: PlanYear, name: str, location: tuple, rule: str, message: str, fix: str,
             severity: Severity = Severity.ERROR) -> Finding:
    lines = plan.lines.get(name)
    dotted = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in location).replace(".[", "[")
    return Finding(rule, message, fix=fix, file=plan.shown(name), line=lines.line_of(location) if lines else None,
                   field=dotted, severity=severity)


# --- the statutory checklist --------------------------------------------------------------------

@dataclass
class Requirement:
    rule: str
    law: str                  # where the duty comes from
    text: str                 # what the plan must show
    met: bool
    where: str                # where the plan meets it, or what is missing
    file: str = ""            # where to fix it, when not met
    fix: str = ""


def _section(plan: PlanYear, heading_id: str, appendix: bool = False) -> str:
    items = plan.guidance.appendices if appendix else plan.guidance.headings
    for index, heading in enumerate(items):
        if heading.id == heading_id:
            label = chr(ord("A") + index) if appendix and plan.guidance.appendix_style == "letters" else str(index + 1)
            return f"{'Appendix' if appendix else 'Section'} {label}: {heading.title}"
    return "the plan"


def _text_of(plan: PlanYear) -> str:
    return "\n".join(n.body for n in plan.narratives).lower()


def _contributes(plan: PlanYear, partner: Partner) -> bool:
    return any(c.partner is partner and c.computed_total > 0 for c in plan.finance.contributions)


def _on_board(plan: PlanYear, partner: Partner) -> bool:
    return any(m.partner is partner for m in plan.governance.members)


def compliance(plan: PlanYear) -> list[Requirement]:
    """Each statutory requirement, whether the plan meets it, and where."""
    law = statutory()
    text = _text_of(plan)
    resources, finance = _section(plan, "resources"), _section(plan, "budget", appendix=True)
    narrative_dir = f"content/{plan.year}/narrative/"
    result = []

    missing = [s["name"] for s in law["s38_services"] if not any(w in text for w in s["words"])]
    result.append(Requirement(
        "s40.services-provided", "Crime and Disorder Act 1998 s.40(1)(a)",
        "How youth justice services are provided, and who delivers them", not missing,
        resources if not missing else "not described: " + "; ".join(missing), narrative_dir,
        "describe how each of these services is provided and by whom: " + "; ".join(missing)))

    absent = [p for p in (Partner.LOCAL_AUTHORITY, *map(Partner, law["statutory_partners"])) if not _contributes(plan, p)]
    result.append(Requirement(
        "s40.services-funded", "Crime and Disorder Act 1998 s.40(1)(a)",
        "How youth justice services are funded, with each statutory partner's contribution", not absent,
        finance if not absent else "no contribution from: " + ", ".join(p.value for p in absent),
        plan.shown("finance.yml"), "add a contribution row (money or in kind) for: " + ", ".join(p.value for p in absent)))

    roles = {p.role.value for p in plan.staffing.posts if p.role}
    lacking = [key for key in law["s39_roles"] if key not in roles]
    result.append(Requirement(
        "s39.team-members", "Crime and Disorder Act 1998 s.39(5)",
        "The team includes a probation officer, social worker, police officer, health nominee and education nominee",
        not lacking, _section(plan, "staffing", appendix=True) if not lacking
        else "the team has no " + "; no ".join(law["s39_roles"][k] for k in lacking),
        plan.shown("staffing.yml"), "add the post(s) with 'role: " + "', 'role: ".join(lacking) + "'"))

    result.append(Requirement(
        "s40.team-composed", "Crime and Disorder Act 1998 s.40(1)(b)", "How the team is composed",
        bool(plan.staffing.posts), _section(plan, "staffing", appendix=True), plan.shown("staffing.yml"),
        "list the team's posts in staffing.yml"))
    result.append(Requirement(
        "s40.team-funded", "Crime and Disorder Act 1998 s.40(1)(b)", "How the team is funded",
        bool(plan.finance.contributions), finance, plan.shown("finance.yml"), "add the budget contributions"))
    operates = bool(plan.governance.reports_to) and bool(plan.governance.meeting_frequency)
    result.append(Requirement(
        "s40.team-operates", "Crime and Disorder Act 1998 s.40(1)(b)",
        "How the team operates: governance, reporting lines and meetings", operates,
        _section(plan, "governance") if operates else "no reporting lines recorded",
        plan.shown("governance.yml"), "add 'reports_to:' lines to governance.yml"))
    result.append(Requirement(
        "s40.team-functions", "Crime and Disorder Act 1998 s.40(1)(b)", "What functions the team carries out",
        not missing, resources if not missing else "functions not described: " + "; ".join(missing), narrative_dir,
        "describe the team's functions in the resources section"))

    for partner in map(Partner, law["statutory_partners"]):
        ok = _contributes(plan, partner) and _on_board(plan, partner)
        gaps = [w for w, fine in (("does not contribute", _contributes(plan, partner)),
                                  ("is not on the board", _on_board(plan, partner))) if not fine]
        result.append(Requirement(
            f"partners.{partner.value}", "Crime and Disorder Act 1998 s.38 and s.39",
            f"The {partner.value} partner contributes (money or in kind) and sits on the management board", ok,
            f"{finance}; {_section(plan, 'board', appendix=True)}" if ok else f"{partner.value} " + " and ".join(gaps),
            plan.shown("finance.yml" if not _contributes(plan, partner) else "governance.yml"),
            f"add a {partner.value} contribution to finance.yml and a {partner.value} member to governance.yml"))

    chair = plan.governance.chair
    result.append(Requirement(
        "governance.chair", "YJB guidance: governance", "The management board has a chair", chair is not None,
        f"{_section(plan, 'board', appendix=True)}: {chair.name}" if chair else "no member has 'position: chair'",
        plan.shown("governance.yml"), "mark the chair with 'position: chair'"))

    written = {n.heading for n in plan.narratives}
    absent_headings = [h.title for h in plan.guidance.headings if h.id not in written]
    result.append(Requirement(
        "guidance.headings", f"YJB guidance ({plan.guidance.title})", "Every heading of the guidance is covered",
        not absent_headings, "Sections 1 to " + str(len(plan.guidance.headings)) if not absent_headings
        else "missing: " + "; ".join(absent_headings), narrative_dir, "add a narrative file for each missing heading"))

    sign_off = plan.meta.sign_off
    signed_by_chair = bool(chair) and sign_off.name == chair.name and sign_off.date is not None
    result.append(Requirement(
        "guidance.sign-off", "YJB guidance: sign off", "Signed off by the chair of the management board, with a date",
        signed_by_chair, _section(plan, "sign-off") if signed_by_chair
        else ("not signed" if sign_off.date is None else f"signed by {sign_off.name}, who is not the board's chair"),
        plan.shown("plan.yml"), "give sign_off the chair's name and the date they signed"))

    due = submission_due(plan)
    in_time = sign_off.date is not None and sign_off.date <= due
    result.append(Requirement(
        "guidance.submission-date", "Crime and Disorder Act 1998 s.40(4); YJB grant conditions",
        f"Signed off in time for submission to the YJB by {due:%d %B %Y}", in_time,
        f"signed off {sign_off.date:%d %B %Y}" if in_time else
        ("not yet signed off" if sign_off.date is None else f"signed off {sign_off.date:%d %B %Y}, after the deadline"),
        plan.shown("plan.yml"), "sign off the plan before the submission date, or record the agreed date in submission_due"))

    steps = approval_steps(plan)
    route = [s for s in law["approval_route"]]
    missing_steps = [s["name"] for s in route if s["step"] not in steps]
    order = [steps[s["step"]] for s in route if s["step"] in steps]
    in_order = order == sorted(order)
    result.append(Requirement(
        "guidance.approval-route", "YJB guidance; the council's constitution",
        "Approval route recorded: board, submission to the YJB, cabinet or committee, full council",
        not missing_steps and in_order,
        "recorded in " + _section(plan, "sign-off") if not missing_steps and in_order
        else ("not recorded: " + "; ".join(missing_steps) if missing_steps else "the dates are out of order"),
        plan.shown("plan.yml"), "record each approval in plan.yml 'approvals', with its date"))
    return result


def submission_due(plan: PlanYear) -> dt.date:
    if plan.meta.submission_due:
        return plan.meta.submission_due
    month, day = (int(x) for x in plan.guidance.submission_due.split("-"))
    return dt.date(plan.meta.period.start.year, month, day)


def approval_steps(plan: PlanYear) -> dict[str, dt.date]:
    """The date of each step of the approval route that plan.yml records."""
    law = statutory()
    by_step = {s["step"]: s for s in law["approval_route"]}
    found: dict[str, dt.date] = {}
    for approval in plan.meta.approvals:
        body = approval.body.lower()
        step = next((key for key in law["match_order"] if any(w in body for w in by_step[key]["words"])), None)
        if step and step not in found:
            found[step] = approval.date
    return found


def statutory_requirements(plan: PlanYear) -> Iterator[Finding]:
    # A draft is still being written: missing approvals are expected, so they only warn.
    pending = {"guidance.sign-off", "guidance.submission-date", "guidance.approval-route"}
    for requirement in compliance(plan):
        if not requirement.met:
            severity = Severity.WARNING if plan.meta.is_draft and requirement.rule in pending else Severity.ERROR
            yield Finding(requirement.rule, f"{requirement.text}: {requirement.where} ({requirement.law})",
                          fix=requirement.fix, file=requirement.file, severity=severity)


def national_priority_areas(plan: PlanYear) -> Iterator[Finding]:
    for heading in plan.guidance.headings:
        narrative = next((n for n in plan.narratives if n.heading == heading.id), None)
        if narrative is None or not heading.subheadings:
            continue
        written = {title.lower() for _, level, title in _headings(narrative) if level == 2}
        for wanted in heading.subheadings:
            if wanted.lower() not in written:
                yield Finding("guidance.priority-area", f"the section '{heading.title}' has no sub-heading '{wanted}'",
                              fix=f"add '## {wanted}' and say what the service does about it", file=narrative.file)


# --- arithmetic -------------------------------------------------------------------------------

def budget_rows_add_up(plan: PlanYear) -> Iterator[Finding]:
    for index, row in enumerate(plan.finance.contributions):
        if row.total is not None and row.total != row.computed_total:
            yield _finding(plan, "finance.yml", ("contributions", index, "total"), "finance.row-total",
                           f"the {row.agency} row says its total is £{row.total:,} but staffing, in kind and "
                           f"other add up to £{row.computed_total:,}",
                           "delete the 'total:' line (yjplan computes it) or correct the amounts")


def grant_allocation_adds_up(plan: PlanYear) -> Iterator[Finding]:
    figures = budget(plan)
    if plan.finance.grant_allocation and figures.grant_allocated != figures.grant:
        gap = figures.grant - figures.grant_allocated
        yield _finding(plan, "finance.yml", ("grant_allocation",), "finance.grant-allocation",
                       f"the grant allocation adds up to £{figures.grant_allocated:,} but the YJB grant "
                       f"(the 'yjb' row) is £{figures.grant:,}: £{abs(gap):,} {'unallocated' if gap > 0 else 'too much'}",
                       "make the costs in grant_allocation add up to the yjb row's total")


def attendance_within_meetings(plan: PlanYear) -> Iterator[Finding]:
    held = plan.governance.meetings_held
    for index, member in enumerate(plan.governance.members):
        if member.attended > held:
            yield _finding(plan, "governance.yml", ("members", index, "attended"), "governance.attendance",
                           f"{member.name} attended {member.attended} meetings but only {held} were held",
                           "correct 'attended' or 'meetings_held'")


def one_chair(plan: PlanYear) -> Iterator[Finding]:
    chairs = [m for m in plan.governance.members if m.position == "chair"]
    if len(chairs) > 1:
        yield _finding(plan, "governance.yml", ("members",), "governance.chair",
                       f"the board has {len(chairs)} chairs: " + ", ".join(m.name for m in chairs),
                       "mark only one member 'position: chair' (others 'vice-chair' or 'member')")


def secondees_name_their_employer(plan: PlanYear) -> Iterator[Finding]:
    for index, post in enumerate(plan.staffing.posts):
        if post.contract == "secondee" and post.seconded_from is None:
            yield _finding(plan, "staffing.yml", ("posts", index, "seconded_from"), "staffing.secondee",
                           f"the {post.post} post is a secondment but does not say where from",
                           "add 'seconded_from:' with the partner (police, probation, health, education ...)")


# --- publication safety -----------------------------------------------------------------------

def _strings(value, location=()):
    """Every text value in a model, with its location."""
    if isinstance(value, str):
        yield location, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, location + (index,))
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _strings(getattr(value, name), location + (name,))


EMAIL = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")


def _personal_contacts(text: str) -> list[str]:
    safety = publication_rules()
    found = [m.group(0) for m in EMAIL.finditer(text)
             if not any(m.group(1).lower().endswith(d) for d in safety["organisational_email_domains"])]
    return found + re.findall(safety["personal_phone_pattern"], text)


def no_personal_contact_details(plan: PlanYear) -> Iterator[Finding]:
    files = {"plan.yml": plan.meta, "governance.yml": plan.governance, "finance.yml": plan.finance,
             "staffing.yml": plan.staffing, "champions.yml": plan.champions, "priorities.yml": plan.priorities,
             "risks.yml": plan.risks, "inspection.yml": plan.inspection, "glossary.yml": plan.glossary}
    fix = "publish an organisational mailbox or switchboard number instead, or remove it"
    for name, model in files.items():
        for location, text in _strings(model) if model else ():
            for contact in _personal_contacts(text):
                yield _finding(plan, name, location, "privacy.contact",
                               f"'{contact}' looks like a personal e-mail address or phone number", fix)
    for narrative in plan.narratives:
        for number, line in enumerate(narrative.body.splitlines(), narrative.body_line):
            for contact in _personal_contacts(line):
                yield Finding("privacy.contact", f"'{contact}' looks like a personal e-mail address or phone number",
                              fix=fix, file=narrative.file, line=number)


# --- accessibility of what the Head of Service wrote ----------------------------------------

def _tokens(narrative: Narrative):
    return _parse_markdown(narrative.body)


@lru_cache(maxsize=512)
def _parse_markdown(text: str) -> list:
    # Cached by text: the preview checks every page on each save, and most have not changed.
    return MarkdownIt("commonmark").enable("table").parse(text)


def _headings(narrative: Narrative):
    tokens = _tokens(narrative)
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            yield token.map[0] + narrative.body_line, int(token.tag[1]), tokens[index + 1].content.strip()


def headings_in_order(plan: PlanYear) -> Iterator[Finding]:
    for narrative in plan.narratives:
        previous = 1   # the page title is the level-1 heading
        for line, level, title in _headings(narrative):
            if level == 1:
                yield Finding("a11y.heading-title", f"'# {title}' repeats the page's title level",
                              fix="start sections with '##' (yjplan adds the page title)", file=narrative.file, line=line)
            elif level > previous + 1:
                yield Finding("a11y.heading-skip", f"the heading '{title}' jumps from level {previous} to {level}",
                              fix=f"use {'#' * (previous + 1)} here, or add the missing level above it",
                              file=narrative.file, line=line)
            previous = level


def links_and_images_described(plan: PlanYear) -> Iterator[Finding]:
    vague = {t.lower() for t in publication_rules()["vague_link_texts"]}
    for narrative in plan.narratives:
        for block in _tokens(narrative):
            if block.type != "inline" or not block.children:
                continue
            line = block.map[0] + narrative.body_line if block.map else narrative.body_line
            children = block.children
            for index, token in enumerate(children):
                if token.type == "link_open":
                    text = ""
                    for inner in children[index + 1:]:
                        if inner.type == "link_close":
                            break
                        text += inner.content
                    if text.strip().lower().strip(".") in vague or not text.strip():
                        yield Finding("a11y.link-text", f"the link text '{text.strip()}' does not say where the link goes",
                                      fix="use words that name the destination, e.g. 'the YJB's guidance on plans'",
                                      file=narrative.file, line=line)
                if token.type == "image" and not token.content.strip():
                    yield Finding("a11y.image-alt", "an image has no alternative text",
                                  fix="write what the image shows between the square brackets: ![a description](file)",
                                  file=narrative.file, line=line)


def tables_have_headers(plan: PlanYear) -> Iterator[Finding]:
    for narrative in plan.narratives:
        for number, line in enumerate(narrative.body.splitlines(), narrative.body_line):
            if "<table" in line.lower() and "<th" not in narrative.body.lower():
                yield Finding("a11y.table-header", "an HTML table has no header cells",
                              fix="write the table in Markdown (its first row becomes the header) or add <th> cells",
                              file=narrative.file, line=number)
        # Markdown tables always have a header row; empty header cells are the failure.
        tokens, table_line, reported = _tokens(narrative), 0, set()
        for index, token in enumerate(tokens):
            if token.type == "table_open":
                table_line = token.map[0] + narrative.body_line
            empty = token.type == "th_open" and not tokens[index + 1].content.strip()
            if empty and table_line not in reported:
                reported.add(table_line)
                yield Finding("a11y.table-header", "a table has an empty header cell",
                              fix="give every column a heading", file=narrative.file, line=table_line)


# --- the glossary ----------------------------------------------------------------------------

ACRONYM = re.compile(r"\b[A-Z][A-Z&]{1,}[a-z]?\b(?!\.[A-Z])")   # not GOV in GOV.UK


def glossary_covers_abbreviations(plan: PlanYear) -> Iterator[Finding]:
    known = {t.term.split(" ")[0].strip("()") for t in plan.glossary.terms} | {"UK", "I", "A", "NHS"}
    reported = set()
    for narrative in plan.narratives:
        text = re.sub(r"\{\{.*?\}\}|\(http[^)]*\)", "", narrative.body)
        for number, line in enumerate(text.splitlines(), narrative.body_line):
            for term in ACRONYM.findall(line):
                if term not in known and term not in reported:
                    reported.add(term)
                    yield Finding("glossary.missing-term", f"'{term}' is used but not explained in the glossary",
                                  fix=f"add '{term}' with its meaning to glossary.yml", file=narrative.file,
                                  line=number, severity=Severity.WARNING)


CHECKS: list[Check] = [
    statutory_requirements, national_priority_areas,
    budget_rows_add_up, grant_allocation_adds_up, attendance_within_meetings, one_chair,
    secondees_name_their_employer,
    no_personal_contact_details,
    headings_in_order, links_and_images_described, tables_have_headers,
    glossary_covers_abbreviations,
    narrative_security, paths_inside_project,
]


def check_plan(plan: PlanYear) -> list[Finding]:
    return [finding for check in CHECKS for finding in check(plan)]


def check_project(project: Project) -> list[Finding]:
    return [finding for plan in project.years for finding in check_plan(plan)]
