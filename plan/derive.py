"""Stage 3, derive: compute every number the plan shows.

Totals, rates, changes and percentages are computed here from the loaded content and data;
no figure is ever read from prose or typed into a table. Templates format what this returns.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

import pandas as pd
import yaml

from . import nations, rates, rules
from .compliance import compliance   # the checklist is published as an appendix
from .i18n import Worded
from .labels import plan_labels
from .load import PlanYear, Project
from .models import PARTNER_NAMES, Partner, and_join
from .unknown import known


@cache
def publication_rules() -> dict:
    return yaml.safe_load((rules.RULES_DIR / "publication.yml").read_text(encoding="utf-8"))


def is_small(count: int | None) -> bool:
    limits = publication_rules()["small_numbers"]
    return count is not None and limits["min"] <= count <= limits["max"]


# --- formatting helpers shared by templates and narrative variables --------------------------

def money(amount: int | float | None) -> str:
    return "" if amount is None else f"£{amount:,.0f}"


def number(value: float | None, decimals: int = 0) -> str:
    return "" if value is None else f"{value:,.{decimals}f}"


def percent(value: float | None, decimals: int = 0) -> str:
    return "" if value is None else f"{value:.{decimals}f}%"


# --- budget -----------------------------------------------------------------------------------

@dataclass
class BudgetRow:
    agency: str
    partner: Partner
    staffing: int
    in_kind: int
    in_kind_posts: str
    other: int
    total: int
    previous_total: int | None

    @property
    def change(self) -> int | None:
        return None if self.previous_total is None else self.total - self.previous_total


@dataclass
class Budget:
    rows: list[BudgetRow]
    staffing: int
    in_kind: int
    other: int
    total: int
    previous_total: int | None
    grant: int
    grant_lines: list
    grant_allocated: int

    def partner_total(self, partner: Partner) -> int:
        return sum(r.total for r in self.rows if r.partner is partner)


def budget(plan: PlanYear) -> Budget:
    rows = [BudgetRow(c.agency, c.partner, c.staffing, c.in_kind, c.in_kind_posts, c.other,
                      c.computed_total, c.previous_total) for c in plan.finance.contributions]
    previous = [r.previous_total for r in rows]
    return Budget(
        rows=rows,
        staffing=sum(r.staffing for r in rows), in_kind=sum(r.in_kind for r in rows),
        other=sum(r.other for r in rows), total=sum(r.total for r in rows),
        previous_total=sum(previous) if all(p is not None for p in previous) else None,
        grant=sum(r.total for r in rows if r.partner is Partner.YJB),
        grant_lines=plan.finance.grant_allocation,
        grant_allocated=sum(g.cost for g in plan.finance.grant_allocation))


# --- staffing, published as counts -----------------------------------------------------------

@dataclass
class CountTable:
    caption: str
    label: str                    # heading of the first column
    rows: list[tuple[str, int | None, bool]]   # (category, count, suppressed)
    total: int
    total_hidden: bool = False    # only when no other cell could keep a hidden one from being worked out


def _counts(caption: str, label: str, values: list[str], order: list[str]) -> CountTable:
    counted = Counter(values)
    categories = [c for c in order if counted[c]] + sorted(c for c in counted if c not in order)
    cells = [Cell(counted[c]) for c in categories]
    total = Cell(len(values))
    protect([(cells, total)])
    return CountTable(caption, label, [(c, cell.count, cell.hidden) for c, cell in zip(categories, cells)],
                      len(values), total.hidden)


@dataclass
class StaffFigures:
    headcount: int
    fte: float | None             # None when a post's FTE is not recorded: the total is not available
    vacancies: float              # or NOT_RECORDED
    by_ethnicity: CountTable
    by_sex: CountTable
    by_contract: CountTable
    statutory_roles: dict[str, int]


def fte_total(posts) -> float | None:
    """The posts' FTE added up, or None (shown "not available") when any is not recorded:
    a total that leaves some out would look complete and be wrong."""
    return round(sum(p.fte for p in posts), 1) if all(known(p.fte) for p in posts) else None


def staff(plan: PlanYear) -> StaffFigures:
    posts = plan.staffing.posts
    return StaffFigures(
        headcount=len(posts), fte=fte_total(posts), vacancies=plan.staffing.vacancies,
        by_ethnicity=_counts("Staff by ethnicity", "Ethnicity", [p.ethnicity for p in posts],
                             ["Asian", "Black", "Mixed", "White", "Other", "Not known"]),
        by_sex=_counts("Staff by sex", "Sex", [p.sex.capitalize() for p in posts], ["Female", "Male", "Not known"]),
        by_contract=_counts("Staff by type of contract", "Contract", [p.contract.capitalize() for p in posts],
                            ["Permanent", "Fixed term", "Secondee", "Agency", "Sessional", "Volunteer"]),
        statutory_roles=dict(Counter(p.role.value for p in posts if p.role)))


# --- board ------------------------------------------------------------------------------------

@dataclass
class BoardFigures:
    members: int                  # seats, vacant ones included
    meetings_held: int            # or NOT_RECORDED
    attendance: float | None      # per cent of possible attendances; None: not available
    vacant: int = 0               # seats whose nomination is awaited
    unrecorded: int = 0           # filled seats whose attendance is not recorded


def board(plan: PlanYear) -> BoardFigures:
    """Attendance counts the filled seats; it is not available when the meetings held or any
    filled seat's attendance is not recorded (a share of some seats would read as the board's)."""
    gov = plan.governance
    filled = [m for m in gov.members if not m.vacant]
    unrecorded = sum(not known(m.attended) for m in filled)
    vacant = len(gov.members) - len(filled)
    held = gov.meetings_held
    if not known(held) or unrecorded:
        return BoardFigures(len(gov.members), held, None, vacant, unrecorded)
    possible = held * len(filled)
    attended = sum(min(m.attended, held) for m in filled)
    return BoardFigures(len(gov.members), held, 100 * attended / possible if possible else None, vacant, unrecorded)


# --- indicators -------------------------------------------------------------------------------

AREA_ORDER = ["service", "family", "region", "national"]


@dataclass
class Figure:
    period: str
    numerator: int | None         # None: only the rate is published (plan/rates.py)
    denominator: int | None
    value: float                  # the rate, in the indicator's unit
    published: str | None = None  # the rate as published, shown as given


@dataclass
class AreaSeries:
    area: str
    name: str
    kind: str                     # service | family | region | national
    figures: list[Figure]         # oldest first

    @property
    def latest(self) -> Figure | None:
        return self.figures[-1] if self.figures else None

    @property
    def previous(self) -> Figure | None:
        return self.figures[-2] if len(self.figures) > 1 else None

    def at(self, period: str | None) -> Figure | None:
        return next((f for f in self.figures if f.period == period), None)


@dataclass
class Indicator:
    definition: rules.IndicatorDef
    series: list[AreaSeries]      # service first, then family, region, national
    periods: list[str]

    def area(self, kind: str) -> AreaSeries | None:
        return next((s for s in self.series if s.kind == kind), None)

    def pair(self, series: AreaSeries, columns: list[str] | None = None) -> tuple[Figure | None, Figure | None]:
        """(previous, latest) of a series: its own last two figures, or with `columns` (a
        table's periods) its figures for the last two of them, where an area may have no
        figure yet for the latest."""
        if columns is None:
            return series.previous, series.latest
        latest = series.at(columns[-1]) if columns else None
        return (series.at(columns[-2]) if len(columns) > 1 else None), latest

    def change(self, series: AreaSeries, columns: list[str] | None = None) -> float | None:
        """Percentage-point change for percentages, per cent change for rates."""
        previous, latest = self.pair(series, columns)
        if latest is None or previous is None:
            return None
        if self.definition.unit == "%":
            return latest.value - previous.value
        if previous.value == 0:
            return None
        return 100 * (latest.value - previous.value) / previous.value

    def figure_text(self, series: AreaSeries, period: str | None) -> str:
        """One cell of a table by period: the value; 'no figure yet' for a period after the
        area's latest figure (comparators are often published before the service's own);
        otherwise 'not available'."""
        figure = series.at(period)
        if figure is not None:
            return figure_value(self, figure)
        if period in self.periods and (series.latest is None or
                                       self.periods.index(period) > self.periods.index(series.latest.period)):
            return "no figure yet"
        return "not available"

    def is_improvement(self, change: float | None) -> bool | None:
        if change is None or change == 0 or self.definition.better not in ("lower", "higher"):
            return None
        return (change < 0) == (self.definition.better == "lower")


def rate(numerator: int, denominator: int, scale: int) -> float:
    return numerator / denominator * scale


def figures_as_at(data: pd.DataFrame, figures_date: dt.date) -> pd.DataFrame:
    """The figures a plan may use: published by its figures date, latest revision of each."""
    usable = data[data["published"] <= figures_date]
    usable = usable.sort_values("published").drop_duplicates(["indicator", "area", "period"], keep="last")
    return usable.sort_values(["indicator", "area", "period_end"])


def indicators(data: pd.DataFrame, definitions: list[rules.IndicatorDef], areas: pd.DataFrame,
               plan: PlanYear, periods_shown: int = 5) -> dict[str, Indicator]:
    """Each indicator's series for the service and its comparators, as at the figures date."""
    usable = rates.with_derived_counts(figures_as_at(data, plan.meta.figures_date), definitions)
    names = dict(zip(areas.area, areas.name))
    comparators = plan.meta.comparators
    result = {}
    for definition in definitions:
        rows = usable[usable["indicator"] == definition.id]
        periods = list(dict.fromkeys(rows.sort_values("period_end")["period"]))[-periods_shown:]
        series = []
        for kind in AREA_ORDER:
            code = getattr(comparators, kind)
            area_rows = rows[(rows["area"] == code) & rows["period"].isin(periods)]
            figures = [Figure(r.period, r.numerator, r.denominator, *rates.value_of(r, definition, rate))
                       for r in area_rows.itertuples()]
            if figures or kind == "service":
                series.append(AreaSeries(code, names.get(code, code), kind, figures))
        result[definition.id] = Indicator(definition, series, periods)
    return result


