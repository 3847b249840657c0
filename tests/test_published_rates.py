"""Published rates as they stand: a comparator's rate can be given as published, without the
counts behind it, and is shown as given; nothing that needs counts is invented from it. The
three reoffending measures (binary rate, frequency, reoffences per reoffender) each show,
labelled, on the site and in the PDF."""
from __future__ import annotations

import re

import pytest

from conftest import ROOT, run_yjplan, sample_years
from pdfread import layout
from plan import derive
from plan.check import check_project
from plan.load import load_project
from plan.problems import PlanError, Severity
from plan.variables import variables_listing

LATEST = sample_years()[-1]
CSV = "data/indicators.csv"


def add_rows(root, *rows: str) -> int:
    """Append rows to the project's indicators.csv; the CSV line of the first one."""
    path = root / CSV
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "".join(row + "\n" for row in rows), encoding="utf-8")
    return text.count("\n") + 1


def derived(root, year=LATEST):
    project = load_project(root, [year])
    return project, derive.derive(project, project.years[0])


def series(d, indicator, area):
    return next(s for s in d.indicators[indicator].series if s.area == area)


def findings_of(root) -> list:
    with pytest.raises(PlanError) as raised:
        load_project(root, [LATEST])
    return raised.value.findings


# --- in-process: derive on a copy ------------------------------------------------------------

def test_a_published_rate_is_shown_as_given_with_its_precision_and_no_counts(project_copy):
    add_rows(project_copy, "reoffending,east-midlands,2022-23,2023-03-31,,,2025-02-01,32.00")
    _, d = derived(project_copy)
    figure = series(d, "reoffending", "east-midlands").at("2022-23")
    assert (figure.numerator, figure.denominator, figure.published) == (None, None, "32.00")
    reoffending = d.indicators["reoffending"]
    region = reoffending.area("region")
    assert reoffending.figure_text(region, "2022-23") == "32.00%"      # not 32.0%: as published
    assert d.variables["reoffending"]["region_rate"] == "32.00%"
    # the change is worked out from the rates: 32.00 against 867 / 2667 = 32.508% the period before
    assert derive.change_words(reoffending, region, reoffending.periods) == "down 0.5 percentage points"


def test_the_sample_comparators_given_as_rates_show_those_rates():
    _, d = derived(ROOT)
    assert d.variables["reoffending"]["national_rate"] == "31.4%"
    assert d.variables["reoffending"]["family_rate"] == "31.7%"
    assert d.variables["reoffending_frequency"]["national_rate"] == "1.08"
    england = series(d, "reoffending", "england").at("2022-23")
    assert england.published == "31.4" and england.numerator is None


def test_reoffences_per_reoffender_is_worked_out_from_counts_and_never_from_rates():
    _, d = derived(ROOT)
    service = series(d, "reoffences-per-reoffender", "castlebridge").at("2022-23")
    assert (service.numerator, service.denominator) == (85, 26)          # reoffences, reoffenders
    assert d.variables["reoffences_per_reoffender"]["rate"] == "3.27"
    # England 2022-23 is published as rates only: its reoffenders are unknown, so nothing is derived
    assert series(d, "reoffences-per-reoffender", "england").at("2022-23") is None
    assert d.variables["reoffences_per_reoffender"]["national_rate"] == "not available"


def test_the_service_given_as_a_rate_alone_has_no_count_to_quote_and_is_warned_about(project_copy):
    line = add_rows(project_copy, "reoffending,castlebridge,2022-23,2023-03-31,,,2025-02-01,31.3")
    project, d = derived(project_copy)
    assert d.variables["reoffending"]["rate"] == "31.3%"
    assert d.variables["reoffending"]["count"] == "not available"
    warnings = [f for f in check_project(project) if f.rule == "data.service-rate-only"]
    assert [(w.file, w.line, w.field, w.severity) for w in warnings] == [(CSV, line, "rate", Severity.WARNING)]


def test_a_small_count_of_the_service_is_still_protected_beside_published_rates(project_copy):
    add_rows(project_copy, "reoffending,castlebridge,2022-23,2023-03-31,3,10,2025-02-01,30.0")
    _, d = derived(project_copy)
    assert isinstance(d.variables["reoffending"]["count"], derive.Suppressed)
    assert d.variables["reoffending"]["rate"] == "30.0%" and d.variables["reoffending"]["national_rate"] == "31.4%"


def test_a_change_between_published_rates_is_worked_out_from_the_rates(project_copy):
    add_rows(project_copy, "fte,england,2023,2023-12-31,,,2025-05-01,146.0",
             "fte,england,2024,2024-12-31,,,2025-05-01,138.7")
    _, d = derived(project_copy)
    fte = d.indicators["fte"]
    assert fte.figure_text(fte.area("national"), "2024") == "138.7"
    assert derive.change_words(fte, fte.area("national"), fte.periods) == "down 5.0%"   # (138.7 - 146) / 146


def test_an_indicators_file_without_the_rate_column_still_reads(project_copy):
    path = project_copy / CSV
    heading, *rows = path.read_text(encoding="utf-8").splitlines()
    kept = [row for row in rows if row.count(",") == 6]                  # the rows with counts only
    path.write_text("\n".join([heading.removesuffix(",rate"), *kept]) + "\n", encoding="utf-8")
    _, d = derived(project_copy)
    assert d.variables["reoffending"]["national_rate"] == "31.4%"        # now from 9136 / 29096
    assert series(d, "reoffending", "england").at("2022-23").numerator == 9136


