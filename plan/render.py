"""Stage 4, render: turn a plan year and its derived figures into pages.

The same page Markdown feeds the website (through MkDocs) and the print document (through
Python-Markdown with the extensions listed in mkdocs.yml), so the two cannot disagree.
Presentation lives in templates/; this module only chooses what goes where.
"""
from __future__ import annotations

from html import escape as html_escape
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2
import markdown
from markupsafe import Markup
import yaml

from . import charts, i18n, riskscheme, sanitize
from . import narrative as narrative_template
from . import derive as numbers
from .derive import Derived
from .load import Narrative, PlanYear, Project
from .problems import PlanError


@dataclass
class Page:
    slug: str                 # file name in the year's docs, without .md
    title: str                # the guidance heading, or "Appendix A: ..."
    label: str                # short label for the nav and contents ("3", "A")
    body: str                 # Markdown, without the page title
    kind: str                 # "home" | "chapter" | "appendix" | "child" (the child-friendly version)


@dataclass
class RenderedYear:
    plan: PlanYear
    derived: Derived
    pages: list[Page]
    pdf_name: str

    @property
    def pack_name(self) -> str:
        """The appendix pack, next to the plan PDF."""
        return pack_slug_for(self.pdf_name)


@cache
def template_env(root: Path, language: str | None = None) -> jinja2.Environment:
    """The templates of a project in one language, compiled once per process and language (Jinja
    still reloads a template whose file changes, so the preview sees template edits).

    The fixed wording is `{{ _("...") }}` / `{% trans %}` in the templates, translated from the
    language's catalogue (plan/i18n.py); English is the message ids themselves, so an English
    plan renders exactly as it did before the catalogues. In another language, a value printed
    whole that is a catalogue message (a word from Python such as "not available" or "no
    change", a partner's name, a status) is printed translated too (`finalize_for`)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(root / "templates"),
        autoescape=True,   # content is HTML-escaped; Markdown reads entities fine
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"], finalize=finalize_for(language))
    i18n.install(env, language or i18n.DEFAULT)
    env.filters.update(money=numbers.money, number=numbers.number, percent=numbers.percent,
                       partner=_partner_in_language, ukdate=_ukdate_in_language, escape_md=escape_md)
    env.globals.update(marker=numbers.publication_rules()["small_numbers"]["marker"],
                       suppression_note=numbers.publication_rules()["small_numbers"]["footnote"],
                       staff_suppression_note=numbers.publication_rules()["small_numbers"]["staff_footnote"],
                       format_value=numbers.format_value, change_text=numbers.change_words, direction_text=numbers.direction_words,
                       structure_rows=numbers.posts_by_title, signed_money=numbers.signed_money,
                       chart=lambda indicator: charts.chart(indicator, language), risk_key=riskscheme.key,
                       language=language or i18n.DEFAULT)
    return env


def finalize_for(language: str | None):
    """What Jinja applies to every `{{ value }}`: nothing in English (the wording is the
    catalogue's message ids); in another language, a text that is a whole catalogue message
    comes out translated, keeping a safe (Markup) value safe."""
    if i18n.is_source(language):
        return None

    def finalize(value):
        if not isinstance(value, str) or not value:
            return value
        translated = i18n.translate(value, language)
        if translated == value:
            return value
        return Markup(translated) if isinstance(value, Markup) else translated
    return finalize


@jinja2.pass_context
def _partner_in_language(context, partner, labels: dict | None = None) -> str:
    """The `partner` filter: a partner's name (a shared seat's partners joined) in the language
    of the plan being rendered; in English exactly derive.partner_name's."""
    language = getattr(context.get("meta"), "language", None)
    if i18n.is_source(language) or not isinstance(partner, list) or len(partner) < 2:
        return i18n.translate(numbers.partner_name(partner, labels), language)
    names = [i18n.translate(numbers.partner_name(p, labels), language) for p in partner]
    return i18n.conjoin(", ".join(names[:-1]), names[-1], language)


def ukdate(value, language: str | None = None) -> str:
    """A date as the plan writes it, in its language: 1 April 2025, 1 Ebrill 2025 (i18n.py)."""
    return i18n.format_date(value, language)


@jinja2.pass_context
def _ukdate_in_language(context, value) -> str:
    """The `ukdate` filter: in the language of the plan being rendered (its meta.language)."""
    return ukdate(value, getattr(context.get("meta"), "language", None))


def escape_md(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]<>#|])", r"\\\1", str(text))


