"""The corpus of bad inputs, family by family: YAML, types, files and folders, dates, arithmetic,
the law, privacy, children's small counts, hostile narrative and data.

Each case breaks a copy of the sample in one way. For every case `check` exits 1 without a
traceback and names the file, the line (where there is one), the field (where it is a YAML
field) and a fix; `build` stops on exactly the errors `check` reported and writes no site; for
a subset across the families, a failed build leaves the previously published site byte for
byte. A draft stops only on privacy errors, and a draft that builds publishes nothing unsafe.

The cases are (id, mutate, rule, file, field): `mutate(root)` breaks the copy and returns the
line the finding must name (None when the problem is the whole file or folder); `field` is
the YAML field it must name, or None.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import tree_digest
from test_gate import CASES as TEMPLATE_AND_FILE_CASES
from test_gate import NARRATIVE, YEAR, build, check, errors, narrative

pytestmark = pytest.mark.xdist_group("sample")

CONTENT = f"content/{YEAR}"


# --- ways to break a copy of the sample ------------------------------------------------------

def line_of(path: Path, words: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if words in line)


def edit(shown: str, old: str, new: str, at: str | None | bool = None, regex: bool = False):
    """Replace the first `old` with `new` in a file. The line the finding names: that of the
    first line holding `at` after the edit, or where the edit starts (at=None), or none
    (at=False)."""
    def mutate(root: Path):
        path = root / shown
        text = path.read_text(encoding="utf-8")
        match = re.search(old, text, flags=re.M) if regex else (text.index(old) if old in text else None)
        assert match is not None, f"{old!r} not in {shown}"
        start = match.start() if regex else match
        changed = re.sub(old, new, text, count=1, flags=re.M) if regex else text.replace(old, new, 1)
        path.write_text(changed, encoding="utf-8")
        if at is False:
            return None
        if at is None:
            return changed[:start].count("\n") + 1
        return line_of(path, at)
    return mutate


def in_body(name: str, lines: list[str]):
    """Put lines at the top of a narrative's body (after its front matter); returns the line
    of the first."""
    def mutate(root: Path):
        path = root / NARRATIVE / name
        text = path.read_text(encoding="utf-8").splitlines()
        start = text.index("---", 1) + 1
        path.write_text("\n".join(text[:start] + lines + text[start:]) + "\n", encoding="utf-8")
        return start + 1
    return mutate


def table_cell(root: Path) -> int:
    """A Markdown table of children remanded with a count of three in it: the cell's line."""
    return in_body("02-local-context.md", ["| Group | Children remanded |", "|---|---|", "| Girls | 3 |",
                                           "| Boys | 12 |", ""])(root) + 2


def removed(shown: str):
    def mutate(root: Path):
        (root / shown).unlink()
    return mutate


def renamed(shown: str, to: str):
    def mutate(root: Path):
        (root / shown).rename(root / to)
    return mutate


def second_narrative_for_a_heading(root: Path) -> int:
    folder = root / NARRATIVE
    shutil.copy(folder / "03-governance.md", folder / "03b-governance-extra.md")
    return 2


def without_member(partner: str):
    """governance.yml without the board member(s) of one partner: a statutory partner missing."""
    def mutate(root: Path):
        path = root / CONTENT / "governance.yml"
        text = path.read_text(encoding="utf-8")
        changed = re.sub(rf"(?m)^  - name: .*\n(?:    (?!partner:).*\n)*    partner: {partner}\n(?:    .*\n)*", "", text)
        assert changed != text
        path.write_text(changed, encoding="utf-8")
    return mutate


def without_role(role: str):
    """staffing.yml where no post has `role`: the team lacks a member s.39(5) requires."""
    def mutate(root: Path):
        path = root / CONTENT / "staffing.yml"
        text = path.read_text(encoding="utf-8")
        changed = text.replace(f"    role: {role}\n", "")
        assert changed != text
        path.write_text(changed, encoding="utf-8")
    return mutate


def csv_edit(shown: str, old: str, new: str, every: bool = False, line: bool = True):
    def mutate(root: Path):
        path = root / shown
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {shown}"
        at = text[:text.index(old)].count("\n") + 1
        path.write_text(text.replace(old, new) if every else text.replace(old, new, 1), encoding="utf-8")
        return at if line else None
    return mutate


def without_column(shown: str, name: str):
    """A CSV saved without one of its columns (heading and values): named on the heading row."""
    def mutate(root: Path):
        path = root / shown
        lines = path.read_text(encoding="utf-8").splitlines()
        at = lines[0].split(",").index(name)
        kept = [",".join(cell for i, cell in enumerate(line.split(",")) if i != at) for line in lines]
        path.write_text("\n".join(kept) + "\n", encoding="utf-8")
        return 1
    return mutate


