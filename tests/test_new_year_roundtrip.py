"""`yjplan new` changes only the values that roll forward: the author's comments, quoting, flow
style, blank lines and key order stay as they wrote them."""
from __future__ import annotations

import difflib
import json
import re
from collections import Counter

import pytest

from conftest import read_yaml, run_yjplan, sample_years
from plan import newyear
from plan.check import check_plan
from plan.cli import main
from plan.load import load_project
from plan.problems import PlanError, Severity
from plan.yamledit import YamlEdit

LATEST = sample_years()[-1]
NEXT = f"{int(LATEST[:4]) + 1}-{str(int(LATEST[:4]) + 2)[2:]}"
# What a new draft is warned about until it is signed off and approved.
DRAFT_WARNINGS = {"guidance.sign-off", "guidance.submission-date", "guidance.approval-route"}
NOTE = f"# Started from {LATEST} by 'yjplan new'; check every value."


def a_year_on(line: str) -> str:
    return re.sub(r"(\d{4})(-\d\d-\d\d)", lambda m: f"{int(m[1]) + 1}{m[2]}", line)


def swap(text: str, old: str, new: str, count: int = 1) -> str:
    assert old in text, f"the sample no longer has {old!r}: update this test's quirks"
    return text.replace(old, new, count)


def line_with(text: str, start: str) -> str:
    return next(line for line in text.splitlines() if line.lstrip().startswith(start))


def diff(old: str, new: str) -> tuple[Counter, Counter]:
    """The lines only the old file has, and those only the new one has."""
    a, b = old.splitlines(), new.splitlines()
    removed, added = Counter(), Counter()
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag != "equal":
            removed.update(a[i1:i2])
            added.update(b[j1:j2])
    return removed, added


def flow_item(lines: list[str], dash: str) -> str:
    """A block list item (`- a: 1` / `  b: 2`) rewritten as one flow mapping with double quotes."""
    pairs = [line.strip().removeprefix("- ").split(": ", 1) for line in lines]
    return dash + "- {" + ", ".join(f"{k}: {json.dumps(v) if k not in ('due',) else v}" for k, v in pairs) + "}"


def quirky(project, year: str) -> dict[str, str]:
    """The year's YAML as an author might really keep it: comments everywhere, odd quoting, flow
    style and blank lines. Returns the texts written."""
    folder = project / "content" / year
    plan = (folder / "plan.yml").read_text(encoding="utf-8")
    plan = "# Castlebridge's youth justice plan: the board's copy\n\n" + plan
    plan = swap(plan, "status: council approved", 'status: "council approved"   # changes every year')
    plan = swap(plan, "service: Castlebridge Youth Justice Service",
                "service: 'Castlebridge Youth Justice Service'  # as on the letterhead")
    plan = swap(plan, "language: en-GB", 'language: "en-GB"\n')
    plan = swap(plan, "sign_off:", "sign_off:   # the chair signs before the council approves")
    plan = swap(plan, "approvals:", "approvals:                    # in order: board, YJB, cabinet, council")
    plan = swap(plan, "comparators:", "\n# who we compare ourselves with\ncomparators:")

    priorities = (folder / "priorities.yml").read_text(encoding="utf-8")
    lines = priorities.splitlines()
    first = next(i for i, line in enumerate(lines) if line.lstrip().startswith("- action:"))
    end = next(i for i in range(first + 1, len(lines)) if lines[i].lstrip().startswith("- "))
    dash = lines[first][:lines[first].index("-")]
    lines[first:end] = [f"{dash}# this one in flow style", flow_item(lines[first:end], dash)]
    priorities = "\n".join(lines) + "\n"
    second_due = line_with(priorities, "due:")
    priorities = swap(priorities, second_due, second_due.replace("due: ", "due: '") + "'")
    priorities = re.sub(r"^(\s*)(- title:)", r"\n\1# a priority the board agreed\n\1\2", priorities, flags=re.M)
    priorities = re.sub(r"^(\s*owner: .*)$", r"\1   # named in the board minutes", priorities, flags=re.M)
    priorities = "# Our priorities for the year\n" + priorities

    finance = (folder / "finance.yml").read_text(encoding="utf-8")
    lines = finance.splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("  - agency:") and "Police and Crime" in line)
    end = next(i for i in range(row + 1, len(lines)) if not lines[i].startswith("    "))
    lines[row:end] = ["  - {" + ", ".join(line.strip().removeprefix("- ") for line in lines[row:end]) + "}"]
    finance = "\n".join(lines) + "\n"
    finance = swap(finance, "contributions:", "contributions:     # one row per agency")
    finance = re.sub(r"^(\s*in_kind: 0)$", r"\1    # no payment in kind", finance, flags=re.M)
    finance = re.sub(r"^(  - agency:)", r"\n\1", finance, flags=re.M)
    police = read_yaml(folder / "finance.yml")["contributions"][1]
    finance = swap(finance, f"    other: {police['other']}\n",
                   f"    other: {police['other']}\n    total: {police['staffing'] + police['in_kind'] + police['other']}\n")

    texts = {"plan.yml": plan, "priorities.yml": priorities, "finance.yml": finance}
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return texts


