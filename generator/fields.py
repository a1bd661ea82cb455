"""Safe YAML with the line of every value, and the field readers that validate it.

PyYAML's safe loader gives plain values and forgets where they stood. Editors need the
line of the offending key, so we compose the node graph, keep each node's line, and
construct only scalars ourselves. The raw text of each scalar is kept as well: an
unquoted version `1.10` must stay `1.10`, not become the float 1.1.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from typing import Any, Callable

import yaml

from .errors import Diagnostics, SourceLocation, did_you_mean, nearest_keys
from .yaml_guard import MAX_YAML_BYTES, MAX_YAML_DEPTH, YamlProblem, cut_by_comment, depth_message, refuse_aliases


@dataclass(frozen=True)
class Node:
    """A YAML value and the 1-based file line where it starts.

    `value` is a `dict[str, Node]` for a mapping, a `list[Node]` for a sequence and a
    plain Python scalar otherwise; `raw` is a scalar's text as written.
    """

    value: Any
    line: int
    raw: str | None = None

    def plain(self) -> Any:
        """Return the value with every nested Node unwrapped."""
        if isinstance(self.value, dict):
            return {k: v.plain() for k, v in self.value.items()}
        if isinstance(self.value, list):
            return [v.plain() for v in self.value]
        return self.value


class Invalid(Exception):
    """A field's value is wrong; `line` points at it when known."""

    def __init__(self, message: str, line: int | None = None, others: tuple["Invalid", ...] = ()):
        super().__init__(message)
        self.message = message
        self.line = line
        self.others = others  # further problems found in the same value (e.g. a list)


def parse_yaml(
    text: str, first_line: int = 1, warnings: list[tuple[int, str]] | None = None,
    max_bytes: int = MAX_YAML_BYTES, max_depth: int = MAX_YAML_DEPTH,
) -> Node | None:
    """Parse one YAML document with the safe loader; `first_line` is the text's file line.

    Warnings about values that are valid YAML but surely not what was meant are
    appended to `warnings` as (line, message). `max_bytes` and `max_depth` bound the
    work (site.yml `limits.max_front_matter_kb`, `limits.max_yaml_depth`).
    """
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        raise YamlProblem(
            f"is {size // 1024} KB, more than the {max_bytes // 1024} KB cocreate reads; "
            "shorten it (long text belongs in the body, below the closing '---')",
            first_line,
        )
    loader = yaml.CSafeLoader(text)  # libyaml: the same nodes and line marks, several times faster
    try:
        if "&" in text or "*" in text:  # only then can there be an anchor or an alias
            refuse_aliases(text, first_line)
        root = loader.get_single_node()
        if root is None:
            return None
        node = _to_node(loader, root, first_line - 1, set(), 1, max_depth)
        if warnings is not None:
            warnings.extend(cut_by_comment(text, root, first_line - 1))
        return node
    except yaml.reader.ReaderError as exc:  # a character YAML refuses, e.g. a control character
        line = first_line + text.count("\n", 0, exc.position)
        raise YamlProblem(f"has the invisible character U+{exc.character:04X}, which YAML cannot hold; delete it", line) from None
    except yaml.MarkedYAMLError as exc:
        raise _explain(exc, first_line, text) from None
    except yaml.YAMLError as exc:  # e.g. more than one document
        raise YamlProblem(f"not valid YAML: {exc}", first_line) from None
    finally:
        loader.dispose()


_PLAIN_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")}


def _explain(exc: yaml.MarkedYAMLError, first_line: int, text: str) -> "YamlProblem":
    """Turn PyYAML's (or libyaml's) parser words into an editor's, on the line where the fix goes."""
    problem, context = exc.problem or "", exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    lines = text.splitlines()
    if mark is not None and mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]:
        problem = "found a '\\t' (tab)"  # libyaml says only that the character cannot start a token
    if "maximum nesting depth" in problem:  # libyaml's own limit (1,000), far beyond ours
        return YamlProblem(depth_message(MAX_YAML_DEPTH), (mark.line if mark else 0) + first_line)
    if "quoted scalar" in context and exc.context_mark is not None:
        mark = exc.context_mark
        advice = "the quote opened on this line is never closed; end the value with the same quote mark"
    elif "'\\t'" in problem or "\t" in problem:
        advice = "this line is indented with a tab; indent with spaces only"
    elif "mapping values are not allowed" in problem:
        advice = "a ':' where none can be; check this line's indentation, or put a value containing ': ' in quotes"
    elif "expected <block end>" in problem or "expected <block mapping start>" in context or "did not find expected key" in problem:
        advice = "this line's indentation does not match the lines above it; line the fields up with spaces"
    elif "could not find expected ':'" in problem:
        advice = "a line without 'field: value'; check for a missing ':' or an unclosed quote"
    else:
        advice = f"{problem or context or 'cannot be read'} (check the indentation, and put values containing ':' or '#' in quotes)"
    line = (mark.line if mark else 0) + first_line
    return YamlProblem(f"not valid YAML: {advice}", line)


