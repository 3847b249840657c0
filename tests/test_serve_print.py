"""`yjplan serve` prints the plan in the background after each save, so the preview's PDF links
give the printed layout, the newest save winning; MkDocs' own messages stay out of the terminal,
and a narrative link that leads nowhere is a finding with its file and line."""
from __future__ import annotations

import io
import re
import subprocess
import sys
import time
import urllib.request

import pypdf
import pytest

from conftest import sample_years
from test_serve import fetch, free_port, wait_for

YEAR = sample_years()[-1]
MKDOCS_CHATTER = ("dirty", "not included in the", "target is not found", "Documentation built",
                  "Building documentation", "Serving on", "Reloading browsers", "Detected file changes")


@pytest.fixture
def preview(project_copy):
    """The preview running on a copy of the sample; yields (root, base URL, a function that stops
    it and returns everything it printed)."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "plan", "--root", str(project_copy), "serve", YEAR,
                                "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output: list[str] = []

    def stop() -> str:
        if not output:
            process.terminate()
            output.append(process.communicate(timeout=30)[0])
        return output[0]
    try:
        yield project_copy, f"http://127.0.0.1:{port}", stop
    finally:
        print(stop())


def pdf_text(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            data = response.read()
    except OSError:
        return ""
    assert data.startswith(b"%PDF-"), data[:100]
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def wait_for_pdf(url: str, condition, seconds: float = 150) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        text = pdf_text(url)
        if text and condition(text):
            return text
        time.sleep(0.5)
    raise AssertionError(f"{url} did not give the PDF expected within {seconds}s")


def test_the_pdf_link_gives_the_newest_save_printed_and_the_terminal_only_yjplan(preview):
    root, base, stop = preview
    home = wait_for(f"{base}/", lambda page: re.search(r"PDF printed \d", page), seconds=150)
    plan_link = next(part.split('"')[0] for part in home.split('href="')[1:] if part.split('"')[0].endswith(
        f"{YEAR}.pdf"))
    pack_link = plan_link.removesuffix(".pdf") + "-appendices.pdf"
    assert "Workforce development" in pdf_text(f"{base}/{plan_link}")

    # Two saves in quick succession: the first one's print is overtaken by the second's.
    narrative = next((root / "content" / YEAR / "narrative").glob("09-*.md"))
    original = narrative.read_text(encoding="utf-8")
    narrative.write_text(original + "\nThe first draft of a sentence.\n", encoding="utf-8")
    wait_for(f"{base}/workforce/", lambda page: "The first draft of a sentence." in page, seconds=60)
    wait_for(f"{base}/", lambda page: "Printing the save at" in page, seconds=30)
    narrative.write_text(original + "\nThe second draft of a sentence.\n", encoding="utf-8")
    wait_for(f"{base}/workforce/", lambda page: "The second draft of a sentence." in page, seconds=60)
    text = wait_for_pdf(f"{base}/{plan_link}", lambda text: "second draft" in text)
    assert "first draft" not in text
    home = wait_for(f"{base}/", lambda page: "Printing the save" not in page, seconds=90)
    assert re.search(r"PDF printed \d", home) and "appendices: printed" in home
    assert pdf_text(f"{base}/{pack_link}")       # the appendix pack is served too

    output = stop()
    for chatter in MKDOCS_CHATTER:
        assert chatter not in output, output
    assert "Previewing" in output


def test_a_narrative_link_that_leads_nowhere_is_a_finding_with_its_file_and_line(preview):
    root, base, stop = preview
    wait_for(f"{base}/workforce/", lambda page: "Workforce development" in page)
    narrative = next((root / "content" / YEAR / "narrative").glob("09-*.md"))
    text = narrative.read_text(encoding="utf-8").rstrip("\n")
    line = text.count("\n") + 3
    narrative.write_text(text + "\n\nRead [the chapter on training](training-plan.md) first.\n", encoding="utf-8")
    page = wait_for(f"{base}/workforce/", lambda page: "training-plan.md" in page and "leads nowhere" in page,
                    seconds=60)
    assert f"narrative/{narrative.name}, line {line}" in page

    narrative.write_text(text + "\n", encoding="utf-8")
    wait_for(f"{base}/workforce/", lambda page: "leads nowhere" not in page, seconds=60)
    output = stop()
    assert f"narrative/{narrative.name}, line {line}: the link 'training-plan.md' leads nowhere" in output
    assert "[site.link]" in output
    assert "target is not found" not in output
