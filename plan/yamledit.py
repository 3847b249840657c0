"""Change a few values in an author's YAML file and leave everything else as they wrote it.

`yjplan new` rolls a year's files forward. Dumping the loaded data again would restyle the
author's file (quoted dates, empty defaults written out, comments lost), so instead each change
is made in the text itself, at the place ruamel.yaml's round-trip composer says the value is:
comments, quoting, key order, flow style and blank lines around it stay byte for byte.

The same changes are made to ruamel.yaml's round-trip data. The edited text is read back and
must give exactly that data; if some unusual layout defeated the text edits, the file is
written by ruamel.yaml's round-trip dumper instead, which keeps comments and quoting too.
"""
from __future__ import annotations

import datetime as dt
import json
import os
from io import StringIO
from pathlib import Path

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

WIDE = 4096          # never wrap a line yjplan writes: the authors' files keep a sentence on one line


def write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file and rename it into place: never a half-written file."""
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def plain(value):
    """ruamel.yaml's round-trip objects as plain dicts, lists, strings and numbers, to compare."""
    if isinstance(value, dict):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, dt.datetime):
        return dt.datetime(*value.timetuple()[:6], value.microsecond)
    return value


class YamlEdit:
    """One YAML file's text, and the value changes to make in it."""

    def __init__(self, text: str):
        self.newline = "\r\n" if "\r\n" in text else "\n"
        self.text = text.replace("\r\n", "\n")
        if self.text and not self.text.endswith("\n"):
            self.text += "\n"                   # so a key added at the end starts on a line of its own
        self.data = self._round_trip().load(self.text)
        self.root = YAML().compose(self.text)
        self.edits: list[tuple[int, int, int, str]] = []      # start, end, order, replacement
        self.seq_offset = self._sequence_offset(self.root)

    # --- the changes -------------------------------------------------------------------------

    def set(self, path: tuple, value) -> None:
        """Give path's key this value: in place if it is there, as a new last key if not."""
        mapping, key = self._mapping_at(path[:-1]), path[-1]
        index = self._entry(mapping, key)
        if index is None:
            self._add(mapping, key, value)
        else:
            old = mapping.value[index][1]
            self._replace(mapping.value[index], value)
            if isinstance(value, dt.date) and isinstance(old, ScalarNode) and old.style in ("'", '"'):
                value = value.isoformat()        # the author quoted the date: it stays quoted, a string
        self._data_at(path[:-1])[key] = value

    def delete(self, path: tuple) -> None:
        """Take path's key and its value out, if it is there."""
        mapping, key = self._mapping_at(path[:-1]), path[-1]
        index = self._entry(mapping, key)
        if index is not None:
            self._delete(mapping, index)
            del self._data_at(path[:-1])[key]

    def keep_items(self, path: tuple, keep: list[int]) -> None:
        """Keep only the items `keep` (indexes, in order) of the list at path's key; the others'
        lines go, with the comment on their last line. The kept items' text is not touched."""
        mapping, key = self._mapping_at(path[:-1]), path[-1]
        sequence = mapping.value[self._entry(mapping, key)][1]
        data = self._data_at(path)
        if not isinstance(sequence, SequenceNode) or sequence.flow_style or not keep:
            self.set(path, [data[i] for i in keep])      # none left, or a [flow] list: written anew
            return
        for index in sorted(set(range(len(sequence.value))) - set(keep), reverse=True):
            item = sequence.value[index]
            self._edit(self._line_start(item.start_mark.index), self._after_lines(item), "")
            del data[index]

    def has(self, path: tuple) -> bool:
        return self._entry(self._mapping_at(path[:-1]), path[-1]) is not None

    def result(self, note: str = "") -> str:
        """The changed text, with `note` as its first comment line (replacing an earlier note)."""
        text = self.text
        for start, end, _, replacement in sorted(self.edits, reverse=True):
            text = text[:start] + replacement + text[end:]
        if plain(self._round_trip().load(text)) != plain(self.data):
            text = self._dump_data()          # an unusual layout: let ruamel.yaml write it all
        if note:
            first, _, rest = text.partition("\n")
            if first.startswith("# ") and first.endswith("by 'yjplan new'; check every value."):
                text = rest
            text = f"# {note}\n{text}"
        return text.replace("\n", self.newline) if self.newline != "\n" else text

    # --- finding things --------------------------------------------------------------------

    def _mapping_at(self, path: tuple) -> MappingNode:
        node = self.root
        for step in path:
            if isinstance(step, int):
                node = node.value[step]
            else:
                node = node.value[self._entry(node, step)][1]
        if not isinstance(node, MappingNode):
            raise ValueError(f"{'.'.join(map(str, path))} is not a mapping")
        return node

    def _data_at(self, path: tuple):
        data = self.data
        for step in path:
            data = data[step]
        return data

    @staticmethod
    def _entry(mapping: MappingNode, key: str) -> int | None:
        return next((i for i, (k, _) in enumerate(mapping.value) if k.value == key), None)

    def _line_start(self, index: int) -> int:
        return self.text.rfind("\n", 0, index) + 1

    def _line_end(self, index: int) -> int:
        """Just after the newline that ends index's line (or the end of the text)."""
        newline = self.text.find("\n", index)
        return len(self.text) if newline < 0 else newline + 1

    def _end(self, node) -> int:
        """Where a value's own text ends (a block collection ends with its last value)."""
        if isinstance(node, ScalarNode) or node.flow_style or not node.value:
            return node.end_mark.index
        last = node.value[-1]
        return self._end(last[1] if isinstance(node, MappingNode) else last)

    def _after_lines(self, node) -> int:
        """Just after the line the value ends on, with that line's comment."""
        end = self._end(node)
        if isinstance(node, ScalarNode) and node.style in ("|", ">") and self.text[end - 1:end] == "\n":
            return end
        if isinstance(node, MappingNode | SequenceNode) and not node.flow_style and node.value:
            last = node.value[-1]
            return self._after_lines(last[1] if isinstance(node, MappingNode) else last)
        return self._line_end(end)

    def _starts_line(self, node) -> bool:
        return not self.text[self._line_start(node.start_mark.index):node.start_mark.index].strip()

    def _sequence_offset(self, node) -> int:
        """How far this author indents a list under its key (2 in `key:\\n  - a`, 0 in `key:\\n- a`)."""
        if isinstance(node, MappingNode):
            for key, value in node.value:
                if isinstance(value, SequenceNode) and not value.flow_style and value.value:
                    return value.start_mark.column - key.start_mark.column
            for _, value in node.value:
                found = self._sequence_offset(value)
                if found is not None:
                    return found
        if isinstance(node, SequenceNode):
            for item in node.value:
                found = self._sequence_offset(item)
                if found is not None:
                    return found
        return 2 if node is self.root else None

    # --- writing values ----------------------------------------------------------------------

    def _edit(self, start: int, end: int, replacement: str) -> None:
        self.edits.append((start, end, len(self.edits), replacement))

    @staticmethod
    def _scalar(value, style: str | None = None) -> str:
        """A scalar as YAML, in the old value's quoting where it had quotes."""
        text = value.isoformat() if isinstance(value, dt.date) else value
        if isinstance(text, str) and "\n" not in text and style == "'":
            return "'" + text.replace("'", "''") + "'"
        if isinstance(text, str) and style == '"':
            return json.dumps(text, ensure_ascii=False)
        if isinstance(value, dt.date):
            return text
        dumped = yaml.safe_dump(value, allow_unicode=True, width=WIDE)
        return dumped.removesuffix("...\n").strip("\n")

    def _flow(self, value) -> str:
        if isinstance(value, list | dict):
            return yaml.safe_dump(value, allow_unicode=True, width=WIDE, default_flow_style=True,
                                  sort_keys=False).strip("\n")
        return self._scalar(value)

    def _block(self, value, column: int) -> str:
        """A list or mapping in block style, every line starting at `column`."""
        text = yaml.safe_dump(value, allow_unicode=True, width=WIDE, default_flow_style=False, sort_keys=False)
        return "".join(" " * column + line if line.strip() else line for line in text.splitlines(True))

    def _after_colon(self, key: ScalarNode, insert: str) -> None:
        """Put `insert` just after a key's colon, into the spaces before a comment where it fits."""
        colon = self.text.index(":", key.end_mark.index) + 1
        spaces = len(self.text[colon:]) - len(self.text[colon:].lstrip(" "))
        if self.text[colon + spaces:colon + spaces + 1] == "#" and spaces > len(insert):
            self._edit(colon, colon + len(insert), insert)
        else:
            self._edit(colon, colon, insert)

    def _replace(self, entry: tuple, value) -> None:
        key, old = entry
        collection = isinstance(value, list | dict)
        block_old = isinstance(old, MappingNode | SequenceNode) and not old.flow_style and old.value
        if block_old:                                   # its lines go; the new value replaces them
            lines = (self._line_start(old.start_mark.index), self._after_lines(old))
            if collection and value:
                self._edit(*lines, self._block(value, old.start_mark.column))
            else:
                self._after_colon(key, " " + self._flow(value))
                self._edit(*lines, "")
        elif collection and value and not self._in_flow(key):
            start = self.text.index(":", key.end_mark.index) + 1
            self._edit(start, old.end_mark.index, "")
            self._edit(self._after_lines(old), self._after_lines(old),
                       self._block(value, key.start_mark.column + self.seq_offset))
        elif isinstance(old, ScalarNode) and not collection and old.style is None and old.value == "":
            self._after_colon(key, " " + self._scalar(value))          # `key:` with nothing after it
        elif isinstance(old, ScalarNode) and not collection:
            style = old.style if isinstance(value, str | dt.date) and old.style in ("'", '"') else None
            replacement = self._scalar(value, style)
            if old.style in ("|", ">") and self.text[old.end_mark.index - 1:old.end_mark.index] == "\n":
                replacement += "\n"
            self._edit(old.start_mark.index, old.end_mark.index, replacement)
        else:
            self._edit(old.start_mark.index, old.end_mark.index, self._flow(value))

    def _in_flow(self, key: ScalarNode) -> bool:
        """Whether a key sits inside a flow mapping ({a: 1}), where only flow values may go."""
        return self._flow_parent(self.root, key) is not None

    def _flow_parent(self, node, key):
        if isinstance(node, MappingNode):
            for k, v in node.value:
                if k is key:
                    return node if node.flow_style else None
                found = self._flow_parent(v, key)
                if found is not None:
                    return found
        elif isinstance(node, SequenceNode):
            for item in node.value:
                found = self._flow_parent(item, key)
                if found is not None:
                    return found
        return None

    def _add(self, mapping: MappingNode, key: str, value) -> None:
        if mapping.flow_style or not mapping.value:
            text = f"{key}: {self._flow(value)}"
            if mapping.value:
                self._edit(self._end(mapping.value[-1][1]), self._end(mapping.value[-1][1]), ", " + text)
            elif mapping.flow_style:
                close = mapping.end_mark.index - 1
                self._edit(close, close, text)
            else:
                raise ValueError("cannot add a key to an empty block mapping")
            return
        column = mapping.value[0][0].start_mark.column
        at = self._after_lines(mapping.value[-1][1])
        lead = "" if self.text[at - 1:at] in ("\n", "") else "\n"
        if isinstance(value, list | dict) and value:
            text = f"{lead}{' ' * column}{key}:\n{self._block(value, column + self.seq_offset)}"
        else:
            text = f"{lead}{' ' * column}{key}: {self._flow(value)}\n"
        self._edit(at, at, text)

    def _delete(self, mapping: MappingNode, index: int) -> None:
        key, value = mapping.value[index]
        following = mapping.value[index + 1][0] if index + 1 < len(mapping.value) else None
        if mapping.flow_style:
            if index:
                self._edit(self._end(mapping.value[index - 1][1]), value.end_mark.index, "")
            elif following is not None:
                self._edit(key.start_mark.index, following.start_mark.index, "")
            else:
                self._edit(mapping.start_mark.index, mapping.end_mark.index, "{}")
        elif self._starts_line(key):
            self._edit(self._line_start(key.start_mark.index), self._after_lines(value), "")
        elif following is not None:                    # `- key: value` starting a list item
            self._edit(key.start_mark.index, following.start_mark.index, "")
        else:
            self._edit(key.start_mark.index, self._end(value), "{}")

    # --- ruamel.yaml's own writing, for the layouts the text edits cannot handle --------------

    @staticmethod
    def _round_trip() -> YAML:
        loader = YAML()
        loader.preserve_quotes = True
        loader.width = WIDE
        return loader

    def _dump_data(self) -> str:
        from ruamel.yaml.util import load_yaml_guess_indent
        _, indent, block_seq_indent = load_yaml_guess_indent(self.text)
        writer = self._round_trip()
        writer.indent(mapping=indent or 2, sequence=(indent or 2) + (block_seq_indent or 0),
                      offset=block_seq_indent or 0)
        out = StringIO()
        writer.dump(self.data, out)
        return out.getvalue()
