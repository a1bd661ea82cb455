"""Markdown -> safe HTML, as GitHub shows it: one pure function with bounded work.

`convert(text, untrusted=…, limits=…)` parses CommonMark with GitHub's additions
(tables, strikethrough, task lists, bare-URL autolinks) using markdown-it-py, adjusts
the tokens (heading levels, dropped links, task boxes), renders, and sanitises with nh3
(the Rust `ammonia` sanitiser) as the last step for editors' and stories' bodies alike.
It returns plain data: the HTML, the relative links it holds (for the link check) and
the problems an editor should hear about, each with its line in the body.

Stories get the strict profile: images only from https:// or the story's own folder,
links marked `nofollow ugc noopener`, and a `class` only where it names a code block's
language. On top of nh3's scheme check, a URL is dropped when a lenient reader could
still find a scheme we do not allow in it: once entities are decoded, the text
NFKC-normalised and every space, control and invisible format character removed
(`java\\tscript:`, `java&#8203;script:`, full-width `ｊａｖａｓｃｒｉｐｔ:`). Browsers today
treat most of those as harmless relative paths, but feed readers and old engines vary,
and no real link is written that way.
"""

from __future__ import annotations

import functools
import hashlib
import html as htmllib
import re
import unicodedata
from importlib.metadata import version
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urljoin

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.tasklists import tasklists_plugin

from .config import Limits
from .htmltags import html_depth, html_tags

# What the output depends on besides the text: this module's code and the libraries'
# versions. A digest of it is part of every body's cache key.
RENDERER = hashlib.blake2b(
    Path(__file__).read_bytes()
    + Path(__file__).with_name("htmltags.py").read_bytes()
    + " ".join(version(p) for p in ("markdown-it-py", "mdit-py-plugins", "linkify-it-py", "nh3")).encode(),
    digest_size=8,
).hexdigest()

TOP_HEADING = 2  # every template shows a body right under the page's own <h1>
INLINE_NESTING = 20  # markdown-it's CommonMark default; deeper costs time on `[[[[…`
MAX_HTML_DEPTH = 1000  # far beyond any real page (hostile stories nest 600 <b><i>), yet linear work
TASK_BOXES = {False: "☐", True: "☑"}  # GitHub's task boxes, as text: no <input> in a page

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
    "td": {"align", "style"},
    "th": {"align", "style"},
    "code": {"class"},
    "ol": {"start"},
}
_SCHEMES = {"http", "https", "mailto"}
_CONTENT_DROPPED = {"script", "style"}  # nh3 removes these with what is inside them

_URL_ATTRIBUTES = {"href", "src", "cite", "action", "formaction", "poster", "background"}
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_LANGUAGE_CLASS = re.compile(r"language-[A-Za-z0-9_+#.-]+")
_TABLE_ALIGN = re.compile(r"text-align:\s*(left|right|center);?")
_BREAK = re.compile(r"[\x00-\x20\x7f]")


class Problem(NamedTuple):
    """Something an editor should fix: its line offset in the body, and whether it stops the build."""

    line: int
    message: str
    error: bool = False


class Converted(NamedTuple):
    """What a body became: HTML, relative link targets (line offset, target, "a" or "img"), problems."""

    html: str
    links: tuple[tuple[int, str, str], ...]
    problems: tuple[Problem, ...]


def body_key(text: str, untrusted: bool, limits: Limits) -> str:
    """Digest everything a conversion depends on: renderer, trust, limits and text."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{RENDERER}\0{int(untrusted)}\0{limits.max_body_kb}\0{limits.max_nesting}\0".encode())
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def hidden_scheme(value: str) -> bool:
    """Tell whether a URL, read leniently, names a scheme other than http, https or mailto."""
    text = unicodedata.normalize("NFKC", htmllib.unescape(value))
    compact = "".join(ch for ch in text if not (ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf")))
    found = _SCHEME.match(compact)
    return found is not None and found.group(1).lower() not in _SCHEMES


def url_problem(value: str) -> str | None:
    """Say why a link's address may not be published, or None when it may."""
    if hidden_scheme(value):
        return "only http:, https: and mailto: addresses may be linked"
    if _BREAK.search(htmllib.unescape(value).strip()):
        return "the address holds a line break, tab or space; write it on one line and use %20 for a space"
    return None


def relative(value: str) -> bool:
    """Tell whether a link leads somewhere inside this site (no scheme, not `//host`, not `#here`)."""
    return bool(value) and not _SCHEME.match(value) and not value.startswith(("//", "#", "?"))


