"""Fast paths for an unchanged project: `check` and a no-op `build` on every save.

The gate (check + derive + render of every page) takes seconds, most of it importing pandas,
Altair and WeasyPrint. Its findings depend only on the project's input files and the tool, so
they are kept in `.yjplan-cache/` under the project, keyed by a digest of the raw bytes of
every input: content/, data/, templates/, mkdocs.yml, the plan package with its rules, the
engines' versions and SOURCE_DATE_EPOCH. Any change to any of these is a new key, so a cache
can never hide a finding; a missing, unreadable or corrupt cache file is simply a miss.

This module imports only the standard library and `problems`: a cache hit never loads pandas.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from functools import cache
from pathlib import Path

from .problems import Finding, Severity

CACHE_DIR = ".yjplan-cache"
FORMAT = 1                    # bump when what is stored changes shape
PACKAGE_DIR = Path(__file__).parent
INPUTS = ("content", "data", "templates", "mkdocs.yml")
# Findings that say "something unexpected failed": they may be passing trouble (a crashed
# engine), so they are never kept, and the next check runs the gate again.
NOT_KEPT = ("build.render", "load.failed")


@cache
def _engine_versions() -> str:
    """Every installed package with its version, from the names of its metadata folders
    (`weasyprint-66.0.dist-info`): an upgrade of any engine is a new key. One listing per
    folder on sys.path, much quicker than asking importlib.metadata package by package."""
    names = []
    for entry in sys.path:
        try:
            names += sorted(n for n in os.listdir(entry or ".") if n.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
    return ";".join(names)


def _hash_tree(digest, path: Path, label: str) -> None:
    """Every entry under `path`, by name: a file's bytes, a symbolic link's target (followed
    too), an empty folder, a missing file. Nothing is skipped but Python's bytecode cache."""
    if path.is_symlink():
        digest.update(f"link {label} -> {os.readlink(path)}\0".encode())
    if path.is_file():
        digest.update(f"file {label}\0".encode() + path.read_bytes() + b"\0")
        return
    if not path.is_dir():
        digest.update(f"missing {label}\0".encode())
        return
    seen = set()
    for folder, dirs, files in os.walk(path, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:                  # a link loop: named once, not walked forever
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        relative = Path(folder).relative_to(path).as_posix()
        digest.update(f"dir {label}/{relative}\0".encode())
        for name in sorted(files):
            entry = Path(folder, name)
            if name.endswith((".pyc", ".pyo")):
                continue
            _hash_tree(digest, entry, f"{label}/{relative}/{name}")


def input_digest(root: Path, purpose: str) -> str:
    """One key for everything a check or build of `root` reads. `purpose` separates uses
    (e.g. the years a check was asked for)."""
    digest = hashlib.sha256(f"yjplan-cache {FORMAT};{purpose};{sys.version};{_engine_versions()};"
                            f"{os.environ.get('SOURCE_DATE_EPOCH', '')};{Path(root).resolve()}\0".encode())
    for name in INPUTS:
        _hash_tree(digest, Path(root) / name, name)
    _hash_tree(digest, PACKAGE_DIR, "<plan>")
    return digest.hexdigest()


def _folder(root: Path) -> Path | None:
    """The cache folder, unless it is a symbolic link: the cache is written only under the project."""
    folder = Path(root) / CACHE_DIR
    return None if folder.is_symlink() else folder


def _read(root: Path, name: str) -> dict | None:
    if (folder := _folder(root)) is None:
        return None
    try:
        data = json.loads((folder / name).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) and data.get("format") == FORMAT else None
    except (OSError, ValueError):
        return None


def _write(root: Path, name: str, data: dict) -> None:
    """Written beside and moved into place, so a reader never sees half a file; a project
    that cannot be written to just has no cache."""
    if (folder := _folder(root)) is None:
        return
    try:
        folder.mkdir(exist_ok=True)
        if not (folder / ".gitignore").exists():
            (folder / ".gitignore").write_text("*\n", encoding="utf-8")
        partial = folder / f".{name}.{os.getpid()}.partial"
        partial.write_text(json.dumps({"format": FORMAT, **data}), encoding="utf-8")
        partial.replace(folder / name)
    except OSError:
        pass


def _findings(stored) -> list[Finding] | None:
    """Findings back from JSON, or None if anything about them is not as written."""
    try:
        findings = [Finding(**{**item, "severity": Severity(item["severity"])}) for item in stored]
    except (TypeError, KeyError, ValueError):
        return None
    if not all(isinstance(f.rule, str) and isinstance(f.message, str) for f in findings):
        return None
    return findings


def _keepable(findings: list[Finding]) -> bool:
    return not any(f.rule in NOT_KEPT for f in findings)


# --- yjplan check ---------------------------------------------------------------------------

def check_key(root: Path, years: list[str] | None) -> str:
    return input_digest(root, "check:" + ",".join(years or []))


def cached_check(root: Path, key: str) -> list[Finding] | None:
    """The findings of the last check, if its inputs were exactly these."""
    data = _read(root, "check.json")
    if not data or data.get("key") != key:
        return None
    return _findings(data.get("findings"))


def remember_check(root: Path, key: str, years: list[str] | None, findings: list[Finding]) -> None:
    """Keep the findings, unless an input changed while the gate ran (they may then belong to
    neither version) or a finding may be a passing failure."""
    if _keepable(findings) and check_key(root, years) == key:
        _write(root, "check.json", {"key": key, "findings": [f.as_dict() for f in findings]})


# --- yjplan build with nothing changed ------------------------------------------------------

MANIFEST = ".yjplan-build.json"      # plan/cache.py's manifest of the published years


def build_key(root: Path) -> str:
    return input_digest(root, "build")


def _manifest_digest(site: Path) -> str | None:
    try:
        return hashlib.sha256((site / MANIFEST).read_bytes()).hexdigest()
    except OSError:
        return None


def unchanged_build(root: Path, site: Path, key: str) -> tuple[list[str], list[Finding]] | None:
    """(the years kept, the findings to print again) if the last build of this site had exactly
    these inputs and the site is still the one it published; else None, and the build runs."""
    data = _read(root, "build.json")
    if not data or data.get("key") != key or data.get("site") != str(site.resolve()):
        return None
    years = data.get("years")
    if (not isinstance(years, list) or not all(isinstance(y, str) and y and "/" not in y for y in years)
            or data.get("manifest") != _manifest_digest(site) or not (site / MANIFEST).is_file()
            or not all((site / year).is_dir() for year in years)):
        return None
    findings = _findings(data.get("findings"))
    return None if findings is None else (years, findings)


def remember_build(root: Path, site: Path, key: str, years: list[str], findings: list[Finding]) -> None:
    """After a whole build of every year: what a build with the same inputs would give again."""
    if _keepable(findings) and build_key(root) == key and _manifest_digest(site):
        _write(root, "build.json", {"key": key, "site": str(site.resolve()), "manifest": _manifest_digest(site),
                                    "years": sorted(years), "findings": [f.as_dict() for f in findings]})
