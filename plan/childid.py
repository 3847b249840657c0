"""What could identify a child: the detail a motivated reader puts together.

A first name is harmless alone, and so is an age; a first name *with* an age or a named school,
an exact date of birth, an exact date next to an offence, or a named estate or street next to an
offence, can point at one child in a small area. `identifying(text)` finds those in a passage
(a quote, a case study, a paragraph of narrative); the words it looks for are data, in
plan/rules/child-identifiers.yml. The check that turns hits into findings is childvoice.py.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import yaml

from .rules import RULES_DIR

RULES_FILE = RULES_DIR / "child-identifiers.yml"
MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
          "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
# An exact day: 3 March 2009, 3rd March 2009, March 3, 2009, 03/03/2009, 2009-03-03.
EXACT_DATE = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS})\.?,?\s+\d{{4}}\b|\b(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b"
    r"|\b\d{1,2}[/.]\d{1,2}[/.](?:\d{4}|\d{2})\b|\b\d{4}-\d{2}-\d{2}\b")
BIRTH = re.compile(r"\b(?:born|birthday|date of birth|d\.?o\.?b\.?)\b", re.I)
# A date that marks a period, not an event: "between 1 April 2024 and ...", "as at 31 March".
PERIOD_BEFORE = re.compile(r"\b(?:between|from|since|until|till|to|and|by|before|after|as at|ending|starting)\s*$", re.I)
# One child's age: "aged 15", "15-year-old", "15 years old", "Jayden, 15," / "Jayden (15)";
# not a range ("aged 10 to 17", "10-17 year olds").
AGE = re.compile(r"\baged?\s+(?P<a>\d{1,2})\b(?!\s*(?:to|-|–|and|or)\s*\d)"
                 r"|(?<![\d–-])\b(?P<b>\d{1,2})[- ]years?[- ]old\b")
CHILD_AGES = range(8, 19)
OPENERS = {"The", "On", "In", "At", "A", "An", "Our", "His", "Her", "Their", "My", "This", "That", "Local", "Each"}
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'“‘(]?[A-Z0-9])|\n\s*\n")


@dataclass(frozen=True)
class Hit:
    kind: str            # "name-age" | "name-school" | "birth-date" | "offence-date" | "place-offence"
    text: str            # the words that identify, as written
    start: int           # offset in the passage, for its line
    what: str            # the detail, in words: "a first name (Jayden) with an age (15)"


@cache
def identifiers() -> dict:
    """The word lists of child-identifiers.yml, each list joined from its entries."""
    data = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    lists = {key: [w for entry in data[key] for w in entry.get("names", entry.get("words", []))]
             for key in ("first_names", "staff_words", "offence_words", "place_words", "school_words", "jargon")}
    lists["targets"] = {entry["audience"]: entry for entry in data["readability_targets"]}
    return lists


def _words(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@cache
def _patterns() -> dict[str, re.Pattern]:
    lists = identifiers()
    capital = r"(?:[A-Z][\w'’-]*\s+){1,3}"
    return {
        "name": re.compile(rf"\b(?:{_words(lists['first_names'])})\b"),
        "staff": re.compile(rf"\b(?:{_words(lists['staff_words'])})s?\b", re.I),
        "offence": re.compile(rf"\b(?:{_words(lists['offence_words'])})\b", re.I),
        # A named place: capitalised words before a place word ("the Riverside estate", "Mill Lane").
        "place": re.compile(rf"\b{capital}(?i:{_words(lists['place_words'])})\b"),
        "school": re.compile(rf"\b{capital}(?i:{_words(lists['school_words'])})\b"),
    }


def _named_place(match: re.Match) -> bool:
    """'the Riverside estate' names a place; 'The estate' or 'On the road' do not: every word
    before the place word must start with a capital and not be a sentence's opening word."""
    words = [w for w in match.group(0).split()[:-1] if w not in OPENERS]
    return bool(words) and all(w[0].isupper() for w in words)


