"""Statistics typed by hand in the narrative: "12.4%", "12 per cent", "152 per 100,000",
"down 9%", "a fall of 21%", "3 percentage points".

Figures quoted through variables ({{ fte.change }}) come from the data; a figure typed into the
prose is never looked at by anything else, and real plans publish the mistakes that follow: a
fall printed with the wrong percentage, a change divided by the new value instead of the old,
percentage points printed as "%", a rate out by a factor of ten. So each typed statistic is a
warning (`narrative.typed-figure`) naming the file, the line and the text, and, once the plan's
variables are known (the gate, after derive), the variable that holds the same quantity:

- same value after rounding to the typed precision: "typed '12.4%'; {{ fte.change }} is down
  12.4%: quote the variable";
- the sentence names an indicator ("first time entrants ... fell") whose variable says
  otherwise: "typed '21%'; {{ fte.change }} is down 17.9%".

What is not a statistic here: anything inside {{ }}, {% %} or {# #}; dates and years; money
(£); labels ("Section 39", "KPI 4", "Outcome 22"); counts of children (plan/smallcounts.py reads
those). A figure quoted on purpose from another publication is marked right after it, on the
same line, with its source (Jinja drops the comment, as it does `{# count-ok: ... #}`):

    Nationally, first time entrants fell by 9%{# quoted: Youth Justice Statistics 2023-24, table 5.1 #}.
"""
from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache

from .load import Narrative, PlanYear
from .problems import Finding, Severity
from .smallcounts import _settings as _count_settings, find_counts, masked

RULE = "narrative.typed-figure"
MARKER = "quoted"
FIX = ("quote the figure through a variable (`yjplan variables {year}` lists them, with their values); "
       "if you quote it from another publication on purpose, put {{# quoted: the publication and table #}} "
       "right after it")

NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
                "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "a hundred"]
DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# Not after a letter, digit, decimal point, thousands comma, currency, slash, hyphen or a masked {{ }}.
START = r"(?<![\w£$€.,/\u00a4-])(?<!\d,)"
NUMBER = r"(?P<number>" + DIGITS + "|" + "|".join(w.replace(" ", r"\s+") for w in NUMBER_WORDS) + r")"
UP = ["up", "rise", "rose", "risen", "increase", "increased", "higher", "grew", "growth"]
DOWN = ["down", "fall", "fell", "fallen", "decrease", "decreased", "reduction", "reduced", "drop", "dropped",
        "lower", "decline", "declined", "cut"]
CHANGE_WORDS = re.compile(r"\b(?:" + "|".join(UP + DOWN + ["change", "changed"]) + r")\b", re.I)
LEVEL = re.compile(r"\b(?:to|at|was|is|were|are|remains?|remained|reached|of)\s*$", re.I)
RANGE = re.compile(r"(?:\b(?:to|and|aged|from)|[-\u2013])\s*$", re.I)
SCALES = {"100": 100, "1,000": 1000, "1000": 1000, "10,000": 10000, "10000": 10000, "100,000": 100000,
          "100000": 100000}

PERCENT = re.compile(START + NUMBER + r"(?P<unit>\s?%(?![0-9A-Za-z])|\s+per\s?cent\b|\s+percent\b"
                     r"|\s+percentage\s+points?\b|\s?pp\b)", re.I)
RATE = re.compile(START + r"(?P<number>" + DIGITS + r")(?P<between>(?:\s+[A-Za-z][\w'-]*){0,4}?)\s+per\s+"
                  r"(?P<scale>100,000|100000|10,000|10000|1,000|1000|100)\b", re.I)
# "an increase of 12", "a fall of 30" without a unit: the unit forms are PERCENT's.
CHANGE_OF = re.compile(r"\b(?:an?\s+)?(?P<word>" + "|".join(UP + DOWN) + r")\s+(?:of|by)\s+(?P<number>" + DIGITS
                       + r")\b(?![.,]\d|\s?%|\s+per\s?cent|\s+percent|\s+percentage|\s+per\s+\d)", re.I)
DIRECTION = re.compile(r"\b(?P<word>" + "|".join(UP + DOWN) + r")(?:\s+(?:by|of))?\s*(?:about|around|"
                       r"almost|nearly|over|some|roughly|approximately|just\s+over|just\s+under)?\s*$", re.I)


@dataclass(frozen=True)
class Typed:
    """One statistic written in the text."""
    text: str                 # as typed, e.g. "down 12.4%"
    start: int
    end: int
    kind: str                 # percent | points | rate | number
    value: Decimal
    decimals: int
    direction: int = 0        # +1 up, -1 down, 0 not said
    scale: int = 0            # for a rate: per 100,000 -> 100000
    level: bool = False       # "rose to 31%", "was 31%": the figure reached, not the change


