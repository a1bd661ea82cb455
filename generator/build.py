"""build(config) -> BuildReport: the whole pipeline, in the order the data flows.

load config -> discover files -> parse documents -> assemble the site -> recognise
contributors -> plan pages -> render what changed (in parallel) -> stage the whole new
output -> index it for search -> swap it in. Every build reads and parses every file;
the cache (cache.py) only lets a build keep output files whose recorded inputs are the
same, and skip everything when no input changed. A clean build (`use_cache=False`)
gives byte-identical output.
"""

from __future__ import annotations

import os
import stat
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from . import cache as cachemod
from . import unchanged
from . import languages, search
from .assets import asset_files, asset_sources
from .bodies import Memo, check_links, convert_bodies, convert_missing, known_urls
from .cache import OutputRecord, State
from .config import SiteConfig, load_config
from .documents import parse
from .errors import Diagnostics, SourceLocation
from .honor import Honors, honor
from .pages import Page, check_collisions, plan
from .recognition import Recognition, recognize
from .render import on_disk, render_site
from .share import attach, reword
from .site import Site, assemble
from .sources import discover
from .theme import static_files, theme_dirs
from .theme_check import check_theme
from .writer import MARKER, Transaction, check_out_dir


@dataclass
class BuildReport:
    """What a build or check did, for the command line to print."""

    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    pages: int = 0
    feeds: int = 0
    cards: int = 0  # share cards (PNG), one per shareable page
    files: int = 0  # files in the output
    rendered: int = 0  # pages, feeds and cards rendered by this build (the rest were unchanged)
    changed: int = 0  # files written by this build
    seconds: float = 0.0
    out: Path | None = None
    written: bool = False
    unchanged: bool = False  # nothing had changed since the last build: nothing was done
    site: Site | None = None
    phases: dict[str, float] = field(default_factory=dict)  # seconds per stage, in pipeline order
    messages: list[str] = field(default_factory=list)  # about the build itself, not the content (e.g. the cache)
    awaiting: int | None = None  # stories awaiting moderation (None: no unpublished story at all)

    def timed(self, phase: str, started: float) -> float:
        """Record the time since `started` under `phase`; return now."""
        now = time.perf_counter()
        self.phases[phase] = self.phases.get(phase, 0.0) + now - started
        return now


@dataclass(frozen=True)
class Loaded:
    config: SiteConfig
    site: Site
    recognition: Recognition
    honors: Honors
    pages: list[Page]


class BadEnvironment(ValueError):
    """An environment variable cocreate reads is not usable (a usage error)."""


EPOCH_MAX = 253402300799  # 9999-12-31T23:59:59Z, the last moment a date can name


