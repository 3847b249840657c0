"""What MkDocs says while `yjplan serve` rebuilds the preview.

MkDocs' own messages (a 'dirty' build, pages not in the nav, a link to a PDF not printed yet,
the build's timing, the reload server's chatter) are about how yjplan drives it, not about the
plan, so they are kept out of the author's terminal. A link written in the author's narrative
that leads nowhere is about the plan: it becomes a yjplan finding (`site.link`) naming the
narrative file and line, shown like every other finding.
"""
from __future__ import annotations

import logging
import re
import sys

from mkdocs.plugins import BasePlugin

from .problems import Finding, Severity

LINK = re.compile(r"Doc file '(?P<page>[^']+)' contains (?:an absolute link|an unrecognized relative link|"
                  r"a link to|a link) '(?P<link>[^']*)'[,.]?\s*(?P<rest>.*)", re.S)


class _PagesRead(BasePlugin):
    """Notes which pages a build read: a 'dirty' build reads only the changed ones, so only
    their links were checked again."""

    def __init__(self, log: MkDocsLog):
        super().__init__()
        self.log = log

    def on_page_markdown(self, markdown, /, *, page, config, files):
        self.log.read.add(page.file.src_uri)
        return markdown


class MkDocsLog(logging.Handler):
    """Takes every message of the `mkdocs` loggers: links from a page are kept per page (see
    `links`), errors are printed, the rest is dropped."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.read: set[str] = set()
        self._found: list[tuple[str, str, str]] = []
        self._by_page: dict[str, list[tuple[str, str]]] = {}

    def install(self) -> None:
        logger = logging.getLogger("mkdocs")
        logger.handlers = [self]
        logger.propagate = False
        logger.setLevel(logging.INFO)

    def plugin(self) -> BasePlugin:
        return _PagesRead(self)

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if found := LINK.match(message):
            self._found.append((found["page"], found["link"], found["rest"].strip()))
        elif record.levelno >= logging.ERROR:     # MkDocs could not build a page: say so
            print(f"preview: {message}", file=sys.stderr)

    def links(self) -> dict[str, list[tuple[str, str]]]:
        """After a build: every page's links that lead nowhere, as (link, MkDocs' reason); the
        pages the build did not read keep what was found when they were last read."""
        for page in self.read:
            self._by_page[page] = []
        for page, link, reason in self._found:
            self._by_page.setdefault(page, []).append((link, reason))
        self.read, self._found = set(), []
        return {page: links for page, links in self._by_page.items() if links}


def link_findings(root, plan, links: dict[str, list[tuple[str, str]]]) -> list[Finding]:
    """The links in the author's narrative that lead nowhere, as findings at the line where each
    is written. Links on yjplan's own pages (the home page's PDFs before the first print) are
    not the author's to fix and are left out."""
    narratives = {f"{n.heading}.md": n for n in plan.narratives}
    pages = sorted(narratives)
    findings = []
    for page, problems in sorted(links.items()):
        narrative = narratives.get(page)
        if narrative is None:
            continue
        lines = _lines(root / narrative.file)
        for link, reason in problems:
            line = next((number for number, text in enumerate(lines, 1)
                         if number >= narrative.body_line and link in text), narrative.body_line)
            findings.append(Finding(
                "site.link", f"the link '{link}' leads nowhere in the site: {_why(reason)}",
                fix=f"link to a chapter by its page, e.g. '{pages[0] if pages else 'governance.md'}', "
                    "or give a full https:// address", file=narrative.file, line=line,
                severity=Severity.WARNING))
    return findings


def _why(reason: str) -> str:
    """MkDocs' reason, in the author's terms (its 'documentation files' are the plan's pages)."""
    if "not found among documentation files" in reason:
        return "no page of the plan has that name"
    if "does not contain an anchor" in reason:
        return "that page has no heading with that anchor"
    return reason.rstrip(".") or "MkDocs could not follow it"


def _lines(path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
