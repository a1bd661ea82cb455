"""Site -> response times: how fast suggestions are answered, adopted and shipped, and the pledge.

Every figure is counted in whole days between calendar dates in the site's time zone,
from dated facts only: a suggestion is received on its `date`; it is answered on the
first `history` entry past `received` (evaluating, adopted, shipped or declined),
adopted on the first entry that says adopted (or shipped: shipping adopts), and shipped
on its release's date. A step without a date (no history) is left out of the figures
rather than guessed. A step counts in the month (or week) it was reached in.

The 90th percentile is the "inclusive" linear interpolation of `statistics.quantiles`
(as a spreadsheet's PERCENTILE.INC): the value 90% of the way from the fastest to the
slowest, interpolated between the two nearest. With one value it is that value.

"Waiting" is measured at the build's date moment: the start of `Site.window`, the last
moment at or before the build date on which the site changes. Each pledge deadline and
each month's end is such a moment (see `moments`), so two builds in one window agree,
whatever the clock says.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Callable, Iterable

from .model import Release, Suggestion

if TYPE_CHECKING:
    from .config import SiteConfig
    from .site import Site

MEASURES = ("answered", "adopted", "shipped")
ANSWERS = frozenset({"evaluating", "adopted", "shipped", "declined"})


@dataclass(frozen=True)
class Steps:
    """When one suggestion reached each step of the loop (local dates; None: not reached or undated)."""

    suggestion: Suggestion
    received: date
    answered: date | None
    adopted: date | None
    shipped: date | None
    declined: date | None

    def days(self, measure: str) -> int | None:
        """Return the days from received to the step `measure` (None when it has no date)."""
        reached = getattr(self, measure)
        return None if reached is None else (reached - self.received).days


@dataclass(frozen=True)
class Figure:
    """The median and 90th percentile of some durations in days."""

    count: int
    median: float | None
    p90: float | None


@dataclass(frozen=True)
class Times:
    """The three response times over one set of suggestions' steps."""

    answered: Figure
    adopted: Figure
    shipped: Figure

    @property
    def empty(self) -> bool:
        return not (self.answered.count or self.adopted.count or self.shipped.count)


@dataclass(frozen=True)
class Pledge:
    """How often the promise to answer within `days` was kept."""

    days: int
    kept: int  # answered within the pledge
    late: int  # answered after it
    overdue: tuple[str, ...]  # ids still waiting past it at the build's moment

    @property
    def missed(self) -> int:
        return self.late + len(self.overdue)

    @property
    def percent(self) -> int | None:
        total = self.kept + self.missed
        return round(100 * self.kept / total) if total else None


@dataclass(frozen=True)
class Pace:
    """Everything /pace/ shows."""

    overall: Times
    months: tuple[tuple[str, Times], ...]  # "2026-11", newest first
    areas: tuple[tuple[str, Times], ...]  # area name ("" for none), by name
    pledge: Pledge | None
    peak: float  # the largest median of any month, for the chart's scale


def local(moment: datetime, tz: tzinfo) -> date:
    """Return the calendar date of a moment in the site's time zone."""
    return moment.astimezone(tz).date()


def steps_of(s: Suggestion, releases: dict[str, Release], tz: tzinfo) -> Steps:
    """Read one suggestion's dated steps from its history and its release."""
    history = [(local(h.date, tz), h.status) for h in s.history]
    answered = next((d for d, st in history if st in ANSWERS), None)
    adopted = next((d for d, st in history if st in ("adopted", "shipped")), None)
    declined = next((d for d, st in history if st == "declined"), None) if s.status == "declined" else None
    release = releases.get(s.shipped_in) if s.status == "shipped" and s.shipped_in else None
    shipped = local(release.date, tz) if release is not None else None
    return Steps(s, local(s.date, tz), answered, adopted, shipped, declined)


def all_steps(site: Site) -> tuple[Steps, ...]:
    """Read every suggestion's steps."""
    releases = dict(site.by_version)
    return tuple(steps_of(s, releases, site.config.tz) for s in site.suggestions)


