"""The printed plan and the committee appendix pack, read back from the PDFs the sample builds:
page numbers, running header and footer, landscape pages, headings kept with what follows,
the DRAFT mark, PDF/UA-1 (veraPDF) and byte-for-byte reproducible builds."""
from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from conftest import ROOT, copy_project, read_yaml, run_yjplan, sample_years, tree_digest
from pdfread import MM, layout, text_outside
import verapdf

pytestmark = pytest.mark.xdist_group("sample")
YEARS = sample_years()
LATEST = YEARS[-1]
MEETING = "Overview and Scrutiny Committee, 19 September 2025"
HEADING_HEIGHT = 13.0      # a line this tall is a heading: h3 is 12pt (about 13.4pt of line box), body 10.5pt


# --- fixtures: the PDFs ---------------------------------------------------------------------------

def plan_file(site: Path, year: str) -> Path:
    [pdf] = [p for p in (site / year).glob("*.pdf") if not p.name.endswith("-appendices.pdf")]
    return pdf


def pack_file(site: Path, year: str) -> Path:
    [pdf] = (site / year).glob("*-appendices.pdf")
    return pdf


@pytest.fixture(scope="session")
def agenda_pack(sample_site) -> Path:
    """The latest year's pack as a clerk makes it for an agenda: `yjplan pack` with every option."""
    target = sample_site.parent / "agenda" / "item-8.pdf"
    result = run_yjplan(sample_site.parent, "pack", LATEST, "--first-page", "83", "--item", "8",
                        "--meeting", MEETING, "--output", str(target))
    assert result.returncode == 0, result.stderr
    assert f"to {target}" in result.stdout
    return target


SITE_LOGO = read_yaml(ROOT / "content" / "site.yml")["logo"]
LOGO = """<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60" viewBox="0 0 200 60">
<rect width="200" height="60" fill="#1d3b6e"/><circle cx="30" cy="30" r="18" fill="#fff"/></svg>"""


@pytest.fixture(scope="session")
def draft_site(tmp_path_factory) -> Path:
    """A copy of the project whose latest plan is still a draft, with a logo, built for that
    year alone."""
    root = copy_project(tmp_path_factory.mktemp("draft"))
    plan_yml = root / "content" / LATEST / "plan.yml"
    text = plan_yml.read_text(encoding="utf-8")
    assert "status: council approved" in text
    (plan_yml.parent / "logo.svg").write_text(LOGO, encoding="utf-8")
    plan_yml.write_text(text.replace("status: council approved", "status: draft") + "logo: logo.svg\n",
                        encoding="utf-8")
    result = run_yjplan(root, "build", LATEST)
    assert result.returncode == 0, result.stderr
    return root / "site"


@pytest.fixture(scope="session")
def untagged_pdf(tmp_path_factory) -> Path:
    """A PDF that is not PDF/UA: proof that the veraPDF check can fail."""
    from weasyprint import HTML
    target = tmp_path_factory.mktemp("untagged") / "untagged.pdf"
    HTML(string="<html><body><h1>No language, no tags</h1><img src='x.png'></body></html>").write_pdf(target)
    return target


@pytest.fixture(scope="session")
def verapdf_results(sample_site, agenda_pack, draft_site, untagged_pdf) -> dict[str, list[verapdf.Failure]]:
    """Every PDF checked against PDF/UA-1 in one run of veraPDF (a Java start is costly)."""
    files = [f(sample_site, y) for y in YEARS for f in (plan_file, pack_file)]
    files += [agenda_pack, plan_file(draft_site, LATEST), pack_file(draft_site, LATEST), untagged_pdf]
    return verapdf.validate(*files)


# --- reading the contents page ----------------------------------------------------------------------

