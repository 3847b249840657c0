"""A plan children can read: the voice of the child kept safe, readability, and the
child-friendly version (issue 20)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import textstat
import lxml.html

import verapdf
from plan.check import check_project
from plan.childid import identifying
from plan.gate import open_gate
from plan.load import load_project
from plan.problems import PlanError, Severity

YEAR = "2025-26"
CHILD_PDF = f"child-friendly/castlebridge-youth-justice-plan-{YEAR}-child-friendly.pdf"


def findings(root: Path, prefix: str, year: str = YEAR) -> list:
    return [f for f in check_project(load_project(root, [year])) if f.rule.startswith(prefix)]


# --- the identifying-detail check: what it must find, and what it must leave alone --------------

MUST_FIND = {
    "a first name with an age after it": ("Jayden, 15, was referred to us last spring.", "name-age"),
    "a first name with 'years old'": ("Chloe is 14 years old and lives with her nan.", "name-age"),
    "a first name with an age in brackets": ("Kyle (15) told us about his week.", "name-age"),
    "an age before the name": ("The 16-year-old, Reece, was charged with robbery.", "name-age"),
    "a first name with a named school": ("Ellie goes to St Mary's High School.", "name-school"),
    "a name, an age and a school in one case study": (
        "Tyler was excluded last year. Aged 16, he now attends Northgate Academy.", "name-school"),
    "an exact date of birth": ("He was born on 3 March 2009.", "birth-date"),
    "a date of birth written short": ("DOB: 03/03/2009.", "birth-date"),
    "an exact offence date": ("He was arrested on 12 June 2024 after a fight.", "offence-date"),
    "a named estate next to an offence": ("The robbery on the Riverside estate last summer led to the referral.",
                                          "place-offence"),
    "a named street next to an offence": ("A knife was found on Mill Lane when he was stopped.", "place-offence"),
}

MUST_NOT_FIND = {
    "a staff member's first name in a staff quote": "Our case manager Priya said the panel worked well.",
    "a youth worker's name in a child's quote": "Sam, my youth worker, helped me get to college.",
    "a council estate in a regeneration sentence": "The Riverside estate regeneration programme will open a youth hub.",
    "the plan's period": "Between 1 April 2024 and 31 March 2025 the service saw fewer first-time entrants.",
    "the age range the service works with": "Children aged 10 to 17 are supported by the service.",
    "an age without a name": "A 15-year-old told us the sessions helped.",
    "a board meeting's date": "On 12 June 2024 the board approved the plan.",
    "a school without a child's name": "Pupils at Northgate Academy took part in the workshops.",
    "an adult's age next to a name": "Priya, 34, joined the team as a nurse.",
    "places listed after 'their offence:'": (
        "Children valued the work that had nothing to do with their offence: the community garden at Moor Lane, "
        "the boxing club in Kelbrook, and the mechanics course at Northmoor College."),
}


@pytest.mark.parametrize("case", MUST_FIND, ids=list(MUST_FIND))
def test_the_check_finds_what_could_identify_a_child(case):
    text, kind = MUST_FIND[case]
    assert kind in [hit.kind for hit in identifying(text)], text


@pytest.mark.parametrize("case", MUST_NOT_FIND, ids=list(MUST_NOT_FIND))
def test_the_check_leaves_alone_what_does_not_identify_a_child(case):
    assert identifying(MUST_NOT_FIND[case]) == []


def _append(path: Path, text: str) -> int:
    """Append a paragraph to a narrative file; returns the line it starts on."""
    before = path.read_text(encoding="utf-8")
    path.write_text(before.rstrip("\n") + "\n\n" + text + "\n", encoding="utf-8")
    return before.rstrip("\n").count("\n") + 3


def test_a_child_named_with_an_age_in_the_narrative_is_an_error_with_its_line(project_copy):
    page = project_copy / "content" / YEAR / "narrative" / "15-child-first.md"
    line = _append(page, "Jayden, 15, told the board that the panel had listened to him.")
    found = findings(project_copy, "child.identifying")
    assert [(f.file, f.line, f.severity) for f in found] == [
        (f"content/{YEAR}/narrative/15-child-first.md", line, Severity.ERROR)]
    assert "Jayden" in found[0].message and "child-ok" in found[0].fix


def test_an_author_confirms_a_flagged_paragraph_with_a_reason(project_copy):
    page = project_copy / "content" / YEAR / "narrative" / "15-child-first.md"
    _append(page, "Jayden, 15, is a fictional child in our training pack. {# child-ok: a made-up example #}")
    assert findings(project_copy, "child.") == []


def test_a_confirmation_without_a_reason_is_an_error(project_copy):
    page = project_copy / "content" / YEAR / "narrative" / "15-child-first.md"
    _append(page, "Jayden, 15, is a fictional child in our training pack. {# child-ok #}")
    assert [f.rule for f in findings(project_copy, "child.")] == ["child.ok-reason"]


# --- voice.yml --------------------------------------------------------------------------------------

def _voice(root: Path) -> Path:
    return root / "content" / YEAR / "voice.yml"


def _line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_the_sample_voice_of_the_child_passes(project_copy):
    assert findings(project_copy, "child.") == []


def test_a_quote_without_consent_is_an_error_naming_file_line_and_field(project_copy):
    voice = _voice(project_copy)
    voice.write_text(voice.read_text(encoding="utf-8").replace(
        "    consent: {recorded: 2025-02-11, by: the young person and their carer}\n", ""), encoding="utf-8")
    found = findings(project_copy, "child.consent")
    assert len(found) == 1
    assert (found[0].file, found[0].field) == (f"content/{YEAR}/voice.yml", "quotes[1]")
    assert found[0].line == _line_of(voice, "The boxing sessions")
    assert "consent:" in found[0].fix and found[0].severity is Severity.ERROR


def test_a_quote_said_by_a_name_is_an_error(project_copy):
    voice = _voice(project_copy)
    voice.write_text(voice.read_text(encoding="utf-8").replace(
        "said_by: a member of the participation group", "said_by: Jayden"), encoding="utf-8")
    found = findings(project_copy, "child.named-speaker")
    assert [(f.field, f.line) for f in found] == [("quotes[2].said_by", _line_of(voice, "said_by: Jayden"))]


def test_a_case_study_with_a_childs_name_and_age_is_an_error(project_copy):
    voice = _voice(project_copy)
    voice.write_text(voice.read_text(encoding="utf-8").replace(
        "A young person was referred", "Kyle, 15, was referred"), encoding="utf-8")
    found = findings(project_copy, "child.identifying")
    assert [f.field for f in found] == ["case_studies[0].text"]
    assert "Kyle" in found[0].message


def test_a_yaml_comment_confirms_a_case_study_is_not_about_a_child(project_copy):
    voice = _voice(project_copy)
    voice.write_text(voice.read_text(encoding="utf-8").replace(
        "A young person was referred", "Kyle, 15, was referred").replace(
        "  - title: Back into education", "  - title: Back into education   # child-ok: Kyle is not his name"),
        encoding="utf-8")
    assert findings(project_copy, "child.") == []


def test_a_voice_file_no_heading_shows_is_an_error(project_copy):
    from plan import childvoice
    project = load_project(project_copy, [YEAR])
    plan = project.years[0]

    def without_voice(headings):
        return [h.model_copy(update={"blocks": [b for b in h.blocks if b != "voice"]}) for h in headings]
    plan.guidance = plan.guidance.model_copy(update={"headings": without_voice(plan.guidance.headings),
                                                     "appendices": without_voice(plan.guidance.appendices)})
    assert [f.rule for f in childvoice.voice_findings(plan)] == ["child.voice-not-shown"]


def test_a_draft_with_an_identifying_detail_still_builds(project_copy):
    """child.* is an error in a plan that is not a draft; unlike privacy.* it does not stop a draft."""
    from plan.build import blocking
    page = project_copy / "content" / YEAR / "narrative" / "15-child-first.md"
    _append(page, "Jayden, 15, told the board that the panel had listened to him.")
    project = load_project(project_copy, [YEAR])
    found = check_project(project)
    assert any(f.rule == "child.identifying" for f in blocking(project, found))
    project.years[0].meta.status = type(project.years[0].meta.status)("draft")
    assert not any(f.rule == "child.identifying" for f in blocking(project, found))


# --- readability ------------------------------------------------------------------------------------

HARD = ("The partnership's multi-agency safeguarding arrangements, notwithstanding considerable organisational "
        "complexity and the heterogeneity of commissioning responsibilities across statutory and voluntary "
        "agencies, necessitate comprehensive, systematically coordinated interdisciplinary governance "
        "mechanisms, underpinned by robust accountability frameworks and evidence-informed prioritisation "
        "of resources commensurate with identified vulnerabilities and intersectional disproportionality. ")


def test_a_page_harder_than_the_target_warns_with_the_measure_and_longest_sentence(project_copy):
    page = project_copy / "content" / YEAR / "narrative" / "16-board-development.md"
    line = _append(page, HARD * 3)
    found = [f for f in findings(project_copy, "readability.page") if f.file.endswith("16-board-development.md")]
    assert len(found) == 1 and found[0].severity is Severity.WARNING
    assert "Flesch reading ease" in found[0].message and "reading age" in found[0].message
    assert f"line {line} (" in found[0].message
    assert "disproportionality" in found[0].message        # jargon the glossary does not explain


def test_a_stricter_child_friendly_target_warns_on_the_child_friendly_version(project_copy):
    assert findings(project_copy, "readability.child-friendly") == []
    site = project_copy / "content" / "site.yml"
    site.write_text(site.read_text(encoding="utf-8") + "readability:\n  child_friendly:\n    reading_age: 6\n",
                    encoding="utf-8")
    found = findings(project_copy, "readability.child-friendly")
    assert [f.file for f in found] == [f"content/{YEAR}/child-friendly/01-our-plan.md"]
    assert "target: 6 or less" in found[0].message


def test_a_reading_target_that_is_not_a_number_is_an_error(project_copy):
    site = project_copy / "content" / "site.yml"
    text = site.read_text(encoding="utf-8") + "readability:\n  plan:\n    reading_age: sixteen\n"
    site.write_text(text, encoding="utf-8")
    with pytest.raises(PlanError) as error:
        load_project(project_copy)
    found = [f for f in error.value.findings if f.file == "content/site.yml"]
    assert len(found) == 1
    assert found[0].field == "readability.plan.reading_age" and found[0].line == len(text.splitlines())
    assert found[0].fix


# --- the child-friendly version -----------------------------------------------------------------------

def test_a_year_without_a_child_friendly_version_gets_a_warning(project_copy):
    import shutil
    assert findings(project_copy, "child.friendly-missing", year="2024-25") == []
    shutil.rmtree(project_copy / "content" / "2024-25" / "child-friendly")
    found = findings(project_copy, "child.friendly-missing", year="2024-25")
    assert [(f.file, f.severity) for f in found] == [("content/2024-25/", Severity.WARNING)]
    assert findings(project_copy, "child.friendly-missing") == []


def test_the_child_friendly_version_gets_the_plans_suppression(project_copy):
    page = project_copy / "content" / YEAR / "child-friendly" / "01-our-plan.md"
    line = _append(page, "Last year {{ custody.count }} children went to custody.")
    gate = open_gate(project_copy, [YEAR])
    found = [f for f in gate.findings if f.rule == "privacy.suppressed-figure"]
    assert [(f.file, f.line) for f in found] == [(f"content/{YEAR}/child-friendly/01-our-plan.md", line)]


def test_a_small_count_typed_into_the_child_friendly_version_is_an_error(project_copy):
    page = project_copy / "content" / YEAR / "child-friendly" / "01-our-plan.md"
    _append(page, "Last year 3 children went to custody.")
    found = findings(project_copy, "privacy.small-count")
    assert [f.file for f in found] == [f"content/{YEAR}/child-friendly/01-our-plan.md"]


def _page(site: Path, path: str):
    """The page's <article> (its content, without the theme's header and navigation) and the whole page."""
    page = lxml.html.fromstring((site / YEAR / path).read_text(encoding="utf-8"))
    return page.xpath("//article")[0], page


def _text(element) -> str:
    return " ".join(element.text_content().split())


def test_the_child_friendly_page_is_on_the_site_in_plain_words(sample_site):
    article, page = _page(sample_site, "child-friendly/index.html")
    text = _text(article)
    assert "Our plan, for children and young people" in text
    assert "We have 37 staff" in text            # the plan's figure, through its variable
    assert "went down 12.5%" in text
    prose = " ".join(_text(p) for p in article.xpath(".//p | .//li"))
    assert textstat.flesch_reading_ease(prose) >= 60
    assert textstat.flesch_kincaid_grade(prose) + 5 <= 11
    nav = " ".join(_text(a) for a in page.xpath("//nav//a"))
    assert "Our plan, for children and young people" in nav


def test_the_home_page_links_to_the_child_friendly_page_and_pdf(sample_site):
    article, _ = _page(sample_site, "index.html")
    links = set(article.xpath(".//a/@href"))
    assert any(h.rstrip("/").endswith("child-friendly") for h in links)
    assert CHILD_PDF in links


def test_the_voice_of_the_child_shows_as_quotes_with_who_said_them(sample_site):
    article, _ = _page(sample_site, "child-first/index.html")
    quotes = article.xpath(".//blockquote[@class='voice-quote']")
    assert len(quotes) == 3
    assert "didn't judge me" in _text(quotes[0])
    assert _text(quotes[0].xpath(".//p[@class='quote-by']")[0]) == "A young person on a referral order, January 2025"
    assert "Case study: Back into education" in _text(article)


def test_the_child_friendly_pdf_is_a_short_tagged_a5_booklet(sample_site):
    from pypdf import PdfReader
    pdf = sample_site / YEAR / CHILD_PDF
    reader = PdfReader(pdf)
    assert len(reader.pages) <= 4
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (420, 595)          # A5 in points
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "We have 37 staff" in text and "participation group" in text
    assert textstat.flesch_reading_ease(re.sub(r"\s+", " ", text)) >= 60
    assert verapdf.validate(pdf)[str(pdf)] == []


def test_the_plan_pdf_carries_the_quotes_but_not_the_child_friendly_page(sample_site):
    from pypdf import PdfReader
    reader = PdfReader(sample_site / YEAR / f"castlebridge-youth-justice-plan-{YEAR}.pdf")
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "A young person on a referral order, January 2025" in text
    assert "Our plan, for children and young people" not in text


def test_the_reading_level_is_textstats_own_measure(project_copy, tmp_path):
    """The check reads syllable counts from a table in .yjplan-cache/ instead of parsing the CMU
    dictionary each run: the figures must be textstat's, as a fresh process without it computes."""
    import subprocess
    import sys

    from plan.readability import level, prose

    body = (project_copy / "content" / YEAR / "narrative" / "03-governance.md").read_text(encoding="utf-8")
    found = level(body)
    text = tmp_path / "prose.txt"
    sentences = [" ".join(s.split()) for s in re.split(r"(?<=[.!?])\s+|\n\s*\n|\x00", prose(body))]
    text.write_text(" ".join(s if s.endswith((".", "!", "?")) else s + "." for s in sentences
                             if len(s.split()) >= 3), encoding="utf-8")
    plain = subprocess.run([sys.executable, "-c", "import sys, textstat; t = open(sys.argv[1]).read(); "
                            "print(textstat.flesch_reading_ease(t), textstat.flesch_kincaid_grade(t))", str(text)],
                           capture_output=True, text=True, check=True).stdout.split()
    assert found.reading_ease == pytest.approx(float(plain[0]), abs=3)
    assert found.reading_age == pytest.approx(float(plain[1]) + 5, abs=1)


