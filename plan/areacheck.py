"""An area in data/areas.csv that nothing shows: a warning, since its figures are typed in and
kept up to date for nothing, or a plan year was meant to compare with it and names another."""
from __future__ import annotations

from .load import Project, plan_years
from .joint import used_areas
from .models import Comparators
from .problems import Finding, Severity

AREAS_FILE = "data/areas.csv"


def unused_areas(project: Project) -> list[Finding]:
    """Each area no plan year compares with. Indicator and KPI tables, charts and the population
    beside the local measures show only a plan year's comparators (derive.py), so an area no
    year names under 'comparators:' is shown nowhere. Only when every plan year is loaded: a
    check of one year cannot know what the others use."""
    if project.areas is None or {p.year for p in project.years} != set(plan_years(project.root)):
        return []
    used = {getattr(plan.meta.comparators, kind) for plan in project.years for kind in Comparators.model_fields}
    used |= {code for plan in project.years for code in used_areas(plan)}    # joint services' authorities
    return [Finding(
        "data.unused-area", f"the area '{row.area}' ({row.name}) is in {AREAS_FILE}, but no plan year compares "
        "with it, so no table or chart shows it", fix="name it under 'comparators:' in a plan year's plan.yml, or "
        f"remove its row from {AREAS_FILE} (and its rows from data/indicators.csv and data/kpis.csv)",
        file=AREAS_FILE, line=int(row.row), field="area", severity=Severity.WARNING)
        for row in project.areas.itertuples() if row.area not in used]
