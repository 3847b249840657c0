"""Which plan years need building: a year whose inputs (its content, the data it uses, the
templates, the theme and the tool itself) have not changed since it was published is kept
byte for byte. The keys are kept in site/.yjplan-build.json."""
from __future__ import annotations

import hashlib
import json
import os
from functools import cache
from pathlib import Path

from . import __name__ as package_name
from .derive import figures_as_at
from .load import PlanYear, Project

MANIFEST = ".yjplan-build.json"
PACKAGE_DIR = Path(__file__).parent


def _hash_files(digest, folder: Path) -> None:
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")


@cache
def _engine_versions() -> str:
    from importlib.metadata import version
    return ";".join(f"{name}={version(name)}" for name in
                    ("mkdocs", "mkdocs-material", "weasyprint", "altair", "vl-convert-python", "markdown"))


def tool_key(root: Path) -> str:
    """Everything shared by all years: the tool's code and rules, templates, theme, engines."""
    digest = hashlib.sha256(f"{package_name};{_engine_versions()};{os.environ.get('SOURCE_DATE_EPOCH', '')}".encode())
    _hash_files(digest, PACKAGE_DIR)
    _hash_files(digest, root / "templates")
    digest.update((root / "mkdocs.yml").read_bytes())
    for path in sorted((root / "content").glob("*")):   # site.yml, the logo: shared by every year
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def year_key(project: Project, plan: PlanYear, shared: str) -> str:
    """The inputs of one plan year: its folder, and only the data rows its figures date admits."""
    # Every year's pages say whether it is the latest plan, so a new year changes the others.
    digest = hashlib.sha256(f"{shared};latest={project.latest.year}".encode())
    _hash_files(digest, plan.folder)
    date = plan.meta.figures_date
    for frame in (figures_as_at(project.indicators, date), figures_as_at(project.kpis, date),
                  project.local[project.local["published"] <= date], project.areas, project.population):
        digest.update(frame.drop(columns=["row"], errors="ignore").to_csv(index=False).encode())
    return digest.hexdigest()


def published_keys(site: Path) -> dict[str, str]:
    try:
        return json.loads((site / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}


def write_keys(site: Path, keys: dict[str, str]) -> None:
    (site / MANIFEST).write_text(json.dumps(keys, indent=2, sort_keys=True) + "\n", encoding="utf-8")
