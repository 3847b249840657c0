"""Stage 2, check: turn a loaded plan into findings, each with a severity, a rule id, the place
it applies to and a fix. `yjplan check` prints them; `yjplan build` refuses to publish a plan
with errors unless it is a draft.

The statutory requirements come from the checklist in compliance.py (re-exported here), which
the plan also publishes as an appendix showing where it meets each one.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path

from markdown_it import MarkdownIt

from . import privacy, rules
from .derive import budget, publication_rules
from .labels import label   # yjplan #16: dated wording in messages
from .compliance import (  # noqa: F401  (re-exported: check is where callers look for them)
    Requirement, approval_steps, compliance, statutory, submission_due)
from .load import Narrative, PlanYear, Project, year_name
from .problems import Finding, Severity
from .inspectioncheck import CHECKS as inspection_checks
from .joint import CHECKS as joint_checks   # joint services: authorities, their approvals
from .areacheck import unused_areas      # project-wide: data/areas.csv against every plan year
from .rates import service_rate_only   # published rates: the service's own figure as a rate alone
from .services import CHECKS as services_checks
from .sanitize import narrative_security, paths_inside_project
from .smallcounts import small_counts_in_text
from .typedstats import typed_statistics
from .childvoice import child_safety
from .childfriendly import child_friendly_present, same_checks_as_narrative, small_counts as child_friendly_counts
from .readability import reading_levels
from .unknown import CHECKS as unknown_checks, known

Check = Callable[[PlanYear], Iterator[Finding]]


def _finding(plan: PlanYear, name: str, location: tuple, rule: str, message: str, fix: str,
             severity: Severity = Severity.ERROR) -> Finding:
    return plan.finding(name, location, rule, message, fix, severity)


def _day(date: dt.date) -> str:
    return f"{date.day} {date:%B %Y}"


def period_in_order(plan: PlanYear) -> Iterator[Finding]:
    period = plan.meta.period
    if period.end < period.start:
        yield _finding(plan, "plan.yml", ("period", "end"), "plan.period-order",
                       f"the plan period ends ({_day(period.end)}) before it starts ({_day(period.start)})",
                       "check both dates: 'start' is the plan's first day and 'end' its last, "
                       "e.g. period: {start: 2025-04-01, end: 2026-03-31}")


def folder_matches_period(plan: PlanYear) -> Iterator[Finding]:
    """The folder names the year the site publishes under: it must be the plan's own."""
    expected = year_name(plan.meta.period.start.year)
    if plan.year != expected:
        yield _finding(plan, "plan.yml", ("period", "start"), "plan.period-year",
                       f"the folder is content/{plan.year}/ but the plan period starts "
                       f"{_day(plan.meta.period.start)}, so it is the {expected} plan",
                       f"rename the folder to content/{expected}/, or correct the period in plan.yml")


def signed_before_approval(plan: PlanYear) -> Iterator[Finding]:
    """The chair signs the plan off before the council approves it, not after."""
    signed = plan.meta.sign_off.date
    council = approval_steps(plan).get("council")
    if signed is not None and council is not None and signed > council:
        yield _finding(plan, "plan.yml", ("sign_off", "date"), "plan.sign-off-after-approval",
                       f"the plan was signed off on {_day(signed)}, after the council approved it on "
                       f"{_day(council)}", "correct the sign-off date or the council's approval date: "
                       "the chair signs off the plan before it goes to the council")


def statutory_requirements(plan: PlanYear) -> Iterator[Finding]:
    # A draft is still being written: missing approvals are expected, so they only warn.
    pending = {"guidance.sign-off", "guidance.submission-date", "guidance.approval-route"}
    for requirement in compliance(plan):
        if not requirement.met:
            pending_draft = plan.meta.is_draft and requirement.rule in pending
            severity = Severity.WARNING if pending_draft or requirement.severity == "warning" else Severity.ERROR
            yield Finding(requirement.rule, f"{requirement.text}: {requirement.where} ({requirement.law})",
                          fix=requirement.fix, file=requirement.file, line=requirement.line,
                          field=requirement.field, severity=severity)


def national_priority_areas(plan: PlanYear) -> Iterator[Finding]:
    """Each national priority area a sub-heading of its section, in the plan's language (a plan
    whose primary language is Welsh writes 'Atal', the catalogue's Welsh for 'Prevention')."""
    from . import i18n
    for heading in plan.guidance.headings:
        narrative = next((n for n in plan.narratives if n.heading == heading.id), None)
        if narrative is None or not heading.subheadings:
            continue
        def same(title: str) -> str:      # case and the apostrophe's form aside (wedi'u, wedi’u)
            return title.lower().replace("’", "'")
        written = {same(title) for _, level, title in _headings(narrative) if level == 2}
        for wanted in (i18n.gettext(sub, plan.meta.language) for sub in heading.subheadings):
            if same(wanted) not in written:
                yield Finding("guidance.priority-area", f"the section '{heading.title}' has no sub-heading '{wanted}'",
                              fix=f"add '## {wanted}' and say what the service does about it", file=narrative.file)


def one_file_per_heading(plan: PlanYear) -> Iterator[Finding]:
    """Two narrative files for one heading: only one could be published, so neither is chosen."""
    first: dict[str, Narrative] = {}
    for narrative in plan.narratives:
        if narrative.heading not in first:
            first[narrative.heading] = narrative
            continue
        earlier = first[narrative.heading]
        yield Finding("narrative.duplicate-heading",
                      f"this file and {earlier.file} are both for the heading '{narrative.heading}': only one "
                      "could be published, and the other's whole text would be lost",
                      fix=f"merge the two files into one, or change 'heading:' in one of them to the heading it "
                          "is meant for", file=narrative.file, line=narrative.heading_line, field="heading")