def logo(value: str):
    def mutate(root: Path):
        path = root / CONTENT / "plan.yml"
        text = re.sub(r"(?m)^logo: .*\n", "", path.read_text(encoding="utf-8")).rstrip("\n") + f"\nlogo: {value}\n"
        path.write_text(text, encoding="utf-8")
        return text.count("\n")
    return mutate


PLAN, GOVERNANCE, FINANCE = f"{CONTENT}/plan.yml", f"{CONTENT}/governance.yml", f"{CONTENT}/finance.yml"
STAFFING, PRIORITIES, GLOSSARY = f"{CONTENT}/staffing.yml", f"{CONTENT}/priorities.yml", f"{CONTENT}/glossary.yml"
INTRO = f"{NARRATIVE}/01-introduction.md"

CASES = [
    # (id, mutate, rule, file, field)
    # YAML
    ("yaml-bad-indentation", edit(GOVERNANCE, "    partner: police\n", "      partner: police\n"),
     "yaml.syntax", GOVERNANCE, None),
    ("yaml-unclosed-quote", edit(PLAN, "service: Castlebridge Youth Justice Service\n",
                                 'service: "Castlebridge Youth Justice Service\n'),
     "yaml.syntax", PLAN, None),        # reported where the quote opens, not at the end of the file
    ("yaml-tab-indent", edit(STAFFING, "    fte: 1.0\n", "\tfte: 1.0\n"), "yaml.syntax", STAFFING, None),
    ("yaml-duplicate-key", edit(PLAN, "language: en-GB\n", "language: en-GB\nservice: Castlebridge YOT\n",
                                at="service: Castlebridge YOT"),
     "yaml.duplicate-key", PLAN, "service"),
    # fields and types
    ("unknown-field", edit(GOVERNANCE, "meeting_frequency:", "meeting_frequncy:"),
     "content.extra_forbidden", GOVERNANCE, "meeting_frequncy"),
    ("missing-required-field", edit(GOVERNANCE, "    organisation: Castlebridge Borough Council\n", "",
                                    at="- name: Dr Helen Okafor"),
     "content.missing", GOVERNANCE, "members[0].organisation"),
    ("text-for-a-number", edit(STAFFING, "    fte: 1.0\n", "    fte: full time\n"),
     "content.float_parsing", STAFFING, "posts[0].fte"),
    ("pence-in-a-budget", edit(FINANCE, "    other: 146000\n", "    other: 146000.50\n"),
     "content.int_from_float", FINANCE, "contributions[0].other"),
    ("list-where-text-expected", edit(PLAN, "service: Castlebridge Youth Justice Service\n",
                                      "service: [Castlebridge, Youth Justice Service]\n"),
     "content.string_type", PLAN, "service"),
    ("date-that-does-not-exist", edit(PLAN, "figures_date: 2025-05-31", "figures_date: 2025-02-30"),
     "content.date_from_datetime_parsing", PLAN, "figures_date"),
    ("status-typo", edit(PLAN, "status: council approved", "status: council aproved"),
     "content.enum", PLAN, "status"),
    ("action-status-typo", edit(PRIORITIES, "        status: on track\n", "        status: on trak\n"),
     "content.literal_error", PRIORITIES, "priorities[0].actions[0].status"),
    # files and folders
    ("missing-required-file", removed(GOVERNANCE), "file.missing", GOVERNANCE, None),
    ("misnamed-optional-file", renamed(f"{CONTENT}/inspection.yml", f"{CONTENT}/inspections.yml"),
     "content.unknown-file", f"{CONTENT}/inspections.yml", None),
    ("misnamed-year-folder", renamed(CONTENT, "content/2025-2026"), "content.year-folder", "content/2025-2026/", None),
    # dates and the plan's meta
    ("folder-and-period-disagree", edit(PLAN, "period: {start: 2025-04-01, end: 2026-03-31}",
                                        "period: {start: 2026-04-01, end: 2027-03-31}"),
     "plan.period-year", PLAN, "period.start"),
    ("period-ends-before-it-starts", edit(PLAN, "end: 2026-03-31", "end: 2025-03-31"),
     "plan.period-order", PLAN, "period.end"),
    ("sign-off-after-council-approval", edit(PLAN, "  date: 2025-06-18\n", "  date: 2025-08-01\n"),
     "plan.sign-off-after-approval", PLAN, "sign_off.date"),
    ("unknown-comparator", edit(PLAN, "region: east-midlands", "region: east-midland"),
     "plan.comparator-area", PLAN, "comparators.region"),
    # narrative files
    ("two-files-for-one-heading", second_narrative_for_a_heading, "narrative.duplicate-heading",
     f"{NARRATIVE}/03b-governance-extra.md", "heading"),
    ("unknown-heading", edit(f"{NARRATIVE}/02-local-context.md", "heading: local-context", "heading: local-contxt"),
     "narrative.unknown-heading", f"{NARRATIVE}/02-local-context.md", "heading"),
    # arithmetic
    ("budget-row-total-wrong", edit(FINANCE, "    other: 12000\n", "    other: 12000\n    total: 999\n",
                                    at="total: 999"),
     "finance.row-total", FINANCE, "contributions[1].total"),
    ("grant-allocation-does-not-add-up", edit(FINANCE, "    cost: 124600\n", "    cost: 1\n", at="grant_allocation:"),
     "finance.grant-allocation", FINANCE, "grant_allocation"),
    ("attendance-above-meetings", edit(GOVERNANCE, "    attended: 6\n", "    attended: 9\n"),
     "governance.attendance", GOVERNANCE, "members[0].attended"),
    ("two-chairs", edit(GOVERNANCE, "    position: vice-chair\n", "    position: chair\n", at="members:"),
     "governance.chair", GOVERNANCE, "members"),
    # the law
    ("no-police-officer-in-the-team", without_role("police-officer"), "s39.team-members", STAFFING, None),
    ("no-probation-on-the-board", without_member("probation"), "partners.probation", GOVERNANCE, None),
    # privacy
    ("webmail-in-narrative", narrative("01-introduction.md", "Write to jo.bloggs@gmail.com with any questions."),
     "privacy.contact", INTRO, None),
    ("mobile-in-a-yaml-field", edit(PLAN, "  phone: 01632 960 400\n", "  phone: 07700 900123\n"),
     "privacy.contact", PLAN, "contact.phone"),
    ("zero-width-space-in-an-address", narrative("01-introduction.md", "Contact jo.blo\u200bggs@hotmail.co.uk today."),
     "privacy.contact", INTRO, None),
    ("html-entity-at-sign", edit(PLAN, "  address: Civic Centre, Market Street, Castlebridge CB1 1AA\n",
                                 "  address: 'jo.bloggs&#64;gmail.com'\n"),
     "privacy.contact", PLAN, "contact.address"),
    ("bracketed-mobile", narrative("04-progress.md", "Ring the duty worker on (07700) 900123 out of hours."),
     "privacy.contact", f"{NARRATIVE}/04-progress.md", None),
    ("webmail-in-site-settings", edit("content/site.yml", "    email: youthjustice@castlebridge.gov.uk\n",
                                      "    email: castlebridge.yjs@gmail.com\n"),
     "privacy.contact", "content/site.yml", "accessibility.contact.email"),
    ("cyrillic-letter-in-a-term", edit(GLOSSARY, "  - term: ASB\n", "  - term: \u0410SB\n"),
     "text.mixed-script", GLOSSARY, "terms[2].term"),
    # children's small counts
    ("count-in-a-sentence", in_body("02-local-context.md", ["Three young people were remanded last year."]),
     "privacy.small-count", f"{NARRATIVE}/02-local-context.md", None),
    ("count-of-girls-sentenced", narrative("06-performance.md", "2 girls received a custodial sentence."),
     "privacy.small-count", f"{NARRATIVE}/06-performance.md", None),
    ("count-in-a-table-cell", table_cell, "privacy.small-count", f"{NARRATIVE}/02-local-context.md", None),
    ("count-in-a-yaml-priority", edit(PRIORITIES, "interviews with families under way", "2 girls interviewed so far",
                                      at="2 girls interviewed"),
     "privacy.small-count", PRIORITIES, "priorities[0].actions[0].progress"),
    # hostile narrative
    ("script", narrative("01-introduction.md", '<script>alert("hostile")</script>'), "security.html", INTRO, None),
    ("img-onerror", narrative("01-introduction.md", '<img src="x.png" onerror="alert(1)" alt="a picture">'),
     "security.html", INTRO, None),
    ("javascript-link", narrative("01-introduction.md", "Read [the form](javascript:alert(document.cookie))."),
     "security.link", INTRO, None),
    ("iframe", narrative("01-introduction.md", '<iframe src="https://evil.example/frame"></iframe>'),
     "security.html", INTRO, None),
    ("attribute-list-event-handler", lambda root: narrative("01-introduction.md",
                                                            "A paragraph.\n{: onmouseover=\"alert('x')\" }")(root) + 1,
     "security.attr", INTRO, None),
    ("remote-image", narrative("01-introduction.md", "![A chart](https://evil.example/chart.png)"),
     "security.image", INTRO, None),
    ("file-attachment-link", narrative("01-introduction.md",
                                       'See <a rel="attachment" href="file:///etc/passwd">the appendix</a>.'),
     "security.link", INTRO, None),
    ("logo-outside-the-project", logo("../../../etc/passwd"), "security.path", PLAN, "logo"),
    # data
    ("csv-missing-column", without_column("data/indicators.csv", "published"),
     "data.missing-label", "data/indicators.csv", "published"),
    ("csv-text-for-a-number", csv_edit("data/indicators.csv", "custody,castlebridge,2017-18,2018-03-31,6,",
                                       "custody,castlebridge,2017-18,2018-03-31,six,"),
     "data.type-error", "data/indicators.csv", "numerator"),
    ("csv-unknown-area", csv_edit("data/indicators.csv", "custody,england,", "custody,englnd,"),
     "data.unknown-area", "data/indicators.csv", "area"),
]
IDS = [case[0] for case in CASES]


