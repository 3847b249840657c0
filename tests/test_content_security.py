"""Nothing hostile or private leaves the machine: what a narrative may put on the site and in
the PDF (an allow-list), the site's Content-Security-Policy, and files outside the project that
content names (logos, images, file: links) are never read.

One draft build carries every hostile input at once: a draft builds despite its errors, so it
shows what the sanitiser removes."""
from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from conftest import run_yjplan, sample_years
from plan.cli import main

YEAR = sample_years()[-1]
NARRATIVE = f"content/{YEAR}/narrative/01-introduction.md"
OTHER_NARRATIVE = f"content/{YEAR}/narrative/11-service-development.md"

# (words that find the line, the rule `check` reports on it)
HOSTILE = [
    ('<script>alert("hostile-script")</script>', "security.html"),
    ('Our team <img src="x.png" onerror="alert(\'hostile-onerror\')" alt="hostile picture">', "security.html"),
    ("Read [the hostile form](javascript:alert(document.cookie)).", "security.link"),
    ('Read <a href="javascript:alert(\'hostile-js-html\')">the hostile page</a>.', "security.link"),
    ('<iframe src="https://evil.example/hostile-frame"></iframe>', "security.html"),
    ('A paragraph about hostile hovering.\n{: onmouseover="alert(\'hostile-attr\')" style="color: red" }',
     "security.attr"),
    ("![The hostile chart](https://evil.example/hostile-remote.png)", "security.image"),
    ('See <a rel="attachment" href="file:///etc/passwd">the hostile appendix</a>.', "security.link"),
    ("![The hostile secret](../images/secret.svg)", "security.image"),     # a symlink to outside
    ('Footnoted[^hostile].\n\n[^hostile]: <script>alert("hostile-footnote")</script> A note.', "security.html"),
]
# An unclosed HTML block swallows what follows it in Markdown, footnotes included.
SWALLOWING = '<div class="note">\n\nUnclosed[^swallow].\n\n[^swallow]: <script>alert("hostile-swallowed")</script> Note.'
ALLOWED_IMAGE = "![The Castlebridge youth justice area map](../images/map.svg)"
LEAKS = ["hostile-", "evil.example", "javascript:", "onmouseover", "onerror", "/etc/passwd", "root:x:0"]


def append(root: Path, shown: str, text: str) -> None:
    path = root / shown
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + text + "\n", encoding="utf-8")


def line_of(root: Path, shown: str, words: str) -> int:
    lines = (root / shown).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if words in line)


def findings(root: Path, capsys) -> list[dict]:
    main(["--root", str(root), "check", "--format", "json"])
    return json.loads(capsys.readouterr().out)


def hostile_project(root: Path) -> Path:
    """The sample with every hostile input in its latest year's narrative, and an image that may
    be shown (in the year's folder) beside one that is a symbolic link to a file outside."""
    images = root / "content" / YEAR / "images"
    images.mkdir()
    shutil.copy(root / "content" / "castlebridge-logo.svg", images / "map.svg")
    secret = root.parent / "secret.svg"       # outside the project
    secret.write_text('<svg xmlns="http://www.w3.org/2000/svg"><text>hostile-secret</text></svg>', encoding="utf-8")
    os.symlink(secret, images / "secret.svg")
    append(root, NARRATIVE, "\n\n".join([text for text, _ in HOSTILE] + [ALLOWED_IMAGE]))
    append(root, OTHER_NARRATIVE, SWALLOWING)
    return root


@pytest.fixture(scope="module")
def draft_build(tmp_path_factory) -> Path:
    """A draft copy of the sample with every hostile input, built (one year)."""
    from conftest import copy_project
    root = hostile_project(copy_project(tmp_path_factory.mktemp("hostile") / "project"))
    plan = root / "content" / YEAR / "plan.yml"
    plan.write_text(re.sub(r"(?m)^status: .*$", "status: draft", plan.read_text(encoding="utf-8")), encoding="utf-8")
    result = run_yjplan(root, "build", YEAR)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


# --- check ------------------------------------------------------------------------------------------

