"""Site -> what each weekly page tells besides what shipped: evaluations started, adoptions, declines.

Only weeks with a release have a page (the contract's URLs). The news of a week without
a release goes on the page of the next week that has one, so nothing said between two
releases is lost and no page appears that the weekly feed would not announce. News
after the latest release's week waits for the next release's page.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Mapping

from . import urls
from .model import Suggestion
from .pace import Times, all_steps, local, times
from .site import Site


@dataclass(frozen=True)
class WeekLoop:
    """A weekly page's news of the loop, and the response times of the steps reached in it."""

    key: str  # the week with a release whose page tells it
    evaluating: tuple[Suggestion, ...]  # started evaluation
    adopted: tuple[Suggestion, ...]  # planned
    declined: tuple[Suggestion, ...]  # with the reason
    times: Times
    since: str | None  # the first week it covers when it covers weeks without a release, else None


def week_loops(site: Site) -> Mapping[str, WeekLoop]:
    """Tell, for each week with a release, what else the loop did in it (and the weeks before without one)."""
    keys = sorted(w.key for w in site.weeks)  # "2026-W09" < "2026-W10": keys sort as weeks do
    tz = site.config.tz
    pages: dict[date, str | None] = {}

    def page_of(day: date | None) -> str | None:
        if day is None:
            return None
        if day not in pages:
            at = bisect.bisect_left(keys, urls.week_key(day))
            pages[day] = keys[at] if at < len(keys) else None
        return pages[day]

    def first(s: Suggestion, status: str) -> date | None:
        return next((local(h.date, tz) for h in s.history if h.status == status), None)

    news: dict[str, tuple[list, list, list, list]] = {key: ([], [], [], []) for key in keys}
    for st in all_steps(site):
        s = st.suggestion
        for column, day in enumerate((first(s, "evaluating"), first(s, "adopted"), st.declined)):
            if (key := page_of(day)) is not None:
                news[key][column].append(s)
        # The steps whose response times a page's summary counts (each step on one page).
        for key in {page_of(d) for d in (st.answered, st.adopted, st.shipped)} - {None}:
            news[key][3].append(st)
    out = {}
    for i, key in enumerate(keys):
        evaluating, adopted, declined, reached = news[key]
        out[key] = WeekLoop(
            key, tuple(evaluating), tuple(adopted), tuple(declined),
            times(reached, lambda d, key=key: page_of(d) == key), _since(keys[i - 1] if i else None, key),
        )
    return MappingProxyType(out)


def lately(loops: Mapping[str, WeekLoop], keys: list[str]) -> WeekLoop | None:
    """Merge the news of several weeks (newest first) for the home page; None when there is none."""
    chosen = [loops[k] for k in keys if k in loops]
    if not chosen:
        return None
    merged = [tuple(s for loop in chosen for s in getattr(loop, column)) for column in ("evaluating", "adopted", "declined")]
    return WeekLoop(chosen[0].key, *merged, times([]), None)


def _since(previous: str | None, key: str) -> str | None:
    """Name the first week a page covers when that is not its own week (None for a first page)."""
    if previous is None:
        return None
    year, week = int(previous[:4]), int(previous[6:])
    following = date.fromisocalendar(year, week, 1).toordinal() + 7
    first = urls.week_key(date.fromordinal(following))
    return first if first != key else None
