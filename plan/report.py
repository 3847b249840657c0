"""`yjplan report`: the cover report that asks a committee to approve or note the plan.

An editable Word draft and a PDF (PDF/UA-1) of one HTML document, so the two say the same.
Every figure comes from the plan's derived data (derive.py), through the same filters the
plan's own tables use, so the report and the plan cannot disagree. The report's sections, their
titles and order, are data: templates/report/committee-report.yml and its Markdown blocks,
which a council overrides with its own in content/report/ (read first).
"""
from __future__ import annotations

import datetime as dt
import html as html_module
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
import yaml
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from .problems import Finding, PlanError

TEMPLATE = "committee-report.yml"
CHROME = ("report.html", "report.css")     # the report's frame, shared by every language (its words catalogued)
OVERRIDE = Path("content") / "report"      # a council's own report template, read first
DEFAULT = Path("templates") / "report"
TOP_RISKS = 5                              # at most this many of the highest band


@dataclass(frozen=True)
class ReportOptions:
    committee: str                 # e.g. "Cabinet", "Children's Services Scrutiny Committee"
    date: dt.date                  # the meeting's date
    item: str = ""                 # agenda item, e.g. "8"


def folders(root: Path, key: str = "") -> list[Path]:
    """Where the report's template is read from, the council's own first; `key`: a language
    other than the plan's primary one, whose template is a folder of its own (report/cy/)."""
    return [p for p in (root / OVERRIDE / key, root / DEFAULT / key) if p.is_dir()]


def report_template(root: Path, key: str = "") -> tuple[dict, str]:
    """The report's title and sections (committee-report.yml), and the file they came from;
    PlanError naming the file if it cannot be used."""
    path = next((f / TEMPLATE for f in folders(root, key) if (f / TEMPLATE).is_file()), None)
    if path is None:
        raise PlanError([Finding("report.template", f"no report template: neither {OVERRIDE / key / TEMPLATE} nor "
                                 f"{DEFAULT / key / TEMPLATE} exists", fix=f"restore {DEFAULT / key / TEMPLATE}",
                                 file=str(DEFAULT / key / TEMPLATE))])
    shown = str(path.relative_to(root))
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise PlanError([Finding("report.template", f"{shown} cannot be read as YAML ({error})".replace("\n", " "),
                                 fix="correct the file's YAML", file=shown)]) from None
    sections = data.get("sections") if isinstance(data, dict) else None
    bad = [i for i, s in enumerate(sections or []) if not (isinstance(s, dict) and s.get("title") and s.get("block"))]
    if not sections or bad:
        raise PlanError([Finding("report.template", f"{shown} must list `sections`, each with a title and a "
                                 "block (a Markdown file beside it)" + (f": entry {bad[0] + 1} has not" if bad else ""),
                                 fix="e.g. sections: [{title: Summary, block: summary.md}]", file=shown,
                                 field="sections")])
    return {"title": str(data.get("title") or "{{ meta.service }}: youth justice plan {{ year }}"),
            "sections": sections}, shown


def environment(root: Path, language: str | None = None, key: str = "") -> jinja2.Environment:
    """The report's blocks: sandboxed (content/report/ is the council's), HTML-escaped, with the
    plan's own formatting filters, so a figure reads as it does in the plan; in `language`
    (a value that is a catalogue message, a date, the frame's `_()` words). A language's own
    folder (`key`) holds its blocks; the frame (CHROME) is the shared one."""
    from . import i18n
    from .derive import signed_money
    from .render import finalize_for, template_env

    loader = jinja2.FileSystemLoader([str(f) for f in folders(root, key)] + ([str(root / DEFAULT)] if key else []))
    env = SandboxedEnvironment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                               lstrip_blocks=True, finalize=finalize_for(language), extensions=["jinja2.ext.i18n"])
    env.filters.update(template_env(root, language).filters, signed_money=signed_money)
    i18n.install(env, language)
    return env


