"""Scaffold new content files with the next version, date or id filled in, valid as written.

Each kind has a pure function: it takes what the site already has and today's date (the
clock is the caller's, so tests pass a fixed day) and returns the file's path, relative
to the site folder, and its text. Only `create` touches the disk, and it never overwrites.
Optional fields are written as YAML comments, and bodies as HTML comments, so a file
saved unedited publishes no placeholder text.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Iterable, NamedTuple, Sequence

import yaml
from anyascii import anyascii

from . import urls
from .config import WEEKDAYS, SiteConfig
from .documents import HANDLE_RE, normalize_handle
from .fields import VERSION_RE
from .model import Release
from .site import Site

SLUG_LENGTH = 60


class Scaffold(NamedTuple):
    """A new content file: its path relative to the site folder (with '/') and its text."""

    path: str
    text: str


class NeedsOption(ValueError):
    """The file cannot be made without an option that was not given (a usage error)."""


class AlreadyThere(ValueError):
    """The file, release version or profile exists already; nothing is overwritten."""


# --- what comes next ------------------------------------------------------------------


def next_version(latest: str) -> str | None:
    """Count up the last number in a version (6.4.5 -> 6.4.6, 2.1 -> 2.2); None if it has none."""
    numbers = list(re.finditer(r"\d+", latest))
    if not numbers:
        return None
    last = numbers[-1]
    bumped = str(int(last.group()) + 1).zfill(len(last.group()))  # 1.09 -> 1.10
    return latest[: last.start()] + bumped + latest[last.end() :]


def next_release_date(latest: date | None, today: date, release_day: str) -> date:
    """Return the next release day after the latest release (after today if there is none).

    A release day that has already passed is skipped: after weeks without a release,
    the next one is the coming release day (today, if today is one).
    """
    weekday = WEEKDAYS.index(release_day)

    def after(day: date) -> date:
        return day + timedelta(days=(weekday - day.weekday() - 1) % 7 + 1)

    if latest is None:
        return after(today)
    upcoming = after(latest)
    return upcoming if upcoming >= today else after(today - timedelta(days=1))


def next_suggestion_id(ids: Iterable[str]) -> str:
    """Follow the ids in use: S-1042 -> S-1043, keeping prefix and zero padding; S-1 when there are none."""
    numbered: dict[str, tuple[int, int]] = {}  # prefix -> (highest number, its digits)
    uses: Counter[str] = Counter()
    taken = set()
    for ident in ids:
        taken.add(ident.casefold())
        if m := re.fullmatch(r"(.*?)(\d+)", ident):
            prefix, digits = m.group(1), m.group(2)
            uses[prefix] += 1
            numbered[prefix] = max(numbered.get(prefix, (0, 0)), (int(digits), len(digits)))
    if not uses:
        return "S-1"
    prefix = max(uses, key=lambda p: (uses[p], numbered[p]))  # the most used pattern wins
    number, width = numbered[prefix]
    while True:
        number += 1
        candidate = f"{prefix}{str(number).zfill(width)}"
        if candidate.casefold() not in taken:
            return candidate


def _ascii_slug(text: str) -> str:
    """Transliterate letters and digits to lower-case ASCII, every other run a '-' (Łukasz -> lukasz, 林晓 -> lin-xiao)."""
    parts = []
    for char in unicodedata.normalize("NFC", text):
        if unicodedata.category(char)[0] not in "LNM":
            parts.append(" ")  # punctuation, spaces and symbols separate words; emoji are no letters
        elif unicodedata.name(char, "").startswith(("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH")):
            parts.append(f" {anyascii(char)} ")  # a Chinese character is a syllable: lin-xiao, not linxiao
        else:
            parts.append(anyascii(char))  # ß -> ss, ø -> o, Ł -> L: no letter is dropped
    return re.sub(r"[^a-z0-9]+", "-", "".join(parts).lower()).strip("-")


def handle_from_name(name: str) -> str | None:
    """Make a handle from a display name ('Zoë Martin' -> 'zoe-martin', '林晓' -> 'lin-xiao'); None without letters."""
    slug = _ascii_slug(name)
    return slug if re.search(r"[a-z]", slug) else None


def slug_from_title(title: str) -> str | None:
    """Make a story's address from its title, at most 60 characters, cut between words; None if nothing is left."""
    slug = _ascii_slug(title)
    if len(slug) > SLUG_LENGTH:
        cut = slug[: SLUG_LENGTH + 1]
        slug = cut[: cut.rfind("-")] if "-" in cut else slug[:SLUG_LENGTH]
    return slug.strip("-") or None


