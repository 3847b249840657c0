"""Unknown is a value, not a zero; board seats as they really are.

A figure the service does not have is written `not recorded` (an approval still to come: `date:
to follow`); the plan says so, every figure worked out from it is "not available", and no sentence
reads "met 0 times" or "0 of 0". A board seat may be vacant, shared or filled by a deputy.
In-process: load, check, derive and render one year of a copy of the sample."""
from __future__ import annotations

import re

import pytest
import yaml

from plan.check import check_project
from plan.derive import derive
from plan.load import load_project
from plan.problems import PlanError, Severity
from plan.render import render_year

YEAR = "2025-26"


def _file(root, name):
    return root / "content" / YEAR / name


def _edit(root, name, change):
    """Load a YAML file of the plan, change it, write it back."""
    path = _file(root, name)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _built(root):
    """(project, plan, derived, {page slug: Markdown}, findings) of the year."""
    project = load_project(root, [YEAR])
    plan = project.years[0]
    derived = derive(project, plan)
    pages = {p.slug: p.body for p in render_year(project, plan, derived).pages}
    return project, plan, derived, pages, check_project(project)


def _page(pages, ending):
    return next(body for slug, body in pages.items() if slug.endswith(ending))


def _board_page(pages):
    return _page(pages, "-board")


def _rules(findings, rule):
    return [f for f in findings if f.rule == rule]


# --- 4. unknown is a value ----------------------------------------------------------------------

def test_meetings_not_recorded_show_as_not_recorded_never_zero(project_copy):
    _edit(project_copy, "governance.yml", lambda d: d.update(meetings_held="not recorded"))
    _, _, derived, pages, findings = _built(project_copy)
    board = _board_page(pages)
    assert "meetings the board held in the year is not recorded" in board
    assert "attendance is not available" in board
    assert not re.search(r"\b0 of 0\b|met 0 times|\bof not recorded\b", board)
    assert "<td class=\"num\">6</td>" in board           # each member's attendance, without "of ..."
    assert derived.variables["board"]["meetings_held"] == "not recorded"
    assert derived.variables["board"]["attendance"] == "not available"
    # attendance cannot be compared with an unknown number of meetings: no arithmetic finding
    assert not _rules(findings, "governance.attendance")
    warned = _rules(findings, "content.not-recorded")
    assert [(f.file, f.field, f.severity) for f in warned] == [
        (f"content/{YEAR}/governance.yml", "meetings_held", Severity.WARNING)]
    assert warned[0].line == 1


def test_attendance_is_optional_per_member_and_the_total_is_then_not_available(project_copy):
    def drop(d):
        del d["members"][2]["attended"]                 # Marcus Webb: not recorded
        d["members"][3]["attended"] = "not recorded"    # Priya Chauhan: written so
    _edit(project_copy, "governance.yml", drop)
    _, plan, derived, pages, findings = _built(project_copy)
    board = _board_page(pages)
    assert derived.board.attendance is None and derived.board.unrecorded == 2
    assert "Attendance is not available: it is not recorded for 2 members." in board
    row = next(line for line in board.splitlines() if "Marcus Webb" in line)
    assert row.endswith('<td class="num">not recorded</td></tr>')
    assert "not available</td></tr></tfoot>" in board
    assert not [f for f in findings if f.severity is Severity.ERROR]


def test_fte_not_recorded_makes_the_totals_not_available(project_copy):
    _edit(project_copy, "staffing.yml", lambda d: d["posts"][6].update(fte="Not recorded"))
    _, _, derived, pages, findings = _built(project_copy)
    assert derived.staff.fte is None
    assert derived.variables["staff"]["fte"] == "not available"
    resources = _page(pages, "resources")
    assert "full-time equivalent not available" in resources
    structure = _page(pages, "-structure")
    senior = next(line for line in structure.splitlines() if "Senior Practitioner (social worker)" in line)
    assert '<td class="num">2</td><td class="num">not available</td>' in senior
    assert '<td class="num">not available</td><td></td></tr></tfoot>' in structure
    assert [f.field for f in _rules(findings, "content.not-recorded")] == ["posts[6].fte"]


