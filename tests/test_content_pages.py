"""Each kind of content becomes a proper section: a table with a caption and header cells,
numbers right-aligned, money as pounds with thousands separators."""
from __future__ import annotations

import re

import pytest

from conftest import ROOT, read_yaml, sample_years
from plan import derive
from plan.load import load_project
from plan.render import render_year

YEAR = sample_years()[-1]


@pytest.fixture(scope="module")
def pages():
    project = load_project(ROOT, [YEAR])
    plan = project.years[0]
    return {p.slug: p.body for p in render_year(project, plan, derive.derive(project, plan)).pages}


def tables(body: str) -> list[str]:
    return re.findall(r"<table.*?</table>", body, flags=re.S)


@pytest.mark.parametrize("slug, caption", [
    ("appendix-d-board", "Management board members"),
    ("appendix-b-budget", "Budget costs and contributions"),
    ("appendix-b-budget", "How the Youth Justice Board grant"),
    ("appendix-c-staffing", "Staff by ethnicity"),
    ("appendix-e-champions", "Champion roles in the service"),
    ("appendix-f-glossary", "Terms and abbreviations"),
    ("priorities", "Priorities for"),
    ("service-development", "Actions for each priority"),
    ("service-development", "Progress on the inspection's recommendations"),
    ("progress", "Priorities of the previous plan"),
    ("risks", "Challenges, risks and issues"),
    ("sign-off", "Approval route of the plan"),
    ("governance", "Reporting lines of the management board"),
])
def test_each_kind_of_content_is_a_captioned_table_with_headers(pages, slug, caption):
    table = next(t for t in tables(pages[slug]) if f"<caption>{caption}" in t)
    assert '<th scope="col"' in table or '<th scope="row"' in table


def test_money_is_in_pounds_with_separators_and_right_aligned(pages):
    budget = next(t for t in tables(pages["appendix-b-budget"]) if "Budget costs and contributions" in t)
    amounts = re.findall(r'<td class="num">(£[\d,]+)</td>', budget)
    assert amounts and all(re.fullmatch(r"£\d{1,3}(,\d{3})*", a) for a in amounts)
    assert not re.search(r"<td>£", budget)


def test_risk_rating_is_computed(pages):
    risks = read_yaml(ROOT / "content" / YEAR / "risks.yml")["risks"]
    top = max(risks, key=lambda r: r["likelihood"] * r["impact"])
    score = top["likelihood"] * top["impact"]
    assert re.search(rf"<td class=\"num\">{score} \((High|Medium|Low)\)</td>", pages["risks"])


def test_staff_are_never_listed_post_by_post(pages):
    staffing = read_yaml(ROOT / "content" / YEAR / "staffing.yml")["posts"]
    body = pages["appendix-c-staffing"]
    assert not any(post["post"] in body for post in staffing)


def test_older_inspection_scores_are_shown_against_the_national_range(project_copy):
    path = project_copy / "content" / YEAR / "inspection.yml"
    path.write_text(path.read_text().replace(
        "scores: []",
        "scores:\n  - {area: Safeguarding, score: 72, national_lowest: 40, national_highest: 95, national_average: 68}"))
    project = load_project(project_copy, [YEAR])
    plan = project.years[0]
    body = next(p.body for p in render_year(project, plan, derive.derive(project, plan)).pages
                if p.slug == "service-development")
    assert re.search(r"Safeguarding</th><td class=\"num\">72%</td><td class=\"num\">40%</td>"
                     r"<td class=\"num\">68%</td><td class=\"num\">95%</td>", body)
