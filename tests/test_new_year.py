"""`yjplan new` starts next year's plan from the latest one and never touches that one."""
from __future__ import annotations

from conftest import read_yaml, sample_years, tree_digest as digest
from plan.check import check_plan
from plan.cli import main
from plan.load import load_project
from plan.problems import Severity

LATEST = sample_years()[-1]
NEXT = f"{int(LATEST[:4]) + 1}-{str(int(LATEST[:4]) + 2)[2:]}"


def test_new_year_rolls_the_plan_forward_as_a_draft(project_copy, capsys):
    before = digest(project_copy / "content" / LATEST)
    assert main(["--root", str(project_copy), "new", NEXT]) == 0
    assert digest(project_copy / "content" / LATEST) == before

    new = read_yaml(project_copy / "content" / NEXT / "plan.yml")
    old = read_yaml(project_copy / "content" / LATEST / "plan.yml")
    assert new["status"] == "draft" and new["approvals"] == [] and "date" not in new["sign_off"]
    assert str(new["period"]["start"]) == f"{int(LATEST[:4]) + 1}-04-01"      # a date, unquoted as the author wrote it
    assert new["figures_date"] == old["figures_date"].replace(year=old["figures_date"].year + 1)

    carried = read_yaml(project_copy / "content" / NEXT / "priorities.yml")["previous_plan"]
    this_year = read_yaml(project_copy / "content" / LATEST / "priorities.yml")["priorities"]
    assert [p["title"] for p in carried] == [p["title"] for p in this_year]
    for item, priority in zip(carried, this_year):
        statuses = [a["status"] for a in priority["actions"]]
        expected = next((s for s in ("off track", "at risk", "on track", "not started") if s in statuses), "complete")
        assert item["status"] == expected

    plan = load_project(project_copy, [NEXT]).years[0]
    assert [f for f in check_plan(plan) if f.severity is Severity.ERROR] == []
    finance = read_yaml(project_copy / "content" / LATEST / "finance.yml")["contributions"]
    new_finance = read_yaml(project_copy / "content" / NEXT / "finance.yml")["contributions"]
    assert [r["previous_total"] for r in new_finance] == [
        r.get("staffing", 0) + r.get("in_kind", 0) + r.get("other", 0) for r in finance]


def test_new_year_refuses_to_overwrite(project_copy, capsys):
    assert main(["--root", str(project_copy), "new", LATEST]) == 1
    assert f"content/{LATEST}/ already exists" in capsys.readouterr().err
