"""Youth justice services as evidence: content/<year>/services.yml says, for each service of
s.38(4) of the Crime and Disorder Act 1998 (plan/rules/statutory.yml `s38_services`), who
provides it, how it is funded and where the plan describes it. The plan publishes it as a table
(templates/blocks/services.md); compliance.py reads it for s.40(1)(a) and (b).

A plan without services.yml falls back to searching its text for each service's keywords: a
hint only (a warning), because a word is not evidence ("Corporate Parenting Panel" is not a
parenting order, and a service described only in an appendix has no narrative words).
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from functools import cache

import yaml

from . import rules
from .i18n import Worded, joined
from .load import PlanYear
from .labels import partner_label   # yjplan #16: the grant payer's name dated to the plan
from .models import PARTNER_NAMES, Partner
from .privacy import strings
from .problems import Finding, Severity

FILE = "services.yml"
BLOCK = "services"
PARTNER_KEYS = [p.value for p in Partner]
EXAMPLE = ("- service: bail-support\n    provider: yjs\n    how: bail packages proposed to the court\n"
           "    funded_by: [local-authority, yjb]\n    where: resources")


@cache
def s38_services() -> list[dict]:
    """The services of s.38(4), in the Act's order (statutory.yml: key, name, words, status)."""
    law = yaml.safe_load((rules.RULES_DIR / "statutory.yml").read_text(encoding="utf-8"))
    return law["s38_services"]


def _by_key() -> dict[str, dict]:
    return {s["key"]: s for s in s38_services()}


def _at(plan: PlanYear, location: tuple, rule: str, message: str, fix: str,
        severity: Severity = Severity.ERROR) -> Finding:
    return plan.finding(FILE, location, rule, message, fix, severity)


# --- who provides and funds: partner keys or names ---------------------------------------------

def _looks_like_key(value: str) -> bool:
    """'probaton' or 'social-cre' is a mistyped key; 'Family Action' is an organisation's name."""
    return re.fullmatch(r"[a-z]+(-[a-z]+)*", value.strip()) is not None


def partner_of(value: str) -> Partner | None:
    return Partner(value.strip().lower()) if value.strip().lower() in PARTNER_KEYS else None


def _provider_name(plan: PlanYear, value: str) -> str:
    partner = partner_of(value)
    if partner is Partner.YJS:
        return plan.meta.service
    return (partner_label(partner, plan) or PARTNER_NAMES[partner]) if partner else value


def _funder_name(plan: PlanYear, value: str) -> str:
    """A partner key reads as its row(s) of finance.yml ("YJB youth justice grant"), a budget's name as written."""
    partner = partner_of(value)
    if partner is None:
        return value
    rows = [c.agency for c in plan.finance.contributions if c.partner is partner]
    return "; ".join(rows) if rows else (partner_label(partner, plan) or PARTNER_NAMES[partner])


def _place(plan: PlanYear, heading_id: str) -> str:
    from .compliance import _section      # compliance imports this module: import when used
    appendix = heading_id not in {h.id for h in plan.guidance.headings}
    return _section(plan, heading_id, appendix=appendix)


def _place_ids(plan: PlanYear) -> list[str]:
    return [h.id for h in [*plan.guidance.headings, *plan.guidance.appendices]]


def _commissioned(providers: str, commissioned: bool) -> str:
    return Worded("%(providers)s (commissioned)", providers=providers) if commissioned else providers


def table(plan: PlanYear) -> list[dict]:
    """One row per entry of services.yml, in the order of the Act; unknown services left out
    (they are errors)."""
    if plan.services is None:
        return []
    order = {key: index for index, key in enumerate(_by_key())}
    known = sorted((e for e in plan.services.services if e.service in order), key=lambda e: order[e.service])
    places = set(_place_ids(plan))
    return [{
        "service": _by_key()[e.service]["name"],
        "provider": _commissioned(joined("; ", [_provider_name(plan, p) for p in e.providers]), e.commissioned),
        "how": e.how,
        "funded_by": joined("; ", [_funder_name(plan, f) for f in e.funders]),
        "where": _place(plan, e.where) if e.where in places else e.where,
    } for e in known]


