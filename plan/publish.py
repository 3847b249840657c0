"""Stage 5, publish: build each year's site with MkDocs Material and its PDF with WeasyPrint,
then swap the finished tree into site/ in one step, so a failed build leaves the old site.

The site engine is used only here (`build_site`), so it can be replaced without touching the
rest of the pipeline.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import tempfile
from pathlib import Path

import yaml

from .render import RenderedYear, print_html, write_docs

LATEST = "latest"


def build_site(root: Path, rendered: RenderedYear, docs: Path, out: Path) -> None:
    """Run MkDocs Material on one year's pages."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    nav = write_docs(rendered, docs)
    settings = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    extra = dict(settings.get("extra", {}), plan_year=rendered.plan.year, plan_status=rendered.plan.meta.status.value)
    config = load_config(
        str(root / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(out), nav=nav, extra=extra,
        site_name=f"{rendered.plan.meta.service}: youth justice plan {rendered.plan.year}")
    build(config)


def pdf_date(rendered: RenderedYear) -> dt.datetime:
    """A fixed creation date, so the same inputs give the same PDF bytes."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        return dt.datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), dt.timezone.utc)
    meta = rendered.plan.meta
    day = meta.sign_off.date or meta.figures_date
    return dt.datetime.combine(day, dt.time(12, 0), dt.timezone.utc)


def write_pdf(html: str, base: Path, target: Path, identifier: str) -> None:
    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    target.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=html, base_url=str(base)).write_pdf(
        target, pdf_variant="pdf/ua-1", pdf_identifier=identifier.encode(), custom_metadata=True)


def plan_pdf(root: Path, project, rendered: RenderedYear, target: Path) -> None:
    date = pdf_date(rendered).strftime("%Y-%m-%dT%H:%M:%SZ")
    html = print_html(project, rendered, pdf_date=date)
    write_pdf(html, root / "templates" / "print", target, f"{rendered.plan.meta.service} {rendered.plan.year}")


def versions(years: list[str]) -> list[dict]:
    """versions.json as MkDocs Material's version selector (provider: mike) reads it."""
    newest_first = sorted(years, reverse=True)
    return [{"version": year, "title": f"{year}{' (latest)' if i == 0 else ''}",
             "aliases": [LATEST] if i == 0 else []} for i, year in enumerate(newest_first)]


def write_root(site: Path, years: list[str], env) -> None:
    (site / "versions.json").write_text(json.dumps(versions(years), indent=2) + "\n", encoding="utf-8")
    newest = max(years)
    shutil.copytree(site / newest, site / LATEST)
    (site / "index.html").write_text(env.get_template("site/redirect.html").render(target=f"{newest}/"),
                                     encoding="utf-8")


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


def publish(project, rendered_years: list[RenderedYear], site: Path, env) -> None:
    root = project.root
    site.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".yjplan-build-", dir=site.parent))
    try:
        staged = work / "site"
        for rendered in rendered_years:
            docs = work / "docs" / rendered.plan.year
            plan_pdf(root, project, rendered, docs / rendered.pdf_name)   # MkDocs copies it with the pages
            build_site(root, rendered, docs, staged / rendered.plan.year)
        write_root(staged, [r.plan.year for r in rendered_years], env)
        swap_into_place(staged, site)
    finally:
        shutil.rmtree(work, ignore_errors=True)
