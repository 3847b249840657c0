"""The whole pipeline, as the list of steps a person would give: load, check, derive, render,
publish."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import charts
from .cache import published_keys, tool_key, year_key
from .gate import Gate, gate
from .load import Project, is_plan_year, load_project
from .outputs import check_pack_file, check_site_folder, remove_stale_staging, site_lock
from .problems import Finding, PlanError, Severity, errors_in
from .pdf import Printer
from .publish import publish
from .render import RenderedYear
from .word import wanted as word_wanted


@dataclass
class BuildResult:
    project: Project
    findings: list[Finding]       # warnings, and errors in draft plans, that did not stop the build
    site: Path
    built: list[str]              # plan years built this time
    kept: list[str]               # plan years kept as published, byte for byte
    removed: list[str] = field(default_factory=list)   # plan years unpublished (--remove)


# Errors that stop a draft too: drafts go to public committee agendas, so what a plan must not
# reveal, and markup in YAML fields the theme shows as written (rule ids starting with these),
# is never let through. (Narrative HTML is sanitised in any plan, so it need not stop a draft.)
ALWAYS_BLOCKING = ("privacy.", "security.markup", "security.path")


def blocking(project: Project, findings: list[Finding]) -> list[Finding]:
    """Errors stop publication, except in a draft (a draft is work in progress), unless they are
    ALWAYS_BLOCKING."""
    drafts = {f"content/{p.year}/" for p in project.years if p.meta.is_draft}
    return [f for f in errors_in(findings)
            if f.rule.startswith(ALWAYS_BLOCKING) or not any(f.file.startswith(d) for d in drafts)]


def published_years(site: Path) -> set[str]:
    """The plan years site/ publishes: its manifest's years and its year folders."""
    folders = {p.name for p in site.iterdir() if p.is_dir() and is_plan_year(p.name)} if site.is_dir() else set()
    return {y for y in published_keys(site) if (site / y).is_dir()} | folders


def orphans(site: Path, content_years: set[str], remove: list[str]) -> tuple[list[str], list[Finding]]:
    """Published years whose content folder has gone. They stay published, with a warning,
    unless the author names them in --remove: a renamed or deleted folder never unpublishes a
    year by itself. Returns (years kept, findings)."""
    published = published_years(site)
    problems = [Finding("build.remove", f"--remove {year}: content/{year}/ still exists, so the next build "
                        "would publish it again", fix=f"move content/{year}/ out of content/ first, then run "
                        f"'yjplan build --remove {year}'", file=f"content/{year}/")
                for year in remove if year in content_years]
    problems += [Finding("build.remove", f"--remove {year}: {year} is not published in {site.name}/",
                         fix=f"use one of: {', '.join(sorted(published - content_years)) or '(none: nothing to remove)'}")
                 for year in remove if year not in published and year not in content_years]
    if problems:
        raise PlanError(problems)
    gone = sorted(published - content_years - set(remove))
    return gone, [Finding("build.year-kept", f"{site.name}/{year} is published but content/{year} is gone: kept",
                          fix=f"run 'yjplan build --remove {year}' to unpublish it, or restore content/{year}/",
                          file=f"content/{year}/", severity=Severity.WARNING) for year in gone]


def rendered_by_gate(checked: Gate, plan) -> RenderedYear:
    """The year's pages as the gate rendered them; a draft whose pages could not be rendered
    (its errors do not stop the build) still cannot be published."""
    if plan.year not in checked.rendered:
        raise PlanError([f for f in errors_in(checked.findings) if f.file.startswith(f"content/{plan.year}/")])
    return checked.rendered[plan.year]


def in_language(checked: Gate, plan, language: str | None) -> RenderedYear:
    """The year as the gate rendered it in `language` (None: the primary): a language the plan
    is not written in is refused, naming the ones it is."""
    if language in (None, plan.meta.language):
        return rendered_by_gate(checked, plan)
    if language not in plan.meta.languages:
        raise PlanError([Finding("language.not-in-plan", f"the {plan.year} plan is not written in '{language}'",
                                 fix=f"use one of: {', '.join(plan.meta.languages)}",
                                 file=f"content/{plan.year}/plan.yml", field="languages")])
    return next(copy for copy in translated_by_gate(checked, plan) if copy.plan.meta.language == language)


