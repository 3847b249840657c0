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

from . import rules, services
from .i18n import DateWords, Worded, joined
from .labels import submission_body
from .load import PlanYear
from .nations import approval_route
from .joint import authority_requirements
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
    # "warning" for a question the plan should answer rather than a breach (a partner that makes
    # no payment: the Act allows partners to make payments, it does not oblige them).
    severity: str = "error"
    unmet_label: str = "No"   # what the appendix's Met column says when it is not met
    line: int | None = None   # where in `file` to fix it, when the checklist knows (services.yml)
    field: str = ""

    @property
    def shown(self) -> str:
        """The appendix's Met column."""
        return "Yes" if self.met else self.unmet_label


def _guidance_by(plan: PlanYear) -> str:
    """Whose guidance the plan follows, for the checklist's source column (#16: the edition's
    body, the Ministry of Justice's from 2026-27, not always the YJB's)."""
    return "YJB guidance" if plan.guidance.submitted_to == "Youth Justice Board" else \
        Worded("%(body)s guidance", body=plan.guidance.submitted_to)


def _section(plan: PlanYear, heading_id: str, appendix: bool = False) -> str:
    items = plan.guidance.appendices if appendix else plan.guidance.headings
    for index, heading in enumerate(items):
        if heading.id == heading_id:
            label = plan.guidance.label_of(heading_id)   # the council's own number (plan/outline.py)
            return Worded("Appendix %(label)s: %(title)s" if appendix else "Section %(label)s: %(title)s",
                          label=label, title=heading.title)
    return "the plan"


def _text_of(plan: PlanYear) -> str:
    return "\n".join(n.body for n in plan.narratives).lower()


def _contributes(plan: PlanYear, partner: Partner) -> bool:
    return any(c.partner is partner and c.computed_total > 0 for c in plan.finance.contributions)


def _pays(plan: PlanYear, partner: Partner) -> bool:
    """A cash contribution: staffing paid for, or other delegated funds (not payments in kind)."""
    return any(c.partner is partner and c.staffing + c.other > 0 for c in plan.finance.contributions)


def _in_kind(plan: PlanYear, partner: Partner) -> str:
    """The partner's support in kind as finance.yml records it ('' when none is recorded)."""
    rows = [c for c in plan.finance.contributions if c.partner is partner and (c.in_kind or c.in_kind_posts)]
    return joined("; ", [c.in_kind_posts or Worded("£%(amount)s in kind", amount=f"{c.in_kind:,}") for c in rows])


# s.38(3) is permissive: quoted from DOMAIN.md's reading, not as the statute's words.
MAY_PAY = "the Act allows partners to make payments towards the service (s.38(3)), it does not oblige them"
NO_CASH = "No cash contribution recorded"


def _no_cash_note(plan: PlanYear, partner: Partner) -> str:
    kind = _in_kind(plan, partner)
    if kind:
        return Worded("%(partner)s: no cash contribution recorded (in kind: %(kind)s)", partner=Worded(partner.value), kind=kind)
    return Worded("%(partner)s: no cash contribution recorded and no support in kind", partner=Worded(partner.value))


def _on_board(plan: PlanYear, partner: Partner) -> bool:
    """A seat of the partner's, shared or vacant ones included (a vacant seat warns: unknown.py)."""
    return any(partner in m.partners for m in plan.governance.members)