# --- local measures: counts of children, suppressed ----------------------------------------

@dataclass
class Cell:
    count: int | None
    hidden: bool = False


def protect(lines: list[tuple[list[Cell], Cell | None]]) -> None:
    """Primary and secondary suppression over one table. Each line is the cells that add up to a
    shown total, and that total's cell (None where the table shows no total); a cell may be in
    several lines (a row and a column).

    Counts and totals from 1 to 4 are hidden. Then, until nothing changes, a line whose total is
    shown with exactly one hidden part would give that part away by subtraction, so it hides its
    smallest shown part as well (a count before a zero), or, with no part left to hide, its total."""
    for parts, total in lines:
        for cell in parts + ([total] if total else []):
            cell.hidden = cell.hidden or is_small(cell.count)
    changed = True
    while changed:
        changed = False
        for parts, total in lines:
            if total is None or total.hidden or sum(c.hidden for c in parts) != 1:
                continue
            shown = [c for c in parts if not c.hidden and c.count is not None]
            if shown:
                min(shown, key=lambda c: (c.count == 0, c.count)).hidden = True
            else:
                total.hidden = True
            changed = True


def suppress_column(cells: list[Cell]) -> Cell:
    """Hide small counts in a column and whatever its total would reveal; returns the total."""
    total = Cell(sum(c.count or 0 for c in cells))
    protect([(cells, total)])
    return total


