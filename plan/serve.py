"""`yjplan serve`: a live preview of one plan year.

On every save the year is read, checked and rendered again, only the pages whose Markdown
changed are rewritten, and MkDocs rebuilds just those (a "dirty" build) before the browser
reloads. A mistake in the content does not stop the server: the problems are shown at the top
of every page and in the terminal until they are fixed. After each save the year's PDFs are
printed in the background (serveprint.py), so the home page's download links give the printed
layout; MkDocs' own messages stay out of the terminal, except links in the narrative that lead
nowhere, which become findings (servelog.py).
"""
from __future__ import annotations

import datetime as dt
import logging
import shutil
import sys
import tempfile
from pathlib import Path

from .check import check_plan, compliance
from .cliaid import check_port, explain_port
from .derive import derive
from .load import load_project, load_year, read_narrative
from .problems import PlanError, errors_in
from .site import site_config, write_pages
from .render import render_year, template_env
from .servelog import MkDocsLog, link_findings
from .readability import page_readings
from .serveprint import BackgroundPrint

log = logging.getLogger("yjplan.serve")


def _snapshot(folders: list[Path]) -> dict[Path, float]:
    return {p: p.stat().st_mtime for folder in folders if folder.exists() for p in folder.rglob("*") if p.is_file()}


class Preview:
    """Keeps the loaded project between saves and re-reads only what changed."""

    def __init__(self, root: Path, year: str, docs: Path, printer: BackgroundPrint | None = None,
                 language: str | None = None):
        self.root, self.year, self.docs = root, year, docs
        self.language = language      # a bilingual plan previewed in another of its languages (None: the primary)
        self.printer = printer        # prints the PDFs of each save that renders
        self.checked: list = []       # the check's errors, shown until fixed
        self.links: list = []         # links in the narrative that lead nowhere (MkDocs found them)
        self.project = None
        self.seen: dict[Path, float] = {}
        self.nav: list = []
        self.problems: list = []
        self.reading: list = []       # each page's reading level (readability.page_readings)
        self.derived = None
        self.rendered = None
        self.theme_changed = False

    def _changed(self) -> set[Path]:
        now = _snapshot([self.root / "content" / self.year, self.root / "data", self.root / "templates"])
        changed = {p for p in now.keys() | self.seen.keys() if now.get(p) != self.seen.get(p)}
        self.seen = now
        return changed

    def _load(self, changed: set[Path]) -> bool:
        """Re-read what changed. Returns True when only narrative text changed, so the figures
        derived last time still hold."""
        year_folder = self.root / "content" / self.year
        narrative = year_folder / "narrative"
        if self.project is not None and changed and self.language is None and all(
                p.parent == narrative and p.suffix == ".md" and p.exists() for p in changed):
            plan = self.project.years[0]
            for path in changed:
                fresh, findings = read_narrative(path, plan.shown(f"narrative/{path.name}"), plan.guidance)
                if fresh is None:
                    raise PlanError(findings)
                plan.narratives = sorted([n for n in plan.narratives if n.file != fresh.file] + [fresh],
                                         key=lambda n: n.file)
            return True
        if self.project is None or any(not p.is_relative_to(year_folder) for p in changed
                                       if not p.is_relative_to(self.root / "templates")):
            self.project = load_project(self.root, [self.year], language=self.language)
        elif changed:
            plan, findings = load_year(self.root, self.year, language=self.language)
            if plan is None:
                raise PlanError(findings)
            plan.site = self.project.site      # its e-mail domain allow-list, for the checks
            self.project.years = [plan]
        return False

    def refresh(self) -> None:
        """Bring the docs folder up to date with the content. Never raises for content errors."""
        changed = self._changed()
        # A theme edit changes every page without changing their Markdown: MkDocs must rebuild all.
        self.theme_changed = any(p.is_relative_to(self.root / "templates" / "site") for p in changed)
        if not changed and self.project is not None:
            # Nothing saved (a print finished): only the home page's print status may be new.
            if not self.problems:
                self.nav = self._write(self.rendered, self.checked + self.links)
            return
        saved = dt.datetime.now()
        try:
            text_only = self._load(changed) and self.derived is not None
            plan = self.project.years[0]
            problems = errors_in(check_plan(plan))
            reading = page_readings(plan)       # information for the notice, not problems
            if text_only:
                self.derived.checklist = compliance(plan)   # the only figures that read the text
            else:
                self.derived = derive(self.project, plan)
            rendered = render_year(self.project, plan, self.derived)
        except PlanError as exc:
            self.problems = exc.findings
            self._show_problems(exc.findings)
            return
        if problems:
            self._print(problems)
        self.problems, self.checked, self.rendered, self.reading = [], problems, rendered, reading
        if self.printer is not None:
            self.printer.submit(self.project, rendered, saved)
        self.nav = self._write(rendered, problems + self.links)

    def found_links(self, links: dict) -> bool:
        """After a build: MkDocs' findings about the narrative's links. Returns True when they
        changed, and the pages (which show them) were written again."""
        if self.problems or self.rendered is None:
            return False
        found = link_findings(self.root, self.project.years[0], links)
        if found == self.links:
            return False
        self.links = found
        if found:
            self._print(self.checked + found)
        self.nav = self._write(self.rendered, self.checked + found)
        return True

    def _write(self, rendered, problems) -> list:
        """Write the pages into a scratch folder, then copy over only those that differ."""
        with tempfile.TemporaryDirectory() as scratch:
            nav = write_pages(self.root, rendered, Path(scratch), settings=self.project.site,
                              env=self.env(), problems=problems, reading=self.reading)
            self._print_status(Path(scratch) / "index.md")
            for page in Path(scratch).rglob("*.md"):
                target = self.docs / page.relative_to(scratch)
                text = page.read_text(encoding="utf-8")
                if not target.exists() or target.read_text(encoding="utf-8") != text:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(text, encoding="utf-8")
        return nav

    def env(self):
        """The templates in the language previewed (the plan's as last read, else the one asked for)."""
        plan = self.project.years[0] if self.project is not None and self.project.years else None
        return template_env(self.root, plan.meta.language if plan is not None and plan.meta else self.language)

    def _print_status(self, home: Path) -> None:
        """The home page, where the PDF links are, says when the PDFs were printed."""
        if self.printer is None or not home.exists():
            return
        status = self.env().get_template("site/print-status.md").render(**self.printer.status())
        text = home.read_text(encoding="utf-8")
        end = text.index("\n---\n", 4) + 5 if text.startswith("---\n") else 0
        home.write_text(text[:end] + status + text[end:], encoding="utf-8")

    def _show_problems(self, findings) -> None:
        self._print(findings)
        env = self.env()
        notice = env.get_template("site/problems.md").render(findings=findings)
        for page in self.docs.glob("*.md"):
            text = page.read_text(encoding="utf-8")
            front = ""
            if text.startswith("---\n"):
                end = text.index("\n---\n", 4) + 5
                front, text = text[:end], text[end:]
            page.write_text(front + notice + text.split("<!-- end of problems -->\n")[-1], encoding="utf-8")

    def _print(self, findings) -> None:
        for finding in findings:
            print(finding, file=sys.stderr)
        print(f"{len(findings)} problem(s) in {self.year}; the preview shows them until they are fixed.",
              file=sys.stderr)