def contents_entries(pages) -> list[tuple[str, int]]:
    """(title as printed, page number) for every line of the contents."""
    start = next(p for p in pages if p.text.startswith("Contents") or " Contents " in f" {p.text} ")
    entries, pending = [], ""
    for line in start.body:
        if match := re.fullmatch(r"(.+?)\s*(?:\.\s*){3,}(\d+)", line.text):
            entries.append(((pending + " " + match[1]).strip(), int(match[2])))
            pending = ""
        elif entries or line.text not in {"Contents"} and not pending and re.match(r"\d+\.|Appendix", line.text):
            pending = (pending + " " + line.text).strip()
    return entries


def assert_contents_match_headings(pdf: Path, first_page: int, expected_titles: list[str]) -> None:
    pages = layout(pdf)
    entries = contents_entries(pages)
    assert [title for title, _ in entries] == expected_titles
    for title, number in entries:
        index = number - first_page
        assert 0 <= index < len(pages), f"{title}: page {number} is not in the file"
        # The heading is the first thing on the page the contents gives (chapters start a page).
        assert pages[index].text.startswith(title), \
            f"contents says {title!r} is on page {number}, which begins {pages[index].text[:80]!r}"
        assert all(title not in p.text for p in pages[:index] if p.number > 2), f"{title} appears earlier"


def expected_titles(year: str, appendices_only: bool = False) -> list[str]:
    guidance = read_yaml(ROOT / "plan" / "rules" / "guidance-yjb-2024.yml")
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    retitled = narrative_titles(year)
    chapters = [f"{n}. {retitled.get(h['id'], h['title'])}" for n, h in enumerate(guidance["headings"], 1)]
    label = (lambda i: letters[i]) if guidance["appendix_style"] == "letters" else (lambda i: str(i + 1))
    appendices = [f"Appendix {label(i)}: {a['title']}" for i, a in enumerate(guidance["appendices"])]
    return appendices if appendices_only else chapters + appendices


def narrative_titles(year: str) -> dict[str, str]:
    """Narrative files may retitle a chapter; the contents shows the narrative's title."""
    titles = {}
    for path in (ROOT / "content" / year / "narrative").glob("*.md"):
        front = read_yaml_front(path)
        if front.get("title"):
            titles[front["heading"]] = front["title"]
    return titles


def read_yaml_front(path: Path) -> dict:
    import yaml
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---")[1]) if text.startswith("---") else {}


# --- the plan -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("year", YEARS)
def test_contents_page_numbers_are_the_pages_the_headings_are_on(sample_site, year):
    assert_contents_match_headings(plan_file(sample_site, year), 1, expected_titles(year))


@pytest.mark.parametrize("year", YEARS)
def test_every_page_has_the_footer_and_every_page_after_the_cover_the_running_header(sample_site, year):
    pages = layout(plan_file(sample_site, year))
    service = read_yaml(ROOT / "content" / year / "plan.yml")["service"]
    for page in pages:
        assert page.footer_text == f"Page {page.number} of {len(pages)}", page.number
        if page.number > 1:
            assert page.header_text == f"{service} · Youth justice plan {year}", page.number
    assert pages[0].header_text == ""          # the cover has no running header


@pytest.mark.parametrize("year", YEARS)
def test_cover_shows_authority_service_period_status_and_date(sample_site, year):
    meta = read_yaml(ROOT / "content" / year / "plan.yml")
    cover = layout(plan_file(sample_site, year))[0].text
    start, end = meta["period"]["start"], meta["period"]["end"]
    for words in (meta["authority"], meta["service"], f"Youth justice plan {year}",
                  f"Plan period {start.day} {start:%B %Y} to {end.day} {end:%B %Y}",
                  f"Status {meta['status'].capitalize()}", f"Date {meta['sign_off']['date'].day} {meta['sign_off']['date']:%B %Y}"):
        assert words in cover