@dataclass
class Demographics:
    period: str
    rows: list[tuple[str, Cell, float | None, float]]   # group, children, % of children, % of population


def demographics(tables: list, population: pd.DataFrame, plan: PlanYear) -> Demographics | None:
    """Children with an outcome by ethnicity in the latest period, beside the 10 to 17 population:
    from the local table picked from the library's `ethnicity` (plan/localtables.py)."""
    table = next((dt for dt in tables if dt.table.library == "ethnicity" and dt.periods), None)
    mine = population[population["area"] == plan.meta.comparators.service]
    if table is None or mine.empty:
        return None
    people = dict(zip(mine.category, mine.population))
    total_people = sum(people.values())
    parts = [r for r in table.rows if not r.total]
    total = next((r.cells[-1] for r in table.rows if r.total), None)
    total_children = sum(r.cells[-1].count or 0 for r in parts)
    # A share reveals its count, and with the count the total: none is shown where either is hidden.
    total_hidden = total is None or total.hidden
    rows = []
    for r in parts:
        cell = r.cells[-1]
        share = None if cell.hidden or total_hidden or not total_children else 100 * (cell.count or 0) / total_children
        rows.append((r.label, cell, share, 100 * people.get(r.label, 0) / total_people))
    return Demographics(table.periods[-1], rows)