@pytest.fixture
def rolled(project_copy):
    old = quirky(project_copy, LATEST)
    assert load_project(project_copy, [LATEST]).years, "the quirky copy must still load"
    assert main(["--root", str(project_copy), "new", NEXT]) == 0
    new = {name: (project_copy / "content" / NEXT / name).read_text(encoding="utf-8") for name in old}
    assert {name: (project_copy / "content" / LATEST / name).read_text(encoding="utf-8") for name in old} == old
    return project_copy, old, new


def test_new_year_keeps_plan_yml_as_written_except_the_values_that_roll_forward(rolled):
    _, old, new = rolled
    text = old["plan.yml"]
    approvals_at = text.splitlines().index(line_with(text, "approvals:"))
    approval_items = [line for line in text.splitlines()[approvals_at + 1:] if line.lstrip().startswith("- ")]
    changing = [line_with(text, key) for key in ("status:", "period:", "figures_date:", "submission_due:")]
    removed, added = diff(text, new["plan.yml"])
    # The 2026-27 plan moves to the edition written for its period (the provisional MoJ one).
    assert removed == Counter(changing + [line_with(text, "date:"), line_with(text, "approvals:"), *approval_items,
                                          "guidance: yjb-2024"])
    assert added == Counter([
        NOTE, 'status: "draft"   # changes every year', *[a_year_on(line) for line in changing[1:]],
        "approvals: []                 # in order: board, YJB, cabinet, council", "guidance: moj-2026"])
    assert "logo:" not in new["plan.yml"]


def test_new_year_keeps_priorities_yml_as_written_except_the_actions_reset(rolled):
    _, old, new = rolled
    old_head, old_previous = old["priorities.yml"].split("\nprevious_plan:")
    new_head, new_previous = new["priorities.yml"].split("\nprevious_plan:")
    removed, added = diff(old_head, new_head)
    assert added[NOTE] == 1
    del added[NOTE]
    flow_old = next(line for line in removed if "{action:" in line)
    flow_new = next(line for line in added if "{action:" in line)
    assert flow_new == re.sub(r'progress: ".*?"}', 'progress: ""}', a_year_on(flow_old)).replace(
        re.search(r'status: "[^"]*"', flow_old)[0], 'status: "not started"')
    expected = Counter([flow_new])
    for line in removed.elements():
        key = line.split(":")[0]
        if key.strip() == "due":
            expected[a_year_on(line)] += 1
        elif key.strip() == "status":
            expected[f"{key}: not started"] += 1
        elif key.strip() == "progress":
            expected[f"{key}: ''"] += 1
        else:
            assert line == flow_old, f"an unexpected line changed: {line!r}"
    assert added == expected
    assert any(line.endswith("'") and "due: '" in line for line in added), "a quoted date stays quoted"
    assert not [line for line in added if re.search(r"due: \d", line) is None and "due:" in line
                and "due: '" not in line]
    carried = read_yaml(rolled[0] / "content" / NEXT / "priorities.yml")["previous_plan"]
    assert [p["title"] for p in carried] == [p["title"] for p in read_yaml(
        rolled[0] / "content" / LATEST / "priorities.yml")["priorities"]]


def test_new_year_keeps_finance_yml_as_written_except_last_years_totals(rolled):
    project, old, new = rolled
    removed, added = diff(old["finance.yml"], new["finance.yml"])
    assert added[NOTE] == 1
    del added[NOTE]
    rows = read_yaml(project / "content" / LATEST / "finance.yml")["contributions"]
    totals = [r.get("staffing", 0) + r.get("in_kind", 0) + r.get("other", 0) for r in rows]
    assert [r["previous_total"] for r in read_yaml(project / "content" / NEXT / "finance.yml")["contributions"]] == totals
    flow_old = next(line for line in removed if line.startswith("  - {"))
    assert sorted(line.strip().split(":")[0] for line in removed if line != flow_old) == \
        ["previous_total"] * (len(rows) - 1) + ["total"]
    assert all(line.strip().startswith(("previous_total:", "- {")) for line in added)
    assert re.sub(r"previous_total: \d+", "", next(line for line in added if "{" in line)) == \
        re.sub(r"previous_total: \d+", "", flow_old)
    assert new["finance.yml"].count("in_kind_posts:") == old["finance.yml"].count("in_kind_posts:")
    assert "in_kind_posts: ''" not in new["finance.yml"]


