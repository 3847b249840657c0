"""Word out: the plan as a .docx (build, content/site.yml `word: true`) and the committee cover
report (yjplan report), read back with python-docx and compared with the plan's PDF."""
from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

from conftest import copy_project, run_yjplan, tree_digest
import verapdf

YEAR = "2025-26"
PLAN_PDF = f"castlebridge-youth-justice-plan-{YEAR}.pdf"
PLAN_DOCX = f"castlebridge-youth-justice-plan-{YEAR}.docx"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"


def asking_for_word(root: Path) -> Path:
    site_yml = root / "content" / "site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8") + "word: true\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def word_project(tmp_path_factory) -> Path:
    """The sample, with `word: true` in content/site.yml, built once."""
    root = asking_for_word(copy_project(tmp_path_factory.mktemp("word") / "project"))
    result = run_yjplan(root, "build")
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="module")
def cover_report(word_project) -> tuple[Path, Path]:
    out = word_project / "papers" / "cabinet.docx"
    result = run_yjplan(word_project, "report", YEAR, "--committee", "Cabinet", "--date", "2025-07-15",
                        "--item", "8", "-o", str(out))
    assert result.returncode == 0, result.stderr
    return out, out.with_suffix(".pdf")


def headings(document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def pdf_text(pdf: Path) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(pdf).pages))


def plan_figures(root: Path) -> dict[str, str]:
    """A few figures as the plan derives them: the budget total, the local authority's
    contribution and the latest reoffending rate."""
    from plan.derive import derive, money
    from plan.load import load_project

    project = load_project(root, [YEAR])
    derived = derive(project, project.years[0])
    council = next(r for r in derived.budget.rows if r.partner.value == "local-authority")
    return {"budget total": money(derived.budget.total), "council contribution": money(council.total),
            "reoffending rate": derived.variables["reoffending"]["rate"]}


# --- the plan as a Word document ---------------------------------------------------------------

def test_build_writes_the_word_plan_beside_the_pdf_and_links_it_from_the_home_page(word_project):
    year_site = word_project / "site" / YEAR
    assert (year_site / PLAN_DOCX).is_file() and (year_site / PLAN_PDF).is_file()
    home = (year_site / "index.html").read_text(encoding="utf-8")
    assert f'href="{PLAN_DOCX}"' in home
    assert "Download the plan as a Word document" in home


def test_without_word_in_site_yml_no_word_plan_is_linked(tmp_path):
    from plan.gate import gate
    from plan.load import load_project

    root = copy_project(tmp_path / "project")
    project = load_project(root, [YEAR])
    home = gate(project).rendered[YEAR].pages[0].body
    assert ".docx" not in home
    root = asking_for_word(root)
    home = gate(load_project(root, [YEAR])).rendered[YEAR].pages[0].body
    assert PLAN_DOCX in home


def test_word_plan_headings_are_heading_styles_in_the_editions_order(word_project):
    from plan.gate import gate
    from plan.load import load_project

    project = load_project(word_project, [YEAR])
    plan = project.years[0]
    pages = [p for p in gate(project).rendered[YEAR].pages if p.kind not in ("home", "child")]   # the child-friendly version is its own booklet
    document = docx.Document(word_project / "site" / YEAR / PLAN_DOCX)
    top = [text for style, text in headings(document) if style == "Heading 1"]
    assert top == [f"{p.label}. {p.title}" if p.kind == "chapter" else p.title for p in pages]
    chapters = [t for t in top if not t.startswith("Appendix")]
    assert len(chapters) == len(plan.guidance.headings)
    assert any(style == "Heading 2" for style, _ in headings(document))


def test_word_plan_tables_have_a_repeating_header_row(word_project):
    document = docx.Document(word_project / "site" / YEAR / PLAN_DOCX)
    assert len(document.tables) > 10
    for table in document.tables:
        first = table.rows[0]._tr
        assert first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None, table.rows[0].cells[0].text


def test_every_picture_in_the_word_plan_has_its_text_alternative(word_project):
    document = docx.Document(word_project / "site" / YEAR / PLAN_DOCX)
    pictures = list(document.element.body.iter(f"{WP}docPr"))
    assert len(pictures) >= 2       # the logo and the charts
    descriptions = [p.get("descr", "") for p in pictures]
    assert all(d.strip() for d in descriptions)
    assert any(d.startswith("Line chart of reoffending") for d in descriptions)
    assert "Castlebridge Borough Council logo" in descriptions
    # charts as PNG images, not SVG Word may not show
    assert {Path(p.partname).suffix for p in document.part.package.parts if "/media/" in p.partname} == {".png"}


