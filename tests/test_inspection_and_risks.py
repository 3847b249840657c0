"""Inspections and risk registers as councils publish them: HMIP ratings checked against each
other, Short Quality Screening counts, an improvement plan tied to its recommendations, national
standards self-assessment, the council's own risk scheme, and partners that support in kind."""
from __future__ import annotations

import re

import pytest

from conftest import sample_years
from plan import derive
from plan.check import check_project
from plan.load import load_project
from plan.problems import PlanError, Severity
from plan.render import render_year

YEAR = sample_years()[-1]


def path_of(root, name):
    return root / "content" / YEAR / name


def write(root, name, text):
    path_of(root, name).write_text(text, encoding="utf-8")


def line_of(root, name, pattern) -> int:
    lines = path_of(root, name).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if re.search(pattern, line))


def load_errors(root) -> list:
    with pytest.raises(PlanError) as caught:
        load_project(root, [YEAR])
    return [f for f in caught.value.findings if f.severity is Severity.ERROR]


def findings(root, rule):
    return [f for f in check_project(load_project(root, [YEAR])) if f.rule == rule]


def page(root, heading: str) -> str:
    project = load_project(root, [YEAR])
    plan = project.years[0]
    body = next(p.body for p in render_year(project, plan, derive.derive(project, plan)).pages if heading in p.body)
    return body[body.index(heading):]


INSPECTION_HEAD = "inspectorate: HM Inspectorate of Probation\npublished: 2024-05-10\n"


# --- inspection -----------------------------------------------------------------------------------

def test_short_quality_screening_shows_counts_and_a_share(project_copy):
    write(project_copy, "inspection.yml", INSPECTION_HEAD +
          "quality_screening:\n  - {theme: Planning to keep other people safe, met: 32, of: 33}\n")
    body = page(project_copy, "## Inspection")
    assert re.search(r'Planning to keep other people safe</th><td class="num">32</td><td class="num">33</td>'
                     r'<td class="num">97%</td>', body)
    assert "National lowest" not in body      # SQS results need no national range


def test_screening_more_cases_met_than_looked_at_is_an_error(project_copy):
    write(project_copy, "inspection.yml", INSPECTION_HEAD +
          "quality_screening:\n  - theme: Assessment\n    met: 32\n    of: 31\n")
    [error] = [f for f in load_errors(project_copy) if f.file.endswith("inspection.yml")]
    assert error.field == "quality_screening[0].of"
    assert error.line == line_of(project_copy, "inspection.yml", r"of: 31")
    assert "32 cases met the standard, but only 31 were looked at" in error.message
    assert "met: 32, of: 33" in error.fix


def test_older_scores_without_the_national_range_are_accepted(project_copy):
    write(project_copy, "inspection.yml", INSPECTION_HEAD + "scores:\n  - {area: Safeguarding, score: 72}\n")
    body = page(project_copy, "## Inspection")
    assert re.search(r'Safeguarding</th><td class="num">72%</td></tr>', body)
    assert "National average" not in body


def test_overall_outstanding_beside_an_inadequate_standard_warns(project_copy):
    path = path_of(project_copy, "inspection.yml")
    text = path.read_text(encoding="utf-8").replace("overall: Good", "overall: Outstanding")
    path.write_text(re.sub(r"rating: Requires improvement", "rating: Inadequate", text, count=1), encoding="utf-8")
    [warning] = findings(project_copy, "inspection.overall-vs-standards")
    assert warning.severity is Severity.WARNING
    assert warning.field == "overall" and warning.line == line_of(project_copy, "inspection.yml", r"^overall:")
    assert "Outstanding" in warning.message and "1 Inadequate" in warning.message
    assert "correct 'overall:'" in warning.fix


def test_overall_inadequate_with_every_standard_good_warns(project_copy):
    path = path_of(project_copy, "inspection.yml")
    text = path.read_text(encoding="utf-8").replace("overall: Good", "overall: Inadequate")
    path.write_text(text.replace("rating: Requires improvement", "rating: Good"), encoding="utf-8")
    [warning] = findings(project_copy, "inspection.overall-vs-standards")
    assert "every standard is Good or Outstanding" in warning.message


def test_sample_overall_rating_agrees_with_its_standards(project_copy):
    assert findings(project_copy, "inspection.overall-vs-standards") == []


def test_domain_rating_is_checked_against_its_standards(project_copy):
    path = path_of(project_copy, "inspection.yml")
    text = path.read_text(encoding="utf-8").replace(
        "ratings:\n", "domains:\n  - {domain: Resettlement, rating: Outstanding}\nratings:\n", 1)
    path.write_text(text.replace("rating: Requires improvement\n", "rating: Inadequate\n"), encoding="utf-8")
    [warning] = findings(project_copy, "inspection.domain-vs-standards")
    assert warning.field == "domains[0].rating" and "Resettlement" in warning.message
    body = page(project_copy, "## Inspection")
    assert "Inspection ratings by domain" in body