def translated_by_gate(checked: Gate, plan) -> list[RenderedYear]:
    """A bilingual year's pages in each of its other languages, as the gate rendered them; a
    copy that could not be rendered (a draft's errors) stops its year, as rendered_by_gate does."""
    copies = []
    for language in plan.meta.languages[1:]:
        rendered = checked.translations.get(language, {}).get(plan.year)
        if rendered is None:
            raise PlanError([f for f in errors_in(checked.findings) if f.file.startswith(f"content/{plan.year}/")]
                            or [Finding("build.render", f"the {plan.year} plan could not be made in {language}",
                                        fix="run 'yjplan check' and correct what it reports",
                                        file=f"content/{plan.year}/")])
        copies.append(rendered)
    return copies


def build(root: Path, site: Path | None = None, years: list[str] | None = None,
          report: Callable[[str], None] = lambda step: None, jobs: int = 1,
          remove: list[str] | None = None, docx: bool = False) -> BuildResult:
    """Build the plan years whose inputs changed (or those named in `years`) into `site`
    (default: root/site); the others are kept as published, and so is a published year whose
    content folder has gone, unless it is named in `remove`. `jobs` processes print the PDFs.
    Raises PlanError, leaving the existing site untouched, if anything is wrong."""
    site = check_site_folder(root, site or root / "site")     # refused before anything is written
    charts.start_engine()
    report("Reading the plan and the data")
    project = load_project(root)
    if docx and project.site:       # --docx: the Word plan too, as if content/site.yml said `word: true`
        project.site = project.site.model_copy(update={"word": True})
    report("Checking the plan and rendering every page")
    checked = gate(project)        # the same gate as `yjplan check`: what it passes, this builds
    findings = checked.findings
    if stopping := blocking(project, findings):
        raise PlanError(stopping)
    if unknown := sorted(set(years or []) - {p.year for p in project.years}):
        raise PlanError([Finding("content.unknown-year", f"there is no plan year '{year}'", file="content/",
                                 fix=f"use one of: {', '.join(p.year for p in project.years)}") for year in unknown])
    with site_lock(site):
        check_site_folder(root, site)        # again: it may have changed while another build had it
        remove_stale_staging(site)
        built, kept = _build_locked(checked, site, years, report, jobs, remove or [], findings)
    return BuildResult(project, findings, site, built, kept, sorted(remove or []))


def _build_locked(checked: Gate, site: Path, years: list[str] | None, report, jobs: int, remove: list[str],
                  findings: list[Finding]) -> tuple[list[str], list[str]]:
    """The build proper, with the site's lock held: what to build, what to keep (warnings about
    kept years whose content has gone are added to `findings`), and publish."""
    project = checked.project
    root = project.root
    shared = tool_key(root) + (";word" if word_wanted(project) else "")   # the Word plan is part of a year's output
    keys = {plan.year: year_key(project, plan, shared) for plan in project.years}
    published = published_keys(site)
    wanted = set(years or keys)
    changed = [p for p in project.years if p.year in wanted and
               (published.get(p.year) != keys[p.year] or not (site / p.year).is_dir())]
    kept = [year for year in keys if year not in {p.year for p in changed} and (site / year).is_dir()]
    gone, warnings = orphans(site, set(keys), remove)
    kept += gone
    findings += warnings
    manifest = {year: keys[year] if year in wanted else published.get(year, "")
                for year in sorted({p.year for p in changed} | set(kept))}
    rendered = [rendered_by_gate(checked, plan) for plan in changed]
    translations = {plan.year: translated_by_gate(checked, plan) for plan in changed}   # a bilingual plan's other languages
    with Printer(min(jobs, 2 * len(changed))) as printer:
        publish(project, rendered, kept, site, report, printer, keys=manifest,
                translations=translations)
    return [p.year for p in changed], kept


def pack(root: Path, year: str, target: Path | None, options, language: str | None = None) -> Path:
    """Check one plan year, then write its appendix pack (pdf.PackOptions) to `target`
    (default: the pack's own name in the current folder), in `language` for a bilingual plan
    (default: its primary language). Raises packinclude.UnknownSection for an --include the
    plan's guidance edition does not know."""
    from .packinclude import chapters
    from .pdf import pack_file_name, pack_pdf

    if target:
        check_pack_file(root, target)      # refused before the plan is even read
    project = load_project(root, [year])
    chapters(project.years[0].guidance, options.include)   # an unknown --include stops it before the checks
    checked = gate(project)
    if stopping := blocking(project, checked.findings):
        raise PlanError(stopping)
    rendered = in_language(checked, project.years[0], language)
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
