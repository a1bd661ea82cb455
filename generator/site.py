"""assemble(documents) -> Site: resolve people, link suggestions to releases, group weeks."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING, Iterable, Mapping

from . import about, pace, urls
from .config import SiteConfig
from .errors import Diagnostics, SourceLocation, did_you_mean, one_edit_apart
from .model import Document, PersonRef, Profile, Release, Story, Suggestion
from .roadmap import resolve_plans

if TYPE_CHECKING:
    from .bodies import Bodies

ANONYMOUS_NAME = "Anonymous contributor"


@dataclass(frozen=True)
class Person:
    """Someone credited somewhere or with a profile file; `handle` is canonical."""

    handle: str
    name: str
    profile: Profile | None
    aliases: tuple[str, ...]

    @property
    def anonymous(self) -> bool:
        return bool(self.profile and self.profile.anonymous)


@dataclass(frozen=True)
class Week:
    """An ISO week with at least one release, and what shipped in it."""

    key: str  # "2026-W47"
    releases: tuple[Release, ...]  # newest first
    shipped: tuple[Suggestion, ...]


@dataclass(frozen=True)
class Site:
    """Everything the pages are made from, resolved and linked; read-only."""

    config: SiteConfig
    releases: tuple[Release, ...]  # newest first
    suggestions: tuple[Suggestion, ...]  # by id, S-2 before S-10
    stories: tuple[Story, ...]  # published only, newest first
    unpublished: tuple[Story, ...]  # awaiting moderation, rejected, or without consent
    people: Mapping[str, Person]  # canonical handle -> person (anonymous ones included)
    alias_of: Mapping[str, str]  # alias handle -> canonical handle
    weeks: tuple[Week, ...]  # newest first
    drafts: frozenset[str]  # origin paths of drafts shown (only in a preview)
    window: tuple[datetime | None, datetime | None]  # the site reads the same for any build date in [start, end)
    by_version: Mapping[str, Release]
    shipped: Mapping[str, tuple[Suggestion, ...]]  # version -> suggestions shipped in it
    # Every shown body as HTML, set by bodies.convert_bodies once the site is assembled
    # (None until then: templates then convert a body when they show it).
    bodies: Bodies | None = None

    def shipped_in(self, version: str) -> tuple[Suggestion, ...]:
        return self.shipped.get(version, ())

    def canonical(self, handle: str) -> str:
        """Return the handle a person's credits are merged under."""
        return self.alias_of.get(handle, handle)

    def week_of(self, release: Release) -> str:
        return urls.week_key(release.date.astimezone(self.config.tz).date())


