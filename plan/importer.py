"""`yjplan import`: bring the YJB/MoJ local-level open data tables (ODS) into data/local.csv.

Published files start with title rows above the column headings and carry "[note N]" markers
in headings and cells, and "[x]"/"[c]" for figures they withhold; the importer finds the
heading row itself and strips the markers. The mapping from published names to yjplan's
measures and categories is data, in plan/rules/import-moj.yml.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path

import pandas as pd
import yaml

from . import rules
from .problems import Finding, PlanError

NOTE = re.compile(r"\s*\[note\s*\d+\]", re.I)
WITHHELD = re.compile(r"^\[(?:x|c|z|u|low)\]$", re.I)


@cache
def mapping() -> dict:
    return yaml.safe_load((rules.RULES_DIR / "import-moj.yml").read_text(encoding="utf-8"))


def _problem(source: str, message: str, fix: str, line: int | None = None, field: str = "") -> PlanError:
    return PlanError([Finding("import." + field.lower() if field else "import.file", message, fix=fix,
                              file=source, line=line, field=field)])


def read_data_sheet(path: Path) -> pd.DataFrame:
    """The 'Data' sheet as a table, with its heading row found and note markers removed."""
    config = mapping()
    source = str(path)
    if not path.exists():
        raise _problem(source, "this file does not exist", "check the path of the downloaded ODS file")
    try:
        raw = pd.read_excel(path, sheet_name=config["sheet"], header=None, engine="odf", dtype=str)
    except ValueError as exc:
        raise _problem(source, f"there is no sheet called '{config['sheet']}' ({exc})",
                       "use the local-level open data table, whose figures are on the sheet 'Data'") from exc
    raw = raw.map(lambda v: NOTE.sub("", v).strip() if isinstance(v, str) else v)
    heading = next((i for i, row in raw.iterrows() if config["year_column"] in set(row.dropna())), None)
    if heading is None:
        raise _problem(source, f"no row of the sheet has the column heading '{config['year_column']}'",
                       "check this is the YJB/MoJ local-level open data table")
    table = raw.iloc[heading + 1:].copy()
    table.columns = [str(c) for c in raw.iloc[heading]]
    table["row"] = [i + 1 for i in table.index]   # spreadsheet row numbers, for messages
    return table.dropna(how="all", subset=[c for c in table.columns if c != "row"])


def _table_kind(table: pd.DataFrame) -> str:
    for kind, spec in mapping()["tables"].items():
        if spec["count_column"] in table.columns:
            return kind
    raise PlanError([Finding("import.columns", "the table has neither a children count nor an outcome count column",
                             fix="import the children table or the outcomes table of the local-level open data")])


def _count(value, source: str, row: int, column: str) -> int | None:
    text = str(value).strip().replace(",", "")
    if WITHHELD.match(text) or text in ("", "nan"):
        return None
    if not text.isdigit():
        raise _problem(source, f"the count {value!r} is not a whole number", "check the published file", row, column)
    return int(text)


def import_table(path: Path, service: str, published: dt.date) -> pd.DataFrame:
    """Rows for data/local.csv from one published table, for one YJS."""
    table = read_data_sheet(path)
    config, kind = mapping(), _table_kind(table)
    spec = config["tables"][kind]
    for column in (config["year_column"], config["service_column"], spec["category_column"]):
        if column not in table.columns:
            raise _problem(str(path), f"the column '{column}' is missing", "check this is the local-level open data table",
                           field=column)
    mine = table[table[config["service_column"]].str.strip() == service]
    if mine.empty:
        known = sorted(table[config["service_column"]].dropna().unique())[:8]
        raise _problem(str(path), f"no rows for the YJS '{service}'",
                       f"use the service's name as the file spells it, e.g. {', '.join(known)}", field="YJS")
    totals: dict[tuple[str, str], int] = {}
    for row in mine.itertuples(index=False, name=None):
        record = dict(zip(mine.columns, row))
        category = spec["categories"].get(str(record[spec["category_column"]]).strip())
        count = _count(record[spec["count_column"]], str(path), record["row"], spec["count_column"])
        if category is None or count is None:
            continue
        key = (record[config["year_column"]].strip(), category)
        totals[key] = totals.get(key, 0) + count
    rows = [{"measure": spec["measure"], "period": year, "period_end": f"{int(year[:4]) + 1}-03-31",
             "category": category, "count": count, "published": published.isoformat()}
            for (year, category), count in sorted(totals.items())]
    return pd.DataFrame(rows, columns=["measure", "period", "period_end", "category", "count", "published"])


def merge_into_local(root: Path, new_rows: pd.DataFrame) -> int:
    """Add the imported rows to data/local.csv, replacing rows with the same key. Returns the count."""
    path = root / "data" / "local.csv"
    existing = pd.read_csv(path, dtype=str, keep_default_na=False)
    new_rows = new_rows.astype(str)
    key = ["measure", "period", "category", "published"]
    merged = pd.concat([existing, new_rows]).drop_duplicates(key, keep="last")
    merged = merged.sort_values(["measure", "period_end", "category", "published"])
    # Written beside it and renamed over it when complete: a full disk or Ctrl-C leaves the old file.
    partial = path.with_name(f".{path.name}.partial")
    try:
        merged.to_csv(partial, index=False, lineterminator="\n")
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return len(new_rows)