def place(shown: str, line: int | None, field: str | None) -> str:
    """Where a finding must say it is, as printed: the file, then the line and field it has."""
    return shown + (f", line {line}" if line else "") + (f", field '{field}'" if field else "")


def reported(out: str, rule: str, where: str) -> list[str]:
    return [block for block in out.split("error: ")[1:] if block.startswith(where + ":") and f"[{rule}]" in block]


# --- every bad input: named by check, and build stops on the same errors -----------------------

@pytest.mark.parametrize("case, mutate, rule, shown, field", CASES, ids=IDS)
def test_bad_input_is_named_by_check_and_stops_build_on_the_same_errors(project_copy, capsys, case, mutate,
                                                                        rule, shown, field):
    line = mutate(project_copy)
    checked, check_out = check(project_copy, capsys)
    assert checked == 1, check_out
    assert "Traceback" not in check_out
    found = reported(check_out, rule, place(shown, line, field))
    assert found, check_out
    assert "\n    fix: " in found[0]
    built, build_out = build(project_copy, capsys)
    assert built == 1, build_out
    assert "Traceback" not in build_out
    assert errors(check_out) == errors(build_out)
    assert not (project_copy / "site").exists()


BYTE_FOR_BYTE = {"yaml-unclosed-quote", "unknown-field", "date-that-does-not-exist", "misnamed-year-folder",
                 "sign-off-after-council-approval", "grant-allocation-does-not-add-up", "no-probation-on-the-board",
                 "mobile-in-a-yaml-field", "count-in-a-table-cell", "iframe", "logo-outside-the-project",
                 "csv-missing-column"}


