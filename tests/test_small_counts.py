"""A small count of children can identify a child wherever it is written: typed into a sentence,
a Markdown table or a YAML field, or worked back out of a published table's totals.

`yjplan check` stops the first three (drafts too, because drafts go to public agendas), unless
the author has reviewed the figure and said why it is safe; the tables hide whatever a total
would give away."""
from __future__ import annotations

import re

import pytest

from conftest import ROOT, run_yjplan, sample_years
from tables import assert_no_suppressed_cell_can_be_worked_out
from plan import derive
from plan.check import check_plan
from plan.load import load_project
from plan.render import render_year
from plan.smallcounts import find_counts

YEAR = sample_years()[-1]

COUNTS = [
    "three young people were remanded",
    "2 girls received a custodial sentence",
    "a further two children were cautioned",
    "one child in care was remanded",
    "Three Black boys were arrested",
    "two looked-after children",
    "4 new first time entrants",
    "two of the girls were remanded",
    "a single child was sentenced to custody",
    "Five girls were arrested; two of them were remanded.",
    "Three young people were charged and a further two were released.",
    "one young person reoffended",
    "3 remand episodes",
    "last year 3 girls were remanded",
    "we spoke to three girls about school",
    "2 care leavers",
    "four victims took part",
    "one or two children",
    "four custodial sentences",
    "two offenders reoffended",
]
NOT_COUNTS = [
    "for 2 years", "in 2024", "£3,000", "3%", "one of our priorities", "Standard 2", "4 meetings", "KPI 4",
    "the 3 local authorities", "a child was injured", "Year 2 children", "fewer than 5 children",
    "between 1 and 4 children", "one in four children", "every one of the children", "two children's homes",
    "a single victim contact process", "three offence types", "1. Children first", "two police officers",
    "1.5 FTE", "children aged 10 to 17", "thirteen schools, all but one of them academies",
    "4 meetings with children", "two sessions for young people", "2 FTE seconded police officers", "at 3 pm",
    "on 2 May 2024", "one-to-one work with children", "up to 3 children", "one case management system",
    "5 children", "Outcome 22 children", "two groups of young people", "two of them were late",
    "one of the strongest predictors",
]


def narrative(root, prefix="02-"):
    return next((root / "content" / YEAR / "narrative").glob(f"{prefix}*.md"))


def insert_lines(root, lines: list[str]) -> tuple[str, int]:
    """Put `lines` at the top of a narrative's body; returns the file (as findings name it) and
    the line the first one is on."""
    path = narrative(root)
    text = path.read_text(encoding="utf-8").splitlines()
    start = text.index("---", 1) + 1
    path.write_text("\n".join(text[:start] + lines + text[start:]) + "\n", encoding="utf-8")
    return f"content/{YEAR}/narrative/{path.name}", start + 1


def small_counts(root):
    plan = load_project(root, [YEAR]).years[0]
    return [f for f in check_plan(plan) if f.rule.startswith("privacy.")]


def make_draft(root):
    path = root / "content" / YEAR / "plan.yml"
    path.write_text(re.sub(r"(?m)^status: .*$", "status: draft", path.read_text(encoding="utf-8")), encoding="utf-8")


# --- the detector --------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence", COUNTS)
def test_a_small_count_of_children_in_a_sentence_is_found(sentence):
    assert find_counts(sentence), sentence


@pytest.mark.parametrize("sentence", NOT_COUNTS)
def test_numbers_that_are_not_counts_of_children_are_left_alone(sentence):
    assert find_counts(sentence) == [], sentence


def test_each_count_typed_into_the_narrative_is_an_error_naming_its_file_and_line(project_copy):
    file, first = insert_lines(project_copy, [s[0].upper() + s[1:] + "." for s in COUNTS])
    found = small_counts(project_copy)
    assert {f.rule for f in found} == {"privacy.small-count"}
    # one finding per sentence, two where a sentence has two counts ("three ... and a further two")
    assert sorted({(f.file, f.line) for f in found}) == [(file, first + i) for i in range(len(COUNTS))]
    assert len(found) == len(COUNTS) + 1
    assert all(f.severity.value == "error" for f in found)
    assert "'Three young people'" in found[0].message and "could identify a child" in found[0].message
    assert "{{ ... }}" in found[0].fix and "fewer than five" in found[0].fix


