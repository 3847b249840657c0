"""Shared fixtures. End-to-end tests build the real sample with the real engines, once per
test worker, into a temporary folder; tests that need a broken plan work on a copy."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ["content", "data", "templates", "mkdocs.yml"]


def copy_project(target: Path) -> Path:
    """A copy of the project's inputs that a test may break without touching the real ones."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        else:
            shutil.copy(source, target / part)
    return target


def run_yjplan(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "plan", "--root", str(root), *args],
                          capture_output=True, text=True, timeout=600)


def read_yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The sample plan, built once with MkDocs Material and WeasyPrint."""
    root = copy_project(tmp_path_factory.mktemp("sample"))
    result = run_yjplan(root, "build")
    assert result.returncode == 0, result.stderr
    return root / "site"


@pytest.fixture
def project_copy(tmp_path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture
def published(project_copy, sample_site) -> Path:
    """A project whose site/ holds a previous good build of the sample."""
    shutil.copytree(sample_site, project_copy / "site")
    return project_copy


def tree_digest(folder: Path) -> dict:
    """Every file under `folder` with a hash of its bytes."""
    import hashlib
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def sample_years() -> list[str]:
    return sorted(p.name for p in (ROOT / "content").iterdir() if p.is_dir() and p.name[:4].isdigit())


# --- example projects: plans shaped like real ones, kept beside the sample -----------------------

EXAMPLES = ROOT / "tests" / "examples"


# Examples not built in full (none now: glanmor, the bilingual one, builds in both languages,
# tests/test_bilingual_site.py).
NOT_BUILT_YET: set[str] = set()


def example_names() -> list[str]:
    """Each tests/examples/<name>/ with its own content/ and data/ (but those NOT_BUILT_YET)."""
    return sorted(p.name for p in EXAMPLES.iterdir() if (p / "content").is_dir() and (p / "data").is_dir()
                  and p.name not in NOT_BUILT_YET)


def example_years(name: str) -> list[str]:
    return sorted(p.name for p in (EXAMPLES / name / "content").iterdir() if p.is_dir() and p.name[:4].isdigit())


def copy_example(name: str, target: Path) -> Path:
    """An example laid out as a project: its own content/ and data/, the repository's templates/
    and mkdocs.yml (as copy_project does for the sample)."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = (EXAMPLES / name / part) if part in ("content", "data") else ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        else:
            shutil.copy(source, target / part)
    return target


class _ExampleSites(dict):
    """name -> the built site/ of that example, built on first use, once per test worker."""

    def __init__(self, factory):
        super().__init__()
        self.factory = factory

    def __missing__(self, name: str) -> Path:
        root = copy_example(name, self.factory.mktemp(f"example-{name}"))
        result = run_yjplan(root, "build")
        assert result.returncode == 0, result.stderr
        self[name] = root / "site"
        return self[name]


@pytest.fixture(scope="session")
def example_sites(tmp_path_factory) -> dict[str, Path]:
    """Each example project under tests/examples/, built with the real engines like sample_site:
    `example_sites["northmoor"]` is its site/ (the project is its parent folder)."""
    return _ExampleSites(tmp_path_factory)
