"""Local tables a plan declares itself (issue 14): the counts real annual reports publish beside
the national indicators (disposals by tier, offences by type, custody caseload, ETE status,
targets against actual, triage starts and completions by sex ...).

A table is declared in `content/tables.yml` (every year) or `content/<year>/tables.yml` (that
year; an entry overrides the project's entry of the same id). An entry may pick a table from
the library of common tables, `plan/rules/local-measures.yml`, with `from: <id>`: its title,
unit and categories come from the library, and its counts from data/local.csv unless
data/tables/<id>.csv exists. Counts of any other table are in data/tables/<id>.csv, whose
Table Schema follows from the declaration (`schema()`): period, one column per dimension,
count, and an optional area column.

yjplan works out every other figure (`derive_tables`): totals only over additive dimensions,
shares with their base named, changes from the earlier period to the later (base = earlier),
changes in a share in percentage points, rates per N of the population; counts of children go
through derive.protect (primary and secondary suppression). Each figure is a narrative variable
`{{ tables.<id>.<category>[.<category>].<figure>}}` (`variables()`), and each table is
rendered by templates/blocks/local_table.md under the heading or appendix its entry names.
"""
from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from . import i18n, rules
from .i18n import Worded
from .problems import Finding, Severity
from .unknown import NOT_RECORDED
from .yamlfile import read_yaml

TABLES_FILE = "tables.yml"
TOTAL_WORDS = re.compile(r"^\s*(?:total|totals|all|overall|grand total|sum|all children|all categories)\b", re.I)
NOT_RECORDED_WORDS = "not recorded"


# --- the declaration ------------------------------------------------------------------------