def _to_node(loader: yaml.SafeLoader, node: yaml.Node, offset: int, seen: set[int], depth: int, max_depth: int) -> Node:
    line = node.start_mark.line + 1 + offset
    if node.tag not in _PLAIN_TAGS:
        # Only plain values: a tag such as !!python/object could build objects elsewhere.
        shown = node.tag.replace("tag:yaml.org,2002:", "!!")
        raise YamlProblem(f"not valid YAML: the tag '{shown}' is not allowed; write a plain value without the tag", line)
    if id(node) in seen:  # an alias that contains itself
        raise YamlProblem("not valid YAML: a recursive alias", line)
    if depth > max_depth:  # also keeps this recursion far from Python's limit
        raise YamlProblem(depth_message(max_depth), line)
    if isinstance(node, yaml.MappingNode):
        seen = seen | {id(node)}
        items: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = _scalar(loader, key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, (str, int, float, bool)) or isinstance(key, bool):
                raise YamlProblem("not valid YAML: a field name must be a plain word", key_node.start_mark.line + 1 + offset)
            key = str(key)
            if key in items:
                raise YamlProblem(f"has '{key}' twice; keep one of them", key_node.start_mark.line + 1 + offset)
            child = _to_node(loader, value_node, offset, seen, depth + 1, max_depth)
            # A key's line is where the key is written, even when its value starts below.
            items[key] = Node(child.value, key_node.start_mark.line + 1 + offset, child.raw)
        return Node(items, line)
    if isinstance(node, yaml.SequenceNode):
        seen = seen | {id(node)}
        return Node([_to_node(loader, child, offset, seen, depth + 1, max_depth) for child in node.value], line)
    return Node(_scalar(loader, node), line, node.value)


def _scalar(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, OverflowError):
        # e.g. an unquoted 2026-02-30: keep the text, let the field reader explain.
        return node.value


# --- reading a mapping of fields ------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """How to read one key: required or not, and a parser from Node to value."""

    parse: Callable[[Node], Any]
    required: bool = False
    hint: str = ""  # shown when the field is missing


class FieldReader:
    """Reads a mapping's fields, collecting every problem with its line."""

    def __init__(self, path: str, diagnostics: Diagnostics, line: int = 1):
        self.path = path
        self.diagnostics = diagnostics
        self.line = line
        self.failed = False

    def error(self, line: int | None, message: str) -> None:
        """Record a problem at `line` (the mapping's own line when unknown)."""
        self.failed = True
        self.diagnostics.error(SourceLocation(self.path, line or self.line), message)

    def read(self, node: Node, fields: dict[str, Field], what: str, prefix: str = "") -> dict[str, Any]:
        """Validate a mapping against `fields`; return what could be read."""
        if not isinstance(node.value, dict):
            self.error(node.line, f"{prefix.rstrip('.') or what}: expected a mapping of fields, got {describe(node)}")
            return {}
        out: dict[str, Any] = {}
        for key, child in node.value.items():
            if key not in fields:
                self.error(child.line, f"{prefix}{key}: unknown field for {what}{nearest_keys(key, fields)}")
                continue
            if child.value is None:  # `key:` left empty means "not given"
                if fields[key].required:
                    self.error(child.line, f"{prefix}{key}: is empty; give a value")
                continue
            try:
                out[key] = fields[key].parse(child)
            except Invalid as exc:
                for problem in (exc, *exc.others):
                    self.error(problem.line or child.line, f"{prefix}{key}: {problem.message}")
        for key, spec in fields.items():
            if spec.required and key not in node.value:
                hint = f" ({spec.hint})" if spec.hint else ""
                article = "an" if key[0] in "aeio" else "a"
                self.error(node.line, f"{prefix}{key}: missing; {what} needs {article} '{key}' field{hint}")
        return out


def describe(node: Node) -> str:
    """Name a value's kind and text for a message."""
    v = node.value
    if isinstance(v, dict):
        return "a mapping"
    if isinstance(v, list):
        return "a list"
    if v is None:
        return "nothing"
    raw = node.raw if node.raw is not None else str(v)
    return f"'{raw}'" if len(raw) <= 60 else f"'{raw[:57]}…'"