def load_warnings(plan: PlanYear) -> Iterator[Finding]:
    """Warnings found while reading the files (e.g. a stray file nobody will see published)."""
    yield from plan.warnings


def edition_fits_period(plan: PlanYear) -> Iterator[Finding]:
    """An edition written for other years asks for the wrong headings, deadline and grant: say
    which edition was written for this plan's period (each edition's `fits:`)."""
    fits, start = plan.guidance.fits, plan.meta.period.start
    if fits.holds(start):
        return
    wanted = rules.edition_for(start)
    span = (f"from {_day(fits.start)}" if fits.start else "") + (" " if fits.start and fits.end else "") + \
        (f"to {_day(fits.end)}" if fits.end else "")
    yield _finding(plan, "plan.yml", ("guidance",), "guidance.edition-period",
                   f"the {plan.guidance.edition} guidance was written for plans {span}, but this plan starts on "
                   f"{_day(start)}", f"use 'guidance: {wanted}', the edition for plans starting then" if wanted
                   else "check which guidance edition applies to this period", severity=Severity.WARNING)


# Which blocks show each optional file: a file no block of the plan's edition shows is not published.
FILE_BLOCKS = {"inspection.yml": {"inspection"}, "services.yml": {"services"}}


def content_shown(plan: PlanYear) -> Iterator[Finding]:
    blocks = {b for h in [*plan.guidance.headings, *plan.guidance.appendices] for b in h.blocks}
    for name, shown_by in FILE_BLOCKS.items():
        if (plan.folder / name).is_file() and not shown_by & blocks:
            yield Finding("content.not-shown", f"the {plan.guidance.edition} guidance has no place for {name}, "
                          "so it will not be published", file=plan.shown(name), severity=Severity.WARNING,
                          fix=f"describe it in the narrative if the plan should mention it, or delete {name}; "
                              "a later guidance edition (e.g. yjb-2024) shows it")


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
                       f"the grant allocation adds up to £{figures.grant_allocated:,} but the "
                       f"{label('grant', plan.meta.period.start, plan.meta.nation)} "   # #16: dated name
                       f"(the 'yjb' row) is £{figures.grant:,}: £{abs(gap):,} {'unallocated' if gap > 0 else 'too much'}",
                       "make the costs in grant_allocation add up to the yjb row's total")


def attendance_within_meetings(plan: PlanYear) -> Iterator[Finding]:
    held = plan.governance.meetings_held
    if not known(held):
        return          # nothing to compare with: a figure not recorded is not a zero
    for index, member in enumerate(plan.governance.members):
        if known(member.attended) and member.attended > held:
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

def no_personal_contact_details(plan: PlanYear) -> Iterator[Finding]:
    """Personal contact details, named officers' mailboxes and direct lines, and look-alike or
    invisible characters, in every text of the plan (plan/privacy.py)."""
    return privacy.plan_findings(plan)


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


def pictures_used(plan: PlanYear) -> Iterator[Finding]:
    """A picture in the year's folder that no narrative names is not published: say so."""
    from .load import IMAGE_TYPES, IMAGES, NARRATIVE
    text = "\n".join(n.body for n in plan.narratives)
    for folder in (plan.folder, plan.folder / IMAGES, plan.folder / NARRATIVE):
        for path in sorted(folder.iterdir()) if folder.is_dir() else ():
            if path.is_file() and path.suffix.lower() in IMAGE_TYPES and path.name not in text \
                    and path.name != Path(plan.meta.logo or "").name:
                shown = plan.shown(str(path.relative_to(plan.folder)))
                yield Finding("content.unused-picture", "no narrative file shows this picture, so it is not published",
                              fix=f"show it in a narrative file, e.g. ![what it shows]({path.name}) with its path "
                                  "from that file, or move it out of content/", file=shown, severity=Severity.WARNING)


CHECKS: list[Check] = [
    period_in_order, folder_matches_period, signed_before_approval,
    load_warnings, statutory_requirements, national_priority_areas, one_file_per_heading, content_shown,
    edition_fits_period,
    budget_rows_add_up, grant_allocation_adds_up, attendance_within_meetings, one_chair,
    secondees_name_their_employer,
    no_personal_contact_details, small_counts_in_text, typed_statistics,
    headings_in_order, links_and_images_described, tables_have_headers,
    glossary_covers_abbreviations,
    narrative_security, paths_inside_project, pictures_used,
    *inspection_checks, *unknown_checks, *services_checks, *joint_checks,
    child_safety, child_friendly_present, child_friendly_counts, same_checks_as_narrative, reading_levels,
]


def check_plan(plan: PlanYear) -> list[Finding]:
    return [finding for check in CHECKS for finding in check(plan)]


def check_project(project: Project) -> list[Finding]:
        return ([finding for plan in project.years for finding in check_plan(plan)] + privacy.site_findings(project)
                + unused_areas(project) + service_rate_only(project))


def check_partially(project: Project | None) -> list[Finding]:
    """The checks that can run on what did load (load.load_project's PlanError.project): a
    check that needs a file that could not be read is skipped, the others report."""
    findings = []
    for plan in project.years if project else ():
        for check in CHECKS:
            if check is load_warnings:
                continue    # already among the load error's findings
            try:
                findings += list(check(plan))
            except (AttributeError, TypeError, KeyError):
                continue    # it needs something missing, already reported by load
    return findings