def build_date() -> datetime:
    """The moment that decides which dated releases are due: SOURCE_DATE_EPOCH, else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not epoch:
        return datetime.now(timezone.utc)
    # ASCII digits only: str.isdigit() and int() also take other scripts' digits ('٣٤٥').
    if not (epoch.isascii() and epoch.isdigit()) or int(epoch) > EPOCH_MAX:
        raise BadEnvironment(
            f"SOURCE_DATE_EPOCH={epoch!r} must be a whole number of seconds since 1970 "
            f"(ASCII digits, at most {EPOCH_MAX}), e.g. the output of: git log -1 --format=%ct"
        )
    return datetime.fromtimestamp(int(epoch), timezone.utc)


def load(
    config_path: Path,
    diagnostics: Diagnostics,
    report: BuildReport | None = None,
    drafts: bool = False,
    now: datetime | None = None,
    config: SiteConfig | None = None,
    memo: Memo | None = None,
    jobs: int = 1,
) -> Loaded | None:
    """Validate everything: config, files, documents, references, URLs. Build nothing.

    Releases dated after `now` (default: `build_date()`) are drafts, shown only when
    `drafts` is true (the preview).
    """
    report = report or BuildReport(diagnostics)
    t = time.perf_counter()
    config = config or load_config(config_path, diagnostics)  # a given config was read already
    if config is None:
        return None
    diagnostics.extend(check_theme(config))  # the site's own templates compile; overrides override something
    parsed = parse(discover(config.site_dir, diagnostics), config, diagnostics)
    t = report.timed("parse", t)
    site = assemble(parsed.documents, config, diagnostics, parsed.broken_versions, now or build_date(), drafts)
    t = report.timed("assemble", t)
    # Every body a page shows, converted before anything is planned, so check reports
    # exactly what build renders; conversions are kept between builds by their text.
    memo = memo if memo is not None else cachemod.BodyMemo(cachemod.Stored(None))
    convert_missing(site, config, memo, jobs)
    site = replace(site, bodies=convert_bodies(site, config, diagnostics, memo))
    t = report.timed("markdown", t)
    recognition = recognize(site)
    honors = honor(site, recognition)
    t = report.timed("assemble", t)
    pages = attach(plan(site, recognition, honors), site, recognition, diagnostics)  # share cards, links, badges
    check_collisions(pages, diagnostics)
    copied = asset_sources(site, static_files(theme_dirs(config)))
    check_links(site.bodies, known_urls([p.url for p in pages] + [f.url for p in pages for f in p.feeds], copied), diagnostics)
    for story in site.unpublished:
        if story.status == "approved" and not story.consent:
            diagnostics.warning(
                SourceLocation(story.origin.path, story.origin.line("status")),
                "approved but not published: set 'consent: true' once the author has agreed",
            )
    report.timed("plan", t)
    return Loaded(config, site, recognition, honors, pages)


def awaiting(site: Site) -> int | None:
    """Count the stories awaiting moderation (None when no story is unpublished at all)."""
    return sum(1 for s in site.unpublished if s.status == "submitted") if site.unpublished else None


def open_cache(config_path: Path, config: SiteConfig, profile: str, cache_dir: Path | None, report: BuildReport) -> tuple[Path | None, str]:
    """Find and check this site's cache folder; (None, "") when it may not be used (one message)."""
    try:
        folder = cachemod.site_folder(cachemod.root_folder(cache_dir), config_path, profile)
        if cachemod.committed(folder, config.site_dir):
            raise cachemod.Untrusted(f"the cache folder {folder} holds files committed to the site's repository")
        folder = cachemod.prepare(folder)
    except cachemod.Untrusted as exc:
        report.messages.append(f"warning: building without a cache: {exc}")
        return None, ""
    except OSError as exc:
        report.messages.append(f"warning: building without a cache: {exc.strerror or exc} ({exc.filename or 'cache folder'})")
        return None, ""
    named = tuple(config.site_dir / f.path for f in config.appearance.files())
    if config.card_font:  # the site's own card font: by its bytes, like the appearance files
        font = Path(config.card_font)
        named += ((font if font.is_absolute() else config.site_dir / font),)
    return folder, unchanged.build_key(config_path, theme_dirs(config), named)


def check(config_path: Path, cache_dir: Path | None = None, use_cache: bool = True) -> BuildReport:
    """Validate the site and report; write nothing (but reuse what a build found, if nothing changed)."""
    started = time.perf_counter()
    report = BuildReport()
    config = load_config(config_path, report.diagnostics)
    if config is None:
        report.seconds = time.perf_counter() - started
        return report
    now = build_date()
    stored = cachemod.Stored(None)
    if use_cache:
        folder, key = open_cache(config_path, config, "build", cache_dir, report)
        if folder is not None:
            state, stored = cachemod.read(folder, key)
            if state.inputs and state.inputs == unchanged.inputs_digest(config.site_dir, key) and unchanged.in_window(state.window, now):
                stored.close()
                report.diagnostics.extend(state.diagnostics)
                report.pages, report.unchanged, report.awaiting = state.pages, True, state.awaiting
                report.seconds = time.perf_counter() - started
                return report
    loaded = load(config_path, report.diagnostics, report, now=now, config=config,
                  memo=cachemod.BodyMemo(stored), jobs=os.cpu_count() or 1)
    stored.close()
    if loaded is not None:
        report.site, report.pages, report.awaiting = loaded.site, len(loaded.pages), awaiting(loaded.site)
        if not report.diagnostics.has_errors():
            # One page of each kind and one feed of each kind, rendered and thrown away:
            # a template that fails shows here once, not on Friday once per page.
            for edition in languages.editions(loaded.config):  # a catalog can break a template too
                rehearsal = render_site(
                    *edition_of(loaded, edition), {},
                    Path(os.devnull), lambda path, data: ("", len(data)), lambda path: False, 1, sample=True,
                )
                report.diagnostics.extend([d for d in rehearsal.diagnostics.items if d not in report.diagnostics.items])
    report.seconds = time.perf_counter() - started
    return report


