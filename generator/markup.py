"""One configured Markdown pipeline, always followed by an allow-list HTML sanitiser.

Editors' bodies (releases, suggestions, profiles) and the public's (stories) both go
through nh3 (the Rust `ammonia` sanitiser). Stories get the strict profile: images only
from https:// or the story's own folder, links marked `nofollow ugc noopener`, and a
`class` only where it names a code block's language.

On top of nh3's scheme check, a URL is dropped when a lenient reader could still find a
scheme we do not allow in it: once entities are decoded, the text NFKC-normalised and
every space, control and invisible format character removed (`java\tscript:`,
`java&#8203;script:`, full-width `ｊａｖａｓｃｒｉｐｔ:`). Browsers today treat most of
those as harmless relative paths, but feed readers and old engines vary, and no real
link is written that way.
"""

from __future__ import annotations

import hashlib
import html as htmllib
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urljoin

import markdown
import nh3

EXTENSIONS = ("extra", "sane_lists")  # no "smarty": it doubled the time for typographic quotes

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


_URL_ATTRIBUTES = {"href", "src", "cite", "action", "formaction", "poster", "background"}
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_LANGUAGE_CLASS = re.compile(r"language-[A-Za-z0-9_+#.-]+")


def hidden_scheme(value: str) -> bool:
    """Tell whether a URL, read leniently, names a scheme other than http, https or mailto."""
    text = unicodedata.normalize("NFKC", htmllib.unescape(value))
    compact = "".join(ch for ch in text if not (ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf")))
    found = _SCHEME.match(compact)
    return found is not None and found.group(1).lower() not in _SCHEMES


def _editor_attribute(element: str, attribute: str, value: str) -> str | None:
    if attribute in _URL_ATTRIBUTES and hidden_scheme(value):
        return None
    return value


def _story_attribute(element: str, attribute: str, value: str) -> str | None:
    if attribute in _URL_ATTRIBUTES and hidden_scheme(value):
        return None
    # A class could borrow the theme's own styles (.skip, .site-header…): a story keeps
    # only the language of a code block.
    if attribute == "class":
        kept = [c for c in value.split() if element == "code" and _LANGUAGE_CLASS.fullmatch(c)]
        return " ".join(kept) or None
    # A story's images come from https or from its own folder: never another scheme,
    # never a path that climbs out ('..') or starts at the root.
    if element == "img" and attribute == "src":
        if value.lower().startswith("https://"):
            return value
        if re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_./-]*", value) and ".." not in value:
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
        attribute_filter=_story_attribute if untrusted else _editor_attribute,
        strip_comments=True,
    )


_LINK_ATTR = re.compile(r'(\s(?:href|src)=")([^"]*)(")')


def absolute_links(html: str, page_url: str) -> str:
    """Rewrite relative links against the page's absolute URL (feed readers have no base)."""
    return _LINK_ATTR.sub(lambda m: m.group(1) + urljoin(page_url, m.group(2).replace("&amp;", "&")).replace("&", "&amp;") + m.group(3), html)
