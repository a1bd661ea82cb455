"""Suggestion ids written in plain text ("tested the S-1028 fix") -> links to their pages.

Ids are file names in any script (`S-1028`, `建议-7`), so an id is recognised only when
it is one the site publishes, as a whole token: `S-10` inside `S-1028` is not one.
"""

from __future__ import annotations

import re
from typing import Callable, Collection, Iterable

from markupsafe import Markup, escape

from . import urls

# A token that could be an id: letters, digits, `-`, `_` and `.` in any script, as in a
# file name, but not ending in a `.` (the end of a sentence).
_TOKEN = re.compile(r"[\w.-]*\w")


def mentioned(texts: Iterable[str], ids: Collection[str]) -> tuple[str, ...]:
    """List the ids among `ids` (a set, for speed) that the texts mention, sorted."""
    return tuple(sorted({t for text in texts for t in _TOKEN.findall(text) if t in ids}))


def link_mentions(text: str, ids: Iterable[str], link: Callable[[str], str]) -> Markup:
    """Escape `text`, linking each of `ids` it mentions to its suggestion page through `link`."""
    wanted = set(ids)
    out, last = [], 0
    for m in _TOKEN.finditer(text):
        if m.group() in wanted:
            out.append(escape(text[last : m.start()]))
            out.append(Markup('<a href="{}">{}</a>').format(link(urls.suggestion(m.group())), m.group()))
            last = m.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)
