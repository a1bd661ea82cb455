"""Pages and feeds -> output files: only what changed, on every core.

Each output unit (a page, or a feed in its three formats) has a fingerprint of its
template and its context. While a unit renders, the global lookups its templates make
(`people[h]`, `standings[h]`, `site.canonical(h)`, …) are recorded with a digest of
what they returned. The next build reuses the unit's file untouched when its
fingerprint and every recorded lookup are the same and the file is still there.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from . import feeds as feedmod
from . import urls
from .cache import BuildCache, OutputRecord
from .errors import Diagnostic, Diagnostics, SourceLocation
from .fingerprint import Fingerprinter
from .markup import Markup, absolute_links
from .pages import Page
from .recognition import Recognition
from .site import Site
from .theme import TemplateProblem, Theme, load_theme

PARALLEL_FROM = 48  # units to render before forking workers pays off


@dataclass(frozen=True)
class Unit:
    """One thing to render: a page or a feed, and the files it writes."""

    key: str
    paths: tuple[str, ...]
    fingerprint: str
    page: Page | None = None
    feed: feedmod.Feed | None = None


@dataclass(frozen=True)
class Done:
    """A rendered unit: its files' digests and sizes, and the lookups it made."""

    key: str
    files: tuple[tuple[str, str, int], ...]  # (path, digest, size)
    reads: tuple[tuple[str, str, str], ...]


@dataclass
class Lookups:
    """The global lookups made while rendering the current unit."""

    current: set[tuple[str, str]] = field(default_factory=set)


class Recorded(Mapping):
    """A read-only mapping for templates that records each key looked up."""

    def __init__(self, name: str, data: Mapping, lookups: Lookups):
        self._name, self._data, self._lookups = name, data, lookups

    def __getitem__(self, key: str) -> Any:
        self._lookups.current.add((self._name, key))
        return self._data[key]

    def __iter__(self) -> Iterator:
        self._lookups.current.add((self._name, "*"))
        return iter(self._data)

    def __len__(self) -> int:
        self._lookups.current.add((self._name, "*"))
        return len(self._data)


class SiteView:
    """The Site as templates see it: every method call and attribute read is recorded."""

    def __init__(self, site: Site, lookups: Lookups):
        self._site, self._lookups = site, lookups

    def canonical(self, handle: str) -> str:
        self._lookups.current.add(("canonical", handle))
        return self._site.canonical(handle)

    def shipped_in(self, version: str) -> tuple:
        self._lookups.current.add(("shipped_in", version))
        return self._site.shipped_in(version)

    @property
    def config(self) -> Any:
        return self._site.config  # in the cache key already: nothing to record

    def __getattr__(self, name: str) -> Any:
        self._lookups.current.add(("site", name))
        return getattr(self._site, name)


@dataclass
class LookupDigests:
    """Digests of what recorded lookups return in this build, each computed once."""

    site: Site
    recognition: Recognition
    fingerprint: Fingerprinter
    memo: dict[tuple[str, str], str] = field(default_factory=dict)

    def __call__(self, name: str, key: str) -> str:
        found = self.memo.get((name, key))
        if found is None:
            found = self.memo[(name, key)] = lookup_digest(self.site, self.recognition, name, key, self.fingerprint)
        return found


def lookup_digest(site: Site, recognition: Recognition, name: str, key: str, fingerprint: Fingerprinter) -> str:
    """Digest what a recorded lookup returns now."""
    try:
        if name == "people":
            return fingerprint(dict(site.people) if key == "*" else site.people[key])
        if name == "standings":
            return fingerprint(dict(recognition.standings) if key == "*" else recognition.standings[key])
        if name == "canonical":
            return site.canonical(key)
        if name == "shipped_in":
            return fingerprint(site.shipped_in(key))
        if name == "site":
            return fingerprint(getattr(site, key))
    except (KeyError, AttributeError):
        return "missing"
    except TypeError:
        # Something a custom template reads that has no stable digest (e.g. a method):
        # never equal to itself, so pages using it are simply rendered every time.
        return f"unstable-{time.time_ns()}"
    raise ValueError(f"unknown lookup {name!r}")


