"""Reading a content or data file as text, bounded and in UTF-8.

Every file the plan's author gives yjplan (YAML, narrative Markdown, CSV) is read here first,
so a file that is too big or not UTF-8 becomes a Finding naming the file, the line and the
byte, never a traceback or a process that eats the machine's memory. The limits are data, in
plan/rules/limits.yml.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from . import rules
from .problems import Finding

KIND_WORDS = {"yaml": "YAML file", "narrative": "narrative file", "csv": "data file"}


@cache
def limits() -> dict:
    return yaml.safe_load((rules.RULES_DIR / "limits.yml").read_text(encoding="utf-8"))


def size_words(count: int) -> str:
    return f"{count / 1_000_000:.1f} MB" if count >= 1_000_000 else f"{count / 1000:.0f} KB"


def too_big(path: Path, shown: str, kind: str) -> Finding | None:
    """A Finding if the file is over its size limit (read from the file system, not the file)."""
    size, limit = path.stat().st_size, limits()["bytes"][kind]
    if size <= limit:
        return None
    return Finding("file.too-big", f"this {KIND_WORDS[kind]} is {size_words(size)}, more than the "
                   f"{size_words(limit)} yjplan reads",
                   fix="check it is the right file; split or shorten it (the limits are in "
                       "plan/rules/limits.yml)", file=shown)


def year_too_big(folder: Path, shown: str) -> Finding | None:
    """A Finding if a plan year's text files together are over the year's limit: the PDF's
    layout takes memory in proportion to them."""
    files = [p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in (".yml", ".yaml", ".md")]
    size, limit = sum(p.stat().st_size for p in files), limits()["bytes"]["year"]
    if size <= limit:
        return None
    largest = sorted(files, key=lambda p: p.stat().st_size, reverse=True)[:3]
    return Finding("file.too-big", f"this plan year's files come to {size_words(size)}, more than the "
                   f"{size_words(limit)} yjplan builds in one year (largest: "
                   + ", ".join(f"{p.relative_to(folder)} {size_words(p.stat().st_size)}" for p in largest) + ")",
                   fix="check for pasted exports or repeated text; shorten the largest files (the limits are "
                       "in plan/rules/limits.yml)", file=shown)


def not_utf8(data: bytes, error: UnicodeDecodeError, shown: str) -> Finding:
    """Names the first byte that is not UTF-8 and its line, e.g. a Windows-1252 curly quote."""
    line = data.count(b"\n", 0, error.start) + 1
    byte = data[error.start]
    return Finding("file.encoding", f"byte 0x{byte:02X} on line {line} is not UTF-8 (it is probably from "
                   "Word or Excel's older Windows character set)",
                   fix="save the file as UTF-8 (in most editors: 'Save with encoding' > UTF-8; in Excel: "
                       "'CSV UTF-8')", file=shown, line=line)


def read_text(path: Path, shown: str, kind: str) -> tuple[str | None, list[Finding]]:
    """The file's text, or None and why not. A missing file is the caller's business (it
    raises FileNotFoundError as before)."""
    if problem := too_big(path, shown, kind):
        return None, [problem]
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig"), []   # -sig: a BOM (Notepad) is not text
    except UnicodeDecodeError as error:
        return None, [not_utf8(data, error, shown)]