@functools.lru_cache(maxsize=4)
def _parsers(max_nesting: int) -> tuple[MarkdownIt, MarkdownIt]:
    """Build the block and inline parsers for a nesting limit (once per process: 0.5 ms each).

    Not shared between threads: linkify keeps a little state while it matches.
    """

    def make(nesting: int) -> MarkdownIt:
        md = MarkdownIt("commonmark", {"html": True, "linkify": True, "maxNesting": nesting})
        # Every link becomes a link token, so a refused address (javascript:, irc:) is
        # dropped in one place (_adjust_inline), its text kept and the editor told.
        md.validateLink = lambda url: True
        return md.enable(["table", "strikethrough", "linkify"]).use(tasklists_plugin)

    # Lists open two levels (list, item) per depth; room for one more than allowed, so a
    # body one too deep is seen (and reported) rather than cut off by markdown-it.
    block, inline = make(2 * max_nesting + 4), make(INLINE_NESTING)

    def inline_rule(state) -> None:  # markdown-it's own, with the tighter inline limit
        for token in state.tokens:
            if token.type == "inline":
                token.children = []
                inline.inline.parse(token.content, inline, state.env, token.children)

    block.core.ruler.at("inline", inline_rule)
    return block, inline


def convert(text: str, *, untrusted: bool, limits: Limits = Limits()) -> Converted:
    """Convert a Markdown body to sanitised HTML; never raises, whatever the text."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limits.max_body_bytes:
        return _refused(
            0,
            f"the text is {-(-size // 1024):,} KB, more than the {limits.max_body_kb:,} KB a page may hold; "
            "shorten it or split it (or raise limits.max_body_kb in site.yml)",
        )
    block, _ = _parsers(limits.max_nesting)
    try:
        tokens = block.parse(text)
    except RecursionError:  # bounded by maxNesting; this is the last line of defence
        return _refused(0, f"lists or quotes are nested too deeply; use at most {limits.max_nesting} levels")
    deep = _too_deep(tokens, limits.max_nesting)
    if deep is not None:
        return _refused(deep, f"lists or quotes are nested more than {limits.max_nesting} levels deep here; "
                        "flatten them (or raise limits.max_nesting in site.yml)")
    problems: list[Problem] = []
    links: list[tuple[int, str, str]] = []
    _adjust(tokens, untrusted, problems, links)
    html = block.renderer.render(tokens, block.options, {})
    # html5ever's time grows with the depth of open elements times the tags that follow
    # (<blockquote> × 200,000 took 5 minutes): bounding the depth keeps it linear.
    if html_depth(html, stop=MAX_HTML_DEPTH) > MAX_HTML_DEPTH:
        return _refused(0, f"HTML tags are nested more than {MAX_HTML_DEPTH:,} deep; close the tags you open")
    html = _unwrap_bare_links(sanitize(html, untrusted)).rstrip("\n")
    return Converted(html, tuple(links), tuple(sorted(set(problems))))


def _refused(line: int, message: str) -> Converted:
    return Converted("", (), (Problem(line, message, error=True),))


def _too_deep(tokens: list[Token], limit: int) -> int | None:
    """Return the line offset where lists or quotes first nest deeper than `limit`."""
    depth, line = 0, 0
    for token in tokens:
        line = token.map[0] if token.map else line
        if token.type in ("bullet_list_open", "ordered_list_open", "blockquote_open"):
            depth += 1
            if depth > limit:
                return line
        elif token.type in ("bullet_list_close", "ordered_list_close", "blockquote_close"):
            depth -= 1
    return None


def _adjust(tokens: list[Token], untrusted: bool, problems: list[Problem], links: list[tuple[int, str, str]]) -> None:
    """Shift headings, drop unsafe links, turn task boxes into text, note raw HTML tags dropped."""
    outline: list[tuple[int, int]] = []  # (level written, level shown) of the open sections
    line = 0
    for i, token in enumerate(tokens):
        line = token.map[0] if token.map else line
        if token.type == "heading_open":
            # Each heading one level below the section it is in: `#` under the page's <h1>
            # becomes <h2>, and a skipped level (## then ####) closes up, so the outline is valid.
            written = int(token.tag[1])
            while outline and outline[-1][0] >= written:
                outline.pop()
            shown = min(6, outline[-1][1] + 1 if outline else TOP_HEADING)
            outline.append((written, shown))
            token.tag = tokens[i + 2].tag = f"h{shown}"
        elif token.type == "html_block":
            _raw_html(token.content, line, untrusted, problems, links)
        elif token.type == "inline" and token.children is not None:
            task = i >= 2 and (tokens[i - 2].attrGet("class") or "").startswith("task-list-item")
            token.children = _adjust_inline(token.children, line, task, untrusted, problems, links)


def _adjust_inline(
    children: list[Token], line: int, task: bool, untrusted: bool, problems: list[Problem], links: list[tuple[int, str, str]]
) -> list[Token]:
    kept: list[Token] = []
    dropped_links: list[bool] = []
    for n, child in enumerate(children):
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif task and n == 0 and child.type == "html_inline":
            box = Token("text", "", 0)
            box.content = TASK_BOXES["checked" in child.content]
            child = box
        elif child.type == "html_inline":
            _raw_html(child.content, line, untrusted, problems, links)
            line += child.content.count("\n")
        elif child.type == "link_open":
            href = child.attrGet("href") or ""
            reason = url_problem(href)
            dropped_links.append(reason is not None)
            if reason is not None:
                if child.markup != "linkify":  # text that only looked like an address: nothing to report
                    problems.append(Problem(line, f"link to '{_shown(href)}' left out, its text kept: {reason}"))
                continue
            if relative(href):
                links.append((line, href, "a"))
        elif child.type == "link_close":
            if dropped_links and dropped_links.pop():
                continue
        elif child.type == "image":
            src = child.attrGet("src") or ""
            reason = url_problem(src)
            if reason is not None:
                problems.append(Problem(line, f"image '{_shown(src)}' left out: {reason}"))
                continue
            if relative(src):
                links.append((line, src, "img"))
        kept.append(child)
    return kept


_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+)""")


