"""Is yjplan fast enough to run on every save? Ratios to the targets, measured in one run.

    .venv/bin/python bench/check.py              # about 2 minutes on 2 cores (one full build)
    .venv/bin/python bench/check.py --preview    # also the preview: page update and its PDF

On a copy of the sample, as an author's editor would run it (a fresh `python -m plan` each time):

  check         `yjplan check`, warm (nothing changed since the last check: .yjplan-cache/),
                median of 5, against the 0.4 s target; and cold (after a save), for reference;
  no-op build   `yjplan build` with nothing changed since the last build, median of 5, against
                the 0.5 s target;
  pandas        the time to import pandas alone, for reference (a cache hit never imports it);
  --preview     `yjplan serve`: from a save to the updated page (median of 5 saves, target
                0.5 s), and from a save to the plan PDF served by the preview, against WeasyPrint
                alone printing the same document (target 1.2x).
Nothing is asserted: timings depend on the machine. Tests never look at time.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHECK_TARGET, BUILD_TARGET, PAGE_TARGET, PDF_TARGET = 0.4, 0.5, 0.5, 1.2


def project_copy(where: Path) -> Path:
    for part in ("content", "data", "templates", "mkdocs.yml"):
        source = ROOT / part
        (shutil.copytree if source.is_dir() else shutil.copy)(source, where / part)
    return where


def yjplan(root: Path, *args: str) -> float:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "plan", "--root", str(root), *args],
                            capture_output=True, text=True, cwd=ROOT)
    elapsed = time.perf_counter() - start
    if result.returncode and args[0] != "check":
        sys.exit(result.stderr)
    return elapsed


def median_of(runs: int, action) -> float:
    return statistics.median(action() for _ in range(runs))


def python_import(module: str) -> float:
    """A fresh interpreter importing `module`, less one importing nothing."""
    def run(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return time.perf_counter() - start
    return median_of(3, lambda: run(f"import {module}")) - median_of(3, lambda: run("pass"))


def touch_narrative(root: Path, text: str) -> Path:
    year = sorted(p.name for p in (root / "content").iterdir() if p.is_dir() and p.name[:4].isdigit())[-1]
    narrative = next((root / "content" / year / "narrative").glob("09-*.md"))
    narrative.write_text(narrative.read_text() + f"\n{text}\n")
    return narrative


def check_and_build(root: Path) -> None:
    yjplan(root, "check")
    warm = median_of(5, lambda: yjplan(root, "check"))
    cold = []
    for n in range(2):
        touch_narrative(root, f"Check sentence {n}.")
        cold.append(yjplan(root, "check"))
    print(f"check, warm (nothing changed): median {warm:.3f}s = {warm / CHECK_TARGET:.2f}x the {CHECK_TARGET}s target; "
          f"after a save (the whole gate): median {statistics.median(cold):.2f}s")
    yjplan(root, "build", "--quiet")            # the site
    yjplan(root, "build", "--quiet")            # nothing changed: the gate runs once, the site is kept
    noop = median_of(5, lambda: yjplan(root, "build", "--quiet"))
    print(f"build with nothing changed: median {noop:.3f}s = {noop / BUILD_TARGET:.2f}x the {BUILD_TARGET}s target")
    print(f"for reference, importing pandas alone: {python_import('pandas'):.3f}s")


def wait_until(condition, pause: float, limit: float = 300) -> None:
    """Poll until `condition()`; a preview that never gets there ends the benchmark."""
    deadline = time.perf_counter() + limit
    while not condition():
        if time.perf_counter() > deadline:
            sys.exit("the preview did not update within 5 minutes")
        time.sleep(pause)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read()
    except OSError:
        return b""


def weasyprint_alone(root: Path, warm_up: bool = True):
    """The plan PDF's name, and WeasyPrint alone printing the plan as it
    is now (a function timing one print; warmed up first unless `warm_up` is false)."""
    from weasyprint import HTML
    from plan.derive import derive
    from plan.load import load_project
    from plan.pdf import identifier, pdf_date, print_document
    from plan.render import render_year
    project = load_project(root)
    plan = project.years[-1]
    rendered = render_year(project, plan, derive(project, plan))
    html = print_document(project, rendered, None)
    pdf_id = identifier(plan.meta.service, plan.year, "plan", pdf_date(rendered).isoformat())

    def once() -> float:
        start = time.perf_counter()
        HTML(string=html, base_url=str(root / "templates" / "print")).write_pdf(
            pdf_variant="pdf/ua-1", pdf_identifier=pdf_id, custom_metadata=True)
        return time.perf_counter() - start
    if warm_up:
        once()
    return rendered.pdf_name, once


def preview(root: Path, saves: int = 5) -> None:
    pdf_name, _ = weasyprint_alone(root)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "plan", "--root", str(root), "serve", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    page_url, pdf_url = f"http://127.0.0.1:{port}/workforce/", f"http://127.0.0.1:{port}/{pdf_name}"
    home_url = f"http://127.0.0.1:{port}/"
    try:
        wait_until(lambda: b"Workforce" in fetch(page_url), 0.2)
        wait_until(lambda: fetch(pdf_url), 0.2)            # the first print, of the preview's start
        time.sleep(1)
        pages, pdfs, alone = [], [], []
        for n in range(saves):
            marker = f"Preview sentence {n}."
            before = hashlib.sha256(fetch(pdf_url)).digest()
            start = time.perf_counter()
            touch_narrative(root, marker)
            wait_until(lambda: marker.encode() in fetch(page_url), 0.02)
            pages.append(time.perf_counter() - start)
            wait_until(lambda: hashlib.sha256(fetch(pdf_url)).digest() != before, 0.05)
            pdfs.append(time.perf_counter() - start)
            wait_until(lambda: b"Printing the save" not in fetch(home_url), 0.1)   # the pack prints next
            # WeasyPrint alone on the same save, taken in turn with the preview's print, so a
            # busy moment on the machine does not fall on one side only.
            alone.append(weasyprint_alone(root, warm_up=False)[1]())
    finally:
        server.terminate()
        server.wait()
    page, pdf, alone = statistics.median(pages), statistics.median(pdfs), statistics.median(alone)
    print(f"preview, save to updated page: median {page:.2f}s = {page / PAGE_TARGET:.2f}x the {PAGE_TARGET}s target")
    print(f"preview, save to the new plan PDF: median {pdf:.2f}s, WeasyPrint alone {alone:.2f}s: "
          f"{pdf / alone:.2f}x (target {PDF_TARGET}x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preview", action="store_true", help="also time the preview (about 2 more minutes)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = project_copy(Path(folder))
        check_and_build(root)
        if args.preview:
            preview(root)
    print(f"(load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} processors; "
          "other work on the machine slows every figure)")


if __name__ == "__main__":
    main()
