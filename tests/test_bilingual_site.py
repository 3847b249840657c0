"""A plan in Welsh and English published in both (#19): the fictional Welsh service
tests/examples/glanmor built for real with MkDocs Material and WeasyPrint, then read back.

Layout: the primary language's site is site/<year>/ (as for a plan in one language), the other
language's site/cy/<year>/, each with its own versions.json and latest/ (plan/languages.py)."""
from __future__ import annotations

import json
from html.parser import HTMLParser
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
    """The plan and its appendix pack in a language (the year's folder)."""
    return sorted((site / LANGUAGES[language] / YEAR).glob("*.pdf"))


def every_pdf(site: Path, language: str) -> list[Path]:
    """Those and the child-friendly booklet (in the child-friendly page's folder)."""
    return pdfs(site, language) + sorted((site / LANGUAGES[language] / YEAR / "child-friendly").glob("*.pdf"))


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
    assert len(every_pdf(site, language)) == 3
    for pdf in every_pdf(site, language):
        with pikepdf.open(pdf) as document:
            assert str(document.Root.Lang) == language, pdf.name
            assert "/StructTreeRoot" in document.Root
    with pikepdf.open(max(pdfs(site, language), key=lambda p: p.stat().st_size)) as document:
        title = str(document.open_metadata().get("dc:title", ""))
    assert ("Gwasanaeth Cyfiawnder Ieuenctid Glanmor" in title) == (language == "cy-GB"), title


def test_both_languages_pdfs_pass_pdf_ua_1(site):
    from verapdf import validate
    files = [pdf for language in LANGUAGES for pdf in every_pdf(site, language)]
    assert len(files) == 6
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


# --- no page mixes the languages -------------------------------------------------------------------

# Words that occur in one language's running text and never in the other's: the test reads every
# visible text of a page (text, alt, title and aria-label; not scripts, styles or chart JSON) and
# looks for them as whole words, outside passages marked with the other language's `lang`.
# ("is" and "data" are Welsh words too: "is" is "lower".)
ENGLISH_WORDS = {"the", "and", "of", "with", "for", "to", "are", "by", "this", "from", "not", "per",
                 "on", "was", "has", "have", "or", "who", "which", "each", "children", "page", "plan"}
WELSH_WORDS = {"y", "yr", "yn", "ac", "mae", "gyda", "ar", "gan", "wedi", "ei", "i'r", "o'r", "a'r", "plant",
               "cynllun", "gwasanaeth", "ieuenctid"}


class _Visible(HTMLParser):
    """A page's visible and spoken text, line by line, with the language each line is in."""

    VOID = {"area", "base", "br", "col", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, str | None]] = []
        self.hidden = 0
        self.lines: list[tuple[str, str]] = []      # (language, text)

    def language(self) -> str:
        return next((lang for _tag, lang in reversed(self.open) if lang), "")

    def say(self, text: str, lang: str | None = None) -> None:
        if not self.hidden and text.strip():
            self.lines.append((lang or self.language(), " ".join(text.split())))

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("script", "style", "template"):
            self.hidden += 1
        if tag not in self.VOID:
            self.open.append((tag, attributes.get("lang")))
        for name in ("alt", "title", "aria-label", "placeholder"):
            self.say(attributes.get(name) or "", attributes.get("lang"))
        if tag == "meta" and attributes.get("name") == "description":
            self.say(attributes.get("content") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self.hidden -= 1
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                break

    def handle_data(self, data):
        self.say(data)


def foreign_lines(html: str, language: str) -> list[str]:
    """The lines of a page in `language` that read as the other language (outside passages
    marked as it)."""
    reader = _Visible()
    reader.feed(html)
    other = "en" if language.startswith("cy") else "cy"
    words = ENGLISH_WORDS if other == "en" else WELSH_WORDS
    return [text for lang, text in reader.lines
            if not lang.startswith(other) and set(re.findall(r"[a-z]+(?:'[a-z]+)?", text.lower())) & words]


def every_page(site: Path, language: str) -> dict[str, str]:
    """Every HTML file of a language's site: its years, latest/, its root page and 404 page."""
    root = site / LANGUAGES[language]
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in sorted(root.rglob("*.html"))
            if language != "en-GB" or not p.relative_to(site).as_posix().startswith("cy/")}


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_says_anything_in_the_other_language_outside_a_marked_passage(site, language):
    found = {name: lines[:5] for name, html in every_page(site, language).items()
             if (lines := foreign_lines(html, language))}
    assert found == {}


