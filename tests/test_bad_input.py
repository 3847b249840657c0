"""A broken plan stops the build with a message naming the file and line, and the site that
was already published stays exactly as it was."""
from __future__ import annotations

import pytest

from conftest import run_yjplan, sample_years, tree_digest

pytestmark = pytest.mark.xdist_group("sample")


def test_broken_yaml_names_file_and_line_and_leaves_previous_site(published):
    year = sample_years()[-1]
    path = published / "content" / year / "governance.yml"
    lines = path.read_text().splitlines()
    lines[3] = lines[3] + ": : ["          # line 4 becomes invalid YAML
    path.write_text("\n".join(lines) + "\n")
    before = tree_digest(published / "site")

    result = run_yjplan(published, "build")

    assert result.returncode == 1
    assert f"content/{year}/governance.yml, line 4" in result.stderr
    assert "not valid YAML" in result.stderr
    assert "previous site/ was left as it was" in result.stderr
    assert tree_digest(published / "site") == before
    assert not list(published.glob(".yjplan-build-*"))


def test_budget_that_does_not_add_up_stops_the_build(published):
    year = sample_years()[-1]
    path = published / "content" / year / "finance.yml"
    text = path.read_text().replace("  - agency: Police\n", "  - agency: Police\n    total: 1\n", 1)
    assert "total: 1" in text
    path.write_text(text)
    before = tree_digest(published / "site")

    result = run_yjplan(published, "build")

    assert result.returncode == 1
    assert f"content/{year}/finance.yml, line" in result.stderr
    assert "the Police row says its total is £1" in result.stderr
    assert tree_digest(published / "site") == before


def test_errors_in_a_draft_do_not_stop_the_build_but_errors_elsewhere_do(project_copy):
    from plan.build import blocking
    from plan.check import check_project
    from plan.load import load_project
    year = sample_years()[-1]
    next((project_copy / "content" / year / "narrative").glob("09-*.md")).unlink()
    project = load_project(project_copy)
    findings = check_project(project)
    assert [f.rule for f in blocking(project, findings)] == ["guidance.headings"]
    plan = project_copy / "content" / year / "plan.yml"
    plan.write_text(plan.read_text().replace("status: council approved", "status: draft"))
    project = load_project(project_copy)
    assert blocking(project, check_project(project)) == []
