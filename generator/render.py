"""Pages and feeds -> output files: only what changed, on every core.

One dependency model, recorded per output: each unit (a page, or a feed in its three
formats) has a fingerprint of its template and its context, computed fresh by every
build from the documents' fields; while it renders, the site-wide values its templates
read (`people[h]`, `standings[h]`, `site.canonical(h)`, …) are recorded with a digest
of what they returned. The next build keeps the unit's files when the fingerprint and
every recorded value are the same and the files in the output still have the recorded
digests; otherwise it renders the unit again. A value that has no stable digest is
recorded as such, and its unit is simply rendered every time.
"""

from __future__ import annotations

import json
import multiprocessing
import multiprocessing.connection
import os
import stat
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from . import feeds as feedmod
from . import urls
from .cache import OutputRecord
from .cards import Card, Painter
from .errors import Diagnostic, Diagnostics, SourceLocation
from .fingerprint import Fingerprinter, digest
from .markup import Markup, absolute_links
from .pages import Page
from .recognition import Recognition
from .reports import report_feed, reports
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
    card: Card | None = None


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

    @contextmanager
    def recording(self) -> Iterator[set[tuple[str, str]]]:
        """Collect the lookups made inside the block (nested blocks add theirs to the outer one)."""
        outer, self.current = self.current, set()
        try:
            yield self.current
        finally:
            inner, self.current = self.current, outer
            outer |= inner


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
        if (name, key) not in self.memo:
            self.memo[(name, key)] = lookup_digest(self.site, self.recognition, name, key, self.fingerprint)
        return self.memo[(name, key)]


UNSTABLE = "unstable"  # a value with no digest: never equal, so its unit is rendered every time


def lookup_digest(site: Site, recognition: Recognition, name: str, key: str, fingerprint: Fingerprinter) -> str:
    """Digest what a recorded lookup returns now (UNSTABLE when it has no stable digest)."""
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
    except TypeError:  # something a custom template reads that has no stable digest (e.g. a method)
        return UNSTABLE
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
    bodies: dict[tuple[str, str], tuple[str, frozenset]] = field(default_factory=dict)  # (item id, kind) -> (html, lookups)
    painter: Painter | None = None

    def render(self, unit: Unit) -> Done | Diagnostic:
        """Render one unit and write its files with `put`."""
        try:
            with self.lookups.recording() as read:
                if unit.page is not None:
                    page = unit.page
                    html = self.theme.render(page.template, {"page": page, **page.context})
                    outputs = {unit.paths[0]: html.encode("utf-8")}
                elif unit.card is not None:
                    outputs = {unit.paths[0]: self.painter.draw(unit.card)}
                else:
                    outputs = feedmod.serialize(unit.feed, self.site.config, self.feed_body)
        except TemplateProblem as exc:
            where = template_path(exc.template, self.site.config.site_dir)
            return Diagnostic(SourceLocation(where, exc.line), f"template error: {exc.message} (while building {exc.page})")
        reads = tuple(sorted(read))
        files = tuple((path, *self.put(path, data)) for path, data in outputs.items())
        return Done(unit.key, files, tuple((n, k, self.digests(n, k)) for n, k in reads))

    def feed_body(self, item: feedmod.FeedItem) -> str:
        """Render a feed item's HTML once per process; its lookups count for every feed using it."""
        if (item.id, item.kind) not in self.bodies:
            with self.lookups.recording() as read:
                # Rendered as if on the item's own page, then made absolute against that page.
                template = f"feed_{item.kind}.html"
                html = self.theme.render(template, {"page": Page(item.url, template, item.kind), "item": item.subject})
                html = absolute_links(html, self.site.config.absolute(urls.encode(item.url)))
            self.bodies[(item.id, item.kind)] = (html, frozenset(read))
        html, reads = self.bodies[(item.id, item.kind)]
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


def on_disk(out_dir: Path, path: str, record: OutputRecord) -> bool:
    """Tell whether the output still holds the file a record describes (its digest, when in doubt)."""
    try:
        info = os.lstat(out_dir / path)
        if not stat.S_ISREG(info.st_mode) or info.st_size != record.size:
            return False
        if (info.st_ctime_ns, info.st_ino) == record.stamp:
            return True
        return digest((out_dir / path).read_bytes()) == record.digest
    except OSError:
        return False


def reusable(unit: Unit, previous: Mapping[str, OutputRecord], out_dir: Path, digests: LookupDigests) -> bool:
    """Tell whether a unit's files from the last build can stay as they are."""
    for path in unit.paths:
        record = previous.get(path)
        if record is None or record.fingerprint != unit.fingerprint:
            return False
        try:
            reads = json.loads(record.reads)
            if any(was == UNSTABLE or digests(str(name), str(key)) != was for name, key, was in reads):
                return False
        except (ValueError, TypeError):  # a record that is not what this build writes
            return False
        if not on_disk(out_dir, path, record):
            return False
    return True


Progress = Callable[[int], None]  # called with the number of units just finished


