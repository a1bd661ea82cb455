"""Site -> feeds (RSS 2.0, Atom 1.0, JSON Feed 1.1). Dates come from content, never the clock.

An item's id is the absolute URL of what it is (a release page, a week page, a
suggestion's status anchor), so a rebuild, a reorder or new content never makes an old
item look new. Feed-level dates are the newest item's.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

from feedgen.feed import FeedGenerator

from . import urls
from .config import SiteConfig
from .site import Site


@dataclass(frozen=True)
class FeedItem:
    id: str  # absolute URL (with an anchor for a status change)
    url: str  # site path of the page
    title: str
    date: datetime
    summary: str
    body: Callable[[], str]  # rendered HTML with absolute links, made only when written


@dataclass(frozen=True)
class Feed:
    name: str  # file name without extension
    title: str
    url: str  # site path of the HTML page the feed follows
    description: str
    items: tuple[FeedItem, ...]  # newest first, at most feeds.limit


def fallback_date() -> datetime:
    """Date an empty feed: SOURCE_DATE_EPOCH when set, else the epoch (never the clock)."""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0)
    return datetime.fromtimestamp(epoch, timezone.utc)


def newest(items: list[FeedItem], limit: int) -> tuple[FeedItem, ...]:
    """Keep the newest `limit` items; ties keep a stable order by id."""
    return tuple(sorted(items, key=lambda i: (-i.date.timestamp(), i.id))[:limit])


def collect(site: Site, render_body: Callable[[str, object, str], str], _: Callable[..., str]) -> list[Feed]:
    """Describe the site-wide feeds; `render_body(kind, thing, url)` makes an item's HTML.

    `_` translates the feed's own words into the site's language.
    """
    cfg = site.config
    limit = cfg.feeds_limit
    releases = [
        FeedItem(
            cfg.absolute(urls.release(r.version)),
            urls.release(r.version),
            r.title,
            r.date,
            r.summary or "",
            lambda r=r: render_body("release", r, urls.release(r.version)),
        )
        for r in site.releases
    ]
    weeks = [
        FeedItem(
            cfg.absolute(urls.week(w.key)),
            urls.week(w.key),
            _("Your suggestion, we did it") + ": " + _("Week %(week)s", week=w.key),
            w.releases[0].date,
            ", ".join(s.title for s in w.shipped),
            lambda w=w: render_body("week", w, urls.week(w.key)),
        )
        for w in site.weeks
    ]
    stories = [
        FeedItem(
            cfg.absolute(urls.story(s.slug)),
            urls.story(s.slug),
            s.title,
            s.date,
            "",
            lambda s=s: render_body("story", s, urls.story(s.slug)),
        )
        for s in site.stories
    ]
    return [
        Feed("releases", f"{cfg.title}: {_('Releases')}", urls.RELEASES, cfg.description or cfg.title, newest(releases, limit)),
        Feed("weekly", f"{cfg.title}: {_('Your suggestion, we did it')}", urls.WEEKLY, cfg.description or cfg.title, newest(weeks, limit)),
        Feed("stories", f"{cfg.title}: {_('Stories')}", urls.STORIES, cfg.description or cfg.title, newest(stories, limit)),
    ]


def serialize(feed: Feed, config: SiteConfig) -> dict[str, bytes]:
    """Write a feed as RSS, Atom and JSON Feed; return output file -> bytes."""
    updated = feed.items[0].date if feed.items else fallback_date()
    home = config.absolute(urls.encode(feed.url))
    bodies = [item.body() for item in feed.items]

    fg = FeedGenerator()
    fg.id(home)
    fg.title(feed.title)
    fg.description(feed.description)
    fg.subtitle(feed.description)
    fg.language(config.language)
    fg.generator("cocreate")  # no version: an upgrade must not churn every feed's bytes
    fg.updated(updated)
    fg.lastBuildDate(updated)
    for item, body in zip(feed.items, bodies):
        entry = fg.add_entry(order="append")
        entry.id(item.id)
        entry.guid(item.id, permalink=False)
        entry.title(item.title)
        entry.link(href=config.absolute(urls.encode(item.url)))
        entry.published(item.date)
        entry.updated(item.date)
        entry.content(body, type="html")
        if item.summary:
            entry.summary(item.summary)

    # RSS takes its channel <link> from the alternate link; each format names itself as self.
    for ext in ("xml", "atom"):
        fg.link([{"href": config.absolute(urls.feed(feed.name, ext)), "rel": "self"}, {"href": home, "rel": "alternate"}], replace=True)
        if ext == "xml":
            rss = fg.rss_str(pretty=True)
    atom = fg.atom_str(pretty=True)

    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed.title,
        "home_page_url": home,
        "feed_url": config.absolute(urls.feed(feed.name, "json")),
        "description": feed.description,
        "language": config.language,
        "items": [
            {
                "id": item.id,
                "url": config.absolute(urls.encode(item.url)),
                "title": item.title,
                "content_html": body,
                **({"summary": item.summary} if item.summary else {}),
                "date_published": item.date.isoformat(),
            }
            for item, body in zip(feed.items, bodies)
        ],
    }
    text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False)
    # Escaped so the JSON stays inert even if someone inlines it in a page.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return {
        urls.output_file(urls.feed(feed.name, "xml")): rss,
        urls.output_file(urls.feed(feed.name, "atom")): atom,
        urls.output_file(urls.feed(feed.name, "json")): (text + "\n").encode("utf-8"),
    }
