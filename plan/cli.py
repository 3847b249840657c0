"""The `yjplan` command."""
from __future__ import annotations

import argparse
import errno
import json
import os
import signal
import sys
from datetime import date
from pathlib import Path

from .cliaid import CommandLineError, PortUnavailable, StageLog, check_command, find_project, port_number
from . import interrupt
from .problems import PlanError, Severity


def _print_findings(findings, stream=None) -> None:
    for finding in findings:
        print(finding, file=stream or sys.stderr)


def cmd_build(args) -> int:
    from . import gatecache
    whole = not args.years and not args.remove        # only a build of everything has a fast path
    key = gatecache.build_key(args.root) + (";docx" if args.docx else "") if whole else ""
    if whole and (code := _unchanged_build(args, key)) is not None:
        return code
    from .build import build
    try:
        if args.quiet:
            result = build(args.root, args.site, args.years or None, jobs=args.jobs, remove=args.remove,
                           docx=args.docx)
        elif not sys.stderr.isatty():     # a pipe or a CI log: a line per stage, as each ends
            stages = StageLog()
            try:
                result = build(args.root, args.site, args.years or None, report=stages, jobs=args.jobs,
                               remove=args.remove, docx=args.docx)
            finally:
                stages.close()
        else:
            from rich.console import Console
            with Console(stderr=True).status("Building") as status:
                result = build(args.root, args.site, args.years or None,
                               report=lambda step: status.update(step + " ..."), jobs=args.jobs, remove=args.remove,
                               docx=args.docx)
    except PlanError as exc:
        findings = _every_problem(exc)
        _print_findings(findings)
        if all(f.rule.startswith("output.") for f in findings):     # refused where to write (outputs.py)
            print("\nBuild stopped before writing anything.", file=sys.stderr)
        else:
            print(f"\nBuild stopped: {len(findings)} problem(s). The previous site/ was left as it was.",
                  file=sys.stderr)
        return 1
    if whole:
        gatecache.remember_build(args.root, result.site, key, result.built + result.kept, result.findings)
    _print_findings(result.findings)
    if not args.quiet:
        built = ", ".join(result.built) or "none"
        kept = f"; kept unchanged: {', '.join(result.kept)}" if result.kept else ""
        removed = f"; removed: {', '.join(result.removed)}" if result.removed else ""
        print(f"Built {built}{kept}{removed}. The site is in {result.site}/")
        print(f"To look at it: python3 -m http.server -d {result.site}")
    return 0


def _unchanged_build(args, key: str) -> int | None:
    """Nothing changed since the last build of this site (same inputs, same site): say so as a
    build would, without loading pandas, Altair or WeasyPrint. None: build."""
    from .gatecache import unchanged_build
    from .outputs import check_site_folder
    try:
        site = check_site_folder(args.root, args.site or args.root / "site")
    except PlanError:
        return None                    # the build itself refuses it, with its message
    if (kept := unchanged_build(args.root, site, key)) is None:
        return None
    years, findings = kept
    _print_findings(findings)
    if not args.quiet:
        print(f"Built none; kept unchanged: {', '.join(years)}. The site is in {site}/")
        print(f"To look at it: python3 -m http.server -d {site}")
    return 0


def _every_problem(exc: PlanError) -> list:
    """A load error's findings, and those of the checks that could still run: a missing file
    never hides the other problems."""
    from .check import check_partially
    return exc.findings + check_partially(getattr(exc, "project", None))


def cmd_check(args) -> int:
    if getattr(args, "explain", None):
        from .compliance import print_explanation
        return print_explanation(args.explain)
    from .gatecache import cached_check, check_key, remember_check
    key = check_key(args.root, args.years)
    findings = cached_check(args.root, key)      # unchanged inputs: the last check's findings
    if findings is None:
        from . import charts
        from .gate import open_gate
        charts.start_engine()     # the gate renders every page, charts too, as build does
        findings = open_gate(args.root, args.years or None).findings
        remember_check(args.root, key, args.years, findings)
    if args.format == "json":
        found = [f.as_dict() for f in findings]
        # with --reading, an object: the findings and each year's pages' reading levels
        print(json.dumps({"findings": found, "reading": _readings(args.root, args.years)} if getattr(args, "reading", False)
                         else found, indent=2))
    else:
        _print_findings(findings, sys.stdout)
        errors = sum(f.severity is Severity.ERROR for f in findings)
        print(f"{errors} error(s), {len(findings) - errors} warning(s)." if findings else "No problems found.")
        if getattr(args, "reading", False):
            _print_reading(args.root, args.years)
    return 1 if any(f.severity is Severity.ERROR for f in findings) else 0