# With four of test_gate.py's cases (templates, CSV, aliases), which name no field.
BYTE_FOR_BYTE_CASES = [c for c in CASES if c[0] in BYTE_FOR_BYTE] + [
    (*c, None) for c in TEMPLATE_AND_FILE_CASES
    if c[0] in {"python-internals-of-text", "suppressed-count-quoted", "csv-with-semicolons", "yaml-alias-bomb"}]


@pytest.mark.parametrize("case, mutate, rule, shown, field", BYTE_FOR_BYTE_CASES,
                         ids=[c[0] for c in BYTE_FOR_BYTE_CASES])
def test_a_failed_build_leaves_the_published_site_byte_for_byte(published, capsys, case, mutate, rule, shown, field):
    mutate(published)
    before = tree_digest(published / "site")
    code, out = build(published, capsys)
    assert code == 1 and f"[{rule}]" in out and "Traceback" not in out
    assert "previous site/ was left as it was" in out
    assert tree_digest(published / "site") == before
    assert not list(published.glob(".yjplan-build-*"))


# --- drafts: only privacy stops them, and what they publish is clean ------------------------------

def make_draft(root: Path) -> None:
    edit(PLAN, "status: council approved", "status: draft")(root)


CONTENT_ERRORS = [     # errors a draft may be built with
    edit(PLAN, "  date: 2025-06-18\n", "  date: 2025-08-01\n"),
    edit(GOVERNANCE, "    attended: 6\n", "    attended: 9\n"),
    narrative("01-introduction.md", '<script>alert("hostile")</script>'),
]