def test_numbers_that_are_not_counts_pass_the_check(project_copy):
    insert_lines(project_copy, [s + "." for s in NOT_COUNTS])
    assert small_counts(project_copy) == []


def test_quoted_variables_are_not_read_as_typed_counts(project_copy):
    insert_lines(project_copy, ["There were {{ board.members }} young people at the event.",
                                "{# three girls, a note to myself #}The board met."])
    assert small_counts(project_copy) == []


def test_a_markdown_table_of_small_counts_of_children_is_an_error_per_cell(project_copy):
    file, first = insert_lines(project_copy, [
        "| Group | Children remanded |", "|---|---|", "| Girls | 3 |", "| Boys | 12 |", "| Not known | 1 |", "",
        "| Meeting | Held |", "|---|---|", "| Board | 4 |", ""])
    found = small_counts(project_copy)
    assert [(f.file, f.line) for f in found] == [(file, first + 2), (file, first + 4)]
    assert "Girls | 3" in found[0].message


def test_a_count_in_a_yaml_priority_is_an_error_naming_file_line_and_field(project_copy):
    path = project_copy / "content" / YEAR / "priorities.yml"
    text = path.read_text(encoding="utf-8").replace(
        "progress: Evaluation framework agreed; interviews with families under way",
        "progress: Evaluation framework agreed; 2 girls interviewed so far", 1)
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("        progress: Evaluation framework agreed; 2 girls interviewed so far") + 1
    found = small_counts(project_copy)
    assert len(found) == 1
    assert (found[0].file, found[0].line, found[0].field) == (
        f"content/{YEAR}/priorities.yml", line, "priorities[0].actions[0].progress")
    assert "'2 girls'" in found[0].message and "count-ok" in found[0].fix


# --- drafts too ----------------------------------------------------------------------------------

def test_check_fails_on_a_typed_count_even_in_a_draft(project_copy):
    make_draft(project_copy)
    insert_lines(project_copy, ["Three young people were remanded last year."])
    result = run_yjplan(project_copy, "check", YEAR)
    assert result.returncode == 1
    assert "'Three young people'" in result.stdout and "[privacy.small-count]" in result.stdout


def test_build_refuses_a_draft_with_a_typed_count_and_leaves_no_site(project_copy):
    make_draft(project_copy)
    insert_lines(project_copy, ["2 girls received a custodial sentence."])
    result = run_yjplan(project_copy, "build", YEAR)
    assert result.returncode == 1
    assert "'2 girls'" in result.stderr and "Build stopped" in result.stderr
    assert not (project_copy / "site").exists()


# --- reviewed exceptions -------------------------------------------------------------------------

def test_a_reviewed_count_passes_and_is_listed_in_the_compliance_appendix(project_copy):
    file, line = insert_lines(project_copy, [
        "Two carers' children{# count-ok: the same two families named in the court report the board published #} "
        "and two victims{# count-ok: victims who asked to be named #} spoke at the event."])
    path = project_copy / "content" / YEAR / "priorities.yml"
    text = path.read_text(encoding="utf-8").replace(
        "progress: Options paper presented to the board in June 2025",
        "progress: Options paper presented by two young people  # count-ok: the youth council's elected members", 1)
    path.write_text(text, encoding="utf-8")
    yaml_line = next(i for i, t in enumerate(text.splitlines(), 1) if "count-ok" in t)
    assert small_counts(project_copy) == []

    project = load_project(project_copy, [YEAR])
    plan = project.years[0]
    derived = derive.derive(project, plan)
    assert [(r.file, r.line, r.text, r.reason) for r in derived.reviewed_counts] == [
        (file, line, "Two carers' children",
         "the same two families named in the court report the board published"),
        (file, line, "two victims", "victims who asked to be named"),
        (f"content/{YEAR}/priorities.yml", yaml_line, "two young people", "the youth council's elected members")]
    pages = render_year(project, plan, derived).pages
    appendix = next(p.body for p in pages if "Small numbers reviewed by the author" in p.body)
    assert "victims who asked to be named" in appendix and f"<td>{file}</td><td>{line}</td>" in appendix
    chapter = next(p.body for p in pages if "spoke at the event" in p.body)
    assert "count-ok" not in chapter                     # readers never see the comment


def test_an_exception_without_a_reason_is_an_error(project_copy):
    make_draft(project_copy)
    insert_lines(project_copy, ["Two girls{# count-ok #} joined."])
    found = small_counts(project_copy)
    assert [(f.rule, f.severity.value) for f in found] == [("privacy.count-ok-reason", "error")]


