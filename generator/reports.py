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
from .pace import Times, all_steps, local, month_key, next_month, times
from .recognition import Recognition
from .site import Site

# The credits a weekly page thanks people for: an idea that shipped, a release credit, popcorn.
THANKED_FOR = ("proposed_shipped", "coproposed_shipped", "release_credit", "popcorn")
STEPS = ("received", "adopted", "shipped", "declined")  # what a report counts, in the order Report lists them


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
    # One pass over steps and credits, each filed under its month (not one pass per month).
    found: dict[str, dict[str, list]] = {}

    def month(key: str) -> dict[str, list]:
        return found.setdefault(key, {step: [] for step in (*STEPS, "thanked")})

    for r in site.releases:
        month(month_key(local(r.date, tz)))
    for st in steps:
        if st.answered is not None:  # an evaluation begun is activity too
            month(month_key(st.answered))
        for step in STEPS:
            if (day := getattr(st, step)) is not None:
                month(month_key(day))[step].append(st.suggestion)
    for handle, credits in recognition.credits.items():
        if site.people[handle].anonymous:
            continue
        for key in {month_key(local(c.date, tz)) for c in credits if c.kind in THANKED_FOR}:
            month(key)["thanked"].append(handle)
    out = []
    for key in sorted(found, reverse=True):
        start = date(int(key[:4]), int(key[5:]), 1)
        published = datetime.combine(next_month(start), time(), tz)
        if published > moment:
            continue  # the month is not over yet
        got = found[key]
        out.append(Report(
            key, start, published, *(tuple(got[step]) for step in STEPS),
            times(steps, lambda d, key=key: month_key(d) == key), tuple(sorted(set(got["thanked"]))),
        ))
    return tuple(out)


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
