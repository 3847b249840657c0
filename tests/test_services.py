"""A plan states how each youth justice service of s.38(4) is provided, by whom, how it is funded
and where it is described (content/<year>/services.yml): the check reads that, not keywords,
and the plan publishes it as a table under "Resources and services"."""
from __future__ import annotations

import re

import pytest

from conftest import ROOT, sample_years
from plan import derive
from plan.check import check_plan, check_project
from plan.load import load_project
from plan.newyear import new_year
from plan.problems import Severity
from plan.render import render_year

YEAR = sample_years()[-1]
SERVICE_RULES = ("s40.services-provided", "s40.team-functions", "services.")


def plan_of(root, year=YEAR):
    return load_project(root, [year]).years[0]


def about_services(findings):
    return [f for f in findings if f.rule.startswith(SERVICE_RULES)]


def services_file(root, year=YEAR):
    return root / "content" / year / "services.yml"


def edit(root, pattern, replacement, year=YEAR):
    path = services_file(root, year)
    text, made = re.subn(pattern, replacement, path.read_text(encoding="utf-8"), count=1, flags=re.M)
    assert made, pattern
    path.write_text(text, encoding="utf-8")


def line_of(root, text, year=YEAR):
    lines = services_file(root, year).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def test_sample_and_example_show_every_service_with_no_finding():
    """No error and no keyword false alarm in either sample year or the Northmoor example."""
    for root in (ROOT, ROOT / "tests" / "examples" / "northmoor"):
        found = about_services(check_project(load_project(root)))
        assert found == [], [str(f) for f in found]


def test_a_service_left_out_is_an_error_naming_services_yml_line_field_and_fix(project_copy):
    path = services_file(project_copy)
    text = path.read_text(encoding="utf-8")
    start = text.index("  - service: bail-support")
    path.write_text(text[:start] + text[text.index("  - service: remand"):], encoding="utf-8")
    found = {f.rule: f for f in check_plan(plan_of(project_copy))}
    provided = found["s40.services-provided"]
    assert provided.severity is Severity.ERROR
    assert provided.file == f"content/{YEAR}/services.yml" and provided.field == "services"
    assert provided.line == line_of(project_copy, "services:")
    assert "not in services.yml: Bail support" in provided.message
    assert "bail-support" in provided.fix and "funded" in provided.fix
    assert found["s40.team-functions"].severity is Severity.ERROR


def test_an_unknown_service_is_an_error_with_did_you_mean(project_copy):
    edit(project_copy, r"service: bail-support$", "service: bail-suport")
    found = [f for f in check_plan(plan_of(project_copy)) if f.rule == "services.unknown-service"]
    assert len(found) == 1 and found[0].severity is Severity.ERROR
    assert "did you mean 'bail-support'?" in found[0].fix
    assert found[0].line == line_of(project_copy, "bail-suport") and found[0].field == "services[2].service"


def test_a_service_written_by_its_name_is_pointed_to_its_key(project_copy):
    edit(project_copy, r"service: bail-support$", "service: Bail support")
    found = [f for f in check_plan(plan_of(project_copy)) if f.rule == "services.unknown-service"]
    assert found and "did you mean 'bail-support'?" in found[0].fix


def test_a_mistyped_partner_is_an_error_but_an_organisations_name_is_published(project_copy):
    edit(project_copy, r"provider: \[yjs, probation\]", "provider: [yjs, probaton]")
    found = [f for f in check_plan(plan_of(project_copy)) if f.rule == "services.provider"]
    assert len(found) == 1 and "did you mean 'probation'?" in found[0].fix
    assert found[0].field == "services[7].provider[1]" and found[0].line == line_of(project_copy, "probaton")
    # "Castlebridge Appropriate Adult Scheme (Family Action)" is a name, not a key: no finding.
    assert not [f for f in check_plan(plan_of(project_copy)) if "Family Action" in f.message]


def test_a_funder_with_no_budget_row_warns_and_a_mistyped_one_is_an_error(project_copy):
    edit(project_copy, r"funded_by: local-authority$", "funded_by: [local-authority, housing]")
    edit(project_copy, r"funded_by: \[yjb, probation\]", "funded_by: [yjb, probaton]")
    found = {f.rule: f for f in check_plan(plan_of(project_copy)) if f.rule.startswith("services.")}
    assert found["services.funder-not-in-budget"].severity is Severity.WARNING
    assert found["services.funded-by"].severity is Severity.ERROR
    assert "did you mean 'probation'?" in found["services.funded-by"].fix


