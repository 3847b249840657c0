"""Counts of children written by hand: "three young people were remanded", "2 girls received a
custodial sentence", a Markdown table with a 3 in it.

Figures quoted through variables ({{ custody.count }}) and the structured tables are suppressed
by derive.py; this module reads what the author typed. It finds a number from the small-number
range (plan/rules/publication.yml `small_numbers`) that counts people (the nouns in
`small_counts`), in narrative Markdown, in Markdown tables, and in every text field of the YAML
files, the children's quotes and case studies of voice.yml among them (where "3 of us" counts
children too). Each is an error, in drafts too, because drafts go to public agendas.

What is a count, and what is not:
- a small number, in digits or words, then up to three describing words, then a noun for people:
  "three young people", "4 new first time entrants", "two looked-after children";
  "two of the girls"; "a single child"; "a further two" followed by a verb ("a further two were
  remanded"); "two of them" in a sentence that names people.
- singular nouns count only after "one", "1" or "a single" ("one child in care"). "a child" alone
  is not a count: it is how a plan speaks of any child.
- not counts: years and dates, percentages, money, decimals, ordinals ("first"), list numbering
  ("1."), labels ("Year 2 children", "KPI 4", "Standard 2"), ranges ("fewer than 5", "between 1 and
  4"), ratios ("one in four children"), "every one of the children", possessives ("two children's
  homes"), a singular noun naming a thing ("a single victim contact process"), and numbers above
  the threshold. "people" alone, staff and carers are not children's nouns.
- Markdown tables: a cell that is only a small number, in a table whose header row, row label or
  nearest heading names people. HTML tables in narrative are not read.

A reviewed exception is written where the figure is:
- narrative: a Jinja comment after the figure on the same line, `{# count-ok: reason #}`
  (Jinja removes it, so readers never see it); it covers the nearest count before it.
- YAML: a comment on the line where the field starts (or any line of a multi-line value),
  `# count-ok: reason` (YAML drops comments, so readers never see it); it covers the whole field.
Every exception is listed in the plan's compliance appendix (`reviewed_counts`).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from markdown_it import MarkdownIt

from .derive import publication_rules
from .load import Narrative, PlanYear
from .privacy import strings
from .problems import Finding, Severity, field_path

RULE = "privacy.small-count"
FIX_NARRATIVE = ("quote the figure through a variable ({{ ... }}, which suppresses small numbers), or write "
                 "'fewer than five'; if it does not count children or young people, put "
                 "{# count-ok: the reason #} right after it")
FIX_YAML = ("write 'fewer than five' (or quote the figure in the narrative through a variable, which suppresses "
            "small numbers); if it does not count children or young people, end the line with "
            "'# count-ok: the reason'")

# Words that cannot sit between a number and its noun: they end the noun phrase.
STOP = {"of", "and", "or", "but", "with", "for", "to", "in", "on", "at", "by", "from", "who", "that", "which",
        "were", "was", "are", "is", "be", "been", "have", "has", "had", "per", "than", "as", "the", "a", "an",
        "our", "their", "its", "this", "these", "those", "each", "every", "not", "no", "all", "more", "less",
        "fewer", "times", "years", "year", "months", "month", "weeks", "week", "days", "day", "hours", "hour",
        "minutes", "per", "cent", "percent", "into", "about", "over", "under", "after", "before", "since",
        "where", "when", "while", "if", "so", "we", "they", "it", "he", "she", "you", "i"}
FILES = ("plan.yml", "governance.yml", "finance.yml", "staffing.yml", "champions.yml", "priorities.yml",
         "risks.yml", "inspection.yml", "glossary.yml", "voice.yml")
MODELS = {"plan.yml": "meta", "governance.yml": "governance", "finance.yml": "finance", "staffing.yml": "staffing",
          "champions.yml": "champions", "priorities.yml": "priorities", "risks.yml": "risks",
          "inspection.yml": "inspection", "glossary.yml": "glossary", "voice.yml": "voice"}
# Children's own words (voice.yml quotes and case studies): there "3 of us" is a count of children.
VOICE = "voice.yml"
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
MASK = "\u00a4"      # stands in for a {{ ... }} part: not a word, so no count runs through it


@dataclass(frozen=True)
class Count:
    text: str                 # the words found, e.g. "three young people"
    start: int                # offsets in the text searched
    end: int


@dataclass(frozen=True)
class Reviewed:
    """A count the author has reviewed and kept, with their reason: listed in the compliance appendix."""
    file: str
    line: int | None
    text: str
    reason: str


# --- the words ---------------------------------------------------------------------------------

def _words(items: list[str]) -> str:
    return "|".join(r"\s+".join(map(re.escape, w.split())) for w in sorted(items, key=len, reverse=True))


@cache
def _settings() -> dict:
    rules = publication_rules()
    limits, words = rules["small_numbers"], rules["small_counts"]
    small = range(limits["min"], limits["max"] + 1)
    values = {w: i for i, w in enumerate(words["number_words"]) if i in small}
    values.update({str(i): i for i in small})
    number = r"(?:a\s+single|" + "|".join(sorted(map(re.escape, values), key=len, reverse=True)) + ")"
    noun = "(?P<noun>" + _words(words["plural_nouns"] + words["singular_nouns"]) + ")"
    gap = r"(?:\s+(?!(?:" + "|".join(sorted(STOP)) + r")\b)[A-Za-z][\w'\u2019-]*){0,3}"
    start = r"(?<![\w£$€.,:/\u00a4-])"
    phrase = re.compile(
        start + r"(?P<number>" + number + r")\b(?![.,:/%]\d|%)"
        r"(?:\s+of\s+(?:the|our|these|those|their|whom)\b)?" + gap + r"\s+" + noun +
        r"(?![\w-])(?!['\u2019]s\b)", re.I)
    elided = re.compile(
        r"\b(?:a\s+further|another|an\s+additional|a\s+further)\s+(?P<number>" + number + r")\b"
        r"(?=\s*(?:[,.;:!?)]|$|\s+(?:" + "|".join(map(re.escape, words["elided_verbs"])) + r")\b))", re.I)
    pronoun = re.compile(start + r"(?P<number>" + number + r")\s+of\s+(?:them|these|those)\b", re.I)
    us = re.compile(start + r"(?P<number>" + number + r")\s+of\s+(?:us|my\s+friends|my\s+mates)\b", re.I)
    return {
        "values": values, "phrase": phrase, "elided": elided, "pronoun": pronoun, "us": us,
        "plural": {" ".join(w.lower().split()) for w in words["plural_nouns"]},
        "people": re.compile(r"\b(?:" + _words(words["plural_nouns"] + words["singular_nouns"]) + r")\b", re.I),
        "compound": {w.lower() for w in words["compound_words"]},
        # Labels are matched as written: "Year 2 children" is a school year, "last year 3 girls" a count.
        "label": re.compile(r"\b(?:" + _words(words["label_words"]) + r")\.?\s*$"),
        "range": re.compile(r"(?:\b(?:" + _words(words["range_words"]) + r")\s*$)"
                            r"|(?:\bbetween\s+\S+\s+and\s*$)"
                            r"|(?:\b(?:\d+|" + "|".join(words["number_words"]) + r")\s*(?:to|-|\u2013)\s*$)"
                            r"|(?:\b(?:one|1|a)\s+in\s*$)|(?:\bout\s+of\s*$)", re.I),
        "every": re.compile(r"\b(?:every|each|any|no|which|some|but|the\s+only)\s*$", re.I),
        "plural_people": re.compile(r"\b(?:" + _words(words["plural_nouns"]) + r")\b", re.I),
        "exception": re.compile(r"\{#\s*" + re.escape(publication_rules()["small_counts"]["exception"])
                                + r"\b\s*:?\s*(?P<reason>.*?)\s*#\}", re.S),
        "yaml_exception": re.compile(r"(?:^|\s)#\s*" + re.escape(publication_rules()["small_counts"]["exception"])
                                     + r"\b\s*:?\s*(?P<reason>.*?)\s*$"),
    }


def _value(number: str) -> int:
    number = " ".join(number.lower().split())
    return 1 if number == "a single" else _settings()["values"][number]


def find_counts(text: str) -> list[Count]:
    """Every small count of people in one piece of text (Jinja parts already masked)."""
    s = _settings()
    found: list[Count] = []
    for match in s["phrase"].finditer(text):
        before = text[max(0, match.start() - 40):match.start()]
        noun = " ".join(match.group("noun").lower().split())
        number = match.group("number")
        if noun not in s["plural"] and _value(number) != 1:
            continue                                  # "three offence types"
        following = re.match(r"\s+([A-Za-z]+)", text[match.end():])
        if following and following.group(1).lower() in s["compound"]:
            continue                                  # "a single victim contact process"
        if s["label"].search(before) or s["range"].search(before):
            continue                                  # "Year 2 children", "fewer than 3 children"
        if number.lower() in ("one", "1") and s["every"].search(before):
            continue                                  # "every one of the children"
        end = match.end("noun")
        found.append(Count(text[match.start():end], match.start(), end))
    for match in s["elided"].finditer(text):
        found.append(Count(match.group(0), match.start(), match.end()))
    for match in s["pronoun"].finditer(text):
        # Only where the sentence has already named the people: "Five girls were arrested; two of them ..."
        sentence = re.split(r"[.!?]\s", text[max(0, match.start() - 300):match.start()])[-1]
        if s["plural_people"].search(sentence) and not s["every"].search(sentence):
            found.append(Count(match.group(0), match.start(), match.end()))
    return sorted(set(found), key=lambda c: c.start)


def find_counts_in_voice(text: str) -> list[Count]:
    """find_counts, and what a child says of their own group: "3 of us went to college", "two of
    my mates" (in the narrative "two of us" is staff speaking; in a child's quote it is children)."""
    found = find_counts(text)
    found += [Count(m.group(0), m.start(), m.end()) for m in _settings()["us"].finditer(text)
              if not any(c.start <= m.start() < c.end for c in found)]
    return sorted(set(found), key=lambda c: c.start)


