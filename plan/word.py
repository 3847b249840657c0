"""The plan as a Word document, for committee systems that run on Word.

Made from the same print document WeasyPrint prints (pdf.print_document), so the PDF and the
.docx cannot disagree: pandoc (the pypandoc-binary wheel) converts that HTML into real Word
paragraphs, headings and tables, styled by a reference document. Nothing is pasted in as HTML
(no altChunk). python-docx then does what pandoc leaves out: header rows that repeat on every
page, the contents field, the language, fixed dates, and the same bytes on every build.

The reference document is made at run time from pandoc's own default, with the authority's
colours from content/site.yml (reference_docx), so there is no binary file in templates/ to
keep in step with site.yml.
"""
from __future__ import annotations

import base64
import datetime as dt
import io
import subprocess
import tempfile
import urllib.parse
import urllib.request
import zipfile
from functools import cache
from pathlib import Path

from . import i18n

CONTENTS_MARK = "YJPLAN-CONTENTS-FIELD"
LANGUAGE = "en-GB"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


CONTENTS_PLACEHOLDER = "The contents list appears here when Word updates the field (right-click, Update Field)."


def docx_name(pdf_name: str) -> str:
    """The Word plan's file name, beside the PDF: castlebridge-youth-justice-plan-2025-26.docx."""
    return pdf_name.removesuffix(".pdf") + ".docx"


def wanted(project) -> bool:
    """Does content/site.yml ask for the Word plan (`word: true`)?"""
    return bool(project.site and getattr(project.site, "word", False))


# --- the reference document: pandoc's default styles in the authority's colours -----------------

@cache
def _pandoc_default_reference() -> bytes:
    import pypandoc
    return subprocess.run([pypandoc.get_pandoc_path(), "--print-default-data-file", "reference.docx"],
                          capture_output=True, check=True).stdout


