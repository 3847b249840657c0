"""The statutory checklist: each requirement of the law and the guidance, whether a plan year
meets it, and where. `check` turns the unmet ones into findings; `derive` publishes the list as
an appendix. It lives apart from both so that the pipeline runs one way
(load -> compliance -> derive -> check -> render), with nothing importing back up it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

import yaml

from . import rules
from .load import PlanYear
from .models import Partner


@cache
def statutory() -> dict:
    return yaml.safe_load((rules.RULES_DIR / "statutory.yml").read_text(encoding="utf-8"))


# --- the statutory checklist --------------------------------------------------------------------

@dataclass
class Requirement:
    rule: str
    law: str                  # where the duty comes from
    text: str                 # what the plan must show
    met: bool
    where: str                # where the plan meets it, or what is missing
    file: str = ""            # where to fix it, when not met
    fix: str = ""
    words: str = ""           # the Act's words the line tests, where they were read (confirmed)
    source: str = ""          # where the rule comes from: title and address


def _section(plan: PlanYear, heading_id: str, appendix: bool = False) -> str:
    items = plan.guidance.appendices if appendix else plan.guidance.headings
    for index, heading in enumerate(items):
        if heading.id == heading_id:
            label = chr(ord("A") + index) if appendix and plan.guidance.appendix_style == "letters" else str(index + 1)
            return f"{'Appendix' if appendix else 'Section'} {label}: {heading.title}"
    return "the plan"


def _text_of(plan: PlanYear) -> str:
    return "\n".join(n.body for n in plan.narratives).lower()


def _contributes(plan: PlanYear, partner: Partner) -> bool:
    return any(c.partner is partner and c.computed_total > 0 for c in plan.finance.contributions)


def _on_board(plan: PlanYear, partner: Partner) -> bool:
    return any(m.partner is partner for m in plan.governance.members)


def compliance(plan: PlanYear) -> list[Requirement]:
    """Each statutory requirement, whether the plan meets it, and where."""
    law = statutory()
    text = _text_of(plan)
    resources, finance = _section(plan, "resources"), _section(plan, "budget", appendix=True)
    narrative_dir = f"content/{plan.year}/narrative/"
    result = []

    missing = [s["name"] for s in law["s38_services"] if not any(w in text for w in s["words"])]
    result.append(Requirement(
        "s40.services-provided", "Crime and Disorder Act 1998 s.40(1)(a)",
        "How youth justice services are provided, and who delivers them", not missing,
        resources if not missing else "not described: " + "; ".join(missing), narrative_dir,
        "describe how each of these services is provided and by whom: " + "; ".join(missing)))

    partners = [Partner(p["partner"]) for p in law["statutory_partners"]]
    absent = [p for p in (Partner.LOCAL_AUTHORITY, *partners) if not _contributes(plan, p)]
    result.append(Requirement(
        "s40.services-funded", "Crime and Disorder Act 1998 s.40(1)(a)",
        "How youth justice services are funded, with each statutory partner's contribution", not absent,
        finance if not absent else "no contribution from: " + ", ".join(p.value for p in absent),
        plan.shown("finance.yml"), "add a contribution row (money or in kind) for: " + ", ".join(p.value for p in absent)))

    roles = {p.role.value for p in plan.staffing.posts if p.role}
    role_names = {r["key"]: r["label"] for r in law["s39_roles"]}
    lacking = [key for key in role_names if key not in roles]
    result.append(Requirement(
        "s39.team-members", "Crime and Disorder Act 1998 s.39(5)",
        "The team includes a probation officer, social worker, police officer, health nominee and education nominee",
        not lacking, _section(plan, "staffing", appendix=True) if not lacking
        else "the team has no " + "; no ".join(role_names[k] for k in lacking),
        plan.shown("staffing.yml"), "add the post(s) with 'role: " + "', 'role: ".join(lacking) + "'"))

    result.append(Requirement(
        "s40.team-composed", "Crime and Disorder Act 1998 s.40(1)(b)", "How the team is composed",
        bool(plan.staffing.posts), _section(plan, "staffing", appendix=True), plan.shown("staffing.yml"),
        "list the team's posts in staffing.yml"))
    result.append(Requirement(
        "s40.team-funded", "Crime and Disorder Act 1998 s.40(1)(b)", "How the team is funded",
        bool(plan.finance.contributions), finance, plan.shown("finance.yml"), "add the budget contributions"))
    operates = bool(plan.governance.reports_to) and bool(plan.governance.meeting_frequency)
    result.append(Requirement(
        "s40.team-operates", "Crime and Disorder Act 1998 s.40(1)(b)",
        "How the team operates: governance, reporting lines and meetings", operates,
        _section(plan, "governance") if operates else "no reporting lines recorded",
        plan.shown("governance.yml"), "add 'reports_to:' lines to governance.yml"))
    result.append(Requirement(
        "s40.team-functions", "Crime and Disorder Act 1998 s.40(1)(b)", "What functions the team carries out",
        not missing, resources if not missing else "functions not described: " + "; ".join(missing), narrative_dir,
        "describe the team's functions in the resources section"))

    for partner in partners:
        ok = _contributes(plan, partner) and _on_board(plan, partner)
        gaps = [w for w, fine in (("does not contribute", _contributes(plan, partner)),
                                  ("is not on the board", _on_board(plan, partner))) if not fine]
        result.append(Requirement(
            f"partners.{partner.value}", "Crime and Disorder Act 1998 s.38 and s.39",
            f"The {partner.value} partner contributes (money or in kind) and sits on the management board", ok,
            f"{finance}; {_section(plan, 'board', appendix=True)}" if ok else f"{partner.value} " + " and ".join(gaps),
            plan.shown("finance.yml" if not _contributes(plan, partner) else "governance.yml"),
            f"add a {partner.value} contribution to finance.yml and a {partner.value} member to governance.yml"))

    chair = plan.governance.chair
    result.append(Requirement(
        "governance.chair", "YJB guidance: governance", "The management board has a chair", chair is not None,
        f"{_section(plan, 'board', appendix=True)}: {chair.name}" if chair else "no member has 'position: chair'",
        plan.shown("governance.yml"), "mark the chair with 'position: chair'"))

    written = {n.heading for n in plan.narratives}
    absent_headings = [h.title for h in plan.guidance.headings if h.required and h.id not in written]
    result.append(Requirement(
        "guidance.headings", f"YJB guidance ({plan.guidance.title})", "Every heading of the guidance is covered",
        not absent_headings, "Sections 1 to " + str(len(plan.guidance.headings)) if not absent_headings
        else "missing: " + "; ".join(absent_headings), narrative_dir, "add a narrative file for each missing heading"))

    sign_off = plan.meta.sign_off
    signed_by_chair = bool(chair) and sign_off.name == chair.name and sign_off.date is not None
    result.append(Requirement(
        "guidance.sign-off", "YJB guidance: sign off", "Signed off by the chair of the management board, with a date",
        signed_by_chair, _section(plan, "sign-off") if signed_by_chair
        else ("not signed" if sign_off.date is None else f"signed by {sign_off.name}, who is not the board's chair"),
        plan.shown("plan.yml"), "give sign_off the chair's name and the date they signed"))

    due = submission_due(plan)
    in_time = sign_off.date is not None and sign_off.date <= due
    result.append(Requirement(
        "guidance.submission-date", "Crime and Disorder Act 1998 s.40(4); grant conditions",
        f"Signed off in time for submission to the {plan.guidance.submitted_to} by {due:%d %B %Y}", in_time,
        f"signed off {sign_off.date:%d %B %Y}" if in_time else
        ("not yet signed off" if sign_off.date is None else f"signed off {sign_off.date:%d %B %Y}, after the deadline"),
        plan.shown("plan.yml"), "sign off the plan before the submission date, or record the agreed date in submission_due"))

    steps = approval_steps(plan)
    route = [s for s in law["approval_route"]]
    missing_steps = [s["name"] for s in route if s["step"] not in steps]
    order = [steps[s["step"]] for s in route if s["step"] in steps]
    in_order = order == sorted(order)
    result.append(Requirement(
        "guidance.approval-route", "YJB guidance; the council's constitution",
        f"Approval route recorded: board, submission to the {plan.guidance.submitted_to}, cabinet or committee, "
        "full council",
        not missing_steps and in_order,
        "recorded in " + _section(plan, "sign-off") if not missing_steps and in_order
        else ("not recorded: " + "; ".join(missing_steps) if missing_steps else "the dates are out of order"),
        plan.shown("plan.yml"), "record each approval in plan.yml 'approvals', with its date"))
    for requirement in result:
        requirement.words, requirement.source = provision_text(requirement.rule)
    return result


def provision(rule: str) -> dict | None:
    """The provision a checklist line tests (statutory.yml `checks`), or None."""
    law = statutory()
    key = law["checks"].get(rule)
    return next((p for p in law["provisions"] if p["id"] == key), None)


def provision_text(rule: str) -> tuple[str, str]:
    """The Act's words a line tests, quoted only where confirmed, else "summary, provisional:
    ..."; and its source as "title (address, read DATE)"."""
    found = provision(rule)
    if found is None:
        return "", ""
    words = (f"\u201c{found['words']}\u201d" if found.get("words") and found["status"] == "confirmed"
             else f"summary, provisional: {found.get('summary') or found.get('words', '')}")
    src = statutory()["sources"][found["source"]]
    return words, f"{src['title']} ({src['address']}, read {src['read']})"


