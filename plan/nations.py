"""What differs for a Welsh youth justice service (plan.yml `nation: wales`), all of it data in
plan/rules/: the KPI wording (ALN, not SEND: kpis-*.yml `nations:`), the approval route (no
full council: statutory.yml `only:` and `nations:`), who the plan goes to (YJB Cymru:
labels.py `submission_body`), and the Youth Justice Blueprint for Wales' six principles, which a
Welsh plan may use as headings of its own (blueprint-wales-2019.yml). An English plan (the
default) gets exactly what it got before: every function here returns its input unchanged.
"""
from __future__ import annotations

from functools import cache

from . import rules


class HeadingSet(rules.Sourced):
    """Optional headings a nation's plans may use, whatever guidance edition they follow."""
    edition: str
    title: str
    nation: str
    after: str = ""                 # the guidance heading they follow (else: before sign-off)
    sources: dict[str, rules.Source] = {}
    headings: list[rules.Heading]


@cache
def heading_sets() -> tuple[HeadingSet, ...]:
    """Every plan/rules/blueprint-*.yml, read like the editions (rulecheck.validated): a heading
    without a source or a misspelt field is an error naming the file, line, field and fix."""
    from .rulecheck import validated
    return tuple(validated(HeadingSet, path) for path in sorted(rules.RULES_DIR.glob("blueprint-*.yml")))


@cache
def optional_headings(nation: str) -> list[rules.Heading]:
    """The optional headings offered to plans of `nation` (none for England)."""
    found: list[rules.Heading] = []
    for heading_set in heading_sets():
        if heading_set.nation == nation:
            found += heading_set.headings
    return found


@cache
def _after(nation: str) -> str:
    return next((s.after for s in heading_sets() if s.nation == nation), "")


def guidance_for(guidance: rules.Guidance | None, nation: str) -> rules.Guidance | None:
    """The edition as a plan of `nation` reads it: for Wales, with the Blueprint headings offered
    (placed after the `after:` heading, else before sign-off, else at the end)."""
    extra = optional_headings(nation)
    if guidance is None or not extra:
        return guidance
    ids = [h.id for h in guidance.headings]
    after = _after(nation)
    if after in ids:
        at = ids.index(after) + 1
    elif "sign-off" in ids:
        at = ids.index("sign-off")
    else:
        at = len(ids)
    return guidance.model_copy(update={"headings": [*guidance.headings[:at], *extra, *guidance.headings[at:]]})


def drop_unused(guidance: rules.Guidance | None, used: set[str], nation: str) -> rules.Guidance | None:
    """Take out the offered headings the plan has no narrative for: they are optional, and an
    unused one would otherwise be published as an empty page."""
    offered = {h.id for h in optional_headings(nation)}
    if guidance is None or not offered:
        return guidance
    return guidance.model_copy(update={"headings": [h for h in guidance.headings
                                                    if h.id not in offered or h.id in used]})


def indicator_definitions(definitions: list[rules.IndicatorDef], nation: str) -> list[rules.IndicatorDef]:
    """Each indicator in `nation`'s wording, where its `nations:` entry differs (KPI 3: ALN)."""
    return [d.model_copy(update=d.nations[nation]) if nation in d.nations else d for d in definitions]


def approval_route(route: list[dict], nation: str) -> list[dict]:
    """The steps of statutory.yml's approval route that apply in `nation`, in its wording: a
    Welsh plan needs no full council approval (Regulation 4 is England's)."""
    return [{**step, **step.get("nations", {}).get(nation, {})} for step in route
            if nation in step.get("only", [nation])]
