"""The child-friendly version of a plan year: content/<year>/child-friendly/*.md.

Short Markdown files, read in name order into one page of the year's site ("child-friendly")
and a short PDF of their own. They quote the plan's figures through the same sandboxed
variables as the narrative (so they cannot disagree with the plan, and a suppressed count is
suppressed here too), and the same checks of typed small counts and identifying detail apply.
A file may start with front matter giving the page's title (`title:`); only the first file's
title is used.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .inputs import read_text
from .load import Narrative, PlanYear
from .problems import Finding, Severity
from .yamlfile import parse_yaml

FOLDER = "child-friendly"
SLUG = "child-friendly"
TITLE = "Our plan, for children and young people"


def read_child_friendly(folder: Path, year: str, langs=None,
                        language: str | None = None) -> tuple[list[Narrative], list[Finding]]:
    """Every child-friendly/*.md of the year in `language`, as Narrative objects (heading
    'child-friendly'). A plan in Welsh and English has each page in both, as its narrative does
    (01-our-plan.md and 01-our-plan.cy.md: bilingual.read_narratives)."""
    from . import bilingual
    if not (folder / FOLDER).is_dir():
        return [], []
    pages, findings = bilingual.read_narratives(folder / FOLDER, year, langs, language,
                                                _read_page, subfolder=FOLDER)
    return pages, findings + _stray_files(folder / FOLDER, year)


def _read_page(path: Path, shown: str) -> tuple[Narrative | None, list[Finding]]:
    """One child-friendly page: Markdown with an optional front matter giving only its title."""
    text, findings = read_text(path, shown, "narrative")
    if text is None:
        return None, findings
    title, body, body_line = "", text, 1
    lines = text.splitlines(keepends=True)
    if lines and lines[0].strip() == "---":
        end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"), None)
        if end is None:
            return None, findings + [Finding("child.front-matter", "the front matter is not closed",
                                             fix="add a line '---' after 'title: ...'", file=shown, line=1)]
        front, front_lines, problems = parse_yaml("".join(lines[1:end]), shown, first_line=2)
        findings += problems
        if not isinstance(front, dict) or set(front) - {"title"}:
            return None, findings + [Finding("child.front-matter", "the front matter may give only 'title:'",
                                             fix="write '---', 'title: the page title', '---', or leave it out",
                                             file=shown, line=2)]
        title, body, body_line = str(front.get("title") or ""), "".join(lines[end + 1:]), end + 2
    return Narrative(SLUG, title, body, shown, body_line, heading_line=1), findings


def _stray_files(folder: Path, year: str) -> list[Finding]:
    """Files in child-friendly/ that are not Markdown (or a picture it shows): as for narrative/,
    a misnamed page would otherwise vanish without a word."""
    from .load import _ignorable, _image, _unknown

    findings = []
    for path in sorted(folder.iterdir()) if folder.is_dir() else ():
        if _ignorable(path) or (path.is_file() and path.suffix == ".md") or _image(path):
            continue
        close = [f"{path.stem}.md"] if path.suffix.lower() in (".markdown", ".txt") else []
        findings.append(_unknown(path, f"content/{year}/{FOLDER}/{path.name}", close,
                                 f"{FOLDER}/ holds only Markdown files ending .md, read in name order"))
    return findings


def title_of(plan: PlanYear) -> str:
    """The page's own title (its first file's front matter), or yjplan's in the plan's language."""
    from . import i18n
    return next((n.title for n in plan.child_friendly if n.title), None) or i18n.gettext(TITLE, plan.meta.language)


def child_friendly_present(plan: PlanYear) -> Iterator[Finding]:
    """A plan without a child-friendly version: a warning, since the guidance does not require one."""
    if not plan.child_friendly:
        yield Finding("child.friendly-missing", "this plan year has no child-friendly version: children, "
                      "parents and carers would have only the full plan to read",
                      fix=f"write a short version in plain words in content/{plan.year}/{FOLDER}/ "
                          "(e.g. 01-our-plan.md), quoting the plan's figures with {{ variables }} "
                          "(content/README.md)", file=f"content/{plan.year}/", severity=Severity.WARNING)


def small_counts(plan: PlanYear) -> Iterator[Finding]:
    """Small counts of children typed into the child-friendly text: the plan's own check."""
    from dataclasses import replace

    from .smallcounts import small_counts_in_text
    from .smallcounts import FILES
    if not plan.child_friendly:
        return
    # The narrative half of the plan's check, over the child-friendly pages (the YAML half
    # already ran over the plan's files).
    only_pages = replace(plan, narratives=plan.child_friendly, folder=plan.folder / "__no_yaml__")
    for finding in small_counts_in_text(only_pages):
        if not any(finding.file.endswith(name) for name in FILES):
            yield finding


def pdf_name(plan_pdf: str) -> str:
    """The child-friendly PDF, relative to the year's site: in the child-friendly page's own
    folder, so the year's folder keeps exactly the plan and its appendix pack."""
    return f"{SLUG}/" + plan_pdf.removesuffix(".pdf") + "-child-friendly.pdf"


def child_page(plan: PlanYear, variables: dict):
    """The child-friendly page of the year's site (render.Page, kind 'child'), or None. Its
    figures come through the narrative's sandbox, so a suppressed count is suppressed here too;
    every file's problems are raised together."""
    from . import narrative as narrative_template
    from . import sanitize
    from .problems import PlanError
    from .render import Page

    if not plan.child_friendly:
        return None
    texts, problems = [], []
    for page in plan.child_friendly:
        try:
            texts.append(narrative_template.render(page, variables, plan.meta.language))
        except PlanError as exc:
            problems += exc.findings
    if problems:
        raise PlanError(problems)
    body = sanitize.page_markdown("\n\n".join(texts), "")
    return Page(SLUG, sanitize.plain_title(title_of(plan)), "", body + "\n", "child")


def print_html(project, rendered, pdf_date: str) -> str:
    """The child-friendly PDF's document: its own short template (templates/print/child-friendly.html)
    with the plan's print styles, the page converted as the plan's are."""
    from . import sanitize
    from .render import markdown_extensions, template_env
    import markdown

    page = next(p for p in rendered.pages if p.kind == "child")
    names, options = markdown_extensions(project.root)
    converter = markdown.Markdown(extensions=names, extension_configs=options)
    folder = rendered.plan.folder

    def image_file(src: str) -> str | None:
        path = sanitize.narrative_image(src, folder)
        return path.as_uri() if path else None

    html = sanitize.clean_page(converter.convert(page.body), image_file)
    css = (project.root / "templates" / "print" / "plan.css").read_text(encoding="utf-8")
    return template_env(project.root, rendered.plan.meta.language).get_template("print/child-friendly.html").render(
        plan=rendered.plan, meta=rendered.plan.meta, year=rendered.plan.year, page=page, html=html, css=css,
        pdf_date=pdf_date)


def same_checks_as_narrative(plan: PlanYear) -> Iterator[Finding]:
    """What the plan's narrative and YAML files are checked for, over the child-friendly pages
    (personal contact details, look-alike letters, what the sanitiser would remove) and
    voice.yml (the same, and markup in a field): privacy.py and sanitize.py know only the
    plan's own files."""
    from . import privacy
    from .problems import field_path
    from .sanitize import narrative_problems

    context = privacy.plan_context(plan)
    if plan.voice is not None:
        lines = plan.lines.get("voice.yml")
        for location, issue in privacy.model_issues(plan.voice, context):
            yield Finding(issue.rule, issue.message, fix=issue.fix, file=plan.shown("voice.yml"),
                          line=lines.line_of(location) if lines else None, field=field_path(location),
                          severity=issue.severity)
    for page in plan.child_friendly:
        for offset, line in enumerate(page.body.splitlines()):
            for issue in privacy.contact_issues(line, context) + privacy.text_issues(line):
                yield Finding(issue.rule, issue.message, fix=issue.fix, file=page.file,
                              line=page.body_line + offset, severity=issue.severity)
        for line, rule, message, fix in narrative_problems(page.body, plan.folder):
            yield Finding(rule, message, fix=fix, file=page.file, line=page.body_line + line - 1)