def _sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs of a passage."""
    result, start = [], 0
    for end in SENTENCE_END.finditer(text):
        result.append((start, text[start:end.start()]))
        start = end.end()
    result.append((start, text[start:]))
    return [(o, s) for o, s in result if s.strip()]


def _child_names(text: str) -> list[re.Match]:
    """First names in the passage that are not a member of staff's: a name beside a staff word
    ('Priya, our case manager', 'youth worker Sam') is about the adult."""
    staff = _patterns()["staff"]
    names = []
    for match in _patterns()["name"].finditer(text):
        around = text[max(0, match.start() - 30):match.end() + 30]
        if staff.search(around):
            continue
        names.append(match)
    return names


def _ages(text: str) -> list[tuple[int, str]]:
    ages = [(m.start(), m.group(0)) for m in AGE.finditer(text)
            if int(m.group("a") or m.group("b")) in CHILD_AGES]
    # "Jayden, 15, ..." or "Jayden (15)": an age written straight after a name.
    for match in re.finditer(rf"(?:{_patterns()['name'].pattern})\s*(?:,\s*|\(\s*)(\d{{1,2}})\s*[,)]", text):
        if int(match.group(1)) in CHILD_AGES:
            ages.append((match.start(1), match.group(1)))
    return ages


def _exact_dates(sentence: str) -> list[re.Match]:
    """Exact days in a sentence, leaving out the ends of a period ('between 1 April 2024 and')."""
    return [m for m in EXACT_DATE.finditer(sentence) if not PERIOD_BEFORE.search(sentence[:m.start()])]


def identifying(text: str) -> list[Hit]:
    """Every combination of details in `text` that could identify a child. Names with an age or
    a school are looked for across the whole passage (a case study says the age in one sentence
    and the school in the next); dates and places next to an offence within one sentence."""
    hits: list[Hit] = []
    names = _child_names(text)
    if names:
        name = names[0]
        ages = _ages(text)
        if ages:
            hits.append(Hit("name-age", f"{name.group(0)} … {ages[0][1]}", name.start(),
                            f"a first name ({name.group(0)}) with an age ({ages[0][1]})"))
        schools = [m for m in _patterns()["school"].finditer(text) if _named_place(m)]
        if schools:
            hits.append(Hit("name-school", f"{name.group(0)} … {schools[0].group(0).strip()}", name.start(),
                            f"a first name ({name.group(0)}) with a school ({schools[0].group(0).strip()})"))
    for offset, sentence in _sentences(text):
        dates = _exact_dates(sentence)
        offence = _patterns()["offence"].search(sentence)
        if dates and BIRTH.search(sentence):
            hits.append(Hit("birth-date", dates[0].group(0), offset + dates[0].start(),
                            f"an exact date of birth ({dates[0].group(0)})"))
        elif dates and offence:
            hits.append(Hit("offence-date", dates[0].group(0), offset + dates[0].start(),
                            f"an exact date ({dates[0].group(0)}) next to an offence ('{offence.group(0)}')"))
        if hit := _place_next_to_offence(sentence, offset):
            hits.append(hit)
    return hits


NEAR = 8      # words: "the robbery on the Riverside estate"; not a list of places after "their offence:"


def _place_next_to_offence(sentence: str, offset: int) -> Hit | None:
    """A named place within a few words of an offence, in the same clause (a colon or
    semicolon starts another: "nothing to do with their offence: the garden at Moor Lane")."""
    start = 0
    for clause in re.split(r"([:;])", sentence):
        offences = list(_patterns()["offence"].finditer(clause))
        for place in (m for m in _patterns()["place"].finditer(clause) if _named_place(m)):
            for offence in offences:
                between = clause[min(place.end(), offence.end()):max(place.start(), offence.start())]
                if len(between.split()) <= NEAR:
                    name = place.group(0).strip()
                    return Hit("place-offence", name, offset + start + place.start(),
                               f"a named place ({name}) next to an offence ('{offence.group(0)}')")
        start += len(clause)
    return None


def named_person(text: str) -> str | None:
    """The first name in `text` (who said a quote must be a role, never a name), or None."""
    match = _patterns()["name"].search(text)
    return match.group(0) if match else None
