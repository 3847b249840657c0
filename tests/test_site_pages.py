"""The sample site's own pages and files, read from disk: the accessibility statement in every
year, the footer, the authority's colours and logo, the 404 pages and the sitemaps."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import urljoin

import pytest

from conftest import ROOT, read_yaml, sample_years
from test_sample_build import page_text

pytestmark = pytest.mark.xdist_group("sample")
YEARS = sample_years()
SETTINGS = read_yaml(ROOT / "content" / "site.yml")
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def ukdate(value) -> str:
    return f"{value.day} {value:%B %Y}"


@pytest.mark.parametrize("year", YEARS)
def test_accessibility_statement_is_a_page_of_every_year(sample_site, year):
    text = page_text(sample_site / year / "accessibility" / "index.html")
    a = SETTINGS["accessibility"]
    assert "Accessibility statement" in text
    assert f"This website is run by {SETTINGS['authority']}" in text
    assert a["contact"]["email"] in text and a["contact"]["phone"] in text
    assert f"get back to you in {a['response_days']} working days" in text
    assert f"It was last reviewed on {ukdate(a['reviewed'])}" in text
    assert f"This statement was prepared on {ukdate(a['prepared'])}" in text
    assert f"This website was last tested on {ukdate(a['tested'])}. The test was carried out by {a['tested_by']}" in text
    for issue in a["known_issues"]:
        assert " ".join(issue["issue"].split()) in text
    assert "Enforcement procedure" in text and "Equality Advisory and Support Service" in text


@pytest.mark.parametrize("year", YEARS)
def test_every_page_links_the_statement_and_names_the_publisher(sample_site, year):
    pages = [p for p in (sample_site / year).rglob("*.html") if p.name != "404.html"]
    assert len(pages) > 20
    for page in pages:
        html = page.read_text(encoding="utf-8")
        links = re.findall(r'<a href="([^"]*)">Accessibility statement</a>', html)
        here = f"https://site/{page.parent.relative_to(sample_site).as_posix()}/"
        assert [urljoin(here, link) for link in links] == [f"https://site/{year}/accessibility/"], page
        assert f"Published by {SETTINGS['authority']}" in html, page
    assert '<a href="/{0}/accessibility/">Accessibility statement</a>'.format(year) in (
        sample_site / year / "404.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("year", YEARS)
def test_pages_carry_the_authoritys_colours_and_logo(sample_site, year):
    colours = SETTINGS["colours"]
    logo = SETTINGS["logo"]
    assert (sample_site / year / "assets" / "images" / logo).read_bytes() == (ROOT / "content" / logo).read_bytes()
    html = (sample_site / year / "governance" / "index.html").read_text(encoding="utf-8")
    assert f"--yj-primary:{colours['primary']};--yj-link:{colours['links']}" in html
    assert f'<img src="../assets/images/{logo}" alt="">' in html
    assert f'<link rel="icon" href="../assets/images/{logo}">' in html


@pytest.mark.parametrize("year", YEARS)
def test_404_page_links_the_years_assets_by_full_path(sample_site, year):
    html = (sample_site / year / "404.html").read_text(encoding="utf-8")
    assert "Page not found" in html
    assert f'href="/{year}/assets/stylesheets/yjplan.css"' in html
    assert (sample_site / "404.html").read_bytes() == (sample_site / YEARS[-1] / "404.html").read_bytes()


@pytest.mark.parametrize("year", YEARS)
def test_each_years_sitemap_lists_every_page_at_the_sites_address(sample_site, year):
    tree = ET.parse(sample_site / year / "sitemap.xml")
    listed = sorted(loc.text for loc in tree.iter(f"{SITEMAP}loc"))
    pages = sorted(f"{SETTINGS['address']}{p.parent.relative_to(sample_site).as_posix()}/"
                   for p in (sample_site / year).rglob("index.html"))
    assert listed == pages
    plan = read_yaml(ROOT / "content" / year / "plan.yml")
    newest = max(a["date"] for a in plan["approvals"]).isoformat()
    assert {m.text for m in tree.iter(f"{SITEMAP}lastmod")} == {newest}     # not the day of the build


def test_root_sitemap_index_and_robots_name_every_year(sample_site):
    tree = ET.parse(sample_site / "sitemap.xml")
    assert tree.getroot().tag == f"{SITEMAP}sitemapindex"
    assert [loc.text for loc in tree.iter(f"{SITEMAP}loc")] == [f"{SETTINGS['address']}{y}/sitemap.xml" for y in YEARS]
    assert f"Sitemap: {SETTINGS['address']}sitemap.xml" in (sample_site / "robots.txt").read_text()


@pytest.mark.parametrize("year", YEARS)
def test_only_earlier_years_say_they_are_not_the_latest(sample_site, year):
    html = (sample_site / year / "index.html").read_text(encoding="utf-8")
    assert f"<strong>Youth justice plan {year}</strong>" in html
    if year == YEARS[-1]:
        assert "yj-status__earlier" not in html
    else:
        assert f'<a href="./../{YEARS[-1]}/">Read the latest youth justice plan ({YEARS[-1]})</a>' in html
