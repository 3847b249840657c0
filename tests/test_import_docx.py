"""`yjplan import-docx`: a Word plan becomes a draft plan year that `yjplan check` reads."""
from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
import yaml

from plan.importdocx import MATCH_THRESHOLD, import_docx, similarity
from plan.problems import PlanError

from conftest import run_yjplan, tree_digest


def tiny_png() -> bytes:
    """A 1x1 red PNG, made here so the test needs no file."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = zlib.compress(b"\x00\xff\x00\x00")
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


def _table(document, rows):
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text


def word_plan(folder: Path, bad_number: str = "£1,200") -> Path:
    """A Word plan as councils write them: numbered headings, tables, a picture."""
    import docx
    document = docx.Document()
    document.add_heading("Castlebridge Youth Justice Plan", 0)
    document.add_heading("1. Introduction, Vision and Strategy", 1)
    document.add_paragraph("This is our plan. Contact jo.bloggs@hotmail.com for a copy.")
    document.add_heading("Section 2 – Governance and leadership", 1)
    document.add_paragraph("The board oversees the service.")
    _table(document, [["Name", "Role", "Organisation", "Meetings attended"],
                      ["Dr Helen Okafor", "Chair; Director of Children's Services", "Castlebridge Borough Council", "6"],
                      ["Supt Ian Marsh", "Local Policing Commander", "East Midshire Police", "5"]])
    document.add_heading("Our history", 2)
    document.add_paragraph("The service began in 2000.")
    document.add_heading("3. Resources and Services", 1)
    document.add_paragraph("The budget is below.")
    _table(document, [["Agency", "Staffing costs", "In kind", "Other", "Total"],
                      ["Local authority", "£1,180,000", "0", "£164,000", "£1,344,000"],
                      ["Police", "0", "£112,000", "£10,000", "£125,000"],          # wrong: 122,000
                      ["Probation", bad_number, "0", "0", "£1,200"],
                      ["Total", "", "", "", "£1,469,000"]])
    _table(document, [["Post", "FTE", "Contract", "Sex", "Ethnicity"],
                      ["Head of Service", "1.0", "Permanent", "Female", "White"],
                      ["Case Manager", "0.8", "Permanent", "Male", "Black"]])
    document.add_picture(str(folder / "map.png"))
    _table(document, [["Venue", "Day"], ["Civic Centre", "Monday"]])
    document.add_heading("Glossary", 1)
    _table(document, [["Term", "Meaning"], ["ETE", "Education, training and employment"],
                      ["YJS", "Youth justice service"]])
    path = folder / "plan.docx"
    document.save(path)
    return path


@pytest.fixture
def docx_file(tmp_path) -> Path:
    (tmp_path / "map.png").write_bytes(tiny_png())
    return word_plan(tmp_path)


def outside(root: Path, year: str) -> dict:
    """Every file of the project except the new year's folder."""
    return {k: v for k, v in tree_digest(root).items()
            if not k.startswith((f"content/{year}/", ".yjplan-cache/"))}     # the check's own cache


def test_a_word_plan_becomes_a_year_that_check_reads(project_copy, docx_file):
    before = outside(project_copy, "2026-27")
    result = run_yjplan(project_copy, "import-docx", str(docx_file), "2025-26", "--into", "2026-27")
    assert result.returncode == 0, result.stderr
    year = project_copy / "content" / "2026-27"
    names = sorted(p.name for p in (year / "narrative").iterdir())
    assert names == ["01-introduction.md", "03-governance.md", "08-resources.md"]
    governance = (year / "narrative" / "03-governance.md").read_text()
    assert governance.startswith("---\nheading: governance\n---\n") and "## Our history" in governance
    assert "| Venue | Day |" in (year / "narrative" / "08-resources.md").read_text()   # unrecognised: kept
    assert list((year / "images").iterdir()) and "![](../images/image1.png)" in (year / "narrative" / "08-resources.md").read_text()
    finance = yaml.safe_load((year / "finance.yml").read_text())["contributions"]
    assert [row.get("total") for row in finance] == [1344000, 125000, 1200]
    members = yaml.safe_load((year / "governance.yml").read_text())["members"]
    assert members[0]["position"] == "chair" and members[1]["partner"] == "police"
    assert [t["term"] for t in yaml.safe_load((year / "glossary.yml").read_text())["terms"]] == ["ETE", "YJS"]
    assert yaml.safe_load((year / "plan.yml").read_text())["status"] == "draft"
    out = result.stdout + result.stderr
    assert "jo.bloggs@hotmail.com" in result.stderr                # personal data, reported at once
    assert "post by post" in out and "ethnicity" in out
    assert "'Our history' -> a '##' sub-heading in the narrative file for governance" in out
    assert "Venue, Day" in out and "Total row under 'Resources and services' says £1,469,000, but its rows add up to £1,467,200" in out
    assert outside(project_copy, "2026-27") == before              # nothing else changed

    check = run_yjplan(project_copy, "check", "2026-27")
    assert "finance.row-total" in check.stdout and "the Police row says its total is £125,000" in check.stdout
    assert "a11y.image-alt" in check.stdout and "content/2026-27/narrative/08-resources.md" in check.stdout
    assert outside(project_copy, "2026-27") == before


