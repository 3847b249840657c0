"""Stage 1, load: read content/<year>/ and data/ into typed objects.

Every problem is collected (not just the first) and names the file, line and field. Nothing
after this stage reads a file.
"""
from __future__ import annotations

import difflib
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml
from pydantic import BaseModel, ValidationError

from . import models, rules
from .problems import Finding, PlanError, errors_in
from .yamlfile import LineMap, read_yaml

YEAR_FOLDER = re.compile(r"^\d{4}-\d{2}$")


@dataclass
class Narrative:
    heading: str
    title: str
    body: str
    file: str                 # shown path, e.g. content/2025-26/narrative/03-governance.md
    body_line: int            # line number in the file where the body starts


@dataclass
class PlanYear:
    year: str
    folder: Path
    meta: models.PlanMeta
    governance: models.Governance
    finance: models.Finance
    staffing: models.Staffing
    champions: models.Champions
    priorities: models.Priorities
    risks: models.Risks
    inspection: models.Inspection | None
    glossary: models.Glossary
    narratives: list[Narrative]
    guidance: rules.Guidance
    lines: dict[str, LineMap] = field(default_factory=dict)   # file name -> line map, for checks

    def shown(self, name: str) -> str:
        return f"content/{self.year}/{name}"


@dataclass
class Project:
    root: Path
    years: list[PlanYear]            # oldest first
    indicators: pd.DataFrame
    kpis: pd.DataFrame
    areas: pd.DataFrame
    local: pd.DataFrame
    population: pd.DataFrame
    indicator_set: rules.IndicatorSet
    kpi_set: rules.IndicatorSet
    site: models.SiteSettings | None = None    # content/site.yml: the website's settings

    @property
    def latest(self) -> PlanYear:
        return self.years[-1]


# --- pydantic errors in plain English ---------------------------------------------------------

def _dotted(location: tuple) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _unwrap(annotation):
    """The model inside list[...] or X | None, if there is one."""
    while typing.get_origin(annotation) in (list, typing.Union, types.UnionType):
        annotation = next((a for a in typing.get_args(annotation) if a is not type(None)), None)
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _model_at(model: type[BaseModel], location: tuple) -> type[BaseModel] | None:
    """The model class found at `location` (list indexes skipped), for listing allowed keys."""
    current = model
    for part in location:
        if isinstance(part, int):
            continue
        if current is None or part not in current.model_fields:
            return None
        current = _unwrap(current.model_fields[part].annotation)
    return current