def report_context(project, rendered, options: ReportOptions) -> dict:
    """Everything a report block may quote: the plan, its derived figures (`d`), the variables
    narrative quotes (`v`), the dated labels, and what the report sections pick from them."""
    from .compliance import submission_due
    from .derive import previous_year
    from .pdf import pack_file_name, PackOptions

    plan, derived = rendered.plan, rendered.derived
    meta = plan.meta
    legal = [r for r in derived.checklist if r.rule.startswith(("s40.", "s39."))]
    rows = plan.risks.rows
    top = [r for r in rows if r.rank == rows[0].rank][:TOP_RISKS] if rows else []
    over, hidden = [], False
    if derived.demographics:
        for group, cell, share, population in derived.demographics.rows:
            if share is None:
                hidden = hidden or cell.hidden
            elif share > population:
                over.append({"group": group, "share": f"{share:.1f}%", "population": f"{population:.1f}%"})
    headlines = []
    for key, indicator in derived.indicators.items():
        words = derived.variables.get(key.replace("-", "_"), {})
        headlines.append({"title": indicator.definition.title, "unit": indicator.definition.unit,
                          "period": words.get("period", ""), "rate": words.get("rate", ""),
                          "national_rate": words.get("national_rate", ""), "change": words.get("change", "")})
    try:
        due = submission_due(plan)
    except Exception:       # noqa: BLE001: a plan without a due date simply does not say one
        due = None
    return {
        "plan": plan, "meta": meta, "d": derived, "v": derived.variables, "labels": derived.labels,
        "year": plan.year, "previous_year": previous_year(plan.year), "guidance": plan.guidance,
        "committee": options.committee, "date": options.date, "item": options.item,
        "decision": "note" if meta.status.value == "council approved" else "approve",
        "legal": legal, "legal_unmet": [r for r in legal if not r.met],
        "top_risks": top, "over_represented": over, "hidden_groups": hidden, "headlines": headlines,
        "appendices": [p.title for p in rendered.pages if p.kind == "appendix"],
        "pdf_name": rendered.pdf_name, "pack_name": pack_file_name(rendered, PackOptions(item=options.item)),
        "submission_due": due, "national": _national_name(project, meta),
    }


def _national_name(project, meta) -> str:
    """The national comparator's name (England, Wales) as data/areas.csv gives it."""
    areas = getattr(project, "areas", None)
    if areas is None or not meta.comparators.national:
        return "England"
    found = areas[areas["area"] == meta.comparators.national]
    return str(found["name"].iloc[0]) if len(found) else "England"


def report_html(project, rendered, options: ReportOptions, pdf_date: str) -> tuple[str, str]:
    """(the report as one HTML document, its title), in the language `rendered` is in."""
    import markdown

    from . import sanitize
    from .render import markdown_extensions

    root = project.root
    language, key = language_of(rendered)
    template, shown = report_template(root, key)
    env = environment(root, language, key)
    context = report_context(project, rendered, options)
    names, configs = markdown_extensions(root)
    converter = markdown.Markdown(extensions=names, extension_configs=configs)
    sections, problems = [], []
    for section in template["sections"]:
        if key and not any((folder / str(section["block"])).is_file() for folder in folders(root, key)):
            problems.append(Finding("report.template", f"{shown} names the block '{section['block']}', which is "
                                    f"in neither {OVERRIDE / key}/ nor {DEFAULT / key}/: the report would mix "
                                    "languages", fix=f"write the block in {DEFAULT / key}/ (or {OVERRIDE / key}/)",
                                    file=shown, field="sections"))
            continue
        try:
            text = env.get_template(str(section["block"])).render(**context)
            title = Markup(env.from_string(str(section["title"])).render(**context))
        except jinja2.TemplateNotFound as missing:
            problems.append(Finding("report.template", f"{shown} names the block '{missing.name}', which is in "
                                    f"neither {OVERRIDE}/ nor {DEFAULT}/", fix="add the file, or correct its name",
                                    file=shown, field="sections"))
            continue
        except jinja2.TemplateError as error:
            problems.append(Finding("report.template", f"the report block '{section['block']}' cannot be used: "
                                    f"{error}", fix="correct the block: it may quote only the report's context "
                                    "(plan/report.py, report_context)", file=shown, field="sections"))
            continue
        html = sanitize.clean_page(converter.reset().convert(text), lambda src: None)
        sections.append({"title": title, "html": html})
    if problems:
        raise PlanError(problems)
    title = Markup(env.from_string(template["title"]).render(**context))
    css = (root / DEFAULT / "report.css").read_text(encoding="utf-8")
    page = env.get_template("report.html").render(**context, sections=sections, title=title, css=css,
                                                   pdf_date=pdf_date)
    return page, html_module.unescape(str(title))