def default_out(config_path: Path) -> Path:
    """Name the output folder of a config without --out: _site/ for site.yml, _site-<name>/ for another.

    Derived from the config file's name, so building a second config of the same site
    (`site.zh-CN.yml` -> `_site-zh-CN/`) never replaces the first one's output.
    """
    stem = config_path.name.rsplit(".", 1)[0] if "." in config_path.name else config_path.name
    name = stem.removeprefix("site").lstrip(".-_")
    return config_path.parent / (f"_site-{name}" if name else "_site")


def build(
    config_path: Path,
    out: Path | None = None,
    strict: bool = False,
    use_cache: bool = True,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    drafts: bool = False,
    search_index: bool = True,
    cache_dir: Path | None = None,
) -> BuildReport:
    """Validate, render and write the site; on any error leave the old output untouched.

    `progress(done, total)` hears how rendering goes; `drafts` shows future releases and
    stories awaiting moderation (for the preview only); `search_index=False` skips
    Pagefind (a quick local build whose search page finds nothing). Raises OutputRefused
    when `out` is a folder cocreate must not replace.
    """
    started = t = time.perf_counter()
    report = BuildReport()
    site_dir = config_path.parent
    out_dir = (out if out is not None else default_out(config_path)).absolute()
    check_out_dir(out_dir, site_dir)
    report.out = out_dir
    jobs = jobs or os.cpu_count() or 1
    now = build_date()
    config = load_config(config_path, report.diagnostics)
    if config is None:
        report.seconds = time.perf_counter() - started
        return report

    folder, key, state = None, "", State()
    if use_cache:
        folder, key = open_cache(config_path, config, "preview" if drafts else "build", cache_dir, report)
    bodies = cachemod.Stored(None)
    inputs = ""
    if folder is not None:
        state, bodies = cachemod.read(folder, key)
        inputs = unchanged.inputs_digest(site_dir, key)
        if state.out != str(out_dir.resolve()):
            state = replace(state, outputs={}, indexed=False)  # records of another folder say nothing here
        elif (
            state.inputs == inputs
            and state.indexed == search_index
            and unchanged.in_window(state.window, now)
            and unchanged.output_intact(out_dir, state.outputs, MARKER)
        ):
            bodies.close()
            report.diagnostics.extend(state.diagnostics)
            report.unchanged = report.written = not (strict and report.diagnostics.warnings)
            report.files, report.pages = len(state.outputs), state.pages
            report.timed("unchanged", t)
            report.seconds = time.perf_counter() - started
            return report
    report.timed("cache", t)

    loaded = load(config_path, report.diagnostics, report, drafts=drafts, now=now, config=config,
                  memo=cachemod.BodyMemo(bodies), jobs=jobs)
    if loaded is None or report.diagnostics.has_errors():
        bodies.close()
        report.seconds = time.perf_counter() - started
        return report
    report.site, report.awaiting = loaded.site, awaiting(loaded.site)
    t = time.perf_counter()
    transaction = Transaction(out_dir)
    try:
        records, written = write_outputs(loaded, state, out_dir, transaction, jobs, progress, report)
        t = report.timed("render", t)
        if report.diagnostics.has_errors() or (strict and report.diagnostics.warnings):
            transaction.abort()
            bodies.close()
            report.seconds = time.perf_counter() - started
            return report
        finish = None
        if search_index:
            html_before = {p for p in state.outputs if p.endswith(".html")}
            html_changed = any(p.endswith(".html") for p in written) or html_before != {p for p in records if p.endswith(".html")}
            kept = {p: r for p, r in state.outputs.items() if p.startswith(search.BUNDLE + "/")}
            if not html_changed and state.indexed and kept and all(on_disk(out_dir, p, r) and transaction.keep(p) for p, r in kept.items()):
                records.update(kept)
            else:
                finish = lambda folder: search.index(folder, loaded.config)  # noqa: E731
        transaction.commit(finish)
    except BaseException:
        transaction.abort()
        bodies.close()
        raise
    report.timed("write", t)
    if finish is not None:  # the new search bundle: recorded like any other output file
        for path in sorted((out_dir / search.BUNDLE).rglob("*")):
            if path.is_file() and not path.is_symlink():
                records[path.relative_to(out_dir).as_posix()] = OutputRecord.of_file(path.read_bytes())
    records = stamped(records, out_dir)
    report.written, report.files = True, len(records)
    report.changed = len(written) + len(set(state.outputs) - set(records))

    if folder is not None:
        if unchanged.inputs_digest(site_dir, key) != inputs:  # a file saved while building: not what was built
            inputs = ""
        window = tuple(unchanged.moment(m) for m in loaded.site.window)
        new_state = State(inputs, window, tuple(report.diagnostics.items), records, search_index, str(out_dir.resolve()), report.pages, report.awaiting)
        cachemod.write(folder, key, new_state, bodies)
    bodies.close()
    report.seconds = time.perf_counter() - started
    return report


