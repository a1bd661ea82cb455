"""Suggestion ids written in plain text ("tested the S-1028 fix") -> links to their pages.

Ids are file names in any script (`S-1028`, `建议-7`), so an id is recognised only when
it is one the site publishes, standing whole: `S-10` inside `S-1028` is not one. Chinese
runs on without spaces ("翻译了建议-7"), so an id may also start or end next to a CJK
character, each of which is a word of its own.
"""

from __future__ import annotations

import re
from typing import Callable, Collection, Iterable, Iterator

from markupsafe import Markup, escape

from . import urls

# A run of characters an id could be made of: letters, digits, `-`, `_` and `.` in any
# script, as in a file name, but not ending in a `.` (the end of a sentence).
_TOKEN = re.compile(r"[\w.-]*\w")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _spans(text: str, ids: Collection[str]) -> Iterator[tuple[int, int]]:
    """Yield where the ids stand in `text`, left to right, the longest first where two overlap."""
    for m in _TOKEN.finditer(text):
        token, base = m.group(), m.start()
        cjk = [bool(_CJK.match(c)) for c in token]
        cuts = [0] + [k for k in range(1, len(token)) if cjk[k - 1] or cjk[k]] + [len(token)]
        at = 0
        for i, begin in enumerate(cuts[:-1]):
            if begin < at:
                continue
            end = next((e for e in reversed(cuts[i + 1 :]) if token[begin:e] in ids), None)
            if end is not None:
                yield base + begin, base + end
                at = end


def mentioned(texts: Iterable[str], ids: Collection[str]) -> tuple[str, ...]:
    """List the ids among `ids` (a set, for speed) that the texts mention, sorted."""
    return tuple(sorted({text[a:b] for text in texts for a, b in _spans(text, ids)}))


def link_mentions(text: str, ids: Collection[str], link: Callable[[str], str]) -> Markup:
    """Escape `text`, linking each of `ids` it mentions to its suggestion page through `link`."""
    out, last = [], 0
    for a, b in _spans(text, ids):
        out.append(escape(text[last:a]))
        out.append(Markup('<a href="{}">{}</a>').format(link(urls.suggestion(text[a:b])), text[a:b]))
        last = b
    out.append(escape(text[last:]))
    return Markup("").join(out)
