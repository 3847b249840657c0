"""The website engine: MkDocs Material, one site per plan year, and the files at the root of
site/ that tie the years together (versions.json, latest/, the redirect). This is the only
module that knows MkDocs, so the engine can be swapped here alone."""
from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import yaml

from .charts import javascript_bundle
from .render import RenderedYear, write_docs

LATEST = "latest"
CHARTS_JS = "assets/javascripts/charts.js"   # vega-embed and friends, served by the site itself


def site_config(root: Path, plan, docs: Path, out: Path, nav: list):
    """The MkDocs configuration of one plan year: mkdocs.yml plus the year's pages and names."""
    from mkdocs.config import load_config

    settings = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    extra = dict(settings.get("extra", {}), plan_year=plan.year, plan_status=plan.meta.status.value)
    return load_config(
        str(root / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(out), nav=nav, extra=extra,
        extra_javascript=[*settings.get("extra_javascript", []), CHARTS_JS],
        site_name=f"{plan.meta.service}: youth justice plan {plan.year}")


def write_pages(rendered: RenderedYear, docs: Path, problems=()) -> list:
    """The year's Markdown pages and the chart JavaScript, into `docs`. Returns the nav."""
    nav = write_docs(rendered, docs, problems=problems)
    scripts = docs / CHARTS_JS
    scripts.parent.mkdir(parents=True, exist_ok=True)
    scripts.write_text(javascript_bundle(), encoding="utf-8")
    return nav


def build_site(root: Path, rendered: RenderedYear, docs: Path, out: Path) -> None:
    """Write the year's pages into `docs` and run MkDocs Material on them into `out`."""
    from mkdocs.commands.build import build

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    nav = write_pages(rendered, docs)
    build(site_config(root, rendered.plan, docs, out, nav))


def versions(years: list[str]) -> list[dict]:
    """versions.json as MkDocs Material's version selector (provider: mike) reads it."""
    newest_first = sorted(years, reverse=True)
    return [{"version": year, "title": f"{year}{' (latest)' if i == 0 else ''}",
             "aliases": [LATEST] if i == 0 else []} for i, year in enumerate(newest_first)]


def write_root(site: Path, years: list[str], env) -> None:
    """versions.json, the latest/ alias and the root page that sends readers to the latest year."""
    (site / "versions.json").write_text(json.dumps(versions(years), indent=2) + "\n", encoding="utf-8")
    newest = max(years)
    shutil.copytree(site / newest, site / LATEST)
    (site / "index.html").write_text(env.get_template("site/redirect.html").render(target=f"{newest}/"),
                                     encoding="utf-8")
