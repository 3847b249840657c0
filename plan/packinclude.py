"""Which chapters a committee pack holds besides the appendices (`yjplan pack YEAR --include`).

A committee is often asked about one part of the plan: the inspection and its improvement plan,
the risks, the budget. The clerk names those parts by what the plan is built from, so the names
are the same whatever a chapter is called in the narrative:

- a heading id of the plan's guidance edition (`risks`, `service-development`): that chapter;
- a block name (`inspection`, `budget_summary`, `action_plan`): every chapter that shows it, so
  `inspection` gives the chapter holding the inspection and its improvement plan;
- an appendix id, or a block only the appendices show (`budget`, `glossary`): nothing more, the
  appendices are always in the pack.

A heading id wins over a block of the same name (`board` is the appendix, not the governance
chapter that also shows the board). Chapters keep the plan's order whatever order they are named
in, and come before the appendices, as in the plan.
"""
from __future__ import annotations

import difflib

from .rules import Guidance


class UnknownSection(ValueError):
    """An --include name that is not a heading or block of the plan's guidance edition; the
    message is one line, with "did you mean" and the choices."""


def choices(guidance: Guidance) -> dict[str, list[str]]:
    """Every name --include accepts, with the chapter ids it adds to the pack (none for an
    appendix or a block only the appendices show)."""
    names: dict[str, list[str]] = {}
    for heading in guidance.headings:
        for block in heading.blocks:
            names.setdefault(block, []).append(heading.id)
    for appendix in guidance.appendices:
        for block in appendix.blocks:
            names.setdefault(block, [])
    names.update({a.id: [] for a in guidance.appendices})
    names.update({h.id: [h.id] for h in guidance.headings})     # a heading id wins over a block name
    return names


def split(values: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """`--include a,b --include c` as ("a", "b", "c"), without blanks or repeats."""
    names = [name.strip() for value in values for name in value.split(",")]
    return tuple(dict.fromkeys(name for name in names if name))


def chapters(guidance: Guidance, names: tuple[str, ...]) -> set[str]:
    """The chapter ids the names add to the pack. Raises UnknownSection for the first name the
    edition does not know."""
    known = choices(guidance)
    chosen: set[str] = set()
    for name in names:
        if name not in known:
            raise UnknownSection(unknown_message(guidance, name, known))
        chosen.update(known[name])
    return chosen


def unknown_message(guidance: Guidance, name: str, known: dict[str, list[str]]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return (f"--include '{name}' is not a section of the {guidance.edition} guidance: {hint}"
            f"choose from {', '.join(sorted(known))}")


def listing(guidance: Guidance) -> str:
    """`yjplan pack YEAR --include list`: each name and what it adds, in the plan's order."""
    lines = [f"Sections --include accepts for the {guidance.edition} guidance (the appendices are always in the pack):"]
    titles = {h.id: h.title for h in guidance.headings}
    for heading in guidance.headings:
        shows = f" (shows {', '.join(heading.blocks)})" if heading.blocks else ""
        lines.append(f"  {heading.id}: chapter '{heading.title}'{shows}")
    known = choices(guidance)
    for block in sorted(set(known) - set(titles) - {a.id for a in guidance.appendices}):
        where = ", ".join(known[block]) or "an appendix only: already in the pack"
        lines.append(f"  {block}: block, in {where}")
    lines += [f"  {a.id}: appendix '{a.title}' (already in the pack)" for a in guidance.appendices]
    return "\n".join(lines)
