"""Interest circles: which area a suggestion or story belongs to, and the /areas/ pages. Pure.

`area_of(suggestion, config)` is the one answer to "which area is this in": pages,
feeds and any later view (response times by area) group by it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from . import urls
from .config import SiteConfig
from .declared import Area
from .model import SUGGESTION_STATUSES, Story, Suggestion
from .pages import Page, feed_links
from .recognition import Recognition
from .site import Site

AREA_PREVIEW = 8  # suggestions of each status an area's page shows before "all …"
AREA_STORIES = 12
TOP_CONTRIBUTORS = 10


def area_of(suggestion: Suggestion, config: SiteConfig) -> Area | None:
    """Return the declared area a suggestion belongs to (None without one, or when the site declares none)."""
    return config.area(suggestion.area)


def story_areas(story: Story, areas: Iterable[Area]) -> tuple[str, ...]:
    """The areas a story belongs to: its own `area`, else every area whose tags (or id) it carries."""
    if story.area is not None:
        return (story.area,)
    slugs = {urls.tag_slug(t) for t in story.tags}
    return tuple(a.id for a in areas if a.id in slugs or slugs.intersection(a.tags))


@dataclass(frozen=True)
class StatusPreview:
    """One status of an area: how many, the first few by votes, and where the full list is."""

    status: str
    count: int
    suggestions: tuple[Suggestion, ...]
    url: str | None  # the full list, when there is one


@dataclass(frozen=True)
class AreaView:
    """Everything an area's page and the areas index show."""

    area: Area
    total: int
    shipped: int
    statuses: tuple[StatusPreview, ...]
    stories: tuple[Story, ...]  # newest first, at most AREA_STORIES
    story_count: int
    top: tuple[tuple[str, int], ...]  # (canonical handle, points earned in this area)


def by_area(site: Site) -> dict[str, list[Suggestion]]:
    """Group the suggestions by declared area id (free-text areas are left out)."""
    grouped: dict[str, list[Suggestion]] = {a.id: [] for a in site.config.areas}
    for s in site.suggestions:
        area = area_of(s, site.config)
        if area is not None:
            grouped[area.id].append(s)
    return grouped


def area_views(site: Site, recognition: Recognition) -> tuple[AreaView, ...]:
    """Describe every declared area: its suggestions by status, its stories, its top contributors."""
    grouped = by_area(site)
    stories: dict[str, list[Story]] = {a.id: [] for a in site.config.areas}
    for story in site.stories:
        for ident in story_areas(story, site.config.areas):
            stories[ident].append(story)
    views = []
    for area in site.config.areas:
        items = grouped[area.id]
        statuses = []
        for status in SUGGESTION_STATUSES:
            these = sorted((s for s in items if s.status == status), key=lambda s: (-(s.votes or 0), s.id))
            statuses.append(StatusPreview(status, len(these), tuple(these[:AREA_PREVIEW]), urls.board(status, area.id) if these else None))
        # Points earned in the area: credits for its suggestions and its stories.
        mine = {urls.suggestion(s.id) for s in items} | {urls.story(s.slug) for s in stories[area.id]}
        points: Counter[str] = Counter()
        for handle, credits in recognition.credits.items():
            if site.people[handle].anonymous:
                continue
            earned = sum(c.points for c in credits if c.url in mine)
            if earned:
                points[handle] = earned
        top = tuple(sorted(points.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_CONTRIBUTORS])
        views.append(
            AreaView(
                area,
                len(items),
                sum(1 for s in items if s.status == "shipped"),
                tuple(statuses),
                tuple(stories[area.id][:AREA_STORIES]),
                len(stories[area.id]),
                top,
            )
        )
    return tuple(views)


def area_pages(site: Site, recognition: Recognition) -> list[Page]:
    """The areas index and one page per area (none when the site declares no areas)."""
    if not site.config.areas:
        return []
    views = area_views(site, recognition)
    pages = [Page(urls.AREAS, "areas.html", "Areas", {"areas": views})]
    for view in views:
        sources = tuple(s.origin.path for st in view.statuses for s in st.suggestions)
        pages.append(
            Page(
                urls.area(view.area.id),
                "area.html",
                view.area.name_in(site.config.language),
                {"view": view},
                sources=sources,
                feeds=feed_links(f"areas/{view.area.id}"),
            )
        )
    return pages
