"""Site -> feeds (RSS 2.0, Atom 1.0, JSON Feed 1.1). Dates come from content, never the clock.

An item's id is the absolute URL of what it is: a release, week or story page, a
suggestion's page with the status as anchor (`…/suggestions/S-1/#status-shipped`), a
release page with the person credited (`…/releases/1.2/#credit-lin-xiao`). So a
rebuild, a reorder or new content never makes an old item look new. Feed-level dates
are the newest item's.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Callable, Iterable

from feedgen.feed import FeedGenerator

from . import urls
from .config import SiteConfig
from .model import Release, Story, Suggestion
from .site import Site


@dataclass(frozen=True)
class FeedItem:
    id: str  # absolute URL (with an anchor for a status change or a credit)
    url: str  # site path of the page
    title: str
    date: datetime
    summary: str
    kind: str  # which feed_<kind>.html template renders its body
    subject: object  # what the template shows: a Release, Week, Story, StatusChange, …


@dataclass(frozen=True)
class Feed:
    name: str  # file name without extension, e.g. "releases" or "contributors/lin-xiao"
    title: str
    url: str  # site path of the HTML page the feed follows
    description: str
    items: tuple[FeedItem, ...]  # newest first, at most feeds.limit


@dataclass(frozen=True)
class StatusChange:
    """One public status change of a suggestion, from its history or its current status."""

    suggestion: Suggestion
    status: str
    date: datetime
    note: str | None
    anchor: str  # "status-shipped"; a status reached again gets "-2", "-3"


@dataclass(frozen=True)
class CreditInRelease:
    """A person's credits in one release, as one item of their own feed."""

    release: Release
    handle: str
    what: tuple[str, ...]


def fallback_date() -> datetime:
    """Date an empty feed: 1970-01-01, a fixed point (never the clock: it would churn the feed)."""
    return datetime.fromtimestamp(0, timezone.utc)


def newest(items: Iterable[FeedItem], limit: int) -> tuple[FeedItem, ...]:
    """Keep the newest `limit` items; ties keep a stable order by id."""
    return tuple(sorted(items, key=lambda i: (-i.date.timestamp(), i.id))[:limit])


def status_changes(site: Site) -> dict[str, tuple[StatusChange, ...]]:
    """Every suggestion's public timeline: its history, then its current status if that is newer.

    Without a history, a suggestion was received on its date and reached its current
    status then (or, when shipped, on the day its release came out).
    """
    out = {}
    for s in site.suggestions:
        release = site.by_version.get(s.shipped_in) if s.shipped_in else None
        steps = [(h.date, h.status, h.note) for h in s.history] or [(s.date, "received", None)]
        if steps[-1][1] != s.status:
            when = release.date if release is not None else max(steps[-1][0], s.date)
            steps.append((when, s.status, None))
        seen: dict[str, int] = {}
        changes = []
        for when, status, note in steps:
            seen[status] = seen.get(status, 0) + 1
            anchor = f"status-{status}" + (f"-{seen[status]}" if seen[status] > 1 else "")
            changes.append(StatusChange(s, status, when, note, anchor))
        out[s.id] = tuple(changes)
    return out


