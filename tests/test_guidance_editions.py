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
    "yjb-2021": {"introduction": "01", "child-first": "08", "voice-of-the-child": "10", "governance": "03",
                 "resources": "05", "progress": "04", "performance": "06", "risks": "12"},
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
    assert {"yjb-2017", "yjb-2021", "yjb-2024"} <= set(editions)
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
    assert len(appendices) == len(guidance.appendices)


def test_plan_following_unknown_edition_is_an_error(project_copy, capsys):
    from plan.cli import main
    plan = project_copy / "content" / YEAR / "plan.yml"
    plan.write_text(re.sub(r"^guidance: .*", "guidance: yjb-2042", plan.read_text(), flags=re.M))
    assert main(["--root", str(project_copy), "check"]) == 1
    out = capsys.readouterr().out
    assert f"content/{YEAR}/plan.yml, line" in out and "'yjb-2042' is not a guidance edition" in out
    assert "yjb-2017, yjb-2021, yjb-2024" in out
