"""Statistics typed by hand in the narrative are found, set beside the plan's own variables, and
left alone when marked as a quotation; `yjplan variables` lists what the narrative may quote."""
from __future__ import annotations

from pathlib import Path

import pytest

from plan.check import check_project
from plan.derive import derive
from plan.gate import gate
from plan.load import load_project
from plan.smallcounts import masked
from plan.typedstats import RULE, find_statistics, typed_statistics
from conftest import ROOT, run_yjplan

YEAR = "2025-26"      # its variables: fte.change "down 12.5%", reoffending.change "down 0.5 percentage
                      # points", reoffending.rate "31.3%", custody.rate "0.09", board.attendance "85%"


def typed(text: str) -> list[str]:
    return [t.text for t in find_statistics(masked(text))]


@pytest.mark.parametrize("text, found", [
    ("The rate was 12.4% last year.", ["12.4%"]),
    ("About 12 per cent of children were in care.", ["12 per cent"]),
    ("Twelve per cent of children were in care.", ["Twelve per cent"]),
    ("The rate was 152 per 100,000 children.", ["152 per 100,000"]),
    ("Custody stood at 0.9 per 1,000.", ["0.9 per 1,000"]),
    ("The rate was up 9% on last year.", ["up 9%"]),
    ("First time entrants fell by 21%.", ["fell by 21%"]),
    ("There was an increase of 40 referrals.", ["an increase of 40"]),
    ("A decrease of 12.", ["A decrease of 12"]),
    ("Reoffending rose by 3 percentage points.", ["rose by 3 percentage points"]),
    ("a gap of 2.5pp with England", ["2.5pp"]),
])
def test_a_statistic_typed_in_the_text_is_found(text, found):
    assert typed(text) == found


@pytest.mark.parametrize("text", [
    "The rate was {{ fte.rate }} per 100,000 children aged 10 to 17.",   # a variable, then its unit
    "measured as a rate per 1,000 children aged 10 to 17",              # the unit alone
    "The rate is {{ fte.change }} on the previous period.",
    "In March 2025 the panel met for the first time.",                   # dates
    "The council's contribution rose by £12,000.",                      # money
    "as section 39(5) of the Crime and Disorder Act 1998 requires",      # section numbers
    "KPI 4 covers substance misuse; the Outcome 22 pathway began.",      # labels
    "a fall of 3 children",                                               # a count: plan/smallcounts.py
    "children aged 10 to 17 per 100,000",                                 # an age range
    "see https://example.gov.uk/report%20two",                           # a URL's escape
    "an increase of 2024",                                                # a year
    "one in four children",                                               # a ratio without a unit
])
def test_what_is_not_a_typed_statistic_is_left_alone(text):
    assert typed(text) == []


def test_a_statistic_inside_jinja_is_not_typed():
    assert typed("{{ 12.4 }}% and {# fell by 21% #} and {% set x = '9%' %}") == []


def _year(root: Path, body: str):
    """The plan year with a narrative page whose text is `body` (on the performance page)."""
    page = root / "content" / YEAR / "narrative" / "06-performance.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text + "\n" + body + "\n", encoding="utf-8")
    project = load_project(root, [YEAR])
    return project, project.years[0]


def _messages(root: Path, body: str) -> list[str]:
    project, plan = _year(root, body)
    return [f.message for f in typed_statistics(plan, derive(project, plan)) if f.rule == RULE]


def test_a_typed_figure_equal_to_a_variable_names_the_variable(project_copy):
    messages = _messages(project_copy, "First time entrants fell by 12.5% last year.")
    assert messages == ["typed 'fell by 12.5%'; {{ fte.change }} is down 12.5%: quote the variable"]


def test_a_typed_percentage_rounded_to_fewer_places_still_names_the_variable(project_copy):
    assert "{{ board.attendance }} is 85%" in _messages(project_copy, "Board attendance was 85.0%.")[0]


