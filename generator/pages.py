"""Site -> the list of pages to render: a URL, a template and a read-only context. No disk."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Mapping

from . import about, urls
from .errors import Diagnostics, SourceLocation
from .model import Story
from .honor import Honors
from .progress import progress
from .pace import pace
from .reports import Report, reports
from .weekloop import lately, week_loops
from .recognition import Recognition, Standing
from .site import Site
from .staff import staff, teams
from .mentions import mentioned


@dataclass(frozen=True)
class FeedLink:
    """A feed offered for autodiscovery on a page; the theme words its title."""

    name: str  # e.g. "releases", or "contributors/lin-xiao"
    format: str  # "RSS", "Atom" or "JSON Feed"
    url: str  # site path
    type: str  # MIME type
    person: str = ""  # the display name, for a contributor's own feed


@dataclass(frozen=True)
class Page:
    url: str  # site path, e.g. "/releases/14.8.23/"
    template: str
    title: str  # untranslated; templates translate the fixed ones
    context: Mapping[str, Any] = field(default_factory=dict)
    sources: tuple[str, ...] = ()  # content files this page is made from
    feeds: tuple[FeedLink, ...] = ()
    draft: bool = False  # made from a draft: only ever built by the preview


SITE_FEEDS = ("releases", "weekly", "stories", "suggestions")


def feed_links(name: str, person: str = "") -> tuple[FeedLink, ...]:
    """Offer one feed in all three formats."""
    return (
        FeedLink(name, "RSS", urls.feed(name, "xml"), "application/rss+xml", person),
        FeedLink(name, "Atom", urls.feed(name, "atom"), "application/atom+xml", person),
        FeedLink(name, "JSON Feed", urls.feed(name, "json"), "application/feed+json", person),
    )


@dataclass(frozen=True)
class Tag:
    slug: str
    name: str  # the first spelling seen
    stories: tuple[Story, ...]


def tags_of(stories: Iterable[Story]) -> tuple[Tag, ...]:
    """Group published stories by tag slug; tags with most stories first, then by name."""
    grouped: dict[str, tuple[str, list[Story]]] = {}
    for story in stories:
        for name in story.tags:
            slug = urls.tag_slug(name)
            grouped.setdefault(slug, (name, []))[1].append(story)
    tags = [Tag(slug, name, tuple(items)) for slug, (name, items) in grouped.items()]
    return tuple(sorted(tags, key=lambda t: (-len(t.stories), t.name.casefold(), t.slug)))


STORIES_PER_PAGE = 12
RELATED_STORIES = 3
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")


def reading_minutes(markdown_text: str) -> int:
    """Estimate reading time: 220 words a minute, or 400 characters for Chinese, Japanese, Korean."""
    cjk = len(_CJK.findall(markdown_text))
    words = len(re.findall(r"[A-Za-z0-9\u00c0-\u024f']+", markdown_text))
    return max(1, math.ceil(words / 220 + cjk / 400))


def related(stories: tuple[Story, ...]) -> dict[str, tuple[Story, ...]]:
    """For each story, the stories sharing most tags with it; ties go to the newer story."""
    by_tag: dict[str, list[int]] = {}
    for i, story in enumerate(stories):
        for slug in {urls.tag_slug(t) for t in story.tags}:
            by_tag.setdefault(slug, []).append(i)
    out = {}
    for i, story in enumerate(stories):
        shared = Counter(j for slug in {urls.tag_slug(t) for t in story.tags} for j in by_tag[slug] if j != i)
        # stories are newest first, so a lower index is newer
        best = sorted(shared.items(), key=lambda item: (-item[1], item[0]))[:RELATED_STORIES]
        out[story.slug] = tuple(stories[j] for j, _ in best)
    return out


def story_index(stories: tuple[Story, ...], tags: tuple[Tag, ...]) -> list[Page]:
    """The stories index, STORIES_PER_PAGE to a page: /stories/, /stories/page/2/, …"""
    chunks = [stories[i : i + STORIES_PER_PAGE] for i in range(0, len(stories), STORIES_PER_PAGE)] or [()]
    pages = []
    for number, chunk in enumerate(chunks, start=1):
        pager = {
            "number": number,
            "count": len(chunks),
            "newer": urls.stories_page(number - 1) if number > 1 else None,
            "older": urls.stories_page(number + 1) if number < len(chunks) else None,
        }
        context = {"stories": chunk, "tags": tags, "pager": pager, "total": len(stories)}
        pages.append(Page(urls.stories_page(number), "stories.html", "Stories", context, feeds=feed_links("stories")))
    return pages


def plan(site: Site, recognition: Recognition, honors: Honors) -> list[Page]:
    """List every page of the site, in a stable order."""
    # These modules build on Page and feed_links, defined here: imported here, not in a cycle.
    from .board import board_pages
    from .channels import beta_testers, channel_pages, shipped_as, shipped_in_all
    from .circles import area_pages
    from .roadmap import plan_and_fact

    tags = tags_of(site.stories)
    story_about, stories_of = about.link(site.stories, site.suggestions)
    releases_feed, weekly_feed, stories_feed, status_feed = (feed_links(name) for name in SITE_FEEDS)
    team = staff(site)
    fans = tuple(st for st in recognition.roll if st.handle not in team)  # the rolls are for users (staff.py)
    loops = week_loops(site)
    pages = [
        Page(
            urls.HOME,
            "index.html",
            site.config.title,
            {
                "latest": site.releases[0] if site.releases else None,
                "week": site.weeks[0] if site.weeks else None,
                "pulse_weeks": site.weeks[:PULSE_WEEKS],
                "stories": site.stories[:5],
                "top": fans[:10],
                "loop": lately(loops, [w.key for w in site.weeks[:HOME_LOOP_WEEKS]]),
            },
            feeds=releases_feed + weekly_feed + stories_feed,
        ),
        Page(urls.RELEASES, "releases.html", "Releases", {"releases": site.releases}, feeds=releases_feed),
        Page(urls.WEEKLY, "weekly_index.html", "Your suggestion, we did it", {"weeks": site.weeks, "pulse_weeks": site.weeks[:PULSE_WEEKS]}, feeds=weekly_feed),
        # Before the suggestions' own pages, so an id such as `shipped` is reported at its file.
        *board_pages(site),
        Page(
            urls.HONOR,
            "honor.html",
            "Honor roll",
            {"roll": fans, "popcorn": popcorn_history(site), "honors": honors, "teams": teams(site, team), "testers": beta_testers(site)},
        ),
        Page(urls.LEVELS, "levels.html", "How points and levels are earned", {}),
        *contributor_views(site, recognition.roll),
        *story_index(site.stories, tags),
        Page(urls.FEEDS, "feeds.html", "Feeds", {"feeds": [feed_links(name) for name in SITE_FEEDS + ("reports",)] + scoped_links(site)}),
        Page(urls.SEARCH, "search.html", "Search", {}),
        Page(urls.NOT_FOUND, "404.html", "Page not found", {}),
    ]
    for r in site.releases:
        pages.append(
            Page(
                urls.release(r.version),
                "release.html",
                r.title,
                {"release": r, "shipped": site.shipped_in(r.version), "week": site.week_of(r)},
                sources=(r.origin.path,),
                feeds=releases_feed,
            )
        )
    ids = frozenset(s.id for s in site.suggestions)
    for i, w in enumerate(site.weeks):
        popcorn = [r for r in w.releases if r.popcorn]
        # Only the ids a week's credits mention are in its context, so it depends on no others.
        mentions = mentioned((c.what for r in w.releases for c in r.credits), ids)
        pages.append(
            Page(
                urls.week(w.key),
                "week.html",
                f"Your suggestion, we did it: {w.key}",
                {"week": w, "popcorn": popcorn, "newcomers": honors.newcomers.get(w.key, ()), "pulse_weeks": pulse_window(site.weeks, i), "mentions": mentions,
                 "shipped_as": shipped_as(w, site), "loop": loops[w.key]},
                sources=tuple(r.origin.path for r in w.releases),
                feeds=weekly_feed,
            )
        )
    for s in site.suggestions:
        release = site.by_version.get(s.shipped_in) if s.shipped_in else None
        pages.append(
            Page(
                urls.suggestion(s.id), "suggestion.html", s.title,
                {"suggestion": s, "release": release, "stories": stories_of.get(s.id, ()), "plan": plan_and_fact(s, site), "shipped": shipped_in_all(s, site)},
                sources=(s.origin.path,), feeds=status_feed,
            )
        )
    for handle, person in site.people.items():
        if person.anonymous or handle in urls.RESERVED_HANDLES:  # the latter is reported where it is written
            continue
        sources = (person.profile.origin.path,) if person.profile else ()
        pages.append(
            Page(
                urls.contributor(handle),
                "contributor.html",
                person.name,
                {
                    "person": person,
                    "standing": recognition.standings[handle],
                    "progress": progress(recognition.standings[handle], site.config.levels),
                    "credits": recognition.credits[handle],
                    "places": honors.places.get(handle, ()),
                    "activity": honors.activity.get(handle),
                    "own_feed": feed_links(f"contributors/{handle}", person.name),
                },
                sources=sources,
                feeds=feed_links(f"contributors/{handle}", person.name),
            )
        )
        for alias in person.aliases:
            pages.append(Page(urls.contributor(alias), "redirect.html", person.name, {"target": urls.contributor(handle)}, sources=sources))
    stories = site.stories
    similar = related(stories)
    for i, story in enumerate(stories):
        pages.append(
            Page(
                urls.story(story.slug),
                "story.html",
                story.title,
                {
                    "story": story,
                    "newer": stories[i - 1] if i > 0 else None,
                    "older": stories[i + 1] if i + 1 < len(stories) else None,
                    "minutes": reading_minutes(story.body),
                    "related": similar[story.slug],
                    "about": story_about[story.slug],
                },
                sources=(story.origin.path,),
                feeds=stories_feed,
            )
        )
    for period in honors.months + honors.years:
        pages.append(Page(period.url, "honor_period.html", period.key, {"period": period}))
    for t in tags:
        pages.append(Page(urls.tag(t.slug), "tag.html", t.name, {"tag": t}, feeds=stories_feed))
    pages += area_pages(site, recognition) + channel_pages(site)
    pages += pace_pages(site, reports(site, recognition))
    pages.append(Page(urls.SITEMAP, "sitemap.xml", "sitemap", {"urls": sitemap_urls(pages)}))
    if site.drafts:
        pages = [replace(p, draft=True) if site.drafts.intersection(p.sources) else p for p in pages]
    return pages


PULSE_WEEKS = 12
HOME_LOOP_WEEKS = 4  # the home page tells the loop's news of the last four weeks with a release: about a month


def pulse_window(weeks: tuple, at: int) -> tuple:
    """The weeks a weekly page's pulse shows: PULSE_WEEKS around week `at` (newest first).

    Only these, so a new week changes the few pages whose window moves, not them all.
    """
    start = max(0, min(at - PULSE_WEEKS // 2, len(weeks) - PULSE_WEEKS))
    return weeks[start : start + PULSE_WEEKS]


def scoped_links(site: Site) -> list[tuple[FeedLink, ...]]:
    """Offer the feed of every declared area and channel on the feeds page."""
    return [feed_links(f"areas/{a.id}", a.name_in(site.config.language)) for a in site.config.areas] + [
        feed_links(f"channels/{c.id}", c.name_in(site.config.language)) for c in site.config.channels
    ]


def contributor_views(site: Site, roll: tuple[Standing, ...]) -> list[Page]:
    """The contributors index, sorted three ways, each a static page of its own."""
    by_name = sorted(roll, key=lambda st: (site.people[st.handle].name.casefold(), st.handle))
    newest = sorted(roll, key=lambda st: (-(st.first.timestamp() if st.first else 0), st.handle))
    views = (("by-level", roll), ("by-name", tuple(by_name)), ("newest", tuple(newest)))
    return [
        Page(urls.CONTRIBUTOR_VIEWS[name], "contributors.html", "Contributors", {"entries": entries, "view": name})
        for name, entries in views
    ]


def popcorn_history(site: Site) -> list[dict[str, Any]]:
    """List every popcorn award, newest week first."""
    return [{"week": site.week_of(r), "release": r, "award": r.popcorn} for r in site.releases if r.popcorn]


def sitemap_urls(pages: Iterable[Page]) -> list[str]:
    """List the HTML pages for the sitemap (not the 404 page, not redirects)."""
    return sorted(p.url for p in pages if p.template not in ("404.html", "redirect.html", "sitemap.xml"))


def check_collisions(pages: Iterable[Page], diagnostics: Diagnostics) -> None:
    """Report two sources that would write one output file.

    Paths are compared without case, because many hosts and file systems ignore it.
    """
    owners: dict[str, tuple[str, str]] = {}
    items = [(urls.output_file(p.url), p.sources[0] if p.sources else p.template) for p in pages]
    for path, source in items:
        key = path.casefold()
        if key in owners:
            first_path, first_source = owners[key]
            diagnostics.error(
                SourceLocation(source if source.startswith("content/") else "site.yml", 1),
                f"would write {path}, which {first_source} already writes; rename one of them",
            )
        else:
            owners[key] = (path, source)


def pace_pages(site: Site, found: tuple[Report, ...]) -> list[Page]:
    """Plan /pace/ (response times and the pledge), /reports/ and one page per monthly report."""
    reports_feed = feed_links("reports")
    pages = [
        Page(urls.PACE, "pace.html", "Response times", {"pace": pace(site)}),
        # Only what the index shows, so that it re-renders when a count changes, not a thank-you.
        Page(urls.REPORTS, "reports.html", "Monthly reports", {"reports": tuple(r.counts for r in found)}, feeds=reports_feed),
    ]
    for i, r in enumerate(found):
        around = {"newer": found[i - 1].key if i else None, "older": found[i + 1].key if i + 1 < len(found) else None}
        pages.append(Page(r.url, "report.html", r.key, {"report": r, **around}, feeds=reports_feed))
    return pages
