"""The wording of yjplan's own data files that a page prints (issue 19): the indicator and KPI
sets (titles, definitions, units, measure labels: plan/rules/kpis-*.yml, indicators-*.yml), the
library of local measures (table titles, units, categories: plan/rules/local-measures.yml), and
the few words made in Python around them (chart descriptions, the risk scheme's key, the staff
count tables). English stays the message id, so an English page reads exactly as before; a page
in another language says each from the catalogue (plan/i18n.py). The keys (ids, the categories
a CSV names) never change: only what a reader sees or hears is translated, where it is shown.

`rules_strings` feeds `i18n.data_strings` (each message with its file and line, so
`missing_entries` names it and `python -m plan.i18n update` adds it); `CODE_STRINGS` feeds
`i18n.code_strings`.
"""
from __future__ import annotations

import dataclasses

import yaml

from . import i18n, rules

INDICATOR_FILES = ("kpis-2023.yml", "kpis-2023-launch.yml", "indicators-2023.yml")
MEASURE_FILES = ("local-measures.yml",)
# the fields of an indicator a page prints (a unit with no letters, "%", is not wording)
INDICATOR_FIELDS = ("title", "short", "definition", "unit", "count_label", "base_label", "label")
MEASURE_FIELDS = ("title", "category_label", "unit")

CODE_STRINGS: dict[str, str] = {
    # plan/charts.py: a chart said in words, and what its axes and tooltips are called
    'Line chart of %(title)s (%(unit)s) %(span)s, for the service and its comparators. Latest period: '
    '%(latest)s. The figures are in the table that follows.': 'plan/charts.py',
    'from %(first)s to %(last)s': 'plan/charts.py',
    'Period': 'plan/charts.py',
    'Value': 'plan/charts.py',
    # plan/localtables.py: a library table's chart
    'Bar chart of %(title)s (%(unit)s), %(first)s to %(last)s, by category. The figures are in the '
    'table that follows.': 'plan/localtables.py',
    'Category': 'plan/localtables.py',
    'Count': 'plan/localtables.py',
    # plan/riskscheme.py and plan/models.py: the default scheme's key
    '%(lowest)s to %(highest)s': 'plan/riskscheme.py',
    'a score of %(value)s or more': 'plan/riskscheme.py',
    'any lower score': 'plan/riskscheme.py',
    'High': 'plan/models.py', 'Medium': 'plan/models.py', 'Low': 'plan/models.py',
    'rare': 'plan/models.py', 'unlikely': 'plan/models.py', 'possible': 'plan/models.py',
    'likely': 'plan/models.py', 'almost certain': 'plan/models.py',
    'negligible': 'plan/models.py', 'minor': 'plan/models.py', 'moderate': 'plan/models.py',
    'major': 'plan/models.py', 'severe': 'plan/models.py',
    # plan/derive.py: the staff count tables (staffing.yml's values are these words, in English)
    'Staff by ethnicity': 'plan/derive.py', 'Staff by sex': 'plan/derive.py',
    'Staff by type of contract': 'plan/derive.py', 'Sex': 'plan/derive.py', 'Contract': 'plan/derive.py',
    'Female': 'plan/derive.py', 'Male': 'plan/derive.py',
    'Permanent': 'plan/derive.py', 'Fixed term': 'plan/derive.py', 'Secondee': 'plan/derive.py',
    'Agency': 'plan/derive.py', 'Sessional': 'plan/derive.py', 'Volunteer': 'plan/derive.py',
}


def _wording(value) -> bool:
    return isinstance(value, str) and any(ch.isalpha() for ch in value)


def rules_strings() -> dict[str, list[tuple[str, int]]]:
    """Each display text of the indicator sets and the local measures library -> (file, line)."""
    found: dict[str, list[tuple[str, int]]] = {}

    def add(text: str, name: str, lines: list[str]) -> None:
        line = next((i for i, row in enumerate(lines, 1) if text in row), 0)
        found.setdefault(text, []).append((f"plan/rules/{name}", line))

    for name in INDICATOR_FILES + MEASURE_FILES:
        text = (rules.RULES_DIR / name).read_text(encoding="utf-8")
        data, lines = yaml.safe_load(text), text.splitlines()
        for item in data.get("indicators", []):
            wordings = [item.get(f) for f in INDICATOR_FIELDS]
            wordings += [n.get(f) for n in (item.get("nations") or {}).values() for f in INDICATOR_FIELDS]
            for wording in wordings:
                if _wording(wording):
                    add(wording, name, lines)
        for measure in data.get("measures", []):
            for wording in [*(measure.get(f) for f in MEASURE_FIELDS), *measure.get("categories", [])]:
                if _wording(wording):
                    add(wording, name, lines)
    return found


def definition_in(definition: rules.IndicatorDef, language: str | None) -> rules.IndicatorDef:
    """An indicator's definition with its wording in `language` (its id and figures unchanged)."""
    if i18n.is_source(language):
        return definition
    return definition.model_copy(update={f: i18n.gettext(getattr(definition, f), language)
                                         for f in INDICATOR_FIELDS if _wording(getattr(definition, f))})


def indicators_in(indicators: dict, language: str | None) -> dict:
    """derive's indicators (or KPIs) for a page in `language`: each definition's wording, and
    the areas' names, said in it; keys, periods and figures unchanged."""
    if i18n.is_source(language):
        return indicators
    return {key: dataclasses.replace(
                ind, definition=definition_in(ind.definition, language),
                series=[dataclasses.replace(s, name=i18n.translate(s.name, language)) for s in ind.series])
            for key, ind in indicators.items()}
