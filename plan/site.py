"""The website engine: MkDocs Material, one site per plan year, and the files at the root of
site/ that tie the years together (versions.json, latest/, the redirect). This is the only
module that knows MkDocs, so the engine can be swapped here alone."""
from __future__ import annotations

import json
import logging
import re
import shutil
from pathlib import Path

import jinja2
import yaml
from mkdocs.plugins import BasePlugin

from . import bilingual, i18n, sanitize
from .charts import javascript_bundle
from .models import SiteSettings
from .render import RenderedYear, template_env, ukdate, write_docs

LATEST = "latest"
CHARTS_JS = "assets/javascripts/charts.js"   # vega-embed and friends, served by the site itself
STATEMENT = "accessibility"      # the accessibility statement's page, in every year's site
IMAGES = "assets/images"


class _CompiledTemplates(jinja2.BytecodeCache):
    """The theme's templates compiled once per process, not once per MkDocs build: a build
    makes a new Jinja environment, and compiling Material's templates is a third of a preview
    update. A template whose text changes is compiled again (Jinja compares a checksum)."""

    def __init__(self):
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self._compiled:
            bucket.bytecode_from_string(self._compiled[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


class _ReuseCompiledTemplates(BasePlugin):
    cache = _CompiledTemplates()

    def on_env(self, env, /, *, config, files):
        env.bytecode_cache = self.cache
        return env


class _Language(BasePlugin):
    """yjplan's own words in the theme (status strip, footer, 404 page) from the catalogue, in
    the plan year's language: the same `_()` the page templates use (plan/i18n.py)."""

    def __init__(self, language: str):
        self.language = language

    def on_env(self, env, /, *, config, files):
        return i18n.install(env, self.language)


class _ContentSecurity(BasePlugin):
    """Sanitises the authored part of every page (plan/sanitize.py), copies the narrative's
    images that pass into assets/narrative/, and puts each page's Content-Security-Policy in it."""

    def __init__(self, year_folder: Path):
        super().__init__()
        self.year_folder = year_folder
        self.policy = True        # the live preview turns the CSP off: its reload script is inline

    def filter(self, record: logging.LogRecord) -> bool:
        """MkDocs warns that a narrative image is not among the pages' files: it is not, it is
        in the year's folder, and is copied from there (on_page_content)."""
        found = re.search(r"contains a link '([^']+)', but the target", record.getMessage())
        return not (found and sanitize.narrative_image(found.group(1), self.year_folder))

    def on_pre_build(self, *, config):
        logging.getLogger("mkdocs.structure.pages").addFilter(self)

    def on_post_build(self, *, config):
        logging.getLogger("mkdocs.structure.pages").removeFilter(self)

    def on_build_error(self, *, error):
        logging.getLogger("mkdocs.structure.pages").removeFilter(self)

    def on_page_content(self, html, /, *, page, config, files):
        def image_url(src: str) -> str | None:
            path = sanitize.narrative_image(src, self.year_folder)
            if path is None:
                return None
            relative = path.relative_to(self.year_folder.resolve()).as_posix()
            copy = Path(config["site_dir"]) / "assets" / "narrative" / relative
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, copy)
            return sanitize.site_image_url(page.url, relative)
        return sanitize.clean_page(html, image_url)

    def on_post_page(self, output, /, *, page, config):
        return sanitize.with_csp(output, self.policy)

    def on_post_template(self, output_content, /, *, template_name, config):
        return sanitize.with_csp(output_content, self.policy)


def site_config(root: Path, rendered: RenderedYear, docs: Path, out: Path, nav: list, *,
                settings: SiteSettings, latest: str, alternate: list | None = None, prefix: str = ""):
    """The MkDocs configuration of one plan year: mkdocs.yml plus the year's pages, names,
    logo and the settings the theme overrides show. A bilingual plan's site in each language
    has `alternate` (languages.alternates: the language switcher) and, for a language other
    than the primary, its `prefix` under site/ ('cy/') and Material's own words in it."""
    from mkdocs.config import load_config

    mkdocs_yml = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    theme = dict(mkdocs_yml["theme"])
    language = rendered.plan.meta.language
    if language != bilingual.DEFAULT:        # Material ships Welsh (cy) for its own labels
        theme["language"] = bilingual.key_of(language)
    if settings.logo:
        logo = Path(settings.logo).name
        theme.update(logo=f"{IMAGES}/{logo}", favicon=f"{IMAGES}/{logo}")
    extensions = [next(iter(item)) if isinstance(item, dict) else item for item in mkdocs_yml["markdown_extensions"]]
    options = {next(iter(item)): next(iter(item.values())) for item in mkdocs_yml["markdown_extensions"]
               if isinstance(item, dict)}
    options = sanitize.extension_configs(extensions, options)      # footnotes before the trusted part
    if "toc" in options and "permalink_title" in options["toc"]:    # the heading anchors' tooltip
        options["toc"] = {**options["toc"], "permalink_title": i18n.gettext(options["toc"]["permalink_title"], language)}
    extra = dict(mkdocs_yml.get("extra", {}), plan_year=rendered.plan.year,
                 plan_status=rendered.plan.meta.status.value,
                 yjplan=page_settings(rendered, settings, latest))
    if alternate:
        extra["alternate"] = alternate
    config = load_config(
        str(root / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(out), nav=nav, extra=extra, theme=theme,
        extra_javascript=[*mkdocs_yml.get("extra_javascript", []), CHARTS_JS],
        markdown_extensions=[{name: options[name]} if name in options else name for name in extensions],
        site_url=f"{settings.address}{prefix}{rendered.plan.year}/",
        site_name=i18n.gettext("%(service)s: youth justice plan %(year)s", language)
        % {"service": rendered.plan.meta.service, "year": rendered.plan.year})
    config.plugins["yjplan-compiled-templates"] = _ReuseCompiledTemplates()
    config.plugins["yjplan-language"] = _Language(language)
    config.plugins["yjplan-content-security"] = _ContentSecurity(rendered.plan.folder)
    return config


def write_pages(root: Path, rendered: RenderedYear, docs: Path, *, settings: SiteSettings, env,
                problems=(), reading=()) -> list:
    """The year's Markdown pages, accessibility statement, logo and chart JavaScript, into
    `docs`. Returns the nav. `problems` and `reading` (each page's reading level,
    readability.page_readings) are the preview's notice: a build passes neither."""
    from .readability import MEASURES

    notice = env.get_template("site/problems.md").render(
        findings=problems, reading=reading, reading_measures=MEASURES) if problems or reading else ""
    nav = write_docs(rendered, docs, notice)
    write_statement(env, settings, rendered, docs)
    if settings.logo:
        (docs / IMAGES).mkdir(parents=True, exist_ok=True)
        # load.load_site has refused a logo outside content/ (symlinks followed)
        shutil.copyfile((root / "content" / settings.logo).resolve(), docs / IMAGES / Path(settings.logo).name)
    scripts = docs / CHARTS_JS
    scripts.parent.mkdir(parents=True, exist_ok=True)
    scripts.write_text(javascript_bundle(), encoding="utf-8")
    return nav


def build_site(root: Path, rendered: RenderedYear, docs: Path, out: Path, *,
               settings: SiteSettings, latest: str, env, alternate: list | None = None, prefix: str = "") -> None:
    """Write the year's pages into `docs` and run MkDocs Material on them into `out`
    (`alternate`, `prefix`: a bilingual plan's site in one of its languages, site_config)."""
    from mkdocs.commands.build import build

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    nav = write_pages(root, rendered, docs, settings=settings, env=env)
    build(site_config(root, rendered, docs, out, nav, settings=settings, latest=latest,
                      alternate=alternate, prefix=prefix))


def page_settings(rendered: RenderedYear, settings: SiteSettings, latest: str) -> dict:
    """What the theme overrides (templates/site/overrides) show on every page of a year."""
    meta, year = rendered.plan.meta, rendered.plan.year
    last = next((a for a in reversed(meta.approvals) if a.date), None)    # not a step to follow
    dates = [meta.figures_date, meta.sign_off.date, *(a.date for a in meta.approvals)]
    return {
        "year": year, "latest": latest, "is_latest": year == latest,
        "status": meta.status.value, "draft": meta.is_draft, "language": meta.language,
        "period": i18n.gettext("%(start)s to %(end)s", meta.language) % {
            "start": ukdate(meta.period.start, meta.language), "end": ukdate(meta.period.end, meta.language)},
        "last_step": f"{last.body}, {ukdate(last.date, meta.language)}" if last else "",
        "updated": max(d for d in dates if d).isoformat(),     # the sitemap's lastmod
        "submission_body": rendered.derived.labels.get("submission_body", ""),   # YJB Cymru in Wales
        "pdf": rendered.pdf_name, "contact_team": meta.contact.team, "contact_email": meta.contact.email,
        "authority": settings.authority_name,   # "A, B and C" for a joint service
        "colours": {"primary": settings.colours.primary, "link": settings.colours.link},
    }


def write_statement(env, settings: SiteSettings, rendered: RenderedYear, docs: Path) -> None:
    """The accessibility statement (templates/site/accessibility.md), a page of every year's site."""
    body = env.get_template("site/accessibility.md").render(
        site=settings, meta=rendered.plan.meta, year=rendered.plan.year)
    title = i18n.gettext("Accessibility statement", rendered.plan.meta.language)
    (docs / f"{STATEMENT}.md").write_text(f"# {title}\n\n{body}", encoding="utf-8")


def versions(years: list[str], language: str | None = None) -> list[dict]:
    """versions.json as MkDocs Material's version selector (provider: mike) reads it."""
    newest_first = sorted(years, reverse=True)
    latest = i18n.gettext("%(year)s (latest)", language)
    return [{"version": year, "title": latest % {"year": year} if i == 0 else year,
             "aliases": [LATEST] if i == 0 else []} for i, year in enumerate(newest_first)]


def write_root(site: Path, years: list[str], root: Path, settings: SiteSettings, language: str,
               others: dict[str, list[str]] | None = None) -> None:
    """versions.json, the root page that sends readers to the latest year, the
    site-wide 404 page, and a sitemap index of every year's sitemap (with robots.txt naming it),
    from the project's templates (at `root`) in `language`, the newest year's primary one.
    `others`: a bilingual plan's other languages, tag -> the years published in it, each with
    its own root under site/ (write_language_root), in its language."""
    env = template_env(root, language)
    (site / "versions.json").write_text(json.dumps(versions(years), indent=2) + "\n", encoding="utf-8")
    newest = max(years)
    shutil.copy(site / newest / "404.html", site / "404.html")    # its links are absolute: it works anywhere
    sitemaps = sorted(years)
    for other, its_years in sorted((others or {}).items()):
        folder = bilingual.key_of(other)
        write_language_root(site / folder, its_years, template_env(root, other), other)
        sitemaps += [f"{folder}/{year}" for year in sorted(its_years)]
    for name, template, context in [
        ("index.html", "site/redirect.html", {"target": f"{newest}/", "lang": language}),
        ("sitemap.xml", "site/sitemap-index.xml", {"address": settings.address, "years": sitemaps}),
        ("robots.txt", "site/robots.txt", {"address": settings.address}),
    ]:
        (site / name).write_text(env.get_template(template).render(**context), encoding="utf-8")


def write_language_root(root: Path, years: list[str], env, language: str) -> None:
    """The root of a language's sites (site/cy/): its own versions.json and latest/, which
    Material's version selector finds one folder above the year, and a page sending readers
    to its latest year."""
    (root / "versions.json").write_text(json.dumps(versions(years, language), indent=2) + "\n", encoding="utf-8")
    newest = max(years)
    if (root / LATEST).exists():
        shutil.rmtree(root / LATEST)
    shutil.copytree(root / newest, root / LATEST)
    (root / "index.html").write_text(env.get_template("site/redirect.html").render(target=f"{newest}/", lang=language),
                                     encoding="utf-8")
    # its own 404 page, for a host that serves the nearest 404.html (the site-wide one is the
    # primary language's, whose language switcher leads here)
    shutil.copy(root / newest / "404.html", root / "404.html")