def language_of(rendered) -> tuple[str, str]:
    """The report's language and its template folder's key: '' for the plan's primary language
    (templates/report/), 'cy' for Welsh in a plan whose primary language is English."""
    from .bilingual import key_of
    meta = rendered.plan.meta
    primary = meta.languages[0] if meta.languages else meta.language
    return meta.language, ("" if meta.language == primary else key_of(meta.language))


def report_names(rendered, options: ReportOptions) -> str:
    """The report's file name without suffix: castlebridge-youth-justice-plan-2025-26-report-cabinet-2025-07-15."""
    committee = re.sub(r"[^a-z0-9]+", "-", options.committee.lower()).strip("-")
    return f"{rendered.pdf_name.removesuffix('.pdf')}-report-{committee}-{options.date.isoformat()}"


def check_docx_file(root: Path, target: Path) -> Path:
    """The Word file `report -o` would write, or PlanError if that could destroy a user's file
    (the PDF beside it is checked as `pack -o` checks its PDF)."""
    from .outputs import check_pack_file

    check_pack_file(root, target.with_suffix(".pdf"))
    target = target.resolve()
    if target.is_dir():
        raise PlanError([Finding("output.report-is-folder", f"{target} is a folder",
                                 fix="give the name of the Word file to write", field="-o")])
    if target.exists():
        with target.open("rb") as existing:
            if existing.read(4) != b"PK\x03\x04":
                raise PlanError([Finding("output.report-not-docx", f"{target} is an existing file that is not a "
                                         "Word document: writing the report would replace it",
                                         fix="choose another file name, or move that file away first", field="-o")])
    return target


def report(root: Path, year: str, options: ReportOptions, target: Path | None = None,
           language: str | None = None) -> tuple[Path, Path]:
    """Check one plan year, then write its committee cover report as Word (`target`, default:
    the report's name in the current folder) and PDF (beside it), in `language` for a plan in
    Welsh and English (default: its primary). Stops, like `pack`, on an error in a plan that is
    not a draft, and on a privacy error in any plan."""
    from . import i18n
    from .build import blocking, in_language
    from .gate import gate
    from .load import load_project
    from .pdf import identifier, pdf_date, readable, write_pdf
    from .word import html_to_docx, _word_language

    if target is not None:
        target = check_docx_file(root, target.with_suffix(".docx"))
    project = load_project(root, [year])
    report_template(root)               # a broken report template stops it before the checks
    checked = gate(project)
    if stopping := blocking(project, checked.findings):
        raise PlanError(stopping)
    rendered = in_language(checked, project.years[0], language)
    report_template(root, language_of(rendered)[1])
    docx = check_docx_file(root, target or Path.cwd() / f"{report_names(rendered, options)}.docx")
    pdf = docx.with_suffix(".pdf")
    when = pdf_date(rendered)
    html, title = report_html(project, rendered, options, when.strftime("%Y-%m-%dT%H:%M:%SZ"))
    meta = rendered.plan.meta
    partial = pdf.with_name(f".{pdf.name}.partial")
    try:
        write_pdf(html, root / DEFAULT, partial,
                  identifier(meta.service, rendered.plan.year, "report", options.committee, options.date.isoformat(),
                             options.item, meta.status.value), readable(project, rendered))
        said = lambda message, **values: i18n.gettext(message, meta.language) % values   # noqa: E731
        html_to_docx(html, docx, title=said("%(title)s: report to the %(committee)s", title=title,
                                            committee=options.committee), author=meta.authority_name,
                     date=when, primary=project.site.colours.primary if project.site else "#005a70",
                     language=_word_language(meta.language),
                     subject=said("Report to the %(committee)s, %(date)s", committee=options.committee,
                                  date=options.date.isoformat()),
                     keywords=f"{said('youth justice plan')}, {said('committee report')}, {rendered.plan.year}")
        partial.replace(pdf)
    finally:
        partial.unlink(missing_ok=True)
    return docx, pdf
