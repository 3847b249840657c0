"""The preview's print: `yjplan serve` prints the year's plan PDF and appendix pack (and, as
`build` does, the child-friendly booklet when the year has one and the Word plan when
content/site.yml asks for it) in the background after every save, so the preview's download links give the printed layout (what the
committee sees), a few seconds behind the page.

One worker process prints (WeasyPrint is most of a print's time and uses one core); a thread
here feeds it, so the page update never waits for the print. The latest save wins: a print still
running when a newer save arrives is stopped (its worker killed, a fresh one started) and the
newer save is printed instead, so the PDF is never more than one print behind the page. A
finished PDF replaces the served one in one rename, then `on_printed` is called so the preview
can say when it was printed.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing
import os
import shutil
import signal
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from . import word
from .childfriendly import pdf_name as child_pdf_name
from .pdf import PRINT_MEMORY_LIMIT, _ready, _worker_start, child_friendly_pdf, pack_pdf, plan_pdf, write_pdf

# Printed in this order: the plan first, it is what is read; the last two only when wanted.
DOCUMENTS = ("plan", "appendices", "child-friendly", "word")


@dataclass(frozen=True)
class Printed:
    at: dt.datetime           # when the PDF was printed
    saved: dt.datetime        # the save it shows


@dataclass
class _Job:
    number: int
    project: object
    rendered: object
    saved: dt.datetime


class _Captured:
    """Stands in for pdf.Printer: plan_pdf and pack_pdf hand it the document and its settings,
    which go to the worker here, so the preview prints exactly what `build` prints."""

    def print(self, group, html, base, target, pdf_id, readable=()):
        self.args = (html, base, target, pdf_id, readable)


def _worker_start_nice(parent: int, memory_limit: int) -> None:
    """pdf._worker_start, at a lower priority: the page update, which the author is waiting
    for, goes first; the print takes what is left of the processors."""
    _worker_start(parent, memory_limit)
    os.nice(10)


class _Abandoned(Exception):
    """A newer save arrived while printing."""


class BackgroundPrint:
    """Prints the latest save's PDFs in a worker process and puts them into `folders` (the
    preview's docs, so MkDocs keeps them on a full rebuild, and its site, so they are served
    at once)."""

    def __init__(self, folders: list[Path], scratch: Path, on_printed: Callable[[], None]):
        self.folders, self.scratch, self.on_printed = folders, scratch, on_printed
        self.scratch.mkdir(parents=True, exist_ok=True)
        self._cond = threading.Condition()
        self._job: _Job | None = None
        self._number = 0
        self._stopped = False
        self._pool: ProcessPoolExecutor | None = None
        self.printed: dict[str, Printed] = {}      # DOCUMENTS -> when the served PDF was printed
        self.printing: dt.datetime | None = None   # the save being printed, if any
        self.failed = ""                           # why the last print failed, if it did
        self._thread = threading.Thread(target=self._run, name="yjplan-preview-print", daemon=True)
        self._thread.start()

    def submit(self, project, rendered, saved: dt.datetime) -> None:
        """Print this save next, abandoning any older one."""
        with self._cond:
            self._number += 1
            self._job = _Job(self._number, project, rendered, saved)
            self.printing = saved
            self._cond.notify_all()

    def status(self) -> dict:
        """What the preview's home page says about the PDFs (templates/site/print-status.md)."""
        with self._cond:
            return {"printed": dict(self.printed), "printing": self.printing, "failed": self.failed}

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        self._thread.join(timeout=5)
        self._kill_pool()

    # --- the print thread --------------------------------------------------------------------

    def _run(self) -> None:
        # Blocked here, Ctrl-C is blocked in the workers this thread starts too: it stops the
        # preview, which stops them, and they print no traceback of their own.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        with contextlib.suppress(Exception):
            self._start_pool()         # the worker loads WeasyPrint before the first save
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._job is not None or self._stopped)
                if self._stopped:
                    return
                job, self._job = self._job, None
            try:
                if self._pool is None:
                    self._start_pool()
                self._print(job)
            except _Abandoned:         # a newer save: its print starts on a fresh worker
                self._kill_pool()
            except Exception as exc:   # the home page says so; the preview goes on
                self._kill_pool()
                self._finish(job, failed=f"the PDF could not be printed: {exc or type(exc).__name__}")

    def _print(self, job: _Job) -> None:
        documents = [document for document in DOCUMENTS if self._wanted(document, job)]
        for document in documents:
            name = self._name(document, job.rendered)
            target = self.scratch / f"{job.number}-{Path(name).name}"   # the booklet's name has a folder
            try:
                work, args, settings = self._work(document, job, target)
                self._wait(self._pool.submit(work, *args, **settings), job.number)
            except BaseException:
                target.unlink(missing_ok=True)
                raise
            self._install(target, name)
            with self._cond:
                self.printed[document] = Printed(dt.datetime.now(), job.saved)
            if document == documents[-1]:
                self._finish(job)
            else:
                self.on_printed()

    @staticmethod
    def _wanted(document: str, job: _Job) -> bool:
        """The child-friendly booklet when the year has one, the Word plan when content/site.yml
        says `word: true`: what the home page links, as `build` makes it (publish.py)."""
        if document == "child-friendly":
            return any(page.kind == "child" for page in job.rendered.pages)
        if document == "word":
            return word.wanted(job.project)
        return True

    @staticmethod
    def _name(document: str, rendered) -> str:
        return {"plan": rendered.pdf_name, "appendices": rendered.pack_name,
                "child-friendly": child_pdf_name(rendered.pdf_name),
                "word": word.docx_name(rendered.pdf_name)}[document]

    @staticmethod
    def _work(document: str, job: _Job, target: Path) -> tuple[Callable, tuple, dict]:
        """What the worker runs for one document: the document is made here (it is quick),
        printed or converted there (it is not), so a newer save can stop it."""
        if document == "word":
            html, settings = word.plan_docx_args(job.project, job.rendered)
            return word.html_to_docx, (html, target), settings
        call = _Captured()
        {"plan": plan_pdf, "appendices": pack_pdf, "child-friendly": child_friendly_pdf}[document](
            job.project, job.rendered, target, printer=call)
        return write_pdf, call.args, {}

    def _finish(self, job: _Job, failed: str = "") -> None:
        with self._cond:
            if self._number == job.number:
                self.printing = None
            self.failed = failed
        self.on_printed()

    def _wait(self, future, number: int) -> None:
        while True:
            try:
                return future.result(timeout=0.1)
            except TimeoutError:
                if self._number != number or self._stopped:
                    raise _Abandoned from None

    def _install(self, printed: Path, name: str) -> None:
        """Each copy appears in one rename: a reader gets the old PDF or the new one."""
        for index, folder in enumerate(self.folders):
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            partial = self.scratch / f".{index}-{Path(name).name}.partial"
            shutil.copyfile(printed, partial)
            os.replace(partial, folder / name)
        printed.unlink(missing_ok=True)

    def _start_pool(self) -> None:
        # spawn, not fork: the preview has threads (the server, the chart engine)
        self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=_worker_start_nice, initargs=(os.getpid(), PRINT_MEMORY_LIMIT))
        self._pool.submit(_ready)

    def _kill_pool(self) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        for process in list((pool._processes or {}).values()):
            process.kill()
        pool.shutdown(wait=False, cancel_futures=True)
