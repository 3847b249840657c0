"""Personal data and look-alike text: what a committee agenda must not print, found however it
is written (hidden characters, HTML entities, brackets), in every text the plan publishes,
content/site.yml included; and privacy errors stop a draft as well."""
from __future__ import annotations

import re

import pytest

from conftest import run_yjplan, sample_years
from plan.build import blocking
from plan.check import check_project
from plan.load import load_project
from plan.problems import PlanError, Severity

YEAR = sample_years()[-1]


def findings(root, rule_prefix=""):
    return [f for f in check_project(load_project(root, [YEAR])) if f.rule.startswith(rule_prefix)]


def edit(root, name, pattern, replacement):
    path = root / "content" / name
    text, made = re.subn(pattern, replacement, path.read_text(encoding="utf-8"), count=1, flags=re.M)
    assert made, pattern
    path.write_text(text, encoding="utf-8")


def add_to_narrative(root, text, number="01"):
    """Append a line to one narrative file; returns (shown path, its line number)."""
    path = next((root / "content" / YEAR / "narrative").glob(f"{number}-*.md"))
    path.write_text(path.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")
    return f"content/{YEAR}/narrative/{path.name}", len(path.read_text(encoding="utf-8").splitlines())


def make_draft(root):
    edit(root, f"{YEAR}/plan.yml", r"^status: .*", "status: draft")


def test_a_personal_address_in_a_draft_stops_the_build(project_copy):
    make_draft(project_copy)
    next((project_copy / "content" / YEAR / "narrative").glob("09-*.md")).unlink()   # an ordinary error
    add_to_narrative(project_copy, "Write to jo.bloggs@gmail.com with any questions.")
    project = load_project(project_copy)
    stopping = blocking(project, check_project(project))
    # The draft's missing heading does not stop it; the personal address does.
    assert [f.rule for f in stopping] == ["privacy.contact"]
    assert "jo.bloggs@gmail.com" in stopping[0].message


def test_a_draft_without_personal_data_still_builds_with_its_errors(project_copy):
    make_draft(project_copy)
    next((project_copy / "content" / YEAR / "narrative").glob("09-*.md")).unlink()
    project = load_project(project_copy)
    findings = check_project(project)
    assert any(f.rule == "guidance.headings" for f in findings)
    assert blocking(project, findings) == []


def test_a_zero_width_space_does_not_hide_an_address(project_copy):
    where, line = add_to_narrative(project_copy, "Contact jo.blo\u200bggs@hotmail.co.uk today.")
    found = findings(project_copy)
    contact = [f for f in found if f.rule == "privacy.contact"]
    assert len(contact) == 1 and "jo.bloggs@hotmail.co.uk" in contact[0].message
    assert (contact[0].file, contact[0].line) == (where, line)
    hidden = [f for f in found if f.rule == "text.invisible"]
    assert len(hidden) == 1 and "U+200B" in hidden[0].message and "zero width space" in hidden[0].message


@pytest.mark.parametrize("written, shown", [
    ("jo.bloggs&#64;gmail.com", "jo.bloggs@gmail.com"),
    ("jo.bloggs&commat;yahoo.co.uk", "jo.bloggs@yahoo.co.uk"),
    ("jo.bloggs [at] icloud [dot] com", "jo.bloggs@icloud.com"),
])
def test_an_address_written_with_entities_or_at_is_found(project_copy, written, shown):
    edit(project_copy, f"{YEAR}/plan.yml", r"^(\s*)address: .*", rf"\1address: '{written}'")
    found = findings(project_copy, "privacy.contact")
    assert len(found) == 1 and shown in found[0].message
    assert (found[0].file, found[0].field) == (f"content/{YEAR}/plan.yml", "contact.address")


@pytest.mark.parametrize("number", ["(07700) 900123", "07700-900-123", "+44 (0)7700 900 123", "07700.900.123"])
def test_a_mobile_number_is_found_however_it_is_split(project_copy, number):
    where, line = add_to_narrative(project_copy, f"Ring the duty worker on {number} out of hours.")
    found = findings(project_copy, "privacy.contact")
    assert [(f.file, f.line) for f in found] == [(where, line)]
    assert number in found[0].message


def test_dates_money_and_a_switchboard_are_not_phone_numbers(project_copy):
    add_to_narrative(project_copy, "From 2025-07-01 the budget of £1 071 000 is managed; call 01632 960 400.")
    assert findings(project_copy, "privacy.") == []


def test_site_settings_are_checked_for_contact_details(project_copy):
    edit(project_copy, "site.yml", r"^(\s*)phone: .*", r"\1phone: 07700 900 123")
    found = findings(project_copy, "privacy.contact")
    assert len(found) == 1
    assert (found[0].file, found[0].line, found[0].field) == ("content/site.yml", 13, "accessibility.contact.phone")


def test_a_charity_domain_passes_once_listed_and_an_unknown_one_is_flagged(project_copy):
    add_to_narrative(project_copy, "Mentoring: hello@castlebridgeyouth.org, or sport@kicksandtricks.org.")
    found = findings(project_copy, "privacy.email-domain")
    assert sorted(f.message.split("'")[1] for f in found) == ["hello@castlebridgeyouth.org", "sport@kicksandtricks.org"]
    assert "email_domains" in found[0].fix and found[0].severity is Severity.ERROR
    edit(project_copy, "site.yml", r"^(authority: .*)$", r"\1\nemail_domains: [castlebridgeyouth.org]")
    found = findings(project_copy, "privacy.")
    assert [f.message.split("'")[1] for f in found] == ["sport@kicksandtricks.org"]


def test_a_public_bodys_domain_is_never_taken_for_webmail(project_copy):
    add_to_narrative(project_copy, "Referrals: camhs@live.nhs.uk and yjs@mail.gov.uk.")
    add_to_narrative(project_copy, "Not: jo.bloggs@live.co.uk.")
    assert [f.message.split("'")[1] for f in findings(project_copy, "privacy.")] == ["jo.bloggs@live.co.uk"]


def test_a_webmail_domain_cannot_be_allowed(project_copy):
    edit(project_copy, "site.yml", r"^(authority: .*)$", r"\1\nemail_domains:\n  - gmail.com")
    add_to_narrative(project_copy, "Write to jo.bloggs@gmail.com.")
    rules = sorted((f.rule, f.file) for f in findings(project_copy, "privacy."))
    assert rules == [("privacy.contact", next(f.file for f in findings(project_copy, "privacy.contact"))),
                     ("privacy.email-domain", "content/site.yml")]


def test_an_email_domain_that_is_not_a_domain_is_refused(project_copy):
    edit(project_copy, "site.yml", r"^(authority: .*)$", r"\1\nemail_domains: ['@castlebridgeyouth.org']")
    with pytest.raises(PlanError) as raised:
        load_project(project_copy)
    assert [(f.file, f.field) for f in raised.value.findings] == [("content/site.yml", "email_domains")]
    assert "only the part after the @" in raised.value.findings[0].fix


def test_a_named_officers_mailbox_and_direct_line_warn(project_copy):
    edit(project_copy, f"{YEAR}/plan.yml", r"^(\s*)email: .*", r"\1email: helen.okafor@castlebridge.gov.uk")
    edit(project_copy, f"{YEAR}/plan.yml", r"^(\s*)phone: .*", r"\1phone: 01632 960 412")
    found = findings(project_copy, "privacy.")
    assert [(f.rule, f.field, f.severity) for f in found] == [
        ("privacy.named-contact", "contact.email", Severity.WARNING),
        ("privacy.named-contact", "contact.phone", Severity.WARNING)]
    assert "shared mailbox" in found[0].fix and "direct line" in found[1].message
    project = load_project(project_copy)
    assert blocking(project, check_project(project)) == []      # a warning: the plan still builds


def test_a_board_members_initial_and_surname_is_a_named_mailbox(project_copy):
    add_to_narrative(project_copy, "Questions to n.barraclough@castlebridge.police.uk or DDI 01632 960 555.")
    found = findings(project_copy, "privacy.named-contact")
    assert [f.message.split("'")[1] for f in found] == ["n.barraclough@castlebridge.police.uk", "01632 960 555"]


def test_a_teams_mailbox_is_not_a_person(project_copy):
    edit(project_copy, f"{YEAR}/plan.yml", r"^(\s*)email: .*", r"\1email: youth.justice@castlebridge.gov.uk")
    assert findings(project_copy, "privacy.") == []


def test_a_cyrillic_letter_in_a_glossary_term_is_named(project_copy):
    edit(project_copy, f"{YEAR}/glossary.yml", r"^(\s*)- term: ASB$", "\\1- term: \u0410SB")
    found = findings(project_copy, "text.")
    assert len(found) == 1 and found[0].rule == "text.mixed-script"
    assert "Cyrillic capital letter \u0410, U+0410 (it looks like a Latin A)" in found[0].message
    assert (found[0].file, found[0].line, found[0].field) == (f"content/{YEAR}/glossary.yml", 6, "terms[2].term")
    assert found[0].fix.startswith("retype the word")


def test_a_term_typed_wholly_in_cyrillic_look_alikes_is_found(project_copy):
    edit(project_copy, f"{YEAR}/glossary.yml", r"^(\s*)- term: ASB$", "\\1- term: \u0410\u0405\u0412")
    assert [f.rule for f in findings(project_copy, "text.")] == ["text.mixed-script"]


def test_a_cyrillic_letter_in_a_categorical_field_is_named(project_copy):
    edit(project_copy, f"{YEAR}/staffing.yml", r"^(\s*)sex: female", "\\1sex: f\u0435male")
    with pytest.raises(PlanError) as raised:
        load_project(project_copy)
    [finding] = raised.value.findings
    assert (finding.file, finding.line) == (f"content/{YEAR}/staffing.yml", 5)
    assert "Cyrillic small letter \u0435, U+0435 (it looks like a Latin e)" in finding.message
    assert "female" in finding.fix


def test_a_cyrillic_letter_in_a_field_name_is_named(project_copy):
    edit(project_copy, f"{YEAR}/staffing.yml", r"^(\s*)sex: female", "\\1s\u0435x: female")
    with pytest.raises(PlanError) as raised:
        load_project(project_copy)
    unknown = [f for f in raised.value.findings if f.rule == "content.extra_forbidden"]
    assert len(unknown) == 1 and "Cyrillic small letter \u0435, U+0435" in unknown[0].message


def test_a_wrong_latin_letter_in_a_categorical_field_gets_the_plain_message(project_copy):
    edit(project_copy, f"{YEAR}/staffing.yml", r"^(\s*)sex: female", r"\1sex: femail")
    with pytest.raises(PlanError) as raised:
        load_project(project_copy)
    assert "U+" not in raised.value.findings[0].message


def test_a_direction_override_is_invisible_text(project_copy):
    where, line = add_to_narrative(project_copy, "The panel \u202eeman\u202c meets weekly.")
    found = findings(project_copy, "text.invisible")
    assert [(f.file, f.line) for f in found] == [(where, line)] * 2
    assert "U+202E" in found[0].message and "U+202C" in found[1].message


def test_welsh_and_greek_words_pass(project_copy):
    add_to_narrative(project_copy, "Gwasanaeth Cyfiawnder Ieuenctid: ŵyr, ŷd, â, ô. The Greek word λόγος stays.")
    edit(project_copy, f"{YEAR}/glossary.yml", r"^(\s*)meaning: Anti-social behaviour$",
         r"\1meaning: 'Anti-social behaviour (Welsh: ymddygiad gwrthgymdeithasol; dŵr, tŷ)'")
    assert findings(project_copy, "text.") == []


def test_the_sample_has_no_privacy_or_text_problems():
    from conftest import ROOT
    found = [f for f in check_project(load_project(ROOT)) if f.rule.startswith(("privacy.", "text."))]
    assert found == []


def test_check_names_the_file_and_line_of_a_personal_number(project_copy):
    make_draft(project_copy)
    where, line = add_to_narrative(project_copy, "My mobile is (07700) 900123.")
    result = run_yjplan(project_copy, "check", YEAR)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert f"{where}, line {line}" in result.stdout
    assert "(07700) 900123" in result.stdout and "[privacy.contact]" in result.stdout