def _raw_html(content: str, line: int, untrusted: bool, problems: list[Problem], links: list[tuple[int, str, str]]) -> None:
    """Report what the sanitiser will drop from HTML written in the body, and note its links."""
    reported: set[str] = set()
    at, counted = line, 0
    for offset, closing, name, attributes in html_tags(content):
        at, counted = at + content.count("\n", counted, offset), offset
        name = name.lower()
        if closing:
            continue
        if name not in _TAGS and not untrusted and name not in reported:
            reported.add(name)
            what = "with what is inside it" if name in _CONTENT_DROPPED else "its text is kept"
            problems.append(Problem(at, f"<{name}> is not allowed in a page and was left out ({what}); use Markdown instead"))
        if name not in _TAGS:
            continue
        for attribute, quoted in _ATTRIBUTE.findall(attributes):
            attribute = attribute.lower()
            if attribute not in ("href", "src"):
                continue
            value = htmllib.unescape(quoted.strip("\"'"))
            reason = url_problem(value)
            if reason is not None:
                if name == "a":
                    problems.append(Problem(at, f"link to '{_shown(value)}' left out, its text kept: {reason}"))
                else:
                    problems.append(Problem(at, f"{'image' if name == 'img' else f'<{name}>'} '{_shown(value)}' left out: {reason}"))
            elif relative(value.strip()):
                links.append((at, value.strip(), "img" if attribute == "src" else "a"))


def _shown(url: str) -> str:
    """Quote a URL in a message on one line, however it was written."""
    flat = " ".join(url.split())
    return flat if len(flat) <= 60 else flat[:57] + "…"


def _editor_attribute(element: str, attribute: str, value: str) -> str | None:
    if attribute in _URL_ATTRIBUTES and url_problem(value):
        return None
    if attribute == "style":  # a table column's alignment, and nothing else
        found = _TABLE_ALIGN.fullmatch(value.strip())
        return f"text-align:{found.group(1)}" if found else None
    return value


def _story_attribute(element: str, attribute: str, value: str) -> str | None:
    if attribute in _URL_ATTRIBUTES and url_problem(value):
        return None
    if attribute == "style":  # the public may not style the page, even a table column
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


_A_TAG = re.compile(r'<a\b(?:[^>"]|"[^"]*")*>|</a>')  # nh3 double-quotes every attribute; a value may hold '>'


def _unwrap_bare_links(html: str) -> str:
    """Remove <a> tags the sanitiser left without an address, keeping their text.

    Only tags are removed, from nh3's own well-formed output (links never nest there),
    so nothing the sanitiser refused can come back.
    """
    bare = False

    def keep(tag: re.Match) -> str:
        nonlocal bare
        if tag.group(0) == "</a>":
            return "" if bare else tag.group(0)
        bare = ' href="' not in tag.group(0)
        return "" if bare else tag.group(0)

    return _A_TAG.sub(keep, html)


class Markup:
    """Convert bodies on demand, remembering each by its key (for templates that call `markdown`)."""

    def __init__(self, cache: dict[str, str] | None = None):
        self.cache = cache if cache is not None else {}

    def render(self, text: str, untrusted: bool = False, limits: Limits = Limits()) -> str:
        """Convert Markdown to sanitised HTML; `untrusted` for anything the public wrote."""
        key = body_key(text, untrusted, limits)
        html = self.cache.get(key)
        if html is None:
            html = self.cache[key] = convert(text, untrusted=untrusted, limits=limits).html
        return html


_LINK_ATTR = re.compile(r'(\s(?:href|src)=")([^"]*)(")')


def absolute_links(html: str, page_url: str) -> str:
    """Rewrite relative links against the page's absolute URL (feed readers have no base)."""
    return _LINK_ATTR.sub(lambda m: m.group(1) + urljoin(page_url, m.group(2).replace("&amp;", "&")).replace("&", "&amp;") + m.group(3), html)