@dataclass
class Renderer:
    """Everything a process needs to render units; a forked worker inherits it whole."""

    site: Site
    recognition: Recognition
    theme: Theme
    markup: Markup
    lookups: Lookups
    put: Callable[[str, bytes], tuple[str, int]]
    digests: LookupDigests
    bodies: dict[str, tuple[str, frozenset]] = field(default_factory=dict)  # feed item id -> (html, lookups)

    def render(self, unit: Unit) -> Done | Diagnostic:
        """Render one unit and write its files with `put`."""
        self.lookups.current = set()
        try:
            if unit.page is not None:
                page = unit.page
                html = self.theme.render(page.template, {"page": page, **page.context})
                outputs = {unit.paths[0]: html.encode("utf-8")}
            else:
                outputs = feedmod.serialize(unit.feed, self.site.config, self.feed_body)
        except TemplateProblem as exc:
            where = template_path(exc.template, self.site.config.site_dir)
            return Diagnostic(SourceLocation(where, exc.line), f"template error: {exc.message} (while building {exc.page})")
        reads = tuple(sorted(self.lookups.current))
        files = tuple((path, *self.put(path, data)) for path, data in outputs.items())
        return Done(unit.key, files, tuple((n, k, self.digests(n, k)) for n, k in reads))

    def feed_body(self, item: feedmod.FeedItem) -> str:
        """Render a feed item's HTML once per process; its lookups count for every feed using it."""
        if item.id not in self.bodies:
            outer, self.lookups.current = self.lookups.current, set()
            # Rendered as if on the item's own page, then made absolute against that page.
            template = f"feed_{item.kind}.html"
            html = self.theme.render(template, {"page": Page(item.url, template, item.kind), "item": item.subject})
            html = absolute_links(html, self.site.config.absolute(urls.encode(item.url)))
            self.bodies[item.id] = (html, frozenset(self.lookups.current))
            self.lookups.current = outer
        html, reads = self.bodies[item.id]
        self.lookups.current |= reads
        return html


def template_path(name: str, site_dir: Path) -> str:
    """Name a template as an editor finds it: from the site folder, or themes/<name>/… when shipped."""
    path = Path(name)
    try:
        return path.resolve().relative_to(site_dir.resolve()).as_posix()
    except ValueError:
        parts = path.parts
        return "/".join(parts[parts.index("themes"):]) if "themes" in parts else name


def units(pages: list[Page], feeds: list[feedmod.Feed], fingerprint: Fingerprinter) -> tuple[list[Unit], list[Unit]]:
    """Make the page units and the feed units, each with its fingerprint."""
    page_units = [
        Unit(
            urls.output_file(p.url),
            (urls.output_file(p.url),),
            fingerprint((p.template, p.url, p.title, p.context, p.feeds, p.draft)),
            page=p,
        )
        for p in pages
    ]
    feed_units = [
        Unit(
            "feed:" + f.name,
            tuple(urls.output_file(urls.feed(f.name, ext)) for ext in ("xml", "atom", "json")),
            fingerprint(f),
            feed=f,
        )
        for f in feeds
    ]
    return page_units, feed_units


def reusable(unit: Unit, cache: BuildCache, out_dir: Path, digests: LookupDigests) -> bool:
    """Tell whether a unit's files from the last build can stay as they are."""
    for path in unit.paths:
        record = cache.outputs.get(path)
        if record is None or record.fingerprint != unit.fingerprint:
            return False
        if any(digests(name, key) != was for name, key, was in record.reads):
            return False
        try:
            if os.stat(out_dir / path).st_size != record.size:
                return False
        except OSError:
            return False
    return True


