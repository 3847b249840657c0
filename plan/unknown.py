"""Unknown is a value, not a zero: a figure the service does not have is written `not recorded`
(an approval still to come: `to follow`), and every figure worked out from it is "not available".

Without this a Head of Service could only leave a figure out (an error) or write 0, and the plan
would then say "the board met 0 times". The two spellings are the only ones accepted; anything
close to them ("not recored", "unknown", "n/a") is an error naming the spelling to use, so a typo
never becomes a silently missing figure.

Use in a model: `meetings_held: Recorded[NonNegativeInt]`, or for an approval's date
`Annotated[dt.date, Unknowable(TO_FOLLOW)]`. A field holding a sentinel is falsy, prints as its
words, and `known(value)` says whether it holds a real figure.
"""
from __future__ import annotations

import difflib
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel
from pydantic_core import PydanticCustomError, core_schema

from .problems import Finding, Severity, field_path


class NotRecorded:
    """The figure is not recorded. One instance per class: compare with `is` or known()."""
    words = "not recorded"
    _instances: dict[type, "NotRecorded"] = {}

    def __new__(cls):
        if cls not in NotRecorded._instances:
            NotRecorded._instances[cls] = super().__new__(cls)
        return NotRecorded._instances[cls]

    def __str__(self) -> str:
        return self.words

    def __repr__(self) -> str:
        return self.words

    def __bool__(self) -> bool:       # so `max(d for d in dates if d)` and `if x` skip it
        return False

    def __reduce__(self):             # cached plans are pickled: stay one instance
        return (type(self), ())

    @classmethod
    def __get_pydantic_core_schema__(cls, source, handler):
        return core_schema.is_instance_schema(cls)


class ToFollow(NotRecorded):
    """A step of the approval route that has not happened yet."""
    words = "to follow"


NOT_RECORDED = NotRecorded()
TO_FOLLOW = ToFollow()

# What authors write instead, read as a typo of the accepted spelling rather than as text.
NEAR_MISSES = {"unknown", "not known", "n/a", "na", "tbc", "tbd", "to be confirmed", "not available",
               "none", "?", "-", "not recorded yet", "awaited"}


def known(value: Any) -> bool:
    """Whether a value is a real figure (not `not recorded`, `to follow` or missing)."""
    return value is not None and not isinstance(value, NotRecorded)


def shown(value: Any) -> str:
    """A figure as the plan prints it: its value, or the words for an unknown one."""
    return str(value) if value is not None else str(NOT_RECORDED)


def _normal(text: str) -> str:
    return " ".join(text.strip().lower().split())


def _close(text: str, sentinels: tuple[NotRecorded, ...]) -> bool:
    words = [s.words for s in sentinels]
    return (text in NEAR_MISSES or text.startswith(("not ", "to fol"))
            or bool(difflib.get_close_matches(text, words, n=1, cutoff=0.7)))


class Unknowable:
    """Annotated metadata: the field also takes the sentinels' words. Other values go to the
    field's own type unchanged, so its own errors (and load.py's plain-English explanation of
    them) are exactly as without it."""

    def __init__(self, *sentinels: NotRecorded, example: str = ""):
        self.sentinels = sentinels or (NOT_RECORDED,)
        self.example = example

    def __get_pydantic_core_schema__(self, source, handler):
        inner = handler(source)
        sentinels = self.sentinels

        def read(value, validate, info):
            if isinstance(value, NotRecorded):
                return value
            if isinstance(value, str):
                text = _normal(value)
                for sentinel in sentinels:
                    if text == sentinel.words:
                        return sentinel
                if _close(text, sentinels):
                    spellings = " or ".join(f"'{s.words}'" for s in sentinels)
                    name = info.field_name or "the field"
                    raise PydanticCustomError(
                        "not_recorded_spelling",
                        "'{given}' is not a value yjplan can read; an unknown figure is written {spellings}",
                        {"given": value, "spellings": spellings,
                         "fix": f"write exactly {spellings} (without quotes), e.g. {name}: {sentinels[0].words}, "
                                "or the figure itself"})
            return validate(value)

        return core_schema.with_info_wrap_validator_function(
            read, inner, serialization=core_schema.plain_serializer_function_ser_schema(
                lambda v: str(v) if isinstance(v, NotRecorded) else v))


