"""`yjplan new`: start next year's plan from the latest one, without touching it."""
from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import yaml

from .load import PlanYear, is_plan_year, load_project
from .problems import Finding, PlanError


def next_year(year: str) -> str:
    start = int(year[:4]) + 1
    return f"{start}-{str(start + 1)[2:]}"


def _a_year_on(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:           # 29 February
        return day.replace(year=day.year + 1, day=28)


def _overall_status(statuses: list[str]) -> str:
    """One status for a priority from its actions' statuses: the worst one, or complete."""
    for status in ("off track", "at risk", "on track", "not started"):
        if status in statuses:
            return status
    return "complete"


def _dump(path: Path, data: dict, note: str) -> None:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    path.write_text(f"# {note}\n{text}", encoding="utf-8")


def _plan_yml(source: PlanYear) -> dict:
    meta = source.meta.model_dump(mode="json", exclude_none=True)
    meta["status"] = "draft"
    meta["period"] = {"start": _a_year_on(source.meta.period.start).isoformat(),
                      "end": _a_year_on(source.meta.period.end).isoformat()}
    meta["figures_date"] = _a_year_on(source.meta.figures_date).isoformat()
    if source.meta.submission_due:
        meta["submission_due"] = _a_year_on(source.meta.submission_due).isoformat()
    meta["sign_off"].pop("date", None)
    meta["approvals"] = []
    return meta


def _priorities_yml(source: PlanYear) -> dict:
    carried = []
    for priority in source.priorities.priorities:
        statuses = [a.status for a in priority.actions]
        done = sum(s == "complete" for s in statuses)
        progress = "; ".join(f"{a.action}: {a.progress or a.status}" for a in priority.actions)
        carried.append({"title": priority.title, "status": _overall_status(statuses),
                        "progress": f"{done} of {len(statuses)} actions complete. {progress}"})
    # This year's priorities stay as the starting point for next year's, their actions reset.
    priorities = source.priorities.model_dump(mode="json", exclude_none=True)["priorities"]
    for priority in priorities:
        for action in priority["actions"]:
            action["due"] = _a_year_on(dt.date.fromisoformat(action["due"])).isoformat()
            action["status"] = "not started"
            action["progress"] = ""
    return {"priorities": priorities, "previous_plan": carried}


def _finance_yml(source: PlanYear) -> dict:
    finance = source.finance.model_dump(mode="json", exclude_none=True)
    for row, contribution in zip(finance["contributions"], source.finance.contributions):
        row.pop("total", None)
        row["previous_total"] = contribution.computed_total
    return finance


def new_year(root: Path, year: str) -> Path:
    """Create content/<year>/ from the latest plan year before it. Returns the new folder."""
    target = root / "content" / year
    if not is_plan_year(year):
        raise PlanError([Finding("new.year", f"'{year}' is not a plan year", fix="write it like 2026-27")])
    if target.exists():
        raise PlanError([Finding("new.exists", f"content/{year}/ already exists", fix="choose another year, or edit it",
                                 file=f"content/{year}/")])
    project = load_project(root)
    earlier = [p for p in project.years if p.year < year]
    if not earlier:
        raise PlanError([Finding("new.no-source", f"there is no plan year before {year} to start from",
                                 fix="create the first year by hand (content/README.md)")])
    source = earlier[-1]
    staging = root / "content" / f".{year}.new"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        _write_year(source, year, staging)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)     # a full disk or Ctrl-C leaves content/ as it was
        raise
    return target


def _write_year(source: PlanYear, year: str, staging: Path) -> None:
    """The new year's files, in `staging` (renamed into place when complete)."""
    shutil.copytree(source.folder, staging)
    note = f"Started from {source.year} by 'yjplan new'; check every value."
    _dump(staging / "plan.yml", _plan_yml(source), note)
    _dump(staging / "priorities.yml", _priorities_yml(source), note)
    _dump(staging / "finance.yml", _finance_yml(source), note)
    for narrative in (staging / "narrative").glob("*.md"):
        text = narrative.read_text(encoding="utf-8")
        narrative.write_text(re.sub(r"^(---\n.*?\n---\n)", rf"\1<!-- Carried over from {source.year}: update for {year}. -->\n",
                                    text, count=1, flags=re.S), encoding="utf-8")