def test_a_number_that_does_not_parse_is_a_to_do_and_the_check_names_its_line(project_copy, tmp_path):
    (tmp_path / "map.png").write_bytes(tiny_png())
    result = run_yjplan(project_copy, "import-docx", str(word_plan(tmp_path, "£1,2O0")), "2026-27")
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "'£1,2O0' is not a number in whole pounds" in result.stdout
    finance = project_copy / "content" / "2026-27" / "finance.yml"
    assert yaml.safe_load(finance.read_text())["contributions"][2]["staffing"] == "£1,2O0"   # as written
    check = run_yjplan(project_copy, "check", "2026-27")
    assert "content/2026-27/finance.yml, line" in check.stdout and "contributions[2].staffing" in check.stdout


def test_an_existing_year_is_refused_and_nothing_is_written(project_copy, docx_file):
    before = tree_digest(project_copy)
    result = run_yjplan(project_copy, "import-docx", str(docx_file), "2025-26")
    assert result.returncode == 1 and "content/2025-26/ already exists" in result.stderr
    assert "--into" in result.stderr and "Traceback" not in result.stderr
    assert tree_digest(project_copy) == before


def _bad(tmp_path: Path, kind: str) -> Path:
    import docx
    path = tmp_path / "bad.docx"
    if kind == "not-docx":
        path.write_text("Dear colleague, the plan is attached.")
    elif kind == "protected":
        path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504)
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "no-headings":
        document = docx.Document()
        document.add_paragraph("Just some text, with no heading styles.")
        document.save(path)
    return path


@pytest.mark.parametrize("kind, words", [("not-docx", "not a Word document"), ("protected", "password-protected"),
                                         ("empty", "empty"), ("no-headings", "no headings")])
def test_bad_word_files_are_one_clear_error(project_copy, tmp_path, kind, words):
    before = tree_digest(project_copy)
    with pytest.raises(PlanError) as error:
        import_docx(project_copy, _bad(tmp_path, kind), "2026-27")
    assert words in str(error.value) and len(error.value.findings) == 1
    assert tree_digest(project_copy) == before


def test_a_bad_word_file_from_the_command_line_exits_1_without_a_traceback(project_copy, tmp_path):
    result = run_yjplan(project_copy, "import-docx", str(_bad(tmp_path, "protected")), "2026-27")
    assert result.returncode == 1 and "password-protected" in result.stderr and "Traceback" not in result.stderr
    assert not (project_copy / "content" / "2026-27").exists()


@pytest.mark.parametrize("word, guidance", [("3. Resources and Services", "Resources and services"),
                                            ("Section 2 – Governance and leadership",
                                             "Governance, leadership and partnership arrangements"),
                                            ("4.2 Child-First practice", "Child First")])
def test_numbered_and_reworded_headings_match(word, guidance):
    assert similarity(word, guidance) >= MATCH_THRESHOLD


def test_a_different_heading_does_not_match():
    assert similarity("Our history", "Risks and issues") < MATCH_THRESHOLD


