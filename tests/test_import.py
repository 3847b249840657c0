"""`yjplan import` reads the YJB/MoJ local-level open data tables as published: title rows
above the headings, "[note N]" markers, withheld cells."""
from __future__ import annotations

import pandas as pd
import pytest

from plan.cli import main

SERVICE = "Castlebridge"


def write_published_table(path, columns, rows, title_rows=3):
    """An ODS laid out like a published table: a title block, then the headings, then data."""
    with pd.ExcelWriter(path, engine="odf") as book:
        pd.DataFrame({"": ["Youth Justice Statistics: local level data", "This sheet has one table.",
                           "Source: Youth Justice Board"][:title_rows]}).to_excel(
            book, sheet_name="Data", index=False, header=False)
        pd.DataFrame(rows, columns=columns).to_excel(book, sheet_name="Data", index=False, startrow=title_rows + 1)
    return path


def outcome_rows():
    base = ["2024-25", SERVICE, "East Midlands", "Castlebridge PCC", "England"]
    other = ["2024-25", "Elsewhere", "East Midlands", "Elsewhere PCC", "England"]
    return [
        base + ["Pre-court", "Youth Caution", "7"],
        base + ["Pre-court", "Youth Conditional Caution [note 4]", "5"],
        base + ["First-tier", "Referral Order", "17"],
        base + ["Community", "Youth Rehabilitation Order", "9"],
        base + ["Custody", "Detention and Training Order", "2"],
        base + ["Custody", "Section 250", "[x]"],
        other + ["First-tier", "Referral Order", "40"],
    ]


OUTCOME_COLUMNS = ["Financial_Year", "YJS", "Wales or English Region", "PCC", "England_Wales",
                   "Caution_or_sentence_tier", "Caution_or_sentence_type [note 2]", "Number_Cautioned_Sentenced [note 3]"]


def run_import(root, path, capsys, *extra):
    code = main(["--root", str(root), "import", str(path), "--yjs", SERVICE, "--published", "2026-01-29", *extra])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_outcomes_table_is_imported_despite_title_rows_and_notes(project_copy, tmp_path, capsys):
    path = write_published_table(tmp_path / "outcomes.ods", OUTCOME_COLUMNS, outcome_rows())
    code, out = run_import(project_copy, path, capsys)
    assert code == 0, out
    assert "Imported 5 row(s) (disposals)" in out
    local = pd.read_csv(project_copy / "data" / "local.csv", dtype=str)
    new = local[(local.published == "2026-01-29")]
    assert dict(zip(new.category, new["count"].astype(int))) == {
        "Youth caution": 7, "Youth conditional caution": 5, "Referral order": 17,
        "Youth rehabilitation order": 9, "Custodial sentence": 2}    # the withheld [x] is left out
    assert set(new.period) == {"2024-25"} and set(new.period_end) == {"2025-03-31"}


def test_children_table_sums_ages_and_sexes_into_ethnicity(project_copy, tmp_path, capsys):
    columns = ["Financial_Year", "YJS", "Wales or English Region", "PCC", "England_Wales",
               "Age_Group", "Sex", "Ethnicity_Group", "Number_Children"]
    base = ["2024-25", SERVICE, "East Midlands", "Castlebridge PCC", "England"]
    rows = [base + ["10-14", "Male", "White", "30"], base + ["15-17", "Female", "White", "12"],
            base + ["15-17", "Male", "Black or Black British", "6"], base + ["10-14", "Male", "Unknown", "1"]]
    path = write_published_table(tmp_path / "children.ods", columns, rows, title_rows=1)
    code, out = run_import(project_copy, path, capsys)
    assert code == 0, out
    local = pd.read_csv(project_copy / "data" / "local.csv", dtype=str)
    new = local[(local.published == "2026-01-29")]
    assert dict(zip(new.category, new["count"].astype(int))) == {"White": 42, "Black": 6, "Not known": 1}


def test_imported_data_still_passes_the_checks(project_copy, tmp_path, capsys):
    path = write_published_table(tmp_path / "outcomes.ods", OUTCOME_COLUMNS, outcome_rows())
    assert run_import(project_copy, path, capsys)[0] == 0
    assert main(["--root", str(project_copy), "check"]) == 0


def test_unknown_service_is_explained(project_copy, tmp_path, capsys):
    path = write_published_table(tmp_path / "outcomes.ods", OUTCOME_COLUMNS, outcome_rows())
    code, out = main(["--root", str(project_copy), "import", str(path), "--yjs", "Castlebrige",
                      "--published", "2026-01-29"]), capsys.readouterr().err
    assert code == 1
    assert "no rows for the YJS 'Castlebrige'" in out and "Castlebridge" in out


def test_file_that_is_not_the_open_data_table_is_explained(project_copy, tmp_path, capsys):
    path = tmp_path / "other.ods"
    with pd.ExcelWriter(path, engine="odf") as book:
        pd.DataFrame({"a": [1]}).to_excel(book, sheet_name="Cover", index=False)
    code, out = run_import(project_copy, path, capsys)
    assert code == 1 and "there is no sheet called 'Data'" in out


def test_bad_count_names_the_row(project_copy, tmp_path, capsys):
    rows = outcome_rows()
    rows[2][-1] = "seventeen"
    path = write_published_table(tmp_path / "outcomes.ods", OUTCOME_COLUMNS, rows)
    sheet = pd.read_excel(path, sheet_name="Data", header=None, engine="odf", dtype=str)
    line = next(i for i, row in sheet.iterrows() if "seventeen" in set(row.dropna())) + 1
    code, out = run_import(project_copy, path, capsys)
    assert code == 1
    assert f"line {line}, field 'Number_Cautioned_Sentenced'" in out and "'seventeen' is not a whole number" in out
