"""Indicator figures are computed from counts and populations, compared, pinned to the plan's
figures date, and quoted in the narrative without drift."""
from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from conftest import ROOT, read_yaml, run_yjplan, sample_years
from plan import derive, rules
from plan.derive import AreaSeries, Figure, Indicator
from plan.load import load_project
from plan.problems import PlanError
from plan.render import render_year

YEARS = sample_years()


def indicator(kind: str, values: list[float]) -> Indicator:
    definition = rules.indicator_set().by_id()[kind]
    figures = [Figure(str(2020 + i), 0, 1, v) for i, v in enumerate(values)]
    return Indicator(definition, [AreaSeries("x", "X", "service", figures)], [f.period for f in figures])


def test_rate_is_computed_from_count_and_population():
    assert derive.rate(34, 21654, 100_000) == pytest.approx(157.0149, abs=1e-4)
    assert derive.rate(2, 21914, 1_000) == pytest.approx(0.09126, abs=1e-5)


def test_change_in_a_rate_is_a_percentage_change():
    fte = indicator("fte", [160.0, 140.0])
    assert fte.change(fte.series[0]) == pytest.approx(-12.5)
    assert derive.change_words(fte, fte.series[0]) == "down 12.5%"


def test_change_in_a_percentage_is_in_percentage_points():
    reoffending = indicator("reoffending", [34.6, 31.8])
    assert reoffending.change(reoffending.series[0]) == pytest.approx(-2.8)
    assert derive.change_words(reoffending, reoffending.series[0]) == "down 2.8 percentage points"


def test_direction_of_good_performance_follows_the_indicator():
    fte = indicator("fte", [160.0, 140.0])
    assert fte.definition.better == "lower"
    assert derive.direction_words(fte, fte.series[0]) == "Better"
    rising = indicator("fte", [140.0, 160.0])
    assert derive.direction_words(rising, rising.series[0]) == "Worse"
    assert derive.direction_words(indicator("fte", [140.0]), AreaSeries("x", "X", "service", [])) == "Not available"


def test_plan_uses_only_figures_published_by_its_figures_date():
    data = pd.DataFrame([
        {"indicator": "fte", "area": "a", "period": "2023", "period_end": dt.date(2023, 12, 31),
         "numerator": 34, "denominator": 100, "published": dt.date(2024, 4, 24)},
        {"indicator": "fte", "area": "a", "period": "2023", "period_end": dt.date(2023, 12, 31),
         "numerator": 35, "denominator": 100, "published": dt.date(2025, 4, 24)},   # a revision
        {"indicator": "fte", "area": "a", "period": "2024", "period_end": dt.date(2024, 12, 31),
         "numerator": 30, "denominator": 100, "published": dt.date(2025, 4, 24)},
    ])
    early = derive.figures_as_at(data, dt.date(2024, 5, 31))
    assert list(early["numerator"]) == [34]
    later = derive.figures_as_at(data, dt.date(2025, 5, 31))
    assert list(later["numerator"]) == [35, 30]


def performance_page(root, year):
    project = load_project(root, [year])
    plan = project.years[0]
    pages = render_year(project, plan, derive.derive(project, plan)).pages
    return next(p.body for p in pages if p.slug == "performance")


def test_older_year_keeps_its_figures_when_newer_data_arrives(project_copy):
    year = YEARS[0]
    before = performance_page(project_copy, year)
    with open(project_copy / "data" / "indicators.csv", "a", encoding="utf-8") as csv:
        for area in ("castlebridge", "castlebridge-family", "east-midlands", "england"):
            # a revision of every published FTE figure and a brand-new period, published today
            csv.write(f"fte,{area},2022,2022-12-31,99,20000,2026-11-01\n")
            csv.write(f"fte,{area},2026,2026-12-31,12,20000,2026-11-01\n")
    assert performance_page(project_copy, year) == before


def expected_latest_fte_rate(year: str) -> str:
    plan = read_yaml(ROOT / "content" / year / "plan.yml")
    data = pd.read_csv(ROOT / "data" / "indicators.csv", parse_dates=["published", "period_end"])
    rows = data[(data.indicator == "fte") & (data.area == plan["comparators"]["service"])
                & (data.published <= pd.Timestamp(plan["figures_date"]))]
    latest = rows.sort_values(["period_end", "published"]).iloc[-1]
    return f"{latest.numerator / latest.denominator * 100_000:,.0f}"


@pytest.mark.xdist_group("sample")
@pytest.mark.parametrize("year", YEARS)
def test_narrative_quotes_the_same_fte_rate_as_the_table(sample_site, year):
    html = (sample_site / year / "performance" / "index.html").read_text(encoding="utf-8")
    rate = expected_latest_fte_rate(year)
    table = html[html.index('class="data comparators"'):]
    first_row = re.search(r"<tr><th scope=\"row\">Castlebridge</th>(.*?)</tr>", table).group(1)
    assert f">{rate}</td><td class=\"num\">down" in first_row or f">{rate}</td>" in first_row
    narrative = html[:html.index('class="data comparators"')]
    assert re.search(rf"\b{re.escape(rate)}\b", re.sub(r"<[^>]+>", " ", narrative))