# --- the four kinds ---------------------------------------------------------------------


def release(
    config: SiteConfig, releases: Sequence[Release], today: date, version: str | None = None, when: date | None = None
) -> Scaffold:
    """Scaffold the next release: version counted up from the latest, dated the next release day."""
    latest = releases[0] if releases else None  # Site.releases is newest first
    if version is None:
        if latest is None:
            raise NeedsOption("there are no releases yet; give the first version, e.g. --version 1.0")
        version = next_version(latest.version)
        if version is None:
            raise NeedsOption(f"the latest release '{latest.version}' has no number to count up from; give one with --version")
    elif not VERSION_RE.fullmatch(version) or ".." in version:
        raise NeedsOption(f"--version '{version}' is not a usable version: use letters, digits, '.', '-', '_' or '+'")
    for r in releases:
        if r.version.casefold() == version.casefold():
            raise AlreadyThere(f"release {r.version} exists already in {r.origin.path}; nothing was written")
    if when is None:
        latest_day = latest.date.astimezone(config.tz).date() if latest else None
        when = next_release_date(latest_day, today, config.release_day)
    text = f"""---
version: {_quoted(version)}
date: {when.isoformat()}
# title: {config.title} {version}  # optional; this is the default
# channel: stable
# summary: One line for lists and feeds.
# credits:  # people who reported, tested, translated
#   - who: handle
#     for: reported the crash on start
# popcorn:  # the week's popcorn award
#   team: Camera team
#   members: [handle, other-handle]
#   votes: 1234
#   reason: What users loved.
---
## New

## Improved

## Fixed
"""
    return Scaffold(f"content/releases/{version}.md", text)


def suggestion(ids: Iterable[str], today: date, title: str, by: Sequence[str], when: date | None = None) -> Scaffold:
    """Scaffold a received suggestion with the next free id."""
    ident = next_suggestion_id(ids)
    if not by:
        raise NeedsOption("give who proposed it, e.g. --by lin-xiao (repeat --by for co-proposers)")
    handles = list(dict.fromkeys(_handle(h, "--by") for h in by))
    day = (when or today).isoformat()
    text = f"""---
title: {_scalar(_text(title, "--title"))}
proposed_by: [{", ".join(_scalar(h) for h in handles)}]
date: {day}
status: received  # received, evaluating, adopted, shipped or declined
# votes: 0
# area: Product area
# thread: https://community.example.com/t/1
# history:  # the public timeline: add a line at each change of status
#   - {{date: {day}, status: received}}
---
<!-- What was asked, in the proposer's words; later, what was done. -->
"""
    return Scaffold(f"content/suggestions/{ident}.md", text)