def test_an_approval_to_follow_shows_its_expected_date_and_the_checklist_says_so(project_copy):
    def pending(d):
        d["approvals"][-1] = {"body": "Full Council", "date": "to follow", "expected": "2025-10-15"}
    _edit(project_copy, "plan.yml", pending)
    _, _, derived, pages, findings = _built(project_copy)
    sign_off = _page(pages, "sign-off")
    assert '<tr><th scope="row">Full Council</th><td>to follow (expected 15 October 2025)</td><td>Awaited</td></tr>' \
        in sign_off
    route = next(r for r in derived.checklist if r.rule == "guidance.approval-route")
    assert not route.met and route.where == "to follow: Full Council (expected 15 October 2025)"
    [finding] = _rules(findings, "guidance.approval-route")
    assert finding.severity is Severity.ERROR          # a council-approved plan lacks a step
    assert "to follow: Full Council (expected 15 October 2025)" in finding.message


def test_an_approval_to_follow_only_warns_in_a_draft(project_copy):
    def draft(d):
        d["status"] = "draft"
        d["approvals"] = d["approvals"][:2] + [{"body": "Cabinet", "date": "to follow"},
                                               {"body": "Full Council", "date": "to follow"}]
    _edit(project_copy, "plan.yml", draft)
    _, _, _, pages, findings = _built(project_copy)
    [finding] = _rules(findings, "guidance.approval-route")
    assert finding.severity is Severity.WARNING
    assert "to follow: Cabinet; Full Council" in finding.message
    assert "<td>to follow</td><td>Awaited</td>" in _page(pages, "sign-off")


def test_a_risk_rating_not_recorded_is_shown_and_listed_last(project_copy):
    _edit(project_copy, "risks.yml", lambda d: d["risks"][0].update(likelihood="not recorded"))
    _, plan, _, pages, findings = _built(project_copy)
    rows = plan.risks.rows
    assert rows[-1].risk.risk == "End of Turnaround funding"
    assert (rows[-1].likelihood, rows[-1].rating, rows[-1].band) == ("not recorded", "not available", "")
    line = next(l for l in _page(pages, "risks").splitlines() if "End of Turnaround funding" in l)
    assert '<td class="num">not recorded</td><td class="num">4</td><td class="num">not available</td>' in line
    assert not [f for f in findings if f.rule.startswith("risks.")]
    assert [f.field for f in _rules(findings, "content.not-recorded")] == ["risks[0].likelihood"]


def test_a_previous_plan_status_not_recorded(project_copy):
    _edit(project_copy, "priorities.yml", lambda d: d["previous_plan"][0].update(status="not recorded"))
    _, _, _, pages, _ = _built(project_copy)
    assert '<span class="status status-not-recorded">Not recorded</span>' in _page(pages, "progress")


def test_narrative_quoting_an_unknown_figure_says_not_recorded(project_copy):
    _edit(project_copy, "governance.yml", lambda d: d.update(meetings_held="not recorded"))
    path = _file(project_copy, "narrative/03-governance.md")
    path.write_text(path.read_text(encoding="utf-8") + "\nMeetings held: {{ board.meetings_held }}; "
                    "attendance: {{ board.attendance }}.\n", encoding="utf-8")
    _, _, _, pages, _ = _built(project_copy)
    assert "Meetings held: not recorded; attendance: not available." in _page(pages, "governance")


@pytest.mark.parametrize("typo", ["not recored", "unknown", "n/a"])
def test_a_misspelt_not_recorded_names_file_line_field_and_spelling(project_copy, typo):
    path = _file(project_copy, "governance.yml")
    path.write_text(path.read_text(encoding="utf-8").replace("meetings_held: 6", f"meetings_held: {typo}"),
                    encoding="utf-8")
    with pytest.raises(PlanError) as raised:
        load_project(project_copy, [YEAR])
    [finding] = [f for f in raised.value.findings if f.field == "meetings_held"]
    assert finding.file == f"content/{YEAR}/governance.yml" and finding.line == 1
    assert typo in finding.message and "'not recorded'" in finding.message
    assert "meetings_held: not recorded" in finding.fix


