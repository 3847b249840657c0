"""Content security: what the narrative a Head of Service writes may put on the site and in the PDF.

Narrative Markdown may contain only what a plan needs: text, headings, lists, tables, links to
web pages, e-mail and phone numbers, admonitions, footnotes, and images kept in the plan year's
own folder. Anything else (scripts, event handlers, styles, frames, forms, remote images,
file: links) is removed from the HTML with nh3, an allow-list HTML sanitiser, and reported by
`yjplan check` as a `security.*` error (see `narrative_security` below).

Each page's Markdown is the narrative, then the tables and charts of our own templates
(trusted: they may carry SVG and the chart script). A marker that holds a random number made for
this run (the narrative cannot know it, so cannot forge it) separates the two. After Markdown
has become HTML, everything before the marker is sanitised and the marker removed. Footnotes,
which Markdown would put at the end of the page, are placed before the marker (the footnotes
extension's PLACE_MARKER), so they are sanitised too.

The site also sends a Content-Security-Policy (`content_security_policy`), and the PDF engine
reads only the project's own files (`pdf_url_fetcher`).
"""
from __future__ import annotations

import base64
import hashlib
import logging
import posixpath
import re
import secrets
from collections.abc import Callable, Iterator
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nh3

from . import interrupt
from .load import IMAGE_TYPES   # one list: the pictures a year folder may hold
from .problems import Finding

NONCE = secrets.token_hex(16)
MARKER = f"<!-- yjplan-trusted-{NONCE} -->"          # narrative before it, our own templates after
FOOTNOTES = f"yjplan-footnotes-{NONCE}"              # where the footnotes extension puts footnotes

LINK_SCHEMES = {"https", "http", "mailto", "tel"}

