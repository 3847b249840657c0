"""One gate: every bad input is a finding naming the file, the line and the fix (never a
traceback, never a machine brought to its knees), and `check` reports exactly the errors that
stop `build`, which then leaves the published site as it was (tests/test_gate_corpus.py proves that for cases of both files).

The corpus is a list of (id, mutate, rule, file) entries: a new kind of bad input is one line.
`mutate(root)` breaks a copy of the sample and returns the line it broke (None when the
problem is the whole file).
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, sample_years
from plan.cli import main

pytestmark = pytest.mark.xdist_group("sample")

YEAR = sample_years()[-1]
NARRATIVE = f"content/{YEAR}/narrative"


# --- ways to break a copy of the sample ------------------------------------------------------

def _append(path: Path, data: bytes) -> int:
    """Append `data` on a new line of its own; return that line's number."""
    body = path.read_bytes().rstrip(b"\n") + b"\n"
    path.write_bytes(body + data + b"\n")
    return body.count(b"\n") + 1


def narrative(name: str, text: str):
    """Add a paragraph to a narrative file."""
    return lambda root: _append(root / NARRATIVE / name, b"\n" + text.encode("utf-8")) + 1


def appended(shown: str, data: bytes, line: bool = True):
    """Add raw bytes (not necessarily UTF-8) at the end of any file."""
    return lambda root: _append(root / shown, data) if line else (_append(root / shown, data) and None)


def replaced(shown: str, old: str, new: str, line: int | None = None):
    def mutate(root):
        path = root / shown
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {shown}"
        path.write_text(text.replace(old, new), encoding="utf-8")
        return line
    return mutate