def _readings(root, years) -> dict[str, list[dict]] | None:
    """`check --reading --format json`: year -> its pages' reading levels (None when the plan
    could not be read: its problems are the findings)."""
    from .load import load_project
    from .readability import page_readings
    try:
        project = load_project(root, years or None)
    except PlanError:
        return None
    return {plan.year: [page.as_dict() for page in page_readings(plan)] for plan in project.years}


def _print_reading(root, years) -> None:
    """`check --reading`: every page's reading level (readability.page_readings), information
    only; a year that does not load has its problems in the check above."""
    from .load import load_project
    from .readability import reading_report
    try:
        project = load_project(root, years or None)
    except PlanError:
        print("Reading levels: the plan could not be read; fix the problems above first.")
        return
    for plan in project.years:
        print()
        print(reading_report(plan))


def cmd_import(args) -> int:
    from .importer import import_table, merge_into_local
    try:
        rows = import_table(args.file, args.yjs, args.published)
    except PlanError as exc:
        _print_findings(exc.findings)
        return 1
    count = merge_into_local(args.root, rows)
    measures = ", ".join(sorted(set(rows["measure"]))) or "nothing"
    print(f"Imported {count} row(s) ({measures}) for {args.yjs} into data/local.csv")
    return 0


def cmd_import_docx(args) -> int:
    from .importdocx import import_docx
    try:
        folder, report = import_docx(args.root, args.file, args.year, args.into, args.guidance,
                                     announce=lambda item: print(f"personal data: {item}", file=sys.stderr),
                                     welsh=args.welsh)
    except PlanError as exc:
        _print_findings(exc.findings)
        return 1
    print(report.text(str(folder.relative_to(args.root))))
    return 0


def cmd_new(args) -> int:
    from .newyear import new_year
    notes: list[str] = []
    try:
        folder = new_year(args.root, args.year, notes)
    except PlanError as exc:
        _print_findings(exc.findings)
        return 1
    for note in notes:
        print(note)
    print(f"Created {folder.relative_to(args.root)}/ as a draft. Next: update plan.yml, the narrative and "
          f"the figures, then run 'yjplan check {args.year}'.")
    return 0


def cmd_serve(args) -> int:
    from .load import plan_years
    from .serve import serve
    year = args.year or (plan_years(args.root) or [""])[-1]
    try:
        serve(args.root, year, args.host, args.port, args.language)
    except PlanError as exc:
        _print_findings(exc.findings)
        print("The preview could not start: fix these and run it again.", file=sys.stderr)
        return 1
    except PortUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_pack(args) -> int:
    from .build import pack
    from .packinclude import UnknownSection, split
    from .pdf import PackOptions
    include = split(args.include)
    if include == ("list",):
        return _list_includes(args)
    try:
        target = pack(args.root, args.year, args.output,
                      PackOptions(first_page=args.first_page, item=args.item, meeting=args.meeting,
                                  agenda_pages=args.agenda_pages or 0, include=include),
                      language=args.language)
    except UnknownSection as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except PlanError as exc:
        _print_findings(exc.findings)
        print(f"\nNo pack written: {len(exc.findings)} problem(s).", file=sys.stderr)
        return 1
    print(f"Wrote the appendix pack of {args.year} to {target}")
    return 0


def cmd_report(args) -> int:
    from .report import ReportOptions, report
    try:
        docx, pdf = report(args.root, args.year, ReportOptions(args.committee, args.date, args.item), args.output,
                           args.language)
    except PlanError as exc:
        _print_findings(exc.findings)
        print(f"\nNo report written: {len(exc.findings)} problem(s).", file=sys.stderr)
        return 1
    print(f"Wrote the {args.committee} report on the {args.year} plan: {docx} (Word, to edit) and {pdf} (PDF)")
    return 0


def _list_includes(args) -> int:
    """`yjplan pack YEAR --include list`: what --include accepts for that year's guidance edition."""
    from .load import load_year, plan_years
    from .packinclude import listing
    if args.year not in plan_years(args.root):
        print(f"error: there is no plan year '{args.year}': use one of {', '.join(plan_years(args.root))}",
              file=sys.stderr)
        return 2
    plan, problems = load_year(args.root, args.year, partial=True)
    if plan is None or plan.guidance is None:
        _print_findings(problems or [])
        print(f"The sections of {args.year} could not be listed: its plan.yml names no guidance edition yjplan knows.",
              file=sys.stderr)
        return 1
    print(listing(plan.guidance))
    return 0


