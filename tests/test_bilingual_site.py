"""A plan in Welsh and English published in both (#19): the fictional Welsh service
tests/examples/glanmor built for real with MkDocs Material and WeasyPrint, then read back.

Layout: the primary language's site is site/<year>/ (as for a plan in one language), the other
language's site/cy/<year>/, each with its own versions.json and latest/ (plan/languages.py)."""
from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

import pikepdf
import pytest

from conftest import copy_example
from plan.gate import open_gate
from plan.problems import Severity

YEAR = "2025-26"
LANGUAGES = {"en-GB": "", "cy-GB": "cy/"}        # each language's folder under site/


@pytest.fixture(scope="module")
def site(example_sites) -> Path:
    return example_sites["glanmor"]


def pages(site: Path, language: str, year: str = YEAR) -> dict[str, str]:
    """Each HTML page of a language's site of `year`: its path in that site -> its HTML."""
    root = site / LANGUAGES[language] / year
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in sorted(root.rglob("*.html"))}


def switcher(html: str) -> dict[str, tuple[str, str, bool]]:
    """The language switcher's links: language -> (href, lang of the link text, current?)."""
    found = {}
    for tag in re.findall(r'<a [^>]*class="md-select__link"[^>]*>', html):
        attributes = dict(re.findall(r'([\w-]+)="([^"]*)"', tag))
        if "hreflang" in attributes:
            found[attributes["hreflang"]] = (attributes["href"], attributes.get("lang", ""),
                                             attributes.get("aria-current") == "true")
    return found


def target(site: Path, page: Path, href: str) -> Path:
    """The file a relative link on `page` leads to (a folder's index.html)."""
    path = Path(posixpath.normpath(posixpath.join(page.parent.relative_to(site).as_posix(), href)))
    return site / path / "index.html" if href.endswith("/") else site / path