def figure(days: list[int]) -> Figure:
    """Summarise durations: median and 90th percentile (inclusive method), None when there are none."""
    if not days:
        return Figure(0, None, None)
    p90 = float(days[0]) if len(days) == 1 else statistics.quantiles(days, n=10, method="inclusive")[8]
    return Figure(len(days), float(statistics.median(days)), round(p90, 1))


def times(steps: Iterable[Steps], reached_in: Callable[[date], bool] = lambda d: True) -> Times:
    """Compute the three response times over the steps reached on a day `reached_in` accepts."""
    steps = list(steps)

    def measure(name: str) -> Figure:
        return figure([st.days(name) for st in steps if getattr(st, name) is not None and reached_in(getattr(st, name))])

    return Times(*(measure(name) for name in MEASURES))


def area_of(s: Suggestion) -> str:
    """Name the group a suggestion's response times count in ("" when it has no area).

    With declared areas the reader has already stored the area's id in `area` (declared.py),
    so this groups by declared area too; /pace/ shows the area's name.
    """
    return (s.area or "").strip()


def month_key(day: date) -> str:
    """Name a calendar month, e.g. '2026-11'."""
    return f"{day.year}-{day.month:02d}"


def next_month(day: date) -> date:
    """Return the first day of the month after the one `day` is in."""
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def deadline(s: Suggestion, days: int, tz: tzinfo) -> datetime:
    """Return the moment a suggestion waits past the pledge: the end of its last day to answer."""
    last_day = local(s.date, tz) + timedelta(days=days + 1)
    return datetime.combine(last_day, time(), tz)


def waiting(s: Suggestion) -> bool:
    """Tell whether a suggestion still awaits its first answer."""
    return s.status == "received"


def overdue(site: Site) -> tuple[str, ...]:
    """List the suggestions still waiting past the pledge at the build's moment (by id)."""
    days, moment = site.config.respond_within_days, site.window[0]
    if days is None or moment is None:
        return ()
    tz = site.config.tz
    return tuple(s.id for s in site.suggestions if waiting(s) and deadline(s, days, tz) <= moment)


def pledge(site: Site, steps: tuple[Steps, ...]) -> Pledge | None:
    """Count how often the pledge was kept (None when the site makes none)."""
    days = site.config.respond_within_days
    if days is None:
        return None
    answered = [st.days("answered") for st in steps if st.answered is not None]
    kept = sum(1 for d in answered if d is not None and d <= days)
    return Pledge(days, kept, len(answered) - kept, overdue(site))


def pace(site: Site) -> Pace:
    """Compute every figure /pace/ shows."""
    steps = all_steps(site)
    months = sorted(
        {month_key(getattr(st, m)) for st in steps for m in MEASURES if getattr(st, m) is not None}, reverse=True
    )
    by_month = tuple((key, times(steps, lambda d, key=key: month_key(d) == key)) for key in months)
    areas = sorted({area_of(st.suggestion) for st in steps}, key=lambda a: (a == "", a.casefold()))
    by_area = tuple((a, times(st for st in steps if area_of(st.suggestion) == a)) for a in areas)
    by_area = tuple((a, t) for a, t in by_area if not t.empty)
    peak = max((t.answered.median or 0 for _, t in by_month), default=0.0)
    return Pace(times(steps), by_month, by_area, pledge(site, steps), max(peak, 1.0))


def moments(suggestions: Iterable[Suggestion], releases: Iterable[Release], config: SiteConfig) -> list[datetime]:
    """List the moments the response-time pages change by themselves, for `Site.window`.

    A waiting suggestion's pledge deadline (it is marked as waiting too long from then
    on), and the end of every month with activity (its report appears then).
    """
    tz = config.tz
    out = []
    days: set[date] = set()
    for s in suggestions:
        if config.respond_within_days is not None and waiting(s):
            out.append(deadline(s, config.respond_within_days, tz))
        days.add(local(s.date, tz))
        days.update(local(h.date, tz) for h in s.history)
    days.update(local(r.date, tz) for r in releases)
    out += [datetime.combine(next_month(d), time(), tz) for d in {date(d.year, d.month, 1) for d in days}]
    return out