def test_the_welsh_pages_hold_no_english_message_of_the_catalogue(site):
    """The catalogue's English messages (templates, rules, Python wording) on the built Welsh
    pages (test_welsh_pages.leaks: the same search on the pages rendered in-process)."""
    from test_welsh_pages import leaks
    found = {name: sorted(words) for name, html in every_page(site, "cy-GB").items()
             if (words := leaks(html))}
    assert found == {}


def test_the_language_check_finds_a_sentence_of_the_other_language():
    page = '<p>Dyma gynllun.</p><p>The plan of the service.</p><p lang="en">Marked as English.</p>'
    assert foreign_lines(page, "cy-GB") == ["The plan of the service."]
    assert foreign_lines('<img alt="Siart llinell o blant yn y cynllun">', "en-GB") == ["Siart llinell o blant yn y cynllun"]


def test_each_language_root_sends_readers_to_its_latest_year_in_its_own_words(site):
    english, welsh = ((site / folder / "index.html").read_text(encoding="utf-8") for folder in LANGUAGES.values())
    assert '<html lang="en-GB">' in english and "Read the latest youth justice plan" in english
    assert '<html lang="cy-GB">' in welsh and "Darllen y cynllun cyfiawnder ieuenctid diweddaraf" in welsh
    assert f"url={YEAR}/" in welsh
    # a host that serves the nearest 404.html finds the Welsh one under cy/
    assert "Heb ddod o hyd i" in (site / "cy" / "404.html").read_text(encoding="utf-8")
    assert "Page not found" in (site / "404.html").read_text(encoding="utf-8")


def test_the_welsh_site_names_the_council_and_organisations_in_welsh(site):
    welsh, english = pages(site, "cy-GB"), pages(site, "en-GB")
    assert "Cyngor Sir Glanmor" in welsh["accessibility/index.html"]
    assert "Glanmor County Council" not in "".join(welsh.values())
    assert "Y Gwasanaeth Prawf" in welsh["appendix-d-board/index.html"]
    assert "The Probation Service" in english["appendix-d-board/index.html"]
    assert 'title="Dolen i&#39;r adran hon"' in welsh["governance/index.html"] \
        or "title=\"Dolen i'r adran hon\"" in welsh["governance/index.html"]


# --- the Word plan and the live preview in each language -------------------------------------------

def word_lines(path: Path, unmarked: str = "") -> list[str]:
    """Every paragraph of a Word document (tables' too), leaving out the runs marked as being in
    language `unmarked` (w:lang, from the print document's `lang` passages)."""
    import docx
    from docx.oxml.ns import qn
    body = docx.Document(str(path)).element.body
    lines = []
    for paragraph in body.iter(qn("w:p")):
        runs = [run for run in paragraph.iter(qn("w:r"))
                if not (unmarked and any(lang.get(qn("w:val"), "").startswith(unmarked)
                                         for lang in run.iter(qn("w:lang"))))]
        text = "".join(t.text or "" for run in runs for t in run.iter(qn("w:t")))
        if text.strip():
            lines.append(text)
    return lines


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_has_its_word_plan_in_its_language(site, language):
    import docx
    [path] = sorted((site / LANGUAGES[language] / YEAR).glob("*.docx"))
    properties = docx.Document(str(path)).core_properties
    assert properties.language == language
    lines = word_lines(path)
    if language == "cy-GB":
        assert properties.title == "Gwasanaeth Cyfiawnder Ieuenctid Glanmor: cynllun cyfiawnder ieuenctid 2025-26"
        assert "Cynnwys" in lines and "Contents" not in lines
    else:
        assert properties.title == "Glanmor Youth Justice Service: youth justice plan 2025-26"
        assert "Contents" in lines
    other, key = (ENGLISH_WORDS, "en") if language == "cy-GB" else (WELSH_WORDS, "cy")
    assert [line for line in word_lines(path, key) if set(re.findall(r"[a-z]+(?:'[a-z]+)?", line.lower())) & other] == []


def test_the_live_preview_shows_a_bilingual_plan_in_the_language_asked_for(tmp_path):
    import subprocess
    import sys
    from test_serve import free_port, wait_for
    root = copy_example("glanmor", tmp_path / "glanmor")
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "plan", "--root", str(root), "serve", YEAR, "--port", str(port),
                                "--language", "cy-GB"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}/introduction/"
        page = wait_for(url, lambda page: "Dyma gynllun" in page)
        assert '<html lang="cy-GB"' in page and "This is the youth justice plan" not in page
        welsh = root / "content" / YEAR / "narrative" / "01-introduction.cy.md"
        welsh.write_text(welsh.read_text(encoding="utf-8") + "\nBrawddeg newydd a ysgrifennwyd nawr.\n", encoding="utf-8")
        wait_for(url, lambda page: "Brawddeg newydd a ysgrifennwyd nawr." in page, seconds=60)
    finally:
        process.terminate()
        print(process.communicate(timeout=30)[0])


