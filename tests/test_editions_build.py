"""A plan for each guidance edition builds, for real, and reads back right (issue #16): its
contents follow that edition's headings in order, on the site and in the PDF, and its wording is
the wording of its date: a 2016-17 plan never says "integrated care board", a plan from before
April 2023 has no KPI table at all, a 2026-27 plan names the Ministry of Justice's core grant and
is submitted to the MoJ. Each plan year is made from the sample (tests/editions.py) and built
alone (`yjplan build YEAR`)."""
from __future__ import annotations

import html
import re
import subprocess

import pytest

from conftest import copy_project, run_yjplan
from editions import EDITIONS, make_edition_year
from plan import rules

pytestmark = pytest.mark.xdist_group("editions")


class Built:
    """A built plan year, its texts read once (pdftotext and the pages are the slow part)."""

    def __init__(self, root, year):
        self.root, self.year = root, year
        self.site = root / "site" / year
        self._read = {}

    def __getattribute__(self, name):
        method = object.__getattribute__(self, name)
        if name in ("pdf_text", "pages", "nav", "contents"):
            cache = object.__getattribute__(self, "_read")
            return lambda *args, **kw: cache[(name, args, tuple(kw.items()))] if (name, args, tuple(kw.items())) in cache \
                else cache.setdefault((name, args, tuple(kw.items())), method(*args, **kw))
        return method

    def pdf(self):
        return next(p for p in self.site.glob("*.pdf") if not p.name.endswith("-appendices.pdf"))

    def pdf_text(self, layout: bool = False) -> str:
        """The PDF's text: in reading order (wording), or laid out as printed (the contents page)."""
        out = subprocess.run(["pdftotext", *(["-layout"] if layout else []), str(self.pdf()), "-"],
                             capture_output=True, text=True, check=True)
        return out.stdout

    def pages(self) -> dict[str, str]:
        """Every built page's visible text (scripts, styles and the search index left out)."""
        result = {}
        for path in sorted(self.site.rglob("*.html")):
            raw = re.sub(r"<(script|style)\b.*?</\1>", " ", path.read_text(encoding="utf-8"), flags=re.S)
            result[str(path.relative_to(self.site))] = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", raw)).split())
        return result

    def nav(self) -> list[str]:
        """The titles of the primary navigation, in order, from the home page."""
        raw = (self.site / "index.html").read_text(encoding="utf-8")
        primary = raw[raw.index("md-nav--primary"):]
        titles = [" ".join(html.unescape(re.sub(r"<[^>]+>", "", t)).split())
                  for t in re.findall(r'<span class="md-ellipsis">(.*?)</span>', primary, flags=re.S)]
        seen = []
        for t in titles:
            if t and t not in seen:
                seen.append(t)
        return seen

    def contents(self) -> list[str]:
        """The PDF's contents page: its entries in order, without the dot leaders and page numbers."""
        text = self.pdf_text(layout=True)
        start = text.index("Contents")
        lines = []
        for line in text[start:].splitlines()[1:]:
            if "\x0c" in line:          # the page ends: the contents are one page
                break
            line = re.sub(r"\s*\.{3,}.*$", "", line).strip()
            if line:
                lines.append(line)
        return lines


@pytest.fixture(scope="module", params=list(EDITIONS))
def built(request, tmp_path_factory) -> Built:
    root = copy_project(tmp_path_factory.mktemp(request.param))
    year = make_edition_year(root, request.param)
    result = run_yjplan(root, "build", year)
    assert result.returncode == 0, result.stdout + result.stderr
    built = Built(root, year)
    built.edition = rules.guidance(request.param)
    return built


def expected_titles(guidance) -> tuple[list[str], list[str]]:
    chapters = [f"{i}. {h.title}" for i, h in enumerate(guidance.headings, 1)]
    labels = [chr(ord("A") + i) if guidance.appendix_style == "letters" else str(i + 1)
              for i in range(len(guidance.appendices))]
    appendices = [f"Appendix {label}: {a.title}" for label, a in zip(labels, guidance.appendices)]
    return chapters, appendices


