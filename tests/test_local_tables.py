"""Local tables a plan declares itself (content/tables.yml, data/tables/<id>.csv), read back from
the Hallowmere example's site and PDF: every change is worked out from the earlier period, a
change in a share is labelled in percentage points, totals appear only where the categories add
up, an unknown is never a 0, and each typed statistic is warned about, naming the variable that
contradicts it. Then each kind of bad input, as an error naming the file, line, field and fix."""
from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import pytest

from conftest import copy_example
from plan.derive import Suppressed, derive
from plan.load import load_project
from plan.localtables import Dimension, Table, derive_table, variables
from plan.narrative import render as render_narrative
from plan.problems import PlanError
from plan.typedstats import RULE, typed_statistics

NAME, YEAR = "hallowmere", "2022-23"


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def local_tables(page: Path) -> dict[str, dict]:
    """id -> {'head': [...], 'rows': {label: [cells]}, 'html': ...} of each local table on a page."""
    found = {}
    for match in re.finditer(r'<table class="data counts local-table" id="table-([\w-]+)">(.*?)</table>',
                             page.read_text(encoding="utf-8"), re.S):
        table = match.group(2)
        head = [_text(c) for c in re.findall(r"<th[^>]*>(.*?)</th>", table.split("</thead>")[0], re.S)]
        rows = {}
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.split("</thead>")[1], re.S):
            cells = [_text(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            rows[cells[0]] = cells[1:]
        found[match.group(1)] = {"head": head, "rows": rows, "html": table}
    return found


@pytest.fixture(scope="module")
def site(example_sites) -> Path:
    return example_sites[NAME] / YEAR


@pytest.fixture(scope="module")
def performance(site) -> dict[str, dict]:
    return local_tables(site / "performance" / "index.html")


@pytest.fixture(scope="module")
def pdf_text(site) -> str:
    pdf = next(p for p in site.glob("*.pdf") if not p.name.endswith("-appendices.pdf"))
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True,
                          text=True).stdout


def _number(cell: str) -> int | None:
    return int(cell.replace(",", "")) if re.fullmatch(r"[\d,]+", cell) else None


# --- read back from the site and the PDF -------------------------------------------------------

def test_the_example_shows_at_least_six_local_tables_on_site_and_in_print(site, performance, pdf_text):
    assert len(performance) >= 6
    [page] = site.glob("appendix-*-staffing/index.html")     # numbered as the council numbers it
    staffing = local_tables(page)
    assert list(staffing) == ["training"]            # a table placed in an appendix
    for table in list(performance.values()) + list(staffing.values()):
        caption = _text(re.search(r"<caption>(.*?)</caption>", table["html"], re.S).group(1))
        assert caption in " ".join(pdf_text.split()), caption


def test_each_change_is_worked_out_from_the_earlier_period(performance, pdf_text):
    checked = 0
    for table in performance.values():
        head = table["head"]
        if not any(h.startswith("Change,") for h in head):
            continue
        k = next(i for i, h in enumerate(head) if h.startswith("Change,"))
        assert re.search(r"Change, (\S+) to (\S+) \(% of \1\)", head[k]) or "% of" in head[k]
        for label, cells in table["rows"].items():
            earlier, later, change = _number(cells[k - 3]), _number(cells[k - 2]), cells[k - 1]
            if earlier and later is not None:
                expected = 100 * (later - earlier) / earlier
                sign = "+" if expected > 0 else "−" if round(expected, 1) else ""
                assert change == f"{sign}{abs(expected):.1f}%", (label, cells)
                checked += 1
    assert checked >= 20
    # outcomes 90 -> 100: up 11.1% of 90, never the 10% of 100 that real reports print
    assert "Total 90 100 +11.1%" in " ".join(pdf_text.split())
    assert "100 outcomes in 2021-22, against 90 in 2020-21: up 11.1%" in " ".join(pdf_text.split())


def test_a_change_in_a_share_is_labelled_in_percentage_points(site, performance, pdf_text):
    for table in performance.values():
        if "Share of total" not in " ".join(table["head"]):
            continue
        k = next(i for i, h in enumerate(table["head"]) if h.startswith("Change in share"))
        assert table["head"][k].endswith("(percentage points)")
        values = [cells[k - 1] for cells in table["rows"].values() if cells[k - 1]]
        assert values and all(v.endswith(" pp") or v == "[c]" for v in values), values
    flat = " ".join(pdf_text.split())
    assert "up 5.0 percentage points on 2020-21" in flat
    assert "a change in a share is in percentage points (pp), not per cent" in flat


def test_totals_appear_only_for_dimensions_that_add_up(performance, pdf_text):
    assert "Total" in performance["disposals"]["rows"]
    for overlapping in ("custody", "seen"):
        assert not any("Total" in label for label in performance[overlapping]["rows"]), overlapping
    triage = performance["triage"]["rows"]
    assert {"Starts: Total", "Completions: Total"} <= set(triage)          # sex adds up within a stage
    assert not any(label == "Total" or label.startswith("Total:") for label in triage)   # starts + completions do not
    assert "<tfoot>" not in performance["triage"]["html"]
    flat = " ".join(pdf_text.split())
    assert "No total is shown for Stage: its categories count different things." in flat


def test_no_sentence_or_cell_says_0_for_an_unknown(site, performance, pdf_text):
    custody = performance["custody"]["rows"]["In custody at the end of the year"]
    assert custody[:3] == ["5", "not recorded", "not available"]
    governance = _text((site / "governance" / "index.html").read_text(encoding="utf-8"))
    assert "its average attendance is not available" in governance
    assert "1 of them vacant" in governance
    flat = " ".join(pdf_text.split())
    for text in (governance, flat):
        assert not re.search(r"\bmet 0 times|\b0 of 0\b|attendance (?:is|of) 0%", text)
    assert "The number still in custody at the end of the year was not recorded, so its change is not available" in flat
    assert "In custody at the end of the year 5 not recorded not available" in flat
    assert "to follow" in flat and "expected 28 September 2022" in flat


# --- typed statistics -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    return copy_example(NAME, tmp_path_factory.mktemp("hallowmere"))


def _typed_warnings(root: Path) -> list[str]:
    project = load_project(root, [YEAR])
    plan = project.years[0]
    return [f"{f.line}: {f.message}" for f in typed_statistics(plan, derive(project, plan)) if f.rule == RULE
            and f.file.endswith("04-performance.md")]


def test_every_typed_statistic_is_warned_and_a_contradicted_one_names_the_variable(example):
    warnings = _typed_warnings(example)
    joined = "\n".join(warnings)
    assert len(warnings) == 4, joined            # the quoted national figure is left alone
    assert "typed 'rose by 10%'; {{ tables.disposals.total.change }} is up 11.1%: check the figure" in joined
    assert "typed 'rose by 20.5%'; {{ tables.offences.total.change }} is up 20.5%: quote the variable" in joined
    assert ("typed 'rose by 5%'; {{ tables.ete.school_age.in_suitable_ete.share_change }} is up 5.0 percentage "
            "points: check the figure (a change in a percentage is in percentage points, not %)") in joined
    assert "typed '49 per 1,000'; {{ tables.in_care.total.rate }} is 4.93: check the figure" in joined
    assert "71%" not in joined


def test_yjplan_variables_lists_every_figure_of_every_table(example):
    from conftest import run_yjplan
    listing = run_yjplan(example, "variables").stdout
    for name, value in (("tables.disposals.total.change", "up 11.1%"),
                        ("tables.triage.starts.female.share", "25.0%"),
                        ("tables.ete.total.total.count", "90"),
                        ("tables.in_care.total.rate", "4.93"),
                        ("tables.custody.in_custody_at_the_end_of_the_year.count", "not recorded"),
                        ("tables.disposals.custodial_sentence.count", "[c] (suppressed)")):
        assert re.search(r"\{\{ " + re.escape(name) + r" \}\}\s+" + re.escape(value), listing), name


# --- bad input ----------------------------------------------------------------------------------------

def _errors(root: Path) -> list:
    with pytest.raises(PlanError) as caught:
        load_project(root, [YEAR])
    return [f for f in caught.value.findings if f.severity.value == "error"]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def broken(tmp_path) -> Path:
    return copy_example(NAME, tmp_path / "project")


@pytest.mark.parametrize("old, new, rule, line, field, words", [
    ("2021-22,Youth caution,8", "2021-22,Youth cautoin,8", "data.table-category", 5, "outcome", "did you mean 'Youth caution'"),
    ("2021-22,Youth caution,8", "2022-23,Youth caution,8", "data.table-period", 5, "period", "use one of: 2020-21, 2021-22"),
    ("2021-22,Youth caution,8", "2021-22,Youth caution,8.5", "data.table-count", 5, "count", "not a whole number"),
    ("2021-22,Youth caution,8", "2021-22,Youth caution,-1", "data.table-count", 5, "count", "not a whole number"),
    ("2021-22,Youth caution,8", "2021-22,Total,100", "data.table-total-row", 5, "outcome", "works out totals itself"),
])
def test_bad_counts_are_errors_naming_the_row_and_column(broken, old, new, rule, line, field, words):
    _edit(broken / "data" / "tables" / "disposals.csv", old, new)
    found = [f for f in _errors(broken) if f.rule == rule]
    assert found, _errors(broken)
    assert (found[0].file, found[0].line, found[0].field) == ("data/tables/disposals.csv", line, field)
    assert words in found[0].message + found[0].fix


def test_an_area_not_in_the_areas_list_is_an_error(broken):
    _edit(broken / "data" / "tables" / "triage.csv", "2021-22,Completions,Male,47,hallowmere",
          "2021-22,Completions,Male,47,hallowmeer")
    found = [f for f in _errors(broken) if f.rule == "data.table-area"]
    assert found and found[0].line == 9 and "did you mean 'hallowmere'" in found[0].fix


@pytest.mark.parametrize("old, new", [
    ("categories: [In care, Not in care]}", "categories: [In care, Not in care, All children]}"),
    ("- {id: sex, label: Sex, categories: [Female, Male]}", "- {id: sex, label: Sex, categories: [Female, Male], overlaps: true}"),
])
def test_an_additive_dimension_with_overlapping_categories_is_an_error(broken, old, new):
    _edit(broken / "content" / "tables.yml", old, new)
    found = [f for f in _errors(broken) if f.rule == "tables.overlapping-categories"]
    assert found, _errors(broken)
    assert found[0].file == "content/tables.yml" and found[0].line and "additive: false" in found[0].fix


def test_a_library_table_or_heading_that_does_not_exist_is_an_error_with_a_suggestion(broken):
    _edit(broken / "content" / "tables.yml", "from: offences ", "from: offenses ")
    _edit(broken / "content" / "tables.yml", "appendix: staffing", "appendix: staff")
    errors = {f.rule: f for f in _errors(broken)}
    assert "did you mean 'offences'" in errors["tables.unknown-library"].fix
    lines = (broken / "content" / "tables.yml").read_text(encoding="utf-8").splitlines()
    entry = next(n for n, line in enumerate(lines, 1) if "from: offenses" in line) - 1    # its "- id:" line
    assert errors["tables.unknown-library"].line == entry
    assert "did you mean 'staffing'" in errors["tables.unknown-heading"].fix


def test_a_category_of_the_declaration_with_no_count_is_an_error(broken):
    _edit(broken / "data" / "tables" / "ete.csv", "2021-22,Above school age,Not in suitable ETE,20\n", "")
    found = [f for f in _errors(broken) if f.rule == "data.table-missing"]
    assert found and "'Above school age' and 'Not in suitable ETE' in 2021-22" in found[0].message


def test_a_variable_naming_a_table_or_category_that_does_not_exist_suggests_the_nearest(example):
    project = load_project(example, [YEAR])
    plan = project.years[0]
    derived = derive(project, plan)
    narrative = next(n for n in plan.narratives if n.heading == "performance")
    for typo, suggestion in (("tables.disposal.total.change", "tables.disposals.total.change"),
                             ("tables.triage.starts.femail.share", "tables.triage.starts.female.share")):
        narrative.body = f"Outcomes changed {{{{ {typo} }}}}.\n"
        with pytest.raises(PlanError) as caught:
            render_narrative(narrative, derived.variables)
        finding = caught.value.findings[0]
        assert finding.rule == "narrative.unknown-figure" and f"did you mean '{suggestion}'" in finding.message


def test_quoting_a_suppressed_count_of_a_table_is_an_error(example):
    project = load_project(example, [YEAR])
    plan = project.years[0]
    derived = derive(project, plan)
    narrative = next(n for n in plan.narratives if n.heading == "performance")
    narrative.body = "Custody: {{ tables.disposals.custodial_sentence.count }} children.\n"
    with pytest.raises(PlanError) as caught:
        render_narrative(narrative, derived.variables)
    assert caught.value.findings[0].rule == "privacy.suppressed-figure"


def test_a_years_declaration_replaces_the_projects_by_id(example, tmp_path):
    root = copy_example(NAME, tmp_path / "p")
    (root / "content" / YEAR / "tables.yml").write_text(
        "tables:\n  - id: disposals\n    from: disposals\n    title: Outcomes given, by tier\n"
        "    periods: [2020-21, 2021-22]\n    heading: performance\n", encoding="utf-8")
    project = load_project(root, [YEAR])
    titles = [t.title for t in project.tables[YEAR]]
    assert "Outcomes given, by tier" in titles and "Outcomes by tier" not in titles and len(titles) == 12


# --- suppression over two dimensions ---------------------------------------------------------------

def test_two_dimension_tables_hide_small_counts_so_no_subtotal_gives_one_away():
    table = Table("t", "Test", "children",
                  [Dimension(id="a", label="A", categories=["X", "Y"]),
                   Dimension(id="b", label="B", categories=["P", "Q", "R"])],
                  ["2021-22"], "performance", None, None, None, None, True, None, "content/tables.yml", 1, "")
    table.counts = {("X", "P", "2021-22"): 3, ("X", "Q", "2021-22"): 20, ("X", "R", "2021-22"): 12,
                    ("Y", "P", "2021-22"): 9, ("Y", "Q", "2021-22"): 15, ("Y", "R", "2021-22"): 11}
    derived = derive_table(table)
    by_path = {r.path: r.cells[0] for r in derived.rows}
    for group in (("x",), ("y",)):
        parts = [c for p, c in by_path.items() if p[:1] == group and p[-1] != "total"]
        assert by_path[group + ("total",)].hidden or sum(c.hidden for c in parts) != 1
    for column in ("p", "q", "r"):
        parts = [by_path[(g, column)] for g in ("x", "y")]
        assert by_path[("total", column)].hidden or sum(c.hidden for c in parts) != 1
    assert by_path[("x", "p")].hidden
    quoted = variables([derived])["t"]["x"]["p"]
    assert isinstance(quoted["count"], Suppressed) and isinstance(quoted["share"], Suppressed)


# --- the annual report as the council titles it (#14 item 7) ------------------------------------------

APPENDICES = ["Appendix 1: Grant conditions we met", "Appendix 2: Budget and contributions 2022-23",
              "Appendix 3: Annual report 2021-22", "Appendix 4: Who sits on the partnership board",
              "Appendix 5: Staffing by ethnicity and sex", "Appendix 6: Words we use",
              "Appendix 7: Compliance checklist"]


def _nav_titles(page: Path) -> list[str]:
    raw = page.read_text(encoding="utf-8")
    raw = raw[raw.index("md-nav--primary"):]
    return list(dict.fromkeys(t for t in (_text(t) for t in re.findall(r'<span class="md-ellipsis">(.*?)</span>',
                                                                        raw, re.S)) if t))


def test_the_appendices_keep_the_councils_titles_and_the_annual_report_holds_narrative(site, pdf_text):
    nav = _nav_titles(site / "index.html")
    assert [t for t in nav if t.startswith("Appendix")] == APPENDICES
    annual = (site / "appendix-3-annual-report" / "index.html").read_text(encoding="utf-8")
    assert "This appendix is the service's annual report for 2021-22" in _text(annual)
    assert "its attendance is not available" in _text(annual)          # an unknown, never a 0
    assert 'id="table-prevention"' in annual                           # a declared table placed in it
    contents = " ".join(pdf_text[pdf_text.index("Contents"):].split("\x0c")[0].split())
    positions = [contents.find(t) for t in APPENDICES]
    assert -1 not in positions and positions == sorted(positions), contents
    body = " ".join(pdf_text.split())
    assert "This appendix is the service's annual report for 2021-22" in body


def test_a_measure_of_local_csv_that_no_table_picks_is_a_warning(broken):
    """One mechanism: nothing else shows data/local.csv's measures, so one left unpicked is said."""
    _edit(broken / "content" / "tables.yml", "  - {id: remands, from: remands, heading: performance}\n", "")
    project = load_project(broken, [YEAR])
    from plan.localtables import unpicked_measures
    [found] = unpicked_measures(project.local, project.tables)
    assert found.rule == "data.local-unshown" and found.file == "data/local.csv" and found.field == "measure"
    assert "'remands'" in found.message and "from: remands" in found.fix
    rows = (broken / "data" / "local.csv").read_text(encoding="utf-8").splitlines()
    assert rows[found.line - 1].startswith("remands,")


def test_an_older_year_with_no_counts_published_yet_leaves_a_library_table_out_with_a_warning(project_copy):
    """data/local.csv dates every row: a plan whose figures date comes before any count of a
    picked library table shows no table for it (never an empty one, never an error)."""
    from plan.localtables import load_tables
    project = load_project(project_copy)
    early = [p for p in project.years if p.year == "2024-25"]
    early[0].meta.figures_date = __import__("datetime").date(2019, 1, 1)
    tables, findings = load_tables(project_copy, early, project.areas, project.local)
    none_yet = {f.message.split("'")[1] for f in findings if f.rule == "data.table-none-yet"}
    assert "disposals" in none_yet and all(f.severity.value == "warning" for f in findings
                                          if f.rule == "data.table-none-yet")
    assert "disposals" not in {t.id for t in tables["2024-25"]}
    assert not [f for f in findings if f.rule == "data.table-missing"]
