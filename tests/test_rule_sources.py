"""Every rule yjplan applies says where it comes from (address, title, date read) and how sure
it is, so a reader of the compliance appendix can check it and a maintainer knows what to verify."""
from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml

from plan import compliance, labels, rules
from plan.cli import main

STATUSES = {"confirmed", "provisional", "inferred"}
FILES = sorted(rules.RULES_DIR.glob("*.yml"))


def entries(data: dict):
    """The file itself, every item of a top-level list, and every dated wording in labels.yml."""
    yield "(file)", data
    for key, value in data.items():
        if key == "sources":
            continue
        if isinstance(value, list):
            yield from ((f"{key}[{i}]", item) for i, item in enumerate(value) if isinstance(item, dict))
        if key in ("labels", "tables") and isinstance(value, dict):
            for name, inner in value.items():
                items = inner if isinstance(inner, list) else [inner]
                yield from ((f"{key}.{name}[{i}]", item) for i, item in enumerate(items))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_rule_entry_names_its_source_and_status(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    sources = data.get("sources") or {}
    assert sources, f"{path.name} has no sources:"
    for name, source in sources.items():
        assert source.get("address") and source.get("title") and source.get("read"), f"{path.name}: source {name}"
    for where, entry in entries(data):
        assert entry.get("source") in sources, f"{path.name} {where}: no source, or one not under sources:"
        assert entry.get("status") in STATUSES, f"{path.name} {where}: status must be one of {sorted(STATUSES)}"
    for role in data.get("s39_roles", []):
        for wording in role.get("wordings", []):
            assert wording["source"] in sources and wording["status"] in STATUSES


def test_an_entry_without_a_source_fails_the_check(tmp_path):
    data = yaml.safe_load((rules.RULES_DIR / "guidance-yjb-2024.yml").read_text(encoding="utf-8"))
    del data["headings"][0]["source"]
    assert any(e.get("source") not in data["sources"] for _, e in entries(data))


def test_the_appendix_quotes_the_act_only_where_the_words_were_read():
    words, source = compliance.provision_text("s40.services-provided")
    assert words == "\u201chow youth justice services in their area are to be provided and funded\u201d"
    assert "legislation.gov.uk/ukpga/1998/37/section/40" in source and "read 2026-11" in source
    words, _ = compliance.provision_text("s39.team-members")
    assert words.startswith("summary, provisional:")


def test_explain_prints_the_words_and_source_of_a_rule(capsys):
    assert main(["check", "--explain", "partners.health"]) == 0
    out = capsys.readouterr().out
    assert "s.39(3)" in out and "integrated care board or Local Health Board" in out
    assert "https://www.legislation.gov.uk/ukpga/1998/37/section/39" in out
    assert main(["check", "--explain", "partners.helth"]) == 1
    assert "partners.health" in capsys.readouterr().out


@pytest.mark.parametrize("day, nation, expected", [
    (dt.date(2016, 4, 1), "england", "clinical commissioning group"),
    (dt.date(2022, 7, 1), "england", "integrated care board"),
    (dt.date(2016, 4, 1), "wales", "Local Health Board"),
])
def test_the_health_body_is_named_as_it_was_in_the_plans_year(day, nation, expected):
    assert labels.label("health_body", day, nation) == expected


def test_from_april_2026_the_grant_is_the_ministry_of_justices():
    assert labels.label("grant", dt.date(2025, 4, 1)) == "Youth Justice Board grant"
    assert labels.label("grant", dt.date(2026, 4, 1)) == "Ministry of Justice youth justice core grant"
    assert labels.label("grant_payer", dt.date(2026, 4, 1)) == "Ministry of Justice"


def test_templates_do_not_hard_code_dated_words():
    root = rules.RULES_DIR.parent.parent / "templates" / "blocks"
    for path in root.glob("*.md"):
        text = path.read_text(encoding="utf-8").lower()
        assert not re.search(r"integrated care board|clinical commissioning|youth justice board grant", text), path.name


# --- a bad rule file is an error naming file, line, field and fix (#16 "Bad input") -------------

def _rules_copy(tmp_path, monkeypatch):
    """A copy of plan/rules/ that a test may break, used in place of the real one."""
    import shutil
    folder = tmp_path / "rules"
    shutil.copytree(rules.RULES_DIR, folder)
    monkeypatch.setattr(rules, "RULES_DIR", folder)
    for cached in (rules.guidance, rules.indicator_set, rules.local_measures):
        cached.cache_clear()
    return folder


@pytest.fixture
def rules_copy(tmp_path, monkeypatch):
    folder = _rules_copy(tmp_path, monkeypatch)
    yield folder
    for cached in (rules.guidance, rules.indicator_set, rules.local_measures):
        cached.cache_clear()


def test_an_edition_heading_without_a_source_is_an_error_naming_file_line_field_and_fix(rules_copy, project_copy, capsys):
    path = rules_copy / "guidance-yjb-2024.yml"
    text = path.read_text(encoding="utf-8")
    block = "  - id: governance\n    title: Governance, leadership and partnership arrangements\n"
    assert block in text
    start = text.index(block)
    source_at = text.index("    source: ", start)
    end = text.index("\n", source_at) + 1
    path.write_text(text[:source_at] + text[end:], encoding="utf-8")
    line = text[:start].count("\n") + 1
    assert main(["--root", str(project_copy), "check"]) == 1
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    assert f"plan/rules/guidance-yjb-2024.yml, line {line}" in out.out
    assert "the heading 'governance' names no source" in out.out and "headings[" in out.out
    assert "add 'source:' with one of" in out.out


def test_a_kpi_without_a_definition_is_an_error_naming_file_line_field_and_fix(rules_copy, project_copy, capsys):
    path = rules_copy / "kpis-2023.yml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, l in enumerate(lines) if l.startswith("    definition: Children in suitable education"))
    entry = next(i for i in range(at, 0, -1) if lines[i].startswith("  - id: "))
    del lines[at]
    path.write_text("".join(lines), encoding="utf-8")
    assert main(["--root", str(project_copy), "check"]) == 1
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    assert f"plan/rules/kpis-2023.yml, line {entry + 1}" in out.out
    assert "the indicator 'ete' has no 'definition'" in out.out and "add 'definition:'" in out.out
