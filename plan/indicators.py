"""Load the indicator data in data/: CSV checked against its Frictionless Table Schema, then
against the areas and indicator definitions. Messages name the file, row and column."""
from __future__ import annotations

import difflib
import io
import json
from pathlib import Path

import pandas as pd
from frictionless import Resource, Schema

from . import rates, rules
from .inputs import limits, read_text
from .problems import Finding

FRICTIONLESS_WORDS = {
    "type-error": "is not a {type}",
    "constraint-error": "breaks a rule: {note}",
    "missing-cell": "is empty",
    "extra-cell": "has a value with no column heading",
    "primary-key": "repeats a figure already given for the same indicator, area, period and date",
    "blank-row": "is blank",
}


def _validate_table(data_dir: Path, name: str) -> tuple[pd.DataFrame | None, list[Finding]]:
    shown = f"data/{name}.csv"
    if not (data_dir / f"{name}.csv").exists():
        return None, [Finding("data.missing", "this file is missing", fix=f"create {shown}", file=shown)]
    text, findings = read_text(data_dir / f"{name}.csv", shown, "csv")
    if text is None:
        return None, findings
    if problem := _other_dialect(text, shown) or _too_many_rows(text, shown):
        return None, [problem]
    schema = Schema.from_descriptor(json.loads((data_dir / f"{name}.schema.json").read_text(encoding="utf-8")))
    schema = rates.fit_schema(name, schema, text)   # published rates: the `rate` column is optional
    report = Resource(path=f"{name}.csv", basepath=str(data_dir), schema=schema).validate()
    if headings := _missing_columns(text, schema, shown) or _heading_problems(report, schema, shown):
        return None, headings
    findings = []
    for row, column, kind, note, cell in report.flatten(["rowNumber", "fieldName", "type", "note", "cell"]):
        if rates.tolerated(name, column, kind):
            continue
        field_type = schema.get_field(column).type if column and schema.has_field(column) else ""
        what = FRICTIONLESS_WORDS.get(kind, note).format(type=_type_words(field_type), note=note)
        where = f"the value {cell!r} in column '{column}'" if column else "this row"
        findings.append(Finding(
            f"data.{kind}", f"{where} {what}", file=shown, line=row, field=column or "",
            fix=_fix_for(field_type, kind)))
    if findings:
        return None, findings
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)   # the text as checked (no BOM)
    frame["row"] = range(2, len(frame) + 2)   # the file line of each row, for later messages
    return frame, []


HEADING_WORDS = {
    "missing-label": "the heading row has no column '{column}'",
    "incorrect-label": "the heading row has '{label}' where the column '{column}' should be",
    "extra-label": "the heading row has a column '{label}' that yjplan does not read",
    "duplicate-label": "the heading row gives the column '{label}' twice",
    "blank-label": "the heading row has a column with no heading",
}


def _missing_columns(text: str, schema: Schema, shown: str) -> list[Finding]:
    """A heading row that is the schema's with columns left out (and nothing else changed): name
    the columns missing, rather than every heading that now sits in another's place."""
    heading = [cell.strip().strip('"') for cell in text.split("\n", 1)[0].strip().split(",")]
    if heading != [name for name in schema.field_names if name in heading]:
        return []
    return [Finding("data.missing-label", HEADING_WORDS["missing-label"].format(column=name), file=shown, line=1,
                    field=name, fix=_heading_fix(schema))
            for name in schema.field_names if name not in heading]


def _heading_fix(schema: Schema) -> str:
    return f"make the heading row '{','.join(schema.field_names)}', with a value under each heading in every row"


def _heading_problems(report, schema: Schema, shown: str) -> list[Finding]:
    """A column missing, misnamed or out of place in the heading row (line 1). Every row's
    values then sit under the wrong headings, so only the heading row is reported."""
    return [Finding(f"data.{kind}", HEADING_WORDS[kind].format(column=column, label=label), file=shown, line=1,
                    field=column or label or "", fix=_heading_fix(schema))
            for column, kind, label in report.flatten(["fieldName", "type", "label"]) if kind in HEADING_WORDS]


DELIMITER_WORDS = {";": "semicolons (;)", "\t": "tabs", "|": "vertical bars (|)"}


def _other_dialect(text: str, shown: str) -> Finding | None:
    """A CSV saved with another separator (Excel in many European locales uses ';') reads as a
    single column: name the separator found, from the heading row."""
    header = text.split("\n", 1)[0]
    found = max(DELIMITER_WORDS, key=header.count)
    if header.count(found) <= header.count(","):
        return None
    return Finding("data.delimiter", f"the columns are separated by {DELIMITER_WORDS[found]}, not commas",
                   fix="use commas: save the file again as 'CSV UTF-8 (comma delimited)'", file=shown, line=1)