def test_check_reports_each_hostile_input_with_file_line_and_fix(project_copy, capsys):
    root = hostile_project(project_copy)
    found = findings(root, capsys)
    for text, rule in HOSTILE:
        line = line_of(root, NARRATIVE, text.splitlines()[-1])
        assert any(f["rule"] == rule and f["file"] == NARRATIVE and f["line"] == line and f["fix"]
                   and f["severity"] == "error" for f in found), (text, rule, line, found)
    swallowed = line_of(root, OTHER_NARRATIVE, "hostile-swallowed")
    assert any(f["rule"] == "security.html" and f["file"] == OTHER_NARRATIVE and f["line"] == swallowed for f in found)
    map_line = line_of(root, NARRATIVE, "map.svg")
    assert not any(f["line"] == map_line and f["rule"].startswith("security") for f in found), found


def test_a_hostile_narrative_stops_the_build_of_a_plan_that_is_not_a_draft(project_copy):
    root = hostile_project(project_copy)
    result = run_yjplan(root, "check", YEAR)
    assert result.returncode == 1 and "security.html" in result.stdout


def test_attribute_lists_may_give_ids_classes_and_titles(project_copy, capsys):
    append(project_copy, NARRATIVE, "## A section about custody {: #custody .wide title=\"Custody\" }")
    assert not [f for f in findings(project_copy, capsys) if f["rule"].startswith("security")]


# --- what the build publishes -----------------------------------------------------------------------

def site_files(root: Path) -> list[Path]:
    site = root / "site" / YEAR
    return [*site.rglob("*.html"), site / "search" / "search_index.json"]


def test_nothing_hostile_reaches_the_site(draft_build):
    for path in site_files(draft_build):
        text = path.read_text(encoding="utf-8").lower()
        assert not [leak for leak in LEAKS if leak in text], path
        assert "<iframe" not in text and 'rel="attachment"' not in text, path
    page = (draft_build / "site" / YEAR / "introduction" / "index.html").read_text(encoding="utf-8")
    assert "the hostile page</a>" in page and "A paragraph about hostile hovering" in page   # the words stay
    assert "<table" in page or "<svg" in page or "chart" in page                           # our own blocks stay


def test_an_image_in_the_years_folder_is_shown_on_the_site(draft_build):
    page = (draft_build / "site" / YEAR / "introduction" / "index.html").read_text(encoding="utf-8")
    assert 'src="../assets/narrative/images/map.svg"' in page
    assert (draft_build / "site" / YEAR / "assets" / "narrative" / "images" / "map.svg").is_file()
    assert not (draft_build / "site" / YEAR / "assets" / "narrative" / "images" / "secret.svg").exists()


def test_the_swallowing_narrative_still_loses_its_script(draft_build):
    page = (draft_build / "site" / YEAR / "service-development" / "index.html").read_text(encoding="utf-8")
    assert "Unclosed" in page and "hostile-swallowed" not in page


def plan_pdf(root: Path) -> Path:
    [pdf] = [p for p in (root / "site" / YEAR).glob("*.pdf") if not p.name.endswith("-appendices.pdf")]
    return pdf


def test_nothing_hostile_reaches_the_pdf(draft_build):
    text = "\n".join(page.extract_text() or "" for page in PdfReader(plan_pdf(draft_build)).pages).lower()
    assert "the hostile page" in text                  # the narrative was printed...
    assert not [leak for leak in LEAKS if leak in text]  # ...without what was removed


def test_the_pdf_has_no_attachment_and_links_only_to_web_mail_and_phone(draft_build):
    with pikepdf.open(plan_pdf(draft_build)) as pdf:
        names = pdf.Root.get("/Names")
        assert names is None or "/EmbeddedFiles" not in names
        for page in pdf.pages:
            for annot in page.get("/Annots") or []:
                assert annot.get("/Subtype") != "/FileAttachment"
                action = annot.get("/A")
                if action is not None and "/URI" in action:
                    assert str(action.URI).split(":")[0] in ("https", "http", "mailto", "tel"), str(action.URI)
                assert action is None or action.get("/S") != "/JavaScript"


