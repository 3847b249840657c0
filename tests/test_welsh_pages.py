"""The Welsh plan reads in Welsh (issue 19): glanmor's pages rendered in Welsh in-process
(load_project(..., language="cy-GB") -> derive -> render, the accessibility statement and the
print document) carry no English wording of yjplan's own: each page's text is compared with
every English message of the catalogue (the templates' `_()` strings, the wording made in
Python, the headings and labels from plan/rules/). Only the author's own marked passages
(`lang="en"`) may hold English. Dates read in Welsh."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from conftest import ROOT, copy_example
from plan import i18n
from plan.derive import derive
from plan.load import load_project, load_site
from plan.render import print_html, render_year, template_env

ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December")


@pytest.fixture(scope="module")
def welsh(tmp_path_factory):
    """Every text of glanmor's Welsh plan: page name -> text."""
    root = copy_example("glanmor", tmp_path_factory.mktemp("glanmor") / "glanmor")
    project = load_project(root, language="cy-GB")
    plan = project.years[0]
    rendered = render_year(project, plan, derive(project, plan))
    texts = {page.slug: f"<h1>{page.title}</h1>\n{page.body}" for page in rendered.pages}
    settings, _findings, _lines = load_site(root)
    texts["accessibility"] = template_env(root, plan.meta.language).get_template("site/accessibility.md").render(
        site=settings, meta=plan.meta, year=plan.year)
    texts["print"] = print_html(project, rendered, pdf_date="2025-06-18T12:00:00Z")
    return texts


def _visible(text: str) -> str:
    """What a reader sees or hears: no comments, scripts, styles, or the author's passages marked
    as English; every tag boundary kept as a line break so whole cells can be compared."""
    text = re.sub(r"<!--.*?-->|<script\b.*?</script>|<style\b.*?</style>", "", text, flags=re.S)
    text = re.sub(r'<(\w+)[^>]*\blang="en[^"]*"[^>]*>.*?</\1>', "", text, flags=re.S)
    return re.sub(r"<[^>]+>", "\n", text)


def _pieces(message: str) -> list[str]:
    """The fixed words of a message: the text between its placeholders and Markdown marks."""
    return [p.strip(" .,;:()*[]\"'") for p in re.split(r"%\([a-z_0-9]+\)s|%%|\]\(|[*\[\]]", message)]


def english_messages() -> list[str]:
    strings = {**i18n.template_strings(ROOT / "templates"), **i18n.data_strings(), **i18n.code_strings()}
    return [m for m in strings if i18n.gettext(m, "cy-GB") != m]


def leaks(text: str) -> set[str]:
    """The English messages (or the fixed words of one) found in a page's visible text: a phrase
    of two words or more anywhere, a single word only as the whole text of a cell or line."""
    visible = _visible(text)
    lines = {line.strip(" .:;*#-") for line in visible.splitlines()}
    found = set()
    for message in english_messages():
        for piece in _pieces(message):
            if not piece or piece in i18n.gettext(message, "cy-GB"):
                continue
            if " " in piece and re.search(rf"(?<![\w-]){re.escape(piece)}(?![\w-])", visible):
                found.add(piece)
            elif " " not in piece and piece in lines and len(piece) > 2:
                found.add(piece)
    return found


def test_every_welsh_page_is_free_of_english_wording_from_the_catalogue(welsh):
    found = {name: sorted(leaks(text)) for name, text in welsh.items()}
    assert {name: words for name, words in found.items() if words} == {}


# Words only English uses: a Welsh page holding one as a whole word is showing English wording,
# whether or not that wording is in the catalogue (e.g. a data file's text nobody catalogued).
# Words that are Welsh too ("is", "at", "in", "a", "i", "o") are not in the list.
ENGLISH_FUNCTION_WORDS = ("the", "and", "of", "with", "for", "by", "per", "to", "from", "this", "that", "these",
                          "not", "which", "who", "are", "was", "were", "has", "have", "been", "its", "their", "or")