class Dimension(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    categories: list[str] = Field(min_length=1)
    additive: bool = True         # do the categories add up to a meaningful total?
    overlaps: bool = False        # a child can be in more than one category: never additive


class Rate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    per: int = Field(gt=0)                     # per 1,000, per 10,000, per 100,000
    population: str = "all"                    # a category of data/population.csv, or all of them
    label: str = "children aged 10 to 17"


class TableDecl(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    id: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    library: str | None = Field(None, alias="from")
    title: str | None = None
    unit: str | None = None
    dimensions: list[Dimension] | None = Field(None, min_length=1, max_length=2)
    periods: list[str] | None = None
    heading: str | None = None
    appendix: str | None = None
    area: str | None = None
    chart: Literal["bar"] | None = None
    rate: Rate | None = None
    suppress: bool | None = None   # default: counts of children are suppressed
    note: str | None = None

    @model_validator(mode="after")
    def _placed_once(self):
        if self.heading and self.appendix:
            raise ValueError("give either heading: or appendix:, not both")
        return self


class TablesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    tables: list[TableDecl] = []


@dataclass
class Table:
    """A declaration with the library filled in, and where it came from (for messages)."""
    id: str
    title: str
    unit: str
    dimensions: list[Dimension]
    periods: list[str] | None
    heading: str | None
    appendix: str | None
    area: str | None
    chart: str | None
    rate: Rate | None
    suppress: bool
    note: str | None
    file: str
    line: int | None
    data_file: str
    counts: dict = field(default_factory=dict)      # (cat1, cat2|None, period) -> int | NOT_RECORDED
    period_order: list[str] = field(default_factory=list)
    library: str | None = None                      # the library table it was picked from
    area_counts: dict = field(default_factory=dict)  # a joint service's authority code -> its counts (#15)


def slug(text: str) -> str:
    """A category's name in a variable: 'Youth caution' -> youth_caution."""
    word = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    return ("c_" + word) if word[:1].isdigit() or not word else word


def _library_dimension(measure: rules.LocalMeasure) -> Dimension:
    return Dimension(id=slug(measure.category_label), label=measure.category_label,
                     categories=measure.categories, additive=measure.additive)


def _resolve(decl: TableDecl, shown: str, line: int | None) -> tuple[Table | None, list[Finding]]:
    library = rules.local_measures().by_id()
    base = None
    if decl.library is not None:
        base = library.get(decl.library)
        if base is None:
            close = difflib.get_close_matches(decl.library, list(library), n=1)
            return None, [Finding("tables.unknown-library", f"'{decl.library}' is not a table in yjplan's library",
                                  fix=(f"did you mean '{close[0]}'? " if close else "") +
                                  f"use one of: {', '.join(library)} (plan/rules/local-measures.yml)",
                                  file=shown, line=line, field="from")]
    title = decl.title or (base.title if base else None)
    unit = decl.unit or (base.unit if base else None)
    dims = decl.dimensions or ([_library_dimension(base)] if base else None)
    missing = [name for name, value in (("title", title), ("unit", unit), ("dimensions", dims)) if not value]
    if missing:
        return None, [Finding("tables.incomplete", f"the table '{decl.id}' has no {' or '.join(missing)}",
                              fix="give them, or pick a table from the library with from: (content/README.md)",
                              file=shown, line=line, field=missing[0])]
    default_data = f"data/tables/{decl.id}.csv"
    return Table(decl.id, title, unit, dims, decl.periods, decl.heading, decl.appendix, decl.area, decl.chart,
                 decl.rate, True if decl.suppress is None else decl.suppress, decl.note, shown, line,
                 default_data if base is None else (default_data + "|data/local.csv:" + base.id),
                 library=decl.library), []


def _overlapping(table: Table) -> list[Finding]:
    """An additive dimension whose categories overlap: declared `overlaps: true`, or holding a
    category named like a total ('Total', 'All'), which the other categories are part of."""
    findings = []
    for dim in table.dimensions:
        named = [c for c in dim.categories if TOTAL_WORDS.match(c)]
        if dim.additive and (dim.overlaps or named):
            why = (f"its category '{named[0]}' is a total of the others" if named else
                   "it is declared overlaps: true (a child can be counted in more than one category)")
            findings.append(Finding("tables.overlapping-categories",
                                    f"the dimension '{dim.id}' of table '{table.id}' is declared additive, but {why}",
                                    fix="remove the total category (yjplan adds the total) or, if its categories "
                                        "count different things, write additive: false",
                                    file=table.file, line=table.line, field=f"dimensions.{dim.id}.additive"))
        repeated = {c for c in dim.categories if dim.categories.count(c) > 1}
        if repeated:
            findings.append(Finding("tables.repeated-category", f"the dimension '{dim.id}' of table '{table.id}' "
                                    f"lists '{sorted(repeated)[0]}' twice", fix="list each category once",
                                    file=table.file, line=table.line, field=f"dimensions.{dim.id}.categories"))
    return findings


def _read_declarations(path: Path, shown: str) -> tuple[list[tuple[TableDecl, int | None]], list[Finding]]:
    from .load import validate
    if not path.exists():
        return [], []
    data, lines, findings = read_yaml(path, shown)
    if findings:
        return [], findings
    parsed, findings = validate(TablesFile, data, lines, shown)
    if parsed is None:
        return [], findings
    return [(decl, lines.line_of(("tables", i))) for i, decl in enumerate(parsed.tables)], []


def declared(root: Path, year: str) -> tuple[list[Table], list[Finding]]:
    """The tables a plan year shows: the project's, with the year's overriding by id."""
    entries: dict[str, tuple[TableDecl, str, int | None]] = {}
    findings: list[Finding] = []
    for path, shown in ((root / "content" / TABLES_FILE, f"content/{TABLES_FILE}"),
                        (root / "content" / year / TABLES_FILE, f"content/{year}/{TABLES_FILE}")):
        decls, problems = _read_declarations(path, shown)
        findings += problems
        seen = set()
        for decl, line in decls:
            if decl.id in seen:
                findings.append(Finding("tables.repeated-id", f"the table '{decl.id}' is declared twice in this file",
                                        fix="give each table its own id", file=shown, line=line, field="id"))
            seen.add(decl.id)
            entries[decl.id] = (decl, shown, line)
    tables = []
    for decl, shown, line in entries.values():
        table, problems = _resolve(decl, shown, line)
        findings += problems
        if table:
            findings += _overlapping(table)
            tables.append(table)
    return tables, findings


def schema(table: Table) -> dict:
    """The Table Schema of data/tables/<id>.csv, from the declaration."""
    fields = [{"name": "period", "type": "string", "constraints": {"required": True,
                                                                  "enum": table.periods or []}}]
    fields += [{"name": d.id, "type": "string", "title": d.label, "constraints": {"required": True, "enum": d.categories}}
               for d in table.dimensions]
    fields += [{"name": "count", "type": "string", "description": "a whole number of 0 or more, or 'not recorded'",
                "constraints": {"required": True, "pattern": r"\d+|not recorded"}},
               {"name": "area", "type": "string", "description": "optional: the area; empty or absent, the service"}]
    return {"fields": fields, "primaryKey": ["period"] + [d.id for d in table.dimensions] + ["area"]}


# --- the counts -------------------------------------------------------------------------------

def _cell_finding(rule: str, message: str, fix: str, shown: str, row: int, column: str) -> Finding:
    return Finding(rule, message, fix=fix, file=shown, line=row, field=column)


def _hint(value: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'? " if close else ""


def _area_finding(area: str, shown: str, row: int, allowed: list[str], areas: set[str]) -> Finding:
    """An area code a plan year cannot show: not in data/areas.csv, or not the service's or one
    of its authorities'. The message names the codes that exist."""
    known = f"'{area}' is in data/areas.csv but is not " if area in areas else f"'{area}' is not an area listed in data/areas.csv, nor "
    return _cell_finding("data.table-area", known + "the service's code or one of its authorities'",
                         f"{_hint(area, allowed)}use one of: {', '.join(allowed)} (leave it empty for the "
                         f"service; the codes in data/areas.csv are: {', '.join(sorted(areas)) or 'none'})",
                         shown, row, "area")


def _sum_authorities(table: Table, codes: list[str]) -> None:
    """The service's count where it gives none and every authority gives one: their sum (a count
    not recorded by one makes the sum not recorded). Counts only: rates are never added."""
    if not table.area_counts:
        return
    keys = {k for counts in table.area_counts.values() for k in counts}
    for key in keys - set(table.counts):
        parts = [table.area_counts.get(code, {}).get(key) for code in codes]
        if any(p is None for p in parts):
            continue
        table.counts[key] = NOT_RECORDED if any(p is NOT_RECORDED for p in parts) else sum(parts)


def _read_table_csv(root: Path, table: Table, service: str, areas: set[str],
                    authorities: list[str] = ()) -> list[Finding]:
    shown = f"data/tables/{table.id}.csv"
    path = root / shown
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.reader(io.StringIO(text))
    header = next(reader, [])
    wanted = ["period"] + [d.id for d in table.dimensions] + ["count"]
    allowed = wanted + ["area"]
    findings = [Finding("data.table-columns", f"the heading row has no column '{c}'", file=shown, line=1, field=c,
                        fix=f"make the heading row '{','.join(wanted)}' (an 'area' column may follow)")
                for c in wanted if c not in header]
    findings += [Finding("data.table-columns", f"the heading row has a column '{c}' the table '{table.id}' "
                         "does not declare", file=shown, line=1, field=c,
                         fix=f"{_hint(c, allowed)}make the heading row '{','.join(wanted)}' "
                             f"(the columns are the dimensions declared in {table.file})")
                 for c in header if c not in allowed]
    if findings:
        return findings
    at = {c: header.index(c) for c in header}
    periods = table.periods
    for number, values in enumerate(reader, 2):
        if not any(v.strip() for v in values):
            continue
        values = values + [""] * (len(header) - len(values))
        get = {c: values[i].strip() for c, i in at.items()}
        own = table.area or service
        area = get.get("area") or own
        if area != own and area not in authorities:
            findings.append(_area_finding(area, shown, number, [own, *authorities], areas))
            continue
        target = table.counts if area == own else table.area_counts.setdefault(area, {})
        bad = False
        if periods is not None and get["period"] not in periods:
            findings.append(_cell_finding("data.table-period", f"the period '{get['period']}' is not one of the "
                                          f"periods declared for the table '{table.id}'",
                                          f"{_hint(get['period'], periods)}use one of: {', '.join(periods)}, or "
                                          f"add it to the table's periods: in {table.file}", shown, number, "period"))
            bad = True
        cats = []
        for dim in table.dimensions:
            value = get[dim.id]
            if TOTAL_WORDS.match(value) and value not in dim.categories:
                findings.append(_cell_finding("data.table-total-row", f"'{value}' is a total typed into the data",
                                              "remove the row: yjplan works out totals itself (and only where "
                                              "the categories add up)", shown, number, dim.id))
                bad = True
            elif value not in dim.categories:
                findings.append(_cell_finding("data.table-category", f"'{value}' is not a category of "
                                              f"'{dim.id}' declared for the table '{table.id}'",
                                              f"{_hint(value, dim.categories)}use one of: "
                                              f"{'; '.join(dim.categories)}", shown, number, dim.id))
                bad = True
            cats.append(value)
        count = get["count"]
        if count.lower() == NOT_RECORDED_WORDS:
            parsed = NOT_RECORDED
        elif re.fullmatch(r"\d+", count):
            parsed = int(count)
        else:
            findings.append(_cell_finding("data.table-count", f"the count '{count}' is not a whole number of 0 or more",
                                          "write a whole number without commas or decimals, or 'not recorded'",
                                          shown, number, "count"))
            bad = True
        if bad:
            continue
        key = (cats[0], cats[1] if len(cats) > 1 else None, get["period"])
        if key in target:
            findings.append(_cell_finding("data.table-repeat", "this row repeats a count already given for the "
                                          "same period, categories and area", "keep one row for each", shown,
                                          number, "count"))
        target[key] = parsed
        if get["period"] not in table.period_order:
            table.period_order.append(get["period"])
    if periods is None:
        table.periods = table.period_order
    return findings


def _latest_by_measure(rows, figures_date) -> dict[str, list[tuple]]:
    """measure -> [(period_end, period, category, count)] in period order: the latest revision of
    each count published by the figures date. Worked out once a plan year, for all its tables."""
    if figures_date is not None:             # what was out by the figures date
        rows = rows[rows["published"] <= figures_date]
    rows = rows.sort_values("published", kind="stable")
    latest: dict[str, dict] = {}
    for measure, category, period, end, count in zip(rows["measure"], rows["category"], rows["period"],
                                                     rows["period_end"], rows["count"]):
        latest.setdefault(measure, {})[(category, period)] = (end, int(count))   # a later revision wins
    return {m: sorted((end, period, category, count) for (category, period), (end, count) in counts.items())
            for m, counts in latest.items()}


def _library_rows(local, plan) -> dict:
    """data/local.csv for one plan year: the service's rows (its own, or its authorities' summed,
    joint.service_local) and each authority's, by measure."""
    from .joint import service_local
    if local is None:
        return {}
    found = {None: _latest_by_measure(service_local(local, plan), plan.meta.figures_date)}
    for code in _authority_codes(plan):
        found[code] = _latest_by_measure(local[local["area"] == code], plan.meta.figures_date)
    return found


def _read_library_rows(table: Table, library_rows: dict) -> None:
    """A library table without its own CSV: its rows of data/local.csv (already checked there),
    latest revision, the last three periods unless the declaration names them; a joint service's
    authorities' rows beside the service's."""
    library_id = table.data_file.rsplit(":", 1)[1]
    table.data_file = "data/local.csv"
    for area, measures in library_rows.items():
        rows = measures.get(library_id, [])
        if area is not None and not rows:
            continue                # this authority gave no counts for the measure
        counts = table.counts if area is None else table.area_counts.setdefault(area, {})
        for _, period, category, count in rows:
            counts[(category, None, period)] = count
        if area is None:
            order = list(dict.fromkeys(period for _, period, _, _ in measures.get(library_id, [])))
            table.periods = table.periods or order[-3:]


def _authority_codes(plan) -> list[str]:
    """A joint service's authorities' area codes (none for a single authority: its code is the service's)."""
    entries = plan.meta.authority_entries
    return [a.area for a in entries if a.area and a.area != plan.meta.comparators.service] if len(entries) > 1 else []


def local_areas(local, areas, plans: list) -> list[Finding]:
    """An area code in data/local.csv's area column that no plan year can show: an error naming
    the row and the codes that exist (a typo would otherwise drop the row silently)."""
    if local is None or "area" not in local.columns or not plans:
        return []
    allowed = sorted({code for plan in plans for code in [plan.meta.comparators.service, *_authority_codes(plan)]})
    known = set(areas.area) if areas is not None else set()
    return [_area_finding(r.area, "data/local.csv", int(r.row), allowed, known)
            for r in local.itertuples() if isinstance(r.area, str) and r.area and r.area not in allowed]


def _none_published(table: Table, plan) -> Finding:
    """A library table read from data/local.csv, which dates every row: a year whose figures
    date comes before any of its counts (an older plan) leaves the table out, with a warning."""
    return Finding("data.table-none-yet", f"data/local.csv has no counts for '{table.id}' published by the "
                   f"{plan.year} plan's figures date ({plan.meta.figures_date.isoformat()}): the table is left out "
                   "of this year", fix="add the counts with their publication date, or leave the table out of "
                   f"content/{plan.year}/tables.yml", file=table.file, line=table.line, field="id",
                   severity=Severity.WARNING)


def _missing_counts(table: Table) -> list[Finding]:
    """Every declared category and period needs a count (or 'not recorded'): a gap would make
    a total look complete."""
    dims = table.dimensions
    second = dims[1].categories if len(dims) > 1 else [None]
    missing = [(a, b, p) for p in table.periods or [] for a in dims[0].categories for b in second
               if (a, b, p) not in table.counts]
    if not missing or not table.counts:
        return [] if table.counts else [Finding(
            "data.table-missing", f"there are no counts for the table '{table.id}'",
            fix=f"add them to {table.data_file.split('|')[0]} (content/README.md shows the columns)",
            file=table.file, line=table.line, field="id")]
    a, b, p = missing[0]
    what = f"'{a}'" + (f" and '{b}'" if b else "")
    more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
    return [Finding("data.table-missing", f"the table '{table.id}' has no count for {what} in {p}{more}",
                    fix="add a row for it, writing 'not recorded' as its count if the figure is not known",
                    file=table.data_file.split("|")[0], field="count")]


def load_tables(root: Path, years: list, areas, local) -> tuple[dict[str, list[Table]], list[Finding]]:
    """Each plan year's tables with their counts read; every problem found."""
    result, findings = {}, []
    known_areas = set(areas.area) if areas is not None else set()
    for plan in years:
        if plan.meta is None:
            continue
        tables, problems = declared(root, plan.year)
        codes = _authority_codes(plan)
        library_rows = None        # data/local.csv's rows, worked out once a year
        findings += problems
        headings = {h.id for h in plan.guidance.headings}
        appendices = {a.id for a in plan.guidance.appendices}
        shown = []
        for table in tables:
            findings += _placement(table, headings, appendices, tables_place(plan.guidance))
            own = root / f"data/tables/{table.id}.csv"
            if own.exists():
                table.data_file = f"data/tables/{table.id}.csv"
                findings += _read_table_csv(root, table, plan.meta.comparators.service, known_areas, codes)
                _sum_authorities(table, codes)
            elif "|" in table.data_file:
                if library_rows is None:
                    library_rows = _library_rows(local, plan)
                _read_library_rows(table, library_rows)
                if not table.counts:          # dated open data: nothing published yet for this year
                    findings.append(_none_published(table, plan))
                    continue
            findings += _missing_counts(table)
            shown.append(table)
        result[plan.year] = shown
    findings += local_areas(local, areas, [p for p in years if p.meta is not None])
    findings += unpicked_measures(local, result)
    return result, list(dict.fromkeys(findings))


def unpicked_measures(local, tables: dict[str, list[Table]]) -> list[Finding]:
    """A measure of data/local.csv that no year's tables.yml picks is shown nowhere: a warning,
    since nothing is read and silently dropped (there is no other path that shows it)."""
    if local is None or local.empty or not tables:
        return []
    picked = {t.library for year in tables.values() for t in year if t.library}
    return [Finding("data.local-unshown", f"the measure '{measure}' in data/local.csv is shown by no plan year: "
                    "no entry of tables.yml picks it", severity=Severity.WARNING, file="data/local.csv",
                    line=int(rows["row"].min()), field="measure",
                    fix=f"add '- {{id: {measure}, from: {measure}, heading: performance}}' to content/tables.yml "
                        "to show it, or delete its rows")
            for measure, rows in local.groupby("measure", sort=False) if measure not in picked]


def tables_place(guidance) -> tuple[str, str] | None:
    """("heading" or "appendix", id): where the guidance edition places local tables
    (`local_tables` in its blocks; yjb-2017 places them in its annual report appendix)."""
    return next(((kind, h.id) for kind, items in (("heading", guidance.headings), ("appendix", guidance.appendices))
                 for h in items if "local_tables" in h.blocks), None)


def _placement(table: Table, headings: set[str], appendices: set[str],
               default: tuple[str, str] | None = None) -> list[Finding]:
    if table.heading is None and table.appendix is None and default:
        setattr(table, *default)    # where the edition places local tables: one tables.yml fits every edition
    if table.heading is None and table.appendix is None:
        return [Finding("tables.not-placed", f"the table '{table.id}' names no heading or appendix to show it",
                        fix=f"add heading: (one of {', '.join(sorted(headings))}) or appendix: "
                            f"(one of {', '.join(sorted(appendices))})", file=table.file, line=table.line,
                        field="heading")]
    where, choices, name = ((table.heading, headings, "heading") if table.heading
                            else (table.appendix, appendices, "appendix"))
    if where in choices:
        return []
    return [Finding("tables.unknown-heading", f"'{where}' is not a {name} of this plan's guidance edition",
                    fix=f"{_hint(where, sorted(choices))}use one of: {', '.join(sorted(choices))}",
                    file=table.file, line=table.line, field=name)]


# --- derived figures --------------------------------------------------------------------------

@dataclass
class Row:
    path: tuple[str, ...]        # slugs: ('starts', 'female'), ('starts', 'total'), ('total',)
    label: str
    cells: list                  # derive.Cell per period
    total: bool = False
    base: "Row | None" = None    # the total a share of this row is of
    group: str = ""              # the first dimension's category, for grouped rows

    def share(self, i: int) -> float | None:
        if self.base is None:
            return None
        mine, base = self.cells[i], self.base.cells[i]
        if mine.count is None or base.count in (None, 0) or mine.hidden or base.hidden:
            return None
        return 100 * mine.count / base.count

    def share_hidden(self, i: int) -> bool:
        return self.base is not None and (self.cells[i].hidden or self.base.cells[i].hidden)

    def change(self, i: int, j: int) -> float | None:
        """From period i (earlier, the base) to period j (later), per cent."""
        a, b = self.cells[i], self.cells[j]
        if a.count in (None, 0) or b.count is None or a.hidden or b.hidden:
            return None
        return 100 * (b.count - a.count) / a.count

    def share_change(self, i: int, j: int) -> float | None:
        a, b = self.share(i), self.share(j)
        return None if a is None or b is None else b - a


@dataclass
class DerivedTable:
    table: Table
    periods: list[str]
    rows: list[Row]
    population: int | None = None
    population_source: str = ""
    chart: object = None
    lines: list = field(default_factory=list)         # (parts, total) the suppression went over
    authorities: list = field(default_factory=list)   # a joint service's (name, DerivedTable), #15
    authority_codes: list = field(default_factory=list)   # their area codes, in the same order

    @property
    def has_hidden(self) -> bool:
        return any(c.hidden for r in self.rows for c in r.cells)

    @property
    def has_shares(self) -> bool:
        return any(r.base is not None for r in self.rows)

    @property
    def has_unknown(self) -> bool:
        return any(c.count is None and not c.hidden for r in self.rows for c in r.cells)

    def rate(self, row: Row, i: int) -> float | None:
        cell = row.cells[i]
        if not self.population or cell.count is None or cell.hidden:
            return None
        return cell.count / self.population * self.table.rate.per


def _cell(value):
    from .derive import Cell
    return Cell(None) if value is NOT_RECORDED or value is None else Cell(value)


def _sum(cells):
    from .derive import Cell
    return Cell(None) if any(c.count is None for c in cells) else Cell(sum(c.count for c in cells))


def derive_table(table: Table, population=None, service: str = "") -> DerivedTable:
    from .derive import protect
    periods = list(table.periods or [])
    d1 = table.dimensions[0]
    d2 = table.dimensions[1] if len(table.dimensions) > 1 else None
    rows: list[Row] = []
    lines = []
    if d2 is None:
        parts = [Row((slug(c),), c, [_cell(table.counts.get((c, None, p))) for p in periods]) for c in d1.categories]
        rows += parts
        if d1.additive:
            total = Row(("total",), "Total", [_sum([r.cells[i] for r in parts]) for i in range(len(periods))], True)
            for r in parts:
                r.base = total
            rows.append(total)
        lines = [([r.cells[i] for r in parts], rows[-1].cells[i] if d1.additive else None) for i in range(len(periods))]
    else:
        grid = {}
        for a in d1.categories:
            group = [Row((slug(a), slug(b)), b, [_cell(table.counts.get((a, b, p))) for p in periods], group=a)
                     for b in d2.categories]
            grid[a] = group
            rows += group
            sub = None
            if d2.additive:
                sub = Row((slug(a), "total"), f"Total", [_sum([r.cells[i] for r in group]) for i in range(len(periods))],
                          True, group=a)
                for r in group:
                    r.base = sub
                rows.append(sub)
            grid[a + "\0total"] = sub
            lines += [([r.cells[i] for r in group], sub.cells[i] if sub else None) for i in range(len(periods))]
        if d1.additive:
            column_totals = []
            for k, b in enumerate(d2.categories):
                members = [grid[a][k] for a in d1.categories]
                row = Row(("total", slug(b)), b, [_sum([m.cells[i] for m in members]) for i in range(len(periods))],
                          True, group="Total")
                column_totals.append(row)
                lines += [([m.cells[i] for m in members], row.cells[i]) for i in range(len(periods))]
            rows += column_totals
            if d2.additive:
                grand = Row(("total", "total"), "Total", [_sum([r.cells[i] for r in column_totals])
                                                          for i in range(len(periods))], True, group="Total")
                for r in column_totals:
                    r.base = grand
                for a in d1.categories:
                    grid[a + "\0total"].base = grand
                rows.append(grand)
                lines += [([r.cells[i] for r in column_totals], grand.cells[i]) for i in range(len(periods))]
                lines += [([grid[a + "\0total"].cells[i] for a in d1.categories], grand.cells[i])
                          for i in range(len(periods))]
    lines = [(parts, total if total is not None and total.count is not None else None) for parts, total in lines]
    if table.suppress:
        protect(lines)
    result = DerivedTable(table, periods, rows, lines=lines)
    if table.rate is not None and population is not None:
        mine = population[population["area"] == (table.area or service)]
        if table.rate.population != "all":
            mine = mine[mine["category"] == table.rate.population]
        if not mine.empty:
            result.population = int(mine["population"].sum())
            result.population_source = "; ".join(dict.fromkeys(mine["source"]))
    return result


# --- words and variables --------------------------------------------------------------------

def change_text(value: float | None, points: bool = False) -> str:
    """'up 21.0%', 'down 2.5 percentage points', 'unchanged', or 'not available'."""
    if value is None:
        return "not available"
    if round(value, 1) == 0:
        return "unchanged"
    unit = " percentage points" if points else "%"
    return f"{'up' if value > 0 else 'down'} {abs(value):.1f}{unit}"


def short_change(value: float | None, points: bool = False) -> str:
    """A table cell: '+21.0%', '−2.5 pp'."""
    if value is None:
        return "not available"
    if round(value, 1) == 0:
        return "0.0 pp" if points else "0.0%"
    sign = "+" if value > 0 else "−"
    return f"{sign}{abs(value):.1f}{' pp' if points else '%'}"


def _row_variables(dt: DerivedTable, row: Row, where: str = "") -> dict:
    """One row's figures; `where` names a joint service's authority (" in Eastfield District
    Council") in what a suppressed figure's refusal says."""
    from .derive import Suppressed, number
    table, periods = dt.table, dt.periods
    label = " ".join(p.replace("_", " ") for p in row.path) + where
    last, prev = len(periods) - 1, len(periods) - 2

    def count(i):
        cell = row.cells[i]
        if cell.hidden:
            return Suppressed(f"the {table.title.lower()} count for {label} in {periods[i]}")
        return "not recorded" if cell.count is None and not row.total else \
            "not available" if cell.count is None else number(cell.count)

    def hidden_or(text, hidden, what):
        return Suppressed(f"the {what} of {label} in {table.title.lower()}") if hidden else text

    values: dict = {}
    if not periods:
        return values
    values["count"] = count(last)
    values["period"] = periods[last]
    for i, p in enumerate(periods):
        values[p] = count(i)
    if row.base is not None:
        share = row.share(last)
        values["share"] = hidden_or("not available" if share is None else f"{share:.1f}%",
                                    row.share_hidden(last), "share")
        values["share_of"] = " ".join(row.base.path).replace("_", " ")
    if prev >= 0:
        values["previous"] = count(prev)
        values["previous_period"] = periods[prev]
        values["change"] = hidden_or(change_text(row.change(prev, last)),
                                     row.cells[prev].hidden or row.cells[last].hidden, "change")
        if row.base is not None:
            values["share_change"] = hidden_or(change_text(row.share_change(prev, last), points=True),
                                               row.share_hidden(prev) or row.share_hidden(last), "change in share")
    if dt.population:
        rate = dt.rate(row, last)
        values["rate"] = hidden_or("not available" if rate is None else f"{rate:.2f}", row.cells[last].hidden, "rate")
    return values


def variables(tables: list[DerivedTable]) -> dict:
    """tables.<id>.<category>[.<category>].<figure>: every figure of every table."""
    result: dict = {}
    for dt in tables:
        node: dict = {"title": dt.table.title, "unit": dt.table.unit}
        if dt.periods:
            node["period"] = dt.periods[-1]
            if len(dt.periods) > 1:
                node["previous_period"] = dt.periods[-2]
        if dt.population:
            node["population"] = f"{dt.population:,}"
            node["rate_per"] = f"{dt.table.rate.per:,}"
        for row in dt.rows:
            place = node
            for part in row.path[:-1]:
                place = place.setdefault(part, {})
            place.setdefault(row.path[-1], {}).update(_row_variables(dt, row))
        if dt.authorities and "authorities" not in node:      # (a category of that name keeps its own)
            node["authorities"] = {code.replace("-", "_"): _authority_variables(name, part)
                                   for code, (name, part) in zip(dt.authority_codes, dt.authorities)}
        result[dt.table.id.replace("-", "_")] = node
    return result


# A joint service's authority: the latest period's figures only. That is the period the table
# shows and suppresses across the authorities (with_authorities); an earlier period's count of
# one authority could be worked back out from the service's and the others'.
AUTHORITY_FIGURES = ("count", "period", "share", "share_of")


def _authority_variables(name: str, part: DerivedTable) -> dict:
    """tables.<id>.authorities.<code>.<category>.count: one authority's latest counts (and shares)."""
    node: dict = {"name": name}
    for row in part.rows:
        place = node
        for step in row.path[:-1]:
            place = place.setdefault(step, {})
        values = _row_variables(part, row, f" in {name}")
        place.setdefault(row.path[-1], {}).update({k: v for k, v in values.items() if k in AUTHORITY_FIGURES})
    return node


def flatten(values: dict, prefix: str = "") -> dict[str, object]:
    """{'tables.disposals.total.change': 'down 8.4%', ...}: nested variables as dotted names."""
    flat = {}
    for key, value in values.items():
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            flat.update(flatten(value, name))
        else:
            flat[name] = value
    return flat


def row_label(row: Row) -> str:
    """'Starts: Female' for a two-dimension row, the category alone otherwise."""
    if row.group and row.group != row.label:
        return Worded("%(group)s: %(label)s", group=row.group, label=row.label)   # each said in the page's language
    return row.label


# --- chart and rendering ------------------------------------------------------------------------

def chart(dt: DerivedTable, language: str | None = None):
    """A bar chart of the shown counts (suppressed and unknown counts are left out), its words
    in the page's language (the categories stay the data's keys in English pages)."""
    import base64
    import json

    import altair as alt
    import pandas as pd

    from .charts import Chart, _svg

    def say(text):
        return str(i18n.translate(text, language))
    title, unit = say(dt.table.title), say(dt.table.unit)
    data = [{"Period": p, "Category": say(row_label(r)), "Count": c.count}
            for r in dt.rows if not r.total for p, c in zip(dt.periods, r.cells) if c.count is not None and not c.hidden]
    described = (i18n.gettext("Bar chart of %(title)s (%(unit)s), %(first)s to %(last)s, by category. The figures "
                              "are in the table that follows.", language)
                 % {"title": title.lower(), "unit": unit, "first": dt.periods[0], "last": dt.periods[-1]}
                 ) if dt.periods else title
    tooltip = (["Category:N", "Period:N", "Count:Q"] if i18n.is_source(language) else
               [alt.Tooltip(f"{name}:{kind}", title=i18n.gettext(name, language))
                for name, kind in (("Category", "N"), ("Period", "N"), ("Count", "Q"))])
    spec = (alt.Chart(pd.DataFrame(data or [{"Period": "", "Category": "", "Count": 0}]), title=title,
                      description=described, width=520, height=260)
            .mark_bar()
            .encode(x=alt.X("Category:N", title=None, axis=alt.Axis(labelAngle=0, labelLimit=120)),
                    xOffset=alt.XOffset("Period:N", sort=dt.periods),
                    y=alt.Y("Count:Q", title=unit.capitalize()),
                    color=alt.Color("Period:N", sort=dt.periods, legend=alt.Legend(orient="bottom", title=None)),
                    tooltip=tooltip))
    spec_json = json.dumps(spec.to_dict(), sort_keys=True)
    svg = _svg(spec_json)
    return Chart(f"table-{dt.table.id}", spec_json.replace("</", "<\\/"),
                 "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode(), described)


def derive_tables(project, plan) -> list[DerivedTable]:
    """The year's declared tables, derived (derive.derive's hook)."""
    tables = (getattr(project, "tables", None) or {}).get(plan.year, [])
    result = [derive_table(t, project.population, plan.meta.comparators.service) for t in tables]
    for dt in result:
        if dt.table.area_counts:
            with_authorities(dt, plan)
    return result


def with_authorities(dt: DerivedTable, plan) -> None:
    """A joint service's table: each authority's counts beside the service's, in the latest
    period. Each authority's counts are suppressed on their own (its categories against its
    total), and across the authorities (their counts against the service's): a count hidden for
    one authority cannot be worked back out from the service's figure and the others'."""
    from dataclasses import replace

    from .derive import protect
    names = {a.area: a.name for a in plan.meta.authority_entries}
    for code in _authority_codes(plan):
        counts = dt.table.area_counts.get(code, {})
        part = derive_table(replace(dt.table, counts=counts, area_counts={}, rate=None))
        dt.authorities.append((names.get(code, code), part))
        dt.authority_codes.append(code)
    if not dt.authorities or not dt.periods or not dt.table.suppress:
        return
    last = len(dt.periods) - 1
    across = [([part.rows[k].cells[last] for _, part in dt.authorities], row.cells[last])
              for k, row in enumerate(dt.rows)]
    across = [(parts, total if total.count is not None else None) for parts, total in across]
    protect(dt.lines + [line for _, part in dt.authorities for line in part.lines] + across)


def blocks(env, derived, place: str, kind: str = "heading") -> str:
    """The Markdown of the tables shown under one heading (or appendix)."""
    shown = [dt for dt in getattr(derived, "tables", []) if getattr(dt.table, kind) == place]
    if not shown:
        return ""
    for dt in shown:
        if dt.table.chart and dt.chart is None and dt.periods:
            dt.chart = chart(dt, env.globals.get("language"))
    template = env.get_template("blocks/local_table.md")
    demographics = getattr(derived, "demographics", None)
    service = getattr(derived, "variables", {}).get("plan", {}).get("service", "the service")
    return "\n\n".join(template.render(t=dt, change=short_change, row_label=row_label, service=service,
                                         # the ethnicity table has the population beside it
                                         dem=demographics if dt.table.library == "ethnicity" else None).strip()
                       for dt in shown)


GENERIC = {"children", "staff", "cases", "offences", "the", "total"}   # words naming no one table


# --- typed statistics (typedstats.py) ---------------------------------------------------------

def table_scales(derived) -> dict[str, int]:
    """tables.<id> -> its rate's N, so a typed 'per 1,000' is set beside the table's rates."""
    return {f"tables.{dt.table.id.replace('-', '_')}": dt.table.rate.per
            for dt in getattr(derived, "tables", []) if dt.population}


def topics(derived) -> dict[str, list[str]]:
    """Words naming each table in prose: its title (without a 'by ...' tail), its id, its
    categories: 'custody', 'youth caution', 'triage'."""
    result = {}
    for dt in getattr(derived, "tables", []):
        table = dt.table
        words = {table.title, re.split(r"\s+(?:by|at|within)\s+", table.title)[0], table.id.replace("-", " ")}
        result[f"tables.{table.id.replace('-', '_')}"] = sorted(
            {w.lower() for w in words if len(w) >= 3 and w.lower() not in GENERIC}, key=len, reverse=True)
    return result
