"""Sections and appendices as the council titles them (#14 item 7): plan.yml retitles and numbers
the edition's headings and appendices (their ids stay, so every check applies), adds the plan's
own sections and appendices, and narrative may fill an appendix. The site's nav and the PDF's
contents reproduce the council's numbers and titles."""
from __future__ import annotations

import html
import re
import subprocess

import pytest

from conftest import run_yjplan, sample_years
from plan.check import check_plan
from plan.load import load_project
from plan.problems import PlanError, Severity

YEAR = sample_years()[-1]

OUTLINE = """headings:
  governance: {title: "2. How we are run"}
  structure: {title: "Appendix 1: How the service is organised"}
  glossary: {title: Words we use}
sections:
  - {id: kpi-commentary, title: What our KPIs tell us, after: performance}
appendices:
  - {id: annual-report, title: Annual report 2024-25, after: budget}
"""


def with_outline(root, outline: str = OUTLINE, appendix_text: str = "Last year the service met four of its five priorities.\n"):
    folder = root / "content" / YEAR
    plan = folder / "plan.yml"
    plan.write_text(plan.read_text(encoding="utf-8") + outline, encoding="utf-8")
    (folder / "narrative" / "90-annual-report.md").write_text(
        f"---\nheading: annual-report\n---\n{appendix_text}", encoding="utf-8")
    (folder / "narrative" / "91-kpi-commentary.md").write_text(
        "---\nheading: kpi-commentary\n---\nOur KPI returns are new and still settling.\n", encoding="utf-8")
    return folder


def load_errors(root) -> list:
    try:
        load_project(root, [YEAR])
    except PlanError as exc:
        return [f for f in exc.findings if f.severity is Severity.ERROR]
    return []


def test_a_retitled_plan_checks_clean_and_keeps_its_required_headings(project_copy):
    folder = with_outline(project_copy)
    project = load_project(project_copy, [YEAR])
    plan = project.years[0]
    findings = check_plan(plan)
    assert [f for f in findings if f.severity is Severity.ERROR] == []
    # The sample's local context is section 2 too: the contents would repeat the number.
    assert [f.field for f in findings if f.rule == "plan.outline-number"] == ["headings.governance"]
    governance = plan.guidance.heading("governance")
    assert (governance.title, plan.guidance.label_of("governance")) == ("How we are run", "2")
    assert plan.guidance.label_of("progress") == "3"          # the council's numbering carries on
    assert plan.guidance.appendix("annual-report").required is False
    # The edition's heading is still required under its new title.
    next(folder.glob("narrative/*-governance.md")).unlink()
    plan = load_project(project_copy, [YEAR]).years[0]
    missing = [f for f in check_plan(plan) if f.rule == "guidance.headings"]
    assert missing and missing[0].severity is Severity.ERROR and "How we are run" in missing[0].message


def test_retitling_a_heading_the_edition_does_not_have_is_an_error_with_did_you_mean(project_copy):
    with_outline(project_copy, OUTLINE.replace("  glossary:", "  glosary:"))
    [error] = [f for f in load_errors(project_copy) if f.rule == "plan.outline-unknown"]
    lines = (project_copy / "content" / YEAR / "plan.yml").read_text(encoding="utf-8").splitlines()
    assert error.file == f"content/{YEAR}/plan.yml" and error.line == lines.index("  glosary: {title: Words we use}") + 1
    assert error.field == "headings.glosary" and "did you mean 'glossary'?" in error.fix


def test_a_local_section_with_an_editions_id_is_an_error(project_copy):
    with_outline(project_copy, OUTLINE.replace("id: kpi-commentary", "id: performance"))
    errors = load_errors(project_copy)
    clash = [f for f in errors if f.rule == "plan.outline-clash"]
    assert len(clash) == 1 and clash[0].field == "sections.0.id" and clash[0].line
    assert "retitle the edition's 'performance' under 'headings:'" in clash[0].fix


def test_a_local_appendix_after_an_unknown_appendix_is_an_error(project_copy):
    with_outline(project_copy, OUTLINE.replace("after: budget", "after: budgett"))
    [error] = [f for f in load_errors(project_copy) if f.rule == "plan.outline-after"]
    assert error.field == "appendices.0.after" and "did you mean 'budget'?" in error.fix


def nav_titles(page) -> list[str]:
    raw = page.read_text(encoding="utf-8")
    raw = raw[raw.index("md-nav--primary"):]
    titles = [" ".join(html.unescape(re.sub(r"<[^>]+>", "", t)).split())
              for t in re.findall(r'<span class="md-ellipsis">(.*?)</span>', raw, flags=re.S)]
    return list(dict.fromkeys(t for t in titles if t))


def test_the_site_nav_and_the_pdf_contents_show_the_councils_numbers_and_titles(project_copy):
    for other in (project_copy / "content").iterdir():      # build the one year only
        if other.is_dir() and other.name != YEAR:
            import shutil
            shutil.rmtree(other)
    with_outline(project_copy)
    result = run_yjplan(project_copy, "build", YEAR)
    assert result.returncode == 0, result.stdout + result.stderr
    site = project_copy / "site" / YEAR
    nav = nav_titles(site / "index.html")
    wanted = ["1. Introduction, vision and strategy", "2. Local context", "2. How we are run",
              "3. Progress on priorities in the previous plan", "4. Performance over the previous year",
              "5. What our KPIs tell us", "6. Risks and issues"]
    assert [t for t in nav if t in wanted] == wanted
    appendices = ["Appendix 1: How the service is organised", "Appendix 2: Budget costs and contributions",
                  "Appendix 3: Annual report 2024-25", "Appendix 4: Staffing by ethnicity and sex",
                  "Appendix 8: Compliance checklist"]
    assert [t for t in nav if t in appendices] == appendices
    assert "Appendix 7: Words we use" in nav
    annual = (site / "appendix-3-annual-report" / "index.html").read_text(encoding="utf-8")
    assert "met four of its five priorities" in annual
    pdf = next(p for p in site.glob("*.pdf") if not p.name.endswith("-appendices.pdf"))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    contents = text[text.index("Contents"):].split("\x0c")[0]
    lines = [re.sub(r"\s*\.{3,}.*$", "", line).strip() for line in contents.splitlines()]
    lines = [line for line in lines if line]
    joined = " ".join(" ".join(lines).split())
    order = ["2. How we are run", "5. What our KPIs tell us", "Appendix 1: How the service is organised",
             "Appendix 3: Annual report 2024-25", "Appendix 7: Words we use"]
    positions = [joined.find(t) for t in order]
    assert -1 not in positions and positions == sorted(positions), joined
    pack = next(p for p in site.glob("*-appendices.pdf"))
    pack_text = subprocess.run(["pdftotext", str(pack), "-"], capture_output=True, text=True, check=True).stdout
    assert "Appendix 3: Annual report 2024-25" in pack_text and "met four of its five priorities" in " ".join(pack_text.split())
