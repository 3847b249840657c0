"""A bilingual plan's other languages, from the gate to the published site (#19).

The gate loads and renders each plan year in every language it is written in (bilingual.py
resolves the text at load time); build publishes each language's pages and PDFs. Layout: a
year's site in its primary language is `site/<year>/` as for a plan in one language, and in each
other language `site/<key>/<year>/` (`site/cy/2025-26/`), so each language has the version
switcher's `versions.json` and `latest/` at its own root (`site/cy/versions.json`,
`site/cy/latest/`): MkDocs Material looks for them one folder above the year.
"""
from __future__ import annotations

from .bilingual import key_of, known_languages
from .problems import PlanError


def other_languages(project) -> dict[str, list[str]]:
    """Language tag -> the plan years written in it besides their primary language."""
    others: dict[str, list[str]] = {}
    for plan in getattr(project, "years", None) or []:
        if plan.meta is None:
            continue
        for tag in plan.meta.languages[1:]:
            others.setdefault(tag, []).append(plan.year)
    return others


def copies(project) -> dict[str, object]:
    """Language tag -> the project loaded in that language (its years written in it), or the
    part that did load (None if nothing did): its reading problems are the primary copy's."""
    from .load import load_project
    loaded = {}
    for tag, years in other_languages(project).items():
        try:
            loaded[tag] = load_project(project.root, years, language=tag)
        except PlanError as error:
            loaded[tag] = getattr(error, "project", None)
    return loaded


def prefix(language: str, primary: str) -> str:
    """Where a language's sites are, under site/: '' for the primary, 'cy/' for Welsh."""
    return "" if language == primary else f"{key_of(language)}/"


def folder_keys() -> list[str]:
    """The folders under site/ that may hold the sites of a language other than the primary."""
    return [known["key"] for known in known_languages().values()]


def page_urls(rendered) -> list[str]:
    """The URL (relative to its year's site) of each page of a rendered year, as MkDocs names
    them with use_directory_urls, and the accessibility statement's."""
    from .site import STATEMENT
    return [("" if page.slug == "index" else f"{page.slug}/") for page in rendered.pages] + [f"{STATEMENT}/"]


def alternates(year: str, language: str, versions: dict[str, object]) -> list[dict]:
    """MkDocs Material's `extra.alternate` for the site of `year` in `language`: one entry per
    language of the year (`versions`: tag -> its RenderedYear, the primary first), each linking
    to that language's site of the same year, relative to this site's root (so `latest/` works
    too), with the pages it has: the theme links each page to its counterpart
    (templates/site/overrides/partials/alternate.html)."""
    tags = list(versions)
    if len(tags) < 2:
        return []
    primary = tags[0]
    up = "../" * (1 + prefix(language, primary).count("/"))
    return [{"name": known_languages()[tag]["native"], "lang": tag, "current": tag == language,
             "link": f"{up}{prefix(tag, primary)}{year}/", "pages": page_urls(rendered)}
            for tag, rendered in versions.items()]