T = TypeVar("T")
Recorded = Annotated[T, Unknowable(NOT_RECORDED)]


def unknowns(value, location: tuple = ()):
    """(location, sentinel) for every unknown figure in a model, for the warnings that list them."""
    if isinstance(value, NotRecorded):
        yield location, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from unknowns(item, location + (index,))
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from unknowns(getattr(value, name), location + (name,))


# --- checks: what is not recorded, and seats awaiting a nomination (registered in check.py) ---

# Which plan attribute each YAML file loads into.
FILES = {"plan.yml": "meta", "governance.yml": "governance", "staffing.yml": "staffing",
         "priorities.yml": "priorities", "risks.yml": "risks"}


def not_recorded(plan):
    """A warning for each figure written `not recorded` or `to follow`: the plan publishes it
    honestly, and the author sees every gap still to fill, with its place."""
    for name, attribute in FILES.items():
        model = getattr(plan, attribute, None)
        lines = plan.lines.get(name)
        for location, sentinel in unknowns(model) if model is not None else ():
            field = field_path(location)
            if isinstance(sentinel, ToFollow):
                continue            # approvals to follow: the approval-route requirement reports them
            if _vacant_attendance(plan, name, location):
                continue            # a vacant seat has no attendance to record
            yield Finding("content.not-recorded", f"{field} is not recorded: the plan says so, and every "
                          "figure worked out from it is shown as not available",
                          fix=f"when the figure is known, write it in place of 'not recorded' ({field})",
                          file=plan.shown(name), line=lines.line_of(location) if lines else None,
                          field=field, severity=Severity.WARNING)


def _vacant_attendance(plan, name: str, location: tuple) -> bool:
    """The attendance of a vacant seat: nobody held it, so there is nothing to record."""
    if name != "governance.yml" or len(location) != 3 or location[0] != "members" or location[2] != "attended":
        return False
    members = plan.governance.members
    return isinstance(location[1], int) and location[1] < len(members) and members[location[1]].vacant


def vacant_seats(plan):
    """A vacant seat is published as "Vacant (nomination awaited)" and its partner still counts
    as on the board (the seat is its own); the author is reminded to fill in the name."""
    lines = plan.lines.get("governance.yml")
    for index, member in enumerate(plan.governance.members):
        if member.vacant:
            from .models import and_join
            partners = and_join([p.value for p in member.partners])
            yield Finding("governance.vacant-seat",
                          f"the {partners} seat ({member.role}, {and_join(member.organisations)}) is vacant: "
                          "the plan shows it as 'Vacant (nomination awaited)'",
                          fix="when the partner nominates its member, write 'name:' and delete 'vacant: true'",
                          file=plan.shown("governance.yml"),
                          line=lines.line_of(("members", index, "vacant")) if lines else None,
                          field=f"members[{index}].vacant", severity=Severity.WARNING)


CHECKS = [not_recorded, vacant_seats]


class OneOrMore:
    """Annotated metadata: one value, or a list of them (a board seat shared by organisations).
    Each is validated as the field's own type, so a wrong one gets the field's usual error
    rather than a union's tangle of alternatives."""

    def __get_pydantic_core_schema__(self, source, handler):
        one = handler(source)

        def read(value, validate):
            if isinstance(value, list):
                if not value:
                    raise PydanticCustomError("one_or_more", "the list is empty",
                                              {"fix": "write one value, or a list of two or more in [ ]"})
                values = [validate(v) for v in value]
                return values[0] if len(values) == 1 else values
            return validate(value)

        return core_schema.no_info_wrap_validator_function(read, one)