def test_counts_and_a_rate_that_agree_to_the_stated_precision_pass(project_copy):
    add_rows(project_copy, "reoffending,castlebridge,2022-23,2023-03-31,26,83,2025-02-01,31.3",
             "reoffending,east-midlands,2022-23,2023-03-31,806,2520,2025-02-01,32")
    _, d = derived(project_copy)
    assert d.variables["reoffending"]["rate"] == "31.3%"


BAD_ROWS = [
    ("reoffending,england,2022-23,2023-03-31,,,2025-02-01,", "numerator", "data.no-figure",
     "neither a numerator and denominator nor a published rate"),
    ("reoffending,england,2022-23,2023-03-31,9136,,2025-02-01,", "denominator", "data.half-count",
     "gives a numerator but no denominator"),
    ("reoffending,england,2022-23,2023-03-31,9136,29096,2025-02-01,31.6", "rate", "data.rate-disagrees",
     "9,136 ÷ 29,096 × 100 is 31.400"),
    ("reoffending,england,2022-23,2023-03-31,,,2025-02-01,314", "rate", "data.implausible-rate",
     "outside 0 to 100 (per cent)"),
    ("reoffences-per-reoffender,england,2022-23,2023-03-31,,,2025-02-01,0.35", "rate", "data.implausible-rate",
     "outside 1 to 20 (per reoffender)"),
    ("fte,england,2024,2024-12-31,,,2025-05-01,1.4", "rate", "data.implausible-rate", None),   # in range: passes
]


@pytest.mark.parametrize("row, column, rule, words", BAD_ROWS, ids=[r[2] + ":" + r[1] for r in BAD_ROWS])
def test_a_bad_published_rate_row_names_the_csv_row_and_column(project_copy, row, column, rule, words):
    line = add_rows(project_copy, row)
    if words is None:
        load_project(project_copy, [LATEST])              # a rate within its range is taken as published
        return
    found = [f for f in findings_of(project_copy) if f.rule == rule]
    assert [(f.file, f.line, f.field) for f in found] == [(CSV, line, column)], found
    assert words in found[0].message and found[0].fix


def test_the_variables_listing_names_each_reoffending_measure():
    listing = variables_listing(ROOT, LATEST)
    for name, value in [("reoffending.rate", "31.3%"), ("reoffending_frequency.rate", "1.02"),
                        ("reoffences_per_reoffender.rate", "3.27")]:
        assert re.search(r"\{\{ " + re.escape(name) + r" \}\}\s+" + re.escape(value), listing), name
    assert "Reoffences per reoffender, per reoffender" in listing


# --- one real build of the latest year: the site and the PDF read back ----------------------

@pytest.fixture(scope="module")
def latest_site(tmp_path_factory):
    from conftest import copy_project
    root = copy_project(tmp_path_factory.mktemp("rates"))
    result = run_yjplan(root, "build", LATEST)
    assert result.returncode == 0, result.stderr
    return root / "site" / LATEST


def measures_rows(html: str) -> dict[str, list[str]]:
    table = re.search(r'<table class="data measures">(.*?)</table>', html, re.S).group(1)
    heads = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', table)
    rows = {}
    for label, cells in re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', table):
        rows[label] = dict(zip(heads[1:], re.findall(r"<td[^>]*>(.*?)</td>", cells)))
    return rows


def test_the_site_shows_the_three_reoffending_measures_labelled_with_published_rates_as_given(latest_site):
    html = (latest_site / "performance" / "index.html").read_text(encoding="utf-8")
    rows = measures_rows(html)
    assert rows == {
        "Binary rate: children in the cohort who reoffended (%)":
            {"Castlebridge": "31.3%", "YJS family average": "31.7%", "East Midlands": "32.0%", "England": "31.4%"},
        "Frequency: reoffences per child in the cohort":
            {"Castlebridge": "1.02", "YJS family average": "1.09", "East Midlands": "1.10", "England": "1.08"},
        "Reoffences per reoffender":
            {"Castlebridge": "3.27", "YJS family average": "not available", "East Midlands": "3.44",
             "England": "not available"},
    }
    # the comparators table: England's change from a count-based rate to a published one, in points
    england = re.search(r'<tr><th scope="row">England</th>(.*?)</tr>',
                        html[html.index("Reoffending (binary rate) (%): latest and previous period"):]).group(1)
    assert "31.4%" in england and "down 0.5 percentage points" in england


def test_the_pdf_shows_the_three_reoffending_measures_labelled(latest_site):
    [pdf] = [p for p in latest_site.glob("*.pdf") if not p.name.endswith("-appendices.pdf")]
    lines = [line.text for page in layout(pdf) for line in page.lines]
    # one table row per line; a long label wraps after its figures
    assert "Frequency: reoffences per child in the cohort 1.02 1.09 1.10 1.08" in lines
    assert "Reoffences per reoffender 3.27 not available 3.44 not available" in lines
    binary = next(line for line in lines if line.startswith("Binary rate: children in the cohort"))
    assert binary.endswith("31.3% 31.7% 32.0% 31.4%")
    assert "reoffended (%)" == lines[lines.index(binary) + 1]
