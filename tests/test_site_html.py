"""Every HTML page of the built sample site is valid HTML: the Nu HTML Checker (vnu-jar, from
npm, run on Java) reports no errors."""
from __future__ import annotations

import json
import subprocess

import pytest

from conftest import ROOT

pytestmark = pytest.mark.xdist_group("sample")
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def vnu_errors(files) -> list[dict]:
    """Run the checker once over all files (it is slow to start); return its error messages."""
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
                            capture_output=True, text=True, timeout=600)
    assert result.stderr.strip().startswith("{"), result.stderr[-2000:]     # the JSON report is on stderr
    return [m for m in json.loads(result.stderr)["messages"] if m["type"] in ("error", "non-document-error")]


def test_vnu_reports_an_invalid_page(tmp_path):
    """The check can fail: a page with the kind of error the theme used to have is reported."""
    page = tmp_path / "bad.html"
    page.write_text('<!doctype html><html lang="en"><title>t</title>'
                    '<input type="checkbox" id="x" autocomplete="off"><label for="x" tabindex="">x</label>')
    messages = vnu_errors([page])
    assert any("autocomplete" in m["message"] for m in messages)
    assert any("tabindex" in m["message"] for m in messages)


def test_every_page_of_the_site_is_valid_html(sample_site):
    pages = sorted(sample_site.rglob("*.html"))
    assert len(pages) > 50
    errors = vnu_errors(pages)
    report = "\n".join(f"{m.get('url', '').split(str(sample_site))[-1]}:{m.get('lastLine', '?')}: {m['message']}"
                       for m in errors)
    assert errors == [], f"{len(errors)} HTML error(s):\n{report}"