class SuppressedFigure(Exception):
    """Raised when narrative tries to quote a count small enough to identify a child."""


class Suppressed:
    """A figure narrative may not quote: printing it is an error, not a number."""

    def __init__(self, what: str):
        self.what = what

    def __str__(self) -> str:
        raise SuppressedFigure(self.what)


def child_count(count: int | None, what: str):
    return Suppressed(what) if is_small(count) else number(count)


# --- everything one plan year shows ---------------------------------------------------------

@dataclass
class Derived:
    budget: Budget
    staff: StaffFigures
    board: BoardFigures
    indicators: dict[str, Indicator]
    kpis: dict[str, Indicator]
    demographics: Demographics | None
    checklist: list = field(default_factory=list)   # the statutory requirements and where they are met
    reviewed_counts: list = field(default_factory=list)   # small counts the author kept, with a reason
    variables: dict = field(default_factory=dict)   # what narrative may quote
    labels: dict = field(default_factory=dict)      # wording dated to the plan's period (labels.py)
    tables: list = field(default_factory=list)      # issue 14: declared local tables (localtables.py)


def change_words(indicator: Indicator, series: AreaSeries, columns: list[str] | None = None) -> str:
    change = indicator.change(series, columns)
    if change is None:
        return "not available"
    if round(change, 1) == 0:
        return "unchanged"
    points = indicator.definition.unit == "%"
    message = {(True, True): "up %(change)s percentage points", (False, True): "down %(change)s percentage points",
               (True, False): "up %(change)s%%", (False, False): "down %(change)s%%"}[(change > 0, points)]
    return Worded(message, change=f"{abs(change):.1f}")     # said in the page's language (plan/i18n.py)


def direction_words(indicator: Indicator, series: AreaSeries, columns: list[str] | None = None) -> str:
    change = indicator.change(series, columns)
    if indicator.definition.better not in ("lower", "higher"):
        return "Not applicable"
    if change is None:
        return "Not available"
    better = indicator.is_improvement(change)
    return "No change" if better is None else "Better" if better else "Worse"


def format_value(indicator: Indicator, value: float | None) -> str:
    if value is None:
        return "not available"
    text = number(value, indicator.definition.decimals)
    return text + "%" if indicator.definition.unit == "%" else text


def figure_value(indicator: Indicator, figure: Figure | None) -> str:
    """A figure as shown: a published rate as given (its stated precision), else the computed rate."""
    if figure is not None and figure.published:
        return figure.published + "%" if indicator.definition.unit == "%" else figure.published
    return format_value(indicator, figure.value if figure else None)


def _indicator_variables(indicator: Indicator) -> dict:
    service = indicator.area("service")
    latest, previous = service.latest, service.previous

    def area_value(kind):
        # The comparator's figure for the service's latest period, so the narrative compares
        # like with like even when comparators are published first.
        s = indicator.area(kind)
        figure = (s.at(latest.period) if latest else s.latest) if s else None
        return figure_value(indicator, figure)

    return {
        "rate": figure_value(indicator, latest),
        "previous_rate": figure_value(indicator, previous),
        "change": change_words(indicator, service),
        "period": latest.period if latest else "not available",
        "count": available(child_count(latest.numerator if latest else None,   # None: a published rate alone
                                       f"the latest {indicator.definition.count_label.lower()} count")
                           if indicator.definition.counts_children else number(latest.numerator if latest else None)),
        "family_rate": area_value("family"), "region_rate": area_value("region"),
        "national_rate": area_value("national"),
    }


def kpis(project: Project, plan: PlanYear) -> dict[str, Indicator]:
    """The KPIs, or none for a plan whose period ended before services began reporting them:
    a 2022-23 plan shows that they do not apply, not ten rows of "not available"."""
    starts = project.kpi_set.starts
    if starts is not None and plan.meta.period.end < starts:
        return {}
    definitions = nations.indicator_definitions(kpi_wording(project.kpi_set, plan).indicators, plan.meta.nation)   # Wales: ALN
    return indicators(project.kpis, definitions, project.areas, plan, periods_shown=2)


