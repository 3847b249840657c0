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
from .render import RenderedYear
from .site import LATEST, build_site, write_root


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


def publish(project, rendered_years: list[RenderedYear], kept: list[str], site: Path, env,
            report=lambda step: None, printer: Printer | None = None, keys: dict[str, str] | None = None) -> None:
    """Build `rendered_years`, keep the `kept` years from the current site as they are, and
    swap the result into place, stamped as yjplan's (outputs.STAMP) with its build manifest
    `keys` (cache.write_keys). Every year's PDFs are sent to `printer` first, so that with
    print workers they print while the sites are built. The caller has checked `site`
    (outputs.check_site_folder) and holds its lock (outputs.site_lock)."""
    printer = printer or Printer()
    site.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=site.parent))
    try:
        staged = work / "site"
        staged.mkdir()
        for year in kept:
            copy_tree(site / year, staged / year)
        for rendered in rendered_years:
            docs = work / "docs" / rendered.plan.year
            report(f"Printing the {rendered.plan.year} PDFs")
            plan_pdf(project, rendered, docs / rendered.pdf_name, printer)   # MkDocs copies them with the pages
            pack_pdf(project, rendered, docs / rendered.pack_name, printer=printer)
            child_friendly_pdf(project, rendered, docs / child_pdf_name(rendered.pdf_name), printer)
            if word.wanted(project):      # content/site.yml `word: true`, or build --docx
                report(f"Writing the {rendered.plan.year} Word plan")
                word.plan_docx(project, rendered, docs / word.docx_name(rendered.pdf_name))
        for rendered in rendered_years:
            printer.wait(rendered.plan.year)
            report(f"Building the {rendered.plan.year} site")
            build_site(project.root, rendered, work / "docs" / rendered.plan.year, staged / rendered.plan.year,
                       settings=project.site, latest=project.latest.year, env=env)
        years = sorted([*kept, *(r.plan.year for r in rendered_years)])
        copy_tree(staged / years[-1], staged / LATEST)
        write_root(staged, years, env, project.site)
        write_stamp(staged)
        if keys is not None:
            write_keys(staged, keys)    # in the staged site, so the site is never swapped in without it
        swap_into_place(staged, site)
    finally:
        shutil.rmtree(work, ignore_errors=True)
