"""`check` and a build with nothing changed are fast enough to run on every save: an unchanged
project's findings come from .yjplan-cache/ without loading pandas, Altair or WeasyPrint, and
any change to any input runs the whole gate again. Behaviour only: no timings here."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, run_yjplan, tree_digest
from plan import gatecache
from plan.cli import main

YEAR = "2025-26"


def check(root, capsys, *args) -> tuple[int, str]:
    code = main(["--root", str(root), "check", *args])
    return code, capsys.readouterr().out


def break_heading(root):
    path = next((root / "content" / YEAR / "narrative").glob("02-*.md"))
    path.write_text(re.sub(r"heading: .*", "heading: local-contxt", path.read_text(), count=1))
    return path


def no_gate(monkeypatch):
    """Running the gate now fails the test: what is printed must come from the cache."""
    def refuse(*args, **kwargs):
        raise AssertionError("the gate ran although nothing had changed")
    monkeypatch.setattr("plan.gate.open_gate", refuse)


def test_a_second_check_of_an_unchanged_plan_prints_the_same_findings(project_copy, capsys, monkeypatch):
    break_heading(project_copy)
    first = check(project_copy, capsys)
    assert first[0] == 1 and "did you mean 'local-context'" in first[1]
    no_gate(monkeypatch)
    assert check(project_copy, capsys) == first
    assert check(project_copy, capsys, "--format", "json")[1] == \
        json.dumps([f.as_dict() for f in gatecache.cached_check(project_copy, gatecache.check_key(project_copy, []))],
                   indent=2) + "\n"


def test_editing_a_narrative_after_a_clean_check_reports_the_new_problem(project_copy, capsys):
    assert check(project_copy, capsys)[0] == 0
    path = break_heading(project_copy)
    code, out = check(project_copy, capsys)
    assert code == 1
    assert f"content/{YEAR}/narrative/{path.name}, line 2, field 'heading'" in out


def test_checking_one_year_is_not_answered_by_a_check_of_all_years(project_copy, capsys):
    break_heading(project_copy)
    assert check(project_copy, capsys)[0] == 1
    code, out = check(project_copy, capsys, "2024-25")
    assert "local-contxt" not in out


@pytest.mark.parametrize("change", ["narrative", "yaml", "data", "template", "mkdocs", "new file", "empty folder",
                                    "renamed", "deleted", "rule", "environment"])
def test_any_change_to_any_input_is_a_new_cache_key(project_copy, tmp_path, monkeypatch, change):
    package = shutil.copytree(ROOT / "plan", tmp_path / "plan", ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(gatecache, "PACKAGE_DIR", package)
    before = gatecache.check_key(project_copy, [])
    assert gatecache.check_key(project_copy, []) == before      # the same inputs, the same key
    year = project_copy / "content" / YEAR
    narrative = next((year / "narrative").glob("*.md"))
    if change == "narrative":
        narrative.write_text(narrative.read_text() + " ")
    elif change == "yaml":
        (year / "plan.yml").write_text((year / "plan.yml").read_text().replace("draft", "drafts", 1) + "\n")
    elif change == "data":
        csv = next((project_copy / "data").glob("*.csv"))
        csv.write_bytes(csv.read_bytes() + b"\n")
    elif change == "template":
        template = next((project_copy / "templates").rglob("*.html"))
        template.write_text(template.read_text() + "<!-- -->")
    elif change == "mkdocs":
        (project_copy / "mkdocs.yml").write_text((project_copy / "mkdocs.yml").read_text() + "\n# x\n")
    elif change == "new file":
        (year / "images").mkdir(exist_ok=True)
        (year / "images" / "map.png").write_bytes(b"")
    elif change == "empty folder":
        (project_copy / "content" / "2026-27").mkdir()
    elif change == "renamed":
        narrative.rename(narrative.with_name("99-" + narrative.name))
    elif change == "deleted":
        narrative.unlink()
    elif change == "rule":
        rules = next((package / "rules").glob("*.yml"))
        rules.write_text(rules.read_text() + "\n")
    elif change == "environment":
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert gatecache.check_key(project_copy, []) != before


@pytest.mark.parametrize("garbage", ["{not json", "[]", '{"format": 1, "key": "KEY", "findings": [{"rule": 3}]}',
                                     '{"format": 1, "key": "KEY", "findings": "x"}', ""])
def test_a_corrupt_cache_file_is_ignored(project_copy, capsys, garbage):
    break_heading(project_copy)
    first = check(project_copy, capsys)
    key = gatecache.check_key(project_copy, [])
    (project_copy / gatecache.CACHE_DIR / "check.json").write_text(garbage.replace("KEY", key))
    assert check(project_copy, capsys) == first


def test_a_cached_check_cannot_hide_a_finding_made_while_the_gate_ran(project_copy):
    """Findings are kept only under the key of the inputs they came from."""
    key = gatecache.check_key(project_copy, [])
    break_heading(project_copy)                 # saved while the gate was running
    gatecache.remember_check(project_copy, key, [], [])
    assert gatecache.cached_check(project_copy, key) is None
    assert gatecache.cached_check(project_copy, gatecache.check_key(project_copy, [])) is None


MODULES = "import sys; from plan.cli import main; code = main(sys.argv[1:]); " \
          "print('HEAVY', sorted(m for m in ('pandas', 'altair', 'weasyprint', 'mkdocs') if m in sys.modules))"


def run_with_modules(root, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", MODULES, "--root", str(root), *args],
                          capture_output=True, text=True, timeout=600, cwd=ROOT)


def test_an_unchanged_check_does_not_load_pandas_altair_or_weasyprint(project_copy):
    first = run_yjplan(project_copy, "check")
    again = run_with_modules(project_copy, "check")
    assert again.stdout.startswith(first.stdout)
    assert "HEAVY []" in again.stdout


def test_a_build_with_nothing_changed_is_answered_without_the_engines_and_a_template_edit_rebuilds(published):
    site = published / "site"
    assert run_yjplan(published, "build").returncode == 0        # nothing changed: the gate runs, the site is kept
    before = tree_digest(site)
    again = run_with_modules(published, "build")
    assert again.returncode == 0, again.stderr
    assert "kept unchanged: 2024-25, 2025-26" in again.stdout and "HEAVY []" in again.stdout
    assert tree_digest(site) == before
    # A published year's folder gone from the site: no longer the site that was built.
    key = gatecache.build_key(published)
    assert gatecache.unchanged_build(published, site, key) is not None
    (site / "2024-25").rename(published / "moved")
    assert gatecache.unchanged_build(published, site, key) is None
    (published / "moved").rename(site / "2024-25")
    # A template edited: built again, with the change.
    css = published / "templates" / "print" / "plan.css"
    css.write_text(css.read_text() + "\n/* edited */\n")
    rebuilt = run_yjplan(published, "build")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "Built 2024-25, 2025-26" in rebuilt.stdout
    assert tree_digest(site) != before


def test_a_cache_folder_that_is_a_link_elsewhere_is_neither_read_nor_written(project_copy, tmp_path, capsys):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project_copy / gatecache.CACHE_DIR).symlink_to(elsewhere)
    break_heading(project_copy)
    code, out = check(project_copy, capsys)
    assert code == 1 and "local-contxt" in out
    assert list(elsewhere.iterdir()) == []
