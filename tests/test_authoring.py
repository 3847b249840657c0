"""Messages that always help the person writing the plan: yjplan finds the project from any
folder inside it, a mistyped command or a bad --root or port is one plain line saying what to
do, a wrong value says what kind of value the field takes, and a build shows its progress even
when its output goes to a log."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys

import pytest

from conftest import ROOT, sample_years
from plan.cli import main
from plan.cliaid import StageLog
from plan.load import load_year

YEAR = sample_years()[-1]

pytestmark = pytest.mark.xdist_group("sample")


def yjplan_in(folder, *args, timeout=300) -> subprocess.CompletedProcess:
    """Run yjplan in `folder` as a person would: no --root. PYTHONPATH keeps this worktree's
    code, as the current folder is no longer the code's."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "plan", *args], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=timeout)


def one_line_error(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), text
    assert "Traceback" not in text
    return lines[0]


# --- finding the project ------------------------------------------------------------------------

def test_check_works_from_inside_a_plan_years_folder(project_copy):
    result = yjplan_in(project_copy / "content" / YEAR, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No problems found." in result.stdout


def test_new_year_from_inside_content_creates_it_in_the_project(project_copy):
    result = yjplan_in(project_copy / "content", "new", "2026-27")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (project_copy / "content" / "2026-27" / "plan.yml").is_file()
    assert not (project_copy / "content" / "content").exists()


def test_root_after_the_command_is_accepted(project_copy, capsys):
    assert main(["check", "--root", str(project_copy / "content")]) == 0
    assert "No problems found." in capsys.readouterr().out


@pytest.mark.parametrize("make, words", [
    (lambda tmp: tmp / "nowhere", "does not exist"),
    (lambda tmp: (tmp / "notes.txt", (tmp / "notes.txt").write_text("x"))[0], "is a file, not a folder"),
    (lambda tmp: tmp, "no yjplan project here: looked for mkdocs.yml and content/ in"),
], ids=["missing", "a file", "not a project"])
def test_a_bad_root_is_one_line_naming_what_was_looked_for(tmp_path, capsys, make, words):
    root = make(tmp_path)
    assert main(["--root", str(root), "check"]) == 2
    line = one_line_error(capsys.readouterr().err)
    assert words in line and str(root) in line


def test_outside_any_project_says_where_it_looked(tmp_path):
    result = yjplan_in(tmp_path, "check", timeout=60)
    assert result.returncode == 2
    line = one_line_error(result.stderr)
    assert f"looked for mkdocs.yml and content/ in {tmp_path.resolve()} and the folders above it" in line
    assert "there is no plan year" not in result.stderr


# --- the command ----------------------------------------------------------------------------------

@pytest.mark.parametrize("typed, meant", [("biuld", "build"), ("chek", "check"), ("serv", "serve")])
def test_a_mistyped_command_suggests_the_one_meant(project_copy, capsys, typed, meant):
    assert main(["--root", str(project_copy), typed]) == 2
    line = one_line_error(capsys.readouterr().err)
    assert f"'{typed}' is not a yjplan command: did you mean '{meant}'?" in line


# --- the preview's port ---------------------------------------------------------------------------

def test_serve_on_a_port_in_use_says_so_in_one_line_with_the_fix(project_copy):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = yjplan_in(project_copy, "serve", "--port", str(port), timeout=60)
    assert result.returncode == 1
    line = one_line_error(result.stderr)
    assert f"port {port} is in use" in line
    suggested = int(re.search(r"use --port (\d+)", line).group(1))
    assert suggested != port
    assert "Previewing" not in result.stdout + result.stderr


@pytest.mark.parametrize("port", ["0", "70000", "eighty", "-1"])
def test_serve_refuses_a_port_that_is_not_a_port(project_copy, capsys, port):
    with pytest.raises(SystemExit) as stopped:
        main(["--root", str(project_copy), "serve", "--port", port])
    assert stopped.value.code == 2
    assert "is not a port number: use a whole number from 1 to 65535" in capsys.readouterr().err


# --- field messages -------------------------------------------------------------------------------

def edit(root, name, find, replace):
    path = root / "content" / YEAR / name
    text = path.read_text(encoding="utf-8")
    changed = re.sub(find, replace, text, count=1, flags=re.M)
    assert changed != text, f"{find!r} not found in {name}"
    path.write_text(changed, encoding="utf-8")


def findings_for(root, name):
    plan, findings = load_year(root, YEAR)
    assert plan is None
    return [f for f in findings if f.file == f"content/{YEAR}/{name}"]


def test_a_risk_likelihood_in_words_asks_for_its_scale_not_money(project_copy):
    edit(project_copy, "risks.yml", r"^(\s*)likelihood: \d", r"\1likelihood: high")
    [finding] = findings_for(project_copy, "risks.yml")
    assert finding.field == "risks[0].likelihood"
    assert "whole number from 1 (rare) to 5 (almost certain)" in finding.message
    assert "125000" not in finding.fix and "likelihood: 3" in finding.fix


def test_a_risk_impact_off_the_scale_names_the_scale(project_copy):
    edit(project_copy, "risks.yml", r"^(\s*)impact: \d", r"\1impact: 9")
    [finding] = findings_for(project_copy, "risks.yml")
    assert "'impact' is 9, but it must be a whole number from 1 (negligible) to 5 (severe)" in finding.message


def test_pence_in_a_budget_figure_say_whole_pounds(project_copy):
    edit(project_copy, "finance.yml", r"^(\s*)other: 146000$", r"\1other: 146000.50")
    [finding] = findings_for(project_copy, "finance.yml")
    assert "whole pounds, no pence" in finding.message
    assert "must be a number" not in finding.message
    assert "146001" in finding.fix


def test_pounds_with_symbols_suggest_the_digits(project_copy):
    edit(project_copy, "finance.yml", r"^(\s*)other: 146000$", r"\1other: £146,000")
    [finding] = findings_for(project_copy, "finance.yml")
    assert "whole pounds" in finding.message
    assert "write 146000" in finding.fix


def test_a_list_where_text_belongs_is_not_told_to_use_quotes(project_copy):
    edit(project_copy, "finance.yml", r"^(\s*)- agency: Local authority$",
         r"\1- agency:\n\1    - Local authority\n\1    - Children's services")
    [finding] = findings_for(project_copy, "finance.yml")
    assert "should be one piece of text, but it is written as a list" in finding.message
    assert "quotes" not in finding.fix and "on the same line as 'agency:'" in finding.fix


def test_a_comma_in_a_one_line_entry_is_explained_with_the_quoted_value(project_copy):
    edit(project_copy, "staffing.yml", r"^  - post: Head of Service\n(    .*\n)+?(?=  - )",
         "  - {post: Head of Service, Resources and Youth Justice, fte: 1.0, contract: permanent, "
         "sex: female, ethnicity: White}\n")
    [finding] = findings_for(project_copy, "staffing.yml")
    assert "is not a field" not in finding.message
    assert "a comma ends the value" in finding.message
    assert 'post: "Head of Service, Resources and Youth Justice"' in finding.fix
    assert finding.line == 2


def test_an_unknown_field_on_its_own_line_is_still_an_unknown_field(project_copy):
    edit(project_copy, "staffing.yml", r"^(\s*)fte: 1.0$", r"\1fte: 1.0\n\1Resources and Youth Justice:")
    [finding] = findings_for(project_copy, "staffing.yml")
    assert "'Resources and Youth Justice' is not a field yjplan knows here" in finding.message
    assert "comma" not in finding.message


def test_list_entries_are_counted_from_one_in_messages(project_copy):
    edit(project_copy, "finance.yml", r"^(\s*)in_kind: 121000$", r"\1in_kind: lots")
    [finding] = findings_for(project_copy, "finance.yml")
    assert finding.field == "contributions[1].in_kind"        # the path, as YAML tools count
    assert "(in the 2nd entry of 'contributions')" in finding.message


# --- progress -------------------------------------------------------------------------------------

def test_stage_log_prints_each_stage_with_its_time_when_it_ends(capsys):
    ticks = iter([0.0, 0.4, 0.4, 2.15])
    log = StageLog(stream=sys.stderr, clock=lambda: next(ticks))
    log("Reading the plan and the data")
    assert capsys.readouterr().err == ""
    log("Checking the plan and rendering every page")
    log.close()
    assert capsys.readouterr().err.splitlines() == [
        "Reading the plan and the data … 0.4 s", "Checking the plan and rendering every page … 1.8 s"]


def test_a_piped_build_prints_a_line_per_stage(published):
    result = yjplan_in(published, "build")     # output to a pipe, as in CI or `| tee build.log`
    assert result.returncode == 0, result.stderr
    stages = re.findall(r"^(.+) … \d+\.\d s$", result.stderr, flags=re.M)
    assert stages[:2] == ["Reading the plan and the data", "Checking the plan and rendering every page"]
    quiet = yjplan_in(published, "build", "--quiet")
    assert quiet.returncode == 0 and " … " not in quiet.stderr
