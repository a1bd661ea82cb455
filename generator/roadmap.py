"""The public plan: `planned_for` and `owner` read and checked, the board's plan groups, plan against fact."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Iterable, Mapping

from . import fields as f
from .errors import Diagnostics, SourceLocation, did_you_mean
from .model import Release, Suggestion

if TYPE_CHECKING:
    from .site import Person, Site

MONTH_RE = re.compile(r"(\d{4})-(\d{2})")
# A plan belongs to a suggestion the team has said yes to; one still received or being
# evaluated that names a release would promise what nobody decided.
PLANNED_STATUSES = ("adopted", "shipped", "declined")


def planned_for(node: f.Node) -> str:
    """Read `planned_for`: a version (6.5) or a month (2026-12)."""
    value = f.text(node)
    month = MONTH_RE.fullmatch(value)
    if month and 1 <= int(month.group(2)) <= 12:
        return value
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", value):  # YAML read a day: the plan is a month
        raise f.Invalid(f"'{value}' is a day; a plan names a month (e.g. {value[:7]}) or a version (e.g. 6.5)")
    if MONTH_RE.fullmatch(value) is None and f.VERSION_RE.fullmatch(value) and ".." not in value and re.search(r"\d", value):
        return value
    raise f.Invalid(f"'{value}' is neither a version (e.g. 6.5) nor a month written YYYY-MM (e.g. 2026-12)")


def is_month(plan: str) -> bool:
    """Tell a month plan (2026-12) from a version plan (6.5)."""
    return MONTH_RE.fullmatch(plan) is not None


def teams_of(people: Mapping[str, "Person"], releases: Iterable[Release]) -> dict[str, str]:
    """Every team the content names (profiles' `team`, popcorn awards): case-folded name -> name as written."""
    teams: dict[str, str] = {}
    for p in people.values():
        if p.profile is not None and p.profile.team:
            teams.setdefault(p.profile.team.casefold(), p.profile.team)
    for r in releases:
        if r.popcorn is not None:
            teams.setdefault(r.popcorn.team.casefold(), r.popcorn.team)
    return teams


def resolve_plans(
    suggestions: Iterable[Suggestion], people: Mapping[str, "Person"], alias_of: Mapping[str, str],
    releases: Iterable[Release], diagnostics: Diagnostics,
) -> list[Suggestion]:
    """Check each suggestion's plan and owner; an owner becomes a team's name or a person's canonical handle.

    A team is told from a person by its name: the teams are those profiles and popcorn
    awards name ("Camera team"), a person is a handle someone is known by. Neither is
    an error with the nearest of both, since a typo would otherwise name nobody.
    """
    from .documents import normalize_handle  # documents imports this module for `planned_for`

    releases = list(releases)
    teams = teams_of(people, releases)
    out = []
    for s in suggestions:
        where = s.origin.path
        if s.planned_for is not None and s.status not in PLANNED_STATUSES:
            diagnostics.error(
                SourceLocation(where, s.origin.line("planned_for")),
                f"planned_for: only an adopted suggestion has a plan (status is '{s.status}'); "
                "set 'status: adopted' with a history entry, or remove planned_for",
            )
        if s.owner is None:
            out.append(s)
            continue
        owner = teams.get(s.owner.casefold())
        if owner is None:
            handle = alias_of.get(normalize_handle(s.owner), normalize_handle(s.owner))
            if handle in people and not people[handle].anonymous:
                owner = handle
        if owner is None:
            known = list(teams.values()) + [h for h, p in people.items() if not p.anonymous]
            hint = did_you_mean(s.owner, known, list_known=False) or did_you_mean(normalize_handle(s.owner), known, list_known=False)
            diagnostics.error(
                SourceLocation(where, s.origin.line("owner")),
                f"owner: '{s.owner}' is neither a team nor a contributor{hint}; name a team as a profile's "
                "'team' or a popcorn award writes it, or the handle of a contributor",
            )
        out.append(replace(s, owner=owner))
    return out


@dataclass(frozen=True)
class PlanGroup:
    """Adopted suggestions that share a plan (None: not planned yet)."""

    plan: str | None
    month: bool
    suggestions: tuple[Suggestion, ...]


def plan_groups(suggestions: Iterable[Suggestion]) -> tuple[PlanGroup, ...]:
    """Group adopted suggestions by plan: versions in order, then months, then those not planned yet."""
    from .site import natural_key

    grouped: dict[str | None, list[Suggestion]] = {}
    for s in suggestions:
        if s.status == "adopted":
            grouped.setdefault(s.planned_for, []).append(s)

    def order(plan: str | None) -> tuple:
        if plan is None:
            return (2, ())
        return (1, plan) if is_month(plan) else (0, natural_key(plan))

    return tuple(
        PlanGroup(plan, plan is not None and is_month(plan), tuple(sorted(items, key=lambda s: (-(s.votes or 0), s.id))))
        for plan, items in sorted(grouped.items(), key=lambda kv: order(kv[0]))
    )


@dataclass(frozen=True)
class PlanAndFact:
    """What was planned, and what happened: shipped on plan, early, late, or not yet."""

    plan: str
    month: bool
    release: Release | None  # the first release it shipped in
    verdict: str  # "on-plan", "early", "late" or "planned"


def plan_and_fact(s: Suggestion, site: "Site") -> PlanAndFact | None:
    """Compare a suggestion's plan with the release it first shipped in (None without a plan)."""
    from .site import natural_key

    if s.planned_for is None:
        return None
    plan, month = s.planned_for, is_month(s.planned_for)
    release = site.by_version.get(s.shipped_in) if s.shipped_in else None
    if release is None:
        return PlanAndFact(plan, month, None, "planned")
    if month:
        shipped = release.date.astimezone(site.config.tz).strftime("%Y-%m")
        verdict = "on-plan" if shipped == plan else ("early" if shipped < plan else "late")
    else:
        version = release.version
        if version == plan or version.startswith((plan + ".", plan + "-")):
            verdict = "on-plan"  # 6.5.2 and 6.5.0-beta are 6.5
        else:
            verdict = "early" if natural_key(version) < natural_key(plan) else "late"
    return PlanAndFact(plan, month, release, verdict)
