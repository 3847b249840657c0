"""Every page's reading level, not only those over target: `yjplan check --reading` prints them,
and the preview shows them in its problems notice as information; the built site never does."""
from __future__ import annotations

import re

from conftest import run_yjplan, sample_years
from plan.load import load_project
from plan.readability import page_readings

YEAR = sample_years()[-1]
LINE = re.compile(r"^  (?P<file>\S+): Flesch reading ease (?P<ease>[\d.]+), reading age (?P<age>[\d.]+), "
                  r"(?P<words>\d+) words, longest sentence (?P<longest>\d+) words \(line (?P<line>\d+)\); "
                  r"(?P<audience>plan|child-friendly) target", re.M)


def test_check_reading_prints_every_pages_measures(project_copy):
    result = run_yjplan(project_copy, "check", YEAR, "--reading")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Reading levels, {YEAR} (Flesch reading ease and reading age" in result.stdout
    found = {m.group("file"): m for m in LINE.finditer(result.stdout)}
    narratives = sorted((project_copy / "content" / YEAR / "narrative").glob("*.md"))
    for path in narratives:
        name = f"content/{YEAR}/narrative/{path.name}"
        assert name in result.stdout, name          # measured, or said to be too short to measure
    assert len(found) >= len(narratives) - 1
    child = next(m for m in found.values() if m.group("audience") == "child-friendly")
    assert child.group("file").startswith(f"content/{YEAR}/child-friendly/")
    intro = found[f"content/{YEAR}/narrative/01-introduction.md"]
    assert 0 < float(intro.group("ease")) < 100 and int(intro.group("words")) >= 100


def test_check_reading_in_json_gives_the_findings_and_every_pages_measures(project_copy):
    import json
    result = run_yjplan(project_copy, "check", YEAR, "--reading", "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert isinstance(report["findings"], list)
    pages = {page["file"]: page for page in report["reading"][YEAR]}
    intro = pages[f"content/{YEAR}/narrative/01-introduction.md"]
    assert 0 < intro["reading_ease"] < 100 and intro["words"] >= 100 and intro["longest_sentence"]["line"] > 1
    assert set(intro["target"]) == {"reading_ease", "reading_age"}
    assert all(isinstance(value, (int, float)) for value in intro["target"].values())
    assert intro["harder_than_target"] == (intro["reading_ease"] < intro["target"]["reading_ease"]
                                           or intro["reading_age"] > intro["target"]["reading_age"])
    assert [p["audience"] for p in pages.values()].count("child-friendly") == 1
    # without --reading, the JSON is the list of findings, as before
    plain = json.loads(run_yjplan(project_copy, "check", YEAR, "--format", "json").stdout)
    assert isinstance(plain, list)


def test_check_without_reading_prints_no_levels(project_copy):
    result = run_yjplan(project_copy, "check", YEAR)
    assert "Reading levels" not in result.stdout and not LINE.search(result.stdout)


def test_a_long_sentence_shows_as_the_pages_longest_with_its_line(project_copy):
    path = next((project_copy / "content" / YEAR / "narrative").glob("01-*.md"))
    text = path.read_text(encoding="utf-8")
    long = " ".join(["the board agreed that"] * 15) + " this is one long sentence."
    path.write_text(text.rstrip("\n") + "\n\n" + long + "\n", encoding="utf-8")
    plan = load_project(project_copy, [YEAR]).years[0]
    intro = next(p for p in page_readings(plan) if p.file.endswith(path.name))
    assert intro.level.longest[1] == len(long.split())
    assert f"longest sentence {len(long.split())} words (line {len(text.rstrip(chr(10)).splitlines()) + 2})" \
        in intro.summary()


def test_the_preview_notice_shows_each_pages_level_and_the_site_does_not(project_copy, tmp_path):
    from plan.render import template_env
    from plan.serve import Preview
    from plan.site import write_pages

    docs = tmp_path / "docs"
    preview = Preview(project_copy, YEAR, docs)
    preview.refresh()
    assert preview.problems == []
    page = next(docs.glob("*workforce*.md")).read_text(encoding="utf-8")
    assert "Reading levels (preview only)" in page
    for reading in preview.reading:
        assert f"**{reading.file}**: {reading.summary()}" in page
    assert "child-friendly target" in page

    built = tmp_path / "built"
    write_pages(project_copy, preview.rendered, built, settings=preview.project.site, env=template_env(project_copy))
    for path in built.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        assert "Reading levels" not in text and "Flesch" not in text, path
