"""Stage 2, check: turn a loaded plan into findings, each with a severity, a rule id, the
place it applies to and a fix. `yjplan check` prints them; `yjplan build` refuses to publish a
plan with errors unless it is a draft."""
from __future__ import annotations

from collections.abc import Callable, Iterator

from .derive import budget
from .load import PlanYear, Project
from .models import Partner
from .problems import Finding, Severity

Check = Callable[[PlanYear], Iterator[Finding]]


def _finding(plan: PlanYear, name: str, location: tuple, rule: str, message: str, fix: str,
             severity: Severity = Severity.ERROR) -> Finding:
    lines = plan.lines.get(name)
    dotted = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in location).replace(".[", "[")
    return Finding(rule, message, fix=fix, file=plan.shown(name), line=lines.line_of(location) if lines else None,
                   field=dotted, severity=severity)


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


# --- guidance -----------------------------------------------------------------------------------

def every_heading_written(plan: PlanYear) -> Iterator[Finding]:
    written = {n.heading for n in plan.narratives}
    for heading in plan.guidance.headings:
        if heading.id not in written:
            yield Finding("guidance.heading-missing",
                          f"the plan has no section for the guidance heading '{heading.title}'",
                          fix=f"add a file in content/{plan.year}/narrative/ with front matter 'heading: {heading.id}'",
                          file=f"content/{plan.year}/narrative/")


def board_has_chair(plan: PlanYear) -> Iterator[Finding]:
    chairs = [m for m in plan.governance.members if m.position == "chair"]
    if len(chairs) != 1:
        yield _finding(plan, "governance.yml", ("members",), "governance.chair",
                       f"the board must have exactly one chair; it has {len(chairs)}",
                       "mark one member 'position: chair'")


CHECKS: list[Check] = [
    budget_rows_add_up, grant_allocation_adds_up, attendance_within_meetings,
    every_heading_written, board_has_chair,
]


def check_plan(plan: PlanYear) -> list[Finding]:
    return [finding for check in CHECKS for finding in check(plan)]


def check_project(project: Project) -> list[Finding]:
    return [finding for plan in project.years for finding in check_plan(plan)]
