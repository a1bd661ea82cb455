"""Credits -> points -> levels: who did what, when, and where it puts them on the honor roll.

Every credit carries the date of what it credits (the release date, the story date),
so the whole recognition is reproducible from content alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Mapping

from . import urls
from .config import Level
from .model import Suggestion
from .site import Site

# The order credits are listed in on a profile, and the section each belongs to.
KINDS = ("proposed_shipped", "coproposed_shipped", "proposed_adopted", "proposed", "release_credit", "story", "popcorn")
GROUPS = {
    "proposed_shipped": "suggestions",
    "coproposed_shipped": "suggestions",
    "proposed_adopted": "suggestions",
    "proposed": "suggestions",
    "release_credit": "releases",
    "story": "stories",
    "popcorn": "popcorn",
}


@dataclass(frozen=True)
class Credit:
    """One thing a person is credited for."""

    handle: str  # canonical
    kind: str  # a key of recognition.points
    date: datetime
    points: int
    url: str  # the site path of what is credited
    title: str  # what is credited: a suggestion's title, a release, a story
    note: str = ""  # e.g. "reported the Bluetooth bug", or the popcorn team
    release: str | None = None  # the version a credited suggestion shipped in
    status: str | None = None  # a credited suggestion's current status

    @property
    def group(self) -> str:
        """The profile section a credit is listed in."""
        return GROUPS[self.kind]


@dataclass(frozen=True)
class Standing:
    """A person's points and level, with since when they hold it."""

    handle: str
    points: int
    level: Level
    level_since: datetime | None
    first: datetime | None
    latest: datetime | None


@dataclass(frozen=True)
class Recognition:
    credits: Mapping[str, tuple[Credit, ...]]  # handle -> credits, oldest first
    standings: Mapping[str, Standing]  # handle -> standing
    roll: tuple[Standing, ...]  # named people, highest level first (see `roll_key`)


def recognize(site: Site) -> Recognition:
    """Compute every person's credits, points and level from the site's content."""
    points = site.config.points
    collected: dict[str, list[Credit]] = {h: [] for h in site.people}

    def add(handle: str, kind: str, date: datetime, url: str, title: str, note: str = "", **more: str | None) -> None:
        canonical = site.canonical(handle)
        collected.setdefault(canonical, []).append(Credit(canonical, kind, date, points[kind], url, title, note, **more))

    for s in site.suggestions:
        for i, ref in enumerate(s.proposed_by):
            kind, when = _suggestion_credit(s, i, site)
            shipped = s.shipped_in if kind.endswith("_shipped") else None
            add(ref.handle, kind, when, urls.suggestion(s.id), s.title, release=shipped, status=s.status)
    for r in site.releases:
        for c in r.credits:
            add(c.who.handle, "release_credit", r.date, urls.release(r.version), r.title, c.what)
        if r.popcorn:
            for m in r.popcorn.members:
                add(m.handle, "popcorn", r.date, urls.week(site.week_of(r)), r.title, r.popcorn.team)
    for story in site.stories:
        if story.author is not None and not story.anonymous:
            add(story.author.handle, "story", story.date, urls.story(story.slug), story.title)

    credits = {h: tuple(sorted(cs, key=lambda c: (c.date, KINDS.index(c.kind), c.url))) for h, cs in collected.items()}
    standings = {h: standing(h, cs, site.config.levels) for h, cs in credits.items()}
    roll = tuple(
        sorted((st for h, st in standings.items() if not site.people[h].anonymous), key=roll_key)
    )
    return Recognition(MappingProxyType(credits), MappingProxyType(standings), roll)


def _suggestion_credit(s: Suggestion, position: int, site: Site) -> tuple[str, datetime]:
    if s.status == "shipped" and s.shipped_in in site.by_version:
        when = site.by_version[s.shipped_in].date
        return ("proposed_shipped" if position == 0 else "coproposed_shipped"), when
    adopted = [h.date for h in s.history if h.status == "adopted"]
    if s.status == "adopted" or adopted:
        # Once adopted, always credited as adopted: points only add up (declined later or not).
        return "proposed_adopted", (adopted[-1] if adopted else s.date)
    return "proposed", s.date


def standing(handle: str, credits: tuple[Credit, ...], levels: tuple[Level, ...]) -> Standing:
    """Sum points over time; the level is the highest reached, since the day it was reached."""
    total = 0
    level, since = levels[0], (credits[0].date if credits else None)
    for c in credits:
        total += c.points
        for candidate in levels:
            if candidate.min_points <= total and candidate.min_points > level.min_points:
                level, since = candidate, c.date
    return Standing(
        handle=handle,
        points=total,
        level=level,
        level_since=since,
        first=credits[0].date if credits else None,
        latest=credits[-1].date if credits else None,
    )


def roll_key(st: Standing) -> tuple:
    """Order of the honor roll: more points first; on a tie, whoever reached them first, then by handle."""
    reached = st.latest.timestamp() if st.latest else float("inf")
    return (-st.level.min_points, -st.points, reached, st.handle)