def test_the_site_nav_and_the_pdf_contents_follow_the_editions_headings_in_order(built):
    chapters, appendices = expected_titles(built.edition)
    nav = built.nav()
    assert [t for t in nav if t in chapters] == chapters, nav
    assert [t for t in nav if t in appendices] == appendices, nav
    contents = " ".join(built.contents())
    positions = [contents.find(title.split(". ", 1)[1] if ". " in title else title) for title in chapters + appendices]
    assert -1 not in positions, (contents, chapters + appendices)
    assert positions == sorted(positions), contents


def test_a_plan_is_worded_for_its_date(built):
    pages, pdf = built.pages(), " ".join(built.pdf_text().split())
    everything = [pdf, *pages.values()]
    start = int(built.year[:4])
    if start < 2022:      # integrated care boards began on 1 July 2022
        assert not [t for t in everything if "integrated care board" in t.lower()]
        assert "nominated by the clinical commissioning group" in pdf
    else:
        assert "nominated by the integrated care board" in pdf
    if start < 2023:      # KPIs were first reported for April 2023: no table, no "not available" rows
        for text in everything:
            assert "Key performance indicators (%)" not in text and "since April 2023" not in text
    else:
        assert "Key performance indicators (%)" in pdf


def test_a_2026_27_plan_names_the_ministry_of_justice_grant_and_submission(built):
    if built.edition.edition != "moj-2026":
        pytest.skip("the 2026-27 edition's own wording")
    pdf = " ".join(built.pdf_text().split())
    assert "Allocation of the Ministry of Justice youth justice core grant" in pdf
    assert "submission to the Ministry of Justice" in pdf
    assert "Youth Justice Board grant" not in pdf and "YJB grant" not in pdf
    assert "Ministry of Justice guidance" in pdf


def test_the_compliance_appendix_quotes_the_act_with_its_source_and_marks_provisional_rules(built):
    page = next(t for name, t in built.pages().items() if "compliance" in name)
    rows = page[page.index("Statutory and guidance requirements"):]
    assert rows.count("Source: Crime and Disorder Act 1998") >= 5
    assert "\u201chow youth justice services in their area are to be provided and funded\u201d" in rows
    assert "legislation.gov.uk/ukpga/1998/37/section/40" in rows
    assert "summary, provisional:" in rows            # s.39(5): never dressed as the Act's words
    if int(built.year[:4]) < 2022:
        assert "clinical commissioning group or Local Health Board" in rows
        assert "\u201cevery chief officer of police" not in rows
    else:
        assert "\u201cevery chief officer of police" in rows


def test_kpi_definitions_are_worded_as_at_the_plans_date(built):
    """KPIs 4 and 5: the launch wording (children receiving support) for a plan dated before the
    current wording (June 2025), today's (need at the end of the order, no better direction) after."""
    if int(built.year[:4]) < 2023:
        pytest.skip("no KPIs before April 2023")
    pdf = " ".join(built.pdf_text().split())
    launch = "who are receiving support or intervention"
    current = "as a proportion of children with an order ending in the period"
    if built.year == "2024-25":
        assert launch in pdf and current not in pdf
    else:
        assert current in pdf and launch not in pdf


def test_a_2020_21_plan_on_the_2024_edition_has_no_kpi_rows(project_copy):
    """The issue's case, without a build: a 2020-21 plan following yjb-2024 renders no KPI table,
    no 'not available' rows and no 'since April 2023'."""
    from plan import derive
    from plan.load import load_project
    from plan.render import render_year
    from editions import shift_dates
    year = make_edition_year(project_copy, "yjb-2024")
    (project_copy / "content" / year).rename(project_copy / "content" / "2020-21")
    folder = project_copy / "content" / "2020-21"
    for path in folder.glob("*.yml"):
        path.write_text(shift_dates(path.read_text(encoding="utf-8"), -4), encoding="utf-8")
    project = load_project(project_copy, ["2020-21"])
    plan = project.years[0]
    assert derive.kpis(project, plan) == {}
    performance = next(p for p in render_year(project, plan, derive.derive(project, plan)).pages
                       if p.slug == "performance")
    for words in ("Key performance indicators (%)", "since April 2023", "began in April 2023", "<table class=\"data wide kpis"):
        assert words not in performance.body
