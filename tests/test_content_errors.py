"""Every kind of content file, fed a bad value, makes `yjplan check` fail with a message that
names the file, the line, the field and a fix, in plain English."""
from __future__ import annotations

import json
import re

import pytest

from conftest import sample_years
from plan.cli import main

YEAR = sample_years()[-1]


def check(root, capsys, *extra):
    code = main(["--root", str(root), "check", *extra])
    return code, capsys.readouterr().out


def edit(root, name, pattern, replacement, count=1):
    path = root / "content" / YEAR / name
    text = path.read_text(encoding="utf-8")
    changed, made = re.subn(pattern, replacement, text, count=count, flags=re.M)
    assert made, f"{pattern!r} not found in {name}"
    path.write_text(changed, encoding="utf-8")
    return changed


def line_of(root, name, pattern) -> int:
    lines = (root / "content" / YEAR / name).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if re.search(pattern, line))


CASES = [
    # (file, find, replace, the line it is reported on, field, words in the message, words in the fix)
    ("staffing.yml", r"^(\s*)fte: [\d.]+", r"\1fte: full time", r"fte: full time", "posts[0].fte",
     "'fte' must be a number", "without £"),
    ("governance.yml", r"^(\s*)organisation: .*\n", "", r"^\s*- name:", "members[0].organisation",
     "'organisation' is missing", "add 'organisation:'"),
    ("governance.yml", r"^meeting_frequency:", "meeting_frequncy:", r"^meeting_frequncy:", "meeting_frequncy",
     "'meeting_frequncy' is not a field yjplan knows", "did you mean 'meeting_frequency'"),
    ("plan.yml", r"^figures_date: .*", "figures_date: 2025-02-30", r"^figures_date:", "figures_date",
     "'figures_date' must be a real date", "YYYY-MM-DD"),
    ("plan.yml", r"^status: .*", "status: approved", r"^status:", "status",
     "'status' cannot be 'approved'", "'council approved'"),
    ("champions.yml", r"^(\s*)expectations: .*\n", "", r"^\s*- area:", "champions[0].expectations",
     "'expectations' is missing", "add 'expectations:'"),
    ("priorities.yml", r"^(\s*)status: .*", r"\1status: done", r"status: done", "priorities[0].actions[0].status",
     "'status' cannot be 'done'", "'on track'"),
    ("risks.yml", r"^(\s*)likelihood: \d", r"\1likelihood: 7", r"likelihood: 7", "risks[0].likelihood",
     "'likelihood' is 7", "correct the value"),
    ("inspection.yml", r"^overall: .*", "overall: Very good", r"^overall:", "overall",
     "'overall' cannot be 'Very good'", "'Outstanding'"),
    ("glossary.yml", r"^(\s*)meaning: .*\n", "", r"^\s*- term:", "terms[0].meaning",
     "'meaning' is missing", "add 'meaning:'"),
    ("finance.yml", r"^(\s*)staffing: (\d+)", r"\1staffing: £\2", r"staffing: £", "contributions[0].staffing",
     "'staffing' must be a number", "without £"),
]


@pytest.mark.parametrize("name, find, replace, marker, field, message, fix", CASES,
                         ids=[f"{c[0]}:{c[4]}" for c in CASES])
def test_bad_content_is_reported_with_file_line_field_and_fix(project_copy, capsys, name, find, replace,
                                                              marker, field, message, fix):
    edit(project_copy, name, find, replace)
    line = line_of(project_copy, name, marker)   # a missing field is reported on its entry's line
    code, out = check(project_copy, capsys)
    assert code == 1
    place = f"content/{YEAR}/{name}, line {line}, field '{field}'"
    reported = [block for block in out.split("\nerror: ") if place in block]
    assert reported, out
    assert message in reported[0]
    assert "fix: " in reported[0] and fix in reported[0]


def test_budget_row_claiming_a_wrong_total_is_reported(project_copy, capsys):
    edit(project_copy, "finance.yml", r"^(\s*)other: (\d+)", r"\1other: \2\n\1total: 999")
    code, out = check(project_copy, capsys)
    assert code == 1
    assert f"content/{YEAR}/finance.yml, line {line_of(project_copy, 'finance.yml', 'total: 999')}" in out
    assert "says its total is £999 but staffing, in kind and other add up to" in out


def test_grant_allocation_that_does_not_add_up_is_reported(project_copy, capsys):
    edit(project_copy, "finance.yml", r"^(\s*)cost: (\d+)", r"\1cost: 1")
    code, out = check(project_copy, capsys)
    assert code == 1
    assert f"content/{YEAR}/finance.yml, line {line_of(project_copy, 'finance.yml', '^grant_allocation:')}" in out
    assert "the grant allocation adds up to" in out and "unallocated" in out


def test_unknown_narrative_heading_is_reported(project_copy, capsys):
    path = next((project_copy / "content" / YEAR / "narrative").glob("02-*.md"))
    path.write_text(re.sub(r"heading: .*", "heading: local-contxt", path.read_text(), count=1))
    code, out = check(project_copy, capsys)
    assert code == 1
    assert f"content/{YEAR}/narrative/{path.name}, line 2, field 'heading'" in out
    assert "did you mean 'local-context'" in out


def test_every_problem_is_listed_at_once(project_copy, capsys):
    edit(project_copy, "plan.yml", r"^status: .*", "status: approved")
    edit(project_copy, "risks.yml", r"^(\s*)impact: \d", r"\1impact: 9")
    edit(project_copy, "staffing.yml", r"^(\s*)sex: .*", r"\1sex: unknown")
    code, out = check(project_copy, capsys)
    assert code == 1
    assert "plan.yml" in out and "risks.yml" in out and "staffing.yml" in out
    assert "3 error(s)" in out


def test_sample_checks_clean(capsys):
    from conftest import ROOT
    code, out = check(ROOT, capsys)
    assert code == 0, out
    assert "No problems found" in out or "0 error(s)" in out


def test_check_can_report_json(project_copy, capsys):
    edit(project_copy, "plan.yml", r"^status: .*", "status: approved")
    code, out = check(project_copy, capsys, "--format", "json")
    findings = json.loads(out)
    assert code == 1
    assert findings[0]["file"] == f"content/{YEAR}/plan.yml"
    assert findings[0]["field"] == "status" and findings[0]["severity"] == "error"
