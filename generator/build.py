"""build(config) -> BuildReport: the whole pipeline, in the order the data flows.

load config -> discover files -> parse documents -> assemble the site -> recognise
contributors -> plan pages -> render what changed (in parallel) -> write (stage, then
apply). The build cache (cache.py) lets a rebuild skip every step whose inputs did not
change; a clean build (`cache=False`) gives byte-identical output.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from . import cache as cachemod
from . import search
from .config import SiteConfig, load_config
from .documents import FileResult, parse
from .errors import Diagnostics, SourceLocation
from .honor import Honors, honor
from .pages import Page, check_collisions, plan
from .recognition import Recognition, recognize
from .assets import asset_files
from .render import render_site
from .site import Site, assemble
from .sources import discover
from .theme import static_files, theme_dirs
from .writer import Transaction, check_out_dir


@dataclass
class BuildReport:
    """What a build or check did, for the command line to print."""

    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    pages: int = 0
    feeds: int = 0
    files: int = 0  # files in the output
    rendered: int = 0  # pages and feeds rendered by this build (the rest were unchanged)
    changed: int = 0  # files written by this build
    seconds: float = 0.0
    out: Path | None = None
    written: bool = False
    unchanged: bool = False  # nothing had changed since the last build: nothing was done
    site: Site | None = None
    phases: dict[str, float] = field(default_factory=dict)  # seconds per stage, in pipeline order

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
    parsed: dict[str, FileResult]


class BadEnvironment(ValueError):
    """An environment variable cocreate reads is not usable (a usage error)."""


def build_date() -> datetime:
    """The moment that decides which dated releases are due: SOURCE_DATE_EPOCH, else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return datetime.now(timezone.utc)
    if not epoch.isdigit():
        raise BadEnvironment(f"SOURCE_DATE_EPOCH={epoch!r} must be a whole number of seconds since 1970")
    return datetime.fromtimestamp(int(epoch), timezone.utc)


