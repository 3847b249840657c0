"""A plan declares the YJB guidance edition it follows; its headings, appendices and their
numbering come from that edition's YAML, so older plan shapes are expressed without code."""
from __future__ import annotations

import re

import pytest

from conftest import sample_years
from plan import derive, rules
from plan.check import check_plan
from plan.load import load_project
from plan.problems import Severity
from plan.render import render_year

YEAR = sample_years()[-1]

# Which of the sample's 2024-edition narrative files stands in for each heading of an edition.
REUSE = {
    "yjb-2017": {"executive-summary": "01", "structure-governance": "03", "resources": "05",
                 "partnership": "02", "risks": "12", "priorities": "07"},
    "yjb-2021": {"introduction": "01", "governance": "03", "resources": "05", "performance": "06",
                 "pandemic": "04", "risks": "12", "service-plan": "11", "sign-off": "13"},
}


def convert(root, edition):
    folder = root / "content" / YEAR
    plan = folder / "plan.yml"
    plan.write_text(re.sub(r"^guidance: .*", f"guidance: {edition}", plan.read_text(), flags=re.M))
    old = {p.name[:2]: p for p in (folder / "narrative").glob("*.md")}
    for index, (heading, source) in enumerate(REUSE[edition].items(), 1):
        body = old[source].read_text().split("---\n", 2)[2]
        (folder / "narrative" / f"x{index:02d}-{heading}.md").write_text(f"---\nheading: {heading}\n---\n{body}")
    for path in old.values():
        path.unlink()


def test_every_edition_file_is_valid():
    editions = rules.guidance_editions()
    assert {"yjb-2017", "yjb-2021", "yjb-2024", "moj-2026"} <= set(editions)
    for edition in editions:
        guidance = rules.guidance(edition)
        assert guidance.headings and guidance.appendices
        assert any(a.id == "compliance" for a in guidance.appendices)


@pytest.mark.parametrize("edition", ["yjb-2017", "yjb-2021"])
def test_older_plan_shape_loads_checks_and_renders(project_copy, edition):
    convert(project_copy, edition)
    project = load_project(project_copy, [YEAR])
    plan = project.years[0]
    assert [f for f in check_plan(plan) if f.severity is Severity.ERROR] == []
    pages = render_year(project, plan, derive.derive(project, plan)).pages
    guidance = rules.guidance(edition)
    assert [p.title for p in pages if p.kind == "chapter"] == [h.title for h in guidance.headings]
    appendices = [p.title for p in pages if p.kind == "appendix"]
    assert appendices[0] == f"Appendix 1: {guidance.appendices[0].title}"
    assert not [f for f in check_plan(plan) if f.rule == "content.not-shown"]
    assert len(appendices) == len(guidance.appendices)


def test_plan_following_unknown_edition_is_an_error(project_copy, capsys):
    from plan.cli import main
    plan = project_copy / "content" / YEAR / "plan.yml"
    plan.write_text(re.sub(r"^guidance: .*", "guidance: yjb-2042", plan.read_text(), flags=re.M))
    assert main(["--root", str(project_copy), "check"]) == 1
    out = capsys.readouterr().out
    assert f"content/{YEAR}/plan.yml, line" in out and "'yjb-2042' is not a guidance edition" in out
    assert "moj-2026, yjb-2017, yjb-2021, yjb-2024" in out


def test_a_mistyped_edition_gets_did_you_mean(project_copy, capsys):
    from plan.cli import main
    plan = project_copy / "content" / YEAR / "plan.yml"
    plan.write_text(re.sub(r"^guidance: .*", "guidance: yjb-2204", plan.read_text(), flags=re.M))
    assert main(["--root", str(project_copy), "check"]) == 1
    assert "did you mean 'yjb-2024'?" in capsys.readouterr().out


def test_2021_edition_has_the_march_2021_headings():
    assert [h.title for h in rules.guidance("yjb-2021").headings] == [
        "Introduction, vision and strategy", "Governance, leadership and partnership arrangements",
        "Resources and services", "Performance and priorities",
        "Responding to the pandemic and recovery from COVID-19", "Challenges, risks and issues",
        "Service business and improvement plan", "Sign off, submission and approval"]
    assert rules.guidance("yjb-2021").appendices[0].title == "Annex A: summary of grant compliances"


def test_2024_edition_asks_for_child_first_board_development_and_evaluation():
    guidance = rules.guidance("yjb-2024")
    ids = [h.id for h in guidance.headings]
    assert {"child-first", "board-development", "evaluation"} <= set(ids)
    assert ids.index("progress") < ids.index("performance") < ids.index("child-first")
    areas = guidance.heading("national-priorities").subheadings
    assert areas[0] == "Children from groups which are over-represented" and len(areas) == 11


@pytest.mark.parametrize("edition", rules.guidance_editions())
def test_every_edition_shows_the_inspection(edition):
    guidance = rules.guidance(edition)
    assert any("inspection" in h.blocks for h in [*guidance.headings, *guidance.appendices])


def test_2026_plan_names_the_ministry_of_justice_grant_and_submission(project_copy):
    moj = rules.guidance("moj-2026")
    assert moj.status == "provisional" and moj.submitted_to == "Ministry of Justice"
    assert [h.id for h in moj.headings] == [h.id for h in rules.guidance("yjb-2024").headings]


def test_plan_using_an_edition_outside_its_period_is_warned(project_copy):
    plan = project_copy / "content" / YEAR / "plan.yml"
    plan.write_text(re.sub(r"^guidance: .*", "guidance: yjb-2024", plan.read_text(), flags=re.M))
    project = load_project(project_copy, [YEAR])
    assert not [f for f in check_plan(project.years[0]) if f.rule == "guidance.edition-period"]
    convert(project_copy, "yjb-2021")
    project = load_project(project_copy, [YEAR])
    warned = [f for f in check_plan(project.years[0]) if f.rule == "guidance.edition-period"]
    assert len(warned) == 1 and warned[0].severity is Severity.WARNING
    assert "yjb-2021" in warned[0].message and "guidance: yjb-2024" in warned[0].fix
    assert not [f for f in check_plan(project.years[0]) if f.rule == "content.not-shown"]


def test_wording_follows_the_plans_period_and_nation(project_copy):
    """A plan for 2016-17 says clinical commissioning group; a Welsh one Local Health Board."""
    from plan.labels import plan_labels
    project = load_project(project_copy, [YEAR])
    plan = project.years[0]
    words = plan_labels(plan)
    assert dict(words["roles"])["health"] == "Health (nominated by the integrated care board)"
    meta = plan.meta.model_copy(update={"period": plan.meta.period.model_copy(
        update={"start": plan.meta.period.start.replace(year=2016)}), "nation": "england"})
    assert dict(plan_labels(_with_meta(plan, meta))["roles"])["health"] == \
        "Health (nominated by the clinical commissioning group)"
    wales = plan.meta.model_copy(update={"nation": "wales"})
    assert plan_labels(_with_meta(plan, wales))["health_body"] == "Local Health Board"


def _with_meta(plan, meta):
    import dataclasses
    return dataclasses.replace(plan, meta=meta)
