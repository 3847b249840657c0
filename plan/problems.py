"""Problems found in a plan: one shape for load errors and check findings alike.

A Head of Service reads these, so each says where (file, line, field), what is wrong and how
to fix it, in plain words.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    rule: str                 # stable id, e.g. "yaml.syntax", "finance.total", "s39.police"
    message: str              # what is wrong, in plain English
    fix: str = ""             # how to put it right
    file: str = ""            # path relative to the project root
    line: int | None = None
    field: str = ""           # dotted path inside the file, e.g. "members[2].attended"
    severity: Severity = Severity.ERROR

    @property
    def place(self) -> str:
        where = self.file or "plan"
        if self.line:
            where += f", line {self.line}"
        if self.field:
            where += f", field '{self.field}'"
        return where

    def __str__(self) -> str:
        text = f"{self.severity.value}: {self.place}: {self.message}"
        if self.fix:
            text += f"\n    fix: {self.fix}"
        return text + f"  [{self.rule}]"

    def as_dict(self) -> dict:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


def field_path(location: tuple) -> str:
    """A place inside a YAML file as findings name it: ('members', 2, 'attended') ->
    'members[2].attended'."""
    return ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in location).replace(".[", "[")


class PlanError(Exception):
    """Raised when a plan cannot be built; carries every finding that stopped it."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        super().__init__("\n".join(str(f) for f in findings))


def errors_in(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity is Severity.ERROR]
