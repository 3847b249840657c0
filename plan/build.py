"""The whole pipeline, as the list of steps a person would give: load, check, derive, render,
publish."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import charts
from .cache import published_keys, tool_key, year_key
from .check import check_project
from .derive import derive
from .load import Project, load_project
from .outputs import check_pack_file, check_site_folder, remove_stale_staging, site_lock
from .problems import Finding, PlanError, errors_in
from .pdf import Printer
from .publish import publish
from .render import render_year, template_env


@dataclass
class BuildResult:
    project: Project
    findings: list[Finding]       # warnings, and errors in draft plans, that did not stop the build
    site: Path
    built: list[str]              # plan years built this time
    kept: list[str]               # plan years kept as published, byte for byte


def blocking(project: Project, findings: list[Finding]) -> list[Finding]:
    """Errors stop publication, except in a draft (a draft is work in progress)."""
    drafts = {f"content/{p.year}/" for p in project.years if p.meta.is_draft}
    return [f for f in errors_in(findings) if not any(f.file.startswith(d) for d in drafts)]


def build(root: Path, site: Path | None = None, years: list[str] | None = None,
          report: Callable[[str], None] = lambda step: None, jobs: int = 1) -> BuildResult:
    """Build the plan years whose inputs changed (or those named in `years`) into `site`
    (default: root/site); the others are kept as published. `jobs` processes print the PDFs.
    Raises PlanError, leaving the existing site untouched, if anything is wrong."""
    site = check_site_folder(root, site or root / "site")     # refused before anything is written
    charts.start_engine()
    report("Reading the plan and the data")
    project = load_project(root)
    report("Checking the plan")
    findings = check_project(project)
    if stopping := blocking(project, findings):
        raise PlanError(stopping)
    if unknown := sorted(set(years or []) - {p.year for p in project.years}):
        raise PlanError([Finding("content.unknown-year", f"there is no plan year '{year}'", file="content/",
                                 fix=f"use one of: {', '.join(p.year for p in project.years)}") for year in unknown])
    with site_lock(site):
        check_site_folder(root, site)        # again: it may have changed while another build had it
        remove_stale_staging(site)
        built, kept = _build_locked(project, site, years, report, jobs)
    return BuildResult(project, findings, site, built, kept)


def _build_locked(project: Project, site: Path, years: list[str] | None, report, jobs: int) -> tuple[list[str], list[str]]:
    """The build proper, with the site's lock held: what to build, what to keep, and publish."""
    root = project.root
    shared = tool_key(root)
    keys = {plan.year: year_key(project, plan, shared) for plan in project.years}
    published = published_keys(site)
    wanted = set(years or keys)
    changed = [p for p in project.years if p.year in wanted and
               (published.get(p.year) != keys[p.year] or not (site / p.year).is_dir())]
    kept = [year for year in keys if year not in {p.year for p in changed} and (site / year).is_dir()]
    manifest = {year: keys[year] if year in wanted else published.get(year, "")
                for year in sorted({p.year for p in changed} | set(kept))}
    with Printer(min(jobs, 2 * len(changed))) as printer:     # its workers start while the years render
        rendered = []
        for plan in changed:
            report(f"Rendering {plan.year}")
            rendered.append(render_year(project, plan, derive(project, plan)))
        publish(project, rendered, kept, site, template_env(root), report, printer, keys=manifest)
    return [p.year for p in changed], kept


def pack(root: Path, year: str, target: Path | None, options) -> Path:
    """Check one plan year, then write its appendix pack (pdf.PackOptions) to `target`
    (default: the pack's own name in the current folder)."""
    from .pdf import pack_file_name, pack_pdf

    if target:
        check_pack_file(root, target)      # refused before the plan is even read
    project = load_project(root, [year])
    if stopping := blocking(project, check_project(project)):
        raise PlanError(stopping)
    plan = project.years[0]
    rendered = render_year(project, plan, derive(project, plan))
    target = check_pack_file(root, target or Path.cwd() / pack_file_name(rendered, options))
    # Printed beside the target and moved into place only when right: a refused pack leaves
    # whatever file was there before.
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    try:
        pages = pack_pdf(project, rendered, partial, options)
        last = options.first_page + pages - 1
        if options.agenda_pages and last > options.agenda_pages:
            raise PlanError([Finding(
                "pack.agenda-pages", f"the pack has {pages} pages: from page {options.first_page} it ends on page "
                f"{last}, after the agenda's last page ({options.agenda_pages})",
                fix="give --agenda-pages the page count of the whole agenda, this pack included")])
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target
