"""Rules that come from guidance (heading sets, indicator definitions) are data in rules/*.yml."""
from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

RULES_DIR = Path(__file__).parent / "rules"


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Heading(Rule):
    id: str
    title: str
    blocks: list[str] = []
    subheadings: list[str] = []


class Guidance(Rule):
    edition: str
    title: str
    submission_due: str            # "MM-DD" in the year the plan period starts
    appendix_style: str = "letters"
    headings: list[Heading]
    appendices: list[Heading] = []

    def heading(self, heading_id: str) -> Heading | None:
        return next((h for h in self.headings if h.id == heading_id), None)


class IndicatorDef(Rule):
    id: str
    title: str
    short: str
    definition: str
    unit: str
    scale: int
    decimals: int
    better: str                     # "lower", "higher", or "none" where it describes need
    count_label: str
    base_label: str
    counts_children: bool
    headline: bool


class IndicatorSet(Rule):
    edition: str
    starts: date | None = None      # first day services reported them: a plan period ending before has none
    indicators: list[IndicatorDef]

    def by_id(self) -> dict[str, IndicatorDef]:
        return {i.id: i for i in self.indicators}


def guidance_editions() -> list[str]:
    return sorted(p.stem.removeprefix("guidance-") for p in RULES_DIR.glob("guidance-*.yml"))


@cache
def guidance(edition: str) -> Guidance | None:
    path = RULES_DIR / f"guidance-{edition}.yml"
    if not path.exists():
        return None
    return Guidance.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


@cache
def indicator_set(edition: str = "indicators-2023") -> IndicatorSet:
    path = RULES_DIR / f"{edition}.yml"
    return IndicatorSet.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


class LocalMeasure(Rule):
    id: str
    title: str
    category_label: str
    unit: str
    categories: list[str]
    additive: bool = True         # do the categories add up to a meaningful total? (starts and completions do not)


class LocalMeasureSet(Rule):
    edition: str
    measures: list[LocalMeasure]

    def by_id(self) -> dict[str, LocalMeasure]:
        return {m.id: m for m in self.measures}


@cache
def local_measures(edition: str = "local-measures") -> LocalMeasureSet:
    path = RULES_DIR / f"{edition}.yml"
    return LocalMeasureSet.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