# Texts a Welsh page may share word for word with its English counterpart: names (of people, the
# area, AbilityNet), "YJB Cymru", and words Welsh has borrowed as they are.
SAME_IN_BOTH = {"Cymraeg", "Glanmor", "YJB Cymru", "AbilityNet", "Cabinet", "Contract", "Term", "Remand"}


def test_no_text_of_a_welsh_page_is_its_english_counterparts_but_a_name_or_a_shared_word(site):
    """Catches English a word list and the catalogue both miss (a title from data, a name of a
    body): each visible text of a Welsh page is compared with its English counterpart's."""
    from conftest import read_yaml
    governance = read_yaml(Path(__file__).parent / "examples" / "glanmor" / "content" / YEAR / "governance.yml")
    shared = SAME_IN_BOTH | {member["name"] for member in governance["members"]}

    def texts(html: str, unmarked: str) -> set[str]:
        reader = _Visible()
        reader.feed(html)
        return {text for lang, text in reader.lines if not lang.startswith(unmarked)}

    english = pages(site, "en-GB")
    found = {}
    for name, html in pages(site, "cy-GB").items():
        same = texts(html, "en") & texts(english[name], "cy")
        same = {t for t in same if re.search(r"[A-Za-z]{3}", t) and t not in shared and not re.search(r"@|https?://", t)}
        if same:
            found[name] = sorted(same)
    assert found == {}


def test_the_child_friendly_version_is_published_in_each_language(site):
    """child-friendly/01-our-plan.md and 01-our-plan.cy.md: each language's page and booklet
    holds its own text, its figures' words in its language."""
    import subprocess
    welsh, english = pages(site, "cy-GB")["child-friendly/index.html"], pages(site, "en-GB")["child-friendly/index.html"]
    assert "Ein cynllun, ar gyfer plant a phobl ifanc" in welsh and "Our plan, for children" not in welsh
    assert "Aeth nifer y plant" in welsh and "i lawr" in welsh and "went down" not in welsh
    assert "went down" in english and "Aeth nifer" not in english
    [booklet] = every_pdf(site, "cy-GB")[2:]
    text = subprocess.run(["pdftotext", str(booklet), "-"], capture_output=True, check=True, text=True).stdout
    assert "Dyma fersiwn byr" in text and "This is a short version" not in text
    assert "Tudalen 1 o 2" in text and "Page 1" not in text          # the running footer


def test_a_child_friendly_page_without_its_welsh_counterpart_is_named(tmp_path):
    root = copy_example("glanmor", tmp_path / "glanmor")
    (root / "content" / YEAR / "child-friendly" / "01-our-plan.cy.md").unlink()
    errors = [f for f in open_gate(root).findings if f.severity is Severity.ERROR]
    assert [(f.rule, f.file) for f in errors] == [("bilingual.missing-narrative", f"content/{YEAR}/child-friendly/01-our-plan.md")]
    assert "add child-friendly/01-our-plan.cy.md with its text in Welsh" in errors[0].fix


# --- the committee cover report in Welsh ------------------------------------------------------------

@pytest.fixture(scope="module")
def welsh_report(tmp_path_factory) -> tuple[Path, Path]:
    from conftest import run_yjplan
    root = copy_example("glanmor", tmp_path_factory.mktemp("report") / "glanmor")
    target = root.parent / "adroddiad.docx"
    result = run_yjplan(root, "report", YEAR, "--committee", "Cabinet", "--date", "2025-07-15", "--item", "7",
                        "--language", "cy-GB", "-o", str(target))
    assert result.returncode == 0, result.stderr
    return target, target.with_suffix(".pdf")