def test_an_approval_date_misspelt_names_to_follow(project_copy):
    _edit(project_copy, "plan.yml", lambda d: d["approvals"][-1].update(date="to folow"))
    with pytest.raises(PlanError) as raised:
        load_project(project_copy, [YEAR])
    [finding] = raised.value.findings
    assert finding.field == "approvals[3].date" and "'to follow'" in finding.message


# --- 5. board seats as they really are ----------------------------------------------------------

def _vacant_police_seat(d):
    seat = d["members"][1]                  # the police seat (vice-chair)
    del seat["name"], seat["attended"]
    seat["vacant"] = True


def test_a_vacant_seat_is_shown_counted_and_warned_about(project_copy):
    _edit(project_copy, "governance.yml", _vacant_police_seat)
    _, plan, derived, pages, findings = _built(project_copy)
    board = _board_page(pages)
    assert "<th scope=\"row\">Vacant (nomination awaited) (Vice chair)</th>" in board
    assert "1 of the board's 16 seats is vacant while a nomination is awaited." in board
    assert "<td>16 seats, 1 vacant</td>" in board
    assert derived.variables["board"]["members"] == "16" and derived.variables["board"]["vacant"] == "1"
    assert derived.board.attendance is not None      # the vacant seat has no attendance to miss
    [warning] = _rules(findings, "governance.vacant-seat")
    assert warning.severity is Severity.WARNING and "police" in warning.message
    assert warning.field == "members[1].vacant" and warning.line is not None
    # a vacant seat has no attendance to record: no "not recorded" warning about it
    assert not [f for f in _rules(findings, "content.not-recorded") if f.field.startswith("members[1]")]
    # the police partner's seat is still its own: the checklist does not call it absent
    police = next(r for r in derived.checklist if r.rule == "partners.police")
    assert police.met
    assert not [f for f in findings if f.severity is Severity.ERROR]


def test_the_chair_cannot_be_vacant(project_copy):
    def vacant_chair(d):
        del d["members"][0]["name"]
        d["members"][0]["vacant"] = True
    _edit(project_copy, "governance.yml", vacant_chair)
    with pytest.raises(PlanError) as raised:
        load_project(project_copy, [YEAR])
    [finding] = raised.value.findings
    assert finding.field == "members[0].vacant" and "chair" in finding.message
    assert finding.file == f"content/{YEAR}/governance.yml" and finding.line is not None


def test_a_seat_with_no_name_must_say_it_is_vacant(project_copy):
    _edit(project_copy, "governance.yml", lambda d: d["members"][4].pop("name"))
    with pytest.raises(PlanError) as raised:
        load_project(project_copy, [YEAR])
    [finding] = raised.value.findings
    assert "no name" in finding.message and "vacant: true" in finding.fix


def test_a_deputy_and_a_shared_seat(project_copy):
    def seats(d):
        d["members"][2]["deputy"] = "Joanne Price"
        d["members"][4]["organisation"] = ["East Midshire Healthcare NHS Foundation Trust", "Castlebridge College"]
        d["members"][4]["partner"] = ["health", "education"]
    _edit(project_copy, "governance.yml", seats)
    _, plan, derived, pages, findings = _built(project_copy)
    board = _board_page(pages)
    assert "<th scope=\"row\">Joanne Price (deputy for Marcus Webb)</th>" in board
    assert "East Midshire Healthcare NHS Foundation Trust and Castlebridge College</td><td>Health and Education</td>" \
        in board
    assert not [f for f in findings if f.severity is Severity.ERROR]
    from plan.privacy import people_of
    assert "Joanne Price" in people_of(plan)


def test_a_wrong_partner_in_a_shared_seat_is_one_plain_error(project_copy):
    _edit(project_copy, "governance.yml", lambda d: d["members"][4].update(partner=["health", "educaton"]))
    with pytest.raises(PlanError) as raised:
        load_project(project_copy, [YEAR])
    [finding] = raised.value.findings
    assert finding.field == "members[4].partner" and "'educaton'" in finding.message
    assert "'education'" in finding.fix