# What Markdown and the extensions in mkdocs.yml make (tables, attr_list, md_in_html,
# admonition, def_list, footnotes, sane_lists, toc), and the few HTML tags a plan might write.
TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "a", "em", "strong", "b", "i", "u", "s", "del", "ins",
    "mark", "small", "sub", "sup", "code", "pre", "kbd", "samp", "var", "q", "cite", "abbr", "dfn", "time",
    "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "table", "caption", "colgroup", "col", "thead", "tbody",
    "tfoot", "tr", "th", "td", "img", "div", "span", "figure", "figcaption", "details", "summary",
}
GENERIC_ATTRIBUTES = {"id", "class", "title", "lang", "dir"}
ATTRIBUTES = {
    "*": GENERIC_ATTRIBUTES,
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "th": {"style", "colspan", "rowspan", "scope", "abbr"},     # style: only text-align (table columns)
    "td": {"style", "colspan", "rowspan"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "time": {"datetime"},
    "col": {"span"},
    "colgroup": {"span"},
    "details": {"open"},
}
STYLE_PROPERTIES = {"text-align"}
DROPPED_WITH_CONTENT = {"script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "math",
                        "title", "textarea", "select"}


# --- URLs ---------------------------------------------------------------------------------------

def _scheme(url: str) -> str:
    """The scheme of a URL as a browser reads it (tabs and newlines ignored), '' for a relative one."""
    text = "".join(c for c in url if c not in "\t\n\r").strip("".join(map(chr, range(33))))
    split = text.split(":", 1)
    if len(split) == 2 and not any(c in split[0] for c in "/?#"):
        return split[0].lower()
    return ""


def link_allowed(href: str) -> bool:
    """https/http/mailto/tel, or a link inside the site (relative path or #fragment)."""
    scheme = _scheme(href)
    return scheme in LINK_SCHEMES if scheme else True


def narrative_image(src: str, year_folder: Path) -> Path | None:
    """The file an image in a narrative shows, if it is an image file inside the plan year's
    folder (after following symlinks); None otherwise. Paths are relative to the narrative file,
    as in any Markdown editor's preview."""
    split = urlsplit(src.strip())
    if split.scheme or split.netloc or not split.path or split.path.startswith(("/", "\\")):
        return None
    base = (year_folder / "narrative").resolve()
    try:
        path = (base / unquote(split.path)).resolve()
        inside = path.is_relative_to(year_folder.resolve())
        return path if inside and path.is_file() and path.suffix.lower() in IMAGE_TYPES else None
    except (OSError, ValueError):
        return None


# --- the page Markdown and its HTML ---------------------------------------------------------------

def page_markdown(narrative: str, trusted: str) -> str:
    """A page's Markdown: the narrative, its footnotes' place, the marker, then our own templates."""
    return "\n\n".join(part for part in (narrative.strip(), FOOTNOTES if narrative.strip() else "", MARKER,
                                         trusted.strip()) if part)


def extension_configs(names: list, options: dict) -> dict:
    """The Markdown extensions' settings with the footnotes put before the marker."""
    if "footnotes" in names:
        options = dict(options, footnotes=dict(options.get("footnotes") or {}, PLACE_MARKER=FOOTNOTES))
    return options


def clean(html: str, image_src: Callable[[str], str | None] = lambda src: None) -> str:
    """Authored HTML through the allow-list. `image_src` maps an image's src to the address the
    output uses (None removes it)."""
    raised: list[BaseException] = []

    def attribute(element: str, name: str, value: str) -> str | None:
        try:
            if element == "img" and name == "src":
                return image_src(value)
            if element == "a" and name == "href" and not link_allowed(value):
                return None
            return value
        except BaseException as error:     # nh3 prints and ignores what its callback raises:
            raised.append(error)           # keep it (Ctrl-C above all), raise it below
            return None

    cleaned = nh3.clean(html, tags=TAGS, clean_content_tags=DROPPED_WITH_CONTENT, attributes=ATTRIBUTES,
                        attribute_filter=attribute, link_rel=None, url_schemes=LINK_SCHEMES,
                        filter_style_properties=STYLE_PROPERTIES, strip_comments=True)
    if raised:
        raise raised[0]
    interrupt.raise_if_stopped()       # a Ctrl-C that landed in the callback before its first line
    return cleaned


def clean_page(html: str, image_src: Callable[[str], str | None] = lambda src: None) -> str:
    """A converted page: everything before the marker sanitised, our own part kept as it is.
    If the narrative's Markdown swallowed the footnotes' place (an unclosed HTML block), the
    footnotes may have gone after the marker, so the whole page is sanitised."""
    before, found, after = html.partition(MARKER)
    placed = f"<p>{FOOTNOTES}</p>"
    if not found or after.count(MARKER) or FOOTNOTES in before.replace(placed, "") or FOOTNOTES in after:
        return clean(html, image_src)
    return clean(before.replace(placed, ""), image_src) + after


# --- the site's Content-Security-Policy -----------------------------------------------------------

CSP_PLACEHOLDER = "yjplan-content-security-policy"    # in templates/site/overrides/base.html


class _InlineCode(HTMLParser):
    """The text of every inline <script> (that runs) and <style> element of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._current: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        runs = tag == "script" and "src" not in attrs and attrs.get("type", "text/javascript") in (
            "text/javascript", "module", "")
        self._current = self.scripts if runs else self.styles if tag == "style" else None
        if self._current is not None:
            self._current.append("")

    def handle_data(self, data):
        if self._current is not None:
            self._current[-1] += data

    def handle_endtag(self, tag):
        self._current = None


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def content_security_policy(html: str) -> str:
    """The policy of one page: only this site's own files, and the page's own inline scripts
    and styles by their hashes. Inline style attributes (Markdown's table column alignment,
    charts drawn in the browser) are allowed; scripts are not."""
    found = _InlineCode()
    found.feed(html)
    scripts = " ".join(sorted({_hash(s) for s in found.scripts}))
    return "; ".join([
        "default-src 'self'", f"script-src 'self' {scripts}".strip(), "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:", "font-src 'self'", "connect-src 'self'", "object-src 'none'",
        "frame-src 'none'", "base-uri 'self'", "form-action 'self'"])


CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{CSP_PLACEHOLDER}">'


def with_csp(html: str, enabled: bool = True) -> str:
    """A page with its policy in the <meta http-equiv> that base.html leaves for it. The live
    preview (`enabled` False) has none: its reload script is put into each page as it is served."""
    if CSP_PLACEHOLDER not in html:
        return html
    if not enabled:
        return html.replace(CSP_META, "", 1)
    return html.replace(CSP_PLACEHOLDER, content_security_policy(html), 1)


# --- the PDF engine reads only the project's own files --------------------------------------------

log = logging.getLogger("yjplan.pdf")


def _url_fetcher_class():
    from weasyprint.urls import URLFetcher
    return URLFetcher


class PdfFetcher:
    """Makes WeasyPrint's URL fetcher that serves files inside the `allowed` folders (after
    following symlinks) and data: URLs, and refuses everything else: other files, and every
    network address. A refusal is logged and the resource left out; the PDF is still printed."""

    def __new__(cls, allowed: list[Path]):
        roots = [Path(folder).resolve() for folder in allowed]

        class Fetcher(_url_fetcher_class()):
            def fetch(self, url, headers=None):
                if _readable(url, roots):
                    return super().fetch(url, headers)
                log.warning("not read for the PDF (outside the project, or on the network): %s", url)
                raise ValueError(f"yjplan does not let the PDF read {url}")

        return Fetcher(allowed_protocols={"file", "data"}, allow_redirects=False)


def _readable(url: str, roots: list[Path]) -> bool:
    scheme = _scheme(url)
    if scheme == "data":
        return True
    if scheme != "file":
        return False
    from urllib.request import url2pathname
    split = urlsplit(url)
    if split.netloc not in ("", "localhost"):
        return False
    try:
        path = Path(url2pathname(split.path)).resolve()
    except (OSError, ValueError):
        return False
    return any(path.is_relative_to(root) for root in roots)


# --- the check: what the sanitiser would remove, with file and line -------------------------------

class _Tags(HTMLParser):
    """The start tags and attributes in a piece of raw HTML (html.parser, not patterns)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[int, str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((self.getpos()[0], tag, attrs))

    handle_startendtag = handle_starttag


def _html_problems(html: str, year_folder: Path) -> Iterator[tuple[int, str, str, str]]:
    """(line in `html`, rule, message, fix) for each thing in raw HTML the sanitiser removes."""
    parser = _Tags()
    parser.feed(html)
    parser.close()
    for line, tag, attrs in parser.tags:
        if tag not in TAGS:
            yield (line, "security.html", f"the HTML tag <{tag}> is not allowed in a plan's narrative",
                   "remove it: write the text in Markdown (yjplan makes the tables and charts)")
            continue
        for name, value in attrs:
            value = value or ""
            allowed = name in GENERIC_ATTRIBUTES or name in ATTRIBUTES.get(tag, set())
            if name.startswith("on") or (name == "style" and not _alignment_only(value)) or not allowed:
                yield (line, "security.html", f"the attribute '{name}' on <{tag}> is not allowed in a plan's narrative",
                       "remove the attribute: narrative cannot run scripts, set styles or change links' behaviour")
            elif tag == "a" and name == "href" and not link_allowed(value):
                yield (line, *_link_problem(value))
            elif tag == "img" and name == "src" and narrative_image(value, year_folder) is None:
                yield (line, *_image_problem(value))


def _alignment_only(style: str) -> bool:
    declarations = [d.split(":", 1)[0].strip().lower() for d in style.split(";") if d.strip()]
    return all(d in STYLE_PROPERTIES for d in declarations)


def _link_problem(href: str) -> tuple[str, str, str]:
    return ("security.link", f"the link '{href}' is not a web page, e-mail address or phone number",
            "link only to https:// or http:// pages, mailto: or tel: addresses, or pages of this plan")


def _image_problem(src: str) -> tuple[str, str, str]:
    return ("security.image", f"the image '{src}' is not a PNG, JPEG, GIF, WebP or SVG file in this plan year's folder",
            "put the image in the plan year's folder (e.g. content/<year>/images/) and give its path from the "
            "narrative file, e.g. ../images/chart.png; images from other websites are not shown")


@cache
def _attr_list_pattern():
    from markdown.extensions.attr_list import AttrListTreeprocessor
    return re.compile(AttrListTreeprocessor.BASE_RE)


def _attr_list_problems(text: str, at_end: bool, after_element: bool) -> Iterator[tuple[str, str, str]]:
    """attr_list's `{: name=value }` may give only ids, classes and titles. Python-Markdown reads
    one at the end of a block (`at_end`) or right after an inline element (`after_element`)."""
    from markdown.extensions.attr_list import get_attrs_and_remainder
    for match in _attr_list_pattern().finditer(text):
        applies = (at_end and not text[match.end():].strip()) or (after_element and match.start() == 0)
        if not applies:
            continue
        attrs, _ = get_attrs_and_remainder(match.group(1))
        for name, value in attrs:
            if name in (":", ".") or name in GENERIC_ATTRIBUTES:
                continue
            yield ("security.attr", f"'{{: {name}=... }}' sets an attribute narrative may not set",
                   "remove it: attribute lists may give only an id, a class or a title "
                   "(no event handlers such as onclick, no style)")


INLINE_ELEMENTS = {"image", "link_close", "em_close", "strong_close", "code_inline", "html_inline"}


def _without_jinja(body: str) -> str:
    """The narrative with its {{ figures }} and {% tags %} blanked out (lines kept): they are
    not Markdown, and their braces are not attribute lists."""
    return re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", lambda m: re.sub(r"[^\n]", "x", m.group(0)), body,
                  flags=re.S)


