"""One gate: what `check` passes, `build` builds.

`yjplan check` and `yjplan build`/`pack` both go through here: the checks, then every figure
derived and every page and block of every plan year rendered, each problem (a PlanError's
findings, or any other failure) collected as a Finding. Only printing and writing are left to
the build, which reuses the pages rendered here instead of rendering them twice.

It sits after render in the pipeline (load -> check -> derive -> render -> gate), so check
itself never imports render.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import bilingual, languages
from .check import check_partially, check_project
from .derive import derive
from .load import PlanYear, Project, load_project
from .problems import Finding, PlanError
from .render import RenderedYear, render_year
from .typedstats import name_variables


@dataclass
class Gate:
    project: Project | None           # None when the plan could not even be read
    findings: list[Finding]           # every problem, errors and warnings, in every year
    rendered: dict[str, RenderedYear] = field(default_factory=dict)   # year -> its pages, where they rendered
    # a bilingual plan's other languages: language tag -> year -> its pages in that language
    translations: dict[str, dict[str, RenderedYear]] = field(default_factory=dict)


def _failed(plan: PlanYear, error: Exception) -> Finding:
    """Anything that is not a PlanError: still a finding naming the year, never a traceback."""
    return Finding("build.render", f"the pages of {plan.year} could not be made ({type(error).__name__}: {error})",
                   fix="look for an unusual value in this year's files; if you cannot find one, report this "
                       "message to the yjplan maintainers", file=f"content/{plan.year}/")


def render_all(project: Project) -> tuple[dict[str, RenderedYear], list[Finding]]:
    """Derive and render every plan year, collecting every year's problems (not the first)."""
    rendered, findings = {}, []
    for plan in project.years:
        try:
            rendered[plan.year] = render_year(project, plan, derive(project, plan))
        except PlanError as exc:
            findings += exc.findings
        except Exception as error:          # noqa: BLE001: the gate turns every failure into a finding
            findings.append(_failed(plan, error))
    return rendered, findings


def render_other_languages(copies: dict, seen: list[Finding]) -> tuple[dict, list[Finding]]:
    """Every page of each other language's copy rendered, as the primary's are: a problem only a
    copy has (an unknown figure in a .cy.md file) is a finding with that file and line; one the
    primary copy has already reported (a table both languages show) is not repeated."""
    translations, findings = {}, []
    for tag, copy in copies.items():
        if copy is None:        # it could not be read: the primary copy's reading problems say why
            continue
        translations[tag], problems = render_all(copy)
        findings += bilingual.new_findings(seen + findings, problems)
    return translations, findings


def gate(project: Project) -> Gate:
    findings = check_project(project)
    copies = languages.copies(project)        # a bilingual plan in each of its other languages
    findings += bilingual.new_findings(findings, bilingual.other_languages(project, copies))   # a Welsh copy's own text
    rendered, problems = render_all(project)
    translations, more = render_other_languages(copies, findings + problems)
    findings = name_variables(findings, rendered)     # typed statistics, now beside the variables
    return Gate(project, findings + problems + more, rendered, translations)


def check_everything(project: Project) -> list[Finding]:
    """Every problem `build` would meet, short of printing and writing."""
    return gate(project).findings


def open_gate(root: Path, years: list[str] | None = None) -> Gate:
    """Read the project and pass it through the gate; a plan that cannot be read gives the
    reading problems."""
    try:
        project = load_project(root, years)
    except PlanError as exc:
        # The checks that can run on what did load: a missing file never hides the other problems.
        findings = exc.findings + check_partially(getattr(exc, "project", None))
        findings += bilingual.new_findings(findings, bilingual.other_languages(getattr(exc, "project", None)))
        return Gate(None, findings)
    except Exception as error:              # noqa: BLE001: a finding, never a traceback
        return Gate(None, [Finding("load.failed", f"the plan could not be read ({type(error).__name__}: {error})",
                                   fix="look for an unusual file in content/ or data/; if you cannot find one, "
                                       "report this message to the yjplan maintainers", file="content/")])
    return gate(project)