def wide_blocks() -> list[tuple[str, str, str]]:
    """(heading, caption start, first header cells) of every block the templates put on a
    landscape page."""
    found = []
    for path in sorted((ROOT / "templates" / "blocks").glob("*.md")):
        # The English of each catalogue message: _("words") as the words, and a message with
        # values as its words up to the first value (then "{", as a value the template fills in).
        text = re.sub(r'\{\{ _\("([^"]*)"\) \}\}', r"\1", path.read_text())
        text = re.sub(r'\{\{ _\("([^"%]*)[^"]*"[^}]*\}\}', r"\1{", text)
        for div in re.findall(r'<div class="landscape" markdown>(.*?)</div>', text, re.S):
            heading = re.search(r"^## (.+)$", div, re.M)[1]
            caption = re.search(r'<table class="data wide[^"]*">\s*<caption>([^{<]+)', div)[1].strip()
            # The first header cells as printed side by side: those before any the template fills in.
            cells = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', div)
            columns = next((cells[:i] for i, cell in enumerate(cells) if "{" in cell), cells)[:3]
            found.append((heading, caption, " ".join(columns)))
    return found


@pytest.mark.parametrize("year", YEARS)
def test_wide_tables_and_their_headings_are_on_landscape_pages(sample_site, year):
    blocks = wide_blocks()
    assert len(blocks) >= 4
    for pdf in (plan_file(sample_site, year), pack_file(sample_site, year)):
        pages = layout(pdf)
        shown = 0
        for heading, caption, _ in blocks:
            with_caption = [p for p in pages if caption in p.text]
            if not with_caption:
                continue
            shown += 1
            page = with_caption[0]
            assert page.landscape, f"{pdf.name} page {page.number}: {caption!r} is on a portrait page"
            # The heading is on the table's page, not left behind at the foot of the page before.
            assert heading in page.text, f"{pdf.name}: heading {heading!r} is not on the page of its table"
            assert not any(p.text.endswith(heading) for p in pages if p.number < page.number)
        assert shown >= (1 if pdf.name.endswith("-appendices.pdf") else 3)
        for page in pages:
            if page.landscape:      # landscape only for wide tables, or the rows they carry over
                assert any(caption in page.text or columns in page.text for _, caption, columns in blocks), page.number


@pytest.mark.parametrize("year", YEARS)
def test_no_page_ends_with_a_heading_and_no_text_runs_past_the_margins(sample_site, year):
    for pdf in (plan_file(sample_site, year), pack_file(sample_site, year)):
        for page in layout(pdf)[1:]:
            body = page.body
            assert body, f"{pdf.name} page {page.number} is empty"
            assert body[-1].height < HEADING_HEIGHT, \
                f"{pdf.name} page {page.number} ends with the heading {body[-1].text!r}"
        assert text_outside(pdf, 18 * MM) == [], f"{pdf.name}: text in the side margins or off the page"


def test_the_margin_check_sees_a_table_wider_than_the_page(tmp_path):
    from weasyprint import HTML
    HTML(string='<html lang="en"><body style="margin: 0"><table style="width: 300mm"><tr><td>left</td>'
                '<td style="text-align: right">cut-off</td></tr></table></body></html>').write_pdf(tmp_path / "wide.pdf")
    assert text_outside(tmp_path / "wide.pdf", 18 * MM) == [(1, "cut-off")]


def test_long_tables_repeat_their_header_row_on_every_page(sample_site):
    priorities = read_yaml(ROOT / "content" / LATEST / "priorities.yml")["priorities"]
    actions = [" ".join(a["action"].split()[:4]) for p in priorities for a in p["actions"]]
    pages = layout(plan_file(sample_site, LATEST))
    # The service improvement plan's rows; the inspection improvement plan may follow on its last page.
    spanned = [p for p in pages if any(a in p.text.split("Inspection improvement plan")[0] for a in actions)]
    assert len(spanned) >= 2, "the sample's service improvement plan should run over more than one page"
    for page in spanned:
        assert "Priority Action Owner Due Status Progress" in page.text, page.number


