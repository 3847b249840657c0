"""Benchmarks for the build and the preview, printed as ratios measured side by side in one run.

    .venv/bin/python bench/build.py            # about 8 minutes on 2 cores

(1) full build of the sample (site + PDFs) against the bare engines it drives: a plain MkDocs
    build of the generated pages plus WeasyPrint on the generated print HTML (plan and pack),
    one after the other. The build is timed as it runs by default (PDFs printed by one worker
    process per core) and with --jobs 1 (everything in one process, in turn, like the bare
    engines). Each is the median of three rounds, taken in turn, so a busy moment on the
    machine does not fall on one side only;
(2) preview latency: from saving one narrative file to the served page showing the change;
(3) 10 plan years, cold, and warm with only the newest changed, against one year's build
    (one year and warm: medians of three rounds, taken in turn);
(4) peak memory of one process: the build, a print worker, or the bare engines.
Nothing here is asserted: timings depend on the machine. Tests never look at time.
"""
from __future__ import annotations

import resource
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


def project_copy(where: Path, years: list[str] | None = None) -> Path:
    for part in ("content", "data", "templates", "mkdocs.yml"):
        source = ROOT / part
        (shutil.copytree if source.is_dir() else shutil.copy)(source, where / part)
    if years is not None:
        for folder in (where / "content").iterdir():
            if folder.is_dir() and folder.name not in years:
                shutil.rmtree(folder)
    return where


def timed_build(root: Path, *options: str, fresh: bool = False) -> float:
    if fresh:
        shutil.rmtree(root / "site", ignore_errors=True)
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "plan", "--root", str(root), "build", "--quiet", *options],
                            capture_output=True, text=True)     # the new years' drafts warn; that is expected
    elapsed = time.perf_counter() - start
    if result.returncode:
        sys.exit(result.stderr)
    return elapsed


def bare_engines(root: Path) -> float:
    """MkDocs on the generated pages plus WeasyPrint on the generated print HTML, nothing else."""
    script = f"""
import time, tempfile, logging
from pathlib import Path
from plan.load import load_project
from plan.derive import derive
from plan.render import render_year, print_html, template_env
from plan.site import site_config, write_pages
from mkdocs.commands.build import build
from weasyprint import HTML
from plan.pdf import PackOptions
logging.disable(logging.WARNING)
root = Path({str(root)!r})
project = load_project(root)
jobs = []
for plan in project.years:
    rendered = render_year(project, plan, derive(project, plan))
    docs = Path(tempfile.mkdtemp())
    nav = write_pages(root, rendered, docs, settings=project.site, env=template_env(root))
    jobs.append((site_config(root, rendered, docs, Path(tempfile.mkdtemp()), nav, settings=project.site,
                             latest=project.latest.year),
                 [print_html(project, rendered, pdf_date="2025-01-01T00:00:00Z"),
                  print_html(project, rendered, pdf_date="2025-01-01T00:00:00Z", pack=PackOptions())]))
start = time.perf_counter()
for config, documents in jobs:
    build(config)
    for html in documents:   # the plan and its appendix pack
        HTML(string=html, base_url=str(root / "templates" / "print")).write_pdf(pdf_variant="pdf/ua-1")
print(time.perf_counter() - start)
"""
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True, cwd=ROOT)
    return float(out.stdout.strip().splitlines()[-1])


def preview_latency(root: Path, year: str, saves: int = 5) -> list[float]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "plan", "--root", str(root), "serve", year, "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/workforce/"

    def page() -> str:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except OSError:
            return ""

    try:
        while "Workforce" not in page():
            time.sleep(0.2)
        narrative = next((root / "content" / year / "narrative").glob("09-*.md"))
        latencies = []
        for n in range(saves):
            marker = f"Benchmark sentence {n}."
            start = time.perf_counter()
            narrative.write_text(narrative.read_text() + f"\n{marker}\n")
            while marker not in page():
                time.sleep(0.02)
            latencies.append(time.perf_counter() - start)
            time.sleep(1)
        return latencies
    finally:
        server.terminate()
        server.wait()


def ten_years(root: Path) -> None:
    from plan.newyear import new_year, next_year
    year = sorted(p.name for p in (root / "content").iterdir() if p.is_dir() and p.name[:4].isdigit())[-1]
    while len([p for p in (root / "content").iterdir() if p.is_dir() and p.name[:4].isdigit()]) < 10:
        year = next_year(year)
        new_year(root, year)


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        sample = project_copy(scratch / "sample")
        rounds = [(timed_build(sample, fresh=True), timed_build(sample, "--jobs", "1", fresh=True),
                   bare_engines(sample)) for _ in range(3)]
        full, serial, bare = (statistics.median(column) for column in zip(*rounds))
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        latest = sorted(p.name for p in (sample / "content").iterdir() if p.is_dir() and p.name[:4].isdigit())[-1]
        latencies = preview_latency(sample, latest)

        one = project_copy(scratch / "one", [latest])
        many = project_copy(scratch / "many")
        ten_years(many)
        cold = timed_build(many)
        newest = sorted(p.name for p in (many / "content").iterdir() if p.is_dir() and p.name[:4].isdigit())[-1]
        narrative = next((many / "content" / newest / "narrative").glob("09-*.md"))

        def warm_build(n: int) -> float:
            narrative.write_text(narrative.read_text() + f"\nChange {n}.\n")
            return timed_build(many)

        one_year, warm = (statistics.median(column) for column in
                          zip(*[(timed_build(one, fresh=True), warm_build(n)) for n in range(3)]))

    print(f"(1) full build of the sample, {full:.1f}s, against the bare engines, {bare:.1f}s: {full / bare:.2f}x; "
          f"with --jobs 1, {serial:.1f}s: {serial / bare:.2f}x")
    print(f"(2) preview latency, save to updated page: median {statistics.median(latencies):.2f}s "
          f"(min {min(latencies):.2f}s, max {max(latencies):.2f}s, {len(latencies)} saves)")
    print(f"(3) one year's build {one_year:.1f}s; 10 years cold {cold:.1f}s = {cold / one_year:.2f}x; "
          f"10 years warm with the newest changed {warm:.1f}s = {warm / one_year:.2f}x")
    print(f"(4) peak memory of one process (the build, a print worker or the bare engines): {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