@dataclass(frozen=True)
class Quantity:
    """One variable of the plan year, read as a number."""
    name: str                 # "fte.change"
    group: str                # "fte"
    shown: str                # what the narrative would print: "down 12.4%"
    kind: str                 # percent | change% | points | rate
    value: Decimal            # signed for changes
    decimals: int
    scale: int = 0


# --- finding typed statistics --------------------------------------------------------------------

def _decimal(number: str) -> tuple[Decimal, int] | None:
    text = " ".join(number.lower().split())
    if text in NUMBER_WORDS:
        return Decimal(100 if text == "a hundred" else _word_value(text)), 0
    try:
        value = Decimal(number.replace(",", ""))
    except InvalidOperation:
        return None
    return value, max(0, -value.as_tuple().exponent)


def _word_value(word: str) -> int:
    index = NUMBER_WORDS.index(word)
    return index if index <= 20 else 20 + 10 * (index - 20)


def _is_label(before: str) -> bool:
    """'KPI 4', 'Section 39', 'Outcome 22': a number after a label word is not a statistic."""
    return bool(_count_settings()["label"].search(before))


def _is_year(number: str) -> bool:
    return bool(re.fullmatch(r"(?:19|20)\d\d", number))


def _direction(before: str) -> int:
    match = DIRECTION.search(before)
    if not match:
        return 0
    return 1 if match.group("word").lower() in UP else -1


def find_statistics(text: str) -> list[Typed]:
    """Every statistic typed in one piece of text whose Jinja parts are already masked."""
    found: list[Typed] = []
    for match in PERCENT.finditer(text):
        parsed = _decimal(match.group("number"))
        before = text[max(0, match.start() - 40):match.start()]
        if parsed is None or _is_label(before):
            continue
        unit = match.group("unit").lower()
        kind = "points" if "point" in unit or "pp" in unit else "percent"
        direction = _direction(before)
        start = match.start()
        if direction:
            start = match.start() - len(before) + DIRECTION.search(before).start()
        level = not direction and bool(LEVEL.search(before))
        found.append(Typed(text[start:match.end()].strip(), start, match.end(), kind, *parsed, direction,
                           level=level))
    for match in RATE.finditer(text):
        before = text[max(0, match.start() - 40):match.start()]
        if _is_label(before) or RANGE.search(before) or _is_year(match.group("number")) or re.search(r"\d", match.group("between")):
            continue
        parsed = _decimal(match.group("number"))
        found.append(Typed(match.group(0), match.start(), match.end(), "rate", *parsed,
                           scale=SCALES[match.group("scale").lower()]))
    children = [(c.start, c.end) for c in find_counts(text)]
    for match in CHANGE_OF.finditer(text):
        number = match.group("number")
        inside = any(s <= match.start("number") < e for s, e in children)
        if _is_year(number) or inside:
            continue                  # "a rise of 2024"? a year; "a fall of 3 children": smallcounts'
        direction = 1 if match.group("word").lower() in UP else -1
        found.append(Typed(match.group(0), match.start(), match.end(), "number", *_decimal(number), direction))
    unique = {}
    for typed in sorted(found, key=lambda t: (t.start, -t.end)):
        if not any(o.start <= typed.start < o.end for o in unique.values()):
            unique[typed.start] = typed
    return sorted(unique.values(), key=lambda t: t.start)


@cache
def _marker() -> re.Pattern:
    return re.compile(r"\{#\s*" + MARKER + r"\b\s*:?\s*(?P<source>.*?)\s*#\}", re.S)


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset)


def typed_in(narrative: Narrative) -> tuple[list[tuple[Typed, str | None, str]], list[int]]:
    """(statistic, its quotation's source or None, the sentence it is in) for each statistic in
    the narrative; and the offsets of quotation markers that follow none."""
    body = masked(narrative.body)
    rows = [[typed, None] for typed in find_statistics(body)]
    unused = []
    # Each {# quoted #} covers the nearest statistic before it on its line, as {# count-ok #} does.
    for marker in _marker().finditer(narrative.body):
        line = _line_of(narrative.body, marker.start())
        before = [r for r in rows if _line_of(body, r[0].start) == line and r[0].end <= marker.start()
                  and r[1] is None]
        if before:
            before[-1][1] = marker.group("source")
        else:
            unused.append(marker.start())
    return [(typed, source, _sentence(narrative.body, typed)) for typed, source in rows], unused


def _sentence(body: str, typed: Typed) -> str:
    """The sentence a statistic is in (within its paragraph), for the words around it."""
    starts = [m.end() for m in re.finditer(r"[.!?](?=\s)|\n\s*\n", body[:typed.start])]
    ends = re.search(r"[.!?](?=\s|$)|\n\s*\n", body[typed.end:])
    return body[starts[-1] if starts else 0:typed.end + (ends.end() if ends else len(body))]