def _worker(renderer: Renderer, todo: list[Unit], indices: range, conn: multiprocessing.connection.Connection) -> None:
    """Render every unit at `indices` in a forked process, sending results in small batches."""
    try:
        for start in range(0, len(indices), 25):
            conn.send([renderer.render(todo[i]) for i in indices[start:start + 25]])
        conn.send(None)
    finally:
        conn.close()


def run(renderer: Renderer, todo: list[Unit], jobs: int, progress: Progress | None = None) -> list[Done | Diagnostic]:
    """Render units, in forked workers when there are many (bodies were converted up front).

    The workers are forked with the renderer as an argument: they inherit it whole
    (a Jinja environment cannot be pickled), and no module-level state is needed.
    """
    tick = progress or (lambda n: None)
    if jobs <= 1 or len(todo) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        out = []
        for unit in todo:
            out.append(renderer.render(unit))
            tick(1)
        return out
    context = multiprocessing.get_context("fork")
    workers, pipes = [], []
    for n in range(jobs):
        receive, send = context.Pipe(duplex=False)
        worker = context.Process(target=_worker, args=(renderer, todo, range(n, len(todo), jobs), send), daemon=True)
        worker.start()
        send.close()
        workers.append(worker)
        pipes.append(receive)
    out: list[Done | Diagnostic] = []
    try:
        waiting = list(pipes)
        while waiting:
            for conn in multiprocessing.connection.wait(waiting):
                try:
                    message = conn.recv()
                except EOFError:
                    message = None
                    if len(out) < len(todo):
                        raise RuntimeError("a rendering worker stopped unexpectedly") from None
                if message is None:
                    waiting.remove(conn)
                    continue
                out.extend(message)
                tick(len(message))
    finally:
        for worker in workers:
            if worker.is_alive() and len(out) < len(todo):
                worker.kill()
            worker.join()
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
    previous: Mapping[str, OutputRecord],
    out_dir: Path,
    put: Callable[[str, bytes], tuple[str, int]],
    keep: Callable[[str], bool],
    jobs: int,
    progress: Callable[[int, int], None] | None = None,
    sample: bool = False,
) -> Rendered:
    """Render every page and feed that changed with `put`; `keep` the files of the rest.

    `previous` is what the last build recorded (empty for a clean build); `progress(done,
    total)` hears how far rendering got (for a progress bar). `sample` renders only one
    page of each template and one feed of each kind (what `cocreate check` rehearses).
    """
    markup = Markup({})
    lookups = Lookups()
    globals_ = {
        "site": SiteView(site, lookups),
        "people": Recorded("people", site.people, lookups),
        "standings": Recorded("standings", recognition.standings, lookups),
        "levels": site.config.levels,
        "points": site.config.points,
    }
    theme = load_theme(site.config, markup, globals_, site.bodies)
    fingerprint = Fingerprinter()
    digests = LookupDigests(site, recognition, fingerprint)
    renderer = Renderer(site, recognition, theme, markup, lookups, put, digests, painter=Painter(site.config.site_dir, site.config.card_font))
    feeds = feedmod.collect(site, theme.gettext) + [report_feed(site, reports(site, recognition), theme.gettext)]
    if sample:
        pages = list({p.template: p for p in reversed(pages)}.values())
        feeds = list({f.name.split("/")[0]: f for f in reversed(feeds)}.values())
    page_units, feed_units = units(pages, feeds, fingerprint)
    # A card is drawn from its words, font and avatar alone: that is its whole fingerprint.
    cards = [] if sample else [p.context["card"] for p in pages if p.context.get("card") is not None]
    card_units = [Unit("card:" + c.url, (urls.output_file(c.url),), fingerprint(("card", c)), card=c) for c in cards]
    records: dict[str, OutputRecord] = {}
    written: set[str] = set()
    diagnostics = Diagnostics()
    counts = {"pages": len(page_units), "feeds": len(feed_units), "cards": len(card_units), "rendered": 0}

    todo_by_group = []
    for group in (page_units, feed_units, card_units):
        todo = []
        for unit in group:
            if reusable(unit, previous, out_dir, digests) and all(keep(p) for p in unit.paths):
                records.update({p: previous[p] for p in unit.paths})
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

    failed: dict[tuple, list[Diagnostic]] = {}
    for todo in todo_by_group:
        fingerprints = {u.key: u.fingerprint for u in todo}
        for result in run(renderer, todo, jobs, tick):
            if isinstance(result, Diagnostic):
                failed.setdefault((result.location, result.message.split(" (while building ")[0]), []).append(result)
                continue
            for path, file_digest, size in result.files:
                records[path] = OutputRecord(fingerprints[result.key], json.dumps(result.reads), file_digest, size)
                written.add(path)
        counts["rendered"] += len(todo)
    for (location, message), each in sorted(failed.items(), key=lambda kv: (kv[0][0].path, kv[0][0].line)):
        # One template mistake breaks every page using it: say it once, not once per page.
        others = f" and {len(each) - 1} other page{'s' if len(each) > 2 else ''}" if len(each) > 1 else ""
        first = min(d.message for d in each).split(" (while building ")[-1].rstrip(")")
        diagnostics.items.append(Diagnostic(location, f"{message} (while building {first}{others})"))
    return Rendered(records, written, diagnostics, counts)