def test_where_naming_no_heading_of_the_edition_is_an_error(project_copy):
    edit(project_copy, r"where: resources$", "where: resourcs")
    found = [f for f in check_plan(plan_of(project_copy)) if f.rule == "services.where"]
    assert len(found) == 1 and found[0].severity is Severity.ERROR
    assert "did you mean 'resources'?" in found[0].fix and found[0].field == "services[0].where"


def test_a_place_that_never_mentions_the_service_is_only_a_hint(project_copy):
    edit(project_copy, r"(service: bail-support(?:\n.*?)*?)where: resources", r"\1where: child-first")
    found = about_services(check_plan(plan_of(project_copy)))
    assert [(f.rule, f.severity) for f in found] == [("services.not-described", Severity.WARNING)]
    assert "bail support" in found[0].message and "Child First" in found[0].message


def test_without_services_yml_the_keyword_search_only_warns_and_asks_for_it(project_copy):
    services_file(project_copy).unlink()
    found = about_services(check_plan(plan_of(project_copy)))
    assert {f.rule for f in found} == {"s40.services-provided", "s40.team-functions"}
    assert all(f.severity is Severity.WARNING and "write services.yml" in f.fix for f in found)


def test_a_service_described_only_in_an_appendix_is_not_reported_missing(project_copy):
    """Bail support gone from every narrative file, but the staffing and budget appendices still
    publish the Bail, Remand and Resettlement Officer and the grant's bail support."""
    services_file(project_copy).unlink()
    for path in (project_copy / "content" / YEAR / "narrative").glob("*.md"):
        path.write_text(re.sub("(?i)bail", "b-a-i-l", path.read_text(encoding="utf-8")), encoding="utf-8")
    provided = next(f for f in check_plan(plan_of(project_copy)) if f.rule == "s40.services-provided")
    assert "Bail support" not in provided.message


def test_corporate_parenting_is_not_a_parenting_order(project_copy):
    services_file(project_copy).unlink()
    for path in (project_copy / "content" / YEAR / "narrative").glob("*.md"):
        path.write_text(re.sub("(?i)parenting order", "order", path.read_text(encoding="utf-8")), encoding="utf-8")
    assert "Corporate Parenting Board" in (project_copy / "content" / YEAR / "narrative" / "03-governance.md").read_text()
    provided = next(f for f in check_plan(plan_of(project_copy)) if f.rule == "s40.services-provided")
    assert "Responsible officers for parenting orders" in provided.message


def test_the_resources_section_shows_the_services_table(project_copy):
    project = load_project(project_copy, [YEAR])
    plan = project.years[0]
    rendered = render_year(project, plan, derive.derive(project, plan))
    page = next(p for p in rendered.pages if p.slug == "resources")
    assert "## Youth justice services: how they are provided and funded" in page.body
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th><td>(.*?)</td><td>.*?</td><td>(.*?)</td><td>(.*?)</td></tr>",
                      page.body.split("how they are provided and funded")[1])
    by_service = {row[0]: row[1:] for row in rows}
    assert len(by_service) == 8 and list(by_service)[0] == "Appropriate adults"
    assert by_service["Bail support"] == ("Castlebridge Youth Justice Service",
                                          "YJB youth justice grant; Local authority",
                                          "Section 8: Resources and services")
    assert by_service["Appropriate adults"][0] == ("Castlebridge Youth Justice Service; Castlebridge Appropriate "
                                                   "Adult Scheme (Family Action) (commissioned)")
    checklist = {r.rule: r for r in derive.derive(project, plan).checklist}
    assert checklist["s40.services-provided"].where.startswith("Section 8: Resources and services")


def test_a_new_year_carries_services_yml(project_copy):
    folder = new_year(project_copy, "2026-27")
    assert (folder / "services.yml").read_text() == services_file(project_copy).read_text()
    assert plan_of(project_copy, "2026-27").services is not None


def test_a_broken_services_yml_is_not_reported_as_missing(project_copy):
    """A key typed wrong stops the file loading: the error names it, and nothing says 'no services.yml'."""
    from plan.check import check_partially
    from plan.problems import PlanError
    edit(project_copy, r"^(\s+)how:", r"\1hw:")
    with pytest.raises(PlanError) as caught:
        load_project(project_copy, [YEAR])
    assert any(f.file == f"content/{YEAR}/services.yml" and f.field.endswith("hw") for f in caught.value.findings)
    partial = about_services(check_partially(caught.value.project))
    assert partial and all("no services.yml" not in f.message for f in partial)