def test_a_contradicting_figure_names_the_variable_and_its_value(project_copy):
    [message] = _messages(project_copy, "First time entrants fell by 21% last year.")
    assert "typed 'fell by 21%'" in message and "{{ fte.change }} is down 12.5%" in message
    assert "quote the variable" in message and ": quote the variable" not in message


def test_a_change_said_to_go_the_wrong_way_is_a_contradiction(project_copy):
    [message] = _messages(project_copy, "First time entrants rose by 12.5% last year.")
    assert "{{ fte.change }} is down 12.5%: check the figure" in message


def test_percentage_points_printed_as_per_cent_are_pointed_out(project_copy):
    [message] = _messages(project_copy, "The reoffending rate fell by 0.5%.")
    assert "{{ reoffending.change }} is down 0.5 percentage points" in message
    assert "percentage points, not %" in message


def test_a_rate_out_by_a_factor_of_ten_names_the_rate(project_copy):
    [message] = _messages(project_copy, "Custodial sentences were 0.9 per 1,000 children.")
    assert "{{ custody.rate }} is 0.09: check the figure" in message


def test_a_figure_no_variable_holds_is_still_a_warning(project_copy):
    [message] = _messages(project_copy, "Staff sickness absence was 4.2%.")
    assert message.startswith("typed '4.2%'") and "{{" not in message


def test_a_marked_quotation_is_left_alone(project_copy):
    project, plan = _year(project_copy, "Nationally, first time entrants fell by 9%"
                                        "{# quoted: Youth Justice Statistics 2023-24, table 5.1 #}.")
    assert [f for f in typed_statistics(plan, derive(project, plan))] == []


def test_a_quotation_without_its_source_and_a_marker_after_nothing_are_warnings(project_copy):
    project, plan = _year(project_copy, "England's rate fell by 9%{# quoted: #}.\n\nNo figure here{# quoted: x #}.")
    rules = sorted(f.rule for f in typed_statistics(plan))
    assert rules == ["narrative.quoted-source", "narrative.quoted-unused"]


def test_the_check_and_the_gate_report_the_line_and_the_variable(project_copy):
    project, plan = _year(project_copy, "The reoffending rate was 31.3% against 40% in England.")
    page = f"content/{YEAR}/narrative/06-performance.md"
    line = (project_copy / page).read_text(encoding="utf-8").splitlines().index(
        "The reoffending rate was 31.3% against 40% in England.") + 1
    plain = [f for f in check_project(project) if f.rule == RULE]
    assert [(f.file, f.line, f.severity.value) for f in plain] == [(page, line, "warning")] * 2
    named = [f.message for f in gate(project).findings if f.rule == RULE]
    assert "{{ reoffending.rate }} is 31.3%: quote the variable" in named[0]
    assert "typed '40%'; {{ reoffending.national_rate }} is 31.4%: check the figure" in named[1]


def test_the_sample_plan_has_no_typed_figures():
    project = load_project(ROOT)
    assert [str(f) for f in gate(project).findings if f.rule.startswith(("narrative.typed", "narrative.quoted"))] == []


def test_yjplan_variables_lists_every_figure_with_its_value(project_copy):
    result = run_yjplan(project_copy, "variables", YEAR)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(line.split() == ["{{", "budget.total", "}}", "£2,356,112"] for line in lines)
    assert any(line.split() == ["{{", "fte.change", "}}", "down", "12.5%"] for line in lines)
    assert any(line.split() == ["{{", "custody.count", "}}", "[c]", "(suppressed)"] for line in lines)
    assert "Budget" in lines and "Use of custody, per 1,000" in lines


def test_yjplan_variables_of_an_unknown_year_says_which_years_there_are(project_copy):
    result = run_yjplan(project_copy, "variables", "2031-32")
    assert result.returncode == 1
    assert "there is no plan year '2031-32'" in result.stderr and "2024-25, 2025-26" in result.stderr
    assert "Traceback" not in result.stderr
