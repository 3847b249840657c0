"""Rules that come from guidance (heading sets, indicator definitions) are data in rules/*.yml."""
from __future__ import annotations

import re
from datetime import date
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

RULES_DIR = Path(__file__).parent / "rules"


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Rule):
    """Where a rule comes from: every entry of a rules file names one (tests/test_rule_sources.py)."""
    address: str
    title: str
    read: str                       # when it was read ("2026-11")
    note: str = ""


STATUSES = ("confirmed", "provisional", "inferred")


class Sourced(Rule):
    source: str = ""                # a key of the file's `sources:`
    status: str = ""                # confirmed / provisional / inferred


class Heading(Sourced):
    id: str
    title: str
    blocks: list[str] = []
    subheadings: list[str] = []
    required: bool = True           # False: a local section the edition allows but does not ask for
    label: str = ""                 # the council's own number or letter ("2", "C"): plan.yml (plan/outline.py)
    local: bool = False             # a section or appendix the plan adds (plan.yml sections/appendices)


class Fits(Rule):
    """The plan periods an edition was written for: a plan starting outside them gets a warning."""
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    start: date | None = Field(default=None, alias="from")
    end: date | None = Field(default=None, alias="to")

    def holds(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


class Guidance(Sourced):
    edition: str
    title: str
    submission_due: str            # "MM-DD" in the year the plan period starts
    appendix_style: str = "letters"
    submitted_to: str = "Youth Justice Board"   # who the plan goes to (s.40(4); the MoJ from 2026)
    fits: Fits = Fits()
    sources: dict[str, Source] = {}
    headings: list[Heading]
    appendices: list[Heading] = []

    def heading(self, heading_id: str) -> Heading | None:
        return next((h for h in self.headings if h.id == heading_id), None)

    def appendix(self, appendix_id: str) -> Heading | None:
        return next((a for a in self.appendices if a.id == appendix_id), None)

    def label_of(self, item_id: str) -> str:
        """The number of a heading ("3") or the letter or number of an appendix ("C"): the plan's
        own (plan.yml, plan/outline.py), else the one after the item before it, so a council's
        numbering carries on ("2. How we are run" is followed by 3); the edition's style first."""
        for items, first in ((self.headings, "1"), (self.appendices, "A" if self.appendix_style == "letters" else "1")):
            previous = ""
            for item in items:
                label = item.label or (_next_label(previous) if previous else first)
                if item.id == item_id:
                    return label
                previous = label
        return ""


def _next_label(label: str) -> str:
    """The label after `label`: 3 after 2, C after B, 5 after 4a; another shape gets a "+"."""
    if label.isdigit():
        return str(int(label) + 1)
    if len(label) == 1 and label.isalpha() and label.upper() != "Z":
        return chr(ord(label) + 1)
    digits = re.match(r"^(\d+)", label)
    return str(int(digits.group(1)) + 1) if digits else label + "+"


class IndicatorDef(Sourced):
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
    nations: dict[str, dict[str, str]] = {}   # a nation's wording where it differs (plan/nations.py)
    # published rates and related measures (plan/rates.py)
    label: str = ""                 # its name in a table of measures ("Binary rate: ...")
    part_of: str = ""               # shown in this headline indicator's table of measures
    counts_from: dict[str, str] = {}   # counts from other rows: {"numerator": "indicator.numerator", ...}
    plausible: list[float] = []     # [lowest, highest] a published rate can be


class IndicatorSet(Sourced):
    edition: str
    title: str = ""
    sources: dict[str, Source] = {}
    starts: date | None = None      # first day services reported them: a plan period ending before has none
    wording_from: date | None = None   # a plan dated before it takes the edition `earlier` names (#16)
    earlier: str = ""
    indicators: list[IndicatorDef]

    def by_id(self) -> dict[str, IndicatorDef]:
        return {i.id: i for i in self.indicators}


def guidance_editions() -> list[str]:
    return sorted(p.stem.removeprefix("guidance-") for p in RULES_DIR.glob("guidance-*.yml"))


def edition_for(day: date) -> str | None:
    """The guidance edition written for a plan period starting on `day`, if any."""
    return next((e for e in guidance_editions() if guidance(e).fits.holds(day)), None)


@cache
def guidance(edition: str) -> Guidance | None:
    path = RULES_DIR / f"guidance-{edition}.yml"
    if not path.exists():
        return None
    from .rulecheck import validated      # a bad rule file: findings with file and line (#16)
    return validated(Guidance, path)


@cache
def indicator_set(edition: str = "indicators-2023") -> IndicatorSet:
    from .rulecheck import validated
    return validated(IndicatorSet, RULES_DIR / f"{edition}.yml")


class LocalMeasure(Sourced):
    id: str
    title: str
    category_label: str
    unit: str
    categories: list[str]
    additive: bool = True         # do the categories add up to a meaningful total? (starts and completions do not)


class LocalMeasureSet(Sourced):
    edition: str
    sources: dict[str, Source] = {}
    measures: list[LocalMeasure]

    def by_id(self) -> dict[str, LocalMeasure]:
        return {m.id: m for m in self.measures}


@cache
def local_measures(edition: str = "local-measures") -> LocalMeasureSet:
    from .rulecheck import validated
    return validated(LocalMeasureSet, RULES_DIR / f"{edition}.yml")
