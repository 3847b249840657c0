"""Read YAML while remembering the line of every key, so errors can name it."""
from __future__ import annotations

from pathlib import Path

import yaml

from .problems import Finding

class LineMap:
    """Maps a location inside a YAML document to the line it was written on."""

    def __init__(self, lines: dict[tuple, int]):
        self._lines = lines

    def line_of(self, location: tuple) -> int | None:
        # Fall back to the nearest enclosing location that has a line.
        location = tuple(location)
        while location:
            if location in self._lines:
                return self._lines[location]
            location = location[:-1]
        return self._lines.get((), None)


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Safe loader (libyaml's, where present: several times faster) that leaves dates as text,
    so pydantic can report an impossible date (2025-02-30) against its field instead of the
    YAML parser failing outright."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def _walk(node: yaml.Node, location: tuple, lines: dict[tuple, int], repeated: list | None = None):
    """Record the line of every key and item. A key given twice in one mapping goes into
    `repeated` as (location, first line, second line): YAML would silently keep the last value."""
    lines[location] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: dict = {}
        for key_node, value_node in node.value:
            child = location + (key_node.value,)
            line = key_node.start_mark.line + 1
            if isinstance(key_node, yaml.ScalarNode) and key_node.value != "<<":
                if key_node.value in seen and repeated is not None:
                    repeated.append((child, seen[key_node.value], line))
                seen.setdefault(key_node.value, line)
            _walk(value_node, child, lines, repeated)
            lines[child] = line
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, location + (index,), lines, repeated)


def _repeated_keys(repeated: list, shown_as: str) -> list[Finding]:
    findings = []
    for location, first, second in repeated:
        name = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in location).replace(".[", "[")
        findings.append(Finding(
            "yaml.duplicate-key", f"'{location[-1]}' is given twice here, on lines {first} and {second}: "
            f"only one value can count, and yjplan will not guess which",
            fix=f"keep one '{location[-1]}:' (line {first} or line {second}) and delete the other, "
                "or fix the indentation if one belongs to another entry",
            file=shown_as, line=second, field=name))
    return findings


def _parse(text: str) -> tuple[yaml.Node | None, object]:
    """Parse once: the node tree (for the lines) and the data built from it."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def read_yaml(path: Path, shown_as: str) -> tuple[object, LineMap, list[Finding]]:
    """Parse one YAML file. Returns (data, line map, findings); data is None on failure."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, LineMap({}), [Finding(
            "file.missing", "this file is missing",
            fix=f"create {shown_as} (content/README.md shows an example)", file=shown_as)]
    except UnicodeDecodeError as exc:
        return None, LineMap({}), [Finding(
            "file.encoding", f"this file is not UTF-8 text ({exc.reason})",
            fix="save the file as UTF-8", file=shown_as)]
    try:
        node, data = _parse(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or "the YAML cannot be read"
        context = f" ({exc.context})" if exc.context else ""
        return None, LineMap({}), [Finding(
            "yaml.syntax", f"this is not valid YAML: {problem}{context}",
            fix="check the indentation and punctuation on this line and the one before it; "
                "text containing ': ' or starting with a special character needs quotes",
            file=shown_as, line=line)]
    lines: dict[tuple, int] = {}
    repeated: list = []
    if node is not None:
        _walk(node, (), lines, repeated)
    if repeated:
        return None, LineMap(lines), _repeated_keys(repeated, shown_as)
    return data, LineMap(lines), []
