"""Guards on the YAML that editors write: no aliases, bounded depth and size, no value lost to '#'.

Kept apart from fields.py, which turns the YAML into typed values: this is what stops
hostile or mistaken YAML before any value is made.
"""

from __future__ import annotations

import re

import yaml

__all__ = ["MAX_YAML_BYTES", "MAX_YAML_DEPTH", "GuardedLoader", "YamlProblem", "cut_by_comment"]


class YamlProblem(Exception):
    """The text is not valid YAML; carries the 1-based line and an editor's message."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.message = message
        self.line = line


MAX_YAML_BYTES = 64 * 1024  # the front matter of a release with 500 credits is about 33 KB
MAX_YAML_DEPTH = 8  # a history entry's note is 4 deep; editors never need more than 5


class GuardedLoader(yaml.SafeLoader):
    """The safe loader, refusing anchors and aliases and values nested too deep.

    An alias is a reference: nine levels of nine aliases expand to 9**9 values
    ("billion laughs") from a few hundred bytes. Editors never need them, so the first
    anchor is refused while composing, before anything is expanded. The depth limit
    keeps composing (which recurses) far from Python's recursion limit.
    """

    def __init__(self, text: str, first_line: int):
        super().__init__(text)
        self.first_line = first_line
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        event = self.peek_event()
        line = event.start_mark.line + self.first_line
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise YamlProblem(
                "uses a YAML anchor or alias ('&name' or '*name'); write each value out in full "
                "(put a value starting with '&' or '*' in quotes)",
                line,
            )
        if self.depth >= MAX_YAML_DEPTH:
            raise YamlProblem(f"nests values more than {MAX_YAML_DEPTH} levels deep; write it flatter", line)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def cut_by_comment(loader: yaml.SafeLoader, node: yaml.Node, offset: int) -> list[tuple[int, str]]:
    """Find `key: #text`: YAML reads '#' as a comment, so the value silently becomes empty."""
    found: list[tuple[int, str]] = []
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(value, yaml.ScalarNode) and value.value == "" and value.style is None:
                end = key.end_mark.index
                line_end = loader.buffer.find("\n", end)
                rest = loader.buffer[end : line_end if line_end >= 0 else None].rstrip("\0")
                # '# note' is a comment on purpose; '#1' or '#tag' is a value YAML swallowed.
                if m := re.match(r"\s*:\s+#(\S.*)", rest):
                    comment = "#" + m.group(1).rstrip()
                    found.append((
                        key.start_mark.line + 1 + offset,
                        f"{key.value}: is empty, because '#' starts a comment in YAML; if '{comment}' is the value, "
                        f"put it in quotes: {key.value}: \"{comment}\"",
                    ))
            found.extend(cut_by_comment(loader, value, offset))
    elif isinstance(node, yaml.SequenceNode):
        for child in node.value:
            found.extend(cut_by_comment(loader, child, offset))
    return found