# --- value parsers: each takes a Node and returns a value or raises Invalid ------------


def text(node: Node) -> str:
    """Read a single line or paragraph of text (numbers, dates and yes/no words are kept as written)."""
    if isinstance(node.value, (dict, list)):
        raise Invalid(f"expected text, got {describe(node)}")
    # YAML 1.1 reads `title: Yes` or `area: On` as a boolean; as text it is the word written.
    value = node.raw if node.raw is not None and not isinstance(node.value, str) else node.value
    value = str(value).strip()
    if not value:
        raise Invalid("is empty; give a value")
    return value


VERSION_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]*")  # always used with fullmatch


def version(node: Node) -> str:
    """Read a release version as written (`1.2`, `'1.2'` and `14.8.23` alike)."""
    value = text(node)
    if not VERSION_RE.fullmatch(value) or ".." in value:
        raise Invalid(f"'{value}' is not a usable version: use letters, digits, '.', '-', '_' or '+'")
    return value


def boolean(node: Node) -> bool:
    """Read true or false; refuse YAML 1.1's yes/no/on/off, which read as true or false silently."""
    v = node.value
    if isinstance(v, bool):
        if (node.raw or "").lower() in ("true", "false"):
            return v
        raise Invalid(f"'{node.raw}' is not true or false (old YAML reads it as {str(v).lower()}); write true or false")
    # A quoted "true" is what the editor meant: take it rather than argue about quotes.
    if isinstance(v, str) and v.strip().lower() in ("true", "false"):
        return v.strip().lower() == "true"
    raise Invalid(f"expected true or false, got {describe(node)}")


def whole_number(node: Node) -> int:
    """Read a non-negative whole number."""
    v = node.value
    if isinstance(v, bool) or not isinstance(v, int):
        raise Invalid(f"expected a whole number, got {describe(node)}")
    if v < 0:
        raise Invalid(f"expected a number of 0 or more, got {v}")
    return v


def positive_number(node: Node) -> int:
    """Read a whole number of 1 or more."""
    value = whole_number(node)
    if value < 1:
        raise Invalid(f"expected a number of 1 or more, got {value}")
    return value


def web_url(node: Node) -> str:
    """Read an absolute http(s) link."""
    value = text(node)
    if not re.fullmatch(r"https?://[^\s/$.?#][^\s]*", value, re.IGNORECASE):
        raise Invalid(f"'{value}' is not a web link; write the full address starting with https://")
    return value


def one_of(*choices: str) -> Callable[[Node], str]:
    """Make a parser that accepts one of `choices`."""

    def parse(node: Node) -> str:
        value = text(node)
        if value not in choices:
            raise Invalid(f"'{value}' is not one of {', '.join(choices)}{did_you_mean(value, choices)}")
        return value

    return parse


def moment(tz: tzinfo) -> Callable[[Node], datetime]:
    """Make a parser for a date or timestamp; a date alone is midnight in `tz`."""

    def parse(node: Node) -> datetime:
        v = node.value
        if isinstance(v, str):
            v = _date_from_text(v.strip())
        if isinstance(v, datetime):
            return v.replace(tzinfo=tz) if v.tzinfo is None else v
        if isinstance(v, date):
            return datetime.combine(v, time(0), tz)
        raise Invalid(f"expected a date like 2026-11-20, got {describe(node)}")

    return parse


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")


def _date_from_text(value: str) -> date | datetime | str:
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value):
        year, month, day = (int(x) for x in m.groups())
        if not 1 <= month <= 12:
            raise Invalid(f"'{value}' is not a date in the calendar (there is no month {month}); write YYYY-MM-DD")
        days = calendar.monthrange(year, month)[1]
        if not 1 <= day <= days:
            name = MONTHS[month - 1]
            raise Invalid(f"'{value}' is not a date in the calendar ({name} {year} has {days} days); check the day and the month")
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return date.fromisoformat(value)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?", value):
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        pass
    return value


def list_of(item: Callable[[Node], Any], non_empty: bool = False) -> Callable[[Node], tuple]:
    """Make a parser for a list (a single value counts as a list of one)."""

    def parse(node: Node) -> tuple:
        items = node.value if isinstance(node.value, list) else [node]
        if non_empty and not items:
            raise Invalid("is an empty list; give at least one")
        out, problems = [], []
        for i, child in enumerate(items):
            try:
                out.append(item(child))
            except Invalid as exc:
                problems.append(Invalid(f"item {i + 1}: {exc.message}", exc.line or child.line))
        if problems:
            raise Invalid(problems[0].message, problems[0].line, tuple(problems[1:]))
        return tuple(out)

    return parse
