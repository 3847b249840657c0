"""Every HTML page of the built sample site is valid HTML: the Nu HTML Checker (vnu-jar, from
npm, run on Java) reports no errors."""
from __future__ import annotations

import json
import subprocess

import pytest

from conftest import ROOT

pytestmark = pytest.mark.xdist_group("sample")
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# A control page with the errors stock Material pages have, checked in the same run as the site
# (the checker is slow to start), to show the check can fail.
INVALID = ('<!doctype html><html lang="en"><title>control</title>'
           '<input type="checkbox" id="x" autocomplete="off"><label for="x" tabindex="">x</label>')


def vnu_errors(files) -> list[dict]:
    """Run the checker once over all files; return its error messages."""
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
                            capture_output=True, text=True, timeout=600)
    assert result.stderr.strip().startswith("{"), result.stderr[-2000:]     # the JSON report is on stderr
    return [m for m in json.loads(result.stderr)["messages"] if m["type"] in ("error", "non-document-error")]


def test_every_page_of_the_site_is_valid_html(sample_site, tmp_path):
    pages = sorted(sample_site.rglob("*.html"))
    assert len(pages) > 50
    control = tmp_path / "control.html"
    control.write_text(INVALID, encoding="utf-8")

    errors = vnu_errors([control, *pages])

    caught = [m["message"] for m in errors if m.get("url", "").endswith("/control.html")]
    assert any("autocomplete" in m for m in caught) and any("tabindex" in m for m in caught), caught
    site_errors = [m for m in errors if not m.get("url", "").endswith("/control.html")]
    report = "\n".join(f"{m.get('url', '').split(str(sample_site))[-1]}:{m.get('lastLine', '?')}: {m['message']}"
                       for m in site_errors)
    assert site_errors == [], f"{len(site_errors)} HTML error(s) in {len(pages)} pages:\n{report}"