def serve(root: Path, year: str, host: str = "127.0.0.1", port: int = 8000, language: str | None = None) -> None:
    """Preview `year` at http://host:port/, rebuilt on every save; `language`: a bilingual plan
    in another of its languages (yjplan serve --language cy-GB)."""
    from mkdocs.commands.build import build
    from mkdocs.livereload import LiveReloadServer

    check_port(host, port)      # before the plan is read: a taken port is said at once, in one line
    work = Path(tempfile.mkdtemp(prefix="yjplan-preview-"))
    docs, site, printed = work / "docs", work / "site", work / "printed"
    printed.mkdir()

    def on_printed() -> None:
        # A file the server watches: its change rebuilds the home page with the print's status.
        (printed / "at").write_text(dt.datetime.now().isoformat(), encoding="utf-8")

    printer = BackgroundPrint([docs, site], work / "prints", on_printed)
    preview = Preview(root, year, docs, printer, language)
    mkdocs_log = MkDocsLog()
    mkdocs_log.install()       # MkDocs' own messages stay out of the terminal
    preview.refresh()
    if preview.project is None:     # nothing to show until the plan can be read at least once
        printer.stop()
        shutil.rmtree(work, ignore_errors=True)
        raise PlanError(preview.problems)

    def config():
        settings = preview.project.site
        made = site_config(root, preview.rendered, docs, site, preview.nav, settings=settings, latest=year)
        made.site_url = f"http://{host}:{port}/"
        made.plugins["yjplan-content-security"].policy = False    # MkDocs' reload script is inline
        made.plugins["yjplan-preview-log"] = mkdocs_log.plugin()
        return made

    def rebuild(dirty: bool) -> None:
        made = config()
        build(made, serve_url=made.site_url, dirty=dirty)
        if preview.found_links(mkdocs_log.links()):     # the pages now show them: build those again
            made = config()
            build(made, serve_url=made.site_url, dirty=True)
            mkdocs_log.links()

    def builder() -> None:
        preview.refresh()
        rebuild(dirty=not preview.theme_changed)

    server = LiveReloadServer(builder=builder, host=host, port=port, root=str(site), polling_interval=0.2)
    server.build_delay = 0.05
    try:
        rebuild(dirty=False)
        for folder in (root / "content" / year, root / "data", root / "templates", printed):
            server.watch(str(folder))
        print(f"Previewing {year} at http://{host}:{port}/ (Ctrl+C to stop)", file=sys.stderr)
        server.serve()
    except KeyboardInterrupt:
        pass
    except OSError as exc:      # taken in the seconds the first build took
        if exc.errno is None or exc.filename:
            raise
        raise explain_port(host, port, exc) from None
    finally:
        server.shutdown()
        printer.stop()
        shutil.rmtree(work, ignore_errors=True)