def _explain(error: dict, model: type[BaseModel]) -> tuple[str, str]:
    """(message, fix) for one pydantic error, in words a Head of Service understands."""
    kind, location = error["type"], error["loc"]
    name = next((p for p in reversed(location) if isinstance(p, str)), "this entry")
    given = error.get("input")
    if "fix" in error.get("ctx", {}):     # our own validators say what is wrong and how to fix it
        return f"'{name}': {error['msg']}", error["ctx"]["fix"]
    if kind == "missing":
        return f"'{name}' is missing", f"add '{name}:' here (content/README.md shows an example)"
    if kind == "extra_forbidden":
        parent = _model_at(model, location[:-1])
        allowed = sorted(parent.model_fields) if parent else []
        close = difflib.get_close_matches(str(name), allowed, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        return (f"'{name}' is not a field yjplan knows here",
                f"{hint}check the spelling; allowed fields are: {', '.join(allowed)}")
    if kind.startswith("date") or kind.startswith("datetime"):
        return (f"'{name}' must be a real date, not {given!r}",
                "write dates as YYYY-MM-DD, e.g. 2025-06-30")
    if kind.startswith("int") or kind.startswith("float") or kind.startswith("decimal"):
        return (f"'{name}' must be a number, not {given!r}",
                "write numbers without £, commas or words, e.g. 125000")
    if kind in ("enum", "literal_error"):
        expected = error.get("ctx", {}).get("expected", "")
        return (f"'{name}' cannot be {given!r}", f"use one of: {expected}")
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return (f"'{name}' is {given!r}: {error['msg'].lower()}", "correct the value")
    if kind in ("list_type", "model_type", "dict_type", "model_attributes_type"):
        wanted = "a list of entries (lines starting with '- ')" if kind == "list_type" else "a group of 'key: value' lines"
        return f"'{name}' should be {wanted}", "see the example in content/README.md"
    if kind == "string_type":
        return f"'{name}' must be text, not {given!r}", "put the text in quotes if it looks like a number or date"
    return f"'{name}': {error['msg']}", "see the example in content/README.md"


def validate(model: type[BaseModel], data: object, lines: LineMap, shown: str):
    """Validate parsed YAML against a model. Returns (object or None, findings)."""
    if data is None:
        data = {}
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        findings = []
        for error in exc.errors():
            location = tuple(error["loc"])
            message, fix = _explain(error, model)
            findings.append(Finding(f"content.{error['type']}", message, fix=fix, file=shown,
                                    line=lines.line_of(location), field=_dotted(location)))
        return None, findings


# --- narrative Markdown -----------------------------------------------------------------------

def read_narrative(path: Path, shown: str, guidance: rules.Guidance) -> tuple[Narrative | None, list[Finding]]:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None, [Finding("narrative.front-matter", "the file has no front matter",
                              fix="start the file with '---', 'heading: <id>', '---'", file=shown, line=1)]
    end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"), None)
    if end is None:
        return None, [Finding("narrative.front-matter", "the front matter is not closed",
                              fix="add a line '---' after the front matter", file=shown, line=1)]
    try:
        front = yaml.safe_load("".join(lines[1:end])) or {}
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 2 if exc.problem_mark else 1
        return None, [Finding("yaml.syntax", f"the front matter is not valid YAML: {exc.problem}",
                              fix="write it as 'heading: <id>'", file=shown, line=line)]
    front_lines = LineMap({(k,): i + 2 for i, k in enumerate(front)} if isinstance(front, dict) else {})
    meta, findings = validate(models.NarrativeFront, front, front_lines, shown)
    if meta is None:
        return None, findings
    heading = guidance.heading(meta.heading)
    if heading is None:
        known = ", ".join(h.id for h in guidance.headings)
        close = difflib.get_close_matches(meta.heading, [h.id for h in guidance.headings], n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        return None, [Finding("narrative.unknown-heading",
                              f"'{meta.heading}' is not a heading of the {guidance.edition} guidance",
                              fix=f"{hint}use one of: {known}", file=shown, line=front_lines.line_of(("heading",)),
                              field="heading")]
    return Narrative(meta.heading, meta.title or heading.title, "".join(lines[end + 1:]), shown, end + 2), []


# --- a plan year ------------------------------------------------------------------------------

def load_year(root: Path, year: str) -> tuple[PlanYear | None, list[Finding]]:
    folder = root / "content" / year
    findings: list[Finding] = []
    loaded: dict[str, object] = {}
    line_maps: dict[str, LineMap] = {}
    for name, (model, required) in models.STRUCTURED_FILES.items():
        path, shown = folder / name, f"content/{year}/{name}"
        if not path.exists() and not required:
            loaded[name] = None
            continue
        data, lines, problems = read_yaml(path, shown)
        line_maps[name] = lines
        findings += problems
        if not problems:
            obj, problems = validate(model, data, lines, shown)
            findings += problems
            loaded[name] = obj
    meta = loaded.get("plan.yml")
    guidance = None
    if meta is not None:
        guidance = rules.guidance(meta.guidance)
        if guidance is None:
            findings.append(Finding(
                "plan.guidance", f"'{meta.guidance}' is not a guidance edition yjplan knows",
                fix=f"use one of: {', '.join(rules.guidance_editions())}", file=f"content/{year}/plan.yml",
                line=line_maps["plan.yml"].line_of(("guidance",)), field="guidance"))
    narratives: list[Narrative] = []
    if guidance is not None:
        for path in sorted((folder / "narrative").glob("*.md")):
            narrative, problems = read_narrative(path, f"content/{year}/narrative/{path.name}", guidance)
            findings += problems
            if narrative:
                narratives.append(narrative)
    if errors_in(findings):
        return None, findings
    return PlanYear(
        year=year, folder=folder, meta=meta, governance=loaded["governance.yml"],
        finance=loaded["finance.yml"], staffing=loaded["staffing.yml"],
        champions=loaded["champions.yml"], priorities=loaded["priorities.yml"],
        risks=loaded["risks.yml"], inspection=loaded["inspection.yml"],
        glossary=loaded["glossary.yml"], narratives=narratives, guidance=guidance,
        lines=line_maps), findings


# --- the website's settings ---------------------------------------------------------------------

SITE_FILE = "content/site.yml"
LOGO_TYPES = {".svg", ".png"}


def inside(path: Path, folder: Path) -> bool:
    """Whether `path` is in `folder` once symbolic links and '..' are followed: content may only
    name the project's own files."""
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError, ValueError):
        return False


def load_site(root: Path) -> tuple[models.SiteSettings | None, list[Finding]]:
    """content/site.yml: who publishes the site, its colours and logo, its accessibility statement."""
    data, lines, findings = read_yaml(root / SITE_FILE, SITE_FILE)
    if findings:
        return None, findings
    settings, findings = validate(models.SiteSettings, data, lines, SITE_FILE)
    if settings and settings.logo:
        logo = root / "content" / settings.logo
        if not inside(logo, root / "content"):
            findings.append(Finding(
                "security.path", f"the logo '{settings.logo}' is outside content/ (symbolic links followed)",
                fix="copy the logo file into content/ and write its file name here, e.g. logo: council-logo.svg",
                file=SITE_FILE, line=lines.line_of(("logo",)), field="logo"))
        elif logo.suffix.lower() not in LOGO_TYPES or not logo.is_file():
            findings.append(Finding(
                "site.logo", f"the logo '{settings.logo}' is not an SVG or PNG file in content/",
                fix="put the logo file in content/ and write its file name here, e.g. logo: council-logo.svg",
                file=SITE_FILE, line=lines.line_of(("logo",)), field="logo"))
    return settings, findings


def plan_years(root: Path) -> list[str]:
    content = root / "content"
    return sorted(p.name for p in content.iterdir() if p.is_dir() and YEAR_FOLDER.match(p.name)) if content.exists() else []


def load_project(root: Path, years: list[str] | None = None) -> Project:
    """Load every plan year and the indicator data. Raises PlanError listing every problem."""
    from .indicators import load_indicator_data, load_local_data
    findings: list[Finding] = []
    found = plan_years(root)
    if not found:
        raise PlanError([Finding("content.no-years", "there is no plan year in content/",
                                 fix="create a folder such as content/2025-26/ (or run 'yjplan new 2025-26')",
                                 file="content/")])
    loaded = []
    for year in years or found:
        if year not in found:
            findings.append(Finding("content.unknown-year", f"there is no plan year '{year}'",
                                    fix=f"use one of: {', '.join(found)}", file="content/"))
            continue
        plan_year, problems = load_year(root, year)
        findings += problems
        if plan_year:
            loaded.append(plan_year)
    indicators, kpis, areas, problems = load_indicator_data(root)
    findings += problems
    local, population, problems = load_local_data(root)
    findings += problems
    site, problems = load_site(root)
    findings += problems
    if errors_in(findings):
        raise PlanError(findings)
    return Project(root=root, years=loaded, indicators=indicators, kpis=kpis, areas=areas, local=local,
                   population=population, indicator_set=rules.indicator_set(),
                   kpi_set=rules.indicator_set("kpis-2023"), site=site)
