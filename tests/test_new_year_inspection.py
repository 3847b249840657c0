"""`yjplan new` carries the inspection's open actions into next year's improvement plan with
their last status and evidence; complete ones go (last year's plan published them)."""
from __future__ import annotations

from conftest import read_yaml, sample_years
from plan.check import check_plan
from plan.cli import main
from plan.load import load_project
from plan.problems import Severity

LATEST = sample_years()[-1]
NEXT = f"{int(LATEST[:4]) + 1}-{str(int(LATEST[:4]) + 2)[2:]}"


def new_inspection(project, text: str | None = None) -> tuple[str, dict]:
    """Run `yjplan new` (after writing `text` as this year's inspection.yml); the new year's
    inspection.yml as text and as data."""
    if text is not None:
        (project / "content" / LATEST / "inspection.yml").write_text(text, encoding="utf-8")
    assert main(["--root", str(project), "new", NEXT]) == 0
    path = project / "content" / NEXT / "inspection.yml"
    return path.read_text(encoding="utf-8"), read_yaml(path)


def errors(project) -> list:
    plan = load_project(project, [NEXT]).years[0]
    return [f for f in check_plan(plan) if f.severity is Severity.ERROR]


def test_open_inspection_actions_stay_with_their_status_and_evidence(project_copy, capsys):
    old = read_yaml(project_copy / "content" / LATEST / "inspection.yml")
    old_text = (project_copy / "content" / LATEST / "inspection.yml").read_text(encoding="utf-8")
    text, new = new_inspection(project_copy)
    still_open = [a for a in old["improvement_plan"] if a["status"] != "complete"]
    assert still_open and len(still_open) < len(old["improvement_plan"])     # the sample has both kinds
    assert new["improvement_plan"] == still_open                 # status, evidence, due date as they were
    assert new["ratings"] == old["ratings"] and new["overall"] == old["overall"]
    for action in still_open:                                    # the author's lines, untouched
        assert f"    evidence: {action['evidence']}\n" in old_text and f"    evidence: {action['evidence']}\n" in text
    assert errors(project_copy) == []


ANSWERED = """\
inspectorate: HM Inspectorate of Probation
published: 2024-05-01
overall: Good
recommendations:
  - id: R1
    recommendation: Review plans when circumstances change
  - id: R2
    recommendation: Improve resettlement policy
  - id: R3   # the board asked for this one to be reported every quarter
    recommendation: Secure accommodation before release
improvement_plan:
  - recommendation: R1
    action: Add review triggers
    owner: Practice Manager
    due: 2024-09-30
    status: complete
  - recommendation: R1
    action: Audit reviews every month
    owner: Practice Manager
    due: 2025-09-30
    status: at risk     # audits paused while the team was short of staff
    evidence: Two audits of six done
  - recommendation: R2
    action: Write the policy
    owner: Operations Manager
    due: 2024-12-31
    status: complete
  - recommendation: R3
    action: Agree a joint protocol with Housing
    owner: Head of Housing Options
    due: 2026-03-31
    status: on track
    evidence: "Protocol agreed: provider being sought"
"""


def test_a_recommendation_whose_actions_are_all_complete_goes_with_them(project_copy, capsys):
    text, new = new_inspection(project_copy, ANSWERED)
    assert [r["id"] for r in new["recommendations"]] == ["R1", "R3"]
    assert [(a["action"], a["status"]) for a in new["improvement_plan"]] == [
        ("Audit reviews every month", "at risk"), ("Agree a joint protocol with Housing", "on track")]
    # comments and quoting stay as the author wrote them
    assert "status: at risk     # audits paused while the team was short of staff\n" in text
    assert "  - id: R3   # the board asked for this one to be reported every quarter\n" in text
    assert 'evidence: "Protocol agreed: provider being sought"\n' in text
    assert errors(project_copy) == []       # every recommendation left still has an action


def test_an_improvement_plan_all_complete_is_left_empty(project_copy, capsys):
    every_done = ANSWERED.replace("status: at risk", "status: complete").replace("status: on track", "status: complete")
    _, new = new_inspection(project_copy, every_done)
    assert new["improvement_plan"] == [] and new["recommendations"] == []
    assert new["overall"] == "Good"
    assert errors(project_copy) == []
