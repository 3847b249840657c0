"""The preview prints what the home page links: with a child-friendly version, its A5 booklet;
with `word: true` in content/site.yml, the Word plan; a newer save still stops an older print."""
from __future__ import annotations

import datetime as dt
import threading
import time

import docx
import pytest

from conftest import sample_years
from plan.check import check_plan
from plan.childfriendly import pdf_name as child_pdf_name
from plan.derive import derive
from plan.load import load_project
from plan.render import render_year
from plan.serveprint import BackgroundPrint
from plan.word import docx_name

YEAR = sample_years()[-1]


def rendered_of(root):
    project = load_project(root, [YEAR])
    plan = project.years[0]
    check_plan(plan)
    return project, render_year(project, plan, derive(project, plan))


def wait_until(condition, seconds: float = 240) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("the preview's print did not finish in time")


@pytest.fixture
def printer(tmp_path):
    printed = threading.Event()
    background = BackgroundPrint([tmp_path / "docs", tmp_path / "site"], tmp_path / "prints", printed.set)
    yield background
    background.stop()


def test_the_preview_prints_the_child_friendly_booklet_and_the_word_plan_the_home_page_links(project_copy, printer,
                                                                                            tmp_path):
    site_yml = project_copy / "content" / "site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8") + "word: true\n", encoding="utf-8")
    project, rendered = rendered_of(project_copy)
    assert any(page.kind == "child" for page in rendered.pages), "the sample year has a child-friendly version"

    first, second = dt.datetime(2026, 1, 1, 10, 0, 0), dt.datetime(2026, 1, 1, 10, 0, 5)
    printer.submit(project, rendered, first)
    wait_until(lambda: "plan" in printer.status()["printed"], 150)
    printer.submit(project, rendered, second)        # a newer save while the rest of the first prints
    wait_until(lambda: printer.status()["printing"] is None and "word" in printer.status()["printed"])

    status = printer.status()
    assert not status["failed"], status["failed"]
    for document in ("plan", "appendices", "child-friendly", "word"):
        assert status["printed"][document].saved == second, document   # the older save's print was stopped
    for folder in ("docs", "site"):
        booklet = tmp_path / folder / child_pdf_name(rendered.pdf_name)
        assert booklet.read_bytes().startswith(b"%PDF-")
        plan = docx.Document(str(tmp_path / folder / docx_name(rendered.pdf_name)))
        assert any(p.style.name.startswith("Heading") for p in plan.paragraphs)
    assert not list((tmp_path / "prints").glob(f"*{docx_name(rendered.pdf_name)}")), "scratch copies are removed"


def test_without_word_true_the_preview_writes_no_word_plan(project_copy, printer, tmp_path):
    project, rendered = rendered_of(project_copy)
    printer.submit(project, rendered, dt.datetime(2026, 1, 1, 10, 0, 0))
    wait_until(lambda: printer.status()["printing"] is None and "child-friendly" in printer.status()["printed"])
    assert "word" not in printer.status()["printed"]
    assert not (tmp_path / "site" / docx_name(rendered.pdf_name)).exists()
    assert (tmp_path / "site" / child_pdf_name(rendered.pdf_name)).exists()
