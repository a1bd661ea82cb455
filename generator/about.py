"""Stories <-> suggestions: read a story's `about`, check each id exists, and link both ways."""

from __future__ import annotations

from types import MappingProxyType
from typing import Iterable, Mapping

from . import fields as f
from . import urls
from .errors import Diagnostics, SourceLocation, did_you_mean
from .model import Story, Suggestion, SuggestionRef


def suggestion_ref(node: f.Node) -> SuggestionRef:
    """Read one suggestion id as a story names it (S-1001, or 建议-7: the file name without .md)."""
    value = f.text(node)
    ident = urls.name_slug(value.removesuffix(".md"), "-_.")
    if ident is None:
        raise f.Invalid(f"'{value}' is not a suggestion id; write the name of its file without .md, like S-1001")
    return SuggestionRef(ident, node.line)


def unique(refs: Iterable[SuggestionRef]) -> tuple[SuggestionRef, ...]:
    """Keep each id once, where it is first named (a story listing S-1 twice links to it once)."""
    seen: dict[str, SuggestionRef] = {}
    for ref in refs:
        seen.setdefault(ref.id.casefold(), ref)
    return tuple(seen.values())


def check(stories: Iterable[Story], suggestions: Iterable[Suggestion], diagnostics: Diagnostics) -> None:
    """Report every id in a story's `about` that names no suggestion, with the nearest id.

    Every story is checked, published or not: an editor approving one later must not
    find its links broken then, and `cocreate check` should say so while it waits.
    """
    ids = {s.id.casefold(): s.id for s in suggestions}
    for story in stories:
        for ref in story.about:
            if ref.id.casefold() not in ids:
                diagnostics.error(
                    SourceLocation(story.origin.path, ref.line),
                    f"about: no suggestion '{ref.id}' in content/suggestions/{did_you_mean(ref.id, ids.values())}",
                )


def link(stories: Iterable[Story], suggestions: Iterable[Suggestion]) -> tuple[Mapping[str, tuple[Suggestion, ...]], Mapping[str, tuple[Story, ...]]]:
    """Map each story's slug to the suggestions it is about, and each suggestion's id to its stories.

    Give only published stories: a suggestion page never names one awaiting moderation.
    Ids match without regard to case, as suggestion ids are unique that way.
    """
    by_id = {s.id.casefold(): s for s in suggestions}
    about: dict[str, tuple[Suggestion, ...]] = {}
    told: dict[str, list[Story]] = {}
    for story in stories:
        named = tuple(by_id[r.id.casefold()] for r in story.about if r.id.casefold() in by_id)
        about[story.slug] = named
        for s in named:
            told.setdefault(s.id, []).append(story)
    return MappingProxyType(about), MappingProxyType({k: tuple(v) for k, v in told.items()})