def test_word_plan_has_its_language_contents_field_and_dates_from_the_plan(word_project):
    document = docx.Document(word_project / "site" / YEAR / PLAN_DOCX)
    lang = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
    assert lang.get(qn("w:val")) == "en-GB"
    assert document.core_properties.language == "en-GB"
    fields = [t.text for t in document.element.body.iter(qn("w:instrText"))]
    assert any(f.strip().startswith("TOC") for f in fields)
    assert document.core_properties.created.date().isoformat() == "2025-06-18"   # the sign-off date
    assert document.core_properties.title.endswith(f"youth justice plan {YEAR}")
    # no HTML pasted in
    assert not [p for p in document.part.package.parts if p.partname.endswith((".html", ".htm", ".mht"))]


def test_word_plan_headings_are_in_the_authoritys_primary_colour(word_project):
    from conftest import read_yaml

    primary = read_yaml(word_project / "content" / "site.yml")["colours"]["primary"].lstrip("#").upper()
    document = docx.Document(word_project / "site" / YEAR / PLAN_DOCX)
    for name in ("Title", "Heading 1", "Heading 2"):
        assert str(document.styles[name].font.color.rgb) == primary, name


def test_build_docx_writes_the_word_plan_for_one_build_and_a_build_without_it_takes_it_away(tmp_path):
    root = copy_project(tmp_path / "project")
    result = run_yjplan(root, "build", YEAR, "--docx")
    assert result.returncode == 0, result.stderr
    assert (root / "site" / YEAR / PLAN_DOCX).is_file()
    assert f'href="{PLAN_DOCX}"' in (root / "site" / YEAR / "index.html").read_text(encoding="utf-8")
    # The flag is part of what the year was built from: without it the year is built again, not kept.
    result = run_yjplan(root, "build", YEAR)
    assert result.returncode == 0, result.stderr
    assert not (root / "site" / YEAR / PLAN_DOCX).exists()
    assert ".docx" not in (root / "site" / YEAR / "index.html").read_text(encoding="utf-8")


def test_word_plan_figures_are_the_pdfs(word_project):
    text = all_text(docx.Document(word_project / "site" / YEAR / PLAN_DOCX))
    printed = pdf_text(word_project / "site" / YEAR / PLAN_PDF)
    for name, figure in plan_figures(word_project).items():
        assert figure in text, name
        assert figure in printed, name


def test_the_same_plan_gives_the_same_word_bytes(tmp_path):
    from plan.gate import gate
    from plan.load import load_project
    from plan.word import plan_docx

    root = asking_for_word(copy_project(tmp_path / "project"))
    project = load_project(root, [YEAR])
    rendered = gate(project).rendered[YEAR]
    plan_docx(project, rendered, tmp_path / "one.docx")
    plan_docx(project, rendered, tmp_path / "two.docx")
    assert (tmp_path / "one.docx").read_bytes() == (tmp_path / "two.docx").read_bytes()


def test_a_second_build_keeps_the_word_plan_and_the_site_as_they_were(word_project):
    before = tree_digest(word_project / "site")
    result = run_yjplan(word_project, "build", YEAR)       # named: no fast path, the cache decides
    assert result.returncode == 0, result.stderr
    assert f"kept unchanged: " in result.stdout or "Built none" in result.stdout
    assert tree_digest(word_project / "site") == before


# --- the committee cover report ------------------------------------------------------------------

def test_cover_report_sections_follow_the_report_template(cover_report):
    import yaml
    from conftest import ROOT

    sections = yaml.safe_load((ROOT / "templates" / "report" / "committee-report.yml").read_text())["sections"]
    document = docx.Document(cover_report[0])
    assert [t for s, t in headings(document) if s == "Heading 1"] == \
        [f"{i}. {s['title']}" for i, s in enumerate(sections, 1)]
    assert [p.text for p in document.paragraphs if p.style.name == "Title"] == ["Report to the Cabinet"]


def test_cover_report_is_editable_word_with_marked_header_rows_and_language(cover_report):
    document = docx.Document(cover_report[0])
    assert len(document.tables) >= 3      # indicators, budget, legal
    for table in document.tables:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(p.get("descr", "").strip() for p in document.element.body.iter(f"{WP}docPr"))
    assert document.core_properties.language == "en-GB"


