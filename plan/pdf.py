"""The print engine: WeasyPrint turns the print document into a tagged PDF/UA-1 file.

Two documents per plan year: the whole plan, and the appendix pack that committee clerks put
into an agenda (the appendix pages alone, numbered from the agenda's page, with the meeting and
item in the running header). Both are reproducible: the creation date and the PDF /ID come from
the plan's own dates and names (or SOURCE_DATE_EPOCH), never from the clock or a folder path.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import logging
import multiprocessing
import os
import re
import signal
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:      # render is imported only where it is used, so print workers start quickly
    from .render import RenderedYear


@dataclass(frozen=True)
class PackOptions:
    """What a clerk chooses for the appendix pack of an agenda."""
    first_page: int = 1       # the pack continues the agenda's page numbering from here
    item: str = ""            # agenda item label, e.g. "8" or "8(a)"
    meeting: str = ""         # meeting name and date, e.g. "Overview and Scrutiny Committee, 19 September 2025"
    agenda_pages: int = 0     # the whole agenda's page count, when the clerk knows it: "Page 83 of 130"
    include: tuple[str, ...] = ()   # chapters besides the appendices: heading ids or block names (packinclude.py)

    @property
    def continues_agenda(self) -> bool:
        return self.first_page != 1


def pdf_date(rendered: RenderedYear) -> dt.datetime:
    """A fixed creation date, so the same inputs give the same PDF bytes."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        return dt.datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), dt.timezone.utc)
    meta = rendered.plan.meta
    day = meta.sign_off.date or meta.figures_date
    return dt.datetime.combine(day, dt.time(12, 0), dt.timezone.utc)


def identifier(*parts: str) -> bytes:
    """The PDF /ID: a digest of what the document is, so it is the same on every build."""
    return hashlib.md5("\x1f".join(parts).encode()).hexdigest().encode()


def write_pdf(html: str, base: Path, target: Path, pdf_id: bytes, readable: tuple[Path, ...] = ()) -> int:
    """Lay out and write one PDF; returns its number of pages. WeasyPrint reads only files in
    `base` and the `readable` folders (plan/sanitize.py's fetcher), and embeds no attachment."""
    from weasyprint import HTML

    from .sanitize import PdfFetcher

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    target.parent.mkdir(parents=True, exist_ok=True)
    # WeasyPrint's layout makes millions of short-lived objects, and the cycle collector's passes
    # over them were a sixth of its time; reference counting frees them anyway (peak memory
    # measured the same with the collector off).
    collecting = gc.isenabled()
    gc.disable()
    try:
        options = {"pdf_variant": "pdf/ua-1", "pdf_identifier": pdf_id, "custom_metadata": True}
        document = HTML(string=html, base_url=str(base), url_fetcher=PdfFetcher([base, *readable])).render(**options)
        # No file attachments, whatever the HTML says (<a rel="attachment">, <link rel="attachment">).
        document.metadata.attachments = []
        for page in document.pages:
            page.links[:] = [link for link in page.links if link[0] != "attachment"]
        document.write_pdf(target, **options)
        return len(document.pages)
    finally:
        if collecting:
            gc.enable()


def _ready() -> None:
    import weasyprint  # noqa: F401  (a worker loads the engine before its first document arrives)


PRINT_MEMORY_LIMIT = 2 * 1024 ** 3   # address space of one print worker; the sample's peak is about 350 MB
_PR_SET_PDEATHSIG = 1


def _worker_start(parent: int, memory_limit: int) -> None:
    """Run first in every print worker. It dies with the build, even a killed one (the kernel
    sends it SIGKILL when its parent goes); it leaves Ctrl-C to the build, which stops it; and
    it may not take more than `memory_limit` bytes, so a runaway document fails the build
    instead of the machine."""
    import ctypes
    import resource

    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:       # the build went before the line above took effect
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if memory_limit:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))


