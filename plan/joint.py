"""Joint youth justice services: several local authorities, one plan (Crime and Disorder Act 1998
s.40(1): each authority's duty, "whether alone or jointly with one or more other local
authorities").

A single-authority plan is the same model with one entry (models.PlanMeta.authority_entries),
so everything here is a no-op for it. What a joint plan adds:

- each authority's own area code: its indicator figures are shown beside the service's, and the
  service's figures, where not published, are derived from the authorities' counts (numerators
  and denominators summed; rates are never added);
- local counts (data/local.csv, optional `area` column) likewise summed into the service's;
- each council's own approval route (cabinet or committee, full council) and its contribution,
  checked per authority, with one line of the compliance checklist for each.

Hooks: derive.derive (indicators), derive.local_measures (local counts), compliance.compliance
(per-authority lines), load.load_project (area codes), areacheck (areas used), check.CHECKS.
"""
from __future__ import annotations

import difflib
from collections.abc import Iterator

import pandas as pd

from .i18n import DateWords, Worded, joined
from .load import PlanYear
from .models import Partner
from .problems import Finding, Severity

PLAN = "plan.yml"
FINANCE = "finance.yml"
# The steps each council takes for itself; the board and the submission are the service's.
OWN_STEPS = ("cabinet", "council")
STEP_WORDS = {"cabinet": "cabinet or committee", "council": "full council"}


def _key(name: str) -> str:
    return " ".join(name.lower().split())


def _named(plan: PlanYear, name: str) -> str | None:
    """The plan's authority that `name` names (case and spacing aside), or None."""
    return next((a for a in plan.meta.authorities if _key(a) == _key(name)), None)


def _did_you_mean(plan: PlanYear, name: str) -> str:
    close = difflib.get_close_matches(name, plan.meta.authorities, n=1, cutoff=0.5)
    return f"did you mean '{close[0]}'? " if close else ""


# --- checks ----------------------------------------------------------------------------------------

def authorities_listed_once(plan: PlanYear) -> Iterator[Finding]:
    """An authority (or area code) listed twice would count its council's duty, figures and
    contribution twice."""
    seen_names, seen_areas = {}, {}
    for i, entry in enumerate(plan.meta.authority_entries):
        where = ("authority", i) if isinstance(plan.meta.authority, list) else ("authority",)
        if _key(entry.name) in seen_names:
            yield plan.finding(PLAN, where, "joint.duplicate-authority",
                               f"the authority '{entry.name}' is listed twice under 'authority:'",
                               "list each authority of the service once (delete the second entry)")
        elif entry.area and entry.area in seen_areas:
            yield plan.finding(PLAN, (*where, "area"), "joint.duplicate-authority",
                               f"the area code '{entry.area}' is given to both '{seen_areas[entry.area]}' and "
                               f"'{entry.name}'", "give each authority its own area code from data/areas.csv")
        seen_names[_key(entry.name)] = entry.name
        if entry.area:
            seen_areas.setdefault(entry.area, entry.name)


def named_authorities_exist(plan: PlanYear) -> Iterator[Finding]:
    """An approval or contribution naming an authority the plan does not list: a misspelt name
    would otherwise leave that council's duty looking unmet, or met by another's decision."""
    names = ", ".join(plan.meta.authorities)
    for i, approval in enumerate(plan.meta.approvals):
        if approval.authority and not _named(plan, approval.authority):
            yield plan.finding(PLAN, ("approvals", i, "authority"), "joint.unknown-authority",
                               f"the approval '{approval.body}' names the authority '{approval.authority}', which "
                               "is not an authority of this plan",
                               f"{_did_you_mean(plan, approval.authority)}use one of: {names} (or add it under "
                               "'authority:')")
    for i, row in enumerate(plan.finance.contributions if plan.finance else []):
        if row.authority and not _named(plan, row.authority):
            yield plan.finding(FINANCE, ("contributions", i, "authority"), "joint.unknown-authority",
                               f"the contribution of '{row.agency}' names the authority '{row.authority}', which "
                               "is not an authority of this plan",
                               f"{_did_you_mean(plan, row.authority)}use one of: {names}")


def council_steps_name_their_council(plan: PlanYear) -> Iterator[Finding]:
    """In a joint plan, a cabinet, committee or council decision is one council's: without its
    name, yjplan cannot tell whose duty it meets."""
    if not plan.meta.joint:
        return
    from .compliance import step_of
    for i, approval in enumerate(plan.meta.approvals):
        if not approval.authority and step_of(approval) in OWN_STEPS:
            yield plan.finding(PLAN, ("approvals", i, "body"), "joint.approval-authority",
                               f"the approval '{approval.body}' does not say which council's it is; in a joint "
                               "plan each council approves the plan for itself",
                               f"add 'authority:' with one of: {', '.join(plan.meta.authorities)}")


ROUTE_ORDER = ("board", "yjb", "cabinet", "council")     # board -> submission -> cabinet -> council