# --- the plan's variables, read as numbers -------------------------------------------------------

def quantities(derived) -> list[Quantity]:
    """Every variable of a plan year that holds a percentage, a change or a rate."""
    scales = {key.replace("-", "_"): ind.definition.scale for key, ind in derived.indicators.items()
              if ind.definition.unit != "%"}
    result = []
    from .localtables import flatten, table_scales
    scales.update(table_scales(derived))     # issue 14: a local table's rate per N
    for group, values in derived.variables.items():
        if not isinstance(values, dict):
            continue
        for name, value in flatten(values).items():
            # issue 14: a local table's figures are grouped by table (tables.disposals)
            own = f"tables.{name.split('.', 1)[0]}" if group == "tables" else group
            quantity = _quantity(f"{group}.{name}", own, name, value, scales.get(own, 0))
            if quantity:
                result.append(quantity)
    return result


def _quantity(full: str, group: str, name: str, value, scale: int) -> Quantity | None:
    if not isinstance(value, str):
        return None               # a suppressed count
    text = value.strip()
    if text == "unchanged":
        return Quantity(full, group, text, "change%", Decimal(0), 1)
    change = re.fullmatch(r"(up|down) (\d+(?:\.\d+)?)(%| percentage points)", text)
    if change:
        number, decimals = _decimal(change.group(2))
        kind = "points" if "points" in change.group(3) else "change%"
        return Quantity(full, group, text, kind, number * (1 if change.group(1) == "up" else -1), decimals)
    percent = re.fullmatch(r"(\d+(?:\.\d+)?)%", text)
    if percent:
        return Quantity(full, group, text, "percent", *_decimal(percent.group(1)))
    plain = re.fullmatch(r"\d{1,3}(?:,\d{3})*(?:\.\d+)?|\d+(?:\.\d+)?", text)
    if plain and scale and name.endswith("rate"):
        return Quantity(full, group, text, "rate", *_decimal(text), scale=scale)
    return None