LINKED_PLAN = INSPECTION_HEAD + """recommendations:
  - id: R1
    recommendation: Improve planning for the safety of other people
    addressed_to: Head of Service
  - id: R2
    recommendation: Secure accommodation for children leaving custody
    addressed_to: Director of Children's Services
improvement_plan:
  - recommendation: R1
    action: Train every case manager in safety planning
    owner: Operations Manager
    due: 2025-06-30
    status: complete
    evidence: Audits find contingency plans in almost every case
"""


def test_recommendation_without_an_action_is_an_error(project_copy):
    write(project_copy, "inspection.yml", LINKED_PLAN)
    [error] = findings(project_copy, "inspection.recommendation-without-action")
    assert error.severity is Severity.ERROR
    assert error.file == f"content/{YEAR}/inspection.yml"
    assert error.field == "recommendations[1].id" and error.line == line_of(project_copy, "inspection.yml", r"id: R2")
    assert "R2" in error.message and "recommendation: R2" in error.fix


def test_action_for_a_recommendation_that_does_not_exist_is_an_error(project_copy):
    write(project_copy, "inspection.yml", LINKED_PLAN.replace("recommendation: R1\n", "recommendation: R9\n"))
    [error] = findings(project_copy, "inspection.unknown-recommendation")
    assert error.field == "improvement_plan[0].recommendation"
    assert error.line == line_of(project_copy, "inspection.yml", r"recommendation: R9")
    assert "'R9'" in error.message and "R1, R2" in error.fix


def test_improvement_plan_shows_each_action_under_its_recommendation(project_copy):
    write(project_copy, "inspection.yml", LINKED_PLAN.replace("  - id: R2\n    recommendation: Secure accommodation for "
                                                              "children leaving custody\n    addressed_to: Director of "
                                                              "Children's Services\n", ""))
    assert findings(project_copy, "inspection.recommendation-without-action") == []
    body = page(project_copy, "## Inspection improvement plan")
    assert re.search(r"<th scope=\"row\">R1: Improve planning for the safety of other people</th>"
                     r"<td>Head of Service</td><td>Train every case manager", body)


def test_national_standards_self_assessment_is_shown(project_copy):
    write(project_copy, "inspection.yml", INSPECTION_HEAD + """self_assessment:
  - standard: at-court
    date: 2023-10-30
    result: Good overall; reports to court need earlier information from education
    actions:
      - {action: Agree an education information protocol, owner: Court Team Manager, due: 2024-03-31, status: complete}
""")
    body = page(project_copy, "## National standards self-assessment")
    assert re.search(r"<th scope=\"row\">At court</th><td>30 October 2023</td><td>Good overall;", body)
    assert "Agree an education information protocol (Court Team Manager, due 31 March 2024, complete)" in body


def test_self_assessment_of_an_unknown_standard_is_an_error(project_copy):
    write(project_copy, "inspection.yml", INSPECTION_HEAD +
          "self_assessment:\n  - {standard: at-court-2023, date: 2023-10-30, result: Good}\n")
    [error] = [f for f in load_errors(project_copy) if f.file.endswith("inspection.yml")]
    assert error.field == "self_assessment[0].standard" and "'in-the-community'" in error.fix


# --- risk schemes ---------------------------------------------------------------------------------

MATRIX = """scheme:
  kind: matrix
  likelihood: {A: Very high, B: High, C: Significant, D: Low, E: Very low, F: Almost impossible}
  impact: {1: Catastrophic, 2: Critical, 3: Marginal, 4: Negligible}
  bands:
    high: [A1, A2, A3, B1, B2, C1]
    medium: [A4, B3, B4, C2, C3, D1, D2, E1]
    low: [C4, D3, D4, E2, E3, E4, F1, F2, F3, F4]
risks:
  - risk: Court delays
    description: Crown Court backlogs
    mitigation: Court user group
    rating: D2
  - risk: Loss of Turnaround funding
    description: Funding ends in March
    mitigation: Options paper
    likelihood: B
    impact: 1
  - risk: Recruitment
    description: Few qualified staff
    mitigation: Career framework
    rating: F4
"""


def test_matrix_scheme_shows_ratings_as_published_with_its_key(project_copy):
    write(project_copy, "risks.yml", MATRIX)
    body = page(project_copy, "## Risk register")
    ratings = re.findall(r'<td class="num">([A-F][1-4]) \((High|Medium|Low)\)</td>', body)
    assert ratings == [("B1", "High"), ("D2", "Medium"), ("F4", "Low")]     # highest band first
    key = body[body.index("Key to the risk ratings"):]
    assert "<td>D</td><td>Low</td>" in key and "<td>2</td><td>Critical</td>" in key
    assert "A4, B3, B4, C2, C3, D1, D2, E1" in key
    assert "D (Low)" in body and "2 (Critical)" in body