def test_new_year_from_a_quirky_year_writes_dates_unquoted_and_passes_the_check(rolled):
    project, old, new = rolled
    for name, text in new.items():
        for quote in ("'", '"'):          # only the date the author quoted is quoted
            pattern = rf"{quote}\d{{4}}-\d\d-\d\d{quote}"
            assert len(re.findall(pattern, text)) == len(re.findall(pattern, old[name])), name
    assert len(re.findall(r"'\d{4}-\d\d-\d\d'", old["priorities.yml"])) == 1
    plan = load_project(project, [NEXT]).years[0]
    assert plan.meta.is_draft
    assert [str(f) for f in check_plan(plan) if f.severity is Severity.ERROR] == []
    result = run_yjplan(project, "check", LATEST, NEXT)
    assert result.returncode == 0, result.stderr
    report = result.stdout + result.stderr
    rules = {year: set(re.findall(rf"^\w+: content/{year}/.*?\[([\w.-]+)\]$", report, flags=re.M | re.S))
             for year in (LATEST, NEXT)}
    assert "guidance.sign-off" in rules[NEXT] and rules[NEXT] - rules[LATEST] <= DRAFT_WARNINGS
    assert re.search(r"^0 error\(s\)", report, flags=re.M)


def test_rolling_forward_twice_keeps_one_note_and_replaces_the_previous_plan(project_copy):
    assert main(["--root", str(project_copy), "new", NEXT]) == 0
    later = f"{int(NEXT[:4]) + 1}-{str(int(NEXT[:4]) + 2)[2:]}"
    assert main(["--root", str(project_copy), "new", later]) == 0
    text = (project_copy / "content" / later / "plan.yml").read_text(encoding="utf-8")
    assert text.count("by 'yjplan new'") == 1 and text.startswith(f"# Started from {NEXT} ")
    priorities = read_yaml(project_copy / "content" / later / "priorities.yml")
    assert [p["status"] for p in priorities["previous_plan"]] == ["not started"] * len(priorities["priorities"])


@pytest.mark.parametrize("when", ["after reading", "after writing"])
def test_new_year_refuses_when_the_source_year_is_saved_meanwhile(project_copy, monkeypatch, capsys, when):
    source = project_copy / "content" / LATEST / "plan.yml"

    def save_in_an_editor():
        source.write_text(source.read_text(encoding="utf-8") + "# an edit\n", encoding="utf-8")

    real_load, real_write = newyear.load_project, newyear._write_year
    if when == "after reading":
        monkeypatch.setattr(newyear, "load_project", lambda root: (real_load(root), save_in_an_editor())[0])
    else:
        monkeypatch.setattr(newyear, "_write_year", lambda *a: (real_write(*a), save_in_an_editor())[0])
    assert main(["--root", str(project_copy), "new", NEXT]) == 1
    err = [line for line in capsys.readouterr().err.splitlines() if "[new.changed]" in line]
    assert len(err) == 1 and f"content/{LATEST}/plan.yml changed while 'yjplan new' was copying it" in err[0]
    assert sorted(p.name for p in (project_copy / "content").iterdir() if p.name.startswith((NEXT, f".{NEXT}"))) == []


def test_an_edit_the_text_cannot_make_is_written_by_ruamel_with_the_right_values():
    edit = YamlEdit("a:\n  b: 1   # the only key\nx: 2  # kept\n")
    edit.delete(("a", "b"))
    result = edit.result()
    assert read_yaml_text(result) == {"a": {}, "x": 2} and "# kept" in result


def test_windows_line_endings_stay():
    edit = YamlEdit("status: approved\r\n# a comment\r\nperiod: {start: 2025-04-01}\r\n")
    edit.set(("status",), "draft")
    assert edit.result() == "status: draft\r\n# a comment\r\nperiod: {start: 2025-04-01}\r\n"


def read_yaml_text(text: str):
    import yaml
    return yaml.safe_load(text)


def test_a_changed_source_is_a_plan_error_not_a_traceback(project_copy, monkeypatch):
    real_load = newyear.load_project

    def load_then_edit(root):
        project = real_load(root)
        (project_copy / "content" / LATEST / "narrative").joinpath("extra.md").write_text("x", encoding="utf-8")
        return project

    monkeypatch.setattr(newyear, "load_project", load_then_edit)
    with pytest.raises(PlanError) as caught:
        newyear.new_year(project_copy, NEXT)
    assert caught.value.findings[0].rule == "new.changed"
    assert not (project_copy / "content" / NEXT).exists()
