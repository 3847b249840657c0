"""Stage 5, publish: build each year's site, plan PDF and appendix pack in a staging folder, then swap the finished
tree into site/ in one step, so a failed build leaves the old site as it was."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from . import word
from .cache import write_keys
from .outputs import STAGING_PREFIX, swap, write_stamp
from .childfriendly import pdf_name as child_pdf_name
from .pdf import Printer, child_friendly_pdf, pack_pdf, plan_pdf
from .render import RenderedYear, template_env
from .site import LATEST, build_site, write_root
from .bilingual import known_languages
from .languages import alternates, folder_keys, prefix
from .load import is_plan_year


def other_language_years_to_be(kept: list[str], rendered_years: list[RenderedYear],
                               translations: dict[str, list[RenderedYear]], site: Path) -> dict[str, list[str]]:
    """Language tag -> the years the new site will publish in it besides the primary (so each
    language's site knows its own latest year)."""
    found: dict[str, list[str]] = {}
    for rendered in rendered_years:
        for copy in translations.get(rendered.plan.year, []):
            found.setdefault(copy.plan.meta.language, []).append(rendered.plan.year)
    for tag, known in known_languages().items():
        found_kept = [year for year in kept if (site / known["key"] / year).is_dir()]
        if found_kept:
            found.setdefault(tag, []).extend(found_kept)
    return found


def copy_tree(source: Path, target: Path) -> None:
    """Copy a published tree by hard links where the file system allows: the bytes are kept as
    they are, in no time. Safe because published files are never changed in place: a build
    writes new files and swaps whole trees."""
    def link_or_copy(src, dst):
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)
    shutil.copytree(source, target, copy_function=link_or_copy)


def swap_into_place(staged: Path, site: Path) -> None:
    """Replace `site` with `staged` in one step (outputs.swap): a failure or a kill at any moment
    leaves the old site or the new one. The old site is left beside `staged`, in the staging
    folder, which publish removes."""
    swap(staged, site)


def print_year(project, rendered: RenderedYear, docs: Path, printer: Printer, report) -> None:
    """Send one year's PDFs, in one language, to `printer` (MkDocs copies them with the pages),
    and write its Word plan when one is wanted."""
    plan_pdf(project, rendered, docs / rendered.pdf_name, printer)
    pack_pdf(project, rendered, docs / rendered.pack_name, printer=printer)
    child_friendly_pdf(project, rendered, docs / child_pdf_name(rendered.pdf_name), printer)
    if word.wanted(project):      # content/site.yml `word: true`, or build --docx
        report(f"Writing the {rendered.plan.year} Word plan")
        word.plan_docx(project, rendered, docs / word.docx_name(rendered.pdf_name))


def language_versions(rendered: RenderedYear, translations: dict[str, list[RenderedYear]]) -> dict[str, RenderedYear]:
    """A year's rendered copies by language, the primary first."""
    return {rendered.plan.meta.language: rendered,
            **{copy.plan.meta.language: copy for copy in translations.get(rendered.plan.year, [])}}


def keep_other_languages(site: Path, staged: Path, year: str) -> None:
    """A kept year keeps its sites in its other languages too (site/cy/<year>/)."""
    for key in folder_keys():
        if (site / key / year).is_dir():
            (staged / key).mkdir(exist_ok=True)
            copy_tree(site / key / year, staged / key / year)


def other_language_years(staged: Path) -> dict[str, list[str]]:
    """Language tag -> the years the staged site publishes in it under site/<key>/."""
    found = {}
    for tag, known in known_languages().items():
        folder = staged / known["key"]
        years = sorted(p.name for p in folder.iterdir() if p.is_dir() and is_plan_year(p.name)) if folder.is_dir() else []
        if years:
            found[tag] = years
    return found


def publish(project, rendered_years: list[RenderedYear], kept: list[str], site: Path,
            report=lambda step: None, printer: Printer | None = None, keys: dict[str, str] | None = None,
            translations: dict[str, list[RenderedYear]] | None = None) -> None:
    """Build `rendered_years`, keep the `kept` years from the current site as they are, and
    swap the result into place, stamped as yjplan's (outputs.STAMP) with its build manifest
    `keys` (cache.write_keys). Every year's PDFs are sent to `printer` first, so that with
    print workers they print while the sites are built. The caller has checked `site`
    (outputs.check_site_folder) and holds its lock (outputs.site_lock). `translations`: year ->
    a bilingual year's copies in its other languages, each published under site/<key>/<year>/
    with its own PDFs (languages.py). Each language's pages use the templates in that language
    (render.template_env)."""
    translations = translations or {}
    printer = printer or Printer()
    site.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=site.parent))
    try:
        staged = work / "site"
        staged.mkdir()
        for year in kept:
            copy_tree(site / year, staged / year)
            keep_other_languages(site, staged, year)
        for rendered in rendered_years:
            report(f"Printing the {rendered.plan.year} PDFs")
            primary = rendered.plan.meta.language
            for language, copy in language_versions(rendered, translations).items():
                print_year(project, copy, work / "docs" / prefix(language, primary) / rendered.plan.year,
                           printer, report)
        latest = {language: max(years) for language, years in
                  other_language_years_to_be(kept, rendered_years, translations, site).items()}
        for rendered in rendered_years:
            year = rendered.plan.year
            printer.wait(year)
            report(f"Building the {year} site")
            copies = language_versions(rendered, translations)
            for language, copy in copies.items():
                where = prefix(language, rendered.plan.meta.language)
                (staged / where).mkdir(parents=True, exist_ok=True)
                build_site(project.root, copy, work / "docs" / where / year, staged / where / year,
                           settings=copy.plan.site or project.site, env=template_env(project.root, language),
                           alternate=alternates(year, language, copies),
                           latest=project.latest.year if not where else latest.get(language, year), prefix=where)
        years = sorted([*kept, *(r.plan.year for r in rendered_years)])
        copy_tree(staged / years[-1], staged / LATEST)
        write_root(staged, years, project.root, project.site, project.latest.meta.language,
                   other_language_years(staged))
        write_stamp(staged)
        if keys is not None:
            write_keys(staged, keys)    # in the staged site, so the site is never swapped in without it
        swap_into_place(staged, site)
    finally:
        shutil.rmtree(work, ignore_errors=True)