def _heard(text: str) -> str:
    """What a reader sees or hears (`_visible`), plus the text alternatives a screen reader says:
    alt text, aria-label and title attributes (outside scripts and passages marked as English)."""
    text = re.sub(r"<!--.*?-->|<script\b.*?</script>|<style\b.*?</style>", "", text, flags=re.S)
    text = re.sub(r'<(\w+)[^>]*\blang="en[^"]*"[^>]*>.*?</\1>', "", text, flags=re.S)
    said = re.findall(r'\b(?:alt|aria-label|title)="([^"]*)"', text)
    return _visible(text) + "\n" + "\n".join(said)


def english_words(text: str) -> dict[str, str]:
    """Each English function word found in a page (whole words, any case) -> the line it is on."""
    heard = _heard(text)
    found = {}
    for line in heard.splitlines():
        for word in re.findall(r"(?<![\w'’-])([A-Za-z]+)(?![\w'’-])", line):
            if word.lower() in ENGLISH_FUNCTION_WORDS:
                found.setdefault(word.lower(), line.strip())
    return found


def test_no_welsh_page_holds_english_words_even_where_the_catalogue_has_no_entry(welsh):
    """Every page (performance, risks, staffing, the print document ...): the indicator and KPI
    wording, the library tables' titles and categories, chart descriptions, the risk key and the
    staff tables come from yjplan's data files, and read in Welsh."""
    for page in ("performance", "risks", "appendix-c-staffing", "print", "accessibility"):
        assert page in welsh
    found = {name: english_words(text) for name, text in welsh.items()}
    assert {name: words for name, words in found.items() if words} == {}


def test_the_english_word_finder_finds_data_wording_left_in_english(welsh):
    performance = welsh["performance"]
    assert english_words(performance) == {}
    # a library category, a KPI definition and a chart description left in English are each found
    assert "per" in english_words(performance + "\n<td>Reoffences per child in the cohort</td>")
    assert "the" in english_words(performance + '\n<img src="x.svg" alt="Line chart of the use of custody">')
    assert "and" in english_words(performance + "\n<p>Theft and handling</p>")
    # but not inside a passage marked as English, nor in a chart's JSON
    assert english_words('<p lang="en-GB">Theft and handling</p>') == {}
    assert english_words('<script type="application/json">{"title": "Use of the custody"}</script>') == {}


def test_the_welsh_pages_write_their_dates_in_welsh(welsh):
    text = "\n".join(_visible(t) for t in welsh.values())
    assert "1 Ebrill 2025" in text and "18 Mehefin 2025" in text
    months = [m for m in ENGLISH_MONTHS if re.search(rf"\b\d{{1,2}} {m} \d{{4}}\b", text)]
    assert months == []


def test_the_welsh_pages_use_welsh_headings_titles_and_running_heads(welsh):
    assert welsh["index"].startswith("<h1>Cynllun cyfiawnder ieuenctid 2025-26</h1>")
    assert "## Cynnwys" in welsh["index"] and "### Atodiadau" in welsh["index"]
    assert "[Atodiad G: Rhestr wirio cydymffurfio]" in welsh["index"]
    assert '<h1 id="contents-title" class="contents-title">Cynnwys</h1>' in welsh["print"]
    assert "<dt>Cyfnod y cynllun</dt><dd>1 Ebrill 2025 i 31 Mawrth 2026</dd>" in welsh["print"]
    compliance = next(text for name, text in welsh.items() if name.endswith("-compliance"))
    assert "<th scope=\"col\">Gofyniad</th>" in compliance and "Deddf Trosedd ac Anhrefn 1998" in compliance


def test_the_leak_finder_finds_an_english_sentence_and_a_table_head():
    page = "<p>Dyma'r cynllun.</p>\n<th scope=\"col\">Total</th>\n<p>Not yet signed off</p>"
    assert {"Total", "Not yet signed off"} <= leaks(page)
    assert leaks('<p lang="en-GB">Not yet signed off</p>') == set()


def test_english_pages_of_the_same_plan_are_unchanged_by_the_catalogue(tmp_path):
    root = copy_example("glanmor", tmp_path / "glanmor")
    project = load_project(root, language="en-GB")
    plan = project.years[0]
    text = "\n".join(p.body for p in render_year(project, plan, derive(project, plan)).pages)
    assert "Management board members, the partner each represents and meetings attended" in text
    assert "Ebrill" not in text and "Cyfanswm" not in text