def kpi_wording(kpi_set, plan: PlanYear):
    """The KPI definitions in the wording of the plan's date (#16): a plan dated (signed off, else
    its figures date) before the set's `wording_from` takes the `earlier` edition, the launch
    wording of 2023 whose KPIs 4 and 5 counted children receiving support."""
    from . import rules
    day = plan.meta.sign_off.date or plan.meta.figures_date
    if kpi_set.wording_from and kpi_set.earlier and day < kpi_set.wording_from:
        return rules.indicator_set(kpi_set.earlier)
    return kpi_set


def previous_year(year: str) -> str:
    start = int(year[:4]) - 1
    return f"{start}-{str(start + 1)[2:]}"


def derive(project: Project, plan: PlanYear) -> Derived:
    from . import joint
    from .smallcounts import reviewed_counts
    derived = Derived(budget(plan), staff(plan), board(plan),
                      joint.indicators(project, plan),   # = indicators(...), plus a joint service's authorities

                      kpis(project, plan),
                      None, compliance(plan))
    derived.reviewed_counts = reviewed_counts(plan)
    derived.labels = plan_labels(plan)
    derived.variables = {
        "plan": {"service": plan.meta.service, "authority": plan.meta.authority_name,
                 "year": plan.year, "previous_year": previous_year(plan.year)},
        "budget": {"total": money(derived.budget.total), "grant": money(derived.budget.grant),
                   "in_kind": money(derived.budget.in_kind), "grant_name": derived.labels["grant"]},
        "labels": {k: v for k, v in derived.labels.items() if isinstance(v, str)},
        "staff": {"headcount": str(derived.staff.headcount), "fte": available(number(derived.staff.fte, 1))},
        "board": {"members": str(derived.board.members), "meetings_held": str(derived.board.meetings_held),
                  "attendance": available(percent(derived.board.attendance)), "vacant": str(derived.board.vacant)},
        **{key.replace("-", "_"): _indicator_variables(ind) for key, ind in derived.indicators.items()},
    }
    # issue 14: every figure of the year's declared local tables, as {{ tables.<id>... }}
    from . import localtables
    derived.tables = localtables.derive_tables(project, plan)
    derived.demographics = demographics(derived.tables, project.population, plan)
    if derived.tables:
        derived.variables["tables"] = localtables.variables(derived.tables)
    # issue 19: a page in another language says the indicators' wording from the catalogue
    from .datawording import indicators_in
    derived.indicators = indicators_in(derived.indicators, plan.meta.language)
    derived.kpis = indicators_in(derived.kpis, plan.meta.language)
    return derived


def available(text: str) -> str:
    """A derived figure for narrative: "not available" rather than nothing when it cannot be worked out."""
    return text or "not available"


def partner_name(partner: Partner | list[Partner], labels: dict | None = None) -> str:
    """A partner's name; a shared seat's partners joined ("Health and Education"). With the
    plan's dated `labels` (templates: `| partner(d.labels)`), the 'yjb' partner is whoever pays
    the grant in the plan's period (#16: the Ministry of Justice from April 2026)."""
    if isinstance(partner, list):
        return and_join([partner_name(p, labels) for p in partner])     # "A, B and C"
    if partner is Partner.YJB and labels and labels.get("grant_payer"):
        return labels["grant_payer"]
    return PARTNER_NAMES[partner]


@dataclass
class PostGroup:
    post: str
    count: int
    fte: float
    seconded: str


def posts_by_title(posts) -> list[PostGroup]:
    """The establishment: posts grouped by title, in the order first listed (no personal data)."""
    groups: dict[str, list] = {}
    for post in posts:
        groups.setdefault(post.post, []).append(post)
    return [PostGroup(title, len(group), fte_total(group),
                      ", ".join(sorted({partner_name(p.seconded_from) for p in group if p.seconded_from})))
            for title, group in groups.items()]


def signed_money(amount: int | None) -> str:
    if amount is None:
        return ""
    return "no change" if amount == 0 else ("+" if amount > 0 else "−") + money(abs(amount))


