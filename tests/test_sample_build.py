"""The README's first command: the sample plan builds into a versioned site and one PDF a year."""
from __future__ import annotations

import html
import json
import re

import pytest
from pypdf import PdfReader

from conftest import ROOT, read_yaml, sample_years

pytestmark = pytest.mark.xdist_group("sample")
YEARS = sample_years()
LATEST = YEARS[-1]


def page_text(path) -> str:
    """The visible text of a built page, roughly: tags stripped, entities decoded."""
    raw = path.read_text(encoding="utf-8")
    raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", raw)))


def budget_total(year: str) -> int:
    rows = read_yaml(ROOT / "content" / year / "finance.yml")["contributions"]
    return sum(r.get("staffing", 0) + r.get("in_kind", 0) + r.get("other", 0) for r in rows)


def pdf_for(site, year):
    pdfs = [p for p in (site / year).glob("*.pdf") if not p.name.endswith("-appendices.pdf")]
    assert len(pdfs) == 1, pdfs
    return PdfReader(pdfs[0])


def pdf_text(reader) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_two_plan_years_are_in_the_sample():
    assert len(YEARS) >= 2


@pytest.mark.parametrize("year", YEARS)
def test_each_year_has_its_own_site(sample_site, year):
    index = sample_site / year / "index.html"
    assert index.exists()
    text = page_text(index)
    assert f"Youth justice plan {year}" in text


def test_versions_json_lists_every_year_with_latest_on_the_newest(sample_site):
    versions = json.loads((sample_site / "versions.json").read_text())
    assert [v["version"] for v in versions] == sorted(YEARS, reverse=True)
    assert versions[0]["aliases"] == ["latest"]
    assert all(v["aliases"] == [] for v in versions[1:])


def test_latest_alias_is_the_newest_year(sample_site):
    assert (sample_site / "latest" / "index.html").read_bytes() == (sample_site / LATEST / "index.html").read_bytes()


def test_root_page_sends_the_reader_to_the_latest_year(sample_site):
    root_page = (sample_site / "index.html").read_text()
    assert f'http-equiv="refresh" content="0; url={LATEST}/"' in root_page
    assert f'href="{LATEST}/"' in root_page


def test_site_uses_the_version_selector(sample_site):
    page = (sample_site / LATEST / "index.html").read_text()
    assert '"provider": "mike"' in page or "mike" in page


@pytest.mark.parametrize("year", YEARS)
def test_board_page_shows_every_member_and_computed_attendance(sample_site, year):
    governance = read_yaml(ROOT / "content" / year / "governance.yml")
    text = page_text(sample_site / year / "governance" / "index.html")
    for member in governance["members"]:
        assert member["name"] in text
    held = governance["meetings_held"]
    attended = sum(m["attended"] for m in governance["members"])
    expected = f"{100 * attended / (held * len(governance['members'])):.0f}%"
    assert f"Members attended {expected} of the meetings" in text


@pytest.mark.parametrize("year", YEARS)
def test_budget_total_is_computed_on_the_site(sample_site, year):
    text = page_text(sample_site / year / "appendix-b-budget" / "index.html")
    assert re.search(rf"Total £[\d,]+ £[\d,]+ £[\d,]+ £{budget_total(year):,}\b", text), text[:2000]


@pytest.mark.parametrize("year", YEARS)
def test_pdf_is_tagged_titled_and_has_language_and_bookmarks(sample_site, year):
    reader = pdf_for(sample_site, year)
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"]
    assert str(catalog["/Lang"]).startswith("en")
    assert reader.metadata.title == f"{read_yaml(ROOT / 'content' / year / 'plan.yml')['service']}: Youth justice plan {year}"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]
    assert len(reader.outline) >= 13
    width, height = (float(x) for x in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)   # A4 in points


@pytest.mark.parametrize("year", YEARS)
def test_pdf_contains_every_guidance_heading(sample_site, year):
    guidance = read_yaml(ROOT / "plan" / "rules" / "guidance-yjb-2024.yml")
    text = pdf_text(pdf_for(sample_site, year))
    for heading in guidance["headings"] + guidance["appendices"]:
        assert heading["title"] in text


@pytest.mark.parametrize("year", YEARS)
def test_pdf_shows_the_computed_budget_total_and_board(sample_site, year):
    text = pdf_text(pdf_for(sample_site, year))
    assert f"£{budget_total(year):,}" in text
    for member in read_yaml(ROOT / "content" / year / "governance.yml")["members"]:
        assert member["name"] in text


def test_sample_plan_is_a_full_printed_plan(sample_site):
    assert len(pdf_for(sample_site, LATEST).pages) >= 30


@pytest.mark.parametrize("year", YEARS)
def test_site_links_its_pdf(sample_site, year):
    pdf = next(p for p in (sample_site / year).glob("*.pdf") if not p.name.endswith("-appendices.pdf"))
    assert f'href="{pdf.name}"' in (sample_site / year / "index.html").read_text()


def test_site_requests_nothing_from_other_hosts(sample_site):
    """No fonts, scripts, styles or images from elsewhere: only links the reader chooses to follow."""
    loaded_from_elsewhere = []
    for path in sample_site.rglob("*"):
        if path.suffix not in {".html", ".css", ".js"}:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for tag in re.findall(r"<(?:script|link|img|iframe|source|video|audio)\b[^>]*>", text):
            if re.search(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", tag) and "rel=\"canonical\"" not in tag:
                loaded_from_elsewhere.append((path.relative_to(sample_site), tag))
        if path.suffix == ".css" and re.search(r"url\(\s*[\"']?(?:https?:)?//", text):
            loaded_from_elsewhere.append((path.relative_to(sample_site), "css url()"))
    assert loaded_from_elsewhere == []
