"""The suggestion board, split so it scales: a summary at /suggestions/, then one list per status and area. Pure.

At 4,000 suggestions one page listing them all weighs about 3 MB. The summary keeps
the old address (and its #received … #declined anchors) with counts and the newest
items; every list is paginated, BOARD_PAGE cards to a page, with plain links between
statuses, areas and pages, so it works without JavaScript.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from . import urls
from .circles import area_of
from .model import SUGGESTION_STATUSES, Suggestion
from .pace import overdue
from .pages import Page, feed_links
from .roadmap import PlanGroup, is_month
from .site import Site, natural_key

BOARD_PAGE = 50  # cards on one page of a list: about 40 KB
NEWEST = 5  # of each status on the summary


def _by_votes(s: Suggestion) -> tuple:
    return (-(s.votes or 0), natural_key(s.id))


def _by_plan(s: Suggestion) -> tuple:
    """Adopted suggestions are listed by plan: versions in order, then months, then not planned yet."""
    plan = s.planned_for
    rank = (2, ()) if plan is None else ((1, plan) if is_month(plan) else (0, natural_key(plan)))
    return (rank, *_by_votes(s))


def _groups(chunk: tuple[Suggestion, ...], status: str) -> tuple[PlanGroup, ...]:
    """Cut one page of a list into plan groups (adopted), or one group (any other status)."""
    if status != "adopted":
        return (PlanGroup(None, False, chunk),)
    groups: list[PlanGroup] = []
    for s in chunk:
        if groups and groups[-1].plan == s.planned_for:
            groups[-1] = PlanGroup(s.planned_for, groups[-1].month, groups[-1].suggestions + (s,))
        else:
            groups.append(PlanGroup(s.planned_for, s.planned_for is not None and is_month(s.planned_for), (s,)))
    return tuple(groups)


@dataclass(frozen=True)
class Column:
    """One status on the summary: its count, share, newest items and the list's address."""

    status: str
    count: int
    percent: int
    newest: tuple[Suggestion, ...]
    url: str


def summary(site: Site) -> dict[str, Any]:
    """Count the board by status and by area, with the newest suggestions of each status."""
    total = len(site.suggestions) or 1
    counts = Counter(s.status for s in site.suggestions)
    columns = tuple(
        Column(
            status,
            counts[status],
            round(100 * counts[status] / total),
            tuple(sorted((s for s in site.suggestions if s.status == status), key=lambda s: (-s.date.timestamp(), natural_key(s.id)))[:NEWEST]),
            urls.board(status),
        )
        for status in SUGGESTION_STATUSES
    )
    areas = []
    for area in site.config.areas:
        here = Counter(s.status for s in site.suggestions if area_of(s, site.config) == area)
        areas.append((area, tuple((status, here[status]) for status in SUGGESTION_STATUSES), sum(here.values())))
    return {"columns": columns, "areas": tuple(areas), "total": len(site.suggestions)}


def board_pages(site: Site) -> list[Page]:
    """The summary, every status's list, and (with declared areas) every status × area list."""
    feeds = feed_links("suggestions")
    # Suggestions waiting past the site's pledge are marked wherever they are listed (pace.py).
    late = {"overdue": frozenset(overdue(site)), "pledge": site.config.respond_within_days}
    pages = [Page(urls.SUGGESTIONS, "suggestions.html", "Suggestions", {"board": summary(site), **late}, feeds=feeds)]
    lists: list[tuple[str, Any, tuple[Suggestion, ...]]] = []
    for status in SUGGESTION_STATUSES:
        these = tuple(sorted((s for s in site.suggestions if s.status == status), key=_by_plan if status == "adopted" else _by_votes))
        lists.append((status, None, these))
        for area in site.config.areas:
            mine = tuple(s for s in these if area_of(s, site.config) == area)
            if mine:  # an empty list would only say "none": the summary shows the zero
                lists.append((status, area, mine))
    counts = {(status, area.id if area else None): len(items) for status, area, items in lists}
    for status, area, items in lists:
        ident = area.id if area else None
        # Links to the same area in other statuses, and to this status in each area.
        statuses = tuple((st, counts.get((st, ident), 0), urls.board(st, ident)) for st in SUGGESTION_STATUSES)
        areas = tuple((a, counts.get((status, a.id), 0), urls.board(status, a.id)) for a in site.config.areas)
        chunks = [items[i : i + BOARD_PAGE] for i in range(0, len(items), BOARD_PAGE)] or [()]
        for number, chunk in enumerate(chunks, start=1):
            pager = {
                "number": number,
                "count": len(chunks),
                "newer": urls.board(status, ident, number - 1) if number > 1 else None,
                "older": urls.board(status, ident, number + 1) if number < len(chunks) else None,
            }
            context = {
                "status": status, "area": area, "groups": _groups(chunk, status), "total": len(items),
                "pager": pager, "statuses": statuses, "areas": areas, "all_count": counts[(status, None)],
                **late,
            }
            pages.append(Page(urls.board(status, ident, number), "suggestions_list.html", "Suggestions", context, feeds=feeds))
    return pages
