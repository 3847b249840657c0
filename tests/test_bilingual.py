"""A plan in Welsh and English from one source (#19, first round): what a Welsh service writes
once, what it writes in each language, what the check says when a Welsh text is missing, the
Welsh catalogue, and dates in Welsh. The example is tests/examples/glanmor (fictional)."""
from __future__ import annotations

import copy
import datetime as dt
import locale
import re
import typing
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, copy_example, run_yjplan
from plan import bilingual, i18n, models
from plan.derive import derive, money
from plan.gate import open_gate
from plan.load import load_project
from plan.problems import PlanError, Severity
from plan.render import render_year, ukdate

YEAR = "2025-26"


@pytest.fixture
def glanmor(tmp_path) -> Path:
    return copy_example("glanmor", tmp_path / "glanmor")


def plan_file(root: Path, name: str) -> Path:
    return root / "content" / YEAR / name


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def findings(root: Path, rule: str):
    return [f for f in open_gate(root).findings if f.rule == rule]


# --- content in two languages ---------------------------------------------------------------

def test_the_welsh_service_reads_its_own_words_in_each_language_and_shares_its_figures(glanmor):
    english, welsh = (load_project(glanmor, language=tag).years[0] for tag in ("en-GB", "cy-GB"))
    assert english.meta.service == "Glanmor Youth Justice Service"
    assert welsh.meta.service == "Gwasanaeth Cyfiawnder Ieuenctid Glanmor"
    assert welsh.meta.sign_off.role == "Cadeirydd, Bwrdd Rheoli Cyfiawnder Ieuenctid Glanmor"
    assert welsh.priorities.priorities[0].actions[0].action.startswith("Adolygu pob achos")
    assert welsh.glossary.terms[0].term == "Plant yn Gyntaf"
    # each copy knows its language; the plan's languages are the same, primary first
    assert (english.meta.language, welsh.meta.language) == ("en-GB", "cy-GB")
    assert english.meta.languages == welsh.meta.languages == ["en-GB", "cy-GB"]
    # figures, dates and names are written once
    assert english.finance == english.finance.model_copy()
    assert [c.in_kind for c in english.finance.contributions] == [c.in_kind for c in welsh.finance.contributions]
    assert english.meta.sign_off.date == welsh.meta.sign_off.date == dt.date(2025, 6, 18)
    assert english.meta.sign_off.name == welsh.meta.sign_off.name == "Dr Eleri Pritchard"
    # the narrative: one file per heading in each language, in the same order
    assert [n.file.rsplit("/", 1)[1] for n in welsh.narratives][:2] == ["01-introduction.cy.md", "02-governance.cy.md"]
    assert [n.heading for n in english.narratives] == [n.heading for n in welsh.narratives]
    assert "Dyma gynllun cyfiawnder ieuenctid" in welsh.narratives[0].body
    assert "This is the youth justice plan" in english.narratives[0].body


def test_the_welsh_service_passes_the_check_and_loads_in_english_by_default(glanmor):
    gate = open_gate(glanmor)
    assert [f for f in gate.findings if f.severity is Severity.ERROR] == []
    assert gate.project.years[0].meta.language == "en-GB"


def test_a_plan_in_english_only_loads_as_before(project_copy):
    project = load_project(project_copy)
    for plan in project.years:
        assert plan.meta.language == "en-GB" and plan.meta.languages == ["en-GB"]
        files = sorted(p.name for p in (plan.folder / "narrative").glob("*.md"))
        assert [n.file.rsplit("/", 1)[1] for n in plan.narratives] == files
    with pytest.raises(PlanError) as error:
        load_project(project_copy, language="cy-GB")
    assert {f.rule for f in error.value.findings} == {"language.not-in-plan"}
    assert "add cy-GB to 'languages:'" in error.value.findings[0].fix


# --- the check knows ---------------------------------------------------------------------------

def test_removing_one_welsh_field_fails_the_check_naming_it(glanmor):
    edit_yaml(plan_file(glanmor, "plan.yml"), lambda d: d["sign_off"]["role"].pop("cy"))
    result = run_yjplan(glanmor, "check")
    assert result.returncode == 1
    assert "content/2025-26/plan.yml" in result.stdout and "field 'sign_off.role'" in result.stdout
    assert "not in Welsh" in result.stdout and "[bilingual.missing-text]" in result.stdout
    found = findings(glanmor, "bilingual.missing-text")
    assert len(found) == 1 and found[0].severity is Severity.ERROR and found[0].line is not None
    assert 'cy: "<the Welsh text>"' in found[0].fix