@cache
def _markdown():
    from markdown_it import MarkdownIt
    md = MarkdownIt("commonmark").enable("table")
    md.validateLink = lambda url: True      # see every link, even those markdown-it would drop
    return md


def narrative_problems(body: str, year_folder: Path) -> Iterator[tuple[int, str, str, str]]:
    """(line in body, rule, message, fix) for everything in a narrative the sanitiser removes."""
    for block in _markdown().parse(_without_jinja(body)):
        first = block.map[0] + 1 if block.map else 1
        if block.type == "html_block":
            for offset, *problem in _html_problems(block.content, year_folder):
                yield (first + offset - 1, *problem)
        if block.type != "inline":
            continue
        line, children = first, block.children or []
        for index, token in enumerate(children):
            if token.type in ("softbreak", "hardbreak"):
                line += 1
            elif token.type == "html_inline":
                for offset, *problem in _html_problems(token.content, year_folder):
                    yield (line + offset - 1, *problem)
                line += token.content.count("\n")
            elif token.type == "link_open" and not link_allowed(token.attrGet("href") or ""):
                yield (line, *_link_problem(token.attrGet("href") or ""))
            elif token.type == "image" and narrative_image(token.attrGet("src") or "", year_folder) is None:
                yield (line, *_image_problem(token.attrGet("src") or ""))
            elif token.type == "text":
                after = index > 0 and children[index - 1].type in INLINE_ELEMENTS
                for problem in _attr_list_problems(token.content, index == len(children) - 1, after):
                    yield (line, *problem)


