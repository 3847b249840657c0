"""`yjplan new`: start next year's plan from the latest one, without touching it."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
from pathlib import Path

from . import i18n, rules
from .load import PlanYear, is_plan_year, load_project, load_year
from .bilingual import key_of
from .problems import Finding, PlanError
from .yamledit import YamlEdit, write_atomic


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


def _plan_yml(source: PlanYear, edit: YamlEdit) -> None:
    """plan.yml a year on: a draft, with the dates moved and the sign-off and approvals cleared."""
    meta = source.meta
    edit.set(("status",), "draft")
    edit.set(("period", "start"), _a_year_on(meta.period.start))
    edit.set(("period", "end"), _a_year_on(meta.period.end))
    edit.set(("figures_date",), _a_year_on(meta.figures_date))
    if meta.submission_due:
        edit.set(("submission_due",), _a_year_on(meta.submission_due))
    edit.delete(("sign_off", "date"))
    if edit.has(("approvals",)):
        edit.set(("approvals",), [])
    if edition := _edition_a_year_on(source):
        edit.set(("guidance",), edition)
    _outline_a_year_on(source, edit)


PLAN_YEAR_IN_TITLE = re.compile(r"\b(\d{4})([-/–])(\d{2})\b")


def years_on(title: str) -> str:
    """A title with every plan year in it a year on: "Annual report 2024-25" in the 2025-26 plan
    reports on the year before, so in the 2026-27 plan it is "Annual report 2025-26". Only a
    true plan year moves (2024-25, 2024/25, 2024–25: the second part the year after the first)."""
    def on(match: re.Match) -> str:
        start, end = int(match.group(1)), int(match.group(3))
        if (start + 1) % 100 != end:
            return match.group(0)
        return f"{start + 1}{match.group(2)}{(end + 1) % 100:02d}"
    return PLAN_YEAR_IN_TITLE.sub(on, title)


def _outline_a_year_on(source: PlanYear, edit: YamlEdit) -> None:
    """The council's own titles (plan.yml headings:, sections:, appendices:, outline.py) that
    name a plan year move on with the plan."""
    meta = source.meta
    for key, retitle in meta.headings.items():
        if retitle.title and (moved := years_on(retitle.title)) != retitle.title:
            edit.set(("headings", key, "title"), moved)
    for kind in ("sections", "appendices"):
        for index, part in enumerate(getattr(meta, kind)):
            if (moved := years_on(part.title)) != part.title:
                edit.set((kind, index, "title"), moved)


def _edition_a_year_on(source: PlanYear) -> str | None:
    """The guidance edition written for the new plan's period, when the current one does not fit
    it and the new one has the same headings (so every narrative file still has its place): a
    2026-27 plan rolled on from a 2025-26 one moves to the provisional MoJ edition."""
    start = _a_year_on(source.meta.period.start)
    if source.guidance.fits.holds(start) or not (edition := rules.edition_for(start)):
        return None
    ids = lambda guidance: {h.id for h in guidance.headings}     # noqa: E731
    return edition if ids(rules.guidance(edition)) >= ids(source.guidance) else None


PROGRESS = "%(done)s of %(total)s actions complete. %(progress)s"


def _carried(source: PlanYear) -> list[dict]:
    """The year's priorities as "progress on the previous plan", in the language `source` is
    loaded in (its status words and sentence from the catalogue; English as before)."""
    language = source.meta.language
    carried = []
    for priority in source.priorities.priorities:
        statuses = [a.status for a in priority.actions]
        done = sum(s == "complete" for s in statuses)
        progress = "; ".join(f"{a.action}: {a.progress or i18n.gettext(a.status, language)}" for a in priority.actions)
        carried.append({"title": priority.title, "status": _overall_status(statuses),
                        "progress": i18n.gettext(PROGRESS, language) % {"done": done, "total": len(statuses),
                                                                         "progress": progress}})
    return carried


def _priorities_yml(source: PlanYear, edit: YamlEdit, copies: tuple[PlanYear, ...] = ()) -> None:
    """This year's priorities become "progress on the previous plan"; they stay as the starting
    point for next year's, their actions reset. A plan in Welsh and English (`copies`: the year
    loaded in its other languages) carries each text in each language."""
    carried = _carried(source)
    for language_copy in copies:
        key, other = key_of(language_copy.meta.language), _carried(language_copy)
        for row, translated in zip(carried, other):
            for field in ("title", "progress"):
                texts = row[field] if isinstance(row[field], dict) else {key_of(source.meta.language): row[field]}
                row[field] = {**texts, key: translated[field]}
    for p, priority in enumerate(source.priorities.priorities):
        for a, action in enumerate(priority.actions):
            place = ("priorities", p, "actions", a)
            edit.set((*place, "due"), _a_year_on(action.due))
            edit.set((*place, "status"), "not started")
            if edit.has((*place, "progress")):
                edit.set((*place, "progress"), "")
    edit.set(("previous_plan",), carried)


def _inspection_yml(source: PlanYear, edit: YamlEdit) -> None:
    """The inspection's improvement plan a year on: actions not complete stay as they are, with
    their last status and evidence (the author updates them during the year); complete ones go,
    since last year's plan published them as complete. With a 'recommendations:' list, a
    recommendation whose every action is complete goes too, so each one left still has an
    action. The ratings and scores stay: they are the inspection's, until the next one."""
    inspection = source.inspection
    if inspection is None or not inspection.improvement_plan:
        return
    plan = inspection.improvement_plan
    open_actions = [i for i, action in enumerate(plan) if action.status != "complete"]
    if len(open_actions) == len(plan):
        return
    edit.keep_items(("improvement_plan",), open_actions)
    if inspection.recommendations:
        answered = lambda rec, action: action.recommendation.strip().lower() in (      # noqa: E731
            rec.id.strip().lower(), rec.recommendation.strip().lower())
        edit.keep_items(("recommendations",), [
            r for r, rec in enumerate(inspection.recommendations)
            if not any(answered(rec, a) for a in plan) or any(answered(rec, plan[i]) for i in open_actions)])


