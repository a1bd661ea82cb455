"""Limits on the YAML that editors write, and the warning for a value lost to '#'.

fields.py turns the YAML into typed values and applies these while it does.
"""

from __future__ import annotations

import re

import yaml

__all__ = ["MAX_YAML_BYTES", "MAX_YAML_DEPTH", "YamlProblem", "cut_by_comment", "depth_message", "refuse_aliases"]


class YamlProblem(Exception):
    """The text is not valid YAML; carries the 1-based line and an editor's message."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.message = message
        self.line = line


MAX_YAML_BYTES = 64 * 1024  # the front matter of a release with 500 credits is about 33 KB
MAX_YAML_DEPTH = 8  # a history entry's note is 4 deep; editors never need more than 5 (libyaml stops at 1,000)


def depth_message(depth: int) -> str:
    """Say that values nest deeper than `depth` levels."""
    return f"nests values more than {depth} level{'s' if depth != 1 else ''} deep; write it flatter"


def refuse_aliases(text: str, first_line: int) -> None:
    """Refuse the first anchor ('&name') or alias ('*name'), on its line, before anything is built.

    An alias repeats the value its anchor marks: nine levels of nine aliases expand to
    9**9 values ("billion laughs") from a few hundred bytes. Editors never need them.
    Reading the events (in C) builds nothing; a YAML error found here is reported by
    the caller like any other.
    """
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise YamlProblem(
                "uses a YAML anchor or alias ('&name' or '*name'); write each value out in full "
                "(put a value starting with '&' or '*' in quotes)",
                event.start_mark.line + first_line,
            )


def cut_by_comment(text: str, node: yaml.Node, offset: int) -> list[tuple[int, str]]:
    """Find `key: #text`: YAML reads '#' as a comment, so the value silently becomes empty."""
    found: list[tuple[int, str]] = []
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(value, yaml.ScalarNode) and value.value == "" and not value.style:  # plain: None, or "" from libyaml
                lines = text.split("\n")
                rest = lines[key.end_mark.line][key.end_mark.column :] if key.end_mark.line < len(lines) else ""
                # '# note' is a comment on purpose; '#1' or '#tag' is a value YAML swallowed.
                if m := re.match(r"\s*:\s+#(\S.*)", rest):
                    comment = "#" + m.group(1).rstrip()
                    found.append((
                        key.start_mark.line + 1 + offset,
                        f"{key.value}: is empty, because '#' starts a comment in YAML; if '{comment}' is the value, "
                        f"put it in quotes: {key.value}: \"{comment}\"",
                    ))
            found.extend(cut_by_comment(text, value, offset))
    elif isinstance(node, yaml.SequenceNode):
        for child in node.value:
            found.extend(cut_by_comment(text, child, offset))
    return found