def collect(site: Site, _: Callable[..., str]) -> list[Feed]:
    """Describe every feed: the site's four and one per named contributor.

    `_` translates the feed's own words into the site's language.
    """
    cfg = site.config
    limit = cfg.feeds_limit
    about = cfg.description or cfg.title
    labels = {"received": _("Received"), "evaluating": _("Evaluating"), "adopted": _("Adopted"), "shipped": _("Shipped"), "declined": _("Declined")}
    timelines = status_changes(site)

    def change_item(c: StatusChange) -> FeedItem:
        url = urls.suggestion(c.suggestion.id)
        title = _("%(title)s: %(status)s", title=c.suggestion.title, status=labels[c.status])
        return FeedItem(cfg.absolute(urls.encode(url)) + "#" + c.anchor, url, title, c.date, c.note or "", "status", c)

    releases = [
        FeedItem(cfg.absolute(urls.encode(urls.release(r.version))), urls.release(r.version), r.title, r.date, r.summary or "", "release", r)
        for r in site.releases
    ]
    weeks = [
        FeedItem(
            cfg.absolute(urls.week(w.key)),
            urls.week(w.key),
            _("Your suggestion, we did it: week %(week)s", **urls.week_words(w.key)),
            w.releases[0].date,
            ", ".join(s.title for s in w.shipped),
            "week",
            w,
        )
        for w in site.weeks
    ]
    # Each item is made once and shared by every feed it is in (so its digest is too).
    story_items = {s.slug: story_item(cfg, s) for s in site.stories}
    change_items = {(sid, c.anchor): change_item(c) for sid, timeline in timelines.items() for c in timeline}
    stories = list(story_items.values())
    changes = list(change_items.values())
    # (Plain calls, not f-strings: Babel's extractor finds only these.)
    feeds = [
        Feed("releases", _("%(site)s: releases", site=cfg.title), urls.RELEASES, about, newest(releases, limit)),
        Feed("weekly", _("%(site)s: your suggestion, we did it", site=cfg.title), urls.WEEKLY, about, newest(weeks, limit)),
        Feed("stories", _("%(site)s: stories", site=cfg.title), urls.STORIES, about, newest(stories, limit)),
        Feed("suggestions", _("%(site)s: suggestion status changes", site=cfg.title), urls.SUGGESTIONS, about, newest(changes, limit)),
    ]

    mine: dict[str, list[FeedItem]] = {h: [] for h, p in site.people.items() if not p.anonymous}
    for s in site.suggestions:
        for handle in {site.canonical(ref.handle) for ref in s.proposed_by}:
            if handle in mine:
                mine[handle].extend(change_items[(s.id, c.anchor)] for c in timelines[s.id])
    for r in site.releases:
        credited: dict[str, list[str]] = {}
        for c in r.credits:
            credited.setdefault(site.canonical(c.who.handle), []).append(c.what)
        for m in r.popcorn.members if r.popcorn else ():
            credited.setdefault(site.canonical(m.handle), []).append(_("Popcorn award: %(team)s", team=r.popcorn.team))
        for handle, what in credited.items():
            if handle in mine:
                url = urls.release(r.version)
                item_id = cfg.absolute(urls.encode(url)) + "#credit-" + handle
                mine[handle].append(FeedItem(item_id, url, r.title, r.date, "; ".join(what), "credit", CreditInRelease(r, handle, tuple(what))))
    for story in site.stories:
        if story.author is not None and not story.anonymous:
            handle = site.canonical(story.author.handle)
            if handle in mine:
                full = story_items[story.slug]
                # By default a byline and a link: every story once per author feed would double the site.
                mine[handle].append(full if cfg.contributor_stories == "full" else replace(full, kind="story_summary"))
    for handle, items in mine.items():
        name = site.people[handle].name
        feeds.append(
            Feed(f"contributors/{handle}", _("%(name)s: suggestions and credits", name=name), urls.contributor(handle), about, newest(items, limit))
        )
    from .scoped_feeds import scoped_feeds  # it builds on this module's items: imported here, not in a cycle

    feeds.extend(scoped_feeds(site, _, releases, change_items, story_items))
    return feeds


def rss_text(value: str) -> str:
    """Escape plain text for an RSS title or description, which readers parse as HTML.

    RSS never says whether these hold text or HTML, and readers (and feedparser) take
    them as HTML. Escaped once, as XML needs, `<img onerror=…>` comes back as markup in
    the reader; escaped as HTML first, it comes back as the text it was. Atom and JSON
    Feed declare these fields as plain text, so they keep the text as it is.
    """
    return html.escape(value, quote=False)


def _generator(
    feed: Feed, config: SiteConfig, bodies: list[str], updated: datetime, home: str, ext: str, text: Callable[[str], str]
) -> FeedGenerator:
    """Describe a feed to feedgen, with its plain text passed through `text` for the format."""
    fg = FeedGenerator()
    fg.id(home)
    fg.title(text(feed.title))
    fg.description(text(feed.description))
    fg.subtitle(text(feed.description))
    fg.language(config.language)
    fg.generator("cocreate")  # no version: an upgrade must not churn every feed's bytes
    fg.author({"name": text(config.title)})  # RFC 4287: a feed names an author unless every entry does
    fg.updated(updated)
    fg.lastBuildDate(updated)
    for item, body in zip(feed.items, bodies):
        entry = fg.add_entry(order="append")
        entry.id(item.id)
        entry.guid(item.id, permalink=False)
        entry.title(text(item.title))
        entry.link(href=config.absolute(urls.encode(item.url)))
        entry.published(item.date)
        entry.updated(item.date)
        entry.content(body, type="html")
        if item.summary:
            entry.summary(text(item.summary))
    # RSS takes its channel <link> from the alternate link; each format names itself as self.
    fg.link([{"href": config.absolute(urls.feed(feed.name, ext)), "rel": "self"}, {"href": home, "rel": "alternate"}], replace=True)
    return fg


def story_item(cfg: SiteConfig, story: Story) -> FeedItem:
    url = urls.story(story.slug)
    return FeedItem(cfg.absolute(urls.encode(url)), url, story.title, story.date, "", "story", story)


def serialize(feed: Feed, config: SiteConfig, body: Callable[[FeedItem], str]) -> dict[str, bytes]:
    """Write a feed as RSS, Atom and JSON Feed; return output file -> bytes.

    `body(item)` gives an item's HTML with absolute links.
    """
    updated = feed.items[0].date if feed.items else fallback_date()
    home = config.absolute(urls.encode(feed.url))
    bodies = [body(item) for item in feed.items]

    # Two writers, because RSS and Atom disagree on what a title is (see rss_text).
    rss = _generator(feed, config, bodies, updated, home, "xml", rss_text).rss_str(pretty=True)
    atom = _generator(feed, config, bodies, updated, home, "atom", str).atom_str(pretty=True)

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