@cache
def reference_docx(primary: str = "#005a70", language: str = LANGUAGE) -> bytes:
    """pandoc's reference.docx with headings and the title in `primary` and the document
    language `language`: the styles the Word plan and the cover report use."""
    import docx
    from docx.shared import RGBColor

    document = docx.Document(io.BytesIO(_pandoc_default_reference()))
    colour = RGBColor.from_string(primary.lstrip("#").upper())
    for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "TOC Heading"):
        try:
            style = document.styles[name]
        except KeyError:
            continue
        style.font.color.rgb = colour
    _set_language(document, language)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _set_language(document, language: str) -> None:
    """The document's language: in the default run properties (styles.xml) and the theme
    font language (settings.xml), which is where Word reads it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attribute), language)
    settings = document.settings.element
    theme = settings.find(qn("w:themeFontLang"))
    if theme is None:
        theme = OxmlElement("w:themeFontLang")
        settings.append(theme)
    theme.set(qn("w:val"), language)


# --- the print HTML, made fit for pandoc ---------------------------------------------------------

def _png_of_svg(svg: bytes) -> bytes:
    import vl_convert as vlc
    return vlc.svg_to_png(svg.decode("utf-8"), scale=2)


WORD_IMAGES = ("image/png", "image/jpeg")   # what every Word shows; WebP and GIF are not (older Word: no WebP)


def _png_of(raw: bytes) -> bytes:
    """A WebP, GIF (its first frame) or other picture as PNG, through Pillow (WeasyPrint's own
    dependency); transparency is kept."""
    from PIL import Image

    with Image.open(io.BytesIO(raw)) as image:
        image.seek(0)
        converted = image.convert("RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB")
        out = io.BytesIO()
        converted.save(out, format="PNG", optimize=False)
        return out.getvalue()


def _image_bytes(src: str) -> tuple[bytes, str] | None:
    """The bytes of an image the print document shows (a data: URI or a file: URI the print
    fetcher would read), and its kind; None if it is neither."""
    if src.startswith("data:"):
        head, _, data = src.partition(",")
        raw = base64.b64decode(data) if head.endswith(";base64") else urllib.parse.unquote_to_bytes(data)
        kind = head[5:].split(";")[0]
        return raw, kind
    if src.startswith("file:"):
        path = Path(urllib.request.url2pathname(urllib.parse.urlparse(src).path))
        suffix = path.suffix.lower().lstrip(".")
        kind = {"svg": "image/svg+xml", "jpg": "image/jpeg"}.get(suffix, f"image/{suffix}")
        return path.read_bytes(), kind
    return None


def pandoc_html(html: str, images: Path) -> str:
    """The print document as pandoc should read it: no styles, scripts or metadata (pandoc would print the author as a paragraph; python-docx sets the core properties), no hidden chart
    containers, no running header; charts, SVG logos and images as PNG or JPEG files in
    `images` (Word cannot be relied on to show SVG), each keeping its alt text; the cover title
    in Word's Title style; the printed contents list replaced by a mark where the contents
    field goes (word_postprocess)."""
    import lxml.html

    tree = lxml.html.document_fromstring(html)
    # A draft says DRAFT once, at the top, in Word (the PDF prints it in every page's margin).
    for mark in tree.xpath("//p[contains(@class, 'draft-mark')]")[:1]:
        mark.attrib.pop("aria-hidden", None)
        (tree.body if tree.find("body") is not None else tree).insert(0, mark)
    for element in tree.xpath("//style | //script | //*[@hidden] | //*[@aria-hidden='true'] | //head/title | //head/meta[@name]"):
        element.drop_tree()
    for nav in tree.xpath("//nav[contains(@class, 'contents')]"):
        mark = lxml.html.Element("p")
        mark.text = CONTENTS_MARK
        nav.addprevious(mark)
        nav.drop_tree()
    for cls, style in (("cover-title", "Title"), ("cover-subtitle", "Subtitle"), ("pack-heading", "Title")):
        for p in tree.xpath(f"//p[contains(concat(' ', @class, ' '), ' {cls} ')]"):
            box = lxml.html.Element("div")      # pandoc gives a paragraph style to a div only
            box.set("data-custom-style", style)
            p.addprevious(box)
            box.append(p)
    for number, img in enumerate(tree.xpath("//img")):
        found = _image_bytes(img.get("src", ""))
        if found is None:
            img.drop_tree()
            continue
        raw, kind = found
        if kind == "image/svg+xml":
            raw, kind = _png_of_svg(raw), "image/png"
        elif kind not in WORD_IMAGES:
            raw, kind = _png_of(raw), "image/png"
        name = f"image-{number:03d}.{'jpg' if kind == 'image/jpeg' else kind.split('/')[-1]}"
        (images / name).write_bytes(raw)
        img.set("src", name)
        width = "16cm" if "chart-static" in img.get("class", "") else ("5cm" if "cover-logo" in img.get("class", "") else "")
        for attribute in ("class", "width", "height", "style"):
            img.attrib.pop(attribute, None)
        if width:
            img.set("width", width)
    return lxml.html.tostring(tree, encoding="unicode", doctype="<!DOCTYPE html>")


# --- pandoc, then python-docx -------------------------------------------------------------------

def html_to_docx(html: str, target: Path, *, title: str, author: str, date: dt.datetime,
                 primary: str, language: str = LANGUAGE, subject: str = "", keywords: str = "") -> None:
    """Convert one print document to a Word file at `target`, whole or not at all: pandoc with
    the reference document, then word_postprocess, then the same bytes on every build."""
    import pypandoc

    with tempfile.TemporaryDirectory(prefix="yjplan-word-") as work:
        folder = Path(work)
        (folder / "reference.docx").write_bytes(reference_docx(primary, language))
        (folder / "document.html").write_text(pandoc_html(html, folder), encoding="utf-8")
        try:
            pypandoc.convert_file(
                str(folder / "document.html"), "docx", format="html", outputfile=str(folder / "pandoc.docx"),
                extra_args=["--reference-doc", str(folder / "reference.docx"), "--resource-path", str(folder),
                            "-M", f"lang={language}"],
                cworkdir=str(folder))
        except (RuntimeError, OSError) as error:      # pandoc missing or failing: a message, not a traceback
            from .problems import Finding, PlanError
            raise PlanError([Finding("word.convert", f"pandoc could not write {target.name}: "
                                     f"{str(error).strip()[:300]}", fix="check that the pypandoc-binary package "
                                     "is installed (requirements.lock), then run the command again")]) from None
        data = word_postprocess((folder / "pandoc.docx").read_bytes(), title=title, author=author, date=date,
                                language=language, subject=subject, keywords=keywords)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    try:
        partial.write_bytes(data)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


def word_postprocess(data: bytes, *, title: str, author: str, date: dt.datetime, language: str = LANGUAGE,
                     subject: str = "", keywords: str = "") -> bytes:
    """What pandoc leaves out: every table's first row a header row that repeats on each page,
    every picture's text alternative in `descr`, the contents field where the print document
    had its contents list, the language, and core properties dated from the plan."""
    import docx

    document = docx.Document(io.BytesIO(data))
    for table in document.tables:
        _repeat_header(table)
    _alt_text(document)
    _contents_field(document, language)
    _set_language(document, language)
    _update_fields_on_open(document)
    core = document.core_properties
    naive = date.astimezone(dt.timezone.utc).replace(tzinfo=None)
    core.title, core.author, core.last_modified_by = title, author, author
    core.subject, core.keywords, core.language = subject, keywords, language
    core.created = core.modified = naive
    core.last_printed = naive
    core.revision = 1
    out = io.BytesIO()
    document.save(out)
    return same_bytes(out.getvalue(), date)


def _repeat_header(table) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    if not table.rows:
        return
    tr = table.rows[0]._tr
    properties = tr.get_or_add_trPr()
    if properties.find(qn("w:tblHeader")) is None:
        properties.append(OxmlElement("w:tblHeader"))


def _alt_text(document) -> None:
    """pandoc puts an image's alt text in docPr's descr; where it has not (an image without
    one), the picture's name stands in, so no picture is without a text alternative."""
    for doc_pr in document.element.body.iter(f"{{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}}docPr"):
        if not (doc_pr.get("descr") or "").strip():
            doc_pr.set("descr", doc_pr.get("title") or doc_pr.get("name") or "Picture")