def each_councils_route_in_order(plan: PlanYear) -> Iterator[Finding]:
    """Each council's route, in a joint plan: the board's approval, the submission, then that
    council's own cabinet (or committee), then its full council, dated in that order. The
    service-wide check reads only the first council's steps; a later council's cabinet dated
    before the board would otherwise pass."""
    if not plan.meta.joint:
        return
    from .compliance import step_of
    shared = {}
    for i, approval in enumerate(plan.meta.approvals):
        step = step_of(approval)
        if step in ("board", "yjb") and not approval.to_follow and approval.date and step not in shared:
            shared[step] = (i, approval)
    for name in plan.meta.authorities:
        steps = dict(shared)
        for i, approval in enumerate(plan.meta.approvals):
            step = step_of(approval)
            if step in OWN_STEPS and approval.authority and _named(plan, approval.authority) == name \
                    and not approval.to_follow and approval.date and step not in steps:
                steps[step] = (i, approval)
        dated = [(s, *steps[s]) for s in ROUTE_ORDER if s in steps]
        for (step_a, _, a), (step_b, i, b) in zip(dated, dated[1:]):
            if b.date < a.date:
                yield plan.finding(PLAN, ("approvals", i, "date"), "joint.approval-order",
                                   f"{name}'s route is out of order: '{b.body}' is dated {b.date:%d %B %Y}, before "
                                   f"'{a.body}' ({a.date:%d %B %Y}); each council's route runs board, submission, "
                                   "its cabinet or committee, then its full council",
                                   f"correct the date of {name}'s '{b.body}' or of '{a.body}'",
                                   severity=Severity.WARNING if plan.meta.is_draft else Severity.ERROR)
                break


CHECKS = [authorities_listed_once, named_authorities_exist, council_steps_name_their_council,
          each_councils_route_in_order]


