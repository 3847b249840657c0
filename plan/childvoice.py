"""The voice of the child, kept safe: quotes and case studies (voice.yml) and the narrative.

Quotes say who said them as a role, never a name, and record consent; nothing published may
put together the details that identify a child (childid.py). Each problem is an error
(`child.*`): it stops the build of a plan that is not a draft. A draft still builds (unlike
`privacy.*`), because the check is a judgement on words, and a draft is where the author is
still deciding; `yjplan check` reports it in a draft too.

An author who has checked a flagged passage is not about a child says so, with the reason, in
the content: `{# child-ok: reason #}` in the paragraph (Markdown), or `# child-ok: reason` on the
lines of a voice.yml entry (YAML keeps no comments, so the file's own lines are read).
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from .childid import Hit, identifying, named_person
from .load import Narrative, PlanYear
from .problems import Finding
from .smallcounts import masked

VOICE = "voice.yml"
MARKDOWN_OK = re.compile(r"\{#-?\s*child-ok\s*:?(?P<reason>.*?)-?#\}", re.S)
YAML_OK = re.compile(r"#\s*child-ok\s*:?(?P<reason>.*)$")
FIX = ("take out the detail that points at one child (the name, the age, the school, the exact date, "
       "the street or estate), or, if it is not about a child, confirm it with the reason: ")
FIX_MD = FIX + "{# child-ok: the reason #} in the same paragraph"
FIX_YAML = FIX + "'# child-ok: the reason' at the end of one of this entry's lines"


def _message(hit: Hit) -> str:
    return f"this could identify a child: {hit.what}, in '{hit.text}'"


# --- narrative ------------------------------------------------------------------------------------

def _paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """(offset, paragraph) pairs: blocks of text between blank lines."""
    offset = 0
    for block in re.split(r"(\n[ \t]*\n)", text):
        if block.strip() and not re.fullmatch(r"\n[ \t]*\n", block):
            yield offset, block
        offset += len(block)


def narrative_findings(narrative: Narrative) -> Iterator[Finding]:
    """Each paragraph that puts together details identifying a child, unless confirmed."""
    body = narrative.body
    plain = masked(body)          # Jinja parts blanked: a variable is a figure, not a name
    for offset, paragraph in _paragraphs(plain):
        hits = identifying(paragraph)
        if not hits:
            continue
        confirmed = MARKDOWN_OK.search(body[offset:offset + len(paragraph)])
        line = narrative.body_line + body.count("\n", 0, offset + hits[0].start)
        if confirmed and confirmed.group("reason").strip():
            continue
        if confirmed:
            yield Finding("child.ok-reason", "the child-ok comment gives no reason",
                          fix="say why the passage is not about a child: {# child-ok: the reason #}",
                          file=narrative.file, line=line)
            continue
        for hit in hits:
            yield Finding("child.identifying", _message(hit), fix=FIX_MD, file=narrative.file,
                          line=narrative.body_line + body.count("\n", 0, offset + hit.start))


# --- voice.yml ------------------------------------------------------------------------------------

def _entry_lines(plan: PlanYear, key: str, index: int, count: int, raw: list[str]) -> range:
    """The file's lines that belong to entry `index` of `key`: up to the next entry (or the
    next top-level key, or the end)."""
    lines = plan.lines[VOICE]
    first = lines.line_of((key, index)) or 1
    following = lines.line_of((key, index + 1)) if index + 1 < count else None
    if following is None or following <= first:
        following = next((n for n in range(first + 1, len(raw) + 1) if re.match(r"[A-Za-z_]", raw[n - 1])),
                         len(raw) + 1)
    return range(first, following)


def _confirmed(raw: list[str], span: range) -> str | None:
    """The reason of a '# child-ok:' comment on the entry's lines ('' when it gives none)."""
    for number in span:
        if match := YAML_OK.search(raw[number - 1]):
            return match.group("reason").strip()
    return None


def _entry(plan: PlanYear, key: str, index: int, entry, raw: list[str], count: int) -> Iterator[Finding]:
    where = (key, index)
    kind = "quote" if key == "quotes" else "case study"
    if entry.consent is None:
        yield plan.finding(VOICE, where, "child.consent",
                           f"this {kind} has no consent recorded, so it may not be published",
                           f"add 'consent:' to the {kind} with the day it was recorded and who gave it, e.g. "
                           "consent: {recorded: 2025-03-14, by: the young person and their parent}; "
                           "or take it out")
    if key == "quotes" and (name := named_person(entry.said_by)):
        yield plan.finding(VOICE, where + ("said_by",), "child.named-speaker",
                           f"'said_by' names a person ({name}): say who said it as a role, never a name",
                           "write a role, e.g. said_by: a young person on a referral order")
    span = _entry_lines(plan, key, index, count, raw)
    reason = _confirmed(raw, span)
    fields = ["text"] if key == "quotes" else ["title", "text"]
    for name in fields:
        hits = identifying(getattr(entry, name))
        if not hits or reason:
            continue
        if reason == "":
            yield plan.finding(VOICE, where, "child.ok-reason", "the child-ok comment gives no reason",
                               "say why it is not about a child: # child-ok: the reason")
            break
        for hit in hits:
            yield plan.finding(VOICE, where + (name,), "child.identifying", _message(hit), FIX_YAML)


def voice_findings(plan: PlanYear) -> Iterator[Finding]:
    voice = plan.voice
    if voice is None:
        return
    raw = (plan.folder / VOICE).read_text(encoding="utf-8-sig").splitlines()
    for key in ("quotes", "case_studies"):
        entries = getattr(voice, key)
        for index, entry in enumerate(entries):
            yield from _entry(plan, key, index, entry, raw, len(entries))
    blocks = {b for h in [*plan.guidance.headings, *plan.guidance.appendices] for b in h.blocks}
    if "voice" not in blocks:
        yield Finding("child.voice-not-shown", f"the {plan.guidance.edition} guidance has no heading that shows "
                      "voice.yml, so its quotes and case studies would not be published",
                      fix="add 'voice' to the blocks of a heading in the edition's rules file "
                          f"(plan/rules/guidance-{plan.guidance.edition}.yml), or quote them in the narrative",
                      file=plan.shown(VOICE))


def child_safety(plan: PlanYear) -> Iterator[Finding]:
    """The check: voice.yml, then every narrative page and the child-friendly version."""
    yield from voice_findings(plan)
    for narrative in [*plan.narratives, *plan.child_friendly]:
        yield from narrative_findings(narrative)