@pytest.mark.xdist_group("sample")
@pytest.mark.parametrize("year", YEARS)
def test_each_headline_indicator_has_chart_and_tables(sample_site, year):
    html = (sample_site / year / "performance" / "index.html").read_text(encoding="utf-8")
    for name in ("First time entrants", "Reoffending (binary rate)", "Use of custody"):
        assert f"{name} against comparators" in html
    assert html.count('<figure class="chart-figure"') == 3
    assert html.count('alt="Line chart of') == 3
    assert html.count('class="data comparators"') == 3 and html.count('class="data trend"') == 3
    assert (sample_site / year / "assets" / "javascripts" / "charts.js").stat().st_size > 100_000


def test_unknown_figure_in_narrative_names_file_and_line(project_copy):
    year = YEARS[-1]
    path = next((project_copy / "content" / year / "narrative").glob("06-*.md"))
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(6, "The rate was {{ fte.rat }} last year.")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(PlanError) as raised:
        performance_page(project_copy, year)
    finding = raised.value.findings[0]
    assert finding.file == f"content/{year}/narrative/{path.name}" and finding.line == 7
    assert "'fte.rat'" in finding.message and "fte.rate" in finding.fix


BAD_ROWS = [
    ("fte,castlebridge,2019,2019-12-31,twelve,20645,2020-04-24", "numerator", "is not a whole number"),
    ("fte,castlebridge,2019,2019-12-31,-4,20645,2020-04-24", "numerator", "breaks a rule"),
    ("fte,castlebridge,,2019-12-31,12,20645,2020-04-24", "period", "breaks a rule"),
    ("fte,castlebrige,2019,2019-12-31,12,20645,2020-04-24", "area", "is not an area listed"),
    ("ftes,castlebridge,2019,2019-12-31,12,20645,2020-04-24", "indicator", "is not an indicator yjplan knows"),
]


def add_row(root, row):
    path = root / "data" / "indicators.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(5, row)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("row, column, words", BAD_ROWS, ids=[r[1] + ":" + r[2] for r in BAD_ROWS])
def test_malformed_indicator_row_names_file_row_and_column(project_copy, row, column, words):
    add_row(project_copy, row)
    with pytest.raises(PlanError) as raised:
        load_project(project_copy)
    messages = [str(f) for f in raised.value.findings]
    assert any(f"data/indicators.csv, line 6, field '{column}'" in m and words in m for m in messages), messages


def test_malformed_indicator_data_publishes_nothing(project_copy):
    add_row(project_copy, BAD_ROWS[0][0])
    result = run_yjplan(project_copy, "build")
    assert result.returncode == 1
    assert "data/indicators.csv, line 6, field 'numerator'" in result.stderr
    assert not (project_copy / "site").exists()


def test_ethnicity_of_children_is_compared_with_the_population():
    project = load_project(ROOT, [YEARS[-1]])
    plan = project.years[0]
    figures = derive.derive(project, plan).demographics
    rows = {group: (cell, share, population) for group, cell, share, population in figures.rows}
    white_cell, white_share, white_population = rows["White"]
    total = sum(c.count or 0 for c, _, _ in rows.values())
    assert white_share == pytest.approx(100 * white_cell.count / total)
    people = pd.read_csv(ROOT / "data" / "population.csv")
    assert white_population == pytest.approx(100 * people.set_index("category").population["White"] / people.population.sum())
    hidden = [group for group, (cell, share, _) in rows.items() if cell.hidden]
    assert hidden and all(rows[g][1] is None for g in hidden)   # a hidden count has no share either


@pytest.mark.parametrize("year", YEARS)
def test_every_local_measure_is_a_table_whose_totals_come_from_the_data(sample_site, year):
    """Each measure in plan/rules/local-measures.yml (remand bed nights among them) is shown,
    and its latest total is the sum of the data rows its figures date admits."""
    figures_date = str(read_yaml(ROOT / "content" / year / "plan.yml")["figures_date"])
    data = pd.read_csv(ROOT / "data" / "local.csv", dtype={"count": int})
    data = data[data.published <= figures_date].sort_values("published")
    data = data.drop_duplicates(["measure", "period", "category"], keep="last")   # latest revision
    html = (sample_site / year / "performance" / "index.html").read_text(encoding="utf-8")
    measures = read_yaml(ROOT / "plan" / "rules" / "local-measures.yml")["measures"]
    assert "remand-nights" in [m["id"] for m in measures]
    for measure in measures:
        rows = data[data.measure == measure["id"]]
        latest = rows.period.max()
        table = html[html.index(f"<caption>{measure['title']} ({measure['unit']})"):]
        table = table[:table.index("</table>")]
        if measure.get("additive", True) is False:       # starts and completions are not added up
            assert "<tfoot>" not in table, measure["id"]
            continue
        totals = re.findall(r'<td class="num">([\d,]+)</td>', table[table.index("<tfoot>"):])
        assert totals[-1].replace(",", "") == str(rows[rows.period == latest]["count"].sum()), measure["id"]