def test_the_committee_report_is_written_in_welsh_from_its_welsh_template(welsh_report):
    """templates/report/cy/: every section's block in Welsh; the frame (report.html) from the
    catalogue; the plan's figures and the compliance results in Welsh; no English sentence."""
    import subprocess
    docx, pdf = welsh_report
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    for words in ("Adroddiad i'r Cabinet", "Dyddiad y cyfarfod", "15 Gorffennaf 2025", "Eitem 7 ar yr agenda",
                  "Crynodeb", "Mae'r adroddiad hwn yn gofyn i'r Cabinet gymeradwyo", "Statws y cynllun yw: Cymeradwywyd",
                  "Goblygiadau cyfreithiol", "Tudalen 1 o"):
        assert words in text, words
    named = re.sub(r"\S+\.pdf", "", text)         # file names are not sentences
    english = [line for line in named.splitlines()
               if set(re.findall(r"[a-z]+(?:'[a-z]+)?", line.lower())) & ENGLISH_WORDS]
    with pikepdf.open(pdf) as document:
        assert str(document.Root.Lang) == "cy-GB"
    assert english == []
    assert word_lines(docx, "en")[0].startswith("Cyngor Sir Glanmor")


def test_a_welsh_report_template_without_one_of_its_blocks_is_refused(tmp_path):
    from conftest import run_yjplan
    root = copy_example("glanmor", tmp_path / "glanmor")
    (root / "templates" / "report" / "cy" / "risks.md").unlink()
    result = run_yjplan(root, "report", YEAR, "--committee", "Cabinet", "--date", "2025-07-15",
                        "--language", "cy-GB", "-o", str(tmp_path / "a.docx"))
    assert result.returncode == 1
    assert "'risks.md'" in result.stderr and "mix languages" in result.stderr
    assert not (tmp_path / "a.docx").exists() and not (tmp_path / "a.pdf").exists()


# --- a plan whose primary language is Welsh -------------------------------------------------------

def welsh_first(root: Path) -> Path:
    """glanmor written Welsh-first: plan.yml's language cy-GB, <name>.md in Welsh and
    <name>.en.md in English, and the agencies the catalogue knew in English given in both."""
    year = root / "content" / YEAR
    plan = year / "plan.yml"
    plan.write_text(re.sub(r"(?m)^language: en-GB$", "language: cy-GB", plan.read_text(encoding="utf-8"))
                    .replace("languages: [en-GB, cy-GB]", "languages: [cy-GB, en-GB]"), encoding="utf-8")
    for folder in (year / "narrative", year / "child-friendly"):
        for welsh in folder.glob("*.cy.md"):
            english = welsh.with_name(welsh.name.replace(".cy.md", ".md"))
            english.rename(welsh.with_name(welsh.name.replace(".cy.md", ".en.md")))
            welsh.rename(english)
    finance = year / "finance.yml"
    text = finance.read_text(encoding="utf-8")
    for english, welsh in (("Local authority", "Awdurdod lleol"), ("Police", "Heddlu"),
                           ("Youth Justice Board", "Bwrdd Cyfiawnder Ieuenctid")):
        text = text.replace(f"  - agency: {english}\n", f"  - agency: {{cy: {welsh}, en: {english}}}\n")
    finance.write_text(text, encoding="utf-8")
    return root


def test_a_plan_written_welsh_first_is_published_in_welsh_at_the_root_and_english_under_en(tmp_path):
    from conftest import run_yjplan
    root = welsh_first(copy_example("glanmor", tmp_path / "glanmor"))
    findings = open_gate(root).findings
    assert [f for f in findings if f.severity is Severity.ERROR] == []
    assert [f for f in findings if f.rule.startswith("readability.")] == []     # English formulas: not on Welsh
    # the services keyword hint reads the Welsh words too (statutory.yml s38_services words)
    services = [f for f in findings if f.rule == "s40.services-provided"]
    assert services and all("mentions every service" in f.message for f in services)
    result = run_yjplan(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    site = root / "site"
    welsh = {p: p.read_text(encoding="utf-8") for p in sorted((site / YEAR).rglob("*.html"))}
    english = {p: p.read_text(encoding="utf-8") for p in sorted((site / "en" / YEAR).rglob("*.html"))}
    assert len(welsh) == len(english) > 20
    assert all('<html lang="cy-GB"' in html for html in welsh.values())
    assert all('<html lang="en-GB"' in html for html in english.values())
    assert "Dyma gynllun" in welsh[site / YEAR / "introduction" / "index.html"]
    assert {p.name: lines for p, html in welsh.items() if (lines := foreign_lines(html, "cy-GB"))} == {}
    assert {p.name: lines for p, html in english.items() if (lines := foreign_lines(html, "en-GB"))} == {}
    assert '<html lang="cy-GB">' in (site / "index.html").read_text(encoding="utf-8")
    assert "Darllen y cynllun" in (site / "index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in (site / "en" / YEAR).glob("*.pdf")) == [
        "glanmor-youth-justice-plan-2025-26-en-appendices.pdf", "glanmor-youth-justice-plan-2025-26-en.pdf"]