def test_every_page_is_published_in_both_languages(site):
    english, welsh = pages(site, "en-GB"), pages(site, "cy-GB")
    assert len(english) > 20 and set(english) == set(welsh)
    assert "Dyma gynllun cyfiawnder ieuenctid" in welsh["introduction/index.html"]
    assert "This is the youth justice plan" in english["introduction/index.html"]
    assert "Dyma gynllun" not in english["introduction/index.html"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_says_its_language(site, language):
    for year in (YEAR, "latest"):
        for name, html in pages(site, language, year).items():
            assert re.search(rf'<html lang="{language}"', html), f"{language} {year}/{name}"


def test_the_welsh_site_shows_materials_own_labels_and_its_name_in_welsh(site):
    welsh = pages(site, "cy-GB")
    home = welsh["index.html"]
    assert "Neidio i&#39;r cynnwys" in home or "Neidio i'r cynnwys" in home      # the skip link
    assert "Skip to content" not in home
    assert "Gwasanaeth Cyfiawnder Ieuenctid Glanmor: cynllun cyfiawnder ieuenctid 2025-26</title>" in home
    assert "<h1 id=\"datganiad-hygyrchedd\">Datganiad hygyrchedd" in welsh["accessibility/index.html"]


def test_the_status_strip_footer_and_404_page_are_in_welsh_on_welsh_pages(site):
    """yjplan's own words in the theme come from the catalogue: no English status, footer or 404."""
    welsh = pages(site, "cy-GB")
    for path, html in welsh.items():
        if 'class="yj-footer' not in html:
            continue
        assert "Cyhoeddwyd gan" in html and "Published by" not in html, path
        assert "Datganiad hygyrchedd</a>" in html and "Accessibility statement</a>" not in html, path
        assert "Statws:" in html and "Status:" not in html, path
    assert "Heb ddod o hyd i&#39;r dudalen" in welsh["404.html"] or "Heb ddod o hyd i'r dudalen" in welsh["404.html"]
    assert "Page not found" not in welsh["404.html"]
    english = pages(site, "en-GB")
    assert "Published by" in english["index.html"] and "Status:" in english["index.html"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_language_switcher_on_every_page_links_to_the_same_page_in_the_other_language(site, language):
    other = next(tag for tag in LANGUAGES if tag != language)
    for year in (YEAR, "latest"):
        root = site / LANGUAGES[language] / year
        for name, html in pages(site, language, year).items():
            if name == "404.html":      # its links are absolute, and it has no counterpart page
                continue
            links = switcher(html)
            assert set(links) == set(LANGUAGES), f"{year}/{name}"
            href, lang, current = links[other]
            assert lang == other and not current          # "Cymraeg" is marked as Welsh on an English page
            assert target(site, root / name, href) == site / LANGUAGES[other] / YEAR / name, f"{year}/{name}"
            assert links[language][2]                      # the language being read is marked as current
            assert target(site, root / name, links[language][0]) == site / LANGUAGES[language] / YEAR / name
            # the page's head names its counterpart too, for search engines
            assert f'<link rel="alternate" href="{href}" hreflang="{other}">' in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_has_its_version_switcher_and_latest(site, language):
    root = site / LANGUAGES[language]
    latest = {"en-GB": "latest", "cy-GB": "diweddaraf"}[language]
    assert json.loads((root / "versions.json").read_text(encoding="utf-8")) == [
        {"version": YEAR, "title": f"{YEAR} ({latest})", "aliases": ["latest"]}]
    assert (root / "latest" / "index.html").read_bytes() == (root / YEAR / "index.html").read_bytes()
    assert f'url={YEAR}/' in (root / "index.html").read_text(encoding="utf-8")
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"/{LANGUAGES[language]}{YEAR}/sitemap.xml</loc>" in sitemap


def test_search_finds_each_language_in_its_own_site(site):
    index = {tag: (site / folder / YEAR / "search" / "search_index.json").read_text(encoding="utf-8")
             for tag, folder in LANGUAGES.items()}
    assert "Dyma gynllun" in index["cy-GB"] and "Dyma gynllun" not in index["en-GB"]
    english = "It says how services for children in Glanmor are provided and funded"   # its narrative
    assert english in index["en-GB"] and english not in index["cy-GB"]


def test_dates_read_in_welsh_on_welsh_pages(site):
    welsh, english = pages(site, "cy-GB")["index.html"], pages(site, "en-GB")["index.html"]
    assert "1 Ebrill 2025" in welsh and "18 Mehefin 2025" in welsh and "1 April 2025" not in welsh
    assert "1 April 2025" in english and "Ebrill" not in english


def pdfs(site: Path, language: str) -> list[Path]:
    return sorted((site / LANGUAGES[language] / YEAR).glob("*.pdf"))


def test_each_language_has_its_plan_and_appendix_pack_linked_from_its_home_page(site):
    english, welsh = (pdfs(site, tag) for tag in LANGUAGES)
    assert [p.name for p in english] == ["glanmor-youth-justice-plan-2025-26-appendices.pdf",
                                         "glanmor-youth-justice-plan-2025-26.pdf"]
    assert [p.name for p in welsh] == ["gwasanaeth-cyfiawnder-ieuenctid-glanmor-plan-2025-26-cy-appendices.pdf",
                                       "gwasanaeth-cyfiawnder-ieuenctid-glanmor-plan-2025-26-cy.pdf"]
    for language in LANGUAGES:
        home = pages(site, language)["index.html"]
        linked = set(re.findall(r'href="([^"/]+\.pdf)"', home))
        assert linked == {p.name for p in pdfs(site, language)}, language


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_pdf_says_its_language_and_holds_its_text(site, language):
    for pdf in pdfs(site, language):
        with pikepdf.open(pdf) as document:
            assert str(document.Root.Lang) == language, pdf.name
            assert "/StructTreeRoot" in document.Root
    with pikepdf.open(max(pdfs(site, language), key=lambda p: p.stat().st_size)) as document:
        title = str(document.open_metadata().get("dc:title", ""))
    assert ("Gwasanaeth Cyfiawnder Ieuenctid Glanmor" in title) == (language == "cy-GB"), title


def test_both_languages_pdfs_pass_pdf_ua_1(site):
    from verapdf import validate
    files = [pdf for language in LANGUAGES for pdf in pdfs(site, language)]
    assert len(files) == 4
    failures = {file: failed for file, failed in validate(*files).items() if failed}
    assert failures == {}, "\n".join(str(f) for failed in failures.values() for f in failed)


# --- the gate renders every language ---------------------------------------------------------------

def test_an_unknown_figure_in_a_welsh_narrative_is_named_with_its_file_and_line(tmp_path):
    root = copy_example("glanmor", tmp_path / "glanmor")
    narrative = root / "content" / YEAR / "narrative" / "05-risks.cy.md"
    text = narrative.read_text(encoding="utf-8")
    narrative.write_text(text + "\nMae {{ risgiau.cyfanswm }} risg.\n", encoding="utf-8")
    line = len(text.splitlines()) + 2
    errors = [f for f in open_gate(root).findings if f.severity is Severity.ERROR]
    assert [(f.rule, f.file, f.line) for f in errors] == [
        ("narrative.unknown-figure", f"content/{YEAR}/narrative/05-risks.cy.md", line)]
    assert "'risgiau.cyfanswm'" in errors[0].message


def test_the_english_only_sample_has_no_language_switcher_or_welsh_site(sample_site):
    assert not [p for p in sample_site.iterdir() if p.name in ("cy", "en")]
    home = (sample_site / "2025-26" / "index.html").read_text(encoding="utf-8")
    assert "hreflang" not in home and '<html lang="en-GB"' in home


# --- the appendix pack in each language ------------------------------------------------------------

def test_pack_writes_the_appendix_pack_in_welsh_and_refuses_a_language_the_plan_is_not_in(tmp_path):
    from conftest import run_yjplan
    root = copy_example("glanmor", tmp_path / "glanmor")
    welsh = tmp_path / "pecyn.pdf"
    result = run_yjplan(root, "pack", YEAR, "--language", "cy-GB", "--item", "7", "-o", str(welsh))
    assert result.returncode == 0, result.stderr
    with pikepdf.open(welsh) as document:
        assert str(document.Root.Lang) == "cy-GB"
        title = str(document.open_metadata().get("dc:title", ""))
    assert "Gwasanaeth Cyfiawnder Ieuenctid Glanmor" in title
    refused = run_yjplan(root, "pack", YEAR, "--language", "fr-FR", "-o", str(tmp_path / "x.pdf"))
    assert refused.returncode == 1
    assert "is not written in 'fr-FR'" in refused.stderr and "en-GB, cy-GB" in refused.stderr
    assert not (tmp_path / "x.pdf").exists()