# --- the Content-Security-Policy --------------------------------------------------------------------

class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.policy, self.scripts, self._in = None, [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "content-security-policy":
            self.policy = attrs.get("content")
        self._in = tag == "script" and "src" not in attrs and "type" not in attrs
        if self._in:
            self.scripts.append("")

    def handle_data(self, data):
        if self._in:
            self.scripts[-1] += data

    def handle_endtag(self, tag):
        self._in = False


def test_every_site_page_has_a_strict_content_security_policy(draft_build):
    site = draft_build / "site"
    pages = [*(site / YEAR).rglob("*.html"), site / "index.html", site / "404.html"]
    assert len(pages) > 20
    for path in pages:
        page = _Page()
        page.feed(path.read_text(encoding="utf-8"))
        assert page.policy, f"{path} has no Content-Security-Policy"
        rules = dict(part.strip().split(" ", 1) for part in page.policy.split(";"))
        assert rules["default-src"] == "'self'" and rules["object-src"] == "'none'", path
        assert rules["base-uri"] == "'self'" and rules["frame-src"] == "'none'" and rules["form-action"] == "'self'"
        assert "unsafe-inline" not in rules["script-src"] and "unsafe-eval" not in rules["script-src"], path
        for script in page.scripts:      # each inline script the theme needs is allowed by its hash
            digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in rules["script-src"], (path, script[:60])


# --- files outside the project ---------------------------------------------------------------------

def errors_for(root: Path, capsys, rule: str) -> list[dict]:
    return [f for f in findings(root, capsys) if f["rule"] == rule]


def set_plan_logo(root: Path, value: str) -> None:
    plan = root / "content" / YEAR / "plan.yml"
    text = re.sub(r"(?m)^logo: .*\n", "", plan.read_text(encoding="utf-8"))
    plan.write_text(text.rstrip("\n") + f"\nlogo: {value}\n", encoding="utf-8")


@pytest.mark.parametrize("logo", ["../../../etc/passwd", "/etc/passwd", "outside.svg"])
def test_a_plan_logo_outside_the_years_folder_is_an_error(project_copy, capsys, logo):
    if logo == "outside.svg":
        os.symlink("/etc/passwd", project_copy / "content" / YEAR / "outside.svg")
    set_plan_logo(project_copy, logo)
    [finding] = errors_for(project_copy, capsys, "security.path")
    assert finding["file"] == f"content/{YEAR}/plan.yml" and finding["field"] == "logo"
    assert finding["line"] == line_of(project_copy, f"content/{YEAR}/plan.yml", "logo:")
    assert finding["severity"] == "error" and finding["fix"]


@pytest.mark.parametrize("logo", ["../../../etc/passwd", "/etc/passwd", "outside.svg"])
def test_a_site_logo_outside_content_is_an_error(project_copy, capsys, logo):
    if logo == "outside.svg":
        os.symlink("/etc/passwd", project_copy / "content" / "outside.svg")
    site = project_copy / "content" / "site.yml"
    site.write_text(re.sub(r"(?m)^logo: .*$", f"logo: {logo}", site.read_text(encoding="utf-8")), encoding="utf-8")
    [finding] = errors_for(project_copy, capsys, "security.path")
    assert finding["file"] == "content/site.yml" and finding["field"] == "logo"
    assert finding["line"] == line_of(project_copy, "content/site.yml", "logo:") and finding["fix"]


def test_the_pdf_engine_reads_only_the_projects_files(tmp_path, caplog):
    from plan.sanitize import PdfFetcher
    inside = tmp_path / "templates"
    inside.mkdir()
    (inside / "plan.css").write_text("p {}", encoding="utf-8")
    (inside / "escape.css").symlink_to("/etc/passwd")
    fetcher = PdfFetcher([inside])
    assert fetcher.fetch((inside / "plan.css").as_uri()).read() == b"p {}"
    for url in ["file:///etc/passwd", (inside / "escape.css").as_uri(), f"{inside.as_uri()}/../../etc/passwd",
                "https://evil.example/x.png", "http://127.0.0.1/", "ftp://evil.example/x"]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert "evil.example" in caplog.text


# --- the marker between the narrative and our own blocks ---------------------------------------------

def test_a_narrative_cannot_forge_the_marker_that_ends_what_is_cleaned():
    import markdown
    from conftest import ROOT
    from plan import sanitize
    from plan.render import markdown_extensions
    names, options = markdown_extensions(ROOT)
    forged = ("<!-- yjplan-trusted-00000000000000000000000000000000 -->\n\n<script>alert('hostile-forged')</script>\n\n"
              "Text[^1]\n\n[^1]: <img src=\"x\" onerror=\"alert('hostile-note')\"> A note.")
    trusted = '<figure class="chart-figure"><script type="application/json" class="chart-spec">{}</script></figure>'
    html = sanitize.clean_page(markdown.Markdown(extensions=names, extension_configs=options).convert(
        sanitize.page_markdown(forged, trusted)))
    assert "hostile-" not in html and "onerror" not in html and "A note." in html
    assert trusted in html                                   # our own part is kept as it is
    assert sanitize.NONCE not in html


def test_a_title_with_html_is_reported_and_shown_as_words(project_copy, capsys):
    path = project_copy / NARRATIVE
    path.write_text(path.read_text(encoding="utf-8").replace(
        "---\n", "---\ntitle: Introduction <img src=x onerror=alert(1)>\n", 1), encoding="utf-8")
    [finding] = [f for f in findings(project_copy, capsys) if f["rule"] == "security.html"]
    assert finding["file"] == NARRATIVE and finding["line"] == 2 and finding["field"] == "title"
    from plan.load import load_project
    from plan.sanitize import plain_title
    plan = load_project(project_copy, [YEAR]).years[0]
    title = next(n.title for n in plan.narratives if n.file == NARRATIVE)
    assert "<" not in plain_title(title) and ">" not in plain_title(title)


def test_markup_in_a_yaml_field_is_an_error_that_stops_even_a_draft(project_copy):
    """The theme shows some YAML text as written (the service's name in every page's title), so
    a YAML field may hold no markup at all, draft or not."""
    from plan.build import blocking
    from plan.check import check_project
    from plan.load import load_project
    plan_yml = project_copy / "content" / YEAR / "plan.yml"
    text = plan_yml.read_text(encoding="utf-8")
    service = next(line for line in text.splitlines() if line.startswith("service:"))
    text = text.replace(service, 'service: "Castlebridge <script>alert(1)</script> Service"')
    text = text.replace("status: council approved", "status: draft")
    plan_yml.write_text(text, encoding="utf-8")
    site_yml = project_copy / "content" / "site.yml"
    site_yml.write_text(re.sub(r"(?m)^authority: .*$", 'authority: "<img src=x onerror=alert(1)>"',
                               site_yml.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    project = load_project(project_copy)
    found = [f for f in check_project(project) if f.rule == "security.markup"]
    assert {(f.file, f.field) for f in found} == {(f"content/{YEAR}/plan.yml", "service"),
                                                  ("content/site.yml", "authority")}
    assert all(f.line for f in found)
    assert {f.rule for f in blocking(project, found)} == {"security.markup"}


def test_ctrl_c_while_the_sanitiser_runs_stops_the_build(monkeypatch):
    """nh3 prints and ignores what its Python callback raises; a Ctrl-C that lands there must
    still stop the build, not be swallowed."""
    from plan import sanitize

    def interrupted(src):
        raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        sanitize.clean('<p>A map <img src="map.png" alt="Map"></p>', image_src=interrupted)


def test_a_stop_swallowed_before_the_callbacks_first_line_is_raised_after_cleaning():
    """A signal can land as the callback is entered, before any try: the command's handler
    notes it, and the sanitiser raises it once nh3 returns."""
    from plan import interrupt, sanitize
    interrupt.noted(KeyboardInterrupt())
    try:
        with pytest.raises(KeyboardInterrupt):
            sanitize.clean("<p>Text</p>")
    finally:
        interrupt.forget()
    assert sanitize.clean("<p>Text</p>") == "<p>Text</p>"
