"""The English sample reads exactly as before: moving the fixed wording of the templates into
message catalogues (issue 19) changes no word of its pages, its accessibility statement, or
the HTML its PDFs are printed from.

The snapshot is the text of every rendered page of every sample year, produced in-process by
the gate (load -> check -> derive -> render, as `yjplan check` and `build` do), plus the
accessibility statement and the print document of the plan and of an appendix pack (its
<style> left out: the CSS is not wording). It lives in tests/snapshots/sample-text/<year>/.

When the sample or a template legitimately changes, regenerate it and review the diff:

    .venv/bin/python tests/test_english_unchanged.py --update
    git diff tests/snapshots/sample-text/
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from conftest import ROOT, sample_years  # noqa: E402

SNAPSHOTS = Path(__file__).parent / "snapshots" / "sample-text"
PDF_DATE = "2025-06-18T12:00:00Z"


def _without_style(html: str) -> str:
    return re.sub(r"<style>.*?</style>", "<style></style>", html, flags=re.S)


def _without_marker(body: str) -> str:
    """The trusted-content marker holds a random number made for each build (sanitize.py)."""
    return re.sub(r"(yjplan-[a-z]+)-[0-9a-f]{32}", r"\1-MARKER", body)


def sample_text(root: Path = ROOT) -> dict[str, str]:
    """'<year>/<name>' -> the text the sample shows there, rendered in-process."""
    from plan.gate import open_gate
    from plan.load import load_site
    from plan.pdf import PackOptions
    from plan.render import print_html, template_env

    gate = open_gate(root)
    assert gate.project is not None, [str(f) for f in gate.findings]
    settings, _findings, _lines = load_site(root)
    env = template_env(root)
    texts: dict[str, str] = {}
    for year, rendered in sorted(gate.rendered.items()):
        for page in rendered.pages:
            texts[f"{year}/pages/{page.slug}.md"] = f"# {page.title}\n[{page.label}] ({page.kind})\n\n{_without_marker(page.body)}"
        texts[f"{year}/accessibility.md"] = env.get_template("site/accessibility.md").render(
            site=settings, meta=rendered.plan.meta, year=year)
        texts[f"{year}/print/plan.html"] = _without_style(print_html(gate.project, rendered, pdf_date=PDF_DATE))
        pack = PackOptions(first_page=83, item="8", meeting="Cabinet, 19 September 2025", agenda_pages=130)
        texts[f"{year}/print/pack.html"] = _without_style(print_html(gate.project, rendered, pdf_date=PDF_DATE,
                                                                      pack=pack))
        extract = PackOptions(include=("risks",))
        texts[f"{year}/print/extract.html"] = _without_style(print_html(gate.project, rendered, pdf_date=PDF_DATE,
                                                                         pack=extract))
    return texts


def write_snapshot() -> int:
    for old in SNAPSHOTS.rglob("*"):
        if old.is_file():
            old.unlink()
    texts = sample_text()
    for name, text in texts.items():
        path = SNAPSHOTS / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return len(texts)


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return sample_text()


def test_the_snapshot_covers_every_sample_year(texts):
    assert sorted({name.split("/")[0] for name in texts}) == sample_years()
    assert {p.relative_to(SNAPSHOTS).as_posix() for p in SNAPSHOTS.rglob("*") if p.is_file()} == set(texts), \
        "pages were added or removed: regenerate the snapshot (see this file's docstring) and review the diff"


def test_every_page_of_the_english_sample_reads_exactly_as_before(texts):
    changed = [name for name, text in texts.items()
               if (SNAPSHOTS / name).is_file() and (SNAPSHOTS / name).read_text(encoding="utf-8") != text]
    assert changed == [], f"the English sample's wording changed in {changed}: if that is meant, regenerate " \
                          "the snapshot (see this file's docstring) and review the diff"


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python tests/test_english_unchanged.py --update")
    sys.path.insert(0, str(ROOT))
    print(f"{write_snapshot()} files written to {SNAPSHOTS}")
