"""The typed, immutable documents that editors write, one class per content kind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

SUGGESTION_STATUSES = ("received", "evaluating", "adopted", "shipped", "declined")
STORY_STATUSES = ("submitted", "approved", "rejected")

SuggestionStatus = Literal["received", "evaluating", "adopted", "shipped", "declined"]


@dataclass(frozen=True)
class Origin:
    """Where a document came from: its path relative to the site and the line of each field."""

    path: str
    lines: tuple[tuple[str, int], ...] = ()
    digest: str = ""  # of the file's bytes: a document is what its file says
    body_line: int = 1  # the file line the Markdown body starts on

    def line(self, key: str) -> int:
        """Return the line of a top-level field (line 1 if it is absent)."""
        return dict(self.lines).get(key, 1)


@dataclass(frozen=True)
class PersonRef:
    """A PERSON as written (handle normalised) and the line it stands on."""

    handle: str
    line: int


@dataclass(frozen=True)
class ReleaseCredit:
    who: PersonRef
    what: str


@dataclass(frozen=True)
class Popcorn:
    """The week's popcorn award, voted by users for the best engineering team."""

    team: str
    members: tuple[PersonRef, ...]
    votes: int | None
    reason: str


@dataclass(frozen=True)
class Release:
    version: str
    date: datetime
    title: str
    channel: str | None
    summary: str | None
    credits: tuple[ReleaseCredit, ...]
    popcorn: Popcorn | None
    body: str
    origin: Origin
    images: tuple[tuple[str, str], ...] = ()  # (src as written in the body, path in the site)


@dataclass(frozen=True)
class HistoryEntry:
    date: datetime
    status: str
    note: str | None


@dataclass(frozen=True)
class Suggestion:
    id: str
    title: str
    proposed_by: tuple[PersonRef, ...]
    date: datetime
    status: str
    shipped_in: str | None
    declined_reason: str | None
    votes: int | None
    area: str | None
    thread: str | None
    history: tuple[HistoryEntry, ...]
    body: str
    origin: Origin
    images: tuple[tuple[str, str], ...] = ()  # (src as written in the body, path in the site)
    planned_for: str | None = None  # a version ("6.5") or a month ("2026-12")
    owner: str | None = None  # a team name, or a handle (normalised) of someone with a profile
    # Every release it shipped in, earliest first (a beta, then the stable release);
    # shipped_in is the first of them.
    shipped_versions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Profile:
    """An optional contributor profile file: enriches the person credited by handle."""

    handle: str
    name: str | None
    avatar: str | None  # a path relative to the site folder, or an https URL
    joined: datetime | None
    titles: tuple[str, ...]
    team: str | None
    links: tuple[tuple[str, str], ...]
    aliases: tuple[PersonRef, ...]
    anonymous: bool
    body: str
    origin: Origin


@dataclass(frozen=True)
class SuggestionRef:
    """A suggestion id as a story names it in `about`, and the line it stands on."""

    id: str
    line: int


@dataclass(frozen=True)
class Story:
    slug: str
    title: str
    author: PersonRef | None  # None for a guest
    guest_name: str | None
    date: datetime
    status: str
    consent: bool
    tags: tuple[str, ...]
    cover: str | None  # a path relative to the site folder
    anonymous: bool
    body: str
    origin: Origin
    images: tuple[tuple[str, str], ...] = ()  # (src as written in the body, path in the site)
    about: tuple[SuggestionRef, ...] = ()  # the suggestions the story is about
    area: str | None = None  # a declared area's id (or free text when the site declares none)

    @property
    def published(self) -> bool:
        """Only approved stories whose author consented are published anywhere."""
        return self.status == "approved" and self.consent


Document = Release | Suggestion | Profile | Story