# --- the keyword hint ------------------------------------------------------------------------------

def _content_text(plan: PlanYear) -> str:
    """What the appendices publish: every text of the YAML files but services.yml itself."""
    models = [plan.meta, plan.governance, plan.finance, plan.staffing, plan.champions, plan.priorities,
              plan.risks, plan.inspection, plan.glossary]
    return "\n".join(s for m in models if m is not None for _, s in strings(m)).lower()


def plan_text(plan: PlanYear) -> str:
    """The whole plan as published, but for services.yml: the narrative and the appendices' content."""
    return "\n".join([*(n.body.lower() for n in plan.narratives), _content_text(plan)])


def _place_text(plan: PlanYear, place: str) -> str:
    """The text a heading publishes (its narrative); for an appendix, the YAML content it shows."""
    if place in {h.id for h in plan.guidance.headings}:
        return "\n".join(n.body for n in plan.narratives if n.heading == place).lower()
    return _content_text(plan)


def mentions(service: dict, text: str) -> bool:
    text = text.replace("’", "'")         # i’r and i'r alike
    return any(word in text for word in service["words"])


def keyword_gaps(plan: PlanYear) -> list[str]:
    text = plan_text(plan)
    return [s["name"] for s in s38_services() if not mentions(s, text)]


# --- what compliance.py reads -----------------------------------------------------------------------

def missing(plan: PlanYear) -> list[dict]:
    listed = {e.service for e in plan.services.services}
    return [s for s in s38_services() if s["key"] not in listed]


def _table_place(plan: PlanYear) -> str:
    from .compliance import _section
    for appendix, items in ((False, plan.guidance.headings), (True, plan.guidance.appendices)):
        for heading in items:
            if BLOCK in heading.blocks:
                return Worded("%(place)s, table of youth justice services",
                              place=_section(plan, heading.id, appendix=appendix))
    return "services.yml"


def evidence(plan: PlanYear, rule: str) -> dict:
    """The fields of a compliance.Requirement for s40.services-provided ("provided") or
    s40.team-functions ("functions"): from services.yml, or the keyword hint without it."""
    if plan.services is None and (plan.folder / FILE).is_file():
        # It exists but could not be read (check_partially): its errors are reported already.
        return dict(met=False, where="services.yml could not be read", file=plan.shown(FILE), severity="warning",
                    unmet_label="Not shown", fix="correct the errors reported in services.yml")
    if plan.services is None:
        gaps = keyword_gaps(plan)
        said = Worded("the plan's text does not mention: %(gaps)s", gaps=joined("; ", gaps)) if gaps else \
            "the plan's text mentions every service, but does not say who provides each or how it is funded"
        return dict(met=False, where=Worded("no services.yml; %(said)s", said=said), file=plan.shown(FILE), severity="warning",
                    unmet_label="Not shown", fix=(
                        "write services.yml: for each youth justice service of s.38(4), who provides it, how, how it "
                        "is funded and where the plan describes it (content/README.md)"
                        + (f"; the plan should also describe: {'; '.join(gaps)}" if gaps else "")))
    absent = missing(plan)
    place = _table_place(plan)
    at = dict(file=plan.shown(FILE), line=plan.lines[FILE].line_of(("services",)) if FILE in plan.lines else None,
              field="services")
    if absent:
        names = "; ".join(s["name"] for s in absent)
        keys = ", ".join(s["key"] for s in absent)
        return dict(met=False, where=Worded("not in services.yml: %(names)s",
                                            names=joined("; ", [s["name"] for s in absent])), **at,
                    fix=f"add an entry under 'services:' for each of: {keys}, saying who provides it, how, how it is "
                        f"funded and where the plan describes it, e.g. {EXAMPLE}")
    if rule == "functions":
        own = [_by_key()[e.service]["name"] for e in plan.services.services
               if e.service in _by_key() and any(partner_of(p) is Partner.YJS for p in e.providers)]
        if not own:
            return dict(met=False, where="services.yml names no service the team provides itself", **at,
                        fix="give 'provider: yjs' to the services the youth justice service delivers itself")
        return dict(met=True, where=Worded("%(place)s: the team provides %(services)s", place=place,
                                           services=joined("; ", list(dict.fromkeys(own)))))
    return dict(met=True, where=place)


