"""build(config) -> BuildReport: the whole pipeline, in the order the data flows.

load config -> discover files -> parse documents -> assemble the site -> recognise
contributors -> plan pages -> render pages and feeds -> write (temp folder, then swap).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from . import feeds as feedmod
from . import urls
from .config import SiteConfig, load_config
from .documents import parse
from .errors import Diagnostics, SourceLocation
from .markup import Markup, absolute_links
from .pages import Page, check_collisions, plan
from .honor import Honors, honor
from .recognition import Recognition, recognize
from .site import Site, assemble
from .sources import discover
from .theme import TemplateProblem, Theme, load_theme
from .writer import check_out_dir, write


@dataclass
class BuildReport:
    """What a build or check did, for the command line to print."""

    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    pages: int = 0
    feeds: int = 0
    files: int = 0
    seconds: float = 0.0
    out: Path | None = None
    written: bool = False
    site: Site | None = None


@dataclass(frozen=True)
class Loaded:
    config: SiteConfig
    site: Site
    recognition: Recognition
    honors: Honors
    pages: list[Page]


def load(config_path: Path, diagnostics: Diagnostics) -> Loaded | None:
    """Validate everything: config, files, documents, references, URLs. Build nothing."""
    config = load_config(config_path, diagnostics)
    if config is None:
        return None
    parsed = parse(discover(config.site_dir, diagnostics), config, diagnostics)
    site = assemble(parsed.documents, config, diagnostics, parsed.broken_versions)
    recognition = recognize(site)
    honors = honor(site, recognition)
    pages = plan(site, recognition, honors)
    check_collisions(pages, [], diagnostics)
    for story in site.unpublished:
        if story.status == "approved" and not story.consent:
            diagnostics.warning(
                SourceLocation(story.origin.path, story.origin.line("status")),
                "approved but not published: set 'consent: true' once the author has agreed",
            )
    return Loaded(config, site, recognition, honors, pages)


def check(config_path: Path) -> BuildReport:
    """Validate the site and report; write nothing."""
    started = time.perf_counter()
    report = BuildReport()
    loaded = load(config_path, report.diagnostics)
    if loaded is not None:
        report.site = loaded.site
        report.pages = len(loaded.pages)
    report.seconds = time.perf_counter() - started
    return report


def build(config_path: Path, out: Path | None = None, strict: bool = False) -> BuildReport:
    """Validate, render and write the site; on any error leave the old output untouched.

    Raises OutputRefused when `out` would overwrite the site's own files.
    """
    started = time.perf_counter()
    report = BuildReport()
    out_dir = out if out is not None else config_path.parent / "_site"
    check_out_dir(out_dir, config_path.parent)
    report.out = out_dir
    loaded = load(config_path, report.diagnostics)
    if loaded is None or report.diagnostics.has_errors():
        report.seconds = time.perf_counter() - started
        return report
    report.site = loaded.site
    files = render(loaded, report)
    failed = report.diagnostics.has_errors() or (strict and report.diagnostics.warnings)
    if not failed:
        write(files, out_dir)
        report.written = True
        report.files = len(files)
    report.seconds = time.perf_counter() - started
    return report


def render(loaded: Loaded, report: BuildReport) -> dict[str, bytes]:
    """Render every page, feed and asset into output file -> bytes."""
    config, site, recognition = loaded.config, loaded.site, loaded.recognition
    markup = Markup()
    theme = load_theme(
        config,
        markup,
        {"site": site, "people": site.people, "standings": recognition.standings, "levels": config.levels, "points": config.points},
    )
    files: dict[str, bytes] = {}
    reported: set[tuple[str, int, str]] = set()

    def problem(exc: TemplateProblem) -> None:
        if (exc.template, exc.line, exc.message) not in reported:
            reported.add((exc.template, exc.line, exc.message))
            name = _relative(Path(exc.template), config.site_dir)
            report.diagnostics.error(SourceLocation(name, exc.line), f"template error: {exc.message} (while building {exc.page})")

    for page in loaded.pages:
        try:
            html = theme.render(page.template, {"page": page, **page.context})
        except TemplateProblem as exc:
            problem(exc)
            continue
        files[urls.output_file(page.url)] = html.encode("utf-8")
    report.pages = len(loaded.pages)

    bodies: dict[str, str] = {}  # one item (a status change) can be in several feeds

    def body(item: feedmod.FeedItem) -> str:
        # Rendered as if on the item's own page, then made absolute against that page.
        if item.id not in bodies:
            template = f"feed_{item.kind}.html"
            html = theme.render(template, {"page": Page(item.url, template, item.kind), "item": item.subject})
            bodies[item.id] = absolute_links(html, config.absolute(urls.encode(item.url)))
        return bodies[item.id]

    for feed in feedmod.collect(site, recognition, theme.gettext):
        try:
            files.update(feedmod.serialize(feed, config, body))
            report.feeds += 1
        except TemplateProblem as exc:
            problem(exc)
    files.update(_assets(theme, loaded, config))
    return files


def _assets(theme: Theme, loaded: Loaded, config: SiteConfig) -> Mapping[str, bytes]:
    files = {f"assets/{rel}": path.read_bytes() for rel, path in theme.static_files().items()}
    for handle, person in loaded.site.people.items():
        profile = person.profile
        if profile and profile.avatar and not profile.avatar.startswith("https://") and not person.anonymous:
            files[urls.output_file(urls.avatar(handle, profile.avatar))] = (config.site_dir / profile.avatar).read_bytes()
    for story in loaded.site.stories:
        if story.cover:
            files[urls.output_file(urls.cover(story.slug, story.cover))] = (config.site_dir / story.cover).read_bytes()
        for src, path in story.images:
            files[urls.output_file(urls.story(story.slug) + src)] = (config.site_dir / path).read_bytes()
    return files


def _relative(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
