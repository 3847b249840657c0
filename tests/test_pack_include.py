"""`yjplan pack YEAR --include ...`: the committee pack with chosen chapters besides the
appendices, e.g. the inspection and its improvement plan when that is the committee's item.
Read back from the PDF the command writes (one pack, printed once for the module)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import ROOT, copy_project, read_yaml, run_yjplan, sample_years
from pdfread import layout
import verapdf

LATEST = sample_years()[-1]
GUIDANCE = read_yaml(ROOT / "plan" / "rules" / "guidance-yjb-2024.yml")


def chapter_title(heading_id: str) -> str:
    """The chapter as the contents and bookmarks show it: its number and title."""
    number, heading = next((n, h) for n, h in enumerate(GUIDANCE["headings"], 1) if h["id"] == heading_id)
    for path in (ROOT / "content" / LATEST / "narrative").glob("*.md"):     # a narrative may retitle it
        text = path.read_text(encoding="utf-8")
        front = read_yaml_front(text)
        if front.get("heading") == heading_id and front.get("title"):
            return f"{number}. {front['title']}"
    return f"{number}. {heading['title']}"


def read_yaml_front(text: str) -> dict:
    import yaml
    return yaml.safe_load(text.split("---")[1]) if text.startswith("---") else {}


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("pack-include"))


@pytest.fixture(scope="module")
def inspection_pack(project) -> Path:
    """The pack for a committee whose item is the inspection, asked for out of the plan's order."""
    target = project / "agenda" / "item-5.pdf"
    result = run_yjplan(project, "pack", LATEST, "--include", "inspection,risks", "--include", "budget",
                        "--item", "5", "-o", str(target))
    assert result.returncode == 0, result.stderr
    return target


def test_the_inspection_pack_holds_the_improvement_plan(inspection_pack):
    text = words(" ".join(p.text for p in layout(inspection_pack)))
    assert "Inspection improvement plan" in text
    for action in read_yaml(ROOT / "content" / LATEST / "inspection.yml")["improvement_plan"]:
        # the owner's name is short enough to stay on one line in its table cell
        assert words(action["owner"]) in text
    assert "Agree a joint protocol with Housing" in text


def test_included_chapters_come_in_the_plans_order_before_the_appendices(inspection_pack):
    bookmarks = [item.title for item in PdfReader(inspection_pack).outline if not isinstance(item, list)]
    risks, service = chapter_title("risks"), chapter_title("service-development")
    appendices = [b for b in bookmarks if b.startswith("Appendix ")]
    assert risks in bookmarks and service in bookmarks            # each chapter has its bookmark
    assert bookmarks.index(risks) < bookmarks.index(service) < bookmarks.index(appendices[0])
    assert len(appendices) == len(GUIDANCE["appendices"])          # the appendices are all still there
    other = chapter_title("priorities")
    assert other not in bookmarks                                  # only what was asked for


def test_the_contents_lists_the_included_chapters(inspection_pack):
    contents = next(p for p in layout(inspection_pack) if " Contents " in f" {p.text} ")
    text = contents.text[contents.text.index("Contents"):]
    assert text.index(chapter_title("risks")) < text.index(chapter_title("service-development")) < text.index("Appendix A")


def test_the_pack_with_chapters_says_it_holds_extracts(inspection_pack):
    reader = PdfReader(inspection_pack)
    assert reader.metadata.title.endswith(f"Extracts from the youth justice plan {LATEST}")


def test_the_pack_with_chapters_passes_verapdf_pdf_ua_1(inspection_pack):
    failures = verapdf.validate(inspection_pack)[str(inspection_pack)]
    assert failures == [], "\n".join(map(str, failures))


def test_an_unknown_include_is_a_one_line_error_with_the_choices(project, tmp_path):
    target = tmp_path / "pack.pdf"
    result = run_yjplan(project, "pack", LATEST, "--include", "risks,inspecton", "-o", str(target))
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "'inspecton'" in line and "did you mean 'inspection'?" in line
    assert "service-development" in line and "budget_summary" in line       # the choices
    assert "Traceback" not in result.stderr
    assert not target.exists()


def test_include_list_names_every_heading_and_block(project):
    result = run_yjplan(project, "pack", LATEST, "--include", "list")
    assert result.returncode == 0, result.stderr
    for heading in GUIDANCE["headings"] + GUIDANCE["appendices"]:
        assert f"  {heading['id']}: " in result.stdout
    assert "  inspection: block, in service-development" in result.stdout


def test_a_heading_id_wins_over_a_block_of_the_same_name():
    from plan.packinclude import chapters
    from plan.rules import guidance

    edition = guidance("yjb-2024")
    assert chapters(edition, ("inspection",)) == {"service-development"}
    assert chapters(edition, ("board",)) == set()          # the appendix, already in the pack
    assert chapters(edition, ("budget_summary", "risks")) == {"resources", "risks"}