def test_rating_outside_the_scheme_names_the_allowed_values(project_copy):
    write(project_copy, "risks.yml", MATRIX.replace("rating: D2", "rating: D7"))
    [error] = [f for f in load_errors(project_copy) if f.file.endswith("risks.yml")]
    assert error.field == "risks[0].rating" and error.line == line_of(project_copy, "risks.yml", r"rating: D7")
    assert "'D7'" in error.message and "not a rating in this plan's risk scheme" in error.message
    assert "A, B, C, D, E, F" in error.fix and "1, 2, 3, 4" in error.fix


def test_likelihood_outside_a_matrix_scale_is_an_error(project_copy):
    write(project_copy, "risks.yml", MATRIX.replace("likelihood: B\n", "likelihood: G\n"))
    [error] = [f for f in load_errors(project_copy) if f.file.endswith("risks.yml")]
    assert error.field == "risks[1].likelihood" and error.line == line_of(project_copy, "risks.yml", r"likelihood: G")
    assert "A (Very high)" in error.fix and "F (Almost impossible)" in error.fix


def test_band_listing_a_rating_the_scheme_cannot_give_is_an_error(project_copy):
    write(project_copy, "risks.yml", MATRIX.replace("high: [A1,", "high: [Z9, A1,"))
    [error] = [f for f in load_errors(project_copy) if f.file.endswith("risks.yml")]
    assert error.rule == "risks.scheme" and error.field == "scheme.bands.high" and "Z9" in error.message


def test_product_scheme_with_its_own_thresholds(project_copy):
    path = path_of(project_copy, "risks.yml")
    path.write_text("scheme:\n  kind: product\n  likelihood: {1: Rare, 2: Unlikely, 3: Possible, 4: Likely, "
                    "5: Almost certain}\n  impact: {1: Minimal, 2: Minor, 3: Moderate, 4: Major, 5: Extreme}\n"
                    "  bands: {critical: 20, high: 12, medium: 6, low: 0}\n" + path.read_text(encoding="utf-8"),
                    encoding="utf-8")
    body = page(project_copy, "## Risk register")
    assert '<td class="num">16 (High)</td>' in body and "critical is a score of 20 or more" in body
    assert "likelihood (1 Rare to 5 Almost certain)" in body


def test_rag_scheme_shows_colours_with_their_key(project_copy):
    write(project_copy, "risks.yml", """scheme:
  kind: rag
  bands: {red: Likely and serious - the board acts now, amber: Possible - monitored monthly, green: Under control}
risks:
  - {risk: Recruitment, description: Few staff, mitigation: Framework, rating: amber}
  - {risk: Funding, description: Grant ends, mitigation: Options paper, rating: Red}
""")
    body = page(project_copy, "## Risk register")
    assert body.index("<th scope=\"row\">Funding") < body.index("<th scope=\"row\">Recruitment")
    assert '<td class="num">Red</td>' in body and "<td>Amber</td><td>Possible - monitored monthly</td>" in body
    write(project_copy, "risks.yml", path_of(project_copy, "risks.yml").read_text().replace("rating: amber", "rating: orange"))
    [error] = [f for f in load_errors(project_copy) if f.file.endswith("risks.yml")]
    assert "'orange'" in error.message and "red, amber, green" in error.fix


def test_sample_risks_keep_working_without_a_scheme(project_copy):
    assert "scheme:" not in path_of(project_copy, "risks.yml").read_text(encoding="utf-8")
    body = page(project_copy, "## Risk register")
    assert '<td class="num">16 (High)</td>' in body
    assert "likelihood (1 rare to 5 almost certain) times impact (1 negligible to 5 severe)" in body


def test_letter_likelihood_without_a_scheme_suggests_declaring_one(project_copy):
    path = path_of(project_copy, "risks.yml")
    path.write_text(re.sub(r"likelihood: \d", "likelihood: D", path.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    [error] = [f for f in load_errors(project_copy) if f.file.endswith("risks.yml")]
    assert error.field == "risks[0].likelihood" and "scheme:" in error.fix


# --- partners' funding ----------------------------------------------------------------------------

def test_police_supporting_only_in_kind_passes_with_a_warning(project_copy):
    path = path_of(project_copy, "finance.yml")
    text = path.read_text(encoding="utf-8")
    police = re.search(r"  - agency: Police\n(    .*\n)*", text).group(0)
    path.write_text(text.replace(police, re.sub(r"other: \d+", "other: 0", police)), encoding="utf-8")
    found = check_project(load_project(project_copy, [YEAR]))
    assert [f for f in found if f.severity is Severity.ERROR] == []
    [warning] = [f for f in found if f.rule == "partners.police"]
    assert warning.severity is Severity.WARNING
    assert "police: no cash contribution recorded (in kind: 2 FTE seconded police officers)" in warning.message
    assert "the Act allows partners to make payments" in warning.message and "s.38(3)" in warning.message
    assert "in_kind" in warning.fix
    body = page(project_copy, "## What the law and the guidance ask of this plan")
    assert "<td>No cash contribution recorded</td>" in body
