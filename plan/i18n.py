"""Fixed wording in the plan's language: gettext message catalogues through Babel, and dates,
numbers and money formatted by locale (Babel's CLDR data: "1 Ebrill 2025" in Welsh).

The catalogues are `plan/locale/<key>/LC_MESSAGES/yjplan.po` (shipped with the package). They are
compiled in memory when first used, so no `.mo` file is kept in step by hand. English is the
source language: English text is the message id and needs no catalogue.

What must be in a catalogue: every `{% trans %}` / `_()` string of the project's templates
(`template_strings`), the wording that comes from data rather than templates: the headings of
the guidance editions and the Blueprint, the dated labels, the indicator and KPI sets and the
library of local measures (`data_strings`, plan/datawording.py), and the wording made in Python
that a page prints (`code_strings`, plan/wording.py and plan/datawording.py).
`missing_entries` names each one without a translation, with its file and line.

Maintainers: `python -m plan.i18n update` adds every string not yet in a catalogue (empty, for
a translator); Welsh written by someone who is not a Welsh speaker carries the translator comment
`needs review by a Welsh speaker` (REVIEW) until one has checked it.
"""
from __future__ import annotations

import datetime as dt
import gettext as _gettext
import io
import re
import sys
from functools import cache
from pathlib import Path

import jinja2
import yaml
from babel.dates import format_date as _babel_date
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from babel.numbers import format_decimal
from babel.support import Translations

from . import rules
from .bilingual import DEFAULT, key_of, known_languages, locale_of
from .problems import Finding

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "yjplan"
REVIEW = "needs review by a Welsh speaker"
DATA_FILES = ("guidance-yjb-2024.yml", "guidance-moj-2026.yml", "blueprint-wales-2019.yml", "labels.yml")
DATE_PATTERN = "d MMMM y"          # 1 April 2025 / 1 Ebrill 2025


# --- catalogues ----------------------------------------------------------------------------------

def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / key_of(language) / "LC_MESSAGES" / f"{DOMAIN}.po"


def _source(language: str | None) -> bool:
    """English is the language the message ids are written in: it has no catalogue."""
    known = known_languages().get(language or DEFAULT)
    return known is None or known["key"] == key_of(DEFAULT)      # a tag yjplan does not know: English


def is_source(language: str | None) -> bool:
    """True for English (or no language given): the wording needs no translating."""
    return _source(language)


@cache
def catalogue(language: str) -> Catalog:
    """The catalogue of a language, as Babel reads it (an empty one for English)."""
    path = catalogue_path(language)
    if _source(language) or not path.is_file():
        return Catalog(locale=locale_of(language), domain=DOMAIN)
    with path.open("rb") as handle:
        return read_po(handle, locale=locale_of(language), domain=DOMAIN)