# --- narrative: figures through sandboxed template variables ---------------------------------

def render_narrative(narrative: Narrative, variables: dict, language: str | None = None) -> str:
    """The narrative with its figures filled in, in `language`; raises PlanError with every
    problem in the file (the bounded sandbox and its findings are in narrative.py)."""
    return narrative_template.render(narrative, variables, language)


# --- pages --------------------------------------------------------------------------------------

TABLES_HERE = "local_tables"   # a guidance edition's place for the plan's declared local tables (no template)


def _blocks(env: jinja2.Environment, names: list[str], context: dict) -> str:
    return "\n\n".join(env.get_template(f"blocks/{name}.md").render(**context).strip()
                       for name in names if name != TABLES_HERE)


def slug_for(year: str, plan: PlanYear) -> str:
    """The plan PDF's name; a bilingual plan's copy in its other language ends with that
    language's key (glanmor-youth-justice-plan-2025-26-cy.pdf), from the name it has in it."""
    base = re.sub(r"[^a-z0-9]+", "-", plan.meta.service.lower()).strip("-")
    languages = plan.meta.languages
    other = f"-{i18n.key_of(plan.meta.language)}" if languages and plan.meta.language != languages[0] else ""
    return f"{base.removesuffix('-service')}-plan-{year}{other}.pdf"


def pack_slug_for(pdf_name: str) -> str:
    return pdf_name.removesuffix(".pdf") + "-appendices.pdf"


def _with_tables(env: jinja2.Environment, derived: Derived, names: list[str], context: dict, place: str,
                 kind: str) -> str:
    """issue 14: the blocks, with the local tables declared for this heading or appendix where
    the edition places them (`local_tables`), or after the last block where it has no place."""
    from .localtables import blocks as table_blocks
    tables = table_blocks(env, derived, place, kind)
    if not tables:
        return _blocks(env, names, context)
    at = names.index(TABLES_HERE) + 1 if TABLES_HERE in names else len(names)
    parts = [_blocks(env, names[:at], context) if names[:at] else "", tables,
             _blocks(env, names[at:], context) if names[at:] else ""]
    return "\n\n".join(part for part in parts if part)


def word_slug_for(project: Project, plan: PlanYear) -> str:
    """The Word plan's file name, when content/site.yml asks for one (`word: true`); else ""."""
    from .word import docx_name, wanted
    return docx_name(slug_for(plan.year, plan)) if wanted(project) else ""


def pages(env: jinja2.Environment, project: Project, plan: PlanYear, derived: Derived) -> list[Page]:
    context = {"plan": plan, "meta": plan.meta, "d": derived, "year": plan.year}
    language = plan.meta.language

    def _(message: str, **values) -> str:       # a heading or title from Python, in the plan's language
        return i18n.gettext(message, language) % values if values else i18n.gettext(message, language)
    narratives = {n.heading: n for n in plan.narratives}
    result, problems = [], []
    for heading in plan.guidance.headings:
        narrative = narratives.get(heading.id)
        try:
            text = render_narrative(narrative, derived.variables, language) if narrative else ""
        except PlanError as exc:      # go on: every file's problems are reported at once
            problems += exc.findings
            continue
        # The narrative, then a marker the narrative cannot forge, then our own tables and charts:
        # only what comes before the marker is authored, and is sanitised once it is HTML.
        body = sanitize.page_markdown(text, _with_tables(env, derived, heading.blocks, context,
                                                         heading.id, "heading"))
        title = _(sanitize.plain_title(narrative.title)) if narrative else _(heading.title)
        result.append(Page(heading.id, title, plan.guidance.label_of(heading.id), body + "\n", "chapter"))
    # Appendices: the council's own letters or numbers and titles (plan.yml, plan/outline.py), and
    # narrative where a file names the appendix (`heading: <appendix id>`), before its tables.
    for appendix in plan.guidance.appendices:
        label = plan.guidance.label_of(appendix.id)
        narrative = narratives.get(appendix.id)
        try:
            text = render_narrative(narrative, derived.variables, language) if narrative else ""
        except PlanError as exc:
            problems += exc.findings
            continue
        title = _(sanitize.plain_title(narrative.title)) if narrative else _(appendix.title)
        slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
        result.append(Page(f"appendix-{slug}-{appendix.id}", _("Appendix %(label)s: %(title)s", label=label,
                                                                title=title), label,
                           sanitize.page_markdown(text, _with_tables(env, derived, appendix.blocks, context,
                                                                     appendix.id, "appendix")) + "\n", "appendix"))
    if problems:
        raise PlanError(problems)
    from .childfriendly import child_page, pdf_name as child_pdf_name
    child = child_page(plan, derived.variables)       # the child-friendly version, if the year has one
    home = env.get_template("site/home.md").render(
        **context, pdf_name=slug_for(plan.year, plan), pack_name=pack_slug_for(slug_for(plan.year, plan)),
        word_name=word_slug_for(project, plan),
        guidance=plan.guidance, pages=result, child=child, child_pdf=child_pdf_name(slug_for(plan.year, plan)))
    home_page = Page("index", _("Youth justice plan %(year)s", year=plan.year), "", sanitize.page_markdown("", home) + "\n", "home")
    return [home_page, *([child] if child else []), *result]