def cmd_variables(args) -> int:
    from .variables import variables_listing
    try:
        print(variables_listing(args.root, args.year, args.language))
    except PlanError as exc:
        _print_findings(exc.findings)
    except Exception as error:          # noqa: BLE001: a message, never a traceback
        print(f"error: the figures of the plan could not be worked out ({type(error).__name__}: {error})",
              file=sys.stderr)
    else:
        return 0
    print("The variables could not be listed: fix these and run it again ('yjplan check' lists every problem).",
          file=sys.stderr)
    return 1


def _one_or_more(what: str):
    """An argparse type: a whole number of at least 1, explained as `what` when it is not."""
    def parse(text: str) -> int:
        if not text.isdigit() or int(text) < 1:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what} (1 or more)")
        return int(text)
    return parse


_page_number = _one_or_more("a page number")


def _meeting_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: write it as YYYY-MM-DD, e.g. 2025-07-15") from None
_jobs = _one_or_more("a number of processes")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="yjplan", description=__doc__ and "Build and check a youth justice plan.")
    top.add_argument("--root", type=Path, default=None, help=ROOT_HELP)
    commands = top.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="check every plan year, then build the site and PDFs into site/")
    build.add_argument("years", nargs="*", help="plan years to build (default: all)")
    build.add_argument("--site", type=Path, default=None, help="output folder (default: site/)")
    build.add_argument("--quiet", action="store_true", help="print only problems (for CI)")
    build.add_argument("--jobs", type=_jobs, default=len(os.sched_getaffinity(0)),
                       help="processes printing PDFs at once (default: one per processor; 1 prints here, in turn)")
    build.add_argument("--remove", action="append", default=[], metavar="YEAR",
                       help="unpublish a plan year whose content folder has gone: its site and version are removed "
                            "(repeat for more years)")
    build.add_argument("--docx", action="store_true",
                       help="also write each year's plan as a Word document (as content/site.yml's `word: true` does)")
    build.set_defaults(run=cmd_build, unchanged="the site is as it was")

    check = commands.add_parser("check", help="report every problem in the plan without building")
    check.add_argument("years", nargs="*", help="plan years to check (default: all)")
    check.add_argument("--format", choices=["text", "json"], default="text")
    check.add_argument("--explain", metavar="RULE", help="print the law's words a checklist rule tests, and its source")
    check.add_argument("--reading", action="store_true",
                       help="also print every page's reading level (Flesch reading ease, reading age, words, "
                            "longest sentence), not only the pages over target")
    check.set_defaults(run=cmd_check)

    variables = commands.add_parser("variables", help="list the {{ figures }} a plan year's narrative may quote, "
                                                      "with their values")
    variables.add_argument("year", nargs="?", help="plan year (default: the latest)")
    variables.add_argument("--language", metavar="TAG", default=None,
                           help="a bilingual plan's values as its other language's narrative prints them, e.g. cy-GB")
    variables.set_defaults(run=cmd_variables)

    serve = commands.add_parser("serve", help="live preview of a plan year, updated on every save")
    serve.add_argument("year", nargs="?", help="plan year (default: the latest)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=port_number, default=8000)
    serve.add_argument("--language", metavar="LANGUAGE",
                       help="preview a bilingual plan in another of its languages, e.g. cy-GB (default: its primary)")
    serve.set_defaults(run=cmd_serve)

    new = commands.add_parser("new", help="start a plan year from the latest one (e.g. yjplan new 2026-27)")
    new.add_argument("year", help="the new plan year, e.g. 2026-27")
    new.set_defaults(run=cmd_new, unchanged="content/ is as it was")

    word = commands.add_parser("import-docx", help="start a plan year from a Word plan (.docx), as a draft")
    word.add_argument("file", type=Path, help="the Word plan (.docx)")
    word.add_argument("year", help="the plan year the Word plan covers, e.g. 2025-26")
    word.add_argument("--into", metavar="YEAR", default=None,
                      help="the new year folder to write, when content/YEAR already exists")
    word.add_argument("--guidance", default=None,
                      help="the guidance edition to match headings to (default: the latest plan year's)")
    word.add_argument("--welsh", type=Path, default=None, metavar="FILE.docx",
                      help="the same plan in Welsh: its sections become the narrative's Welsh files (<name>.cy.md), "
                           "making the draft a plan in English and Welsh")
    word.set_defaults(run=cmd_import_docx, unchanged="content/ is as it was")

    imports = commands.add_parser("import", help="import a YJB/MoJ local-level open data table (ODS) into data/local.csv")
    imports.add_argument("file", type=Path, help="the downloaded .ods file")
    imports.add_argument("--yjs", required=True, help="the service's name as the file spells it")
    imports.add_argument("--published", required=True, type=date.fromisoformat,
                         help="the date the table was published (YYYY-MM-DD); plans pin figures by it")
    imports.set_defaults(run=cmd_import, unchanged="data/local.csv is as it was")

    pack = commands.add_parser("pack", help="write a year's appendix pack (PDF) for a committee agenda")
    pack.add_argument("year", help="plan year, e.g. 2025-26")
    pack.add_argument("--first-page", type=_page_number, default=1, help="number of the pack's first page (continues the agenda)")
    pack.add_argument("--agenda-pages", type=_page_number, default=None,
                      help='page count of the whole agenda, if known: the footer then reads "Page 83 of 130"')
    pack.add_argument("--item", default="", help='agenda item label, e.g. "8"')
    pack.add_argument("--meeting", default="", help='meeting name and date, e.g. "Overview and Scrutiny Committee, 19 September 2025"')
    pack.add_argument("--include", action="append", default=[], metavar="SECTIONS",
                      help="chapters to add to the appendices, by heading id or block name, e.g. "
                           "inspection,risks ('--include list' lists them)")
    pack.add_argument("-o", "--output", type=Path, default=None, help="PDF to write (default: the pack's name, in the current folder)")
    pack.add_argument("--language", default=None, metavar="TAG",
                      help="a bilingual plan's pack in another of its languages, e.g. cy-GB (default: its primary)")
    pack.set_defaults(run=cmd_pack, unchanged="no pack was written")

    cover = commands.add_parser("report", help="write the committee cover report on a year's plan (Word and PDF)")
    cover.add_argument("year", help="plan year, e.g. 2025-26")
    cover.add_argument("--committee", required=True, help='the committee, e.g. "Cabinet"')
    cover.add_argument("--date", required=True, type=_meeting_date, help="the meeting's date (YYYY-MM-DD)")
    cover.add_argument("--item", default="", help='agenda item label, e.g. "8"')
    cover.add_argument("-o", "--output", type=Path, default=None,
                       help="Word file to write, the PDF beside it (default: the report's name, in the current folder)")
    cover.add_argument("--language", default=None, metavar="TAG",
                       help="a bilingual plan's report in another of its languages, e.g. cy-GB (its blocks are "
                            "templates/report/cy/; default: the plan's primary language)")
    cover.set_defaults(run=cmd_report, unchanged="no report was written")
    for command in commands.choices.values():     # --root after the command works too
        command.add_argument("--root", type=Path, default=argparse.SUPPRESS, help=ROOT_HELP)
    return top


ROOT_HELP = ("project folder, the one holding mkdocs.yml and content/ (default: found from the current folder "
             "or the folders above it)")


def _commands(top: argparse.ArgumentParser) -> dict:
    """The subcommands, by name."""
    return next(a.choices for a in top._actions if isinstance(a, argparse._SubParsersAction))


class _Terminated(KeyboardInterrupt):
    """SIGTERM (e.g. a cancelled CI job) stops a command the way Ctrl-C does: cleanly."""


def _stop_on_sigterm(signum, frame) -> None:
    raise interrupt.noted(_Terminated())


def _stop_on_sigint(signum, frame) -> None:
    raise interrupt.noted(KeyboardInterrupt())


def _run_writing(args) -> int:
    """Run a command that writes (build, pack, new, import): whatever goes wrong, or stops it,
    ends in one plain message, never a traceback. Each of these commands replaces what it
    writes only when finished, so `args.unchanged` says what is as it was."""
    interrupt.forget()
    previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
    previous_int = signal.signal(signal.SIGINT, _stop_on_sigint)
    try:
        return args.run(args)
    except KeyboardInterrupt as stop:
        print(f"\nstopped; {args.unchanged}.", file=sys.stderr)
        return 128 + (signal.SIGTERM if isinstance(stop, _Terminated) else signal.SIGINT)
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        if exc.errno == errno.ENOSPC:
            print(f"error: the disk is full: could not write{where}; {args.unchanged}.\n"
                  "    fix: free some space on the disk, then run the command again", file=sys.stderr)
        elif isinstance(exc, PermissionError):
            print(f"error: permission denied:{where or ' a file or folder'}; {args.unchanged}.\n"
                  "    fix: give your user permission there, or choose another folder", file=sys.stderr)
        else:
            print(f"error: {exc.strerror or exc}:{where}; {args.unchanged}.", file=sys.stderr)
        return 1
    finally:
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, previous_int)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    top = parser()
    try:
        check_command(argv, list(_commands(top)))
        args = top.parse_args(argv)
        args.root = find_project(args.root or Path.cwd(), given=args.root is not None)
    except CommandLineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if getattr(args, "unchanged", None):
        return _run_writing(args)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