DRAFT_STOPPERS = [c for c in CASES if c[0] in {"webmail-in-narrative", "mobile-in-a-yaml-field",
                                               "webmail-in-site-settings", "count-in-a-yaml-priority"}]


@pytest.mark.parametrize("case, mutate, rule, shown, field", DRAFT_STOPPERS, ids=[c[0] for c in DRAFT_STOPPERS])
def test_a_draft_stops_only_on_its_privacy_errors(published, capsys, case, mutate, rule, shown, field):
    from plan.build import blocking
    from plan.gate import open_gate
    make_draft(published)
    for content_error in CONTENT_ERRORS:
        content_error(published)
    line = mutate(published)
    before = tree_digest(published / "site")

    checked, check_out = check(published, capsys)
    assert checked == 1 and "Traceback" not in check_out
    assert reported(check_out, rule, place(shown, line, field))
    gate = open_gate(published)
    stops_on = errors("\n".join(str(f) for f in blocking(gate.project, gate.findings)))
    assert stops_on and all("[privacy." in error[-1] for error in stops_on)
    assert stops_on < errors(check_out)                    # the draft's content errors are reported, not stopping

    built, build_out = build(published, capsys)
    assert built == 1 and "Traceback" not in build_out
    assert errors(build_out) == stops_on
    assert tree_digest(published / "site") == before


HOSTILE = [     # each carries 'hostile-corpus' where it would run or load something
    '<script>alert("hostile-corpus")</script>',
    '<img src="x.png" onerror="alert(\'hostile-corpus\')" alt="A picture">',
    "Read [the form](javascript:alert(1)//hostile-corpus).",     # quotes in (...) would make a title
    '<iframe src="https://evil.example/hostile-corpus"></iframe>',
    "A paragraph to hover over.\n{: onmouseover=\"alert('hostile-corpus')\" }",
    "![A chart](https://evil.example/hostile-corpus.png)",
    'See <a rel="attachment" href="file:///etc/passwd?hostile-corpus">the appendix</a>.',
    "End of the hostile part.",
]


def test_a_draft_with_hostile_narrative_builds_and_publishes_nothing_unsafe(project_copy, capsys):
    from plan.cli import main
    make_draft(project_copy)
    CONTENT_ERRORS[0](project_copy)
    narrative("01-introduction.md", "\n\n".join(HOSTILE))(project_copy)

    checked, check_out = check(project_copy, capsys, YEAR)
    assert checked == 1 and "Traceback" not in check_out
    assert {"[security.html]", "[security.link]", "[security.attr]", "[security.image]"} <= {
        error[-1][error[-1].rindex("["):] for error in errors(check_out)}
    built = main(["--root", str(project_copy), "build", "--quiet", "--jobs", "1", YEAR])
    captured = capsys.readouterr()
    build_out = captured.out + captured.err
    assert built == 0 and "Traceback" not in build_out
    assert errors(build_out) == errors(check_out)          # built with the errors check reported

    pages = list((project_copy / "site" / YEAR).rglob("*.html"))
    assert pages and not [p for p in pages if "hostile-corpus" in p.read_text(encoding="utf-8")]
    page = (project_copy / "site" / YEAR / "introduction" / "index.html").read_text(encoding="utf-8")
    story = page[page.index("<article"):page.index("End of the hostile part.")]
    assert "the form" in story and "A paragraph to hover over" in story      # the words are published
    for unsafe in ("<script", "onerror", "javascript:", "<iframe", "onmouseover", "evil.example", "file:"):
        assert unsafe not in story.lower(), unsafe


# --- what the corpus found -------------------------------------------------------------------------

def test_a_csv_without_a_column_is_one_finding_on_its_heading_row_not_one_per_row(project_copy):
    from plan.gate import open_gate
    without_column("data/indicators.csv", "published")(project_copy)
    [finding] = open_gate(project_copy).findings
    assert (finding.file, finding.line, finding.field) == ("data/indicators.csv", 1, "published")
    assert finding.message == "the heading row has no column 'published'"
    assert "indicator,area,period,period_end,numerator,denominator,published" in finding.fix


def test_an_unclosed_quote_is_named_where_it_opens_not_at_the_end_of_the_file(project_copy, capsys):
    edit(PLAN, "service: Castlebridge Youth Justice Service\n", 'service: "Castlebridge Youth Justice Service\n')(
        project_copy)
    code, out = check(project_copy, capsys)
    assert code == 1
    assert f"{PLAN}, line 2: this is not valid YAML: the quote or bracket opened on this line is never closed" in out
