"""One configured Markdown pipeline, always followed by an allow-list HTML sanitiser.

Editors' bodies (releases, suggestions, profiles) and the public's (stories) both go
through nh3 (the Rust `ammonia` sanitiser). Stories get the strict profile: no raw
images from other hosts, links marked `nofollow ugc noopener`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

import markdown
import nh3

EXTENSIONS = ("extra", "sane_lists", "smarty")

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "dl", "dt", "em",
    "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
    "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"align"},
    "th": {"align"},
    "code": {"class"},
    "ol": {"start"},
}
_SCHEMES = {"http", "https", "mailto"}


def _story_attribute(element: str, attribute: str, value: str) -> str | None:
    # A story's images come from https or from its own folder: never another scheme,
    # never a path that climbs out ('..') or starts at the root.
    if element == "img" and attribute == "src":
        if value.lower().startswith("https://"):
            return value
        if re.match(r"^[A-Za-z0-9_][A-Za-z0-9_./-]*$", value) and ".." not in value:
            return value
        return None
    return value


@dataclass
class Markup:
    """Markdown -> safe HTML, with a cache by content hash (one per build or worker)."""

    cache: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._md = markdown.Markdown(extensions=list(EXTENSIONS), output_format="html")

    def render(self, text: str, untrusted: bool = False) -> str:
        """Convert Markdown to sanitised HTML; `untrusted` for anything the public wrote."""
        key = hashlib.sha1(f"{int(untrusted)}\0{text}".encode("utf-8")).hexdigest()
        html = self.cache.get(key)
        if html is None:
            html = self._md.reset().convert(text)
            html = sanitize(html, untrusted)
            self.cache[key] = html
        return html


def sanitize(html: str, untrusted: bool) -> str:
    """Keep only allow-listed tags, attributes and URL schemes."""
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_SCHEMES,
        link_rel="nofollow ugc noopener" if untrusted else "noopener",
        attribute_filter=_story_attribute if untrusted else None,
        strip_comments=True,
    )


def plain_text(html: str) -> str:
    """Strip all markup, for summaries and reading time."""
    return " ".join(nh3.clean(html, tags=set()).split())


_LINK_ATTR = re.compile(r'(\s(?:href|src)=")([^"]*)(")')


def absolute_links(html: str, page_url: str) -> str:
    """Rewrite relative links against the page's absolute URL (feed readers have no base)."""
    return _LINK_ATTR.sub(lambda m: m.group(1) + urljoin(page_url, m.group(2).replace("&amp;", "&")).replace("&", "&amp;") + m.group(3), html)