def compliance(plan: PlanYear) -> list[Requirement]:
    """Each statutory requirement, whether the plan meets it, and where."""
    law = statutory()
    finance = _section(plan, "budget", appendix=True)
    narrative_dir = f"content/{plan.year}/narrative/"
    result = []

    # services.yml is the evidence (plan/services.py); without it, a keyword hint that warns.
    result.append(Requirement(
        "s40.services-provided", "Crime and Disorder Act 1998 s.40(1)(a)",
        "How youth justice services are provided, and who delivers them", **services.evidence(plan, "provided")))

    partners = [Partner(p["partner"]) for p in law["statutory_partners"]]
    # The authority must fund the service (s.38(1), s.40(1)(a)): no contribution from it is an error.
    # Partners *may* make payments (s.38(3)): one with no cash contribution is a question for the
    # plan to answer (record its support in kind, or explain), so it warns.
    council_pays = _contributes(plan, Partner.LOCAL_AUTHORITY)
    unpaid = [p for p in partners if not _pays(plan, p)]
    funded_where = finance if council_pays and not unpaid else joined("; ", (
        [Worded("no contribution from: %(partner)s", partner=Worded(Partner.LOCAL_AUTHORITY.value))] if not council_pays else [])
        + [_no_cash_note(plan, p) for p in unpaid])
    result.append(Requirement(
        "s40.services-funded", "Crime and Disorder Act 1998 s.40(1)(a)",
        "How youth justice services are funded, with each statutory partner's contribution",
        council_pays and not unpaid, funded_where, plan.shown("finance.yml"),
        ("add the local authority's contribution row" if not council_pays else
         f"{MAY_PAY}: record the support in kind each gives (in_kind and in_kind_posts in finance.yml), "
         "or say in the resources section why it makes no payment"),
        severity="error" if not council_pays else "warning",
        unmet_label="No" if not council_pays else NO_CASH))

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
        **services.evidence(plan, "functions")))

    for partner in partners:
        board, pays = _on_board(plan, partner), _pays(plan, partner)
        if not board:      # s.39: the partner must co-operate; a board without it is an error
            where = f"{partner.value} is not on the board" + ("" if pays else f"; {_no_cash_note(plan, partner)}")
        elif not pays:
            where = Worded("%(note)s: %(may_pay)s", note=_no_cash_note(plan, partner), may_pay=Worded(MAY_PAY))
        else:
            where = Worded("%(finance)s; %(board)s", finance=finance, board=_section(plan, 'board', appendix=True))
        result.append(Requirement(
            f"partners.{partner.value}", "Crime and Disorder Act 1998 s.38 and s.39",
            Worded("The %(partner)s partner sits on the management board, and its contribution (money or in kind) "
                   "is recorded", partner=partner.value), board and pays, where,
            plan.shown("governance.yml" if not board else "finance.yml"),
            (f"add a {partner.value} member to governance.yml" if not board else
             f"record the {partner.value} partner's support in kind in finance.yml (in_kind, in_kind_posts), "
             "or say in the resources section why it makes no payment"),
            severity="error" if not board else "warning",
            unmet_label="No" if not board else NO_CASH))

    chair = plan.governance.chair
    result.append(Requirement(
        "governance.chair", Worded("%(guidance)s: governance", guidance=_guidance_by(plan)),
        "The management board has a chair", chair is not None,
        Worded("%(section)s: %(name)s", section=_section(plan, 'board', appendix=True), name=chair.name) if chair else "no member has 'position: chair'",
        plan.shown("governance.yml"), "mark the chair with 'position: chair'"))

    written = {n.heading for n in plan.narratives}
    absent_headings = [h.title for h in plan.guidance.headings if h.required and h.id not in written]
    result.append(Requirement(
        "guidance.headings", Worded("%(guidance)s (%(title)s)", guidance=_guidance_by(plan), title=plan.guidance.title),
        "Every heading of the guidance is covered",
        not absent_headings, Worded("Sections 1 to %(n)s", n=len(plan.guidance.headings)) if not absent_headings
        else "missing: " + "; ".join(absent_headings), narrative_dir, "add a narrative file for each missing heading"))

    sign_off = plan.meta.sign_off
    signed_by_chair = bool(chair) and sign_off.name == chair.name and sign_off.date is not None
    result.append(Requirement(
        "guidance.sign-off", Worded("%(guidance)s: sign off", guidance=_guidance_by(plan)), "Signed off by the chair of the management board, with a date",
        signed_by_chair, _section(plan, "sign-off") if signed_by_chair
        else ("not signed" if sign_off.date is None else f"signed by {sign_off.name}, who is not the board's chair"),
        plan.shown("plan.yml"), "give sign_off the chair's name and the date they signed"))

    due = submission_due(plan)
    to_whom = submission_body(plan.guidance, plan.meta.period.start, plan.meta.nation)   # YJB Cymru in Wales
    in_time = sign_off.date is not None and sign_off.date <= due
    result.append(Requirement(
        "guidance.submission-date", "Crime and Disorder Act 1998 s.40(4); grant conditions",
        Worded("Signed off in time for submission to %(body)s by %(date)s", body=to_whom, date=DateWords(due, "dd MMMM y")),
        in_time, Worded("signed off %(date)s", date=DateWords(sign_off.date, "dd MMMM y")) if in_time else
        (Worded("not yet signed off") if sign_off.date is None else
         Worded("signed off %(date)s, after the deadline", date=DateWords(sign_off.date, "dd MMMM y"))),
        plan.shown("plan.yml"), "sign off the plan before the submission date, or record the agreed date in submission_due"))

    steps = approval_steps(plan)
    route = approval_route(law["approval_route"], plan.meta.nation)   # Wales: no full council
    missing_steps = [s["name"] for s in route if s["step"] not in steps]
    awaited = pending_steps(plan)
    order = [steps[s["step"]] for s in route if s["step"] in steps]
    in_order = order == sorted(order)
    result.append(Requirement(
        "guidance.approval-route", Worded("%(guidance)s; the council's constitution", guidance=_guidance_by(plan)),
        Worded("Approval route recorded: board, submission to %(body)s, cabinet or committee, full council"
               if any(s["step"] == "council" for s in route) else
               "Approval route recorded: board, submission to %(body)s, cabinet or committee", body=to_whom),
        not missing_steps and in_order,
        Worded("recorded in %(section)s", section=_section(plan, "sign-off")) if not missing_steps and in_order
        else (_missing_steps_text(missing_steps, awaited) if missing_steps else Worded("the dates are out of order")),
        plan.shown("plan.yml"), "record each approval in plan.yml 'approvals', with its date"))
    # joint services: each council's own approval and contribution, one line each (plan/joint.py)
    result += authority_requirements(plan, route, _section(plan, "sign-off"))
    for requirement in result:
        requirement.words, requirement.source = provision_text(requirement.rule, plan.meta.period.start)
    return result