def test_the_site_settings_and_an_organisations_name_are_checked_for_their_welsh_too(glanmor):
    """content/site.yml is published in every language of the plan: the council's name, the
    accessibility statement's team and known issues; so is each board member's organisation."""
    site = glanmor / "content" / "site.yml"
    site.write_text(site.read_text(encoding="utf-8").replace(
        "authority: {en: Glanmor County Council, cy: Cyngor Sir Glanmor}", "authority: Glanmor County Council"),
        encoding="utf-8")
    edit_yaml(plan_file(glanmor, "governance.yml"), lambda d: d["members"][2]["organisation"].pop("cy"))
    found = sorted((f.file, f.field, f.line) for f in findings(glanmor, "bilingual.missing-text"))
    assert found == [("content/2025-26/governance.yml", "members[2].organisation", found[0][2]),
                     ("content/site.yml", "authority", 4)]
    assert all(line for _file, _field, line in found)
    assert run_yjplan(glanmor, "check").returncode == 1


def test_the_welsh_copy_names_the_approving_bodies_in_welsh_and_still_finds_each_step(glanmor):
    """An approval's body is free text: the Welsh copy's compliance appendix reads the approval
    route from the Welsh words (plan/rules/statutory.yml), so each step is found in each copy."""
    from plan.compliance import step_of
    english, welsh = (load_project(glanmor, language=tag).years[0] for tag in ("en-GB", "cy-GB"))
    assert welsh.meta.approvals[0].body == "Bwrdd Rheoli Cyfiawnder Ieuenctid"
    assert [step_of(a) for a in english.meta.approvals] == [step_of(a) for a in welsh.meta.approvals] \
        == ["board", "yjb", "cabinet"]


def test_the_welsh_copy_reads_the_site_settings_in_welsh(glanmor):
    english, welsh = (load_project(glanmor, language=tag) for tag in ("en-GB", "cy-GB"))
    assert (english.site.authority_name, welsh.site.authority_name) == ("Glanmor County Council", "Cyngor Sir Glanmor")
    assert welsh.years[0].governance.members[2].organisation == "Y Gwasanaeth Prawf"
    assert welsh.site.accessibility.tested_by == "Tîm digidol Cyngor Sir Glanmor"


