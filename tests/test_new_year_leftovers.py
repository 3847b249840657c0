"""`yjplan new` and what last year's plan must not carry unchanged: the voice of the child (its
consent was for last year's plan), titles that name a plan year; the child-friendly version is
carried with its figures still variables."""
from __future__ import annotations

from conftest import read_yaml, sample_years
from plan.check import check_plan
from plan.cli import main
from plan.load import load_project
from plan.newyear import years_on
from plan.problems import Severity

LATEST = sample_years()[-1]
NEXT = f"{int(LATEST[:4]) + 1}-{str(int(LATEST[:4]) + 2)[2:]}"
BEFORE = f"{int(LATEST[:4]) - 1}-{LATEST[2:4]}"          # the year before LATEST: 2024-25


def test_quotes_and_case_studies_are_not_carried_and_new_says_why(project_copy, capsys):
    assert (project_copy / "content" / LATEST / "voice.yml").exists()
    assert main(["--root", str(project_copy), "new", NEXT]) == 0
    out = capsys.readouterr().out
    assert not (project_copy / "content" / NEXT / "voice.yml").exists()
    assert "voice.yml was not carried over" in out and f"content/{LATEST}/voice.yml" in out
    assert (project_copy / "content" / LATEST / "voice.yml").exists()      # last year's stays as it was
    plan = load_project(project_copy, [NEXT]).years[0]
    assert [f for f in check_plan(plan) if f.severity is Severity.ERROR] == []


def test_titles_naming_a_plan_year_move_on_a_year_and_others_stay(project_copy):
    plan_yml = project_copy / "content" / LATEST / "plan.yml"
    plan_yml.write_text(plan_yml.read_text(encoding="utf-8") + (
        "headings:\n"
        f"  progress: {{title: \"Progress in {BEFORE}\", number: 4}}\n"
        "  governance: {title: How we are run}\n"
        "sections:\n"
        f"  - id: kpi-commentary\n    title: Our KPIs in {LATEST}\n    after: performance\n"
        "appendices:\n"
        f"  - {{id: annual-report, title: \"Appendix 9: Annual report {BEFORE.replace('-', '/')}\", after: budget}}\n"
        "  - {id: since-2010, title: Our work since 2010-2015, after: budget}\n"), encoding="utf-8")
    assert main(["--root", str(project_copy), "new", NEXT]) == 0
    new = read_yaml(project_copy / "content" / NEXT / "plan.yml")
    assert new["headings"]["progress"] == {"title": f"Progress in {LATEST}", "number": 4}
    assert new["headings"]["governance"] == {"title": "How we are run"}
    assert new["sections"][0]["title"] == f"Our KPIs in {NEXT}"
    assert new["appendices"][0]["title"] == f"Appendix 9: Annual report {LATEST.replace('-', '/')}"
    assert new["appendices"][1]["title"] == "Our work since 2010-2015"     # not a plan year: left alone
    assert read_yaml(plan_yml)["headings"]["progress"]["title"] == f"Progress in {BEFORE}"


def test_a_year_on_moves_only_plan_years():
    assert years_on("Annual report 2024-25") == "Annual report 2025-26"
    assert years_on("Report 2099/00") == "Report 2100/01"
    assert years_on("Strategy 2020-2025, phone 2024-99") == "Strategy 2020-2025, phone 2024-99"


def test_the_child_friendly_version_is_carried_with_its_figures_still_variables(project_copy):
    assert main(["--root", str(project_copy), "new", NEXT]) == 0
    old = sorted((project_copy / "content" / LATEST / "child-friendly").glob("*.md"))
    assert old
    for page in old:
        carried = (project_copy / "content" / NEXT / "child-friendly" / page.name).read_text(encoding="utf-8")
        assert "{{ staff.headcount }}" in carried or "{{" not in page.read_text(encoding="utf-8")
        assert f"Carried over from {LATEST}: update for {NEXT}" in carried
        assert carried.replace(f"<!-- Carried over from {LATEST}: update for {NEXT}. -->\n", "") == \
            page.read_text(encoding="utf-8")
    plan = load_project(project_copy, [NEXT]).years[0]
    assert plan.child_friendly, "the new year has a child-friendly version"