def _rounded(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _same(typed: Typed, quantity: Quantity) -> bool:
    """The same quantity, at the coarser of the two precisions; a change said to go the other
    way is not the same."""
    if not _comparable(typed, quantity):
        return False
    value = quantity.value
    if quantity.kind in ("change%", "points"):
        if typed.direction and value and (value > 0) != (typed.direction > 0):
            return False
        value = abs(value)
    places = min(typed.decimals, quantity.decimals)
    return _rounded(typed.value, places) == _rounded(value, places)


def _comparable(typed: Typed, quantity: Quantity) -> bool:
    if typed.kind == "percent":
        return quantity.kind in ("percent", "change%")
    if typed.kind == "points":
        return quantity.kind == "points"
    if typed.kind == "rate":
        return quantity.kind == "rate" and quantity.scale == typed.scale
    return False


# Words that pick one area's figure of an indicator.
AREA_WORDS = [("national_rate", r"\b(?:england|national|nationally)\b"), ("family_rate", r"\bfamily\b"),
              ("region_rate", r"\b(?:region|regional|east midlands)\b"), ("previous_rate", r"\bprevious\b|\blast\b")]


def _topics(derived) -> dict[str, list[str]]:
    """Words naming each group of variables in prose: an indicator's title, count label, short
    name and id ('first time entrants', 'custodial sentences', 'reoffending'), the board's
    attendance."""
    topics = {"board": ["attendance"]}
    for key, indicator in derived.indicators.items():
        d = indicator.definition
        words = {re.sub(r"\s*\(.*?\)", "", d.title), d.count_label, re.sub(r"\s+rate$", "", d.short),
                 key.replace("-", " ")}
        words |= {w[:-1] for w in words if w.endswith("s")}          # "first time entrant rate"
        topics[key.replace("-", "_")] = sorted({w.lower() for w in words if len(w) >= 3}, key=len, reverse=True)
    from .localtables import topics as table_topics      # issue 14: each local table's title and id
    topics.update(table_topics(derived))
    return topics


def _context_group(sentence: str, typed: Typed, derived) -> str | None:
    """The group the sentence is about: the topic named nearest the figure."""
    lowered, best = sentence.lower(), None
    at = lowered.find(typed.text.lower())
    matches = [(match.start(), match.end(), group) for group, words in _topics(derived).items() for word in words
               for match in re.finditer(r"\b" + re.escape(word) + r"\b", lowered)]
    for start, end, group in matches:
        # a name inside a longer one ('training' in 'education, training and employment') is that one's
        if any(s <= start and end <= e and (e - s) > (end - start) for s, e, _ in matches):
            continue
        distance = (abs(start - at), start - end)    # nearest, then the longest name
        if best is None or distance < best[0]:
            best = (distance, group)
    return best[1] if best else None


def _context_quantity(typed: Typed, sentence: str, group: str, found: list[Quantity]) -> Quantity | None:
    """The variable of `group` the sentence speaks of: its change where the sentence speaks of
    a change, else the area's figure it names, else the group's latest figure."""
    mine = {q.name[len(group) + 1:]: q for q in found if q.group == group}
    change = typed.kind == "points" or typed.direction or (not typed.level and CHANGE_WORDS.search(sentence))
    if group.startswith("tables."):       # issue 14: a local table's total, its change or its rate
        if typed.kind == "rate":
            return mine.get("total.rate") or mine.get("total.total.rate")
        if change and typed.kind == "percent":
            # percentage points printed as %: a change in a share of the same size is the one meant
            points = next((q for q in mine.values() if q.kind == "points" and abs(q.value) == typed.value), None)
            if points:
                return points
        if typed.kind == "points":
            return next((q for q in mine.values() if q.kind == "points" and abs(q.value) == typed.value), None)
        return (mine.get("total.change") or mine.get("total.total.change")) if change else None
    if typed.kind == "rate" and typed.scale != next((q.scale for q in mine.values() if q.kind == "rate"), None):
        return None
    if change and typed.kind != "rate":
        return mine.get("change")
    for name, pattern in AREA_WORDS:
        if re.search(pattern, sentence, re.I) and name in mine:
            return mine[name]
    return mine.get("rate") or mine.get("attendance")


def _explained(typed: Typed, sentence: str, derived) -> str:
    if typed.kind == "number":          # a change in a count: no variable holds one
        return f"typed '{typed.text}', a statistic written by hand: nothing checks it against the data"
    found = quantities(derived)
    group = _context_group(sentence, typed, derived)
    if typed.kind == "rate" and group is None:
        by_scale = {q.group for q in found if q.kind == "rate" and q.scale == typed.scale}
        group = next(iter(by_scale)) if len(by_scale) == 1 else None
    context = _context_quantity(typed, sentence, group, found) if group else None
    ordered = ([context] if context else []) + [q for q in found if q.group == group] + found
    same = next((q for q in ordered if _same(typed, q)), None)
    if same is not None and (context is None or same.group == context.group):
        return f"typed '{typed.text}'; {{{{ {same.name} }}}} is {same.shown}: quote the variable"
    if context is not None:
        points = typed.kind == "percent" and context.kind == "points"
        return (f"typed '{typed.text}'; {{{{ {context.name} }}}} is {context.shown}: check the figure"
                + (" (a change in a percentage is in percentage points, not %)" if points else "")
                + ", and quote the variable if it is the same quantity")
    return f"typed '{typed.text}', a statistic written by hand: nothing checks it against the data"


# --- the check -------------------------------------------------------------------------------------

def typed_statistics(plan: PlanYear, derived=None) -> Iterator[Finding]:
    """A warning for each statistic typed in the narrative. Without `derived` (check runs before
    derive) it names the figure; the gate calls it again with the plan's variables
    (`name_variables`), and then it names the variable that holds the same quantity."""
    fix = FIX.format(year=plan.year)
    for narrative in plan.narratives:
        found, unused = typed_in(narrative)
        for offset in unused:
            yield Finding("narrative.quoted-unused", "this 'quoted' comment follows no typed statistic on its line",
                          fix="remove it, or move it right after the figure it is about", file=narrative.file,
                          line=narrative.body_line + _line_of(narrative.body, offset), severity=Severity.WARNING)
        for typed, source, sentence in found:
            where = dict(file=narrative.file, line=narrative.body_line + _line_of(narrative.body, typed.start),
                         severity=Severity.WARNING)
            if source is None:
                message = (_explained(typed, sentence, derived) if derived is not None else
                           f"typed '{typed.text}', a statistic written by hand: nothing checks it against the data")
                yield Finding(RULE, message, fix=fix, **where)
            elif not source.strip():
                yield Finding("narrative.quoted-source", f"the 'quoted' comment after '{typed.text}' names no source",
                              fix="say where the figure is from: {# quoted: the publication and table #}", **where)


def name_variables(findings: list[Finding], rendered: dict) -> list[Finding]:
    """The gate's hook: where a year derived (rendered: year -> RenderedYear), its typed-figure
    warnings are replaced by ones that name the variable holding the same quantity."""
    better: dict[str, deque] = {}
    for year in rendered.values():
        for finding in typed_statistics(year.plan, year.derived):
            if finding.rule == RULE:
                better.setdefault(finding.file, deque()).append(finding)
    result = []
    for finding in findings:
        queue = better.get(finding.file)
        result.append(queue.popleft() if finding.rule == RULE and queue else finding)
    return result