def _finance_yml(source: PlanYear, edit: YamlEdit) -> None:
    """Each contribution's total becomes last year's total."""
    for row, contribution in enumerate(source.finance.contributions):
        edit.delete(("contributions", row, "total"))
        edit.set(("contributions", row, "previous_total"), contribution.computed_total)


def _dump(path: Path, text: str) -> None:
    """Write one of the new year's YAML files: through a temporary file, never half-written."""
    write_atomic(path, text)


def _fingerprint(content: Path) -> dict[Path, tuple]:
    """Each plan year's files as they are now, to notice one saved while `new` reads and writes."""
    prints = {}
    for year in content.iterdir():
        if year.is_dir() and is_plan_year(year.name):
            for path in sorted(year.rglob("*")):
                if path.is_file():
                    stat = path.stat()
                    digest = hashlib.sha256(path.read_bytes()).hexdigest() if stat.st_size <= 1 << 20 else ""
                    prints[path] = (stat.st_mtime_ns, stat.st_size, digest)
    return prints


def new_year(root: Path, year: str, notes: list[str] | None = None) -> Path:
    """Create content/<year>/ from the latest plan year before it. Returns the new folder; what
    was left out, for the author to see, is added to `notes`."""
    target = root / "content" / year
    if not is_plan_year(year):
        raise PlanError([Finding("new.year", f"'{year}' is not a plan year", fix="write it like 2026-27")])
    if target.exists():
        raise PlanError([Finding("new.exists", f"content/{year}/ already exists", fix="choose another year, or edit it",
                                 file=f"content/{year}/")])
    before = _fingerprint(root / "content")
    project = load_project(root)
    earlier = [p for p in project.years if p.year < year]
    if not earlier:
        raise PlanError([Finding("new.no-source", f"there is no plan year before {year} to start from",
                                 fix="create the first year by hand (content/README.md)")])
    source = earlier[-1]
    staging = root / "content" / f".{year}.new"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        copies = tuple(load_year(root, source.year, language=tag)[0] for tag in source.meta.languages[1:])
        _write_year(source, year, staging, notes, tuple(c for c in copies if c is not None and c.priorities))
        _unchanged_since(before, _fingerprint(root / "content"), source, root)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)     # a full disk or Ctrl-C leaves content/ as it was
        raise
    return target


def _leave_voice_out(source: PlanYear, staging: Path, notes: list[str]) -> None:
    """voice.yml is not carried: its quotes and case studies were published with consent for
    last year's plan, not this one. Carried with the consent cleared they would be a new draft
    full of errors; left out, the author copies back each one whose consent is given again."""
    voice = staging / "voice.yml"
    if voice.exists():
        voice.unlink()
        notes.append(f"voice.yml was not carried over: its quotes and case studies had consent for the "
                     f"{source.year} plan only. Copy back from content/{source.year}/voice.yml each one whose "
                     "consent is recorded again for this plan, with the new date in 'consent: recorded:'.")


def _write_year(source: PlanYear, year: str, staging: Path, notes: list[str] | None = None,
                copies: tuple[PlanYear, ...] = ()) -> None:
    """The new year's files, in `staging` (renamed into place when complete); what the author must
    know about what was not carried goes into `notes`. `copies`: a bilingual source year loaded
    in its other languages."""
    notes = [] if notes is None else notes
    shutil.copytree(source.folder, staging)
    note = f"Started from {source.year} by 'yjplan new'; check every value."
    priorities = lambda plan, edit: _priorities_yml(plan, edit, copies)     # noqa: E731
    for name, roll_forward in (("plan.yml", _plan_yml), ("priorities.yml", priorities),
                               ("finance.yml", _finance_yml), ("inspection.yml", _inspection_yml)):
        if not (staging / name).exists():      # inspection.yml is optional
            continue
        # The author's own text, edited where a value changes: comments and layout stay theirs.
        with open(staging / name, encoding="utf-8", newline="") as file:
            edit = YamlEdit(file.read())
        roll_forward(source, edit)
        _dump(staging / name, edit.result(note))
    _leave_voice_out(source, staging, notes)
    # The child-friendly version is carried as written: its figures are variables ({{ staff.headcount }}),
    # so they show the new year's data; its words are last year's, and marked so, like the narrative.
    for narrative in [*(staging / "narrative").glob("*.md"), *(staging / "child-friendly").glob("*.md")]:
        text = narrative.read_text(encoding="utf-8")
        write_atomic(narrative, re.sub(r"^(---\n.*?\n---\n)", rf"\1<!-- Carried over from {source.year}: update for {year}. -->\n",
                                       text, count=1, flags=re.S))


def _unchanged_since(before: dict, after: dict, source: PlanYear, root: Path) -> None:
    """Refuse to finish if the year being copied was saved meanwhile: the copy could mix the two."""
    for path in sorted(set(before) | set(after)):
        if path.is_relative_to(source.folder) and before.get(path) != after.get(path):
            name = path.relative_to(root).as_posix()
            raise PlanError([Finding(
                "new.changed", f"{name} changed while 'yjplan new' was copying it; nothing was written, "
                "save your work and run 'yjplan new' again", file=name)])
