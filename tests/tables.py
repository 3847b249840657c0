"""Reading yjplan's published HTML tables back, and checking that no cell hidden as [c] can be
worked back out of what the table shows. Shared by tests/test_small_counts.py (the sample) and
tests/test_published_text.py (the sample and every example project)."""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

MARKER = "[c]"


def _cells(row: str) -> list[str]:
    return re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)


def tables(html: str):
    """(caption, header cells, body rows, footer rows) of every table on a page."""
    for table in re.findall(r"<table.*?</table>", html, re.S):
        caption = re.search(r"<caption>(.*?)</caption>", table, re.S)
        head = _cells(re.search(r"<thead>(.*?)</thead>", table, re.S).group(1)) if "<thead>" in table else []
        body_part = table.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in table else table
        body = [_cells(r) for r in re.findall(r"<tr>(.*?)</tr>", body_part, re.S)]
        foot = [_cells(r) for r in re.findall(r"<tr>(.*?)</tr>", table.split("<tfoot>")[1], re.S)] if "<tfoot>" in table else []
        yield (caption.group(1) if caption else ""), head, body, foot


def assert_no_suppressed_cell_can_be_worked_out(pages: list[Path]) -> int:
    """Every table with [c] on the pages: for each column and row with a shown total, 0 or at
    least 2 of its parts are hidden; a hidden count has no share beside it; a table shown on two
    pages hides the same cells on both. Returns how many tables with [c] it checked."""
    seen, checked = defaultdict(set), 0
    for page in sorted(pages):
        for caption, head, body, foot in tables(page.read_text(encoding="utf-8")):
            if MARKER not in str(body) + str(foot):
                continue
            checked += 1
            hidden = [[MARKER in cell for cell in row] for row in body]
            seen[caption].add(str(hidden))
            for total_row in foot:                                  # column totals
                for j in range(1, len(total_row)):
                    # a change, share or rate column (local tables) does not add up to its total
                    if j < len(head) and re.match(r"(Change|Share|Per )", head[j]):
                        continue
                    if MARKER not in total_row[j]:
                        assert sum(row[j] for row in hidden) != 1, (page, caption, j)
            if "Total" in head:                                     # row totals
                k = head.index("Total")
                for cells, row in zip(body, hidden):
                    if MARKER not in cells[k]:
                        assert sum(row[1:k] + row[k + 1:]) != 1, (page, caption, cells[0])
            for j, name in enumerate(head):                         # a share reveals its count
                if name.startswith("Share of children"):
                    assert all(row[j] for row in hidden if row[1]), (page, caption)
    assert all(len(patterns) == 1 for patterns in seen.values()), seen
    return checked
