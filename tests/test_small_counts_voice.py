"""A child's small count typed into a quote or case study (voice.yml) is found like one typed
anywhere else, and the `# count-ok:` exception works there too."""
from __future__ import annotations

import pytest

from conftest import sample_years
from plan.check import check_plan
from plan.load import load_project
from plan.smallcounts import find_counts, find_counts_in_voice

YEAR = sample_years()[-1]
QUOTE = "My worker listened to me and didn't judge me. She asked what I wanted to do, not just what I did wrong."
CASE = "After six months they were going to college most days and had not been in trouble"


def small_counts(root):
    plan = load_project(root, [YEAR]).years[0]
    return [f for f in check_plan(plan) if f.rule.startswith("privacy.")]


def edit_voice(root, old: str, new: str) -> int:
    """Replace `old` in voice.yml; returns the line it is on."""
    path = root / "content" / YEAR / "voice.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[:text.index(old)].count("\n") + 1


@pytest.mark.parametrize("said", ["3 of us went to college", "Two of us got a place on the course",
                                  "two of my mates were remanded", "the 4 young people in the group"])
def test_a_childs_own_small_count_is_found_in_voice_text(said):
    assert find_counts_in_voice(said), said


@pytest.mark.parametrize("said", ["all of us went", "12 of us went to college", "we met on 3 of March",
                                  "3 of usual"])
def test_what_is_not_a_small_count_of_children_is_not_found_in_voice_text(said):
    assert find_counts_in_voice(said) == [], said


def test_of_us_is_not_a_count_in_the_narrative():
    assert find_counts("Two of us went to the conference") == []


def test_a_count_in_a_quote_is_an_error_naming_voice_yml_its_line_and_field(project_copy):
    line = edit_voice(project_copy, QUOTE, "3 of us went to college after the group.")
    found = small_counts(project_copy)
    assert [(f.rule, f.file, f.line, f.field) for f in found] == [
        ("privacy.small-count", f"content/{YEAR}/voice.yml", line, "quotes[0].text")]
    assert "'3 of us'" in found[0].message and "count-ok" in found[0].fix


def test_a_count_in_a_case_study_is_an_error(project_copy):
    edit_voice(project_copy, CASE, "Two girls from the same group were going to college most days and had not been "
                                   "in trouble")
    found = small_counts(project_copy)
    assert [(f.rule, f.field) for f in found] == [("privacy.small-count", "case_studies[0].text")]
    assert "'Two girls'" in found[0].message


def test_a_reviewed_count_in_a_quote_passes_and_one_without_a_reason_does_not(project_copy):
    edit_voice(project_copy, QUOTE, "3 of us went to college after the group.  # count-ok: the whole group of 40 said it")
    assert small_counts(project_copy) == []
    edit_voice(project_copy, "# count-ok: the whole group of 40 said it", "# count-ok:")
    assert [f.rule for f in small_counts(project_copy)] == ["privacy.count-ok-reason"]