# --- checks of services.yml ------------------------------------------------------------------------

def _did_you_mean(value: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(value.strip().lower(), choices, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'? " if close else ""


def services_known(plan: PlanYear) -> Iterator[Finding]:
    if plan.services is None:
        return
    keys = list(_by_key())
    names = {s["name"].lower(): s["key"] for s in s38_services()}
    seen: dict[str, int] = {}
    for index, entry in enumerate(plan.services.services):
        if entry.service not in keys:
            hint = (f"did you mean '{names[entry.service.strip().lower()]}'? " if entry.service.strip().lower() in names
                    else _did_you_mean(entry.service, keys))
            yield _at(plan, ("services", index, "service"), "services.unknown-service",
                      f"'{entry.service}' is not a youth justice service of s.38(4) yjplan knows",
                      f"{hint}use one of: {', '.join(keys)}")
        elif entry.service in seen:
            yield _at(plan, ("services", index, "service"), "services.duplicate",
                      f"'{entry.service}' is listed twice (entries {seen[entry.service] + 1} and {index + 1}): the "
                      "table would show it twice", "merge the two entries: 'provider:' and 'funded_by:' take a list")
        else:
            seen[entry.service] = index


def providers_and_funders(plan: PlanYear) -> Iterator[Finding]:
    """A partner key must be one yjplan knows; anything with a capital or a space is an
    organisation's name, published as written. A funding partner should have a budget row."""
    if plan.services is None:
        return
    budget = {c.partner for c in plan.finance.contributions}
    for index, entry in enumerate(plan.services.services):
        for field, values in (("provider", entry.providers), ("funded_by", entry.funders)):
            for position, value in enumerate(values):
                location = ("services", index, field) + ((position,) if len(values) > 1 else ())
                partner = partner_of(value)
                if partner is None and _looks_like_key(value):
                    yield _at(plan, location, f"services.{field.replace('_', '-')}",
                              f"'{value}' is not a partner yjplan knows, nor an organisation's name",
                              f"{_did_you_mean(value, PARTNER_KEYS)}write a partner key ({', '.join(PARTNER_KEYS)}) "
                              "or the organisation's or budget's name as it should be published, e.g. 'Family Action'")
                elif field == "funded_by" and partner is not None and partner not in budget:
                    yield _at(plan, location, "services.funder-not-in-budget",
                              f"'{value}' funds {entry.service}, but finance.yml has no contribution from it",
                              f"add its contribution to finance.yml, or name the budget that pays for {entry.service}",
                              Severity.WARNING)


def places_exist(plan: PlanYear) -> Iterator[Finding]:
    if plan.services is None:
        return
    ids = _place_ids(plan)
    for index, entry in enumerate(plan.services.services):
        if entry.where not in ids:
            yield _at(plan, ("services", index, "where"), "services.where",
                      f"'{entry.where}' is not a heading or appendix of the {plan.guidance.edition} guidance, so "
                      f"the reader cannot find where {entry.service} is described",
                      f"{_did_you_mean(entry.where, ids)}use one of: {', '.join(ids)}")


def described_where_said(plan: PlanYear) -> Iterator[Finding]:
    """The hint: the place services.yml names never mentions the service (its keywords)."""
    if plan.services is None:
        return
    ids = _place_ids(plan)
    for index, entry in enumerate(plan.services.services):
        service = _by_key().get(entry.service)
        if service is None or entry.where not in ids or mentions(service, _place_text(plan, entry.where)):
            continue
        yield _at(plan, ("services", index, "where"), "services.not-described",
                  f"services.yml says {service['name'].lower()} is described in {_place(plan, entry.where)}, but "
                  f"its text never mentions it (looked for: {', '.join(service['words'])})",
                  "describe the service there, or point 'where:' at the heading that does", Severity.WARNING)


CHECKS = [services_known, providers_and_funders, places_exist, described_where_said]