def _contents_field(document, language: str = LANGUAGE) -> None:
    """A Word contents field (TOC, headings 1 and 2, linked) under a "Contents" heading, where
    the print document had its contents list. Word fills it in when the document is opened
    (settings: update fields) or on "Update field"."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for paragraph in document.paragraphs:
        if paragraph.text.strip() != CONTENTS_MARK:
            continue
        for run in list(paragraph.runs):
            run._r.getparent().remove(run._r)
        heading = paragraph.insert_paragraph_before(i18n.gettext("Contents", language))
        heading.style = document.styles["TOC Heading"] if "TOC Heading" in [s.name for s in document.styles] \
            else document.styles["Heading 1"]

        def run_with(child):
            run = OxmlElement("w:r")
            run.append(child)
            paragraph._p.append(run)

        begin = OxmlElement("w:fldChar")
        begin.set(qn("w:fldCharType"), "begin")
        begin.set(qn("w:dirty"), "true")
        run_with(begin)
        instruction = OxmlElement("w:instrText")
        instruction.set(qn("xml:space"), "preserve")
        instruction.text = ' TOC \\o "1-2" \\h \\z \\u '
        run_with(instruction)
        separate = OxmlElement("w:fldChar")
        separate.set(qn("w:fldCharType"), "separate")
        run_with(separate)
        placeholder = OxmlElement("w:t")
        placeholder.text = i18n.gettext(CONTENTS_PLACEHOLDER, language)
        run_with(placeholder)
        end = OxmlElement("w:fldChar")
        end.set(qn("w:fldCharType"), "end")
        run_with(end)
        return


def _update_fields_on_open(document) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is None:
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)


def same_bytes(data: bytes, date: dt.datetime) -> bytes:
    """The .docx zip again with every entry dated `date`, in the same order and compression:
    python-docx stamps entries with the clock, which would change the bytes on every build."""
    stamp = date.astimezone(dt.timezone.utc).timetuple()[:6]
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=max(stamp, (1980, 1, 1, 0, 0, 0)))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(entry.filename))
    return out.getvalue()


# --- the plan ----------------------------------------------------------------------------------

def plan_docx(project, rendered, target: Path) -> None:
    """The whole plan of one year as a Word document, from the print document the PDF is
    printed from."""
    html, settings = plan_docx_args(project, rendered)
    html_to_docx(html, target, **settings)


def plan_docx_args(project, rendered) -> tuple[str, dict]:
    """The print document and the settings html_to_docx writes the Word plan with: plain data,
    so the preview (serveprint.py) can hand them to its print worker."""
    from .pdf import pdf_date, print_document

    meta = rendered.plan.meta
    primary = project.site.colours.primary if project.site else "#005a70"
    said = lambda message, **values: i18n.gettext(message, meta.language) % values   # noqa: E731
    draft = f" ({said('DRAFT')})" if meta.is_draft else ""
    return print_document(project, rendered, None), dict(
        title=said("%(service)s: youth justice plan %(year)s", service=meta.service, year=rendered.plan.year) + draft,
        author=meta.authority_name, date=pdf_date(rendered), primary=primary, language=_word_language(meta.language),
        subject=said("The statutory youth justice plan of %(authority)s for %(year)s", authority=meta.authority_name,
                     year=rendered.plan.year),
        keywords=f"{said('youth justice plan')}, {meta.service}, {rendered.plan.year}")


def _word_language(language: str) -> str:
    """The plan's language as Word writes it: en-GB, cy-GB."""
    parts = (language or LANGUAGE).split("-")
    return "-".join([parts[0].lower(), *(p.upper() for p in parts[1:])]) if len(parts) > 1 else \
        {"en": "en-GB", "cy": "cy-GB"}.get(parts[0].lower(), parts[0])
