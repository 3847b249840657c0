"""Nothing the author wrote is dropped or changed without a word: every case that used to lose
content, pick one value over another, or unpublish a year quietly is now a finding naming the
file, line, field and fix (or, for comparators ahead of the service, shown as 'no figure yet')."""
from __future__ import annotations

import json
import re
import shutil

import pytest

from conftest import run_yjplan, sample_years
from plan.check import check_plan, check_project
from plan.load import load_project
from plan.problems import PlanError, Severity

YEAR = sample_years()[-1]          # 2025-26
OLDER = sample_years()[0]          # 2024-25


def load_errors(root) -> list:
    with pytest.raises(PlanError) as caught:
        load_project(root)
    return caught.value.findings


def with_rule(findings, rule) -> list:
    return [f for f in findings if f.rule == rule]


def edit(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_second_narrative_file_for_a_heading_is_an_error_naming_both_files(project_copy):
    narrative = project_copy / "content" / YEAR / "narrative"
    shutil.copy(narrative / "03-governance.md", narrative / "03b-governance-extra.md")
    found = with_rule(check_project(load_project(project_copy)), "narrative.duplicate-heading")
    assert len(found) == 1
    finding = found[0]
    assert finding.file == f"content/{YEAR}/narrative/03b-governance-extra.md"
    assert f"content/{YEAR}/narrative/03-governance.md" in finding.message
    assert finding.line == 2 and finding.field == "heading" and finding.severity is Severity.ERROR


def test_mistyped_comparator_code_is_an_error_suggesting_the_area(project_copy):
    plan = project_copy / "content" / YEAR / "plan.yml"
    edit(plan, "region: east-midlands", "region: east-midland")
    found = with_rule(load_errors(project_copy), "plan.comparator-area")
    assert len(found) == 1
    finding = found[0]
    assert finding.file == f"content/{YEAR}/plan.yml" and finding.field == "comparators.region"
    assert plan.read_text().splitlines()[finding.line - 1].strip() == "region: east-midland"
    assert "did you mean 'east-midlands'?" in finding.fix
    assert "castlebridge, castlebridge-family, east-midlands, england" in finding.fix


def test_unknown_area_in_the_data_suggests_the_area(project_copy):
    path = project_copy / "data" / "indicators.csv"
    path.write_text(path.read_text().replace("custody,england,", "custody,englnd,", 1))
    found = with_rule(load_errors(project_copy), "data.unknown-area")
    assert found and "did you mean 'england'?" in found[0].fix and found[0].line == 26


def test_year_folder_that_does_not_match_the_plan_period_is_an_error(project_copy):
    plan = project_copy / "content" / YEAR / "plan.yml"
    edit(plan, "period: {start: 2025-04-01, end: 2026-03-31}", "period: {start: 2026-04-01, end: 2027-03-31}")
    found = with_rule(check_project(load_project(project_copy)), "plan.period-year")
    assert len(found) == 1
    assert found[0].file == f"content/{YEAR}/plan.yml" and found[0].line == 5
    assert "the 2026-27 plan" in found[0].message and "content/2026-27/" in found[0].fix


@pytest.mark.parametrize("name", ["2025-2026", "2025-27", "2025_26"])
def test_year_folder_not_named_yyyy_yy_is_an_error_suggesting_the_name(project_copy, name):
    (project_copy / "content" / YEAR).rename(project_copy / "content" / name)
    found = with_rule(load_errors(project_copy), "content.year-folder")
    assert len(found) == 1
    assert found[0].file == f"content/{name}/" and "rename it to content/2025-26/" in found[0].fix


def test_misnamed_file_in_a_year_folder_is_an_error_with_did_you_mean(project_copy):
    folder = project_copy / "content" / YEAR
    (folder / "inspection.yml").rename(folder / "inspections.yml")
    (folder / "narrative" / "12-risks.md").rename(folder / "narrative" / "12-risks.markdown")
    found = with_rule(load_errors(project_copy), "content.unknown-file")
    by_file = {f.file: f for f in found}
    assert set(by_file) == {f"content/{YEAR}/inspections.yml", f"content/{YEAR}/narrative/12-risks.markdown"}
    assert "did you mean inspection.yml?" in by_file[f"content/{YEAR}/inspections.yml"].fix
    assert "did you mean 12-risks.md?" in by_file[f"content/{YEAR}/narrative/12-risks.markdown"].fix
    assert all(f.severity is Severity.ERROR for f in found)


def test_other_stray_file_is_a_warning_and_editor_files_are_ignored(project_copy):
    folder = project_copy / "content" / YEAR
    (folder / "board-minutes.docx").write_bytes(b"PK")
    (folder / ".DS_Store").write_bytes(b"")
    (folder / "risks.yml~").write_text("")
    project = load_project(project_copy)      # a warning only: the plan loads, and check reports it
    found = with_rule(check_project(project), "content.unknown-file")
    assert [(f.file, f.severity) for f in found] == [(f"content/{YEAR}/board-minutes.docx", Severity.WARNING)]


def test_a_picture_no_narrative_shows_is_a_warning_and_one_it_shows_is_not(project_copy):
    folder = project_copy / "content" / YEAR
    (folder / "images").mkdir()
    (folder / "images" / "board-photo.jpg").write_bytes(b"\xff\xd8")
    (folder / "images" / "structure.png").write_bytes(b"\x89PNG")
    intro = next((folder / "narrative").glob("01-*.md"))
    intro.write_text(intro.read_text() + "\n![The service's structure](../images/structure.png)\n")
    findings = check_project(load_project(project_copy))
    assert not with_rule(findings, "content.unknown-file")
    assert [(f.file, f.severity) for f in with_rule(findings, "content.unused-picture")] == [
        (f"content/{YEAR}/images/board-photo.jpg", Severity.WARNING)]


def test_every_content_file_is_shown_by_every_edition():
    """Nothing a plan may write is read and then dropped: each edition places every file."""
    from plan import rules
    from plan.check import FILE_BLOCKS
    for edition in rules.guidance_editions():
        guidance = rules.guidance(edition)
        blocks = {b for h in [*guidance.headings, *guidance.appendices] for b in h.blocks}
        assert all(shown_by & blocks for shown_by in FILE_BLOCKS.values()), edition


def test_a_content_file_an_edition_does_not_show_is_a_warning(project_copy):
    """Should an edition ever leave a file out, the check says so rather than drop it."""
    plan = load_project(project_copy, [YEAR]).years[0]
    def strip(items):
        return [h.model_copy(update={"blocks": [b for b in h.blocks if b != "inspection"]}) for h in items]
    plan.guidance = plan.guidance.model_copy(update={"headings": strip(plan.guidance.headings),
                                                     "appendices": strip(plan.guidance.appendices)})
    found = with_rule(check_plan(plan), "content.not-shown")
    assert [(f.file, f.severity) for f in found] == [(f"content/{YEAR}/inspection.yml", Severity.WARNING)]


def test_duplicate_yaml_key_is_an_error_naming_both_lines(project_copy):
    plan = project_copy / "content" / YEAR / "plan.yml"
    edit(plan, "language: en-GB\n", "language: en-GB\nservice: Castlebridge YOT\n")
    found = with_rule(load_errors(project_copy), "yaml.duplicate-key")
    assert len(found) == 1
    finding = found[0]
    assert finding.file == f"content/{YEAR}/plan.yml" and finding.line == 9 and finding.field == "service"
    assert "on lines 2 and 9" in finding.message


def test_duplicate_key_inside_a_list_entry_is_found_too(project_copy):
    path = project_copy / "content" / YEAR / "governance.yml"
    text = path.read_text()
    first = re.search(r"^    attended: \d+\n", text, flags=re.M)
    path.write_text(text[:first.end()] + "    attended: 1\n" + text[first.end():])
    found = with_rule(load_errors(project_copy), "yaml.duplicate-key")
    assert len(found) == 1 and re.fullmatch(r"members\[\d+\]\.attended", found[0].field)


def test_heading_given_twice_in_a_narrative_file_is_an_error(project_copy):
    path = next((project_copy / "content" / YEAR / "narrative").glob("03-*.md"))
    path.write_text(path.read_text().replace("heading: governance\n", "heading: governance\nheading: risks\n", 1))
    found = with_rule(load_errors(project_copy), "yaml.duplicate-key")
    assert [(f.file, f.line) for f in found] == [(f"content/{YEAR}/narrative/{path.name}", 3)]
    assert "on lines 2 and 3" in found[0].message


def test_sign_off_after_the_councils_approval_is_an_error(project_copy):
    plan = project_copy / "content" / YEAR / "plan.yml"
    edit(plan, "  date: 2025-06-18\n", "  date: 2025-08-01\n")
    found = with_rule(check_project(load_project(project_copy)), "plan.sign-off-after-approval")
    assert len(found) == 1
    assert found[0].file == f"content/{YEAR}/plan.yml" and found[0].field == "sign_off.date" and found[0].line == 12
    assert "signed off on 1 August 2025, after the council approved it on 24 July 2025" in found[0].message


def test_plan_period_ending_before_it_starts_is_an_error(project_copy):
    plan = project_copy / "content" / YEAR / "plan.yml"
    edit(plan, "end: 2026-03-31", "end: 2025-03-31")
    found = with_rule(check_project(load_project(project_copy)), "plan.period-order")
    assert len(found) == 1 and found[0].field == "period.end" and found[0].line == 5


def test_missing_file_does_not_hide_the_other_problems(project_copy, capsys):
    from plan.cli import main
    content = project_copy / "content"
    (content / YEAR / "governance.yml").unlink()                      # a load error in one file
    edit(content / YEAR / "plan.yml", "  date: 2025-06-18\n", "  date: 2025-08-01\n")   # a check problem
    edit(content / OLDER / "risks.yml", "risks:\n", "risks:\nrisks:\n")                   # another year
    (content / OLDER / "plan.yml").unlink()                             # narrative read without plan.yml
    narrative = next((content / OLDER / "narrative").glob("03-*.md"))
    narrative.write_text(narrative.read_text().replace("heading:", "headng:", 1))
    assert main(["--root", str(project_copy), "check"]) == 1
    out = capsys.readouterr().out
    assert f"content/{YEAR}/governance.yml: this file is missing" in out
    assert "[plan.sign-off-after-approval]" in out                      # ran although governance.yml is missing
    assert f"content/{OLDER}/plan.yml: this file is missing" in out
    assert f"content/{OLDER}/risks.yml, line 2" in out and "[yaml.duplicate-key]" in out
    assert f"content/{OLDER}/narrative/{narrative.name}" in out


def test_empty_tables_say_none_this_year(project_copy):
    from plan.derive import derive
    from plan.render import render_year
    folder = project_copy / "content" / YEAR
    (folder / "risks.yml").write_text("risks: []\n")
    (folder / "champions.yml").write_text("champions: []\n")
    edit(folder / "priorities.yml", "previous_plan:", "previous_plan: []\nold_previous_plan:")
    text = (folder / "priorities.yml").read_text()
    (folder / "priorities.yml").write_text(text.split("old_previous_plan:")[0])
    project = load_project(project_copy, [YEAR])
    plan = project.years[0]
    pages = {p.slug: p.body for p in render_year(project, plan, derive(project, plan)).pages}
    everything = "\n".join(pages.values())
    assert not re.search(r"<tbody>\s*</tbody>", everything)
    for slug in ("risks", "progress"):
        assert '<p class="none">None this year.</p>' in pages[slug], slug
    champions = next(body for slug, body in pages.items() if "champions" in slug)
    assert '<p class="none">None this year.</p>' in champions


def test_comparator_figures_published_before_the_services_show_no_figure_yet(project_copy):
    from plan.derive import derive
    from plan.render import render_year
    data = project_copy / "data" / "indicators.csv"
    with data.open("a") as rows:
        for area, numerator, population in [("castlebridge-family", 22, 269597), ("east-midlands", 42, 519627),
                                             ("england", 420, 6000710)]:
            rows.write(f"custody,{area},2025-26,2026-03-31,{numerator},{population},2025-05-01\n")
    project = load_project(project_copy, [YEAR])
    plan = project.years[0]
    derived = derive(project, plan)
    pages = render_year(project, plan, derived).pages          # used to crash here
    body = next(p.body for p in pages if "Custody" in p.body and "comparators" in p.body)
    custody = body[body.index("Children sentenced to custody"):] if "Children sentenced to custody" in body else body
    service_rows = re.findall(r'<tr><th scope="row">Castlebridge</th>.*', custody)
    assert any("no figure yet" in row for row in service_rows)
    # The narrative compares like with like: the national rate of the service's own latest period.
    custody_vars = derived.variables["custody"]
    national = derived.indicators["custody"].area("national")
    assert custody_vars["national_rate"] == f"{national.at(custody_vars['period']).value:.2f}"


@pytest.mark.xdist_group("sample")
def test_published_year_whose_folder_is_gone_is_kept_until_removed(published, tmp_path):
    shutil.move(published / "content" / OLDER, tmp_path / OLDER)
    site = published / "site"

    result = run_yjplan(published, "build")
    assert result.returncode == 0, result.stderr
    assert f"site/{OLDER} is published but content/{OLDER} is gone: kept" in result.stderr
    assert f"yjplan build --remove {OLDER}" in result.stderr
    assert (site / OLDER / "index.html").is_file()
    assert OLDER in [v["version"] for v in json.loads((site / "versions.json").read_text())]

    refused = run_yjplan(published, "build", "--remove", YEAR)       # its content is still there
    assert refused.returncode == 1 and f"content/{YEAR}/ still exists" in refused.stderr

    result = run_yjplan(published, "build", "--remove", OLDER)
    assert result.returncode == 0, result.stderr
    assert not (site / OLDER).exists()
    assert [v["version"] for v in json.loads((site / "versions.json").read_text())] == [YEAR]
    assert (site / YEAR / "index.html").is_file()