def test_a_text_given_only_once_in_a_bilingual_plan_is_missing_its_welsh(glanmor):
    edit_yaml(plan_file(glanmor, "glossary.yml"), lambda d: d["terms"][0].update(meaning="Seeing children as children"))
    lines = plan_file(glanmor, "glossary.yml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "meaning: Seeing" in text)
    [found] = findings(glanmor, "bilingual.missing-text")
    assert (found.file, found.field, found.line) == ("content/2025-26/glossary.yml", "terms[0].meaning", line)


def test_in_a_draft_a_missing_welsh_text_is_a_warning_and_the_welsh_copy_shows_what_there_is(glanmor):
    def draft_without_welsh_role(data):
        data["status"] = "draft"
        data["sign_off"]["role"].pop("cy")
    edit_yaml(plan_file(glanmor, "plan.yml"), draft_without_welsh_role)
    (plan_file(glanmor, "narrative") / "05-risks.cy.md").unlink()
    found = findings(glanmor, "bilingual.missing-text") + findings(glanmor, "bilingual.missing-narrative")
    assert len(found) == 2 and {f.severity for f in found} == {Severity.WARNING}
    welsh = load_project(glanmor, language="cy-GB").years[0]
    assert welsh.meta.sign_off.role.startswith("Chair")
    assert "content/2025-26/narrative/05-risks.md" in [n.file for n in welsh.narratives]


@pytest.mark.parametrize("removed, named, says", [
    ("05-risks.cy.md", "05-risks.md", "no Welsh counterpart (05-risks.cy.md)"),
    ("05-risks.md", "05-risks.cy.md", "no English counterpart (05-risks.md)"),
])
def test_a_narrative_file_without_its_counterpart_is_an_error_naming_it(glanmor, removed, named, says):
    (plan_file(glanmor, "narrative") / removed).unlink()
    [found] = findings(glanmor, "bilingual.missing-narrative")
    assert found.file == f"content/2025-26/narrative/{named}" and says in found.message
    assert found.severity is Severity.ERROR and found.line == 2 and found.field == "heading"


def test_a_welsh_narrative_for_another_heading_is_named(glanmor):
    path = plan_file(glanmor, "narrative") / "05-risks.cy.md"
    path.write_text(path.read_text(encoding="utf-8").replace("heading: risks", "heading: evaluation"), encoding="utf-8")
    found = findings(glanmor, "bilingual.narrative-heading")
    assert found and found[0].file.endswith("05-risks.cy.md") and "heading: risks" in found[0].fix


@pytest.mark.parametrize("languages, hint", [
    (["en-GB", "cy"], "did you mean 'cy-GB'?"),
    (["en-GB", "cy-gb"], "did you mean 'cy-GB'?"),
    (["en-GB", "fr-FR"], "use one of: en-GB, cy-GB"),
])
def test_a_language_yjplan_does_not_know_is_an_error_with_did_you_mean(glanmor, languages, hint):
    edit_yaml(plan_file(glanmor, "plan.yml"), lambda d: d.update(languages=languages))
    [found] = findings(glanmor, "language.unknown")
    assert found.field == "languages[1]" and found.line is not None and hint in found.fix
    assert f"'{languages[1]}' is not a language yjplan knows" in found.message


def test_a_primary_language_not_among_the_languages_is_named(glanmor):
    edit_yaml(plan_file(glanmor, "plan.yml"), lambda d: d.update(languages=["cy-GB"]))
    assert [f.field for f in findings(glanmor, "language.primary")] == ["language"]


def test_a_field_written_once_cannot_be_given_per_language(glanmor):
    edit_yaml(plan_file(glanmor, "plan.yml"),
              lambda d: d["contact"].update(email={"en": "a@glanmor.gov.wales", "cy": "b@glanmor.gov.wales"}))
    [found] = findings(glanmor, "bilingual.not-free-text")
    assert found.field == "contact.email"


def test_a_mistyped_language_key_is_named(glanmor):
    edit_yaml(plan_file(glanmor, "risks.yml"), lambda d: d["risks"][0]["risk"].update(cyy=d["risks"][0]["risk"].pop("cy")))
    found = findings(glanmor, "bilingual.unknown-key")
    assert found[0].field == "risks[0].risk.cyy" and "did you mean 'cy'?" in found[0].fix


def test_a_welsh_narrative_in_a_plan_in_english_only_is_an_error(project_copy):
    narrative = project_copy / "content" / YEAR / "narrative"
    (narrative / "01-introduction.cy.md").write_text("---\nheading: introduction\n---\nCroeso.\n", encoding="utf-8")
    [found] = findings(project_copy, "bilingual.narrative-language")
    assert found.file.endswith("01-introduction.cy.md") and "languages: [en-GB, cy-GB]" in found.fix
    assert not findings(project_copy, "narrative.duplicate-heading")


def test_every_free_text_field_listed_is_a_text_field_of_its_file():
    def has_str(annotation) -> bool:
        return annotation is str or any(has_str(a) for a in typing.get_args(annotation))

    def inner_model(annotation):
        if isinstance(annotation, type) and issubclass(annotation, models.Content):
            return annotation
        return next((m for a in typing.get_args(annotation) if (m := inner_model(a))), None)

    files = {name: model for name, (model, _required) in models.STRUCTURED_FILES.items()}
    files["site.yml"] = models.SiteSettings      # content/site.yml, shared by every year
    for name, paths in bilingual.free_text_fields().items():
        for path in paths:
            model = files[name]
            parts = [p for p in re.split(r"\.|\[\]", path) if p]
            for part in parts[:-1]:
                model = inner_model(model.model_fields[part].annotation)
                assert model is not None, f"{name} {path}: '{part}' holds no fields"
            assert parts[-1] in model.model_fields, f"{name} {path}: no such field"
            assert has_str(model.model_fields[parts[-1]].annotation), f"{name} {path} is not a text field"


# --- catalogues ----------------------------------------------------------------------------------

def test_every_heading_and_label_has_a_welsh_translation_marked_for_review():
    assert i18n.missing_entries(ROOT, "cy-GB") == []
    assert i18n.gettext("Local Health Board", "cy-GB") == "Bwrdd Iechyd Lleol"
    assert i18n.gettext("ALN", "cy-GB") == "ADY"
    assert i18n.gettext("Local Health Board", "en-GB") == "Local Health Board"
    catalogue = i18n.catalogue("cy-GB")
    for message in i18n.data_strings():
        assert i18n.REVIEW in catalogue.get(message).auto_comments, message


def test_a_template_string_without_a_welsh_entry_is_an_error_naming_the_template(tmp_path):
    blocks = tmp_path / "templates" / "blocks"
    blocks.mkdir(parents=True)
    (blocks / "new.md").write_text("Hello\n\n{% trans %}Compliance checklist{% endtrans %}\n"
                                   "{{ _('A string nobody translated') }}\n", encoding="utf-8")
    found = i18n.missing_entries(tmp_path, "cy-GB")
    assert [(f.rule, f.file, f.line) for f in found] == [("i18n.missing-entry", "templates/blocks/new.md", 4)]
    assert "'A string nobody translated' has no Welsh translation" in found[0].message
    assert "plan/locale/cy/LC_MESSAGES/yjplan.po" in found[0].fix
    assert i18n.missing_entries(tmp_path, "en-GB") == []


def test_the_jinja_environment_speaks_the_plans_language():
    template = "{% trans %}Compliance checklist{% endtrans %}: {{ _('Glossary of terms') }}, {{ day | date_in }}"
    day = dt.date(2025, 4, 1)
    assert i18n.jinja_env("cy-GB").from_string(template).render(day=day) == \
        "Rhestr wirio cydymffurfio: Geirfa termau, 1 Ebrill 2025"
    assert i18n.jinja_env("en-GB").from_string(template).render(day=day) == \
        "Compliance checklist: Glossary of terms, 1 April 2025"


# --- dates, numbers and money --------------------------------------------------------------------

def test_dates_read_in_welsh_in_the_welsh_plan_and_as_before_in_english(glanmor):
    assert ukdate(dt.date(2025, 4, 1), "cy-GB") == "1 Ebrill 2025"
    for tag, first_day in (("cy-GB", "1 Ebrill 2025"), ("en-GB", "1 April 2025")):
        project = load_project(glanmor, language=tag)
        plan = project.years[0]
        text = "\n".join(page.body for page in render_year(project, plan, derive(project, plan)).pages)
        assert first_day in text and ("18 Mehefin 2025" in text) == (tag == "cy-GB")


def test_english_dates_and_money_are_written_exactly_as_before():
    locale.setlocale(locale.LC_TIME, "C")
    day = dt.date(2023, 1, 1)
    while day < dt.date(2027, 1, 1):
        assert ukdate(day) == ukdate(day, "en-GB") == f"{day.day} {day:%B %Y}"
        day += dt.timedelta(days=1)
    assert ukdate(None) == ""
    for amount in (0, 5, 999, 1000, 1234.5, 2.5, 1234567, 987654321, -5, -12000):
        assert i18n.format_money(amount, "en-GB") == money(amount) == i18n.format_money(amount, "cy-GB")
    assert i18n.format_money(None, "cy-GB") == ""


# --- what the author wrote is checked in each language -------------------------------------------

def test_a_phone_number_or_script_only_in_the_welsh_text_is_still_an_error(glanmor):
    narrative = plan_file(glanmor, "narrative") / "05-risks.cy.md"
    narrative.write_text(narrative.read_text(encoding="utf-8") + "\n<script>alert(1)</script>\n", encoding="utf-8")
    edit_yaml(plan_file(glanmor, "risks.yml"),
              lambda d: d["risks"][0]["risk"].update(cy="Diwedd y cyllid: ffoniwch Rhys ar 07700 900456"))
    found = {(f.rule, f.file, f.field) for f in open_gate(glanmor).findings if f.severity is Severity.ERROR}
    assert found == {("security.html", "content/2025-26/narrative/05-risks.cy.md", ""),
                     ("privacy.contact", "content/2025-26/risks.yml", "risks[0].risk")}


def test_the_checks_that_read_english_are_not_run_on_the_welsh_copy(glanmor):
    # the Welsh narrative's sub-headings are in Welsh: the national priority areas are checked in English
    assert not [f for f in open_gate(glanmor).findings if f.file.endswith(".cy.md")]


def test_a_welsh_text_in_a_plan_not_listing_welsh_is_never_published(project_copy):
    edit_yaml(project_copy / "content" / YEAR / "glossary.yml",
              lambda d: d["terms"][0].update(meaning={"en": d["terms"][0]["meaning"], "cy": "Asesu"}))
    [found] = findings(project_copy, "bilingual.undeclared-language")
    assert found.severity is Severity.WARNING and found.field == "terms[0].meaning.cy"
    assert load_project(project_copy).latest.glossary.terms[0].meaning.startswith("Assessment, Intervention")


def test_primary_language_narrative_named_with_its_suffix_is_named(glanmor):
    narrative = plan_file(glanmor, "narrative")
    (narrative / "05-risks.md").rename(narrative / "05-risks.en.md")
    [found] = findings(glanmor, "bilingual.narrative-suffix")
    assert found.file.endswith("05-risks.en.md") and found.fix == "rename it 05-risks.md"


def test_the_check_of_a_welsh_plan_names_a_template_string_with_no_welsh_entry(glanmor):
    block = glanmor / "templates" / "blocks" / "sign_off.md"
    block.write_text(block.read_text(encoding="utf-8") + "\n{% trans %}Signed on behalf of the board{% endtrans %}\n",
                     encoding="utf-8")
    line = len(block.read_text(encoding="utf-8").splitlines())
    [found] = findings(glanmor, "i18n.missing-entry")
    assert (found.file, found.line, found.severity) == ("templates/blocks/sign_off.md", line, Severity.ERROR)
    assert "'Signed on behalf of the board' has no Welsh translation" in found.message


def test_a_broken_plan_yml_is_reported_without_blaming_the_welsh_narrative(glanmor):
    path = plan_file(glanmor, "plan.yml")
    path.write_text(path.read_text(encoding="utf-8").replace("period: {start", "period: {{start"), encoding="utf-8")
    rules = {f.rule for f in open_gate(glanmor).findings}
    assert "yaml.syntax" in rules and "bilingual.narrative-language" not in rules


def test_a_new_year_of_a_welsh_plan_carries_last_years_priorities_in_both_languages(glanmor):
    """`yjplan new` turns the priorities into "progress on the previous plan": each text in each
    language, its sentence and status words in Welsh from the catalogue, so no Welsh is missing."""
    from plan.load import load_year
    from plan.newyear import new_year
    new_year(glanmor, "2026-27")
    english, english_findings = load_year(glanmor, "2026-27")
    welsh, _ = load_year(glanmor, "2026-27", language="cy-GB")
    assert [f for f in english_findings if f.rule.startswith("bilingual.")] == []
    assert english.priorities.previous_plan[0].progress.startswith("0 of 1 actions complete. Review every")
    assert welsh.priorities.previous_plan[0].title == "Cadw plant allan o'r system gyfiawnder"
    assert welsh.priorities.previous_plan[0].progress == (
        "0 o 1 cam gweithredu wedi'u cwblhau. Adolygu pob achos dargyfeirio gyda'r heddlu bob mis: ar y trywydd iawn")


def test_a_joint_service_in_wales_names_each_council_in_each_language(glanmor):
    """A joint service (as Gwynedd and Ynys Môn's is) in Welsh and English: each council's name
    in both, its cabinet's approval and its contribution matched in each copy, and the Welsh
    pages joining the names in Welsh ("A a B", with the mutation after "a")."""
    def glanmor_name():       # a new mapping each time: the YAML written has no aliases
        return {"en": "Glanmor County Council", "cy": "Cyngor Sir Glanmor"}

    def afon_name():
        return {"en": "Afon County Borough Council", "cy": "Cyngor Bwrdeistref Sirol Afon"}

    def joint(data):
        data["authority"] = [{"name": glanmor_name()}, {"name": afon_name()}]
        cabinet = data["approvals"][2]
        data["approvals"][2:] = [{**copy.deepcopy(cabinet), "authority": glanmor_name()},
                                 {**copy.deepcopy(cabinet), "authority": afon_name()}]
    edit_yaml(plan_file(glanmor, "plan.yml"), joint)

    def shared_budget(data):
        council = data["contributions"][0]
        council.update(agency=glanmor_name(), authority=glanmor_name())
        data["contributions"].insert(1, {**council, "agency": afon_name(), "authority": afon_name(),
                                         "staffing": 100000, "other": 0})
    edit_yaml(plan_file(glanmor, "finance.yml"), shared_budget)
    site = glanmor / "content" / "site.yml"
    site.write_text(site.read_text(encoding="utf-8").replace(
        "authority: {en: Glanmor County Council, cy: Cyngor Sir Glanmor}",
        "authority: [{en: Glanmor County Council, cy: Cyngor Sir Glanmor}, "
        "{en: Afon County Borough Council, cy: Cyngor Bwrdeistref Sirol Afon}]"), encoding="utf-8")

    gate = open_gate(glanmor)
    assert [f for f in gate.findings if f.severity is Severity.ERROR] == []
    english, welsh = (load_project(glanmor, language=tag) for tag in ("en-GB", "cy-GB"))
    assert english.years[0].meta.authority_name == "Glanmor County Council and Afon County Borough Council"
    plan = welsh.years[0]
    pages = {p.slug: p.body for p in render_year(welsh, plan, derive(welsh, plan)).pages}
    compliance = next(body for slug, body in pages.items() if slug.endswith("-compliance"))
    assert "Cyngor Sir Glanmor a Chyngor Bwrdeistref Sirol Afon" in pages["index"]      # "a" mutates what follows
    assert "Afon County" not in "".join(pages.values()) and "Glanmor County" not in "".join(pages.values())
    # each council's own approval and contribution, found in the Welsh copy too
    met = [(str(r.text).split(":")[0], r.met) for r in derive(welsh, plan).checklist if r.rule == "s40.joint-authority"]
    assert met == [("Cyngor Sir Glanmor", True), ("Cyngor Bwrdeistref Sirol Afon", True)]
    assert "Cyngor Bwrdeistref Sirol Afon: y cynllun wedi&#39;i gymeradwyo gan ei cabinet neu bwyllgor ei hun" in compliance
    assert "cymeradwywyd: Cabinet, 15 Gorffennaf 2025" in compliance


def test_variables_lists_the_values_a_welsh_narrative_prints(glanmor):
    welsh = run_yjplan(glanmor, "variables", "--language", "cy-GB")
    english = run_yjplan(glanmor, "variables")
    assert welsh.returncode == english.returncode == 0, welsh.stderr + english.stderr
    change = lambda out: re.search(r"\{\{ fte\.change \}\}\s+(.+)", out).group(1)      # noqa: E731
    assert change(english.stdout).startswith("down ") and change(welsh.stdout).startswith("i lawr ")
    assert "Cyngor Sir Glanmor" in welsh.stdout and "Cyngor Sir Glanmor" not in english.stdout


@pytest.mark.parametrize("names, welsh", [
    (["Gwynedd", "Ynys Môn"], "Gwynedd ac Ynys Môn"),                                     # "ac" before a vowel
    (["Caerdydd", "Powys", "Torfaen"], "Caerdydd, Powys a Thorfaen"),                      # t -> th
    (["Cyngor Sir Glanmor", "Cyngor Bwrdeistref Sirol Afon"], "Cyngor Sir Glanmor a Chyngor Bwrdeistref Sirol Afon"),
    (["Abertawe", "Castell-nedd Port Talbot"], "Abertawe a Chastell-nedd Port Talbot"),
    (["Conwy", "Sir Ddinbych"], "Conwy a Sir Ddinbych"),                                   # no mutation of s
    (["Sir Fynwy", "Chwarel"], "Sir Fynwy a Chwarel"),                                     # ch stays ch
    (["yr heddlu", "y gwasanaeth prawf"], "yr heddlu a'r gwasanaeth prawf"),               # the article: a'r
    (["Heddlu Dyfed Glan", "Y Gwasanaeth Prawf"], "Heddlu Dyfed Glan a'r Gwasanaeth Prawf"),
])
def test_names_are_joined_in_welsh_with_ac_before_a_vowel_and_the_aspirate_mutation(names, welsh):
    joined = models.and_join(names)
    assert i18n.translate(joined, "cy-GB") == welsh
    assert joined == ", ".join(names[:-1]) + " and " + names[-1]            # English exactly as before


@pytest.mark.parametrize("command", [["variables"], ["serve", "--port", "8799"],
                                     ["report", YEAR, "--committee", "Cabinet", "--date", "2025-07-15"]])
def test_a_command_asked_for_a_language_yjplan_does_not_know_says_so_in_one_message(glanmor, command):
    """variables, serve and report --language fr-FR: a finding naming plan.yml and the languages
    yjplan knows, no traceback, nothing written."""
    before = sorted(p.relative_to(glanmor) for p in glanmor.rglob("*") if ".yjplan-cache" not in p.parts)
    result = run_yjplan(glanmor, *command, "--language", "fr-FR")
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert ("'fr-FR' is not a language yjplan knows" in out or "is not written in 'fr-FR'" in out) and "en-GB, cy-GB" in out
    assert "content/2025-26/plan.yml" in out and "Traceback" not in out
    assert sorted(p.relative_to(glanmor) for p in glanmor.rglob("*") if ".yjplan-cache" not in p.parts) == before
