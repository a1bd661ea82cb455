"""Honor rolls derived from credits: monthly stars, yearly pioneers, titles, newcomers, activity.

Periods are calendar months and years in the site's time zone. Within a period people
are ranked by the points they earned in it; a tie goes to whoever completed those
points first (the earlier date of their last credit in the period), then by handle.
Anonymous contributors are on no roll, and staff on none of the fans' (see staff.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from types import MappingProxyType
from typing import Iterable, Mapping

from . import urls
from .recognition import Credit, Recognition
from .site import Site
from .staff import staff

STARS_PER_MONTH = 10
PIONEERS_PER_YEAR = 10
ACTIVITY_MONTHS = 12
ACTIVITY_MIN_MONTHS = 3


@dataclass(frozen=True)
class Ranked:
    handle: str
    points: int
    credits: int
    reached: datetime  # the date of their last credit in the period
    rank: int


@dataclass(frozen=True)
class Period:
    """A month ("2026-11") or a year ("2026") and who earned most in it."""

    key: str
    start: date
    ranking: tuple[Ranked, ...]

    @property
    def url(self) -> str:
        return urls.honor_period(self.key)


@dataclass(frozen=True)
class Activity:
    """Credits per month from a person's first active month to their latest (see `_activity`)."""

    months: tuple[tuple[date, int], ...]

    @property
    def peak(self) -> int:
        return max((n for _, n in self.months), default=0)


@dataclass(frozen=True)
class Honors:
    months: tuple[Period, ...]  # newest first
    years: tuple[Period, ...]  # newest first
    current_month: Period | None  # the month of the latest release
    titles: tuple[tuple[str, tuple[str, ...]], ...]  # title -> holders
    newcomers: Mapping[str, tuple[str, ...]]  # ISO week key -> people whose first credit is in it
    places: Mapping[str, tuple[tuple[Period, Ranked], ...]]  # handle -> months and years they were a star in
    activity: Mapping[str, Activity]


def honor(site: Site, recognition: Recognition) -> Honors:
    """Derive every honor roll from the credits."""
    tz = site.config.tz
    named = {h: cs for h, cs in recognition.credits.items() if not site.people[h].anonymous}
    team = staff(site)
    fans = {h: cs for h, cs in named.items() if h not in team}

    def local(moment: datetime) -> date:
        return moment.astimezone(tz).date()

    by_month: dict[str, list[Credit]] = {}
    by_year: dict[str, list[Credit]] = {}
    for credits in fans.values():
        for c in credits:
            day = local(c.date)
            by_month.setdefault(f"{day.year}-{day.month:02d}", []).append(c)
            by_year.setdefault(str(day.year), []).append(c)

    months = tuple(_period(key, date(int(key[:4]), int(key[5:]), 1), cs) for key, cs in sorted(by_month.items(), reverse=True))
    years = tuple(_period(key, date(int(key), 1, 1), cs) for key, cs in sorted(by_year.items(), reverse=True))
    anchor = local(site.releases[0].date) if site.releases else None
    current = next((m for m in months if anchor and m.key == f"{anchor.year}-{anchor.month:02d}"), None)

    places: dict[str, list[tuple[Period, Ranked]]] = {}
    for period, limit in [(m, STARS_PER_MONTH) for m in months] + [(y, PIONEERS_PER_YEAR) for y in years]:
        for ranked in period.ranking[:limit]:
            places.setdefault(ranked.handle, []).append((period, ranked))

    newcomers: dict[str, list[str]] = {}
    for handle, credits in sorted(((h, cs) for h, cs in fans.items() if cs), key=lambda item: (item[1][0].date, item[0])):
        newcomers.setdefault(urls.week_key(local(credits[0].date)), []).append(handle)

    return Honors(
        months=months,
        years=years,
        current_month=current,
        titles=_titles(site),
        newcomers=MappingProxyType({k: tuple(v) for k, v in newcomers.items()}),
        places=MappingProxyType({h: tuple(v) for h, v in places.items()}),
        activity=MappingProxyType({h: _activity(cs, local) for h, cs in named.items()}),
    )


def _period(key: str, start: date, credits: Iterable[Credit]) -> Period:
    totals: dict[str, tuple[int, int, datetime]] = {}
    for c in credits:
        points, count, reached = totals.get(c.handle, (0, 0, c.date))
        totals[c.handle] = (points + c.points, count + 1, max(reached, c.date))
    ordered = sorted(
        ((h, p, n, r) for h, (p, n, r) in totals.items() if p > 0),
        key=lambda t: (-t[1], t[3], t[0]),
    )
    return Period(key, start, tuple(Ranked(h, p, n, r, i + 1) for i, (h, p, n, r) in enumerate(ordered)))


def _titles(site: Site) -> tuple[tuple[str, tuple[str, ...]], ...]:
    holders: dict[str, list[str]] = {}
    for handle, person in site.people.items():
        if person.profile and not person.anonymous:
            for title in person.profile.titles:
                holders.setdefault(title, []).append(handle)
    return tuple(
        (title, tuple(sorted(hs, key=lambda h: (site.people[h].name.casefold(), h))))
        for title, hs in sorted(holders.items(), key=lambda item: (-len(item[1]), item[0].casefold()))
    )


def _activity(credits: tuple[Credit, ...], local) -> Activity:
    """Credits per month from the person's first active month to their latest, at most ACTIVITY_MONTHS.

    Months before someone's first credit say nothing about them, so the chart starts
    there (months without credits after it stay, as gaps: that is the honest shape),
    padded to ACTIVITY_MIN_MONTHS so one busy month still has something to stand beside.
    Anchored on the person, not on the site's latest release, so a new release changes
    only the charts of the people it credits.
    """
    if not credits:
        return Activity(())
    first, anchor = local(credits[0].date), local(credits[-1].date)
    span = (anchor.year - first.year) * 12 + anchor.month - first.month + 1
    starts = []
    year, month = anchor.year, anchor.month
    for _ in range(min(ACTIVITY_MONTHS, max(span, ACTIVITY_MIN_MONTHS))):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    starts.reverse()
    counts = {s: 0 for s in starts}
    for c in credits:
        day = local(c.date)
        key = date(day.year, day.month, 1)
        if key in counts:
            counts[key] += 1
    return Activity(tuple(counts.items()))