def natural_key(text: str) -> tuple:
    """Sort 'S-2' before 'S-10' and '1.9' before '1.10'."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", text.casefold()))


def assemble(
    documents: Iterable[Document],
    config: SiteConfig,
    diagnostics: Diagnostics,
    broken_versions: frozenset[str] = frozenset(),
    now: datetime | None = None,
    drafts: bool = False,
) -> Site:
    """Link the documents into a Site, reporting dangling references and duplicates.

    References to a release in `broken_versions` (already reported) are not reported
    again. A release dated after `now` is a draft, and so is a story not yet approved
    with consent: a normal build leaves drafts out (a suggestion shipped in a draft
    release is shown as adopted until it is due); a preview (`drafts=True`) shows them,
    and lists them in `Site.drafts` so pages can say so.
    """
    docs = list(documents)
    releases = _unique_releases([d for d in docs if isinstance(d, Release)], diagnostics)
    suggestions = sorted((d for d in docs if isinstance(d, Suggestion)), key=lambda s: natural_key(s.id))
    profiles = sorted((d for d in docs if isinstance(d, Profile)), key=lambda p: p.handle)
    stories = sorted((d for d in docs if isinstance(d, Story)), key=lambda s: (-s.date.timestamp(), s.slug))
    by_version = {r.version: r for r in releases}
    future = {r.version for r in releases if now is not None and r.date > now}
    draft_paths = {by_version[v].origin.path for v in future}
    _report_future(sorted((by_version[v] for v in future), key=lambda r: r.date), now, config, diagnostics)
    if drafts:
        draft_paths |= {s.origin.path for s in stories if not s.published and s.status != "rejected"}
        published = tuple(s for s in stories if s.published or s.origin.path in draft_paths)
    else:
        published = tuple(s for s in stories if s.published)

    for s in suggestions:
        for version in s.shipped_versions or ((s.shipped_in,) if s.shipped_in else ()):
            line = s.origin.line("shipped_in")
            release = by_version.get(version)
            if release is None and version in broken_versions:
                continue
            if release is None:
                diagnostics.error(
                    SourceLocation(s.origin.path, line),
                    f"shipped_in: no release '{version}'{did_you_mean(version, by_version)}",
                )
            elif s.date > release.date:
                diagnostics.warning(
                    SourceLocation(s.origin.path, s.origin.line("date")),
                    f"date: received {s.date.date()}, after release {release.version} of {release.date.date()} it shipped in",
                )
                break
    suggestions = [in_release_order(s, by_version) for s in suggestions]

    about.check(stories, suggestions, diagnostics)
    window = _window(releases, suggestions, now, pace.moments(suggestions, releases, config))
    if future and not drafts:
        releases = [r for r in releases if r.version not in future]
        suggestions = [_without_drafts(s, future, now) for s in suggestions]
        by_version = {r.version: r for r in releases}

    alias_of = _aliases(profiles, diagnostics)
    refs = list(_person_refs(releases, suggestions, published))
    people = _people(profiles, refs, alias_of, config, diagnostics)
    _warn_near_misses(people, refs, alias_of, diagnostics)
    suggestions = resolve_plans(suggestions, people, alias_of, releases, diagnostics)

    shipped: dict[str, list[Suggestion]] = {}
    for s in suggestions:
        # A suggestion shipped in a beta and then in a stable release is listed by both.
        for version in s.shipped_versions or (s.shipped_in,):
            if version in by_version:
                shipped.setdefault(version, []).append(s)
    weeks: dict[str, list[Release]] = {}
    for r in releases:
        weeks.setdefault(urls.week_key(r.date.astimezone(config.tz).date()), []).append(r)
    week_list = tuple(
        Week(key, tuple(rs), tuple(s for r in rs for s in shipped.get(r.version, ())))
        for key, rs in sorted(weeks.items(), reverse=True)
    )
    return Site(
        config=config,
        releases=tuple(releases),
        suggestions=tuple(suggestions),
        stories=published,
        unpublished=tuple(s for s in stories if not s.published),
        people=MappingProxyType(people),
        alias_of=MappingProxyType(alias_of),
        weeks=week_list,
        drafts=frozenset(draft_paths) if drafts else frozenset(),
        window=window,
        by_version=MappingProxyType(by_version),
        shipped=MappingProxyType({v: tuple(ss) for v, ss in shipped.items()}),
    )


# A release this far ahead is not scheduled but mistyped (2062 for 2026): it would hide
# itself, and every suggestion shipped in it, for decades without a word.
SCHEDULED_AT_MOST = timedelta(days=365)


def _window(
    releases: list[Release], suggestions: list[Suggestion], now: datetime | None, more: Iterable[datetime] = ()
) -> tuple[datetime | None, datetime | None]:
    """Find the moments around `now` between which the build date changes nothing.

    Each release date (it falls due), a year before it (a year typo stops being an
    error) and each history date (an entry shows once its day has come) is a moment
    the site may change by itself, and so are `more`; a build whose date stays between the same two
    moments makes the same site.
    """
    if now is None:
        return (None, None)
    moments = [r.date for r in releases] + [r.date - SCHEDULED_AT_MOST for r in releases]
    moments += [h.date for s in suggestions for h in s.history]
    moments += list(more)  # the response-time pages' own moments (pace.moments)
    return (max((m for m in moments if m <= now), default=None), min((m for m in moments if m > now), default=None))


def _report_future(releases: list[Release], now: datetime | None, config: SiteConfig, diagnostics: Diagnostics) -> None:
    """Say which releases wait for their date (a notice: scheduling is normal), and refuse a year typo."""
    for r in releases:
        where = SourceLocation(r.origin.path, r.origin.line("date"))
        day = r.date.astimezone(config.tz).date().isoformat()
        if now is not None and r.date - now > SCHEDULED_AT_MOST:
            diagnostics.error(
                where,
                f"date: {day} is more than a year from now, so release {r.version} would stay hidden until then; "
                "check the year",
            )
        else:
            diagnostics.notice(where, f"release {r.version} is dated {day}: it appears on the site with the first build on or after that day")


def in_release_order(s: Suggestion, by_version: Mapping[str, Release]) -> Suggestion:
    """Order the releases a suggestion shipped in by date: `shipped_in` is the first."""
    if len(s.shipped_versions) < 2:
        return s
    order = sorted(s.shipped_versions, key=lambda v: (0, by_version[v].date.timestamp(), natural_key(v)) if v in by_version else (1, 0.0, natural_key(v)))
    known = [v for v in order if v in by_version] or order
    return replace(s, shipped_in=known[0], shipped_versions=tuple(order))


def _without_drafts(s: Suggestion, future: set[str], now: datetime) -> Suggestion:
    """Show a suggestion without the releases still waiting for their date."""
    if s.shipped_in not in future and not future.intersection(s.shipped_versions):
        return s
    left = tuple(v for v in s.shipped_versions if v not in future)
    if s.shipped_in in future and not left:
        return _before_release(s, now)
    return replace(s, shipped_in=left[0] if left else s.shipped_in, shipped_versions=left)


def _before_release(s: Suggestion, now: datetime) -> Suggestion:
    """Show a suggestion as it stands before its (draft) release is due."""
    history = tuple(h for h in s.history if h.date <= now and h.status != "shipped")
    return replace(s, status="adopted", shipped_in=None, shipped_versions=(), history=history)


def _unique_releases(releases: list[Release], diagnostics: Diagnostics) -> list[Release]:
    seen: dict[str, Release] = {}
    for r in sorted(releases, key=lambda r: r.origin.path):
        first = seen.get(r.version)
        if first is not None:
            diagnostics.error(
                SourceLocation(r.origin.path, r.origin.line("version")),
                f"version: '{r.version}' is already the version of {first.origin.path}; each release needs its own",
            )
            continue
        seen[r.version] = r
    return sorted(seen.values(), key=lambda r: (r.date, natural_key(r.version)), reverse=True)


def _aliases(profiles: list[Profile], diagnostics: Diagnostics) -> dict[str, str]:
    owners = {p.handle: p for p in profiles}
    alias_of: dict[str, str] = {}
    for p in profiles:
        for alias in p.aliases:
            where = SourceLocation(p.origin.path, alias.line)
            if alias.handle in owners:
                diagnostics.error(
                    where,
                    f"aliases: '{alias.handle}' has its own profile {owners[alias.handle].origin.path}; "
                    "merge the two files into one",
                )
            elif alias.handle in alias_of and alias_of[alias.handle] != p.handle:
                diagnostics.error(where, f"aliases: '{alias.handle}' is already an alias of '{alias_of[alias.handle]}'")
            else:
                alias_of[alias.handle] = p.handle
    return alias_of


def _person_refs(
    releases: Iterable[Release], suggestions: Iterable[Suggestion], stories: Iterable[Story]
) -> Iterable[tuple[PersonRef, str]]:
    """Yield every PERSON written in content with the file it stands in."""
    for r in releases:
        for c in r.credits:
            yield c.who, r.origin.path
        if r.popcorn:
            for m in r.popcorn.members:
                yield m, r.origin.path
    for s in suggestions:
        for ref in s.proposed_by:
            yield ref, s.origin.path
    for story in stories:
        if story.author is not None and not story.anonymous:  # an anonymous story names nobody
            yield story.author, story.origin.path


def _warn_near_misses(
    people: Mapping[str, Person], refs: list[tuple[PersonRef, str]], alias_of: Mapping[str, str], diagnostics: Diagnostics
) -> None:
    """Warn where a handle without a profile is one edit from another: a typo makes a new person.

    Two handles are one edit apart exactly when they share a string left by deleting at
    most one character from each, so an index of those strings finds every pair in
    linear time, even with thousands of people.
    """
    known = set(people) | set(alias_of)
    index: dict[str, set[str]] = {}
    for handle in known:
        for variant in {handle} | {handle[:i] + handle[i + 1 :] for i in range(len(handle))}:
            index.setdefault(variant, set()).add(handle)
    uses: dict[str, int] = {}
    for ref, _ in refs:
        uses[ref.handle] = uses.get(ref.handle, 0) + 1

    def likelier(other: str, handle: str) -> bool:
        """Is `other` the intended spelling rather than `handle`?"""
        if other in alias_of or people[other].profile is not None:
            return True
        return (uses.get(other, 0), handle) > (uses.get(handle, 0), other)

    warned: set[str] = set()
    for ref, path in refs:
        handle = ref.handle
        if handle in warned or handle in alias_of or people[handle].profile is not None:
            continue
        near = set()
        for variant in {handle} | {handle[:i] + handle[i + 1 :] for i in range(len(handle))}:
            near |= index.get(variant, set())
        near = sorted(n for n in near - {handle} if one_edit_apart(handle, n) and likelier(n, handle))
        if near:
            warned.add(handle)
            diagnostics.warning(
                SourceLocation(path, ref.line),
                f"'{handle}' is one letter away from '{near[0]}'; if they are the same person, fix the spelling "
                f"(or list '{handle}' under aliases in content/contributors/{alias_of.get(near[0], near[0])}.md)",
            )


def _people(
    profiles: list[Profile],
    refs: list[tuple[PersonRef, str]],
    alias_of: Mapping[str, str],
    config: SiteConfig,
    diagnostics: Diagnostics,
) -> dict[str, Person]:
    by_handle = {p.handle: p for p in profiles}
    people: dict[str, Person] = {}
    taken = "is taken by the contributors list at /contributors/{0}/; choose another handle"
    reported: set[tuple[str, str]] = set()
    for p in profiles:
        if p.handle in urls.RESERVED_HANDLES:
            diagnostics.error(SourceLocation(p.origin.path, 1), f"the handle '{p.handle}' " + taken.format(p.handle) + " (rename the file)")
        for alias in p.aliases:
            if alias.handle in urls.RESERVED_HANDLES:
                diagnostics.error(SourceLocation(p.origin.path, alias.line), f"aliases: '{alias.handle}' " + taken.format(alias.handle))
    for ref, path in refs:
        if ref.handle in urls.RESERVED_HANDLES and (ref.handle, path) not in reported:
            reported.add((ref.handle, path))
            diagnostics.error(SourceLocation(path, ref.line), f"'{ref.handle}' " + taken.format(ref.handle))
    for p in profiles:
        name = ANONYMOUS_NAME if p.anonymous else (p.name or p.handle)
        accepted = tuple(a.handle for a in p.aliases if alias_of.get(a.handle) == p.handle)
        people[p.handle] = Person(p.handle, name, p, accepted)
    for ref, path in refs:
        handle = alias_of.get(ref.handle, ref.handle)
        if handle in people:
            continue
        if config.require_profiles:
            diagnostics.error(
                SourceLocation(path, ref.line),
                f"'{ref.handle}' has no profile: add content/contributors/{ref.handle}.md"
                f" (recognition.require_profiles is on){did_you_mean(ref.handle, by_handle, list_known=False)}",
            )
        people[handle] = Person(handle, handle, None, ())
    return dict(sorted(people.items()))
