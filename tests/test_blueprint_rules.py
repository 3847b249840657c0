"""The Blueprint heading set (plan/rules/blueprint-wales-2019.yml) is checked like the editions:
a heading without a source, or a misspelt field, is an error naming the file, line, field and
fix, never a traceback."""
from __future__ import annotations

import shutil

import pytest

from conftest import sample_years
from plan import nations, rules
from plan.cli import main
from test_wales import make_welsh

YEAR = sample_years()[-1]
SHOWN = "plan/rules/blueprint-wales-2019.yml"


def clear_caches():
    for cached in (rules.guidance, rules.indicator_set, rules.local_measures, nations.heading_sets,
                   nations.optional_headings, nations._after):
        cached.cache_clear()


@pytest.fixture
def blueprint(tmp_path, monkeypatch):
    """A copy of plan/rules/ a test may break; yields the Blueprint file in it."""
    folder = tmp_path / "rules"
    shutil.copytree(rules.RULES_DIR, folder)
    monkeypatch.setattr(rules, "RULES_DIR", folder)
    clear_caches()
    yield folder / "blueprint-wales-2019.yml"
    clear_caches()


def line_of(text: str, needle: str) -> int:
    return text[:text.index(needle)].count("\n") + 1


def test_the_blueprint_heading_set_as_published_is_valid(blueprint):
    sets = nations.heading_sets()
    assert [s.edition for s in sets] == ["blueprint-wales-2019"]
    assert len(nations.optional_headings("wales")) == 6 and nations.optional_headings("england") == []


def test_a_blueprint_heading_without_a_source_is_an_error_with_file_line_and_field(blueprint, project_copy, capsys):
    text = blueprint.read_text(encoding="utf-8")
    entry = "  - {id: blueprint-custody, title: Custody, required: false, source: blueprint, status: provisional}"
    assert entry in text
    blueprint.write_text(text.replace(entry, entry.replace(" source: blueprint,", "")), encoding="utf-8")
    make_welsh(project_copy)
    assert main(["--root", str(project_copy), "check", YEAR]) == 1
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    assert f"{SHOWN}, line {line_of(text, entry)}" in out.out
    assert "the heading 'blueprint-custody' names no source" in out.out and "headings[3].source" in out.out
    assert "[rules.no-source]" in out.out


def test_a_misspelt_field_in_the_blueprint_is_an_error_with_its_line(blueprint, project_copy, capsys):
    text = blueprint.read_text(encoding="utf-8")
    blueprint.write_text(text.replace("after: national-priorities", "afterr: national-priorities"), encoding="utf-8")
    make_welsh(project_copy)
    assert main(["--root", str(project_copy), "check", YEAR]) == 1
    out = capsys.readouterr().out
    assert f"{SHOWN}, line {line_of(text, 'after: national-priorities')}" in out
    assert "'afterr' is not a field a rule file may have here" in out and "[rules.invalid]" in out