def _too_many_rows(text: str, shown: str) -> Finding | None:
    lines = text.count("\n") + (not text.endswith("\n"))
    rows, limit = lines - 1, limits()["csv_rows"]      # the heading row is not a data row
    if rows <= limit:
        return None
    return Finding("data.too-many-rows", f"this file has {rows:,} rows, more than the {limit:,} yjplan reads",
                   fix="check it is the right file; keep only this service's and its comparators' rows "
                       "(the limit is in plan/rules/limits.yml)", file=shown)


def _type_words(field_type: str) -> str:
    return {"integer": "whole number", "date": "date (YYYY-MM-DD)", "number": "number"}.get(field_type, field_type)


def _fix_for(field_type: str, kind: str) -> str:
    if field_type == "integer":
        return "write a whole number of 0 or more, without commas, or remove the row"
    if field_type == "date":
        return "write the date as YYYY-MM-DD"
    if kind in ("missing-cell", "constraint-error"):
        return "fill in the value (every column is required)"
    return "correct the row"


def _known_codes(frame: pd.DataFrame, shown: str, definitions: dict, areas: pd.DataFrame) -> list[Finding]:
    findings = []
    for row in frame.itertuples():
        if row.indicator not in definitions:
            findings.append(Finding("data.unknown-indicator", f"'{row.indicator}' is not an indicator yjplan knows",
                                    fix=f"use one of: {', '.join(definitions)}", file=shown, line=row.row,
                                    field="indicator"))
        if row.area not in set(areas.area):
            close = difflib.get_close_matches(row.area, list(areas.area), n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            findings.append(Finding("data.unknown-area", f"'{row.area}' is not an area listed in data/areas.csv",
                                    fix=f"{hint}use one of: {', '.join(areas.area)}, or add the area to data/areas.csv",
                                    file=shown, line=row.row, field="area"))
    return findings


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.astype({"numerator": int, "denominator": int})
    frame["period_end"] = pd.to_datetime(frame["period_end"]).dt.date
    frame["published"] = pd.to_datetime(frame["published"]).dt.date
    return frame


def load_indicator_data(root: Path):
    """data/indicators.csv (national outcome indicators), data/kpis.csv (the KPIs) and
    data/areas.csv. Returns (indicators, kpis, areas, findings)."""
    data_dir = root / "data"
    areas, findings = _validate_table(data_dir, "areas")
    figures, problems = _validate_table(data_dir, "indicators")
    findings += problems
    kpis, problems = _validate_table(data_dir, "kpis")
    findings += problems
    if figures is None or areas is None or kpis is None:
        return None, None, None, findings
    findings += _known_codes(figures, "data/indicators.csv", rules.indicator_set().by_id(), areas)
    findings += _known_codes(kpis, "data/kpis.csv", rules.indicator_set("kpis-2023").by_id(), areas)
    figures = rates.typed(figures)      # published rates: counts may be empty (plan/rates.py)
    findings += rates.check_rows(figures, rules.indicator_set().by_id(), "data/indicators.csv")
    return figures, _typed(kpis), areas, findings


def load_local_data(root: Path):
    """data/local.csv, the service's own counts (outcomes, offences, remands, ETE ...), and
    data/population.csv, the 10 to 17 population by ethnicity. Returns (local, population, findings)."""
    local, findings = _validate_table(root / "data", "local")
    if local is None:
        return None, None, findings
    measures = rules.local_measures().by_id()
    for row in local.itertuples():
        measure = measures.get(row.measure)
        if measure is None:
            findings.append(Finding("data.unknown-measure", f"'{row.measure}' is not a local measure yjplan knows",
                                    fix=f"use one of: {', '.join(measures)} (plan/rules/local-measures.yml)",
                                    file="data/local.csv", line=row.row, field="measure"))
        elif row.category not in measure.categories:
            findings.append(Finding("data.unknown-category",
                                    f"'{row.category}' is not a category of the measure '{row.measure}'",
                                    fix=f"use one of: {'; '.join(measure.categories)}",
                                    file="data/local.csv", line=row.row, field="category"))
    population, problems = _validate_table(root / "data", "population")
    findings += problems
    if population is not None:
        population = population.astype({"population": int})
    local = local.astype({"count": int})
    if "area" not in local.columns:
        local["area"] = ""     # the optional area column (joint services): blank is the service
    local["period_end"] = pd.to_datetime(local["period_end"]).dt.date
    local["published"] = pd.to_datetime(local["published"]).dt.date
    return local, population, findings