def explain(rule: str) -> str | None:
    """What `yjplan check --explain RULE` prints: the provision, its words and source."""
    found = provision(rule)
    if found is None:
        return None
    words, source = provision_text(rule)
    return f"{rule}: {found['cites']}\n  tests: {words}\n  status: {found['status']}\n  source: {source}"


def explained_rules() -> list[str]:
    return sorted(statutory()["checks"])


def submission_due(plan: PlanYear) -> dt.date:
    if plan.meta.submission_due:
        return plan.meta.submission_due
    month, day = (int(x) for x in plan.guidance.submission_due.split("-"))
    return dt.date(plan.meta.period.start.year, month, day)


def approval_steps(plan: PlanYear) -> dict[str, dt.date]:
    """The date of each step of the approval route that plan.yml records."""
    law = statutory()
    by_step = {s["step"]: s for s in law["approval_route"]}
    found: dict[str, dt.date] = {}
    for approval in plan.meta.approvals:
        body = approval.body.lower()
        step = next((key for key in law["match_order"] if any(w in body for w in by_step[key]["words"])), None)
        if step and step not in found:
            found[step] = approval.date
    return found


def print_explanation(rule: str) -> int:
    """`yjplan check --explain RULE`: 0 and the explanation, or 1 naming the rules it knows."""
    text = explain(rule)
    if text is None:
        print(f"'{rule}' is not a checklist rule yjplan can explain; use one of: {', '.join(explained_rules())}")
        return 1
    print(text)
    return 0