def test_cover_report_figures_are_the_plans(word_project, cover_report):
    report = all_text(docx.Document(cover_report[0]))
    report_pdf = pdf_text(cover_report[1])
    plan_pdf = pdf_text(word_project / "site" / YEAR / PLAN_PDF)
    for name, figure in plan_figures(word_project).items():
        assert figure in plan_pdf, name
        assert figure in report, name
        assert figure in report_pdf, name
    # the change from last year, and the grant paid by the body labels.yml names for the period
    assert "+£33,000" in report and "Youth Justice Board grant" in report
    assert "section 40" in report and "39(5)" in report
    assert "End of Turnaround funding" in report           # a risk of the highest band
    assert "Black (5.8% of the children" in report         # an over-represented group


def test_cover_report_pdf_is_pdf_ua_1(cover_report):
    failures = verapdf.validate(cover_report[1])
    assert failures == {str(cover_report[1]): []} or not any(failures.values()), failures


def test_a_council_reorders_and_renames_the_report_sections_with_its_own_template(tmp_path):
    from plan.gate import gate
    from plan.load import load_project
    from plan.report import ReportOptions, report_html
    import datetime as dt

    root = copy_project(tmp_path / "project")
    own = root / "content" / "report"
    own.mkdir()
    (own / "committee-report.yml").write_text(
        "sections:\n  - {title: Purpose of the report, block: purpose.md}\n"
        "  - {title: Money, block: financial.md}\n", encoding="utf-8")
    (own / "purpose.md").write_text("To ask {{ committee }} to {{ decision }} the plan: {{ v.budget.total }}.\n",
                                    encoding="utf-8")
    project = load_project(root, [YEAR])
    html, _ = report_html(project, gate(project).rendered[YEAR], ReportOptions("Cabinet", dt.date(2025, 7, 15)),
                          "2025-06-18T12:00:00Z")
    titles = re.findall(r'<h1 id="section-\d+"><span class="label">\d+\.</span> ([^<]+)</h1>', html)
    assert titles == ["Purpose of the report", "Money"]
    assert "To ask Cabinet to note the plan: £2,356,112." in html


def test_report_refuses_a_plan_with_errors_and_writes_nothing(tmp_path):
    root = copy_project(tmp_path / "project")
    finance = root / "content" / YEAR / "finance.yml"
    finance.write_text(re.sub(r"^(\s*)other: (\d+)", r"\1other: \2\n\1total: 999", finance.read_text(), count=1,
                              flags=re.M), encoding="utf-8")
    out = tmp_path / "papers" / "report.docx"
    result = run_yjplan(root, "report", YEAR, "--committee", "Cabinet", "--date", "2025-07-15", "-o", str(out))
    assert result.returncode == 1
    assert "No report written" in result.stderr and "finance.yml" in result.stderr
    assert not out.exists() and not out.with_suffix(".pdf").exists()


def test_report_names_a_broken_council_template_without_a_traceback(tmp_path):
    root = copy_project(tmp_path / "project")
    (root / "content" / "report").mkdir()
    (root / "content" / "report" / "committee-report.yml").write_text("sections:\n  - {title: Summary, block: nope.md}\n")
    result = run_yjplan(root, "report", YEAR, "--committee", "Cabinet", "--date", "2025-07-15",
                        "-o", str(tmp_path / "r.docx"))
    assert result.returncode == 1
    assert "content/report/committee-report.yml" in result.stderr and "nope.md" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "r.docx").exists()


def test_report_date_must_be_a_date(tmp_path):
    result = run_yjplan(copy_project(tmp_path / "project"), "report", YEAR, "--committee", "Cabinet",
                        "--date", "15/07/2025")
    assert result.returncode == 2 and "YYYY-MM-DD" in result.stderr


def test_a_pandoc_failure_is_a_finding_and_leaves_no_file(tmp_path, monkeypatch):
    import datetime as dt

    import pypandoc

    from plan.problems import PlanError
    from plan.word import html_to_docx

    def failing(*args, **kwargs):
        raise RuntimeError("Pandoc died with exitcode \"64\" during conversion")

    monkeypatch.setattr(pypandoc, "convert_file", failing)
    target = tmp_path / "plan.docx"
    with pytest.raises(PlanError) as stopped:
        html_to_docx("<html lang='en-GB'><body><h1>Title</h1></body></html>", target, title="t", author="a",
                     date=dt.datetime(2025, 6, 18, 12, tzinfo=dt.timezone.utc), primary="#005a70")
    assert stopped.value.findings[0].rule == "word.convert"
    assert "plan.docx" in stopped.value.findings[0].message
    assert list(tmp_path.iterdir()) == []
