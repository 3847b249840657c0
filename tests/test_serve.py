"""`yjplan serve` previews a plan year, updates a page when its narrative is saved, and shows
content errors in the page and the terminal without stopping."""
from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import sample_years

YEAR = sample_years()[-1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(url: str, condition, seconds: float = 120) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = fetch(url)
        if page and condition(page):
            return page
        time.sleep(0.2)
    raise AssertionError(f"{url} did not show what was expected within {seconds}s")


@pytest.fixture
def preview(project_copy):
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "plan", "--root", str(project_copy), "serve", YEAR,
                                "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        yield project_copy, f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
        print(output)


def test_saving_a_narrative_updates_its_page_and_errors_do_not_stop_the_server(preview):
    root, base = preview
    url = f"{base}/workforce/"
    wait_for(url, lambda page: "Workforce development" in page)

    narrative = next((root / "content" / YEAR / "narrative").glob("09-*.md"))
    narrative.write_text(narrative.read_text(encoding="utf-8") + "\nA sentence written just now.\n", encoding="utf-8")
    wait_for(url, lambda page: "A sentence written just now." in page, seconds=60)

    plan = root / "content" / YEAR / "plan.yml"
    good = plan.read_text(encoding="utf-8")
    plan.write_text(re.sub(r"^status: .*", "status: nearly done", good, flags=re.M), encoding="utf-8")
    page = wait_for(url, lambda page: "This preview has 1 problem(s) to fix" in page, seconds=60)
    assert "status" in page and "nearly done" in page

    plan.write_text(good, encoding="utf-8")
    wait_for(url, lambda page: "problem(s) to fix" not in page and "Workforce development" in page, seconds=60)


def test_a_theme_edit_shows_on_every_page(preview):
    """MkDocs rebuilds only changed pages while previewing; a theme template changes them all."""
    root, base = preview
    wait_for(f"{base}/workforce/", lambda page: "Workforce development" in page)
    footer = root / "templates" / "site" / "overrides" / "partials" / "copyright.html"
    footer.write_text(footer.read_text(encoding="utf-8").replace(
        "Published by", "Footer edited just now. Published by"), encoding="utf-8")
    for page in ("workforce/", "", "accessibility/"):
        wait_for(f"{base}/{page}", lambda text: "Footer edited just now." in text, seconds=60)