def load(
    config_path: Path,
    diagnostics: Diagnostics,
    report: BuildReport | None = None,
    cached: dict[str, FileResult] | None = None,
    drafts: bool = False,
    now: datetime | None = None,
    config: SiteConfig | None = None,
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
    parsed = parse(discover(config.site_dir, diagnostics), config, diagnostics, cached)
    t = report.timed("parse", t)
    site = assemble(parsed.documents, config, diagnostics, parsed.broken_versions, now or build_date(), drafts)
    recognition = recognize(site)
    honors = honor(site, recognition)
    t = report.timed("assemble", t)
    pages = plan(site, recognition, honors)
    check_collisions(pages, diagnostics)
    for story in site.unpublished:
        if story.status == "approved" and not story.consent:
            diagnostics.warning(
                SourceLocation(story.origin.path, story.origin.line("status")),
                "approved but not published: set 'consent: true' once the author has agreed",
            )
    report.timed("plan", t)
    return Loaded(config, site, recognition, honors, pages, parsed.results)


def check(config_path: Path) -> BuildReport:
    """Validate the site and report; write nothing."""
    started = time.perf_counter()
    report = BuildReport()
    loaded = load(config_path, report.diagnostics, report)
    if loaded is not None:
        report.site = loaded.site
        report.pages = len(loaded.pages)
    report.seconds = time.perf_counter() - started
    return report


def build(
    config_path: Path,
    out: Path | None = None,
    strict: bool = False,
    use_cache: bool = True,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    drafts: bool = False,
    search_index: bool = True,
) -> BuildReport:
    """Validate, render and write the site; on any error leave the old output untouched.

    `progress(done, total)` hears how rendering goes; `drafts` shows future releases and
    stories awaiting moderation (for the preview only); `search_index=False` skips
    Pagefind (a quick local build whose search page finds nothing). Raises OutputRefused when `out`
    would overwrite the site's own files.
    """
    started = t = time.perf_counter()
    report = BuildReport()
    site_dir = config_path.parent
    out_dir = out if out is not None else site_dir / "_site"
    check_out_dir(out_dir, site_dir)
    report.out = out_dir
    jobs = jobs or os.cpu_count() or 1

    now = build_date()
    config = load_config(config_path, Diagnostics())
    key = cachemod.build_key(config_path, theme_dirs(config)) if config and use_cache else ""
    # One cache per config file and per kind of build: site.yml and site.zh-CN.yml in one
    # folder, or a preview and a build, never reuse each other's work.
    profile = ("preview-" if drafts else "build-") + config_path.stem
    inputs = cachemod.inputs_digest(site_dir, key, out_dir) if key else ""
    last = cachemod.load_shortcut(site_dir, profile) if inputs else None
    if (
        last is not None
        and (last.key, last.inputs, last.out_dir) == (key, inputs, str(out_dir.resolve()))
        and not (last.next_due is not None and last.next_due <= now)
        and (last.indexed or not search_index)
        and cachemod.outputs_intact(last.sizes, out_dir)
    ):
        report.diagnostics.extend(last.warnings)
        report.unchanged = report.written = not (strict and last.warnings)
        report.files = len(last.sizes)
        report.timed("unchanged", t)
        report.seconds = time.perf_counter() - started
        return report
    store = cachemod.load(site_dir, key, profile) if key else cachemod.BuildCache(cachemod.folder_for(site_dir), "", profile=profile)

    loaded = load(config_path, report.diagnostics, report, store.parsed, drafts, now, config)
    store.indexed = store.indexed and cachemod.incremental_possible(store, out_dir)
    if loaded is None or report.diagnostics.has_errors():
        report.seconds = time.perf_counter() - started
        return report
    report.site = loaded.site
    t = time.perf_counter()
    incremental = cachemod.incremental_possible(store, out_dir)
    transaction = Transaction(out_dir, incremental)
    try:
        rendered = render_site(
            loaded.site, loaded.recognition, loaded.pages, store if incremental else cachemod.BuildCache(store.folder, key, markdown=store.markdown),
            out_dir, transaction.put, jobs, progress,
        )
        report.diagnostics.extend(rendered.diagnostics.items)
        records = dict(rendered.records)
        written = set(rendered.written)
        for path, (data, source) in asset_files(loaded.site, static_files(theme_dirs(loaded.config))).items():
            if path in records:  # e.g. an image named index.html beside a story
                report.diagnostics.error(SourceLocation(source, 1), f"would write {path}, which a page already writes; rename the file")
                continue
            record = cachemod.OutputRecord.of_file(data)
            old = store.outputs.get(path) if incremental else None
            if old is None or old.digest != record.digest or not cachemod.outputs_intact({path: record.size}, out_dir):
                transaction.put(path, data)
                written.add(path)
            records[path] = record
        t = report.timed("render", t)
        report.pages, report.feeds, report.rendered = rendered.counts["pages"], rendered.counts["feeds"], rendered.counts["rendered"]
        if report.diagnostics.has_errors() or (strict and report.diagnostics.warnings):
            transaction.abort()
            report.seconds = time.perf_counter() - started
            return report
        stale = set(store.outputs) - set(records) if incremental else set()
        changed_html = any(p.endswith(".html") for p in written | stale) or not incremental
        index = search_index and (changed_html or not store.indexed)
        if index:
            finish = lambda folder: search.index(folder, loaded.config)  # noqa: E731
        elif changed_html:
            finish = search.remove  # an index of older pages could still show a rejected story
        else:
            finish = None
        transaction.commit(stale, finish=finish)
        store.indexed = index or (store.indexed and not changed_html)
    except BaseException:
        transaction.abort()
        raise
    report.timed("write", t)
    report.written, report.files, report.changed = True, len(records), len(written) + len(stale)

    if key:
        store.parsed, store.outputs, store.out_dir = loaded.parsed, records, str(out_dir.resolve())
        store.inputs = inputs  # as read before building: a file saved meanwhile is not "built"
        store.warnings = tuple(report.diagnostics.items)
        store.next_due = loaded.site.next_due
        cachemod.save(store)
    report.seconds = time.perf_counter() - started
    return report