def contributor(site: Site, today: date, name: str | None = None, handle: str | None = None) -> Scaffold:
    """Scaffold a contributor profile; the handle comes from --handle or from the display name."""
    if handle is not None:
        handle = _handle(handle, "--handle")
    elif name is not None:
        handle = handle_from_name(_text(name, "--name"))
        if handle is None:
            raise NeedsOption(f"'{name}' has no letters to make a handle from; give one, e.g. --handle lin-xiao")
    else:
        raise NeedsOption('give the person\'s --name "Display Name", or their --handle, or both')
    if handle in site.alias_of:
        owner = site.people[site.alias_of[handle]].profile
        where = f" ({owner.origin.path})" if owner else ""
        raise AlreadyThere(f"'{handle}' is an alias of '{site.alias_of[handle]}'{where}; edit that profile instead")
    person = site.people.get(handle)
    if person is not None and person.profile is not None:
        raise AlreadyThere(f"'{handle}' has a profile already: {person.profile.origin.path}; nothing was written")
    name_line = f"name: {_scalar(_text(name, '--name'))}" if name is not None else "# name: Display Name  # in any script"
    text = f"""---
{name_line}
joined: {today.isoformat()}
# avatar: {handle}.jpg  # an image next to this file (PNG, JPEG, GIF, WebP), or https://…
# titles: [Beta Tester Expert]
# team: Camera team  # for staff
# links: {{Blog: https://example.com/}}
# aliases: [other-handle]  # other handles of the same person: their credits merge here
# anonymous: true  # shown as "Anonymous contributor", with no page and no feed
---
<!-- A short bio. -->
"""
    return Scaffold(f"content/contributors/{handle}.md", text)


def story(
    slugs: Iterable[str],
    today: date,
    title: str,
    author: str | None = None,
    guest: str | None = None,
    when: date | None = None,
    slug: str | None = None,
) -> Scaffold:
    """Scaffold a submitted story, without consent yet: it is published only once an editor approves it."""
    title = _text(title, "--title")
    day = when or today
    if (author is None) == (guest is None):
        raise NeedsOption("give the story's --author (a handle) or, for a guest, --guest \"Their Name\"")
    if slug is None:
        slug = slug_from_title(title) or f"story-{day.isoformat()}"
    elif (named := urls.name_slug(slug, "-", lower_case=True)) is None:
        raise NeedsOption(f"--slug '{slug}' is not a story address; use lower-case letters (any script), digits and '-'")
    else:
        slug = named  # the address the story will have (NFKC), so the file is named as it is read
    if slug in set(slugs):
        raise AlreadyThere(f"a story at content/stories/{slug} exists already; give another address with --slug")
    if author is not None:
        author_lines = f"author: {_scalar(_handle(author, '--author'))}"
    else:
        author_lines = f"author:\n  name: {_scalar(_text(guest or '', '--guest'))}"
    text = f"""---
title: {_scalar(title)}
{author_lines}
date: {day.isoformat()}
status: submitted  # submitted, approved or rejected
consent: false  # true once the author has agreed; only approved stories with consent are published
# tags: [night mode]
# cover: cover.jpg  # an image next to this file
---
<!-- The story, as the author sent it. -->
"""
    return Scaffold(f"content/stories/{slug}.md", text)


def create(site_dir: Path, scaffold: Scaffold) -> Path:
    """Write a scaffolded file into the site; refuse if it exists (checked atomically)."""
    path = site_dir.joinpath(*scaffold.path.split("/"))
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as fh:
            fh.write(scaffold.text)
    except FileExistsError:
        raise AlreadyThere(f"{scaffold.path} exists already; nothing was written") from None
    return path


# --- writing values ----------------------------------------------------------------------


def _text(value: str | None, option: str) -> str:
    if value is None or not value.strip():
        raise NeedsOption(f"{option} is empty; give a value")
    return value.strip()


def _handle(value: str, option: str) -> str:
    handle = normalize_handle(value)
    if not HANDLE_RE.fullmatch(handle):
        raise NeedsOption(f"{option} '{value}' is not a handle: use letters, digits, '-', '_' or '.', like lin-xiao")
    return handle


def _quoted(value: str) -> str:
    """Write a string double-quoted, as YAML reads it back exactly."""
    return yaml.safe_dump(value, default_style='"', allow_unicode=True, width=1 << 20).strip()


def _scalar(value: str) -> str:
    """Write a string plainly when YAML reads it back as the same string, else quoted ('2.1', 'a: b')."""
    plain = yaml.safe_dump(value, allow_unicode=True, width=1 << 20).strip().removesuffix("\n...").strip()
    if "\n" not in plain and yaml.safe_load(plain) == value and "#" not in plain:
        return plain
    return _quoted(value)