def provision(rule: str) -> dict | None:
    """The provision a checklist line tests (statutory.yml `checks`), or None."""
    law = statutory()
    key = law["checks"].get(rule)
    return next((p for p in law["provisions"] if p["id"] == key), None)


def provision_text(rule: str, day=None) -> tuple[str, str]:
    """The Act's words a line tests, quoted only where confirmed, else "summary, provisional:
    ..."; and its source as "title (address, read DATE)". With the plan's `day`, a provision's
    dated `wordings` (statutory.yml) give the text in force then (#16: no integrated care board
    quoted to a 2016-17 plan)."""
    found = provision(rule)
    if found is None:
        return "", ""
    if day is not None:
        found = next((dict(found, **w) for w in found.get("wordings", [])
                      if (not w.get("from") or w["from"] <= day) and (not w.get("to") or day <= w["to"])), found)
        if "summary" in found and found.get("status") != "confirmed":
            found.pop("words", None)
    words = (f"\u201c{found['words']}\u201d" if found.get("words") and found["status"] == "confirmed"
             else Worded("summary, provisional: %(summary)s", summary=found.get('summary') or found.get('words', '')))
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
        if approval.to_follow:
            continue        # still to come: pending_steps
        body = approval.body.lower()
        step = next((key for key in law["match_order"] if any(w in body for w in by_step[key]["words"])), None)
        if step and step not in found:
            found[step] = approval.date
    return found


def step_of(approval) -> str | None:
    """Which step of the approval route an approval is (board, yjb, cabinet, council), by its words."""
    law = statutory()
    by_step = {s["step"]: s for s in law["approval_route"]}
    body = approval.body.lower()
    return next((key for key in law["match_order"] if any(w in body for w in by_step[key]["words"])), None)


def pending_steps(plan: PlanYear) -> dict[str, str]:
    """Steps of the approval route written `date: to follow`: step -> "Full Council (expected
    15 October 2025)". They are not yet recorded steps (approval_steps leaves them out)."""
    law = statutory()
    by_step = {s["step"]: s for s in law["approval_route"]}
    found: dict[str, str] = {}
    for approval in plan.meta.approvals:
        if not approval.to_follow:
            continue
        body = approval.body.lower()
        step = next((key for key in law["match_order"] if any(w in body for w in by_step[key]["words"])), None)
        if step and step not in found:
            found[step] = Worded("%(body)s (expected %(date)s)", body=approval.body, date=DateWords(approval.expected)) \
                if approval.expected else approval.body
    return found


def _missing_steps_text(missing: list[str], awaited: dict[str, str]) -> str:
    """What the approval route still lacks: steps to follow, with their expected dates, apart
    from steps not written at all."""
    names = {s["name"]: s["step"] for s in statutory()["approval_route"]}
    to_follow = [awaited[names[m]] for m in missing if names.get(m) in awaited]
    absent = [Worded(m) for m in missing if names.get(m) not in awaited]
    return joined("; ", ([Worded("to follow: %(steps)s", steps=joined("; ", to_follow))] if to_follow else [])
                  + ([Worded("not recorded: %(steps)s", steps=joined("; ", absent))] if absent else []))


def print_explanation(rule: str) -> int:
    """`yjplan check --explain RULE`: 0 and the explanation, or 1 naming the rules it knows."""
    text = explain(rule)
    if text is None:
        print(f"'{rule}' is not a checklist rule yjplan can explain; use one of: {', '.join(explained_rules())}")
        return 1
    print(text)
    return 0