def authority_areas_known(plan: PlanYear, areas: pd.DataFrame) -> list[Finding]:
    """Each authority's area code must be in data/areas.csv (like the comparators' codes)."""
    codes = list(areas.area)
    findings = []
    for i, entry in enumerate(plan.meta.authority_entries):
        if not entry.area or entry.area in codes:
            continue
        close = difflib.get_close_matches(entry.area, codes, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        findings.append(plan.finding(
            PLAN, ("authority", i, "area"), "plan.authority-area",
            f"the area code '{entry.area}' of {entry.name} is not an area in data/areas.csv, so its figures "
            "would be shown nowhere", f"{hint}use one of: {', '.join(codes)} (or add the area to data/areas.csv)"))
    return findings


def used_areas(plan: PlanYear) -> set[str]:
    """The authorities' area codes, which the indicator tables show (areacheck)."""
    return {a.area for a in plan.meta.authority_entries if a.area}


# --- each authority's part of the statutory checklist ------------------------------------------------

def authority_requirements(plan: PlanYear, route: list[dict], section: str) -> list:
    """One line per authority of a joint plan: its s.40 duty, met jointly, needs its own
    contribution and its own council's approval steps (cabinet or committee; full council in
    England). A missing one is an error naming that council (a warning in a draft)."""
    from .compliance import Requirement, step_of
    if not plan.meta.joint:
        return []
    own = [s for s in route if s["step"] in OWN_STEPS]
    lines = []
    for name in plan.meta.authorities:
        decided = {}
        for approval in plan.meta.approvals:
            step = step_of(approval)
            if approval.authority and _named(plan, approval.authority) == name and not approval.to_follow \
                    and step in OWN_STEPS and step not in decided:
                decided[step] = approval
        pays = [c for c in plan.finance.contributions
                if c.partner is Partner.LOCAL_AUTHORITY and c.authority and _named(plan, c.authority) == name]
        missing = [STEP_WORDS[s["step"]] for s in own if s["step"] not in decided]
        met = not missing and bool(pays)
        # Worded: the same English as ever, and the catalogue's words on a page in Welsh
        if met:
            where = Worded("funded (£%(amount)s); approved: %(approvals)s (%(section)s)",
                           amount=f"{sum(c.computed_total for c in pays):,}", section=section,
                           approvals=joined("; ", [Worded("%(body)s, %(date)s", body=a.body, date=DateWords(a.date))
                                                   for a in decided.values()]))
        else:
            where = joined("; ", ([Worded("no %(steps)s approval recorded for %(name)s", name=name,
                                          steps=joined(" or ", [Worded(m) for m in missing]))] if missing else [])
                           + ([] if pays else [Worded("no local-authority contribution from %(name)s in finance.yml",
                                                      name=name)]))
        steps = [Worded(STEP_WORDS[s["step"]]) for s in own]
        lines.append(Requirement(
            "s40.joint-authority", "Crime and Disorder Act 1998 s.40(1)",
            Worded("%(name)s: the plan approved by its own %(steps)s, and funded by it (its s.40 duty, met jointly "
                   "with the other authorities)", name=name, steps=steps[0] if len(steps) == 1 else
                   Worded("%(names)s and %(last)s", names=joined(", ", steps[:-1]), last=steps[-1])),
            met, where, plan.shown("plan.yml") if missing else plan.shown("finance.yml"),
            f"record {name}'s own decisions in plan.yml 'approvals', each with 'authority: {name}'" if missing
            else f"add {name}'s contribution to finance.yml (partner: local-authority, authority: {name})",
            severity="warning" if plan.meta.is_draft else "error",
            line=plan.lines["plan.yml"].line_of(("approvals",)) if missing else None,
            field="approvals" if missing else "contributions"))
    return lines


# --- figures: each authority beside the service, and the service summed from them -------------------

def service_totals(data: pd.DataFrame, plan: PlanYear, keys: tuple[str, ...] = ("indicator", "period")) -> pd.DataFrame:
    """The figures as at the plan's figures date, with a service row added for each period the
    service has no published figure for and every authority has: numerators and denominators
    summed (never the rates), published on the latest of its parts' dates."""
    from .derive import figures_as_at
    usable = figures_as_at(data, plan.meta.figures_date)
    codes = [a.area for a in plan.meta.authority_entries if a.area]
    service = plan.meta.comparators.service
    if len(codes) < 2 or usable.empty:
        return usable
    parts = usable[usable["area"].isin(codes)]
    have = set(map(tuple, usable[usable["area"] == service][list(keys)].itertuples(index=False)))
    added = []
    for key, group in parts.groupby(list(keys)):
        if tuple(key) in have or set(group["area"]) != set(codes):
            continue
        if group["numerator"].isna().any() or group["denominator"].isna().any():
            continue                     # an authority published a rate alone: rates are never added
        row = group.iloc[0].to_dict()
        row.update(area=service, numerator=int(group["numerator"].sum()),
                   denominator=int(group["denominator"].sum()), published=max(group["published"]), rate="")
        added.append(row)
    return pd.concat([usable, pd.DataFrame(added)], ignore_index=True) if added else usable


def with_authorities(result: dict, usable: pd.DataFrame, areas: pd.DataFrame, plan: PlanYear) -> dict:
    """Each indicator's series with each authority's own series after the service's, before
    the comparators, over the same periods."""
    from .derive import AreaSeries, Figure, rate
    from .rates import value_of
    entries = [a for a in plan.meta.authority_entries if a.area]
    if len(entries) < 2:
        return result
    names = dict(zip(areas.area, areas.name))
    for key, indicator in result.items():
        rows = usable[(usable["indicator"] == key) & usable["period"].isin(indicator.periods)]
        own = []
        for entry in entries:
            area_rows = rows[rows["area"] == entry.area].sort_values("period_end")
            figures = [Figure(r.period, r.numerator, r.denominator, *value_of(r, indicator.definition, rate))
                       for r in area_rows.itertuples()]
            own.append(AreaSeries(entry.area, names.get(entry.area, entry.name), "authority", figures))
        indicator.series[1:1] = own
    return result


def indicators(project, plan: PlanYear) -> dict:
    """derive.indicators for the plan, with the service's figures summed from its authorities'
    where not published, and each authority's series shown beside the service's."""
    from .derive import indicators as derive_indicators
    from .rates import with_derived_counts
    usable = service_totals(project.indicators, plan)
    result = derive_indicators(usable, project.indicator_set.indicators, project.areas, plan)
    # indicators worked out from others' counts (reoffences per reoffender), for each authority too
    usable = with_derived_counts(usable, project.indicator_set.indicators)
    return with_authorities(result, usable, project.areas, plan)


def service_local(local: pd.DataFrame, plan: PlanYear) -> pd.DataFrame:
    """data/local.csv's rows for the service: those with no area (or the service's code), and,
    for a measure and period given only per authority, the authorities' counts summed."""
    if local is None or "area" not in local.columns:
        return local
    service = plan.meta.comparators.service
    mine = local[local["area"].isin(["", service])]
    codes = {a.area for a in plan.meta.authority_entries if a.area}
    parts = local[local["area"].isin(codes)]
    if parts.empty:
        return mine
    usable = parts[parts["published"] <= plan.meta.figures_date]
    usable = usable.sort_values("published").drop_duplicates(["area", "measure", "period", "category"], keep="last")
    have = set(zip(mine["measure"], mine["period"]))
    # only where every authority gave the measure for the period: a part missing would understate
    complete = usable.groupby(["measure", "period"])["area"].nunique()
    have |= {key for key, n in complete.items() if n < len(codes)}
    summed = (usable[[(m, p) not in have for m, p in zip(usable["measure"], usable["period"])]]
              .groupby(["measure", "period", "category"], as_index=False)
              .agg(period_end=("period_end", "first"), count=("count", "sum"), published=("published", "max")))
    summed["area"] = service
    return pd.concat([mine, summed], ignore_index=True) if not summed.empty else mine

