"""How long yjplan's PDF stage takes, as a ratio to WeasyPrint rendering the same HTML alone.

    .venv/bin/python bench/pdf_stage.py [YEAR] [--runs N]

For one plan year (default: the newest) it times, N times each, interleaved, and reports the ratios of
the best times (and of the medians):

  stage      what `yjplan build` does for the plan PDF: build the print HTML from the rendered
             pages (Markdown to HTML; the charts were drawn at the render stage) and write it
             with WeasyPrint as PDF/UA-1;
  weasyprint WeasyPrint alone, writing the same HTML with the same options;
  untagged   WeasyPrint alone, the same HTML as a plain (untagged) PDF;
  html       the print HTML alone, the part of the stage before WeasyPrint;
  pack       the appendix pack, the whole stage.

Only ratios measured in this one run are printed: absolute times depend on the machine.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from plan.derive import derive  # noqa: E402
from plan.load import load_project  # noqa: E402
from plan.pdf import PackOptions, identifier, print_document, pack_pdf, pdf_date, plan_pdf  # noqa: E402
from plan.render import render_year  # noqa: E402


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("year", nargs="?")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from weasyprint import HTML

    project = load_project(ROOT, [args.year] if args.year else None)
    plan = project.years[-1]
    rendered = render_year(project, plan, derive(project, plan))
    base = str(ROOT / "templates" / "print")
    html = print_document(project, rendered, None)
    pdf_id = identifier(plan.meta.service, plan.year, "plan", pdf_date(rendered).isoformat())

    times: dict[str, list[float]] = {"stage": [], "weasyprint": [], "untagged": [], "pack": [], "html": []}
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)

        def stage():
            plan_pdf(project, rendered, out / "stage.pdf")

        def weasyprint_alone():
            HTML(string=html, base_url=base).write_pdf(out / "alone.pdf", pdf_variant="pdf/ua-1",
                                                       pdf_identifier=pdf_id, custom_metadata=True)

        def untagged():
            HTML(string=html, base_url=base).write_pdf(out / "untagged.pdf")

        def html_only():
            print_document(project, rendered, None)

        def pack():
            pack_pdf(project, rendered, out / "pack.pdf", PackOptions())

        stage()                              # warm up: imports, fonts, the vl-convert engine
        for _ in range(args.runs):
            times["stage"].append(timed(stage))
            times["weasyprint"].append(timed(weasyprint_alone))
            times["untagged"].append(timed(untagged))
            times["pack"].append(timed(pack))
            times["html"].append(timed(html_only))

    best = {name: min(values) for name, values in times.items()}
    median = {name: statistics.median(values) for name, values in times.items()}
    print(f"PDF stage of plan year {plan.year}, {args.runs} interleaved runs, as a ratio to WeasyPrint "
          f"rendering the same HTML alone (PDF/UA-1). Best of the runs (least disturbed by other work "
          f"on the machine), then the median:")
    rows = [("yjplan plan PDF stage (print HTML + WeasyPrint)", "stage"),
            ("WeasyPrint alone, same HTML, PDF/UA-1", "weasyprint"),
            ("WeasyPrint alone, same HTML, untagged PDF", "untagged"),
            ("  of which the print HTML", "html"),
            ("yjplan appendix pack stage", "pack")]
    for label, name in rows:
        print(f"  {label:<52} {best[name] / best['weasyprint']:5.2f}   {median[name] / median['weasyprint']:5.2f}")
    spread = max(times["weasyprint"]) / min(times["weasyprint"])
    print(f"  (WeasyPrint alone varied by a factor of {spread:.2f} between runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
