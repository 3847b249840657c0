"""A joint youth justice service: three councils, one plan (tests/examples/riverside/).

Each council's own figures are shown beside the service's, the service's figures are the sums
of its councils' counts, the councils are named "A, B and C" wherever the plan names them, and
each council's own approval route is checked. Read back from the built site and PDFs
(example_sites, built once) or from the check run in process on a copy."""
from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from conftest import copy_example, run_yjplan
from pdfread import layout
from tables import tables

from plan import derive
from plan.check import check_project
from plan.load import PlanError, load_project
from plan.problems import Severity
from plan.render import render_year

NAME = "riverside"
YEAR = "2025-26"
COUNCILS = ["Riverside Borough Council", "Eastfield District Council", "Hollins City Council"]
JOINED = "Riverside Borough Council, Eastfield District Council and Hollins City Council"
SERVICE_ROW, AUTHORITY_ROWS = "Riverside, Eastfield and Hollins YJP", ["Riverside", "Eastfield", "Hollins"]


def plain(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def site(example_sites) -> Path:
    return example_sites[NAME] / YEAR


@pytest.fixture
def joint(tmp_path) -> Path:
    """A copy of the example the test may break."""
    return copy_example(NAME, tmp_path / NAME)


def findings(root: Path):
    try:
        project = load_project(root, [YEAR])
    except PlanError as error:
        return error.findings
    return check_project(project)


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- what the reader sees ---------------------------------------------------------------------------

def test_each_councils_figures_are_shown_beside_the_services_and_its_comparators(site):
    html = (site / "performance" / "index.html").read_text(encoding="utf-8")
    found = [(plain(caption), head, body) for caption, head, body, _ in tables(html)
             if "service and comparators" in plain(caption)]
    comparator_tables = [(caption, [plain(r[0]) for r in body]) for caption, _, body in found
                         if "each measure" not in caption]
    assert len(comparator_tables) == 3          # first time entrants, reoffending, custody
    [(_, head, _)] = [table for table in found if "each measure" in table[0]]     # reoffending's measures
    assert [plain(cell) for cell in head][1:5] == [SERVICE_ROW, *AUTHORITY_ROWS]
    for caption, areas in comparator_tables:
        assert areas[:4] == [SERVICE_ROW, *AUTHORITY_ROWS], caption
        assert areas[4:] == ["YJS family average", "East Midlands", "England"], caption


def test_the_services_counts_are_the_sum_of_its_councils(joint):
    """The service has no published rows of its own: each of its figures adds up the councils'
    numerators and denominators (the rate is worked out from the sums, never added)."""
    project = load_project(joint, [YEAR])
    plan = project.years[0]
    indicators = derive.derive(project, plan).indicators
    for key, indicator in indicators.items():
        service = indicator.area("service")
        councils = [s for s in indicator.series if s.kind == "authority"]
        assert [c.name for c in councils] == AUTHORITY_ROWS
        assert service.figures, key
        for figure in service.figures:
            parts = [c.at(figure.period) for c in councils]
            assert figure.numerator == sum(p.numerator for p in parts)
            assert figure.denominator == sum(p.denominator for p in parts)
            assert figure.value == pytest.approx(
                figure.numerator / figure.denominator * indicator.definition.scale)
            assert figure.value != pytest.approx(sum(p.value for p in parts))


def test_a_published_service_figure_is_shown_as_published(joint):
    """A figure the service published itself wins over the sum of its councils'."""
    data = joint / "data" / "indicators.csv"
    data.write_text(data.read_text(encoding="utf-8") + "fte,rehyjp,2024,2024-12-31,1,100000,2025-01-30\n",
                    encoding="utf-8")
    project = load_project(joint, [YEAR])
    fte = derive.derive(project, project.years[0]).indicators["fte"]
    assert fte.area("service").at("2024").numerator == 1


def test_the_councils_are_named_a_b_and_c_on_the_site(site):
    home = plain((site / "index.html").read_text(encoding="utf-8"))
    assert JOINED in home and " and ".join(COUNCILS) not in home
    footer = plain((site / "performance" / "index.html").read_text(encoding="utf-8"))
    assert f"Published by {JOINED}" in footer
    statement = plain((site / "accessibility" / "index.html").read_text(encoding="utf-8"))
    assert f"This website is run by {JOINED}" in statement


def test_the_councils_are_named_a_b_and_c_on_the_cover_and_in_the_pdfs_metadata(site):
    pdf = next(p for p in site.glob("*.pdf") if not p.stem.endswith("-appendices"))
    cover = words(" ".join(line.text for line in layout(pdf)[0].lines))
    assert JOINED in cover
    assert PdfReader(pdf).metadata.author == JOINED


def test_the_checklist_shows_each_councils_duty_met(site):
    html = (site / "appendix-g-compliance" / "index.html").read_text(encoding="utf-8")
    rows = [[plain(c) for c in row] for caption, _, body, _ in tables(html) for row in body
            if "Statutory" in plain(caption)]
    for council in COUNCILS:
        line = next(r for r in rows if r[0].startswith(f"{council}:"))
        assert line[3] == "Yes" and "Full Council" in line[4]


def test_each_councils_contribution_is_its_own_row_of_the_budget(site):
    html = (site / "appendix-b-budget" / "index.html").read_text(encoding="utf-8")
    agencies = [plain(r[0]) for caption, _, body, _ in tables(html) for r in body
                if "Budget costs and contributions" in plain(caption)]
    assert all(council in agencies for council in COUNCILS)


def test_the_risk_key_and_letter_and_number_ratings_are_shown(site):
    page = plain((site / "risks" / "index.html").read_text(encoding="utf-8"))
    assert "D2" in page and "B1" in page
    assert "Almost impossible" in page and "Catastrophic" in page     # the scheme's key


# --- the check ---------------------------------------------------------------------------------------

def test_the_example_has_no_problems(joint):
    assert [f for f in findings(joint) if f.severity is Severity.ERROR] == []


def test_removing_one_councils_approval_fails_the_check_naming_that_council(joint):
    edit(joint / "content" / YEAR / "plan.yml",
         "  - {body: Full Council, authority: Eastfield District Council, date: 2025-07-22, decision: approved}\n", "")
    errors = [f for f in findings(joint) if f.severity is Severity.ERROR]
    assert [f.rule for f in errors] == ["s40.joint-authority"]
    assert "no full council approval recorded for Eastfield District Council" in errors[0].message
    assert errors[0].file == f"content/{YEAR}/plan.yml" and errors[0].line and errors[0].field == "approvals"
    assert "authority: Eastfield District Council" in errors[0].fix
    result = run_yjplan(joint, "build")
    assert result.returncode == 1 and "Eastfield District Council" in result.stdout + result.stderr
    assert not (joint / "site").exists()


def test_a_council_with_no_contribution_is_an_error_naming_it(joint):
    edit(joint / "content" / YEAR / "finance.yml", "    authority: Hollins City Council\n", "")
    errors = [f for f in findings(joint) if f.severity is Severity.ERROR]
    assert [f.rule for f in errors] == ["s40.joint-authority"]
    assert "no local-authority contribution from Hollins City Council" in errors[0].message


def test_an_authority_listed_twice_is_an_error(joint):
    edit(joint / "content" / YEAR / "plan.yml", "  - {name: Hollins City Council, area: hollins-cc}\n",
         "  - {name: Hollins City Council, area: hollins-cc}\n  - {name: Hollins City Council}\n")
    found = [f for f in findings(joint) if f.rule == "joint.duplicate-authority"]
    assert len(found) == 1 and found[0].severity is Severity.ERROR
    assert found[0].file == f"content/{YEAR}/plan.yml" and found[0].line == 5 and found[0].field == "authority[3]"
    assert "'Hollins City Council' is listed twice" in found[0].message


def test_an_approval_naming_an_authority_not_in_the_plan_is_an_error(joint):
    edit(joint / "content" / YEAR / "plan.yml", "authority: Hollins City Council, date: 2025-07-24",
         "authority: Hollins Town Council, date: 2025-07-24")
    found = [f for f in findings(joint) if f.rule == "joint.unknown-authority"]
    assert len(found) == 1 and found[0].severity is Severity.ERROR
    assert found[0].file == f"content/{YEAR}/plan.yml" and found[0].field == "approvals[7].authority"
    assert found[0].line == line_of(joint / "content" / YEAR / "plan.yml", "Hollins Town Council")
    assert "did you mean 'Hollins City Council'?" in found[0].fix
    # and that council's full council approval is now missing
    assert any(f.rule == "s40.joint-authority" and "Hollins City Council" in f.message for f in findings(joint))


def test_a_councils_decision_that_names_no_council_is_an_error(joint):
    edit(joint / "content" / YEAR / "plan.yml", "{body: Cabinet, authority: Riverside Borough Council, ",
         "{body: Cabinet, ")
    found = [f for f in findings(joint) if f.rule == "joint.approval-authority"]
    assert len(found) == 1 and found[0].field == "approvals[2].body"
    assert "Riverside Borough Council" in found[0].fix


def test_an_authoritys_area_code_not_in_the_areas_is_an_error(joint):
    edit(joint / "content" / YEAR / "plan.yml", "area: eastfield-dc}", "area: eastfeld-dc}")
    found = [f for f in findings(joint) if f.rule == "plan.authority-area"]
    assert len(found) == 1 and found[0].field == "authority[1].area"
    assert "did you mean 'eastfield-dc'?" in found[0].fix


def test_a_site_naming_one_council_as_a_list_still_reads_as_before(joint):
    """A single authority is the same model with one entry: a one-item list reads as the name."""
    edit(joint / "content" / "site.yml", f"authority: [{', '.join(COUNCILS)}]", "authority: [Riverside Borough Council]")
    project = load_project(joint, [YEAR])
    assert project.site.authority_name == "Riverside Borough Council"
    assert project.years[0].meta.authority_name == JOINED


# --- the pack ----------------------------------------------------------------------------------------

def test_the_pack_with_the_inspection_holds_the_improvement_plan(example_sites, tmp_path):
    root = example_sites[NAME].parent
    out = tmp_path / "pack.pdf"
    result = run_yjplan(root, "pack", YEAR, "--include", "inspection", "-o", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    text = words(" ".join(page.text for page in layout(out)))
    assert "Inspection improvement plan" in text
    for action in yaml.safe_load((root / "content" / YEAR / "inspection.yml").read_text())["improvement_plan"]:
        assert words(action["owner"]) in text      # short enough to stay on one line of its cell
    assert "Agree a joint protocol with Housing" in text


def test_local_counts_given_per_council_add_up_to_the_services(joint):
    """data/local.csv's optional area column: a measure's latest period given only per council
    is shown for the service as the sum of the councils' counts."""
    def grid(root):
        project = load_project(root, [YEAR])
        found = next(t for t in derive.derive(project, project.years[0]).tables if t.table.library == "disposals")
        return found.periods, [(row.label, [c.count for c in row.cells]) for row in found.rows]

    before = grid(joint)
    latest = before[0][-1]
    data = joint / "data" / "local.csv"
    lines = data.read_text(encoding="utf-8").splitlines()
    kept, split = [], []
    for line in lines[1:]:
        fields = line.rsplit(",", 3)         # the category may hold commas: split from the right
        if line.startswith(f"disposals,{latest},"):
            count = int(fields[1])
            parts = [count // 3, count // 3, count - 2 * (count // 3)]
            split += [",".join([fields[0], str(n), fields[2], code]) for n, code in
                      zip(parts, ["riverside-bc", "eastfield-dc", "hollins-cc"])]
        else:
            kept.append(line)
    assert split
    data.write_text("\n".join([lines[0], *kept, *split]) + "\n", encoding="utf-8")
    assert grid(joint) == before

    # and each council's counts are shown beside the service's, in the latest period
    project = load_project(joint, [YEAR])
    table = next(t for t in derive.derive(project, project.years[0]).tables if t.table.library == "disposals")
    assert [name for name, _ in table.authorities] == COUNCILS
    for k, row in enumerate(table.rows):
        assert row.cells[-1].count == sum(part.rows[k].cells[-1].count for _, part in table.authorities)


# --- local tables per council (#15) ------------------------------------------------------------------

def referrals(site: Path) -> tuple[list[str], dict[str, list[str]], list[str]]:
    """The referrals table by authority, read back from the built performance page."""
    html = (site / "performance" / "index.html").read_text(encoding="utf-8")
    [(head, body, foot)] = [(head, body, foot) for caption, head, body, foot in tables(html)
                            if plain(caption).startswith("Children referred to the partnership, by source (children) by authority")]
    text = lambda cell: unescape(plain(cell))      # noqa: E731
    return [text(c) for c in head], {text(r[0]): [text(c) for c in r[1:]] for r in body}, [text(c) for c in foot[0]]


def test_a_local_table_shows_each_council_beside_the_service_summed_from_their_counts(site):
    head, body, foot = referrals(site)
    assert head == ["Source of referral", *COUNCILS, "Total"]
    assert body["Police"] == ["46", "33", "27", "106"]          # the service's 106 = 46 + 33 + 27
    assert foot == ["Total", "76", "57", "40", "173"]
    # Hollins's 3 referrals from children's services is hidden, and so is what would give it away:
    # another of Hollins's categories (against its total) and another council's children's services
    # (against the service's figure)
    assert body["Children's services"][2] == "[c]" and body["Court"][2] == "[c]"
    hidden = sum(cell == "[c]" for cell in body["Children's services"][:3])
    assert hidden == 2 and body["Children's services"][3] == "22"
    # the service's own table shows the sums
    service = (site / "performance" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'id="table-referrals">.*?Police</th><td class="num">96</td><td class="num">106</td>',
                     service, re.S)


@pytest.mark.parametrize("where, old, new", [
    ("data/tables/referrals.csv", "2024-25,Police,27,hollins-cc", "2024-25,Police,27,hollins-c"),
    ("data/local.csv", "disposals,2021-22,2022-03-31,Triage or diversion (pre-court),38,2022-05-15,",
     "disposals,2021-22,2022-03-31,Triage or diversion (pre-court),38,2022-05-15,eastfeld-dc"),
])
def test_an_unknown_area_in_a_tables_data_is_an_error_naming_the_codes_that_exist(joint, where, old, new):
    path = joint / where
    edit(path, old, new)
    [found] = [f for f in findings(joint) if f.rule == "data.table-area"]
    assert found.severity is Severity.ERROR and found.file == where and found.field == "area"
    assert found.line == line_of(path, new)
    assert "rehyjp, riverside-bc, eastfield-dc, hollins-cc" in found.fix or \
        all(code in found.fix for code in ("rehyjp", "riverside-bc", "eastfield-dc", "hollins-cc"))


def test_a_councils_cabinet_dated_before_the_board_is_an_error_naming_that_council(joint):
    plan_yml = joint / "content" / YEAR / "plan.yml"
    edit(plan_yml, "{body: Cabinet, authority: Eastfield District Council, date: 2025-07-10",
         "{body: Cabinet, authority: Eastfield District Council, date: 2025-06-10")
    [found] = [f for f in findings(joint) if f.rule == "joint.approval-order"]
    assert found.severity is Severity.ERROR and found.field == "approvals[4].date"
    assert found.line == line_of(plan_yml, "date: 2025-06-10")
    assert "Eastfield District Council" in found.message and "before 'Youth Justice Board'" in found.message


def test_each_councils_chart_line_has_its_own_colour_and_dash_in_the_legend(joint):
    from plan.charts import spec
    project = load_project(joint, [YEAR])
    indicator = derive.derive(project, project.years[0]).indicators["fte"]
    chart = spec(indicator).to_dict()
    colour, dash = chart["encoding"]["color"], chart["encoding"]["strokeDash"]
    names = colour["scale"]["domain"]
    assert all(name in names for name in AUTHORITY_ROWS)
    styles = list(zip(colour["scale"]["range"], map(tuple, dash["scale"]["range"])))
    assert len(set(styles)) == len(names)              # no two lines look alike
    assert len({c for c, _ in styles}) == len(names)  # each its own colour, not only its own dash
    assert colour["legend"] is not None and dash["legend"] is not None and dash["scale"]["domain"] == names


def test_the_narrative_quotes_a_councils_own_count_and_never_a_hidden_one(joint):
    """tables.<id>.authorities.<code>.<category>.count: each council's latest figures, as its
    column of the table shows them; a count the table hides is refused, naming the variable."""
    project = load_project(joint, [YEAR])
    plan = project.years[0]
    variables = derive.derive(project, plan).variables["tables"]["referrals"]["authorities"]
    assert variables["riverside_bc"]["name"] == "Riverside Borough Council"
    assert variables["riverside_bc"]["police"]["count"] == "46" and variables["riverside_bc"]["police"]["share"] == "60.5%"
    assert set(variables["riverside_bc"]["police"]) == {"count", "period", "share", "share_of"}   # latest period only
    assert type(variables["eastfield_dc"]["court"]["count"]).__name__ == "Suppressed"

    narrative = next((joint / "content" / YEAR / "narrative").glob("01-*.md"))
    text = narrative.read_text(encoding="utf-8")
    narrative.write_text(text + "\nThe police referred {{ tables.referrals.authorities.riverside_bc.police.count }} "
                         "children in {{ tables.referrals.authorities.riverside_bc.name }}.\n", encoding="utf-8")
    project = load_project(joint, [YEAR])
    plan = project.years[0]
    page = next(p.body for p in render_year(project, plan, derive.derive(project, plan)).pages if p.slug == "introduction")
    assert "The police referred 46 children in Riverside Borough Council." in page
    narrative.write_text(text + "\nCourts referred {{ tables.referrals.authorities.eastfield_dc.court.count }}.\n",
                         encoding="utf-8")
    from plan.gate import open_gate
    [error] = [f for f in open_gate(joint).findings if f.rule == "privacy.suppressed-figure"]
    assert error.file.endswith(narrative.name) and error.line == len(text.splitlines()) + 2
    assert "count for court in Eastfield District Council in 2024-25" in error.message
