"""content/site.yml: the website's settings (publisher, address, colours, logo, accessibility
statement). A bad setting is reported with file, line, field and fix; the statement follows the
UK model statement; a draft says so on every page."""
from __future__ import annotations

import re

import pytest

from conftest import ROOT, read_yaml, sample_years
from plan.cli import main
from plan.models import SiteSettings, contrast
from plan.render import template_env

SITE_YML = "content/site.yml"


def check(root, capsys):
    code = main(["--root", str(root), "check"])
    return code, capsys.readouterr().out


def edit_site(root, pattern, replacement):
    path = root / SITE_YML
    text, made = re.subn(pattern, replacement, path.read_text(encoding="utf-8"), count=1, flags=re.M)
    assert made, pattern
    path.write_text(text, encoding="utf-8")


def line_of(root, pattern) -> int:
    lines = (root / SITE_YML).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if re.search(pattern, line))


def reported(out: str, place: str) -> str:
    blocks = [block for block in out.split("\nerror: ") if place in block]
    assert blocks, out
    return blocks[0]


def test_contrast_is_computed_as_wcag_defines_it():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#767676", "#ffffff"), 2) == 4.54      # the lightest grey with 4.5:1 on white
    assert contrast("#ffffff", "#ffffff") == 1.0


@pytest.mark.parametrize("find, replace, marker, field, message, fix", [
    (r'^(\s*)primary: .*', r'\1primary: "#7fb2c0"', r"primary:", "colours.primary",
     "has a contrast of only 2.3:1 with white; text needs at least 4.5:1", "darker shade"),
    (r'^(\s*)links: .*', r'\1links: teal', r"links:", "colours.links",
     "'teal' is not a colour", "six hex digits"),
    (r'^address: .*', "address: www.castlebridge.gov.uk", r"^address:", "address",
     "is not the web address of a site", "starting https://"),
    (r'^authority:', "authorty:", r"^authorty:", "authorty",
     "'authorty' is not a field yjplan knows", "did you mean 'authority'"),
    (r'^(\s*)reviewed: .*', r"\1reviewed: 2025-13-01", r"reviewed:", "accessibility.reviewed",
     "'reviewed' must be a real date", "YYYY-MM-DD"),
    (r'^logo: .*', "logo: crest.gif", r"^logo:", "logo",
     "the logo 'crest.gif' is not an SVG or PNG file in content/", "put the logo file in content/"),
])
def test_bad_site_setting_is_reported_with_file_line_field_and_fix(project_copy, capsys, find, replace, marker,
                                                                    field, message, fix):
    edit_site(project_copy, find, replace)
    code, out = check(project_copy, capsys)
    assert code == 1
    block = reported(out, f"{SITE_YML}, line {line_of(project_copy, marker)}, field '{field}'")
    assert message in block
    assert "fix: " in block and fix in block


def test_missing_site_settings_stop_the_build(project_copy):
    from plan.build import build
    from plan.problems import PlanError

    (project_copy / SITE_YML).unlink()
    with pytest.raises(PlanError) as stopped:
        build(project_copy)
    assert [str(f).split("\n")[0] for f in stopped.value.findings] == [f"error: {SITE_YML}: this file is missing"]
    assert not (project_copy / "site").exists()


# --- the accessibility statement -----------------------------------------------------------------

def statement(settings: dict, year: str) -> str:
    from plan.load import load_year
    plan, _ = load_year(ROOT, year)
    return template_env(ROOT).get_template("site/accessibility.md").render(
        site=SiteSettings.model_validate(settings), meta=plan.meta, year=year)


def test_statement_says_partially_compliant_and_lists_failures_with_criterion_and_date():
    settings = read_yaml(ROOT / SITE_YML)
    text = statement(settings, sample_years()[-1])
    failing = [i for i in settings["accessibility"]["known_issues"] if i.get("criterion")]
    assert failing
    assert "This website is partially compliant with the" in text
    for issue in failing:
        assert f"This fails WCAG 2.2 success criterion {issue['criterion']}." in text
    assert "## Non-accessible content" in text


def test_statement_with_no_failures_says_fully_compliant():
    settings = read_yaml(ROOT / SITE_YML)
    settings["accessibility"]["known_issues"] = []
    text = statement(settings, sample_years()[-1])
    assert "This website is fully compliant with the" in text
    assert "Non-accessible content" not in text
    assert "We do not know of any part of this website that is not accessible" in text


# --- a draft ---------------------------------------------------------------------------------------

def test_a_draft_plan_says_draft_on_every_page(project_copy, tmp_path):
    """Only the site of the draft year is built (MkDocs, no PDF), straight through the pipeline."""
    from plan.derive import derive
    from plan.load import load_project
    from plan.render import render_year
    from plan.site import build_site

    year = sample_years()[-1]
    plan_yml = project_copy / "content" / year / "plan.yml"
    plan_yml.write_text(re.sub(r"^status: .*", "status: draft", plan_yml.read_text(), count=1, flags=re.M))
    project = load_project(project_copy, [year])
    plan = project.years[-1]
    assert plan.meta.is_draft
    build_site(project_copy, render_year(project, plan, derive(project, plan)), tmp_path / "docs",
               tmp_path / "site", settings=project.site, latest=year, env=template_env(project_copy))

    pages = list((tmp_path / "site").rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert '<strong class="yj-draft">Draft</strong>' in html, page
        assert 'data-yj-status="draft"' in html
        assert "Status: Draft: not yet approved" in re.sub(r"\s+", " ", html)
