"""Checks of inspection.yml that need more than one field: the overall and domain ratings
against the standards' ratings (plan/rules/inspection.yml), and the improvement plan against
the recommendations it answers."""
from __future__ import annotations

from collections.abc import Iterator
from functools import cache

import yaml

from . import rules
from .load import PlanYear
from .problems import Finding, Severity

FILE = "inspection.yml"


@cache
def inspection_rules() -> dict:
    return yaml.safe_load((rules.RULES_DIR / "inspection.yml").read_text(encoding="utf-8"))


def _at(plan: PlanYear, location: tuple, rule: str, message: str, fix: str,
        severity: Severity = Severity.ERROR) -> Finding:
    return plan.finding(FILE, location, rule, message, fix, severity)


def doubtful(rating: str, under: list[str]) -> str | None:
    """Why `rating` cannot be right above standards rated `under`, or None if it can."""
    for rule in inspection_rules()["inconsistent"]:
        if rule["rating"] != rating or not under:
            continue
        if "when_any" in rule and any(r in rule["when_any"] for r in under):
            return rule["why"]
        if "when_all" in rule and all(r in rule["when_all"] for r in under):
            return rule["why"]
    return None


def _counts(ratings: list[str]) -> str:
    order = ["Outstanding", "Good", "Requires improvement", "Inadequate"]
    return ", ".join(f"{ratings.count(r)} {r}" for r in order if r in ratings)


def ratings_agree(plan: PlanYear) -> Iterator[Finding]:
    inspection = plan.inspection
    if inspection is None:
        return
    every = [r.rating for r in inspection.ratings]
    if inspection.overall and (why := doubtful(inspection.overall, every)):
        yield _at(plan, ("overall",), "inspection.overall-vs-standards",
                  f"the overall rating is {inspection.overall}, but the standards are rated {_counts(every)}: "
                  f"both cannot be right ({why})",
                  "check the inspection report and correct 'overall:' or the standards' ratings", Severity.WARNING)
    for index, domain in enumerate(inspection.domains):
        under = [r.rating for r in inspection.ratings if r.domain.strip().lower() == domain.domain.strip().lower()]
        if why := doubtful(domain.rating, under):
            yield _at(plan, ("domains", index, "rating"), "inspection.domain-vs-standards",
                      f"the domain '{domain.domain}' is rated {domain.rating}, but its standards are rated "
                      f"{_counts(under)}: both cannot be right ({why})",
                      "check the inspection report and correct the domain's rating or its standards' ratings",
                      Severity.WARNING)


def _answers(action_recommendation: str, rec) -> bool:
    said = action_recommendation.strip().lower()
    return said in (rec.id.strip().lower(), rec.recommendation.strip().lower())


def improvement_plan_answers_recommendations(plan: PlanYear) -> Iterator[Finding]:
    """Every recommendation has at least one action, and every action answers a recommendation
    the report made (when inspection.yml lists them under 'recommendations:')."""
    inspection = plan.inspection
    if inspection is None or not inspection.recommendations:
        return
    ids = [r.id for r in inspection.recommendations]
    for index, rec in enumerate(inspection.recommendations):
        if not any(_answers(a.recommendation, rec) for a in inspection.improvement_plan):
            yield _at(plan, ("recommendations", index, "id"), "inspection.recommendation-without-action",
                      f"the recommendation {rec.id} ('{rec.recommendation}') has no action in the improvement plan",
                      f"add an action under 'improvement_plan:' with 'recommendation: {rec.id}', its owner, due "
                      "date and status")
    for index, action in enumerate(inspection.improvement_plan):
        if not any(_answers(action.recommendation, rec) for rec in inspection.recommendations):
            yield _at(plan, ("improvement_plan", index, "recommendation"), "inspection.unknown-recommendation",
                      f"the action '{action.action}' answers the recommendation '{action.recommendation}', "
                      "which is not among the inspection's recommendations",
                      f"use the id of one of the recommendations listed under 'recommendations:' "
                      f"({', '.join(ids)}), or add the recommendation there")


CHECKS = [ratings_agree, improvement_plan_answers_recommendations]
