"""Words that changed with time (the health body, the grant and who pays it): the wording in
force for a plan's period and nation, from plan/rules/labels.yml, so a 2016-17 plan does not speak
of integrated care boards and a 2026-27 plan does not call its grant the YJB's."""
from __future__ import annotations

import datetime as dt
from functools import cache

import yaml

from . import rules
from .i18n import Worded, is_source, translate


@cache
def _labels() -> dict:
    return yaml.safe_load((rules.RULES_DIR / "labels.yml").read_text(encoding="utf-8"))["labels"]


def label(name: str, day: dt.date, nation: str = "england") -> str:
    """The wording of `name` in force on `day` in `nation`."""
    for entry in _labels()[name]:
        if entry.get("nation", nation) != nation:
            continue
        if entry.get("from") and day < entry["from"]:
            continue
        if entry.get("to") and day > entry["to"]:
            continue
        return entry["text"]
    raise KeyError(f"plan/rules/labels.yml has no '{name}' wording for {nation} on {day}")


def submission_body(guidance: rules.Guidance, day: dt.date, nation: str) -> str:
    """Who the plan is submitted to, with its article: the edition's body, except that where the
    edition says the Youth Justice Board a Welsh plan goes to YJB Cymru (labels.yml `oversight`)."""
    if guidance.submitted_to == "Youth Justice Board":
        return label("oversight", day, nation)
    return f"the {guidance.submitted_to}"


def plan_labels(plan) -> dict[str, str]:
    """Every dated label for a plan year, as templates and narrative use them."""
    day, nation = plan.meta.period.start, plan.meta.nation
    words = {name: label(name, day, nation) for name in _labels()}
    words["submitted_to"] = plan.guidance.submitted_to
    words["submission_body"] = submission_body(plan.guidance, day, nation)   # "YJB Cymru" in Wales
    words["roles"] = [
        ("probation-officer", "Probation officer"),
        ("social-worker", "Social worker"),
        ("police-officer", "Police officer"),
        ("health", Worded("Health (nominated by the %(body)s)", body=words["health_body"])),
        ("education", "Education (a person with experience in education)"),
    ]
    return in_language(words, getattr(plan.meta, "language", None))


def in_language(words: dict, language: str | None) -> dict:
    """The labels in the plan's language (its catalogue, plan/i18n.py): unchanged in English,
    so checks and English pages read them exactly as before."""
    if is_source(language):
        return words
    said = {name: translate(text, language) for name, text in words.items() if isinstance(text, str)}
    said["roles"] = [(role, translate(text, language)) for role, text in words["roles"]]
    return said


# yjplan #16: a partner key whose name changed with time. The 'yjb' partner of finance.yml and
# services.yml is whoever pays the core grant in the plan's period (the MoJ from April 2026).
def partner_label(partner, plan) -> str | None:
    """The dated name of `partner` for `plan`, or None where the fixed name stands."""
    if getattr(partner, "value", partner) == "yjb":
        return label("grant_payer", plan.meta.period.start, plan.meta.nation)
    return None