def figure_elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every Figure in the structure tree, in reading order."""
    figures = []

    def walk(element):
        if element.get("/S") == "/Figure":
            figures.append(element)
        kids = element.get("/K")
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
            if isinstance(kid, pikepdf.Dictionary):
                walk(kid)

    walk(pdf.Root.StructTreeRoot)
    return figures


@pytest.mark.parametrize("year", YEARS)
def test_charts_are_tagged_vector_figures_with_alt_text_and_captions(sample_site, year):
    pdf = pikepdf.open(plan_file(sample_site, year))
    figures = [str(f.get("/Alt", "")) for f in figure_elements(pdf)][1:]     # after the cover's logo
    headline = [i for i in read_yaml(ROOT / "plan" / "rules" / "indicators-2023.yml")["indicators"] if i.get("headline")]
    assert len(figures) == len(headline)
    for alt, indicator in zip(figures, headline):
        assert alt.startswith(f"Line chart of {indicator['title'].lower()}"), alt
    images = [image for page in pdf.pages for image in page.get_images()]
    assert images == []                        # drawn as vector paths, not pictures
    text = " ".join(p.text for p in layout(plan_file(sample_site, year)))
    for indicator in headline:
        assert re.search(rf"{re.escape(indicator['title'])} \([^)]+\), \S+ to \S+: \S+ against its comparators", text)


@pytest.mark.parametrize("year", YEARS)
def test_bookmarks_list_every_chapter_and_appendix(sample_site, year):
    reader = PdfReader(plan_file(sample_site, year))
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    for title in expected_titles(year):
        assert title in titles


# --- the appendix pack --------------------------------------------------------------------------------

@pytest.mark.parametrize("year", YEARS)
def test_pack_holds_the_appendices_alone_with_their_page_numbers(sample_site, year):
    pdf = pack_file(sample_site, year)
    assert_contents_match_headings(pdf, 1, expected_titles(year, appendices_only=True))
    text = " ".join(p.text for p in layout(pdf))
    for chapter in expected_titles(year)[:13]:
        assert chapter not in text
    pages = layout(pdf)
    service = read_yaml(ROOT / "content" / year / "plan.yml")["service"]
    for page in pages:
        assert page.footer_text == f"Page {page.number} of {len(pages)}"
        assert page.header_text == f"{service} · Appendices to the youth justice plan {year}"
    reader = PdfReader(pdf)
    assert reader.metadata.title == f"{service}: Appendices to the youth justice plan {year}"
    bookmarks = [item.title for item in reader.outline if not isinstance(item, list)]
    assert set(expected_titles(year, appendices_only=True)) <= set(bookmarks)


def test_any_new_appendix_page_joins_the_pack(tmp_path):
    """The compliance checklist (or any appendix a guidance edition adds) needs no pack change."""
    import dataclasses

    from plan.derive import derive
    from plan.load import load_project
    from plan.pdf import PackOptions
    from plan.render import Page, print_html, render_year

    project = load_project(ROOT, [LATEST])
    rendered = render_year(project, project.years[0], derive(project, project.years[0]))
    extra = Page("appendix-g-compliance", "Appendix G: Compliance checklist", "G",
                 "| Duty | Met |\n|---|---|\n| s.40 plan published | Yes |\n", "appendix")
    rendered = dataclasses.replace(rendered, pages=rendered.pages + [extra])
    html = print_html(project, rendered, pdf_date="2025-06-18T12:00:00Z", pack=PackOptions())
    assert '<a href="#appendix-g-compliance">Appendix G: Compliance checklist</a>' in html
    assert '<h1 id="appendix-g-compliance">Appendix G: Compliance checklist</h1>' in html
    assert "s.40 plan published" in html
    assert "1. Introduction" not in html


def test_source_date_epoch_sets_the_pdf_date(monkeypatch):
    from plan.pdf import pdf_date
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1750000000")
    assert pdf_date(None).isoformat() == "2025-06-15T15:06:40+00:00"


def test_agenda_pack_continues_the_agenda_numbering_with_meeting_and_item_in_the_header(agenda_pack):
    pages = layout(agenda_pack)
    assert pages[0].footer_text == "Page 83"
    for page in pages:
        # The agenda's last page is not known, so no "of N": N would be the pack's own count.
        assert page.footer_text == f"Page {82 + page.number}"
        assert page.header_text == f"{MEETING} · Agenda item 8"
    assert pages[0].text.startswith(f"{MEETING} Agenda item 8")
    assert_contents_match_headings(agenda_pack, 83, expected_titles(LATEST, appendices_only=True))


def test_when_the_clerk_knows_the_agendas_length_the_footer_says_of_how_many(sample_site, tmp_path):
    target = tmp_path / "item-8.pdf"
    result = run_yjplan(sample_site.parent, "pack", LATEST, "--first-page", "83", "--agenda-pages", "130",
                        "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert [page.footer_text for page in layout(target)] == [
        f"Page {82 + page.number} of 130" for page in layout(target)]


def test_a_pack_that_runs_past_the_end_of_the_agenda_is_refused(sample_site, tmp_path):
    target = tmp_path / "item-8.pdf"
    target.write_bytes(b"%PDF-1.7 the pack the clerk made yesterday")     # a PDF: -o replaces only a PDF
    result = run_yjplan(sample_site.parent, "pack", LATEST, "--first-page", "83", "--agenda-pages", "85",
                        "-o", str(target))
    assert result.returncode == 1
    assert "from page 83 it ends on page" in result.stderr and "after the agenda's last page (85)" in result.stderr
    assert "give --agenda-pages the page count of the whole agenda" in result.stderr
    assert target.read_bytes() == b"%PDF-1.7 the pack the clerk made yesterday"     # left as it was
    assert [p.name for p in tmp_path.iterdir()] == ["item-8.pdf"]          # nothing half-written beside it


@pytest.mark.parametrize("option", ["--first-page", "--agenda-pages"])
def test_pack_command_refuses_a_page_number_below_one(sample_site, tmp_path, option):
    result = run_yjplan(sample_site.parent, "pack", LATEST, option, "0", "-o", str(tmp_path / "x.pdf"))
    assert result.returncode == 2
    assert f"argument {option}: '0' is not a page number (1 or more)" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("year", YEARS)
def test_home_page_links_the_pack(sample_site, year):
    assert f'href="{pack_file(sample_site, year).name}"' in (sample_site / year / "index.html").read_text()


# --- draft ----------------------------------------------------------------------------------------------

def test_a_draft_is_marked_draft_on_every_page_of_the_plan_and_the_pack(draft_site):
    for pdf in (plan_file(draft_site, LATEST), pack_file(draft_site, LATEST)):
        pages = layout(pdf)
        assert all("DRAFT" in page.header_text for page in pages), pdf.name


@pytest.mark.parametrize("built", ["sample_site", "draft_site"])
def test_the_logo_is_on_the_cover_with_its_alt_text(built, request):
    """The site's logo (content/site.yml) by default, as in the sample; or the year's own
    (plan.yml logo:), as in the draft."""
    pdf = pikepdf.open(plan_file(request.getfixturevalue(built), LATEST))
    authority = read_yaml(ROOT / "content" / LATEST / "plan.yml")["authority"]
    logo = figure_elements(pdf)[0]
    assert str(logo.get("/Alt")) == f"{authority} logo"
    assert logo.Pg.objgen == pdf.pages[0].objgen


def test_the_years_own_logo_takes_the_place_of_the_sites(tmp_path):
    from plan.derive import derive
    from plan.load import load_project
    from plan.pdf import cover_logo
    from plan.render import render_year

    root = copy_project(tmp_path / "project")
    project = load_project(root, [LATEST])
    plan = project.years[0]
    rendered = render_year(project, plan, derive(project, plan))
    assert cover_logo(project, rendered) == (root / "content" / SITE_LOGO).resolve().as_uri()
    plan.meta.logo = "logo.svg"
    assert cover_logo(project, rendered) == (root / "content" / LATEST / "logo.svg").resolve().as_uri()


def test_an_approved_plan_has_no_draft_mark(sample_site):
    for pdf in (plan_file(sample_site, LATEST), pack_file(sample_site, LATEST)):
        assert not any("DRAFT" in line.text for page in layout(pdf) for line in page.lines)


# --- PDF/UA-1 ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("document", ["plan", "pack"])
def test_plan_and_pack_pass_verapdf_pdf_ua_1(sample_site, verapdf_results, year, document):
    pdf = (plan_file if document == "plan" else pack_file)(sample_site, year)
    failures = verapdf_results[str(pdf)]
    assert failures == [], "\n".join(map(str, failures))


def test_agenda_pack_and_draft_pass_verapdf_pdf_ua_1(agenda_pack, draft_site, verapdf_results):
    for pdf in (agenda_pack, plan_file(draft_site, LATEST), pack_file(draft_site, LATEST)):
        failures = verapdf_results[str(pdf)]
        assert failures == [], "\n".join(map(str, failures))


def test_verapdf_check_reports_what_an_untagged_pdf_breaks(untagged_pdf, verapdf_results):
    failures = verapdf_results[str(untagged_pdf)]
    clauses = {f.clause for f in failures}
    assert "7.1" in clauses or "6.2" in clauses, clauses      # not tagged / no PDF/UA identification
    assert all(f.description for f in failures)
    assert "ISO 14289-1 clause" in str(failures[0])


# --- print workers ---------------------------------------------------------------------------------------

def test_a_failure_in_a_print_worker_reaches_the_build(tmp_path):
    """PDFs print in worker processes; what goes wrong there is raised where the build waits."""
    from plan.pdf import Printer

    not_a_folder = tmp_path / "plan"
    not_a_folder.write_text("a file where the PDF's folder should be", encoding="utf-8")
    with Printer(jobs=2) as printer:
        printer.print("2025-26", "<html lang='en'><title>T</title><p>Text</p></html>", tmp_path,
                      not_a_folder / "plan.pdf", b"0" * 32)
        with pytest.raises((FileExistsError, NotADirectoryError)):
            printer.wait("2025-26")


def test_printing_in_turn_gives_the_same_site_as_printing_in_workers(sample_site, project_copy):
    result = run_yjplan(project_copy, "build", "--jobs", "1", "--quiet")
    assert result.returncode == 0, result.stderr
    assert tree_digest(project_copy / "site") == tree_digest(sample_site)


# --- reproducible ---------------------------------------------------------------------------------------

def test_building_again_elsewhere_gives_identical_pdf_bytes(sample_site, tmp_path, monkeypatch):
    """A second build, in another folder, at another time: the same bytes, plan and pack."""
    from plan.derive import derive
    from plan.load import load_project
    from plan.pdf import pack_pdf, plan_pdf
    from plan.render import render_year

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    root = copy_project(tmp_path / "another" / "folder")
    project = load_project(root, [LATEST])
    rendered = render_year(project, project.years[0], derive(project, project.years[0]))
    plan_pdf(project, rendered, tmp_path / "plan.pdf")
    pack_pdf(project, rendered, tmp_path / "pack.pdf")
    assert (tmp_path / "plan.pdf").read_bytes() == plan_file(sample_site, LATEST).read_bytes()
    assert (tmp_path / "pack.pdf").read_bytes() == pack_file(sample_site, LATEST).read_bytes()


@pytest.mark.parametrize("year", YEARS)
def test_pdf_dates_and_id_come_from_the_plan_not_the_clock(sample_site, year):
    sign_off = read_yaml(ROOT / "content" / year / "plan.yml")["sign_off"]["date"]
    for pdf in (plan_file(sample_site, year), pack_file(sample_site, year)):
        reader = PdfReader(pdf)
        assert reader.metadata["/CreationDate"] == f"D:{sign_off:%Y%m%d}120000Z"
        assert reader.metadata["/ModDate"] == f"D:{sign_off:%Y%m%d}120000Z"
        assert str(sample_site.parent) not in pdf.read_bytes().decode("latin-1")
    ids = {str(PdfReader(f(sample_site, year)).trailer["/ID"][0]) for f in (plan_file, pack_file)}
    assert len(ids) == 2                       # plan and pack are different documents