def is_small_number(cell: str) -> bool:
    return " ".join(cell.lower().split()) in _settings()["values"]


def mentions_people(text: str) -> bool:
    return bool(_settings()["people"].search(text))


# --- narrative -----------------------------------------------------------------------------------

def masked(body: str) -> str:
    """The body with {{ }}, {% %} and {# #} parts blanked out (same length, same lines): a
    quoted variable is suppressed by derive, and a comment is never published."""
    return JINJA.sub(lambda m: re.sub(r"[^\n]", MASK, m.group(0)), body)


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset)


def _narrative_counts(narrative: Narrative) -> list[tuple[int, str, str | None]]:
    """(line, text, reason or None) for each count in the narrative's prose and tables."""
    return list(_counts_in(narrative.body))


@lru_cache(maxsize=512)
def _counts_in(text: str) -> tuple[tuple[int, str, str | None], ...]:
    # Cached by text: the preview checks every page on each save, and most have not changed.
    body = masked(text)
    counts = [(c.start, c.end, c.text) for c in find_counts(body)]
    counts += _table_counts(body)
    seen, result = set(), []
    exceptions = list(_settings()["exception"].finditer(text))
    for start, end, found in sorted(counts):
        if (start, found) in seen:
            continue
        seen.add((start, found))
        result.append([_line_of(body, start), found, end, None])
    # Each {# count-ok #} covers the nearest count before it on its line.
    for exception in exceptions:
        line = _line_of(text, exception.start())
        before = [r for r in result if r[0] == line and r[2] <= exception.start() and r[3] is None]
        if before:
            before[-1][3] = exception.group("reason")
        else:
            result.append([line, None, exception.start(), exception.group("reason")])
    return tuple((line, found, reason) for line, found, _, reason in sorted(result, key=lambda r: (r[0], r[2])))


@cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


def _table_counts(body: str) -> list[tuple[int, int, str]]:
    """Cells holding only a small number, in a Markdown table that counts people (by its header
    row, the cell's row label or the nearest heading before it)."""
    lines = body.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    tokens = _markdown().parse(body)
    found, heading, header, in_head, row, row_line = [], "", "", False, [], 0
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            heading = tokens[index + 1].content
        elif token.type == "table_open":
            header = ""
        elif token.type == "thead_open":
            in_head = True
        elif token.type == "thead_close":
            in_head = False
        elif token.type == "tr_open":
            row, row_line = [], token.map[0] if token.map else 0
        elif token.type == "inline" and index and tokens[index - 1].type in ("th_open", "td_open"):
            if in_head:
                header += " " + token.content
            else:
                row.append(token.content)
        elif token.type == "tr_close" and row:
            counts_people = mentions_people(" ".join((heading, header, row[0])))
            for cell in row[1:]:
                if counts_people and is_small_number(cell.strip()):
                    start = offsets[row_line] + max(0, lines[row_line].find(cell.strip())) if row_line < len(lines) else 0
                    found.append((start, start + len(cell.strip()), f"{row[0].strip()} | {cell.strip()}"))
    return found


# --- YAML fields ---------------------------------------------------------------------------------