@contextlib.contextmanager
def _ctrl_c_ignored_by_children():
    """Workers started in here ignore Ctrl-C from their first instruction (a process started
    with SIGINT ignored keeps it so), not only once _worker_start runs: Ctrl-C in a terminal
    goes to the workers too, and the build, not they, says it stopped."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        # A Ctrl-C in the moment just passed was ignored; pressing it again stops the build.


class Printer:
    """Prints PDFs in `jobs` worker processes, so one year's PDFs print while the next year is
    rendered and the sites are built: WeasyPrint is most of a build and uses one core. With
    jobs=1 each PDF is printed here and now, one after the other. The bytes are the same
    either way."""

    def __init__(self, jobs: int = 1):
        self._pool = None
        self._pending: dict[str, list[Future]] = {}
        if jobs > 1:
            # spawn, not fork: the parent has threads (the chart engine), which fork does not copy safely
            self._pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_worker_start, initargs=(os.getpid(), PRINT_MEMORY_LIMIT))
            with _ctrl_c_ignored_by_children():
                for _ in range(jobs):
                    self._pool.submit(_ready)       # starts the workers

    def print(self, group: str, html: str, base: Path, target: Path, pdf_id: bytes,
              readable: tuple[Path, ...] = ()) -> int | None:
        """Print one PDF of `group`; returns its number of pages when printed here and now."""
        if self._pool is None:
            return write_pdf(html, base, target, pdf_id, readable)
        self._pending.setdefault(group, []).append(self._pool.submit(write_pdf, html, base, target, pdf_id, readable))
        return None

    def wait(self, group: str) -> None:
        """Wait for the PDFs of `group` (a plan year); a failure in a worker is raised here."""
        from concurrent.futures.process import BrokenProcessPool

        from .problems import Finding, PlanError

        limit = f"{PRINT_MEMORY_LIMIT / 1024 ** 3:g} GiB"
        for job in self._pending.pop(group, []):
            try:
                job.result()
            except MemoryError:
                raise PlanError([Finding("print.memory", f"printing the {group} PDFs needed more than the {limit} "
                                         "a print worker may use", fix="look for a very large image or table in "
                                         f"content/{group}/, or raise PRINT_MEMORY_LIMIT in plan/pdf.py",
                                         file=f"content/{group}/")]) from None
            except BrokenProcessPool:
                raise PlanError([Finding("print.worker-stopped", f"a process printing the {group} PDFs stopped "
                                         f"without finishing (it may have run out of memory: the limit is {limit})",
                                         fix="run the build again with --jobs 1 to see the problem",
                                         file=f"content/{group}/")]) from None

    def __enter__(self) -> Printer:
        return self

    def __exit__(self, kind, *failure) -> None:
        if self._pool is None:
            return
        if kind is not None:
            # The build failed or was stopped: its PDFs are not wanted, so the workers stop now
            # instead of finishing the documents they are printing.
            for process in list((self._pool._processes or {}).values()):
                process.kill()
        self._pool.shutdown(cancel_futures=True)


def print_document(project, rendered: RenderedYear, pack: PackOptions | None) -> str:
    from .render import print_html

    date = pdf_date(rendered).strftime("%Y-%m-%dT%H:%M:%SZ")
    return print_html(project, rendered, pdf_date=date, pack=pack, logo=cover_logo(project, rendered))


def cover_logo(project, rendered: RenderedYear) -> str:
    """The logo on the cover: the site's (content/site.yml), unless this year's plan.yml names
    its own (a year published before a change of logo keeps the one it had)."""
    from .load import inside

    if rendered.plan.meta.logo:    # a logo outside the year's folder is an error (security.path): not shown
        logo = rendered.plan.folder / rendered.plan.meta.logo
        return logo.resolve().as_uri() if inside(logo, rendered.plan.folder) else ""
    if project.site and project.site.logo:
        return (project.root / "content" / project.site.logo).resolve().as_uri()
    return ""


def readable(project, rendered: RenderedYear) -> tuple[Path, ...]:
    """What the PDF may read besides templates/print: the year's folder (its logo and images)
    and content/ (the site's logo)."""
    return (rendered.plan.folder, project.root / "content")


def plan_pdf(project, rendered: RenderedYear, target: Path, printer: Printer | None = None) -> None:
    """The whole plan of one year as a PDF (printed by `printer`, or here and now)."""
    meta = rendered.plan.meta
    (printer or Printer()).print(
        rendered.plan.year, print_document(project, rendered, None), project.root / "templates" / "print", target,
        identifier(meta.service, rendered.plan.year, "plan", meta.status.value, pdf_date(rendered).isoformat()),
        readable(project, rendered))


def pack_pdf(project, rendered: RenderedYear, target: Path, options: PackOptions = PackOptions(),
             printer: Printer | None = None) -> int | None:
    """The appendices of one year, and the chapters `options.include` names, laid out for a
    committee agenda. Returns the number of pages when printed here and now."""
    if options.first_page < 1:
        raise ValueError("the first page number must be 1 or more")
    meta = rendered.plan.meta
    return (printer or Printer()).print(
        rendered.plan.year, print_document(project, rendered, options), project.root / "templates" / "print", target,
        identifier(meta.service, rendered.plan.year, "appendices", meta.status.value,
                   pdf_date(rendered).isoformat(), str(options.first_page), options.item, options.meeting,
                   str(options.agenda_pages or ""), *options.include), readable(project, rendered))


def pack_file_name(rendered: RenderedYear, options: PackOptions) -> str:
    """The pack's file name; with an agenda item, the item is in the name."""
    name = rendered.pack_name
    if options.item:
        name = name.removesuffix(".pdf") + f"-item-{re.sub(r'[^A-Za-z0-9]+', '-', options.item).strip('-')}.pdf"
    return name


def child_friendly_pdf(project, rendered: RenderedYear, target: Path, printer: Printer | None = None) -> bool:
    """The child-friendly version of one year as a short A5 PDF/UA-1 booklet, when the year has
    one (childfriendly.py); returns whether it was sent to print."""
    from .childfriendly import print_html

    if not any(p.kind == "child" for p in rendered.pages):
        return False
    meta = rendered.plan.meta
    date = pdf_date(rendered)
    (printer or Printer()).print(
        rendered.plan.year, print_html(project, rendered, date.strftime("%Y-%m-%dT%H:%M:%SZ")),
        project.root / "templates" / "print", target,
        identifier(meta.service, rendered.plan.year, "child-friendly", meta.status.value, date.isoformat()),
        readable(project, rendered))
    return True
