"""Published rates as they stand.

A row of data/indicators.csv may give a comparator's rate exactly as the statistics publish it
(the optional `rate` column), with `numerator` and `denominator` left empty: often the rate is
all that is published, and an author must never invent a denominator to reproduce it. Such a
figure is shown with the precision it was published with; changes are worked out from the rates;
anything that needs counts (a count to quote, a measure derived from counts) is "not available".

An indicator may also take its counts from other indicators' rows (`counts_from:` in
plan/rules/indicators-*.yml): reoffences per reoffender is the reoffences of the frequency
measure over the reoffenders of the binary rate, for the same cohort.

Hooks: plan/indicators.py (reading and checking rows) and plan/derive.py (figures).
"""
from __future__ import annotations

import pandas as pd

from .problems import Finding, Severity

RATE = "rate"                 # the optional column: the rate as published, in the indicator's unit
TABLE = "indicators"          # the only table that may give published rates (KPIs are counts)


# --- reading: the `rate` column is optional ------------------------------------------------

def fit_schema(name: str, schema, text: str):
    """A data/indicators.csv written before published rates has no `rate` column: read it with
    the column left out of the schema rather than report its heading row."""
    if name != TABLE or not schema.has_field(RATE):
        return schema
    heading = [cell.strip().strip('"') for cell in text.split("\n", 1)[0].split(",")]
    if RATE not in heading:
        schema.remove_field(RATE)
    return schema


def tolerated(name: str, column: str | None, kind: str) -> bool:
    """A row that stops before the last, optional `rate` column simply has no published rate."""
    return name == TABLE and column == RATE and kind == "missing-cell"


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Counts as whole numbers or None (a published rate alone has none); the rate kept as the
    text published, so its precision is the one stated."""
    frame = frame.copy()
    frame[RATE] = frame[RATE].fillna("").str.strip() if RATE in frame else ""
    for column in ("numerator", "denominator"):
        frame[column] = pd.Series([int(v) if isinstance(v, str) and v.strip() else None for v in frame[column]],
                                  index=frame.index, dtype=object)     # object: None stays None, not NaN
    frame["period_end"] = pd.to_datetime(frame["period_end"]).dt.date
    frame["published"] = pd.to_datetime(frame["published"]).dt.date
    return frame


# --- checking the rows ---------------------------------------------------------------------

def decimals_of(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


def check_rows(frame: pd.DataFrame, definitions: dict, shown: str) -> list[Finding]:
    """Every row gives a count pair, a published rate, or both agreeing; a published rate lies
    in its indicator's plausible range. Rows of unknown indicators are reported elsewhere."""
    findings = []
    for row in frame.itertuples():
        definition = definitions.get(row.indicator)
        if definition is not None:
            findings += _row_problems(row, definition, shown)
    return findings


def _row_problems(row, definition, shown: str) -> list[Finding]:
    numerator, denominator = row.numerator, row.denominator
    published = getattr(row, "rate", "") or ""
    where = {"file": shown, "line": row.row}
    unit = definition.unit if definition.unit != "%" else "per cent"
    if numerator is None and denominator is None and not published:
        return [Finding("data.no-figure", "this row gives neither a numerator and denominator nor a published rate",
                        fix="give the count and its base in 'numerator' and 'denominator', or the rate exactly as "
                            f"published ({unit}) in 'rate'; never work out a denominator to match a rate",
                        field="numerator", **where)]
    findings = []
    if (numerator is None) != (denominator is None):
        given, missing = ("numerator", "denominator") if denominator is None else ("denominator", "numerator")
        findings.append(Finding("data.half-count", f"this row gives a {given} but no {missing}",
                                fix=f"give the {missing} as published, or leave both empty and give the "
                                    "published rate in 'rate'", field=missing, **where))
    if not published:
        return findings
    value = float(published)
    low, high = definition.plausible or (0, float("inf"))
    if not low <= value <= high:
        findings.append(Finding(
            "data.implausible-rate",
            f"the rate {published} is outside {low:g} to {high:g} ({unit}), the range a "
            f"{definition.title.lower()} figure can take",
            fix=f"write the rate in the indicator's unit ({unit}), as published, e.g. 31.2 for 31.2%",
            field=RATE, **where))
    elif numerator is not None and denominator:
        computed = numerator / denominator * definition.scale
        if abs(computed - value) > 0.5 * 10 ** -decimals_of(published) + 1e-9:
            findings.append(Finding(
                "data.rate-disagrees",
                f"the rate {published} does not match the counts: {numerator:,} ÷ {denominator:,} × "
                f"{definition.scale:,} is {computed:,.{decimals_of(published) + 2}f}",
                fix="correct the counts or the rate; if only the rate is published, leave 'numerator' and "
                    "'denominator' empty", field=RATE, **where))
    return findings


def service_rate_only(project) -> list[Finding]:
    """A plan year's own service given as a published rate alone: its count cannot be protected
    or quoted, so it is "not available". A warning: an old period may be published only as a rate."""
    frame = project.indicators
    if frame is None or RATE not in frame:
        return []
    services = {plan.meta.comparators.service for plan in project.years if plan.meta is not None}
    rows = frame[(frame[RATE] != "") & frame["numerator"].isna() & frame["area"].isin(services)]
    return [Finding("data.service-rate-only",
                    f"the service's own {row.indicator} figure for {row.period} is given as a rate only, so its "
                    "count shows as 'not available' and cannot be checked for small numbers",
                    fix="give the service's own numerator and denominator: published rates alone are for "
                        "comparators", file="data/indicators.csv", line=row.row, field=RATE,
                    severity=Severity.WARNING) for row in rows.itertuples()]


# --- deriving -------------------------------------------------------------------------------

def with_derived_counts(usable: pd.DataFrame, definitions) -> pd.DataFrame:
    """Rows for indicators whose counts come from other indicators' rows (`counts_from:`), for
    each area and period where both counts are given for the same cohort and no row of the
    indicator itself is. A published rate alone gives no counts, so nothing is derived from it."""
    added = []
    for definition in definitions:
        if not getattr(definition, "counts_from", None):
            continue
        have = set(zip(*(usable.loc[usable.indicator == definition.id, c] for c in ("area", "period"))))
        parts = {key: _counts_of(usable, source) for key, source in definition.counts_from.items()}
        for (area, period), (numerator, cohort, row) in parts["numerator"].items():
            match = parts["denominator"].get((area, period))
            if (area, period) in have or match is None or numerator is None or match[0] is None:
                continue
            if cohort is not None and match[1] is not None and cohort != match[1]:
                continue                          # not the same cohort: the ratio would mean nothing
            added.append({**row, "indicator": definition.id, "numerator": numerator, "denominator": match[0],
                          RATE: "", "published": max(row["published"], match[2]["published"])})
    if not added:
        return usable
    return pd.concat([usable, pd.DataFrame(added)], ignore_index=True).sort_values(["indicator", "area", "period_end"])


def _counts_of(usable: pd.DataFrame, source: str) -> dict:
    """{(area, period): (count, the row's denominator, the row)} for 'indicator.numerator'."""
    indicator, column = source.rsplit(".", 1)
    rows = usable[usable.indicator == indicator]
    return {(r["area"], r["period"]): (r[column], r["denominator"], r) for r in rows.to_dict("records")}


def value_of(row, definition, rate) -> tuple[float, str | None]:
    """(the figure's value, the rate as published or None): a published rate is shown as given
    and changes are worked out from it; otherwise the rate is computed from the counts."""
    published = getattr(row, RATE, "") or ""
    if published:
        return float(published), published
    return rate(row.numerator, row.denominator, definition.scale), None