def _yaml_span(raw: list[str], first: int) -> list[int]:
    """The lines a field's value may run over: from its key to the next key or list item."""
    span = [first]
    for number in range(first + 1, min(len(raw), first + 60) + 1):
        if re.match(r"\s*(?:-\s+)?[\w-]+:(?:\s|$)|\s*-\s", raw[number - 1]) or not raw[number - 1].strip():
            break
        span.append(number)
    return span


def _yaml_counts(plan: PlanYear) -> Iterator[tuple[str, tuple, int | None, str, str | None]]:
    """(file, field location, line, text, reason or None) for each count in a YAML text field."""
    for name in FILES:
        model = getattr(plan, MODELS[name])
        path = plan.folder / name
        if model is None or not path.exists():
            continue
        raw = path.read_text(encoding="utf-8").splitlines()
        lines = plan.lines.get(name)
        finder = find_counts_in_voice if name == VOICE else find_counts
        for location, text in strings(model):
            counts = finder(text)
            if not counts:
                continue
            first = lines.line_of(location) if lines else None
            span = _yaml_span(raw, first) if first and first <= len(raw) else []
            reason = next((m.group("reason") for n in span
                           if (m := _settings()["yaml_exception"].search(raw[n - 1]))), None)
            for count in counts:
                word = re.escape(count.text.split()[0])
                line = next((n for n in span if re.search(r"\b" + word + r"\b", raw[n - 1], re.I)), first)
                yield name, location, line, count.text, reason


# --- the check and the appendix -----------------------------------------------------------------

def small_counts_in_text(plan: PlanYear) -> Iterator[Finding]:
    """Every small count of children written by hand is an error (drafts included); a reviewed
    exception needs a reason."""
    for narrative in plan.narratives:
        for line, text, reason in _narrative_counts(narrative):
            where = dict(file=narrative.file, line=narrative.body_line + line)
            if text is None:
                yield Finding("privacy.count-ok-unused", "this count-ok comment follows no count of children",
                              fix="remove it, or move it right after the figure it is about",
                              severity=Severity.WARNING, **where)
            elif reason is None:
                yield Finding(RULE, f"'{text}' is a small count of children written into the text: a count "
                              f"of 1 to 4 could identify a child", fix=FIX_NARRATIVE, **where)
            elif not reason.strip():
                yield Finding("privacy.count-ok-reason", f"the count-ok comment after '{text}' gives no reason",
                              fix="say why the figure is safe to publish: {# count-ok: the reason #}", **where)
    for name, location, line, text, reason in _yaml_counts(plan):
        where = dict(file=plan.shown(name), line=line, field=field_path(location))
        if reason is None:
            yield Finding(RULE, f"'{text}' is a small count of children written into the text: a count "
                          f"of 1 to 4 could identify a child", fix=FIX_YAML, **where)
        elif not reason.strip():
            yield Finding("privacy.count-ok-reason", f"the count-ok comment for '{text}' gives no reason",
                          fix="say why the figure is safe to publish: # count-ok: the reason", **where)


def reviewed_counts(plan: PlanYear) -> list[Reviewed]:
    """The counts the author has reviewed and kept, with their reasons, for the compliance appendix."""
    result = [Reviewed(n.file, n.body_line + line, text, reason.strip())
              for n in plan.narratives for line, text, reason in _narrative_counts(n)
              if text is not None and reason and reason.strip()]
    result += [Reviewed(plan.shown(name), line, text, reason.strip())
               for name, _, line, text, reason in _yaml_counts(plan) if reason and reason.strip()]
    return result
