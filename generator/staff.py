"""Who is staff: the people who build the product, kept off the fans' rolls.

The loop thanks users: the honor rolls (levels, monthly stars, yearly pioneers, the
home page's top contributors, a week's newcomers) rank the people who suggest, report,
test and write. The popcorn award is the users' vote for an engineering team, and its
points would otherwise put the team's members on those rolls beside the users they
serve (and, week after week, ahead of them). So staff keep their profile, credits and
points, and the honor roll names them in a section of their own.
"""

from __future__ import annotations

from .site import Site


def staff(site: Site) -> frozenset[str]:
    """Return the canonical handles of staff: a profile with a `team`, or a member of a popcorn-winning team."""
    handles = {h for h, p in site.people.items() if p.profile is not None and p.profile.team}
    for release in site.releases:
        if release.popcorn:
            handles.update(site.canonical(m.handle) for m in release.popcorn.members)
    return frozenset(h for h in handles if h in site.people and not site.people[h].anonymous)


def teams(site: Site, members: frozenset[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Group staff by team, teams by name; a member without a profile `team` goes under their latest popcorn team."""
    latest: dict[str, str] = {}
    for release in reversed(site.releases):  # oldest first, so the newest award is kept
        if release.popcorn:
            for m in release.popcorn.members:
                latest[site.canonical(m.handle)] = release.popcorn.team
    grouped: dict[str, list[str]] = {}
    for handle in members:
        profile = site.people[handle].profile
        grouped.setdefault(profile.team if profile and profile.team else latest[handle], []).append(handle)
    return tuple(
        (team, tuple(sorted(hs, key=lambda h: (site.people[h].name.casefold(), h))))
        for team, hs in sorted(grouped.items(), key=lambda item: item[0].casefold())
    )