def edition_of(loaded: Loaded, edition: SiteConfig) -> tuple[Site, Recognition, list[Page]]:
    """The site, recognition and pages one language's edition renders, its share cards worded in its language."""
    site = replace(loaded.site, config=edition)
    pages = languages.edition_pages(loaded.pages, edition)
    return site, loaded.recognition, (reword(pages, site, loaded.recognition) if edition.prefix else pages)


def write_outputs(
    loaded: Loaded, state: State, out_dir: Path, transaction: Transaction, jobs: int,
    progress: Callable[[int, int], None] | None, report: BuildReport,
) -> tuple[dict[str, OutputRecord], set[str]]:
    """Stage every page, feed and copied file of every language: rendered anew, or kept from the output as it is."""
    records: dict[str, OutputRecord] = {}
    written: set[str] = set()
    copied = asset_files(loaded.site, static_files(theme_dirs(loaded.config)))
    every = languages.editions(loaded.config)
    for n, edition in enumerate(every):
        # Each language's edition is a whole site in its own folder ("" for the first), its
        # output files recorded like any other, so an edition is kept or redone page by page.
        prefix = edition.prefix
        # One bar for all editions (they render about as many units each).
        tick = None if progress is None else lambda done, total, n=n: progress(n * total + done, len(every) * total)
        rendered = render_site(
            *edition_of(loaded, edition),
            {p[len(prefix):]: r for p, r in state.outputs.items() if p.startswith(prefix)}, out_dir / prefix,
            lambda path, data, prefix=prefix: transaction.put(prefix + path, data),
            lambda path, prefix=prefix: transaction.keep(prefix + path), jobs, tick,
        )
        # A template mistake breaks every edition alike: say it once.
        report.diagnostics.extend([d for d in rendered.diagnostics.items if d not in report.diagnostics.items])
        report.pages += rendered.counts["pages"]
        report.feeds += rendered.counts["feeds"]
        report.cards += rendered.counts["cards"]
        report.rendered += rendered.counts["rendered"]
        records.update({prefix + p: r for p, r in rendered.records.items()})
        written.update(prefix + p for p in rendered.written)
        # Every edition carries the theme's files and the content's images, so the
        # relative links of its pages and bodies work in its folder as in the root's.
        for path, (data, source) in copied.items():
            path = prefix + path
            if path in records:  # e.g. an image named index.html beside a story
                if not prefix:
                    report.diagnostics.error(SourceLocation(source, 1), f"would write {path}, which a page already writes; rename the file")
                continue
            record = OutputRecord.of_file(data)
            old = state.outputs.get(path)
            if old is not None and old.digest == record.digest and on_disk(out_dir, path, old) and transaction.keep(path):
                records[path] = old
            else:
                transaction.put(path, data)
                written.add(path)
                records[path] = record
    return records, written


def stamped(records: dict[str, OutputRecord], out_dir: Path) -> dict[str, OutputRecord]:
    """Note how each output file sits on disk now, so the next build can trust it at a glance."""
    out = {}
    for path, record in records.items():
        try:
            info = os.lstat(out_dir / path)
        except OSError:
            continue  # gone already: the next build makes it again
        if stat.S_ISREG(info.st_mode):
            out[path] = replace(record, stamp=(info.st_ctime_ns, info.st_ino))
    return out