def alias_bomb(root) -> int:
    """'Billion laughs': nine levels of nine aliases each, 387 million strings if expanded."""
    lines = ['a0: &a0 "lol"'] + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    path = root / "content" / YEAR / "glossary.yml"
    path.write_text("\n".join(lines) + "\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    return 2           # the first alias


def front_matter_alias(root) -> int:
    path = root / NARRATIVE / "02-local-context.md"
    path.write_text(path.read_text(encoding="utf-8").replace("heading: local-context",
                                                             "heading: &h local-context\ntitle: *h", 1),
                    encoding="utf-8")
    return 3


CASES = [
    # (id, mutate, rule, file)
    ("python-internals-of-text", narrative("01-introduction.md", "{{ ''.__class__ }}"),
     "narrative.unsafe", f"{NARRATIVE}/01-introduction.md"),
    ("python-internals-of-a-figure", narrative("03-governance.md", "{{ budget.__init__ }}"),
     "narrative.unsafe", f"{NARRATIVE}/03-governance.md"),
    ("division-by-zero", narrative("05-resources.md", "It is {{ 1/0 }}."),
     "narrative.arithmetic", f"{NARRATIVE}/05-resources.md"),
    ("huge-range", narrative("04-progress.md", "{{ range(10**12) | list }}"),
     "narrative.too-large", f"{NARRATIVE}/04-progress.md"),
    ("huge-text", narrative("04-progress.md", "{{ 'ha' * 10**9 }}"),
     "narrative.too-large", f"{NARRATIVE}/04-progress.md"),
    ("include", narrative("07-priorities.md", "{% include 'blocks/budget.md' %}"),
     "narrative.include", f"{NARRATIVE}/07-priorities.md"),
    ("unclosed-expression", narrative("09-workforce.md", "We have {{ staff.headcount staff."),
     "narrative.template", f"{NARRATIVE}/09-workforce.md"),
    ("misspelt-figure", narrative("05-resources.md", "The budget is {{ budget.totl }}."),
     "narrative.unknown-figure", f"{NARRATIVE}/05-resources.md"),
    ("suppressed-count-quoted", narrative("06-performance.md", "There were {{ custody.count }} sentences."),
     "privacy.suppressed-figure", f"{NARRATIVE}/06-performance.md"),
    ("narrative-not-utf8", appended(f"{NARRATIVE}/02-local-context.md", b"The service\x92s plan."),
     "file.encoding", f"{NARRATIVE}/02-local-context.md"),
    ("yaml-not-utf8", appended(f"content/{YEAR}/glossary.yml", b"# caf\x92"),
     "file.encoding", f"content/{YEAR}/glossary.yml"),
    ("csv-not-utf8", appended("data/areas.csv", b"castlebridge-x,Caf\x92,service"),
     "file.encoding", "data/areas.csv"),
    ("csv-with-semicolons", replaced("data/indicators.csv", ",", ";", line=1),
     "data.delimiter", "data/indicators.csv"),
    ("yaml-alias-bomb", alias_bomb, "yaml.alias", f"content/{YEAR}/glossary.yml"),
    ("front-matter-alias", front_matter_alias, "yaml.alias", f"{NARRATIVE}/02-local-context.md"),
    ("yaml-too-big", appended(f"content/{YEAR}/glossary.yml", b"# " + b"x" * 1_100_000, line=False),
     "file.too-big", f"content/{YEAR}/glossary.yml"),
    ("narrative-too-big", appended(f"{NARRATIVE}/08-standards.md", b"x" * 1_100_000, line=False),
     "file.too-big", f"{NARRATIVE}/08-standards.md"),
]
IDS = [case[0] for case in CASES]


def check(root: Path, capsys, *extra: str) -> tuple[int, str]:
    code = main(["--root", str(root), "check", *extra])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def build(root: Path, capsys) -> tuple[int, str]:
    code = main(["--root", str(root), "build", "--quiet", "--jobs", "1"])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def errors(output: str) -> set[str]:
    """Each error as printed: its line, and the indented fix line under it."""
    found, current = set(), None
    for line in output.splitlines():
        if line.startswith("error: "):
            current = [line]
            found.add(tuple(current))
        elif line.startswith("    ") and current:
            found.discard(tuple(current))
            current.append(line)
            found.add(tuple(current))
        else:
            current = None
    return found


# --- every bad input is a finding ------------------------------------------------------------

@pytest.mark.parametrize("case, mutate, rule, shown", CASES, ids=IDS)
def test_bad_input_is_a_finding_naming_file_line_and_fix(project_copy, capsys, case, mutate, rule, shown):
    line = mutate(project_copy)
    code, out = check(project_copy, capsys)
    assert code == 1, out
    assert "Traceback" not in out
    place = f"{shown}, line {line}" if line else shown
    reported = [block for block in out.split("error: ")[1:] if block.startswith(place) and f"[{rule}]" in block]
    assert reported, out
    assert "\n    fix: " in reported[0]


def test_alias_bomb_is_refused_at_once(project_copy, capsys):
    alias_bomb(project_copy)
    started = time.monotonic()
    code, out = check(project_copy, capsys)
    assert time.monotonic() - started < 2, "an alias bomb must be refused, not expanded"
    assert code == 1 and "'*a0'" in out and "aliases can make a small file expand without limit" in out


def test_every_unknown_figure_in_every_file_is_reported_with_a_suggestion(project_copy, capsys):
    first = narrative("05-resources.md", "The budget is {{ budget.totl }}, of which {{ budgt.grant }}.")(project_copy)
    second = narrative("09-workforce.md", "We have {{ staf.headcount }} staff.")(project_copy)
    code, out = check(project_copy, capsys)
    assert code == 1
    assert (f"{NARRATIVE}/05-resources.md, line {first}: the figure 'budget.totl' does not exist; "
            "did you mean 'budget.total'?") in out
    assert f"{NARRATIVE}/05-resources.md, line {first}: the figure 'budgt.grant' does not exist; " \
           "did you mean 'budget.grant'?" in out
    assert f"{NARRATIVE}/09-workforce.md, line {second}: the figure 'staf.headcount' does not exist; " \
           "did you mean 'staff.headcount'?" in out
    assert "3 error(s)" in out


def test_names_the_narrative_sets_itself_are_not_unknown(project_copy, capsys):
    narrative("05-resources.md", "{% set total = budget.total %}{% for n in range(2) %}{{ total }} {{ n }}{% endfor %}")(
        project_copy)
    code, out = check(project_copy, capsys)
    assert code == 0, out


def test_a_byte_that_is_not_utf8_is_named(project_copy, capsys):
    line = appended(f"{NARRATIVE}/02-local-context.md", b"The service\x92s plan.")(project_copy)
    code, out = check(project_copy, capsys)
    assert f"byte 0x92 on line {line} is not UTF-8" in out and "save the file as UTF-8" in out


def test_a_csv_with_semicolons_names_the_separator(project_copy, capsys):
    replaced("data/indicators.csv", ",", ";")(project_copy)
    code, out = check(project_copy, capsys)
    assert "separated by semicolons (;), not commas" in out and "use commas" in out


def test_sample_passes_the_gate_with_room_under_every_limit():
    from plan.inputs import limits
    biggest = {kind: max(p.stat().st_size for p in (ROOT / folder).rglob(pattern))
               for kind, folder, pattern in (("yaml", "content", "*.yml"), ("narrative", "content", "*/narrative/*.md"),
                                             ("csv", "data", "*.csv"))}
    for kind, size in biggest.items():
        assert size * 10 < limits()["bytes"][kind], kind


def test_the_pipeline_runs_one_way():
    """derive does not reach back into check, and check does not reach forward into render."""
    code = ("import sys; import plan.derive; assert 'plan.check' not in sys.modules, 'derive imports check'; "
            "import plan.check; assert 'plan.render' not in sys.modules, 'check imports render'")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# --- check and build agree -------------------------------------------------------------------

@pytest.mark.parametrize("case, mutate, rule, shown", CASES, ids=IDS)
def test_check_and_build_stop_on_the_same_errors(project_copy, capsys, case, mutate, rule, shown):
    mutate(project_copy)
    checked, check_out = check(project_copy, capsys)
    built, build_out = build(project_copy, capsys)
    assert checked == built == 1
    assert "Traceback" not in build_out
    assert errors(check_out) == errors(build_out) != set()
    assert not (project_copy / "site").exists()


def test_a_misspelt_figure_check_passed_before_now_stops_check_as_it_stops_build(project_copy, capsys):
    narrative("05-resources.md", "The budget is {{ budget.totl }}.")(project_copy)
    code, out = check(project_copy, capsys, "--format", "json")
    found = json.loads(out)
    assert code == 1
    assert [f["message"] for f in found] == ["the figure 'budget.totl' does not exist; did you mean 'budget.total'?"]


def test_files_saved_with_a_byte_order_mark_read_as_usual(project_copy):
    """Notepad and Excel's 'CSV UTF-8' start files with a BOM: that is still UTF-8."""
    from plan.gate import open_gate
    for shown in ("data/indicators.csv", "data/areas.csv", f"content/{YEAR}/plan.yml", f"{NARRATIVE}/01-introduction.md"):
        path = project_copy / shown
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert [str(f) for f in open_gate(project_copy).findings] == []


def test_a_csv_with_too_many_rows_is_refused_before_it_is_read(project_copy, capsys, monkeypatch):
    import plan.indicators
    rows = (project_copy / "data" / "local.csv").read_text(encoding="utf-8").count("\n") - 1
    monkeypatch.setattr(plan.indicators, "limits", lambda: {"csv_rows": rows - 1})
    code, out = check(project_copy, capsys)
    assert code == 1
    assert f"data/local.csv: this file has {rows:,} rows, more than the {rows - 1:,} yjplan reads" in out


def test_a_draft_whose_pages_cannot_be_made_is_not_built(project_copy, capsys):
    """Errors in a draft do not stop the build, but a page that cannot be rendered cannot be
    published either: the build stops, with the finding, and writes nothing."""
    plan = project_copy / "content" / YEAR / "plan.yml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("status: council approved", "status: draft"),
                    encoding="utf-8")
    line = narrative("05-resources.md", "It is {{ 1/0 }}.")(project_copy)
    code, out = build(project_copy, capsys)
    assert code == 1 and "Traceback" not in out
    assert f"{NARRATIVE}/05-resources.md, line {line}: this {{{{ }}}} expression cannot be worked out" in out
    assert not (project_copy / "site").exists()
