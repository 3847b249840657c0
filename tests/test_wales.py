"""A Welsh youth justice service (plan.yml `nation: wales`) gets its own words and route: ALN,
not SEND; the Local Health Board; YJB Cymru; no full council approval (Regulation 4 is
England's); and the Youth Justice Blueprint for Wales' principles as headings it may use.
An English plan reads exactly as before."""
from __future__ import annotations

import re

import pytest

from conftest import ROOT, sample_years
from plan.gate import open_gate
from plan.problems import Severity

YEAR = sample_years()[-1]
# The Act's own words, quoted in the compliance appendix whatever the nation: not our wording.
S39_QUOTE = "integrated care board or Local Health Board"


def make_welsh(root, full_council: bool = False):
    """The sample as a Welsh service would write it: nation: wales, submitted to YJB Cymru, no
    full council step, and its own text speaking of ALN and the Local Health Board."""
    folder = root / "content" / YEAR
    plan = folder / "plan.yml"
    text = plan.read_text(encoding="utf-8").replace("guidance: yjb-2024\n", "guidance: yjb-2024\nnation: wales\n")
    text = text.replace("{body: Youth Justice Board,", "{body: YJB Cymru,")
    text = text.replace("decision: recommended to council}", "decision: approved}")
    if not full_council:
        text = re.sub(r"  - \{body: Full Council.*\n", "", text)
    plan.write_text(text, encoding="utf-8")
    for path in [*folder.glob("*.yml"), *(folder / "narrative").glob("*.md")]:
        own = path.read_text(encoding="utf-8")
        own = re.sub(r"\bSEND\b", "ALN", own).replace("Special educational needs and disabilities",
                                                      "Additional learning needs")
        path.write_text(own.replace("Integrated Care Board", "Local Health Board"), encoding="utf-8")


def pages_of(root):
    gate = open_gate(root, [YEAR])
    assert YEAR in gate.rendered, [f.message for f in gate.findings]
    return gate, {p.slug: p.body for p in gate.rendered[YEAR].pages}


def test_a_welsh_plan_says_aln_never_send(project_copy):
    make_welsh(project_copy)
    _, pages = pages_of(project_copy)
    everything = "\n".join(pages.values())
    assert "SEND" not in everything
    assert "Special educational needs" not in everything
    kpis = pages["performance"]
    assert "Additional learning needs" in kpis and "identified additional learning needs (ALN)" in kpis


def test_a_welsh_plan_names_the_local_health_board(project_copy):
    make_welsh(project_copy)
    _, pages = pages_of(project_copy)
    ours = "\n".join(pages.values()).replace(S39_QUOTE, "")
    assert "integrated care board" not in ours.lower()
    assert "Health (nominated by the Local Health Board)" in "\n".join(pages.values())


def test_a_welsh_plan_names_yjb_cymru_where_oversight_is_named(project_copy):
    make_welsh(project_copy)
    _, pages = pages_of(project_copy)
    assert "reported to YJB Cymru since April 2023" in pages["performance"]
    compliance = pages["appendix-g-compliance"]
    assert "Signed off in time for submission to YJB Cymru by 30 June 2025" in compliance
    assert "submission to YJB Cymru, cabinet or committee<" in compliance


def test_a_welsh_plan_is_complete_without_full_council_approval(project_copy):
    make_welsh(project_copy)
    gate, pages = pages_of(project_copy)
    route = [f for f in gate.findings if f.rule == "guidance.approval-route"]
    assert route == [], [f.message for f in route]
    assert not [f for f in gate.findings if "full council" in f.message.lower()]
    assert "full council" not in pages["appendix-g-compliance"].lower()


def test_an_english_plan_without_full_council_is_still_told_to_record_it(project_copy):
    """The same route in an English plan lacks its last step: Regulation 4 applies there."""
    make_welsh(project_copy)
    plan = project_copy / "content" / YEAR / "plan.yml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("nation: wales\n", ""), encoding="utf-8")
    gate = open_gate(project_copy, [YEAR])
    route = [f for f in gate.findings if f.rule == "guidance.approval-route"]
    assert route and "not recorded: approval by full council" in route[0].message
    assert route[0].severity is Severity.ERROR


def test_a_welsh_plan_may_use_the_blueprint_principles_as_headings(project_copy):
    make_welsh(project_copy)
    narrative = project_copy / "content" / YEAR / "narrative"
    (narrative / "20-blueprint-prevention.md").write_text(
        "---\nheading: blueprint-prevention\n---\nWe work with schools and youth services so that children "
        "do not enter the justice system.\n", encoding="utf-8")
    (narrative / "21-blueprint-resettlement.md").write_text(
        "---\nheading: blueprint-resettlement\n---\nEvery child leaving custody has a home and a school place "
        "agreed before release.\n", encoding="utf-8")
    gate, pages = pages_of(project_copy)
    errors = [f for f in gate.findings if f.severity is Severity.ERROR]
    assert errors == [], [f.message for f in errors]
    slugs = list(pages)
    assert "blueprint-prevention" in slugs and "blueprint-resettlement" in slugs
    # The unused principles are optional: no empty pages for them.
    assert "blueprint-custody" not in slugs
    # After the national priority areas, before sign off.
    assert slugs.index("national-priorities") < slugs.index("blueprint-prevention") < slugs.index("sign-off")
    assert "a home and a school place" in pages["blueprint-resettlement"]


def test_an_english_plan_is_not_offered_the_blueprint_headings(project_copy):
    path = project_copy / "content" / YEAR / "narrative" / "20-blueprint-prevention.md"
    path.write_text("---\nheading: blueprint-prevention\n---\nPrevention work.\n", encoding="utf-8")
    gate = open_gate(project_copy, [YEAR])
    assert any("'blueprint-prevention' is not a heading" in f.message for f in gate.findings)


@pytest.fixture(scope="module")
def english_pages():
    gate = open_gate(ROOT, [YEAR])
    return {p.slug: p.body for p in gate.rendered[YEAR].pages}


@pytest.mark.parametrize("slug, phrase", [
    ("performance", "every service has reported to the Youth Justice Board since April 2023, "
                    "for the service and for England."),
    ("performance", '<th scope="col" class="num">England</th>'),
    ("performance", "as a proportion of children with an identified SEND need (ALN in Wales)"),
    ("performance", "Special educational needs and disabilities"),
    ("appendix-g-compliance", "Approval route recorded: board, submission to the Youth Justice Board, "
                              "cabinet or committee, full council"),
    ("appendix-g-compliance", "Signed off in time for submission to the Youth Justice Board by 30 June 2025"),
    ("resources", "Health (nominated by the integrated care board)"),
])
def test_an_english_plan_reads_as_before(english_pages, slug, phrase):
    assert phrase in english_pages[slug]


def test_an_english_plan_has_no_blueprint_pages(english_pages):
    assert not [slug for slug in english_pages if slug.startswith("blueprint-")]