def test_braces_in_word_text_are_printed_as_written_not_read_as_figures():
    from plan.importdocx import literal_braces
    from jinja2.sandbox import SandboxedEnvironment
    typed = 'Fill in {{ name }} and {% if %} and {# note #} here'
    assert SandboxedEnvironment().from_string(literal_braces(typed)).render() == typed


def welsh_word_plan(folder: Path) -> Path:
    """The same plan in Welsh, as a Welsh service publishes it: its headings reworded a little,
    one section the English plan has not, a table and a picture in the text."""
    import docx
    document = docx.Document()
    document.add_heading("Cynllun Cyfiawnder Ieuenctid Castlebridge", 0)
    document.add_heading("1. Cyflwyniad, Gweledigaeth a Strategaeth", 1)
    document.add_paragraph("Dyma ein cynllun.")
    document.add_heading("Adran 2 – Llywodraethu ac arweinyddiaeth", 1)
    document.add_paragraph("Mae'r bwrdd yn goruchwylio'r gwasanaeth.")
    _table(document, [["Enw", "Rôl"], ["Dr Helen Okafor", "Cadeirydd"]])
    document.add_heading("3. Adnoddau a gwasanaethau", 1)
    document.add_paragraph("Mae'r gyllideb isod.")
    document.add_picture(str(folder / "map.png"))
    document.add_heading("Cyd-destun lleol", 1)
    document.add_paragraph("Nid oes adran gyfatebol yn y cynllun Saesneg.")
    path = folder / "cynllun.docx"
    document.save(path)
    return path


def test_a_welsh_word_plan_becomes_the_narratives_welsh_counterparts(project_copy, docx_file):
    """`import-docx plan.docx YEAR --welsh cynllun.docx`: the Welsh plan's sections, matched by
    the guidance's headings in Welsh, become <name>.cy.md beside each English file, and the
    draft is a plan in English and Welsh that the check reads."""
    welsh = welsh_word_plan(docx_file.parent)
    result = run_yjplan(project_copy, "import-docx", str(docx_file), "2025-26", "--into", "2026-27",
                        "--welsh", str(welsh))
    assert result.returncode == 0, result.stderr
    year = project_copy / "content" / "2026-27"
    names = sorted(p.name for p in (year / "narrative").iterdir())
    assert names == ["01-introduction.cy.md", "01-introduction.md", "03-governance.cy.md", "03-governance.md",
                     "08-resources.cy.md", "08-resources.md"]
    governance = (year / "narrative" / "03-governance.cy.md").read_text()
    assert governance.startswith("---\nheading: governance\n---\n") and "goruchwylio" in governance
    assert "| Enw | Rôl |" in governance                                 # its table stays in the Welsh text
    assert "![](../images/image2.png)" in (year / "narrative" / "08-resources.cy.md").read_text()
    assert len(list((year / "images").iterdir())) == 2                  # each plan's picture, neither overwritten
    assert yaml.safe_load((year / "plan.yml").read_text())["languages"] == ["en-GB", "cy-GB"]
    assert "no English section for the Welsh section local-context" in result.stdout

    check = run_yjplan(project_copy, "check", "2026-27")
    assert "bilingual.missing-narrative" not in check.stdout            # every file has its counterpart
    assert "bilingual.missing-text" in check.stdout                     # the YAML's texts, to give in Welsh


def test_a_welsh_word_plan_with_no_heading_to_match_is_refused(project_copy, docx_file):
    import docx
    other = docx.Document()
    other.add_heading("Rhywbeth hollol wahanol", 1)
    other.add_paragraph("Testun.")
    other.save(docx_file.parent / "arall.docx")
    before = tree_digest(project_copy)
    result = run_yjplan(project_copy, "import-docx", str(docx_file), "2025-26", "--into", "2026-27",
                        "--welsh", str(docx_file.parent / "arall.docx"))
    assert result.returncode == 1 and "the Welsh plan has no headings" in result.stdout + result.stderr
    assert "arall.docx" in result.stdout + result.stderr
    assert {k: v for k, v in tree_digest(project_copy).items() if not k.startswith(".yjplan-cache/")} == \
        {k: v for k, v in before.items() if not k.startswith(".yjplan-cache/")}
