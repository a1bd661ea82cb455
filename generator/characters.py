"""Characters that XML or HTML cannot carry: found with their line, reported, left out.

XML 1.0 refuses C0 controls other than tab, newline and carriage return, lone
surrogates and U+FFFE/U+FFFF (lxml stops the feed writer on them); HTML counts C1
controls, DEL and the noncharacters as parse errors. None of them shows anything on a
page: they come with text copied out of other programs. So they are removed, with a
warning naming the file and line (an error with `--strict`), rather than failing a
Friday build over a character nobody can see.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable

from .fields import Node

_NONCHARACTERS = "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17))
UNCARRIABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef" + _NONCHARACTERS + "]")

Report = Callable[[int, str], None]  # (1-based file line, message)


def carriable(text: str) -> bool:
    """Tell whether `text` holds no character that XML or HTML cannot carry."""
    # Fast path: every such character is unprintable, and isprintable() is a C loop ten
    # times quicker than the regex. Text with other unprintable characters (a no-break
    # space, an emoji joiner) takes the regex.
    if text.replace("\n", "").replace("\t", "").isprintable():
        return True
    return UNCARRIABLE.search(text) is None


def explain(found: list[str], escaped: bool = False) -> str:
    """Tell an editor which invisible characters were removed from a line, and what to do."""
    codes = ", ".join(dict.fromkeys(f"U+{ord(ch):04X}" for ch in found))
    one = len(set(found)) == 1
    it = "it" if one else "them"
    fix = f"delete the escape that writes {it} from the quoted value" if escaped else f"delete {it} from the file (text copied from other programs brings such characters)"
    return f"invisible character{'' if one else 's'} {codes} removed: pages and feeds cannot hold {it}; {fix}"


def strip(text: str, first_line: int, report: Report) -> str:
    """Remove the characters XML or HTML cannot carry from `text`, reporting each line once."""
    if carriable(text):
        return text
    by_line: dict[int, list[str]] = {}
    for match in UNCARRIABLE.finditer(text):
        by_line.setdefault(first_line + text.count("\n", 0, match.start()), []).append(match.group(0))
    for line, found in by_line.items():
        report(line, explain(found))
    return UNCARRIABLE.sub("", text)


def strip_values(node: Node, report: Report) -> Node:
    """Remove such characters from every text value (written as YAML escapes like "\\b")."""
    value = node.value
    if isinstance(value, dict):
        for key in value:
            if not carriable(key):
                report(value[key].line, explain(UNCARRIABLE.findall(key), escaped=True))
        return replace(node, value={UNCARRIABLE.sub("", k): strip_values(v, report) for k, v in value.items()})
    if isinstance(value, list):
        return replace(node, value=[strip_values(v, report) for v in value])
    if isinstance(value, str) and not carriable(value):
        found = UNCARRIABLE.findall(value)
        report(node.line, explain(found, escaped=True))
        clean = UNCARRIABLE.sub("", value)
        return replace(node, value=clean, raw=UNCARRIABLE.sub("", node.raw) if node.raw is not None else None)
    return node
