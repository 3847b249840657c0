"""`yjplan variables [YEAR]`: every {{ figure }} a plan year's narrative may quote, grouped, with
the value it would print, so an author can find the variable instead of typing the number
(typed statistics are warnings: plan/typedstats.py)."""
from __future__ import annotations

from pathlib import Path

GROUP_TITLES = {"plan": "The plan", "budget": "Budget", "staff": "Staff", "board": "Management board"}


def variables_listing(root: Path, year: str | None = None, language: str | None = None) -> str:
    """Every variable a plan year offers, grouped, with its value as the narrative would print
    it (in `language`, for a plan in Welsh and English: as a .cy.md file prints it); a
    suppressed count shows as '[c] (suppressed)'. Raises PlanError if the year cannot be read or
    its figures cannot be worked out."""
    from . import i18n
    from .derive import Suppressed, derive, publication_rules
    from .load import load_project, plan_years
    project = load_project(root, [year or (plan_years(root) or [""])[-1]], language=language)
    plan = project.years[0]
    derived = derive(project, plan)
    titles = {**GROUP_TITLES, **{key.replace("-", "_"): f"{ind.definition.title}, "
                                 f"{'per cent' if ind.definition.unit == '%' else ind.definition.unit}"
                                 for key, ind in derived.indicators.items()}}
    small = publication_rules()["small_numbers"]
    marker = small["marker"]
    lines = [f"Variables of the {plan.year} plan: write them in the narrative as {{{{ group.name }}}}.", ""]
    from .localtables import flatten
    for group, values in derived.variables.items():
        if not isinstance(values, dict):
            continue
        values = flatten(values)          # issue 14: tables.<id>.<category>.<figure> are nested
        if group == "tables":
            titles[group] = "Local tables (tables.yml): counts, shares, changes, rates"
        lines.append(f"{titles.get(group, group)}")
        names = {name: f"{{{{ {group}.{name} }}}}" for name in values}
        width = max(map(len, names.values()))
        for name, value in values.items():
            shown = f"{marker} (suppressed)" if isinstance(value, Suppressed) else str(i18n.translate(value, language))
            lines.append(f"  {names[name]:<{width}}  {shown}")
        lines.append("")
    lines.append(f"{marker}: a count of {small['min']} to {small['max']} children, which narrative cannot quote "
                 "(write 'fewer than five', or leave it out).")
    return "\n".join(lines)
