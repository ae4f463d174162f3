"""Where each key of a YAML document stands, so errors can name file:line.

PyYAML's composer keeps a mark on every node; we walk the node tree once and record the
line of every key path. The same walk rejects duplicate keys, which PyYAML would
otherwise resolve silently by keeping the last one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

KeyPath = tuple[str | int, ...]


@dataclass
class Positions:
    lines: dict[KeyPath, int] = field(default_factory=dict)
    duplicates: list[tuple[KeyPath, int]] = field(default_factory=list)

    def line_of(self, path: KeyPath) -> int:
        """The line of `path`, or of its nearest ancestor that the file has."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return 1


def scan(node: yaml.Node | None) -> Positions:
    positions = Positions()
    if node is not None:
        positions.lines[()] = node.start_mark.line + 1
        _walk(node, (), positions)
    return positions


def _walk(node: yaml.Node, path: KeyPath, positions: Positions) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            child = (*path, key)
            line = key_node.start_mark.line + 1
            if key in seen:
                positions.duplicates.append((child, line))
                continue
            seen.add(key)
            positions.lines[child] = line
            _walk(value_node, child, positions)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = (*path, index)
            positions.lines[child] = item.start_mark.line + 1
            _walk(item, child, positions)


def format_path(path: KeyPath) -> str:
    """('units', 3, 'columns', 0, 'cycle') -> 'units[3].columns[0].cycle'."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(top level)"
