"""YAML parsing that remembers where each value sits, for located errors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

__all__ = ["YamlDocument", "parse_yaml"]


class YamlDocument:
    """A parsed YAML document and the node tree it came from."""

    def __init__(self, data: Any, root: yaml.Node | None) -> None:
        self.data = data
        self._root = root

    def line_of(self, path: Sequence[Any]) -> int:
        """Return the 1-based line of the value at `path`, or of its nearest parent."""
        node = self._root
        line = 1 if node is None else node.start_mark.line + 1
        for part in path:
            found = _child(node, part)
            if found is None:
                break
            node, line = found
        return line


def parse_yaml(text: str) -> YamlDocument:
    """Parse one YAML document safely; yaml.YAMLError on bad syntax."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    data = yaml.safe_load(text)
    return YamlDocument(data, root)


def _child(node: yaml.Node | None, part: Any) -> tuple[yaml.Node, int] | None:
    """Return the child node at `part` and the line that names it."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == str(part):
                # A nested block starts below its key; the key's line reads better.
                return value, key.start_mark.line + 1
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int):
        if part < len(node.value):
            child = node.value[part]
            return child, child.start_mark.line + 1
    return None