def test_an_exception_that_follows_no_count_is_a_warning(project_copy):
    file, line = insert_lines(project_copy, ["The board met{# count-ok: nothing here #}."])
    found = small_counts(project_copy)
    assert [(f.rule, f.severity.value, f.line) for f in found] == [("privacy.count-ok-unused", "warning", line)]


def test_the_sample_has_no_typed_small_counts_and_lists_no_exceptions():
    for year in sample_years():
        project = load_project(ROOT, [year])
        plan = project.years[0]
        assert [f for f in check_plan(plan) if f.rule.startswith("privacy.")] == []
        assert derive.derive(project, plan).reviewed_counts == []


# --- secondary suppression: nothing hidden can be worked back out ---------------------------------

def test_one_small_count_in_a_line_hides_a_partner_so_the_total_gives_nothing_away():
    cells = [derive.Cell(n) for n in (40, 3, 12, 9)]
    total = derive.suppress_column(cells)
    assert [c.hidden for c in cells] == [False, True, False, True] and not total.hidden


def test_with_no_partner_to_hide_the_total_is_hidden():
    cells = [derive.Cell(3), derive.Cell(None)]                  # the other category has no data
    total = derive.suppress_column(cells)
    assert cells[0].hidden and total.hidden


def test_a_small_total_is_hidden_like_any_small_count():
    cells = [derive.Cell(0), derive.Cell(2)]
    assert derive.suppress_column(cells).hidden


def test_rows_and_columns_are_protected_together():
    grid = [[derive.Cell(n) for n in row] for row in ((20, 3, 30), (25, 40, 35), (50, 60, 70))]
    rows = [(row, derive.Cell(sum(c.count for c in row))) for row in grid]
    columns = [([row[j] for row in grid], derive.Cell(sum(row[j].count for row in grid))) for j in range(3)]
    derive.protect(rows + columns)
    for parts, total in rows + columns:
        assert total.hidden or sum(c.hidden for c in parts) != 1


def test_a_staff_table_with_one_small_category_hides_a_partner():
    table = derive._counts("Staff", "Sex", ["Female"] * 20 + ["Male"] * 3, ["Female", "Male"])
    assert [hidden for _, _, hidden in table.rows] == [True, True] and not table.total_hidden


def test_a_staff_table_whose_only_category_is_small_hides_its_total():
    table = derive._counts("Staff", "Sex", ["Female"] * 3, ["Female", "Male"])
    assert table.rows == [("Female", 3, True)] and table.total_hidden


def test_local_measures_whose_categories_do_not_add_up_have_no_total():
    """The library's tables, picked in content/tables.yml, go through the one local-table path."""
    project = load_project(ROOT, [YEAR])
    tables = {dt.table.id: dt for dt in derive.derive(project, project.years[0]).tables}
    assert not [r for r in tables["prevention"].rows if r.total]     # starts and completions are not added
    totals = [r for r in tables["remands"].rows if r.total]
    assert len(totals) == 1 and len(totals[0].cells) == len(tables["remands"].periods)


@pytest.mark.parametrize("year", sample_years())
def test_no_suppressed_cell_in_any_published_table_can_be_worked_out(sample_site, year):
    """Every table with [c] on every page: for each column and row with a shown total, 0 or at
    least 2 of its parts are hidden; a hidden count has no share beside it; a table shown on two
    pages hides the same cells on both (tests/tables.py, shared with tests/test_published_text.py)."""
    assert assert_no_suppressed_cell_can_be_worked_out(list((sample_site / year).rglob("*.html"))) >= 3


@pytest.mark.parametrize("year", sample_years())
def test_footnotes_say_whose_privacy_is_protected(sample_site, year):
    pages = {p: p.read_text(encoding="utf-8") for p in (sample_site / year).rglob("*.html")}
    for page, html in pages.items():
        for caption, note in re.findall(r"<caption>([^<]*)</caption>(?:(?!<caption>).)*?</table>\s*<p class=\"footnote\">(.*?)</p>",
                                        html, re.S):
            whose = "the staff it describes" if caption.startswith("Staff") else "the children it describes"
            assert whose in note, (page, caption, note)
    assert any("to protect the staff it describes" in html for html in pages.values())
    assert any("to protect the children it describes" in html for html in pages.values())
