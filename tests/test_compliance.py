"""`yjplan check` knows what a youth justice plan must contain, and what it must not reveal.
Each rule is shown failing on a plan that breaks it; the sample passes them all."""
from __future__ import annotations

import re

import pytest
import yaml

from conftest import ROOT, sample_years
from plan import derive
from plan.check import check_plan, compliance
from plan.load import load_project
from plan.problems import PlanError, Severity
from plan.render import render_year

YEAR = sample_years()[-1]


def plan_of(root):
    return load_project(root, [YEAR]).years[0]


def findings(root, rule_prefix=""):
    return [f for f in check_plan(plan_of(root)) if f.rule.startswith(rule_prefix)]


def rewrite(root, name, change):
    path = root / "content" / YEAR / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def edit_text(root, name, pattern, replacement):
    path = root / "content" / YEAR / name
    text, made = re.subn(pattern, replacement, path.read_text(encoding="utf-8"), count=1, flags=re.M)
    assert made
    path.write_text(text, encoding="utf-8")


def test_sample_meets_every_requirement():
    for year in sample_years():
        plan = load_project(ROOT, [year]).years[0]
        unmet = [r for r in compliance(plan) if not r.met]
        assert unmet == []
        assert [f for f in check_plan(plan) if f.severity is Severity.ERROR] == []


def test_team_without_a_police_officer_breaks_s39(project_copy):
    rewrite(project_copy, "staffing.yml", lambda d: d.update(
        posts=[p for p in d["posts"] if p.get("role") != "police-officer"]))
    found = findings(project_copy, "s39.")
    assert len(found) == 1
    assert "the team has no police officer (" in found[0].message
    assert found[0].file == f"content/{YEAR}/staffing.yml" and "role: police-officer" in found[0].fix


def test_budget_without_health_asks_about_its_support_but_does_not_refuse_the_plan(project_copy):
    # Partners may make payments (s.38(3)): no cash from health is a question, not a breach.
    rewrite(project_copy, "finance.yml", lambda d: d.update(
        contributions=[c for c in d["contributions"] if c["partner"] != "health"]))
    rules = {f.rule: f for f in findings(project_copy)}
    assert "health: no cash contribution recorded" in rules["s40.services-funded"].message
    assert "health: no cash contribution recorded" in rules["partners.health"].message
    assert rules["s40.services-funded"].severity is Severity.WARNING
    assert rules["partners.health"].severity is Severity.WARNING
    assert "in_kind" in rules["partners.health"].fix


def test_budget_without_the_council_breaks_s40(project_copy):
    rewrite(project_copy, "finance.yml", lambda d: d.update(
        contributions=[c for c in d["contributions"] if c["partner"] != "local-authority"]))
    [finding] = findings(project_copy, "s40.services-funded")
    assert "no contribution from: local-authority" in finding.message
    assert finding.severity is Severity.ERROR


def test_partner_missing_from_the_board_is_reported(project_copy):
    rewrite(project_copy, "governance.yml", lambda d: d.update(
        members=[m for m in d["members"] if m["partner"] != "probation"]))
    found = findings(project_copy, "partners.probation")
    assert found and "probation is not on the board" in found[0].message


def test_missing_guidance_heading_is_reported(project_copy):
    next((project_copy / "content" / YEAR / "narrative").glob("09-*.md")).unlink()
    found = findings(project_copy, "guidance.headings")
    assert found and "missing: Workforce development" in found[0].message


def test_missing_national_priority_area_is_reported(project_copy):
    path = next((project_copy / "content" / YEAR / "narrative").glob("14-*.md"))
    path.write_text(path.read_text(encoding="utf-8").replace("## Remands\n", "## On remand\n"), encoding="utf-8")
    found = findings(project_copy, "guidance.priority-area")
    assert [f.message for f in found] == ["the section 'National priority areas' has no sub-heading 'Remands'"]


def test_board_without_chair_is_reported(project_copy):
    edit_text(project_copy, "governance.yml", r"^(\s*)position: chair$", r"\1position: member")
    assert "no member has 'position: chair'" in findings(project_copy, "governance.chair")[0].message


def test_sign_off_by_someone_other_than_the_chair_is_reported(project_copy):
    rewrite(project_copy, "plan.yml", lambda d: d["sign_off"].update(name="Someone Else"))
    found = findings(project_copy, "guidance.sign-off")
    assert found and "signed by Someone Else, who is not the board's chair" in found[0].message