def narrative_security(plan) -> Iterator[Finding]:
    """Check: the narrative holds nothing the sanitiser would remove (security.html,
    security.link, security.image, security.attr)."""
    for narrative in plan.narratives:
        for line, rule, message, fix in narrative_problems(narrative.body, plan.folder):
            yield Finding(rule, message, fix=fix, file=narrative.file, line=narrative.body_line + line - 1)
        if any(c in narrative.title for c in "<>"):
            yield Finding("security.html", "the title has '<' or '>', which the site would read as HTML",
                          fix="write the title as plain words", file=narrative.file,
                          line=_front_matter_line(plan.folder.parent.parent / narrative.file, "title"), field="title")


def _front_matter_line(path: Path, key: str) -> int | None:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    return next((number for number, line in enumerate(lines, 1) if line.startswith(f"{key}:")), None)


def plain_title(title: str) -> str:
    """A page title with no character that could make HTML (the site's navigation shows titles
    as they are)."""
    return title.replace("<", "").replace(">", "")


def site_image_url(page_url: str, relative: str) -> str:
    """The address of a narrative image copied to assets/narrative/, from a page's own URL."""
    return posixpath.relpath(f"assets/narrative/{relative}", page_url.rstrip("/") or ".")


def paths_inside_project(plan) -> Iterator[Finding]:
    """Check: plan.yml's logo is a file in the plan year's folder (symbolic links followed)."""
    from .load import inside
    logo = plan.meta.logo
    if not logo:
        return
    lines = plan.lines.get("plan.yml")
    line = lines.line_of(("logo",)) if lines else None
    path = plan.folder / logo
    if not inside(path, plan.folder):
        yield Finding("security.path", f"the logo '{logo}' is outside this plan year's folder (symbolic links followed)",
                      fix=f"copy the logo into content/{plan.year}/ and write its file name here, e.g. logo: logo.svg",
                      file=plan.shown("plan.yml"), line=line, field="logo")
    elif path.suffix.lower() not in {".svg", ".png"} or not path.is_file():
        yield Finding("plan.logo", f"the logo '{logo}' is not an SVG or PNG file in content/{plan.year}/",
                      fix="write the file name of an SVG or PNG file in this folder, or remove 'logo:'",
                      file=plan.shown("plan.yml"), line=line, field="logo")
