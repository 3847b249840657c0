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


def test_building_a_year_that_does_not_exist_is_explained(project_copy):
    from plan.build import build
    from plan.problems import PlanError
    with pytest.raises(PlanError) as raised:
        build(project_copy, years=["2019-20"])
    assert "there is no plan year '2019-20'" in str(raised.value) and "use one of" in str(raised.value)
    assert not (project_copy / "site").exists()


@pytest.mark.parametrize("jobs", ["0", "two"])
def test_a_bad_number_of_print_processes_is_explained(project_copy, jobs):
    result = run_yjplan(project_copy, "build", "--jobs", jobs)
    assert result.returncode == 2
    assert f"'{jobs}' is not a number of processes (1 or more)" in result.stderr
    assert not (project_copy / "site").exists()


@pytest.mark.parametrize("row, field, words", [
    ("remands,2024-25,2025-03-31,Remand to prison,3,2025-05-15", "category", "is not a category of the measure 'remands'"),
    ("arrests,2024-25,2025-03-31,All,3,2025-05-15", "measure", "is not a local measure yjplan knows"),
])
def test_unknown_local_measure_or_category_names_file_and_line(project_copy, row, field, words):
    from plan.load import load_project
    from plan.problems import PlanError
    path = project_copy / "data" / "local.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(3, row)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(PlanError) as raised:
        load_project(project_copy)
    assert any(f"data/local.csv, line 4, field '{field}'" in str(f) and words in str(f)
               for f in raised.value.findings)


@pytest.mark.parametrize("year, words", [("2027", "is not a plan year"), ("2010-11", "no plan year before 2010-11")])
def test_new_year_with_a_bad_year_is_explained(project_copy, capsys, year, words):
    from plan.cli import main
    assert main(["--root", str(project_copy), "new", year]) == 1
    assert words in capsys.readouterr().err
    assert not (project_copy / "content" / year).exists()


def test_a_year_whose_files_together_are_too_big_is_refused_naming_the_largest(project_copy):
    """Each file is under its own limit, but together they would take the PDF's layout past the
    memory a build may use: the year is refused before it is read."""
    from plan.gate import open_gate
    year = sample_years()[-1]
    folder = project_copy / "content" / year / "narrative"
    for name in ("20-extra-a.md", "21-extra-b.md"):
        (folder / name).write_text("---\nheading: introduction\n---\n" + "Words. " * 35_000, encoding="utf-8")
    found = [f for f in open_gate(project_copy).findings if f.rule == "file.too-big"]
    assert [f.file for f in found] == [f"content/{year}/"]
    assert "narrative/20-extra-a.md" in found[0].message and "plan/rules/limits.yml" in found[0].fix
