"""The whole pipeline, as the list of steps a person would give: load, check, derive, render,
publish."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .check import check_project
from .derive import derive
from .load import Project, load_project
from .problems import Finding, PlanError, errors_in
from .publish import publish
from .render import render_year, template_env


@dataclass
class BuildResult:
    project: Project
    findings: list[Finding]       # warnings, and errors in draft plans, that did not stop the build
    site: Path


def blocking(project: Project, findings: list[Finding]) -> list[Finding]:
    """Errors stop publication, except in a draft (a draft is work in progress)."""
    drafts = {f"content/{p.year}/" for p in project.years if p.meta.is_draft}
    return [f for f in errors_in(findings) if not any(f.file.startswith(d) for d in drafts)]


def build(root: Path, site: Path | None = None, years: list[str] | None = None) -> BuildResult:
    """Build every plan year (or `years`) into `site` (default: root/site). Raises PlanError,
    leaving the existing site untouched, if anything is wrong."""
    site = site or root / "site"
    project = load_project(root, years)
    findings = check_project(project)
    if stopping := blocking(project, findings):
        raise PlanError(stopping)
    rendered = [render_year(project, plan, derive(project, plan)) for plan in project.years]
    publish(project, rendered, site, template_env(root))
    return BuildResult(project, findings, site)


def pack(root: Path, year: str, target: Path | None, options) -> Path:
    """Check one plan year, then write its appendix pack (pdf.PackOptions) to `target`
    (default: the pack's own name in the current folder)."""
    from .pdf import pack_file_name, pack_pdf

    project = load_project(root, [year])
    if stopping := blocking(project, check_project(project)):
        raise PlanError(stopping)
    plan = project.years[0]
    rendered = render_year(project, plan, derive(project, plan))
    target = target or Path.cwd() / pack_file_name(rendered, options)
    pack_pdf(project, rendered, target, options)
    return target
