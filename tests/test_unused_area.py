"""An area in data/areas.csv that no plan year compares with is shown nowhere: a warning naming
the code and its row."""
from __future__ import annotations

from conftest import sample_years
from plan.check import check_project
from plan.cli import main
from plan.load import load_project
from plan.problems import Severity

YEARS = sample_years()
LATEST = YEARS[-1]


def add_area(root, row: str) -> None:
    areas = root / "data" / "areas.csv"
    areas.write_text(areas.read_text(encoding="utf-8") + row + "\n", encoding="utf-8")


def unused(root, years=None) -> list:
    return [f for f in check_project(load_project(root, years)) if f.rule == "data.unused-area"]


def test_the_sample_shows_every_area_it_lists(project_copy):
    assert unused(project_copy) == []


def test_an_area_no_year_compares_with_is_a_warning_naming_its_row(project_copy, capsys):
    add_area(project_copy, "west-midlands,West Midlands,region")
    lines = (project_copy / "data" / "areas.csv").read_text(encoding="utf-8").splitlines()
    [finding] = unused(project_copy)
    assert finding.severity is Severity.WARNING
    assert finding.file == "data/areas.csv" and finding.field == "area"
    assert lines[finding.line - 1] == "west-midlands,West Midlands,region"
    assert "'west-midlands' (West Midlands)" in finding.message and "comparators:" in finding.fix
    assert main(["--root", str(project_copy), "check"]) == 0          # a warning: the plan still passes
    assert "warning: data/areas.csv, line 6, field 'area': the area 'west-midlands'" in capsys.readouterr().out


def test_an_area_only_an_earlier_year_compares_with_is_still_shown(project_copy):
    add_area(project_copy, "west-midlands,West Midlands,region")
    plan = project_copy / "content" / LATEST / "plan.yml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("region: east-midlands", "region: west-midlands"),
                    encoding="utf-8")
    assert unused(project_copy) == []         # east-midlands: the earlier year's region
    if len(YEARS) > 1:
        earlier = project_copy / "content" / YEARS[0] / "plan.yml"
        earlier.write_text(earlier.read_text(encoding="utf-8").replace("region: east-midlands", "region: west-midlands"),
                           encoding="utf-8")
        [finding] = unused(project_copy)
        assert "'east-midlands'" in finding.message and finding.line == 4


def test_checking_one_year_does_not_guess_what_the_others_use(project_copy):
    add_area(project_copy, "west-midlands,West Midlands,region")
    assert unused(project_copy, [LATEST]) == []
