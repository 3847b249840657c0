"""A plan year whose inputs have not changed is not rebuilt: its published files are kept
byte for byte. A changed year is rebuilt."""
from __future__ import annotations

import pytest

from conftest import run_yjplan, sample_years, tree_digest as digest

pytestmark = pytest.mark.xdist_group("sample")
OLDEST, NEWEST = sample_years()[0], sample_years()[-1]


def test_unchanged_plan_is_not_rebuilt(published):
    before = digest(published / "site")
    result = run_yjplan(published, "build")
    assert result.returncode == 0, result.stderr
    assert "Built none; kept unchanged: " + ", ".join(sample_years()) in result.stdout
    assert digest(published / "site") == before


def test_only_the_changed_year_is_rebuilt(published):
    old_year = digest(published / "site" / OLDEST)
    old_newest_page = (published / "site" / NEWEST / "workforce" / "index.html").read_text(encoding="utf-8")
    narrative = next((published / "content" / NEWEST / "narrative").glob("09-*.md"))
    narrative.write_text(narrative.read_text(encoding="utf-8") + "\nA sentence added this morning.\n", encoding="utf-8")

    result = run_yjplan(published, "build")

    assert result.returncode == 0, result.stderr
    assert f"Built {NEWEST}; kept unchanged: {OLDEST}" in result.stdout
    assert digest(published / "site" / OLDEST) == old_year
    page = (published / "site" / NEWEST / "workforce" / "index.html").read_text(encoding="utf-8")
    assert "A sentence added this morning." in page and page != old_newest_page
    assert (published / "site" / "latest" / "workforce" / "index.html").read_text(encoding="utf-8") == page