# The one module-level variable in cocreate: it hands forked workers their Renderer and
# units without pickling a Jinja environment. Set only around a pool, in the parent.
_JOB: tuple[Renderer, list[Unit]] | None = None


def _work(indices: list[int]) -> tuple[list[Done | Diagnostic], dict[str, str]]:
    renderer, todo = _JOB  # type: ignore[misc]
    known = set(renderer.markup.cache)
    results = [renderer.render(todo[i]) for i in indices]
    return results, {k: v for k, v in renderer.markup.cache.items() if k not in known}


Progress = Callable[[int], None]  # called with the number of units just finished


def run(renderer: Renderer, todo: list[Unit], jobs: int, progress: Progress | None = None) -> list[Done | Diagnostic]:
    """Render units, in forked workers when there are many; merge their Markdown back."""
    global _JOB
    tick = progress or (lambda n: None)
    if jobs <= 1 or len(todo) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        out = []
        for unit in todo:
            out.append(renderer.render(unit))
            tick(1)
        return out
    pieces = max(jobs * 4, len(todo) // 100)  # small pieces: even load, frequent progress
    chunks = [list(range(i, len(todo), pieces)) for i in range(pieces)]
    _JOB = (renderer, todo)
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            out: list[Done | Diagnostic] = []
            for results, markdown in pool.imap_unordered(_work, [c for c in chunks if c]):
                out.extend(results)
                renderer.markup.cache.update(markdown)
                tick(len(results))
    finally:
        _JOB = None
    return out


@dataclass
class Rendered:
    records: dict[str, OutputRecord]  # every output path -> how it was made
    written: set[str]  # paths written by this build
    diagnostics: Diagnostics
    counts: dict[str, int]


def render_site(
    site: Site,
    recognition: Recognition,
    pages: list[Page],
    cache: BuildCache,
    out_dir: Path,
    put: Callable[[str, bytes], tuple[str, int]],
    jobs: int,
    progress: Callable[[int, int], None] | None = None,
) -> Rendered:
    """Render every page and feed that changed; write each file with `put`.

    `progress(done, total)` hears how far rendering got (for a progress bar).
    """
    markup = Markup(cache.markdown)
    lookups = Lookups()
    globals_ = {
        "site": SiteView(site, lookups),
        "people": Recorded("people", site.people, lookups),
        "standings": Recorded("standings", recognition.standings, lookups),
        "levels": site.config.levels,
        "points": site.config.points,
    }
    theme = load_theme(site.config, markup, globals_)
    fingerprint = Fingerprinter()
    digests = LookupDigests(site, recognition, fingerprint)
    renderer = Renderer(site, recognition, theme, markup, lookups, put, digests)
    feeds = feedmod.collect(site, theme.gettext)
    page_units, feed_units = units(pages, feeds, fingerprint)
    records: dict[str, OutputRecord] = {}
    written: set[str] = set()
    diagnostics = Diagnostics()
    counts = {"pages": len(page_units), "feeds": len(feed_units), "rendered": 0}

    todo_by_group = []
    for group in (page_units, feed_units):
        todo = []
        for unit in group:
            if reusable(unit, cache, out_dir, digests):
                records.update({p: cache.outputs[p] for p in unit.paths})
            else:
                todo.append(unit)
        todo_by_group.append(todo)
    total = sum(map(len, todo_by_group))
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, total)

    # Pages first, so the feeds' workers inherit every Markdown body already converted.
    for todo in todo_by_group:
        fingerprints = {u.key: u.fingerprint for u in todo}
        for result in run(renderer, todo, jobs, tick):
            if isinstance(result, Diagnostic):
                diagnostics.items.append(result)
                continue
            for path, file_digest, size in result.files:
                records[path] = OutputRecord(fingerprints[result.key], result.reads, file_digest, size)
                written.add(path)
        counts["rendered"] += len(todo)
    return Rendered(records, written, diagnostics, counts)
