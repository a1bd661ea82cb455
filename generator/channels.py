"""Release channels (stable, beta…): each channel's pages, where a suggestion shipped, beta testers. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Mapping

from . import urls
from .declared import Channel
from .model import Release, Suggestion
from .pages import Page, feed_links
from .site import Site, Week

CHANNEL_PAGE = 30  # releases on one page of a channel's list


def channel_of(release: Release, site: Site) -> Channel | None:
    """Return the declared channel a release is on (None when the site declares no channels)."""
    return site.config.channel(release.channel)


@dataclass(frozen=True)
class ShippedIn:
    """One release a suggestion shipped in, with its channel ("try it in beta", "now for everyone")."""

    release: Release
    channel: Channel | None


def shipped_in_all(s: Suggestion, site: Site) -> tuple[ShippedIn, ...]:
    """Every published release a suggestion shipped in, earliest first, with its channel."""
    versions = s.shipped_versions or ((s.shipped_in,) if s.shipped_in else ())
    return tuple(ShippedIn(site.by_version[v], channel_of(site.by_version[v], site)) for v in versions if v in site.by_version)


def shipped_as(week: Week, site: Site) -> Mapping[str, ShippedIn]:
    """For a week's shipped suggestions, the release of that week each came in, only when it shipped more than once.

    A suggestion that shipped once needs no word; one that came in a beta and later in a
    stable release reads "try it in beta" on the first week and "now for everyone" on the next.
    """
    mine = {r.version for r in week.releases}
    out = {}
    for s in week.shipped:
        if len(s.shipped_versions) > 1:
            here = [v for v in s.shipped_versions if v in mine and v in site.by_version]
            if here:
                out[s.id] = ShippedIn(site.by_version[here[0]], channel_of(site.by_version[here[0]], site))
    return out


def channel_pages(site: Site) -> list[Page]:
    """One list of releases per declared channel, newest first, CHANNEL_PAGE to a page."""
    pages = []
    for channel in site.config.channels:
        releases = tuple(r for r in site.releases if channel_of(r, site) == channel)
        chunks = [releases[i : i + CHANNEL_PAGE] for i in range(0, len(releases), CHANNEL_PAGE)] or [()]
        for number, chunk in enumerate(chunks, start=1):
            pager = {
                "number": number,
                "count": len(chunks),
                "newer": urls.channel(channel.id, number - 1) if number > 1 else None,
                "older": urls.channel(channel.id, number + 1) if number < len(chunks) else None,
            }
            pages.append(
                Page(
                    urls.channel(channel.id, number),
                    "channel.html",
                    channel.name_in(site.config.language),
                    {"channel": channel, "releases": chunk, "pager": pager, "total": len(releases)},
                    feeds=feed_links(f"channels/{channel.id}"),
                )
            )
    return pages


@dataclass(frozen=True)
class Tester:
    """Someone credited on preview releases (a beta): how often, and the latest."""

    handle: str
    credits: int
    latest: Release
    first: datetime


def beta_testers(site: Site) -> tuple[Tester, ...]:
    """Everyone credited on a release of a channel other than the main one, most credits first."""
    found: dict[str, list[Release]] = {}
    for r in site.releases:  # newest first
        channel = channel_of(r, site)
        if channel is None or channel.main:
            continue
        for c in r.credits:
            handle = site.canonical(c.who.handle)
            if handle in site.people and not site.people[handle].anonymous:
                found.setdefault(handle, []).append(r)
    testers = [Tester(h, len(rs), rs[0], rs[-1].date) for h, rs in found.items()]
    return tuple(sorted(testers, key=lambda t: (-t.credits, t.first, t.handle)))
