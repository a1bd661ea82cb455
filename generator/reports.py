"""Site + Recognition -> the monthly reports of the users' voice, and their feed.

A month gets a report when something happened in it (a suggestion received, answered,
adopted, shipped or declined, or a release) and once it is over: a report is published
with the first build at or after the first moment of the next month (in the site's time
zone), so a report never changes after it appears. "Over" is judged at the build's
date moment (`Site.window`), never the wall clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Callable

from . import urls
from .feeds import Feed, FeedItem, newest
from .pace import Steps, Times, all_steps, local, month_key, next_month, times
from .recognition import Recognition
from .site import Site

# The credits a weekly page thanks people for: an idea that shipped, a release credit, popcorn.
THANKED_FOR = ("proposed_shipped", "coproposed_shipped", "release_credit", "popcorn")


@dataclass(frozen=True)
class Report:
    """One month of the loop: what came in, what was decided and shipped, who is thanked."""

    key: str  # "2026-11"
    start: date  # the month's first day
    published: datetime  # the first moment of the next month: when the report appears
    received: tuple[Any, ...]  # Suggestion, by id
    adopted: tuple[Any, ...]
    shipped: tuple[Any, ...]
    declined: tuple[Any, ...]  # each with its public reason
    times: Times
    thanked: tuple[str, ...]  # canonical handles, named people only, by handle

    @property
    def url(self) -> str:
        return urls.report(self.key)

    @property
    def counts(self) -> dict[str, Any]:
        """Return what the reports index shows of this month."""
        return {
            "key": self.key, "url": self.url, "start": self.start, "received": len(self.received),
            "adopted": len(self.adopted), "shipped": len(self.shipped), "declined": len(self.declined),
        }


def reports(site: Site, recognition: Recognition) -> tuple[Report, ...]:
    """Make a report for every month that had activity and is over; newest first."""
    tz, moment = site.config.tz, site.window[0]
    if moment is None:
        return ()
    steps = all_steps(site)
    active = {month_key(local(r.date, tz)) for r in site.releases}
    for st in steps:
        active.update(month_key(d) for d in (st.received, st.answered, st.adopted, st.shipped, st.declined) if d is not None)
    out = []
    for key in sorted(active, reverse=True):
        start = date(int(key[:4]), int(key[5:]), 1)
        published = datetime.combine(next_month(start), time(), tz)
        if published > moment:
            continue  # the month is not over yet
        out.append(report(site, recognition, steps, key, start, published))
    return tuple(out)


def report(site: Site, recognition: Recognition, steps: tuple[Steps, ...], key: str, start: date, published: datetime) -> Report:
    """Gather one month's report."""
    tz = site.config.tz

    def during(day: date | None) -> bool:
        return day is not None and month_key(day) == key

    def having(step: str) -> tuple:
        return tuple(st.suggestion for st in steps if during(getattr(st, step)))

    thanked = sorted(
        handle
        for handle, credits in recognition.credits.items()
        if not site.people[handle].anonymous
        and any(c.kind in THANKED_FOR and during(local(c.date, tz)) for c in credits)
    )
    return Report(
        key, start, published, having("received"), having("adopted"), having("shipped"), having("declined"),
        times(steps, lambda d: month_key(d) == key), tuple(thanked),
    )


def report_feed(site: Site, found: tuple[Report, ...], _: Callable[..., str]) -> Feed:
    """Describe the reports feed: one item per published report, its id the report's address."""
    cfg = site.config
    items = [
        FeedItem(
            cfg.absolute(urls.report(r.key)), urls.report(r.key), _("The users' voice: report for %(month)s", month=r.key),
            r.published, "", "report", r.key,  # only the key: the body shows nothing else, so nothing else re-renders it
        )
        for r in found
    ]
    return Feed("reports", _("%(site)s: monthly reports", site=cfg.title), urls.REPORTS, cfg.description or cfg.title, newest(items, cfg.feeds_limit))