def test_sign_off_after_the_submission_date_is_reported(project_copy):
    rewrite(project_copy, "plan.yml", lambda d: (d.pop("submission_due", None), d["sign_off"].update(date="2025-07-02")))
    found = findings(project_copy, "guidance.submission-date")
    assert found and "by 30 June 2025" in found[0].message and "after the deadline" in found[0].message


def test_incomplete_approval_route_is_reported_and_only_warns_in_a_draft(project_copy):
    rewrite(project_copy, "plan.yml", lambda d: d.update(approvals=[a for a in d["approvals"] if "Council" not in a["body"]]))
    found = findings(project_copy, "guidance.approval-route")
    assert found and "not recorded: approval by full council" in found[0].message
    assert found[0].severity is Severity.ERROR
    rewrite(project_copy, "plan.yml", lambda d: d.update(status="draft"))
    assert findings(project_copy, "guidance.approval-route")[0].severity is Severity.WARNING


@pytest.mark.parametrize("word, service", [("bail", "Bail support"),
                                           ("parenting", "Responsible officers for parenting orders")])
def test_services_not_described_are_a_hint_without_services_yml(project_copy, word, service):
    """Without services.yml (tests/test_services.py) the plan's words are only a hint: a warning."""
    (project_copy / "content" / YEAR / "services.yml").unlink()
    for path in (project_copy / "content" / YEAR / "narrative").glob("*.md"):
        path.write_text(re.sub(f"(?i){word}", "-".join(word), path.read_text(encoding="utf-8")), encoding="utf-8")
    for name in ("finance.yml", "staffing.yml", "priorities.yml", "champions.yml"):
        path = project_copy / "content" / YEAR / name
        path.write_text(re.sub(f"(?i){word}", "-".join(word), path.read_text(encoding="utf-8")), encoding="utf-8")
    found = findings(project_copy, "s40.services-provided")
    assert found and f"does not mention: {service}" in found[0].message
    assert found[0].severity is Severity.WARNING


def test_budget_arithmetic_rules(project_copy):
    edit_text(project_copy, "finance.yml", r"^(\s*)other: (\d+)", r"\1other: \2\n\1total: 5")
    edit_text(project_copy, "finance.yml", r"^(\s*)cost: (\d+)", r"\1cost: 1")
    rules = {f.rule for f in findings(project_copy, "finance.")}
    assert rules == {"finance.row-total", "finance.grant-allocation"}


def test_attendance_above_meetings_held_is_reported(project_copy):
    edit_text(project_copy, "governance.yml", r"^(\s*)attended: \d+", r"\1attended: 60")
    assert "attended 60 meetings but only" in findings(project_copy, "governance.attendance")[0].message


def test_secondee_without_employer_is_reported(project_copy):
    edit_text(project_copy, "staffing.yml", r"^(\s*)seconded_from: \S+\n", "")
    assert findings(project_copy, "staffing.secondee")


@pytest.mark.parametrize("contact", ["jo.bloggs@gmail.com", "07700 900123"])
def test_personal_contact_details_are_flagged(project_copy, contact):
    path = next((project_copy / "content" / YEAR / "narrative").glob("01-*.md"))
    path.write_text(path.read_text(encoding="utf-8") + f"\nContact me on {contact}.\n", encoding="utf-8")
    found = findings(project_copy, "privacy.contact")
    assert len(found) == 1 and contact in found[0].message and found[0].file.endswith(path.name)
    assert found[0].line == len(path.read_text(encoding="utf-8").splitlines())


def test_personal_contact_in_yaml_names_its_field(project_copy):
    edit_text(project_copy, "plan.yml", r"^(\s*)email: .*", r"\1email: helen.okafor@hotmail.co.uk")
    found = findings(project_copy, "privacy.contact")
    assert found[0].field == "contact.email" and found[0].file == f"content/{YEAR}/plan.yml"


@pytest.mark.parametrize("text, rule", [
    ("### Skipped a level\n", "a11y.heading-skip"),
    ("# A second title\n", "a11y.heading-title"),
    ("Read the guidance [click here](https://www.gov.uk/).\n", "a11y.link-text"),
    ("![](chart.png)\n", "a11y.image-alt"),
    ("| | |\n|---|---|\n| a | b |\n", "a11y.table-header"),
])
def test_content_accessibility_rules(project_copy, text, rule):
    path = next((project_copy / "content" / YEAR / "narrative").glob("02-*.md"))
    body = path.read_text(encoding="utf-8").split("---\n", 2)
    path.write_text("---\n" + body[1] + "---\n" + text + "\n" + body[2], encoding="utf-8")
    assert [f.rule for f in findings(project_copy, "a11y.")] == [rule]


