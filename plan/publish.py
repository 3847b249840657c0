"""Stage 5, publish: build each year's site, plan PDF and appendix pack in a staging folder, then swap the finished
tree into site/ in one step, so a failed build leaves the old site as it was."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .pdf import Printer, pack_pdf, plan_pdf
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
    """Replace `site` with `staged`. Renames in the same folder, so the old site survives any
    failure up to this point."""
    old = site.with_name(f".{site.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if site.exists():
        site.rename(old)
    staged.rename(site)
    if old.exists():
        shutil.rmtree(old)


def publish(project, rendered_years: list[RenderedYear], kept: list[str], site: Path, env,
            report=lambda step: None, printer: Printer | None = None) -> None:
    """Build `rendered_years`, keep the `kept` years from the current site as they are, and
    swap the result into place. Every year's PDFs are sent to `printer` first, so that with
    print workers they print while the sites are built."""
    printer = printer or Printer()
    site.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".yjplan-build-", dir=site.parent))
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
        for rendered in rendered_years:
            printer.wait(rendered.plan.year)
            report(f"Building the {rendered.plan.year} site")
            build_site(project.root, rendered, work / "docs" / rendered.plan.year, staged / rendered.plan.year,
                       settings=project.site, latest=project.latest.year, env=env)
        years = sorted([*kept, *(r.plan.year for r in rendered_years)])
        copy_tree(staged / years[-1], staged / LATEST)
        write_root(staged, years, env, project.site)
        swap_into_place(staged, site)
    finally:
        shutil.rmtree(work, ignore_errors=True)
