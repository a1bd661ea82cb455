"""A small scanner for the HTML written inside Markdown: its tags, and how deep they nest.

It reads tags the way the sanitiser's parser (html5ever) mostly does, but never builds a
tree, so it costs one pass whatever the input. It is used to *report* and to *bound*;
what reaches a page is always decided by the sanitiser itself.
"""

from __future__ import annotations

import re
from typing import Iterator

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
# Opening one of these closes an open one of the same kind, as a browser does (<p>a<p>b).
_SELF_CLOSING_SIBLINGS = frozenset("p li dt dd tr td th option".split())


def html_tags(content: str) -> Iterator[tuple[int, bool, str, str]]:
    """Yield each tag outside comments: (offset, closing, name, attribute text)."""
    text = _COMMENT.sub(lambda m: " " * len(m.group(0)), content)  # same offsets, no tags
    for found in _TAG.finditer(text):
        yield found.start(), found.group(1) == "/", found.group(2), found.group(3)


def html_depth(html: str, stop: int) -> int:
    """Return how deep elements nest in `html` (an upper bound), or `stop + 1` once it passes `stop`."""
    stack: list[str] = []
    for _, closing, name, attributes in html_tags(html):
        name = name.lower()
        if closing:
            if name in stack:
                del stack[len(stack) - 1 - stack[::-1].index(name):]
            continue
        if name in _VOID or attributes.rstrip().endswith("/"):
            continue
        if name in _SELF_CLOSING_SIBLINGS and name in stack:
            del stack[len(stack) - 1 - stack[::-1].index(name):]
        stack.append(name)
        if len(stack) > stop:
            return stop + 1
    return len(stack)