def render_year(project: Project, plan: PlanYear, derived: Derived) -> RenderedYear:
    env = template_env(project.root, plan.meta.language)
    return RenderedYear(plan, derived, pages(env, project, plan, derived), slug_for(plan.year, plan))


# --- site docs ----------------------------------------------------------------------------------

def write_docs(rendered: RenderedYear, docs: Path, notice: str = "") -> list:
    """Write the year's Markdown pages into `docs`; return the MkDocs nav. `notice` (the
    preview's list of problems) goes at the top of every page."""
    docs.mkdir(parents=True, exist_ok=True)
    nav, appendices = [], []
    language = rendered.plan.meta.language
    for page in rendered.pages:
        front = "---\nhide:\n  - navigation\n---\n" if page.kind == "home" else ""
        (docs / f"{page.slug}.md").write_text(f"{front}{notice}# {page.title}\n\n{page.body}", encoding="utf-8")
        # The theme shows nav titles as HTML: escaped here (plain_title has taken out < and >).
        entry = {(i18n.gettext("Home", language) if page.kind == "home" else f"{page.label}. {html_escape(page.title, quote=False)}"
                  if page.kind == "chapter" else page.title): f"{page.slug}.md"}
        (appendices if page.kind == "appendix" else nav).append(entry)
    if appendices:
        nav.append({i18n.gettext("Appendices", language): appendices})
    return nav


# --- print document -----------------------------------------------------------------------------

def markdown_extensions(root: Path) -> tuple[list, dict]:
    """The Markdown extensions the site uses (from mkdocs.yml), so print renders the same way."""
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    names, options = [], {}
    for item in config.get("markdown_extensions", []):
        name, opts = (next(iter(item.items())) if isinstance(item, dict) else (item, {}))
        names.append(name)
        options[name] = opts or {}
    options.get("toc", {}).pop("permalink", None)   # no ¶ anchors on paper
    return names, sanitize.extension_configs(names, options)


def print_html(project: Project, rendered: RenderedYear, *, pdf_date: str, pack=None, logo: str = "") -> str:
    """One HTML document for WeasyPrint: the whole plan, or (with `pack`, the clerk's
    PackOptions) the appendix pack: every page of kind "appendix", whatever the guidance
    edition calls them, and the chapters pack.include names (packinclude.py), in the plan's order."""
    from .packinclude import chapters

    env = template_env(project.root, rendered.plan.meta.language)
    names, options = markdown_extensions(project.root)
    extra = chapters(rendered.plan.guidance, pack.include) if pack else set()
    chosen = [p for p in rendered.pages if p.kind not in ("home", "child") and
              (pack is None or p.kind == "appendix" or (p.kind == "chapter" and p.slug in extra))]
    sections = []
    converter = markdown.Markdown(extensions=names, extension_configs=options)
    year_folder = rendered.plan.folder

    def image_file(src: str) -> str | None:
        path = sanitize.narrative_image(src, year_folder)
        return path.as_uri() if path else None

    for page in chosen:
        html = sanitize.clean_page(converter.reset().convert(page.body), image_file)
        # Heading ids must be unique across the whole document: prefix them with the page.
        html = re.sub(r'id="([^"]+)"', lambda m: f'id="{page.slug}--{m.group(1)}"', html)
        html = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{page.slug}--{m.group(1)}"', html)
        sections.append({"page": page, "html": html})
    css = (project.root / "templates" / "print" / "plan.css").read_text(encoding="utf-8")
    return env.get_template("print/plan.html").render(
        plan=rendered.plan, meta=rendered.plan.meta, d=rendered.derived, sections=sections,
        css=css, pack=pack, year=rendered.plan.year, pdf_date=pdf_date, logo=logo)
