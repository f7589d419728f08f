"""YAML parsing that remembers where each value sits, for located errors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

from .body import MAX_DEPTH, nesting_depth

__all__ = [
    "MAX_EXPANDED_NODES",
    "YamlDocument",
    "YamlDuplicateKey",
    "YamlSelfReference",
    "YamlTooDeep",
    "YamlTooLarge",
    "parse_yaml",
]

# Aliases let a few lines of YAML stand for billions of values (a "billion
# laughs" document); nothing past this many values once expanded is read.
MAX_EXPANDED_NODES = 1_000_000
# The size of a node still being measured: no real size is negative.
_MEASURING = -1
# `<<: *anchor` merges a mapping in; it may stand beside keys it overrides.
_MERGE_TAG = "tag:yaml.org,2002:merge"


class YamlTooLarge(yaml.YAMLError):
    """A document whose aliases expand past MAX_EXPANDED_NODES values."""

    def __init__(self, mark: yaml.Mark | None) -> None:
        super().__init__()
        self.problem = (
            f"the document expands to more than {MAX_EXPANDED_NODES} values "
            "through its aliases"
        )
        self.problem_mark = mark


class YamlTooDeep(yaml.YAMLError):
    """A document nested deeper than any scenario needs."""

    def __init__(self, mark: yaml.Mark | None) -> None:
        super().__init__()
        self.problem = f"the document is nested deeper than {MAX_DEPTH} levels"
        self.problem_mark = mark


class YamlSelfReference(yaml.YAMLError):
    """An alias used inside the value its own anchor names."""

    def __init__(self, mark: yaml.Mark) -> None:
        super().__init__()
        self.problem = "an alias refers to the value that contains it"
        self.problem_mark = mark


class YamlDuplicateKey(yaml.YAMLError):
    """A mapping that names the same key twice: YAML would keep only the last."""

    def __init__(self, key: str, mark: yaml.Mark) -> None:
        super().__init__()
        self.problem = f"key {key!r} appears twice in the same mapping"
        self.problem_mark = mark


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
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        if root is not None and _expanded_size(root, {}) > MAX_EXPANDED_NODES:
            raise YamlTooLarge(root.start_mark)
        if root is not None:
            _refuse_duplicate_keys(root, set())
        data = yaml.safe_load(text)
    except RecursionError:
        raise YamlTooDeep(None) from None
    if nesting_depth(data) > MAX_DEPTH:
        raise YamlTooDeep(None if root is None else root.start_mark)
    return YamlDocument(data, root)


def _expanded_size(node: yaml.Node, sizes: dict[int, int]) -> int:
    """Count the values `node` stands for with every alias expanded.

    Aliased nodes are shared in the composed tree, so each is measured once.
    A node met again while it is still being measured is an alias inside
    its own anchor: a value without end.
    """
    known = sizes.get(id(node))
    if known is not None:
        if known == _MEASURING:
            raise YamlSelfReference(node.start_mark)
        return known
    sizes[id(node)] = _MEASURING
    size = 1
    if isinstance(node, yaml.SequenceNode):
        size += sum(_expanded_size(child, sizes) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            size += _expanded_size(key, sizes) + _expanded_size(value, sizes)
    # Past the bound the exact figure no longer matters; capping keeps it small.
    sizes[id(node)] = min(size, MAX_EXPANDED_NODES + 1)
    return sizes[id(node)]


def _refuse_duplicate_keys(node: yaml.Node, seen: set[int]) -> None:
    """Raise YamlDuplicateKey at the second spelling of a key in any mapping."""
    pending = [node]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, yaml.SequenceNode):
            pending.extend(current.value)
        elif isinstance(current, yaml.MappingNode):
            keys: set[str] = set()
            for key, value in current.value:
                if isinstance(key, yaml.ScalarNode) and key.tag != _MERGE_TAG:
                    if key.value in keys:
                        raise YamlDuplicateKey(key.value, key.start_mark)
                    keys.add(key.value)
                pending.append(value)


def _child(node: yaml.Node | None, part: Any) -> tuple[yaml.Node, int] | None:
    """Return the child node at `part` and the line that names it."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == str(part):
                # A nested block starts below its key; the key's line reads better.
                return value, key.start_mark.line + 1
        return None
    if not isinstance(node, yaml.SequenceNode) or not isinstance(part, int):
        return None
    if part < len(node.value):
        child = node.value[part]
        return child, child.start_mark.line + 1
    return None