def test_abbreviation_missing_from_glossary_is_a_warning(project_copy):
    path = next((project_copy / "content" / YEAR / "narrative").glob("02-*.md"))
    path.write_text(path.read_text(encoding="utf-8") + "\nThe XYZP panel meets monthly.\n", encoding="utf-8")
    found = findings(project_copy, "glossary.")
    assert [f.message for f in found] == ["'XYZP' is used but not explained in the glossary"]
    assert found[0].severity is Severity.WARNING


def test_narrative_cannot_quote_a_suppressed_count(project_copy):
    path = next((project_copy / "content" / YEAR / "narrative").glob("06-*.md"))
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(5, "There were {{ custody.count }} custodial sentences.")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    project = load_project(project_copy, [YEAR])
    plan = project.years[0]
    with pytest.raises(PlanError) as raised:
        render_year(project, plan, derive.derive(project, plan))
    finding = raised.value.findings[0]
    assert finding.rule == "privacy.suppressed-figure" and finding.line == 6
    assert "could identify a child" in finding.message


def test_suppression_hides_small_counts_and_their_partners():
    cells = [derive.Cell(n) for n in (40, 3, 12, 9)]
    derive.suppress_column(cells)
    assert [c.hidden for c in cells] == [False, True, False, True]   # 9 hidden so the total can't reveal 3
    cells = [derive.Cell(n) for n in (40, 3, 2, 9)]
    derive.suppress_column(cells)
    assert [c.hidden for c in cells] == [False, True, True, False]


def test_staff_counts_are_suppressed_with_a_partner():
    table = derive._counts("Staff", "Ethnicity", ["White"] * 20 + ["Asian"] * 6 + ["Black"] * 2, ["White", "Asian", "Black"])
    assert [(c, hidden) for c, _, hidden in table.rows] == [("White", False), ("Asian", True), ("Black", True)]


def _cell_of_three(html: str):
    """The 'Custodial sentence' row of the outcomes table and that table's totals."""
    table = html[html.index("<caption>Outcomes by tier"):]
    table = table[:table.index("</table>")]
    row = re.search(r'<th scope="row">Custodial sentence</th>(.*?)</tr>', table).group(1)
    return table, re.findall(r"<td[^>]*>(.*?)</td>", row)


@pytest.mark.xdist_group("sample")
def test_a_count_of_three_children_is_suppressed_in_site_and_pdf(sample_site):
    from pypdf import PdfReader
    html = (sample_site / YEAR / "performance" / "index.html").read_text(encoding="utf-8")
    table, cells = _cell_of_three(html)
    assert cells[-1] == '<span class="suppressed">[c]</span>'          # the 3 in the latest year
    # no count column has a single hidden cell, so no total gives the 3 away (the change and share
    # columns of a local table are worked out from the counts and hidden with them; they add up to nothing)
    periods = len(re.findall(r'<th scope="col" class="num">\d{4}-\d{2} \(children\)</th>', table))
    assert periods == 3
    for column in range(periods):
        hidden = sum(
            1 for row in re.findall(r"<tr[^>]*><th scope=\"row\">.*?</tr>", table.split("<tbody>")[1].split("</tbody>")[0])
            if "[c]" in re.findall(r"<td[^>]*>(.*?)</td>", row)[column])
        assert hidden != 1
    assert "[c] A count between 1 and 4" in html
    pdf = next(p for p in (sample_site / YEAR).glob("*plan-*.pdf") if not p.name.endswith("-appendices.pdf"))
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    outcomes = text[text.index("Outcomes by tier (children)"):]
    assert re.search(r"Custodial sentence \[c\] \[c\] \[c\]", outcomes[:2000])


@pytest.mark.xdist_group("sample")
def test_compliance_checklist_is_published(sample_site):
    html = (sample_site / YEAR / "appendix-g-compliance" / "index.html").read_text(encoding="utf-8")
    assert "Crime and Disorder Act 1998 s.39(5)" in html
    assert html.count("<td>Yes</td>") == len(compliance(load_project(ROOT, [YEAR]).years[0]))
