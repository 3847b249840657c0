"""Read YAML while remembering the line of every key, so errors can name it."""
from __future__ import annotations

from pathlib import Path

import yaml

from .inputs import read_text
from .problems import Finding, field_path

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


class AliasFound(Exception):
    """A YAML alias (*name): refused, because a few lines of them can expand to gigabytes
    ("billion laughs") and a plan never needs them."""


def _walk(node: yaml.Node, location: tuple, lines: dict[tuple, int], seen: set[int], repeated: list):
    """Record every key's line. An alias is the anchored node met a second time (the composer
    hands back the same object), so it is refused here, before anything expands it. A key given
    twice in one mapping goes into `repeated` as (location, first line, second line): YAML would
    silently keep the last value."""
    if id(node) in seen:
        raise AliasFound()
    seen.add(id(node))
    lines[location] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        keys: dict = {}
        for key_node, value_node in node.value:
            child = location + (key_node.value,)
            line = key_node.start_mark.line + 1
            if isinstance(key_node, yaml.ScalarNode) and key_node.value != "<<":
                if key_node.value in keys:
                    repeated.append((child, keys[key_node.value], line))
                keys.setdefault(key_node.value, line)
            _walk(value_node, child, lines, seen, repeated)
            lines[child] = line
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, location + (index,), lines, seen, repeated)


def _repeated_keys(repeated: list, shown_as: str, offset: int = 0) -> list[Finding]:
    findings = []
    for location, first, second in repeated:
        first, second = first + offset, second + offset
        name = field_path(location)
        findings.append(Finding(
            "yaml.duplicate-key", f"'{location[-1]}' is given twice here, on lines {first} and {second}: "
            f"only one value can count, and yjplan will not guess which",
            fix=f"keep one '{location[-1]}:' (line {first} or line {second}) and delete the other, "
                "or fix the indentation if one belongs to another entry",
            file=shown_as, line=second, field=name))
    return findings


def _first_alias(text: str) -> tuple[str, int | None]:
    """The name and line of the first alias, from the parser's events (only read once an
    alias was found: the events say exactly where it was written)."""
    loader = _Loader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent):
                return event.anchor, event.start_mark.line + 1
    finally:
        loader.dispose()
    return "", None


def _parse(text: str) -> tuple[yaml.Node | None, dict[tuple, int], list, object]:
    """Parse once: the node tree, the line of every key, the keys given twice, and the data
    built from it. Raises AliasFound before building anything if the text uses an alias."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        lines: dict[tuple, int] = {}
        repeated: list = []
        if node is not None:
            _walk(node, (), lines, set(), repeated)
        if repeated:
            return node, lines, repeated, None
        return node, lines, repeated, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def _never_closed(exc: yaml.MarkedYAMLError) -> bool:
    """An unclosed quote or bracket runs to the end of the file, where PyYAML reports it: the
    mistake is where it was opened (the error's context mark)."""
    return bool(exc.context_mark and exc.context and exc.problem
                and ("end of stream" in exc.problem or "<stream end>" in exc.problem))


def parse_yaml(text: str, shown: str, first_line: int = 1) -> tuple[object, LineMap, list[Finding]]:
    """Parse YAML text that starts on `first_line` of the file `shown` (a narrative's front
    matter starts on line 2). Returns (data, line map, findings); data is None on failure."""
    offset = first_line - 1
    try:
        node, lines, repeated, data = _parse(text)
    except yaml.MarkedYAMLError as exc:
        if _never_closed(exc):
            return None, LineMap({}), [Finding(
                "yaml.syntax", f"this is not valid YAML: the quote or bracket opened on this line is never closed, "
                f"so the rest of the file is read as part of it ({exc.context})",
                fix="close it on this line: end the text with the same quote mark it starts with, or the list "
                    "with ']' (or '}')", file=shown, line=exc.context_mark.line + 1 + offset)]
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + offset if mark else None
        problem = exc.problem or "the YAML cannot be read"
        context = f" ({exc.context})" if exc.context else ""
        return None, LineMap({}), [Finding(
            "yaml.syntax", f"this is not valid YAML: {problem}{context}",
            fix="check the indentation and punctuation on this line and the one before it; "
                "text containing ': ' or starting with a special character needs quotes",
            file=shown, line=line)]
    except yaml.YAMLError as exc:     # e.g. the document is not one document
        return None, LineMap({}), [Finding(
            "yaml.syntax", f"this is not valid YAML: {exc}", fix="write one YAML document, as in content/README.md",
            file=shown)]
    except AliasFound:
        name, line = _first_alias(text)
        return None, LineMap({}), [Finding(
            "yaml.alias", f"this uses the YAML alias '*{name}', which yjplan does not accept",
            fix=f"write the value out in full here instead of '*{name}' (and remove the '&{name}' "
                "anchor): aliases can make a small file expand without limit",
            file=shown, line=line + offset if line else None)]
    line_map = LineMap({key: line + offset for key, line in lines.items()})
    if repeated:
        return None, line_map, _repeated_keys(repeated, shown, offset)
    return data, line_map, []


def read_yaml(path: Path, shown_as: str) -> tuple[object, LineMap, list[Finding]]:
    """Parse one YAML file. Returns (data, line map, findings); data is None on failure."""
    try:
        text, findings = read_text(path, shown_as, "yaml")
    except FileNotFoundError:
        return None, LineMap({}), [Finding(
            "file.missing", "this file is missing",
            fix=f"create {shown_as} (content/README.md shows an example)", file=shown_as)]
    if text is None:
        return None, LineMap({}), findings
    return parse_yaml(text, shown_as)
