"""Reading a built PDF back, page by page, as a reader sees it: where each line of text is, how
big it is, and whether it sits in the running header, the body or the footer.

poppler's `pdftotext -bbox-layout` gives every line with its box (in points, from the top) in a
fraction of a second; pdfplumber gives the same but is about thirty times slower on a 60-page plan.
pdftotext leaves out text beyond the page's edge, so text cut off by the page is looked for
with PDFium (pypdfium2), which sees every character wherever it was drawn.
"""
from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MM = 72 / 25.4
NS = "{http://www.w3.org/1999/xhtml}"


@dataclass
class Line:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def height(self) -> float:
        """About 1.12 times the font size in points (Liberation Sans)."""
        return self.bottom - self.top


@dataclass
class PageLayout:
    number: int                 # 1-based position in the file
    width: float
    height: float
    lines: list[Line]

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    @property
    def margins(self) -> tuple[float, float]:
        """Top and bottom page margins (plan.css): 24 and 22 mm portrait, 20 and 18 mm landscape."""
        return (20 * MM, 18 * MM) if self.landscape else (24 * MM, 22 * MM)

    @property
    def header(self) -> list[Line]:
        return [line for line in self.lines if line.bottom <= self.margins[0] + 1]

    @property
    def footer(self) -> list[Line]:
        return [line for line in self.lines if line.top >= self.height - self.margins[1] - 1]

    @property
    def body(self) -> list[Line]:
        return [line for line in self.lines if line not in self.header and line not in self.footer]

    @property
    def text(self) -> str:
        """The body's words, whitespace collapsed."""
        return " ".join(line.text for line in self.body)

    @property
    def footer_text(self) -> str:
        return " ".join(line.text for line in self.footer)

    @property
    def header_text(self) -> str:
        return " ".join(line.text for line in self.header)


@lru_cache(maxsize=32)
def layout(pdf: Path) -> list[PageLayout]:
    """Every page of `pdf` (read once per test session: the PDFs do not change)."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=True).stdout
    root = ET.fromstring(xml)
    pages = []
    for number, page in enumerate(root.iter(f"{NS}page"), 1):
        lines = []
        for line in page.iter(f"{NS}line"):
            words = [w.text or "" for w in line.iter(f"{NS}word")]
            lines.append(Line(re.sub(r"\s+", " ", " ".join(words)).strip(), float(line.get("xMin")),
                              float(line.get("yMin")), float(line.get("xMax")), float(line.get("yMax"))))
        pages.append(PageLayout(number, float(page.get("width")), float(page.get("height")), rows(lines)))
    return pages


def rows(lines: list[Line]) -> list[Line]:
    """Pieces of text on one baseline, left to right, as one line: a contents entry and its
    page number, or the cells of a table row."""
    merged: list[Line] = []
    for line in sorted(lines, key=lambda l: (l.bottom, l.x0)):
        last = merged[-1] if merged else None
        if last and abs(last.bottom - line.bottom) < 1.5:
            merged[-1] = Line(f"{last.text} {line.text}", min(last.x0, line.x0), min(last.top, line.top),
                              max(last.x1, line.x1), max(last.bottom, line.bottom))
        else:
            merged.append(line)
    return merged


def text_outside(pdf: Path, side_margin: float) -> list[tuple[int, str]]:
    """(page number, text) of every run of characters drawn outside the page's side margins or
    off the page: text cut off, or a table wider than the page."""
    import pypdfium2

    found = []
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        for number, page in enumerate(document, 1):
            width, height = page.get_size()
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            outside = ""
            for index in range(textpage.count_chars()):
                left, bottom, right, top = textpage.get_charbox(index)
                char = text[index] if index < len(text) else ""
                if char.strip() and (left < side_margin - 1 or right > width - side_margin + 1
                                     or bottom < 0 or top > height):
                    outside += char
                elif outside:
                    found.append((number, outside))
                    outside = ""
            if outside:
                found.append((number, outside))
    finally:
        document.close()
    return found