@cache
def translations(language: str | None) -> _gettext.NullTranslations:
    """gettext translations for a language, compiled in memory from its .po file. A fuzzy or
    empty entry is not used (its English would show): `missing_entries` reports it."""
    if _source(language):
        return _gettext.NullTranslations()
    buffer = io.BytesIO()
    write_mo(buffer, catalogue(language), use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def gettext(message: str, language: str | None) -> str:
    return translations(language).gettext(message)


def jinja_env(language: str | None, loader: jinja2.BaseLoader | None = None, **options) -> jinja2.Environment:
    """A Jinja environment whose `{% trans %}` and `_()` speak `language` (new-style gettext:
    `_('%(n)s children', n=3)` formats after translating, so a placeholder cannot be lost)."""
    env = jinja2.Environment(loader=loader, extensions=["jinja2.ext.i18n"], **options)
    install(env, language)
    return env


def install(env: jinja2.Environment, language: str | None) -> jinja2.Environment:
    """Give an existing environment (render.template_env's) the language's catalogue and its
    date and money filters."""
    if "jinja2.ext.InternationalizationExtension" not in env.extensions:
        env.add_extension("jinja2.ext.i18n")
    env.install_gettext_translations(translations(language), newstyle=True)
    env.filters.update(date_in=lambda value: format_date(value, language),
                       money_in=lambda amount: format_money(amount, language),
                       month_in=lambda value: format_month(value, language),
                       # a word from data (a status, a band) in the language: plain text, escaped as usual
                       translated=lambda value: str(translate(value, language)) if isinstance(value, str)
                       else gettext(str(value), language))
    return env


# --- wording made in Python ---------------------------------------------------------------------

class Worded(str):
    """English text made from a catalogue message and its values, e.g. the compliance appendix's
    "Section %(label)s: %(title)s". It *is* the English text (so checks, findings and an English
    page read exactly as before) and remembers how it was made, so a page in another language
    can say it from the catalogue (`translate`)."""

    def __new__(cls, message: str, **values):
        english = {key: str(value) for key, value in values.items()}
        self = super().__new__(cls, message % english if values else message)
        self.message, self.values = message, values
        return self

    def __getnewargs_ex__(self):        # pickled (the gate's cache) and read back whole
        return (self.message,), self.values

    def in_language(self, language: str | None) -> str:
        if self.message == AND:
            return conjoin(translate(self.values["names"], language), translate(self.values["last"], language), language)
        said = gettext(self.message, language)
        return said % {key: translate(value, language) for key, value in self.values.items()} if self.values else said


AND = "%(names)s and %(last)s"
WELSH_VOWELS = "aeiouwyâêîôûŵŷáéíóúàèìòùäëïöü"
WELSH_ASPIRATE = {"c": "ch", "p": "ph", "t": "th"}


def conjoin(names: str, last: str, language: str | None) -> str:
    """'A, B and C' in `language`. Welsh 'a' (and) is 'ac' before a vowel and mutates the word
    after it (aspirate mutation: Cyngor -> a Chyngor, Powys -> a Phowys, Torfaen -> a Thorfaen),
    which a catalogue entry cannot say; English and any other language as the catalogue says."""
    said = gettext(AND, language)
    if not is_source(language) and key_of(language) == "cy" and said.endswith(" a %(last)s") and last:
        first = last[0]
        article = re.match(r"(?i)(y|yr) (?=\S)", last)
        if article:                        # the article: "a'r" (y gwasanaeth prawf -> a'r gwasanaeth prawf)
            said, last = said[: -len(" a %(last)s")] + " a'r %(last)s", last[article.end():]
        elif first.lower() in WELSH_VOWELS:
            said = said[: -len(" a %(last)s")] + " ac %(last)s"
        elif first.lower() in WELSH_ASPIRATE and last[1:2].lower() != "h":
            mutated = WELSH_ASPIRATE[first.lower()]
            last = (mutated.capitalize() if first.isupper() else mutated) + last[1:]
    return said % {"names": names, "last": last}


def joined(separator: str, parts) -> str:
    """Parts joined as "; ".join would, each said in the page's language (a Worded whose
    message is only placeholders: no catalogue entry needed)."""
    parts = list(parts)
    if len(parts) < 2:
        return parts[0] if parts else ""
    message = separator.replace("%", "%%").join(f"%(p{i})s" for i in range(len(parts)))
    return Worded(message, **{f"p{i}": part for i, part in enumerate(parts)})


class DateWords(str):
    """A date written in English in Python ('01 April 2025' with pattern 'dd MMMM y'), that a
    page in another language writes in its own ('01 Ebrill 2025')."""

    def __new__(cls, day: dt.date, pattern: str = DATE_PATTERN):
        self = super().__new__(cls, _babel_date(day, pattern, locale=locale_of(DEFAULT)))
        self.day, self.pattern = day, pattern
        return self

    def __getnewargs__(self):
        return self.day, self.pattern

    def in_language(self, language: str | None) -> str:
        return _babel_date(self.day, self.pattern, locale=locale_of(language))


def translate(value, language: str | None):
    """A value a page prints, in `language`: Worded and DateWords say themselves in it; a text
    that is a whole catalogue message is translated; anything else is left as it is."""
    if is_source(language):
        return value
    if isinstance(value, (Worded, DateWords)):
        return value.in_language(language)
    if isinstance(value, str) and value:
        return gettext(value, language)
    return value


# --- dates, numbers, money --------------------------------------------------------------------

def format_date(value: dt.date | None, language: str | None = None) -> str:
    """A date as a plan writes it: 1 April 2025, 1 Ebrill 2025; '' for none (a date to follow)."""
    if not value:
        return ""
    return _babel_date(value, DATE_PATTERN, locale=locale_of(language))


def format_month(value: dt.date | None, language: str | None = None) -> str:
    """A month as a plan writes it: April 2025, Ebrill 2025."""
    if not value:
        return ""
    return _babel_date(value, "MMMM y", locale=locale_of(language))


def format_number(value: int | float, language: str | None = None, decimals: int = 0) -> str:
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, pattern, locale=locale_of(language))


def format_money(amount: int | float | None, language: str | None = None) -> str:
    """Whole pounds with thousands separators: £1,234,567 in both English and Welsh (CLDR's
    cy separators are the same). The sign goes where derive.money has always put it."""
    if amount is None:
        return ""
    return "£" + format_number(amount, language)