def test_contact_details_and_scripts_in_the_child_friendly_version_and_quotes_are_errors(project_copy):
    page = project_copy / "content" / YEAR / "child-friendly" / "01-our-plan.md"
    line = _append(page, 'Ring Dave on 07700 900123. <script>alert(1)</script>')
    voice = _voice(project_copy)
    voice.write_text(voice.read_text(encoding="utf-8").replace(
        "It is less scary.", "It is less scary. Email jo.bloggs@gmail.com"), encoding="utf-8")
    found = check_project(load_project(project_copy, [YEAR]))
    shown = f"content/{YEAR}/child-friendly/01-our-plan.md"
    assert {f.rule.split(".")[0] for f in found if f.file == shown and f.line == line} == {"privacy", "security"}
    assert any(f.rule.startswith("privacy.") and f.file == f"content/{YEAR}/voice.yml" and f.field == "quotes[2].text"
               for f in found)


def test_a_misnamed_child_friendly_file_is_reported(project_copy):
    (project_copy / "content" / YEAR / "child-friendly" / "02-more.txt").write_text("More.\n", encoding="utf-8")
    with pytest.raises(PlanError) as error:
        load_project(project_copy, [YEAR])
    found = [f for f in error.value.findings if f.rule == "content.unknown-file"]
    assert [f.file for f in found] == [f"content/{YEAR}/child-friendly/02-more.txt"]
    assert "02-more.md" in found[0].fix
