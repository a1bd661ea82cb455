"""site.yml's declared vocabularies, `areas:` and `channels:`: read, checked, and looked up.

A vocabulary is opt-in. A site that declares no areas keeps `area:` as free text (as
before areas existed) and has no area pages; a site that declares no channels keeps
`channel:` as a free badge and has one channel, the whole site (/releases/ and its
feeds). Once declared, every use must name a declared entry, so a typo is an error
with a "did you mean" instead of a new, lonely area or an unfiltered beta.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from . import fields as f
from . import schema
from .errors import did_you_mean
from .urls import tag_slug

ID_RE = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")  # always used with fullmatch
# Words that name a list page under /suggestions/<status>/<area>/: an area named so
# would write onto a page of the status list itself.
RESERVED_IDS = frozenset({"page"})


def in_language(words: tuple[tuple[str, str], ...], language: str, fallback: str) -> str:
    """Pick the text for a language: the exact tag, then its base language, then English, then the first."""
    found = dict(words)
    base = language.split("-")[0]
    for key in (language, base, *(k for k in found if k.split("-")[0] == base), "en"):
        if key in found:
            return found[key]
    return next(iter(found.values()), fallback)


@dataclass(frozen=True)
class Area:
    """An interest circle: suggestions and stories about one part of the product."""

    id: str
    names: tuple[tuple[str, str], ...]  # (language tag, name); "" for a name given without language
    descriptions: tuple[tuple[str, str], ...]
    tags: tuple[str, ...]  # story tag slugs that put a story in this area

    def name_in(self, language: str) -> str:
        """Name the area in a language (falling back to English, then the id)."""
        return in_language(self.names, language, self.id)

    def description_in(self, language: str) -> str:
        """Describe the area in a language ('' when it has no description)."""
        return in_language(self.descriptions, language, "")


@dataclass(frozen=True)
class Channel:
    """A release channel. The first declared is the one everyone gets; the others are previews."""

    id: str
    names: tuple[tuple[str, str], ...]
    descriptions: tuple[tuple[str, str], ...]
    main: bool  # the first declared: "now for everyone"

    def name_in(self, language: str) -> str:
        """Name the channel in a language (falling back to English, then the id)."""
        return in_language(self.names, language, self.id)

    def description_in(self, language: str) -> str:
        """Describe the channel in a language ('' when it has no description)."""
        return in_language(self.descriptions, language, "")


def _ident(node: f.Node) -> str:
    value = f.text(node)
    if not ID_RE.fullmatch(value):
        raise f.Invalid(f"'{value}' cannot be an id: use lower-case letters, digits and '-', like lock-screen")
    if value in RESERVED_IDS:
        raise f.Invalid(f"'{value}' is taken by the pages of the suggestion board; choose another id")
    return value


def _words(node: f.Node) -> tuple[tuple[str, str], ...]:
    """Read text, or a mapping of language tag to text ({en: Camera, zh-CN: 相机})."""
    if isinstance(node.value, dict):
        if not node.value:
            raise f.Invalid("is an empty mapping; give e.g. {en: Camera, zh-CN: 相机}")
        out = []
        for language, child in node.value.items():
            try:
                out.append((str(language), f.text(child)))
            except f.Invalid as exc:
                raise f.Invalid(f"{language}: {exc.message}", child.line) from None
        return tuple(out)
    if isinstance(node.value, list):  # "expected text" alone would hide the other way to write it
        raise f.Invalid("expected text or a mapping of language to text, e.g. {en: Camera, zh-CN: 相机}, got a list")
    return (("", f.text(node)),)


def _entries(node: f.Node, reader: f.FieldReader, key: str, documented, fields: dict[str, f.Field]) -> list[tuple[dict[str, Any], int]]:
    """Read a list of mappings, each with a unique id; report what is wrong with each."""
    if not isinstance(node.value, list) or not node.value:
        reader.error(node.line, f"{key}: expected a list of {{id, name, description}}, one item per line starting with '- '")
        return []
    out, seen = [], set()
    for i, item in enumerate(node.value):
        got = reader.read(item, schema.checked(documented, fields), f"an item of {key}", f"{key}[{i + 1}].")
        if "id" not in got:
            continue
        if got["id"] in seen:
            reader.error(item.value["id"].line, f"{key}[{i + 1}].id: '{got['id']}' is declared twice; each needs its own id")
            continue
        seen.add(got["id"])
        out.append((got, item.line))
    return out


def read_areas(node: f.Node, reader: f.FieldReader) -> tuple[Area, ...]:
    """Read site.yml's `areas:`."""
    fields = {
        "id": f.Field(_ident, required=True, hint="e.g. camera"),
        "name": f.Field(_words, required=True, hint="e.g. {en: Camera, zh-CN: 相机}"),
        "description": f.Field(_words),
        "tags": f.Field(f.list_of(f.text)),
    }
    return tuple(
        Area(got["id"], got["name"], got.get("description", ()), tuple(dict.fromkeys(tag_slug(t) for t in got.get("tags", ()))))
        for got, _ in _entries(node, reader, "areas", schema.AREA, fields)
        if "name" in got  # a name missing or not text was reported at its line: no Area without one
    )


def read_channels(node: f.Node, reader: f.FieldReader) -> tuple[Channel, ...]:
    """Read site.yml's `channels:`; the first is the main channel."""
    fields = {
        "id": f.Field(_ident, required=True, hint="e.g. beta"),
        "name": f.Field(_words),
        "description": f.Field(_words),
    }
    entries = _entries(node, reader, "channels", schema.CHANNEL, fields)
    return tuple(
        Channel(got["id"], got.get("name", ()), got.get("description", ()), main=i == 0) for i, (got, _) in enumerate(entries)
    )


def find_area(areas: Iterable[Area], written: str) -> Area | None:
    """Find the area an editor means: by id or by any of its names, ignoring case."""
    key = written.strip().casefold()
    for area in areas:
        if key == area.id or any(key == name.casefold() for _, name in area.names):
            return area
    return None


def area_field(areas: tuple[Area, ...]) -> Callable[[f.Node], str]:
    """Make the parser of a document's `area:`: free text without declared areas, else a declared area's id."""

    def parse(node: f.Node) -> str:
        value = f.text(node)
        if not areas:
            return value
        area = find_area(areas, value)
        if area is None:
            known = [a.id for a in areas] + [name for a in areas for _, name in a.names]
            hint = did_you_mean(value, known, list_known=False) or f" (areas: {', '.join(a.id for a in areas)})"
            raise f.Invalid(f"no area '{value}' in site.yml{hint}; use one of the areas declared under 'areas:'")
        return area.id

    return parse


def channel_field(channels: tuple[Channel, ...]) -> Callable[[f.Node], str]:
    """Make the parser of a release's `channel:`: a free badge without declared channels, else a declared id."""

    def parse(node: f.Node) -> str:
        value = f.text(node)
        if not channels or value in {c.id for c in channels}:
            return value
        ids = [c.id for c in channels]
        lowered = value.casefold()
        if lowered in ids:  # 'Beta' for 'beta': say so rather than guess silently
            raise f.Invalid(f"no channel '{value}' in site.yml (did you mean '{lowered}'?); channel ids are lower-case")
        hint = did_you_mean(value, ids, list_known=False) or f" (channels: {', '.join(ids)})"
        raise f.Invalid(f"no channel '{value}' in site.yml{hint}; use one of the channels declared under 'channels:'")

    return parse