# --- what must be translated -------------------------------------------------------------------

def data_strings() -> dict[str, list[tuple[str, int]]]:
    """Wording from plan/rules/ that a Welsh plan shows: each guidance heading and appendix
    title, the national priority areas (sub-headings), and every dated label -> where it is
    (file, line)."""
    found: dict[str, list[tuple[str, int]]] = {}

    def add(text: str, name: str, lines: list[str]) -> None:
        written = (f"title: {text}", f"text: {text}", f"- {text}")
        line = next((i for i, row in enumerate(lines, 1) if any(w in row for w in written)), 0)
        found.setdefault(text, []).append((f"plan/rules/{name}", line))

    for name in DATA_FILES:
        text = (rules.RULES_DIR / name).read_text(encoding="utf-8")
        data, lines = yaml.safe_load(text), text.splitlines()
        for heading in [*data.get("headings", []), *data.get("appendices", [])]:
            add(heading["title"], name, lines)
            for sub in heading.get("subheadings", []):
                add(sub, name, lines)
        for wordings in data.get("labels", {}).values():
            for wording in wordings:
                add(wording["text"], name, lines)
    from .datawording import rules_strings      # the indicator sets and the local measures library
    for message, places in rules_strings().items():
        found.setdefault(message, []).extend(places)
    return found


def template_strings(templates: Path) -> dict[str, list[tuple[str, int]]]:
    """Every `{% trans %}` / `_()` / `gettext()` string in a templates folder -> where it is used."""
    found: dict[str, list[tuple[str, int]]] = {}
    method_map = [("**.html", "jinja2.ext:babel_extract"), ("**.md", "jinja2.ext:babel_extract"),
                  ("**.xml", "jinja2.ext:babel_extract")]
    options = {"**": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}}
    if not templates.is_dir():
        return found
    for filename, line, message, _comments, _context in extract_from_dir(str(templates), method_map, options):
        for text in message if isinstance(message, tuple) else (message,):
            if text:
                found.setdefault(text, []).append((f"templates/{filename}", line))
    return found


def code_strings() -> dict[str, list[tuple[str, int]]]:
    """The wording made in Python that a page prints (plan/wording.py) -> the file it comes from."""
    from .datawording import CODE_STRINGS as DATA_CODE_STRINGS
    from .wording import CODE_STRINGS
    return {message: [(file, 0)] for message, file in {**DATA_CODE_STRINGS, **CODE_STRINGS}.items()}


def _translated(language: str, message: str) -> bool:
    entry = catalogue(language).get(message)
    if entry is None or entry.fuzzy:
        return False
    return all(entry.string) if isinstance(entry.string, tuple) else bool(entry.string)


def missing_entries(root: Path, language: str) -> list[Finding]:
    """Each string the plan shows in `language` without a translation in its catalogue: the
    page would otherwise show English in a Welsh plan."""
    if _source(language):
        return []
    findings = []
    for kind, strings in (("template", template_strings(root / "templates")), ("rules", data_strings()),
                          ("code", code_strings())):
        for message, places in strings.items():
            if _translated(language, message):
                continue
            file, line = places[0]
            findings.append(Finding(
                "i18n.missing-entry", f"'{message}' has no {known_languages()[language]['name']} translation, so "
                f"the {known_languages()[language]['name']} plan would show it in English",
                fix=f"add it to {catalogue_path(language).relative_to(LOCALE_DIR.parent.parent)} with its "
                    f"translation (python -m plan.i18n update adds every missing string, to translate)",
                file=file, line=line or None))
    return findings


def update(root: Path, language: str) -> int:
    """Add every string the plan may show (templates and rules) that the catalogue lacks, with an
    empty translation; existing translations and comments are kept. Returns how many were added."""
    target = catalogue(language)
    added = 0
    for strings in (template_strings(root / "templates"), data_strings(), code_strings()):
        for message, places in strings.items():
            if message not in target:
                target.add(message, "", locations=places)
                added += 1
    path = catalogue_path(language)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, target, width=100, sort_output=False)
    catalogue.cache_clear()
    translations.cache_clear()
    return added


if __name__ == "__main__":     # python -m plan.i18n update [LANGUAGE]
    if sys.argv[1:2] != ["update"]:
        sys.exit("usage: python -m plan.i18n update [cy-GB]")
    language = sys.argv[2] if len(sys.argv) > 2 else "cy-GB"
    print(f"{update(Path.cwd(), language)} strings added to {catalogue_path(language)}")