def test_a_library_tables_chart_is_titled_described_and_labelled_in_welsh(tmp_path):
    """glanmor's tables have no chart, so draw one: its alt text, title, axis, tooltips and the
    categories a reader hovers over are Welsh; the English chart reads as before."""
    import json

    from plan import localtables
    root = copy_example("glanmor", tmp_path / "glanmor")
    project = load_project(root, language="cy-GB")
    plan = project.years[0]
    table = derive(project, plan).tables[0]
    welsh_chart, english_chart = localtables.chart(table, "cy-GB"), localtables.chart(table, "en-GB")
    spec = json.loads(welsh_chart.spec_json.replace("<\\/", "</"))
    said = [welsh_chart.alt, spec["title"], spec["encoding"]["y"]["title"],
            *(t["title"] for t in spec["encoding"]["tooltip"]),
            *(row["Category"] for row in next(iter(spec["datasets"].values())))]
    assert english_words("\n".join(said)) == {}
    assert welsh_chart.alt.startswith("Siart bar o canlyniadau yn ôl haen (plant), 2022-23 i 2024-25")
    assert english_chart.alt.startswith("Bar chart of outcomes by tier (children), 2022-23 to 2024-25, by category.")


def test_the_data_files_wording_is_in_the_catalogue_with_file_and_line():
    """`missing_entries` and `python -m plan.i18n update` name where each text comes from."""
    strings = i18n.data_strings()
    file, line = strings["Use of custody"][0]
    assert file == "plan/rules/indicators-2023.yml" and line > 0
    assert strings["Theft and handling"][0][0] == "plan/rules/local-measures.yml"
    assert "Staff by ethnicity" in i18n.code_strings()
    assert i18n.missing_entries(ROOT, "cy-GB") == []


def test_the_compliance_appendix_says_what_is_missing_in_welsh(tmp_path):
    """The unmet wording made in Python (no cash from a partner, a step to follow, a step not
    recorded) reads in Welsh on the Welsh page and exactly as before on the English one."""
    import yaml
    root = copy_example("glanmor", tmp_path / "glanmor")
    folder = root / "content" / "2025-26"
    plan_yml = yaml.safe_load((folder / "plan.yml").read_text(encoding="utf-8"))
    plan_yml["status"] = "draft"
    plan_yml["approvals"] = [plan_yml["approvals"][0],
                             {"body": {"en": "Cabinet", "cy": "Cabinet"}, "date": "to follow", "expected": "2025-09-10"}]
    (folder / "plan.yml").write_text(yaml.safe_dump(plan_yml, allow_unicode=True, sort_keys=False), encoding="utf-8")
    finance = yaml.safe_load((folder / "finance.yml").read_text(encoding="utf-8"))
    for row in finance["contributions"]:
        if row["partner"] == "police":
            row["other"] = 0
        if row["partner"] == "health":
            row.update(other=0, in_kind=0, staffing=0)
            row.pop("in_kind_posts", None)
    (folder / "finance.yml").write_text(yaml.safe_dump(finance, allow_unicode=True, sort_keys=False), encoding="utf-8")

    def compliance_page(language: str) -> str:
        project = load_project(root, language=language)
        plan = project.years[0]
        return next(p.body for p in render_year(project, plan, derive(project, plan)).pages if p.slug.endswith("-compliance"))

    english, welsh = (html.unescape(compliance_page(tag)) for tag in ("en-GB", "cy-GB"))
    assert "police: no cash contribution recorded (in kind: 1 FTE seconded police officer)" in english
    assert "health: no cash contribution recorded and no support in kind: the Act allows partners" in english
    assert "to follow: Cabinet (expected 10 September 2025)" in english and "not recorded: submission to YJB Cymru" in english
    assert "yr heddlu: dim cyfraniad ariannol wedi'i gofnodi (mewn nwyddau: 1 swyddog heddlu" in welsh
    assert "iechyd: dim cyfraniad ariannol wedi'i gofnodi a dim cymorth mewn nwyddau: mae'r Ddeddf yn caniatáu" in welsh
    assert "i ddilyn: Cabinet (disgwylir 10 Medi 2025)" in welsh and "heb eu cofnodi: cyflwyno i YJB Cymru" in welsh
    assert english_words(welsh) == {}
