"""A plan year for each guidance edition, made from the sample: plan.yml's guidance and period
moved to a year the edition was written for, the narrative files renamed to its headings."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import sample_years

SOURCE_YEAR = sample_years()[-1]     # the sample's latest year, a yjb-2024 plan

# Edition -> (plan year, which sample narrative file (its number) stands in for each heading).
EDITIONS = {
    "yjb-2017": ("2016-17", {"executive-summary": "01", "structure-governance": "03", "resources": "05",
                             "partnership": "02", "risks": "12", "priorities": "07"}),
    "yjb-2021": ("2021-22", {"introduction": "01", "governance": "03", "resources": "05", "performance": "06",
                             "pandemic": "04", "risks": "12", "service-plan": "11", "sign-off": "13"}),
    "yjb-2024": ("2024-25", None),
    "moj-2026": ("2026-27", None),
}

DATE = re.compile(r"\b(20\d\d)(-\d\d-\d\d)\b")


def shift_dates(text: str, years: int) -> str:
    return DATE.sub(lambda m: f"{int(m.group(1)) + years}{m.group(2)}", text)


def make_edition_year(root: Path, edition: str) -> str:
    """Turn the sample project at `root` into one plan year following `edition`; returns the year."""
    year, reuse = EDITIONS[edition]
    content = root / "content"
    for other in content.iterdir():
        if other.is_dir() and other.name != SOURCE_YEAR:
            shutil.rmtree(other)
    folder = content / year
    (content / SOURCE_YEAR).rename(folder)
    shift = int(year[:4]) - int(SOURCE_YEAR[:4])
    for path in folder.glob("*.yml"):
        path.write_text(shift_dates(path.read_text(encoding="utf-8"), shift), encoding="utf-8")
    plan = folder / "plan.yml"
    text = re.sub(r"^guidance: .*", f"guidance: {edition}", plan.read_text(encoding="utf-8"), flags=re.M)
    if edition == "moj-2026":
        text = text.replace("{body: Youth Justice Board,", "{body: Ministry of Justice,")
    plan.write_text(text, encoding="utf-8")
    for path in [*folder.glob("*.yml"), *(folder / "narrative").glob("*.md")]:
        path.write_text(author_words(path.read_text(encoding="utf-8"), year), encoding="utf-8")
    if reuse:
        narrative = folder / "narrative"
        old = {p.name[:2]: p for p in narrative.glob("*.md")}
        for index, (heading, source) in enumerate(reuse.items(), 1):
            body = old[source].read_text(encoding="utf-8").split("---\n", 2)[2]
            (narrative / f"x{index:02d}-{heading}.md").write_text(f"---\nheading: {heading}\n---\n{body}",
                                                                   encoding="utf-8")
        for path in old.values():
            path.unlink()
    return year


def author_words(text: str, year: str) -> str:
    """What the author of a plan of that year would have written in their own text: the sample's
    narrative and YAML are 2025-26 prose. yjplan's own wording is what the tests read."""
    start = int(year[:4])
    if start < 2022:
        text = text.replace("Integrated Care Board", "Clinical Commissioning Group")
        text = text.replace("integrated care board", "clinical commissioning group")
    if start < 2023:      # the glossary's KPI entry speaks of the KPIs of April 2023
        text = text.replace("; since April 2023 youth justice services report a national set of KPIs to the YJB", "")
    if start >= 2026:
        for old in ("YJB youth justice grant", "youth justice grant from the Youth Justice Board",
                    "Youth Justice Board grant"):
            text = text.replace(old, "Ministry of Justice youth justice core grant")
        text = text.replace("{body: Youth Justice Board,", "{body: Ministry of Justice,")
    return text
