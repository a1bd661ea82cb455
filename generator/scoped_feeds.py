"""Feeds scoped to one interest circle or one release channel, made of the site feeds' own items.

An item is the very FeedItem the site-wide feeds carry (same id, same body), so a
reader subscribed to both sees one item, and an area's or channel's feed never
invents ids. A channel's feed holds only its own releases: a stable subscriber never
hears about a beta.
"""

from __future__ import annotations

from typing import Callable

from . import urls
from .circles import area_of, story_areas
from .feeds import Feed, FeedItem, newest
from .site import Site


def scoped_feeds(
    site: Site,
    _: Callable[..., str],
    releases: list[FeedItem],
    changes: dict[tuple[str, str], FeedItem],
    stories: dict[str, FeedItem],
) -> list[Feed]:
    """Describe one feed per declared area (status changes and stories) and per declared channel (releases)."""
    cfg = site.config
    limit = cfg.feeds_limit
    out = []
    for area in cfg.areas:
        name = area.name_in(cfg.language)
        ids = {s.id for s in site.suggestions if area_of(s, cfg) == area}
        items = [item for (sid, _anchor), item in changes.items() if sid in ids]
        items += [stories[s.slug] for s in site.stories if area.id in story_areas(s, cfg.areas)]
        about = area.description_in(cfg.language) or cfg.description or cfg.title
        out.append(Feed(f"areas/{area.id}", _("%(site)s: %(area)s", site=cfg.title, area=name), urls.area(area.id), about, newest(items, limit)))
    for channel in cfg.channels:
        name = channel.name_in(cfg.language)
        versions = {r.version for r in site.releases if cfg.channel(r.channel) == channel}
        items = [item for item in releases if item.subject.version in versions]
        about = channel.description_in(cfg.language) or cfg.description or cfg.title
        out.append(
            Feed(f"channels/{channel.id}", _("%(site)s: %(channel)s releases", site=cfg.title, channel=name), urls.channel(channel.id), about, newest(items, limit))
        )
    return out
