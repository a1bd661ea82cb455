"""Every published body converted up front, once, before pages are planned.

`convert_bodies(site, …)` turns each body that some page shows into sanitised HTML and
reports its problems at their file lines, so `cocreate check` runs exactly the
rendering `cocreate build` runs. Templates then only look the HTML up (theme.py).
`check_links(bodies, known_urls, …)` runs once the pages are planned: a relative link
that leads to no page or file of the site is a warning at its line.
"""

from __future__ import annotations

import multiprocessing
import posixpath
import re
import unicodedata
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Iterable, Iterator, Mapping, Protocol
from urllib.parse import unquote, urljoin, urlsplit

from . import urls
from .config import Limits, SiteConfig
from .errors import Diagnostics, SourceLocation
from .markup import Converted, body_key, convert
from .model import Document, Story
from .site import Site

__all__ = ["Bodies", "Link", "Memo", "body_key", "check_links", "convert_bodies", "convert_missing", "known_urls", "shown_bodies", "shown_images"]


class Memo(Protocol):
    """Somewhere to keep conversions between builds, by `body_key`."""

    def get(self, key: str) -> Converted | None:
        """Return the conversion stored under `key`, or None."""

    def put(self, key: str, converted: Converted) -> None:
        """Store a conversion under `key`."""


@dataclass(frozen=True)
class Link:
    """A relative link written in a body: where it stands and the page it is shown on."""

    path: str  # the content file
    line: int  # its line in the file
    target: str  # as written (percent-encoded by the Markdown parser)
    page: str  # site path of the page showing the body


@dataclass(frozen=True)
class Bodies:
    """The HTML of every body some page shows, by content file, and the links they hold."""

    html: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    links: tuple[Link, ...] = ()
    base_path: str = "/"

    def get(self, document: Document) -> str | None:
        """Return a document's converted body, or None when it was not converted up front."""
        return self.html.get(document.origin.path)


def shown_bodies(site: Site) -> Iterator[tuple[Document, str]]:
    """Yield each document whose body a page shows, with that page's site path."""
    for release in site.releases:
        yield release, urls.release(release.version)
    for suggestion in site.suggestions:
        yield suggestion, urls.suggestion(suggestion.id)
    for handle, person in site.people.items():
        if person.profile is not None and not person.anonymous and handle not in urls.RESERVED_HANDLES:
            yield person.profile, urls.contributor(handle)
    for story in site.stories:
        yield story, urls.story(story.slug)


def convert_bodies(site: Site, config: SiteConfig, diagnostics: Diagnostics, memo: Memo | None = None) -> Bodies:
    """Convert every body a page shows; report its problems at their lines in the file."""
    html: dict[str, str] = {}
    links: list[Link] = []
    for document, page in shown_bodies(site):
        untrusted = isinstance(document, Story)
        key = body_key(document.body, untrusted, config.limits)
        converted = memo.get(key) if memo is not None else None
        if converted is None:
            converted = convert(document.body, untrusted=untrusted, limits=config.limits)
            if memo is not None:
                memo.put(key, converted)
        origin = document.origin
        for problem in converted.problems:
            where = SourceLocation(origin.path, origin.body_line + problem.line)
            (diagnostics.error if problem.error else diagnostics.warning)(where, problem.message)
        html[origin.path] = shown_images(converted.html, document)
        checked = hasattr(document, "images")
        links.extend(
            Link(origin.path, origin.body_line + line, target, page)
            for line, target, kind in converted.links
            # the images beside a document were each checked when it was read (documents.py): said once
            if not (kind == "img" and checked)
        )
    return Bodies(MappingProxyType(html), tuple(links), config.base_path)


def _convert(job: tuple[str, bool, Limits]) -> Converted:
    text, untrusted, limits = job
    return convert(text, untrusted=untrusted, limits=limits)


def convert_missing(site: Site, config: SiteConfig, memo: Memo, jobs: int) -> int:
    """Convert, on every core, each shown body the memo does not hold yet; return how many.

    convert() is a pure function of its arguments, so forked workers need nothing but them.
    """
    todo: dict[str, tuple[str, bool, Limits]] = {}
    for document, _ in shown_bodies(site):
        untrusted = isinstance(document, Story)
        key = body_key(document.body, untrusted, config.limits)
        if key not in todo and memo.get(key) is None:
            todo[key] = (document.body, untrusted, config.limits)
    if len(todo) < 64 or jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        done = [_convert(job) for job in todo.values()]
    else:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            done = pool.map(_convert, todo.values(), chunksize=16)
    for key, converted in zip(todo, done):
        memo.put(key, converted)
    return len(todo)


_IMG = re.compile(r'<img\b(?:[^>"]|"[^"]*")*>')  # nh3 double-quotes every attribute; a value may hold '>'
_SRC = re.compile(r'\ssrc="([^"]*)"')


_WEB = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*:|//)")


def shown_images(html: str, document: Document) -> str:
    """Keep only images that will load: from the web, or files checked and copied beside the page.

    An image that is missing, not an image or outside the document's folder was reported
    when the file was read; left in, it would be a broken image (or, in a story, a
    request to wherever it points). A story's images from the web are https only.
    """
    images = getattr(document, "images", None)
    if images is None:
        return html
    untrusted = isinstance(document, Story)
    allowed = {src for src, _ in images}

    def keep(tag: re.Match) -> str:
        src = _SRC.search(tag.group(0))
        if src is None:
            return ""
        value = src.group(1)
        web = value.startswith("https://") if untrusted else _WEB.match(value) is not None
        return tag.group(0) if web or value in allowed else ""

    return _IMG.sub(keep, html)


def known_urls(page_urls: Iterable[str], files: Iterable[str]) -> frozenset[str]:
    """Collect the site paths a link may lead to: pages (and their feeds) and copied files."""
    return frozenset(page_urls) | frozenset("/" + f.lstrip("/") for f in files)


def _normal(path: str) -> str:
    return unicodedata.normalize("NFC", unquote(path))


def check_links(bodies: Bodies, known: Iterable[str], diagnostics: Diagnostics) -> None:
    """Warn about each relative link in a body that leads to no page or file of the site."""
    targets = {_normal(u) for u in known}
    base = bodies.base_path if bodies.base_path.endswith("/") else bodies.base_path + "/"
    for link in bodies.links:
        path = urlsplit(urljoin(link.page, link.target)).path
        if link.target.startswith("/") and base != "/":
            if not path.startswith(base):
                continue  # another site on the same host: not ours to check
            path = "/" + path[len(base):]
        path = _normal(posixpath.normpath(path) + ("/" if path.endswith("/") and path != "/" else ""))
        candidates = {path, path + "/", path.removesuffix("index.html")}
        if not candidates & targets:
            shown = link.target if len(link.target) <= 60 else link.target[:57] + "…"
            diagnostics.warning(
                SourceLocation(link.path, link.line),
                f"the link '{unquote(shown)}' leads to no page or file of this site; "
                "fix the address, or write the full https:// address of another site",
            )
