"""Content files -> typed documents (Release, Suggestion, Profile, Story), with line numbers."""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import frontmatter

from . import characters
from . import fields as f
from . import schema, urls
from .assets import local_image
from .config import Limits, SiteConfig
from .about import suggestion_ref, unique
from .contradictions import status_vs_history, version_vs_file_name
from .declared import area_field, channel_field
from .errors import Diagnostics, SourceLocation
from .fingerprint import digest
from .model import (
    STORY_STATUSES,
    SUGGESTION_STATUSES,
    Document,
    HistoryEntry,
    Origin,
    PersonRef,
    Popcorn,
    Profile,
    Release,
    ReleaseCredit,
    Story,
    Suggestion,
)
from .roadmap import planned_for
from .sources import SourceFile

HANDLE_RE = re.compile(r"[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?")  # always used with fullmatch
# python-frontmatter's own boundary rule: a line of three or more dashes.
BOUNDARY = frontmatter.YAMLHandler.FM_BOUNDARY


@dataclass(frozen=True)
class RawDocument:
    """A file split into its front matter (as Nodes) and its Markdown body."""

    source: SourceFile
    meta: f.Node
    body: str
    body_line: int = 1  # the file line the body starts on
    digest: str = ""


def normalize_handle(value: str) -> str:
    """Normalise a PERSON: a leading '@' and letter case are ignored."""
    return value.strip().lstrip("@").strip().lower()


def person(node: f.Node) -> PersonRef:
    """Read a PERSON handle."""
    raw = f.text(node)
    handle = normalize_handle(raw)
    if not HANDLE_RE.fullmatch(handle):
        raise f.Invalid(
            f"'{raw}' is not a handle: use letters, digits, '-', '_' or '.', like lin-xiao "
            "(a display name in any script goes in the person's profile as 'name')"
        )
    return PersonRef(handle, node.line)


def split(source: SourceFile, diagnostics: Diagnostics, limits: Limits | None = None) -> RawDocument | None:
    """Read a file and split off its YAML front matter; report why when it cannot be."""
    where = SourceLocation(source.rel, 1)
    try:
        data = _read_regular(source.path)
    except OSError as exc:
        diagnostics.error(where, f"cannot be read ({exc.strerror})")
        return None
    if data is None:
        diagnostics.error(where, "is not a regular file (a pipe or a device); cocreate never reads it: remove it from content/")
        return None
    if not data.strip():
        diagnostics.error(where, "is empty; it needs a front matter block between two '---' lines")
        return None
    if b"\x00" in data:
        diagnostics.error(where, "is a binary file, not Markdown text; content/ holds only .md text files")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        diagnostics.error(SourceLocation(source.rel, line), "is not UTF-8 text; save the file with UTF-8 encoding")
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")

    def removed(line: int, message: str) -> None:
        diagnostics.warning(SourceLocation(source.rel, line), message)

    text = characters.strip(text, 1, removed)
    boundaries = list(BOUNDARY.finditer(text))
    if not boundaries or boundaries[0].start() != 0:
        diagnostics.error(where, "has no front matter: the first line must be '---', then the fields, then '---'")
        return None
    if len(boundaries) < 2:
        diagnostics.error(where, "front matter is not closed: add a line '---' after the last field")
        return None
    opening, closing = boundaries[0], boundaries[1]
    first_line = text.count("\n", 0, opening.end()) + 1
    notes: list[tuple[int, str]] = []
    try:
        bounds = {} if limits is None else {"max_bytes": limits.max_front_matter_kb * 1024, "max_depth": limits.max_yaml_depth}
        meta = f.parse_yaml(text[opening.end() : closing.start()], first_line, notes, **bounds)
    except f.YamlProblem as exc:
        diagnostics.error(SourceLocation(source.rel, exc.line), f"front matter {exc.message}")
        return None
    for line, message in notes:
        diagnostics.warning(SourceLocation(source.rel, line), message)
    if meta is None or not isinstance(meta.value, dict):
        if meta is None:
            diagnostics.error(where, "front matter is empty; write one 'field: value' per line between the '---' lines")
        elif isinstance(meta.value, list):
            diagnostics.error(where, "front matter is a list (lines starting with '- '), not fields; write one 'field: value' per line, without the '- '")
        else:
            diagnostics.error(where, f"front matter is just {f.describe(meta)}, not fields; write one 'field: value' per line")
        return None
    if "\\" in text[opening.end() : closing.start()]:  # only an escape ("\b", "\uFFFE") can still write one
        meta = characters.strip_values(meta, removed)
    rest = text[closing.end() :]
    body = rest.lstrip("\n")
    body_line = text.count("\n", 0, closing.end()) + 1 + (len(rest) - len(body))
    return RawDocument(source, meta, body, body_line, digest(data))


def _read_regular(path: Path) -> bytes | None:
    """Read a regular file's bytes; None for a pipe or device, which is never waited on.

    The file is opened without blocking and checked after opening, so a FIFO put in place
    after discover() looked cannot hang the build either.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return fh.read()


@dataclass(frozen=True)
class Parsed:
    """The documents that could be read, and the release versions of those that could not.

    A broken release is still known by its version, so the suggestions that name it
    are not blamed as well: the editor sees one error, where it is.
    """

    documents: list[Document]
    broken_versions: frozenset[str]


READERS: dict[str, Callable[[RawDocument, f.FieldReader, SiteConfig], Document | None]] = {}


def parse(sources: list[SourceFile], config: SiteConfig, diagnostics: Diagnostics) -> Parsed:
    """Parse every content file into its typed document; problems go to `diagnostics`.

    Nothing is cached: every build reads every file (libyaml makes that cheap), so what
    a build publishes never rests on a parse result stored by an earlier one.
    """
    documents: list[Document] = []
    broken: set[str] = set()
    for source in sources:
        raw = split(source, diagnostics, config.limits)
        reader = f.FieldReader(source.rel, diagnostics)
        document = READERS[source.kind](raw, reader, config) if raw is not None else None
        if document is not None and not reader.failed:
            documents.append(document)
        elif source.kind == "releases":
            broken.add(_written_version(raw) or source.stem)
    return Parsed(documents, frozenset(broken))


def _written_version(raw: RawDocument | None) -> str | None:
    node = raw.meta.value.get("version") if raw is not None else None
    try:
        return f.version(node) if node is not None else None
    except f.Invalid:
        return None


def _origin(raw: RawDocument) -> Origin:
    return Origin(raw.source.rel, tuple((k, v.line) for k, v in raw.meta.value.items()), raw.digest, raw.body_line)


def _name_from_file(raw: RawDocument, reader: f.FieldReader, what: str, lower_case: bool = False) -> str | None:
    """Read a suggestion id or story address from the file name: letters of any script allowed."""
    stem = raw.source.stem
    if lower_case:
        name = urls.name_slug(stem, "-", lower_case=True)
        rule = "lower-case letters (any script), digits and '-'"
    else:
        name = urls.name_slug(stem, "-_.")
        rule = "letters (any script), digits, '-', '_' or '.'"
    if name is None:
        reader.error(1, f"the file name '{stem}' cannot be a {what}: rename the file using {rule}")
    return name


def _image(raw: RawDocument, config: SiteConfig, allow_https: bool) -> Callable[[f.Node], str]:
    def parse(node: f.Node) -> str:
        value = f.text(node)
        if allow_https and value.lower().startswith("https://"):
            return f.web_url(node)
        try:
            return local_image(value, raw.source.path, config.site_dir)
        except ValueError as exc:
            raise f.Invalid(str(exc)) from None

    return parse


def _release(raw: RawDocument, reader: f.FieldReader, config: SiteConfig) -> Release | None:
    when = f.moment(config.tz)
    credit_fields = schema.checked(schema.CREDIT, {"who": f.Field(person, required=True), "for": f.Field(f.text, required=True)})
    popcorn_fields = schema.checked(schema.POPCORN, {
        "team": f.Field(f.text, required=True),
        "members": f.Field(f.list_of(person)),
        "votes": f.Field(f.whole_number),
        "reason": f.Field(f.text),
    })

    def credits(node: f.Node) -> tuple[ReleaseCredit, ...]:
        items = node.value if isinstance(node.value, list) else None
        if items is None:
            raise f.Invalid("expected a list of {who: handle, for: text}")
        out = []
        for i, item in enumerate(items):
            got = reader.read(item, credit_fields, "a credit", f"credits[{i + 1}].")
            if "who" in got and "for" in got:
                out.append(ReleaseCredit(got["who"], got["for"]))
        return tuple(out)

    def popcorn(node: f.Node) -> Popcorn | None:
        got = reader.read(node, popcorn_fields, "the popcorn award", "popcorn.")
        if "team" not in got:
            return None
        return Popcorn(got["team"], got.get("members", ()), got.get("votes"), got.get("reason", ""))

    got = reader.read(
        raw.meta,
        schema.checked(schema.RELEASE, {
            "version": f.Field(f.version, required=True, hint="e.g. version: '14.8.23'"),
            "date": f.Field(when, required=True, hint="e.g. date: 2026-11-20"),
            "title": f.Field(f.text),
            "channel": f.Field(channel_field(config.channels)),
            "summary": f.Field(f.text),
            "credits": f.Field(credits),
            "popcorn": f.Field(popcorn),
        }),
        "a release",
    )
    if "version" not in got or "date" not in got:
        return None
    images = _body_images(raw, config, reader.diagnostics)
    # Reported, yet the release is kept: the error fails the build either way, and
    # suggestions naming either version are not blamed as well.
    if (problem := version_vs_file_name(raw.source.stem, got["version"])) is not None:
        reader.diagnostics.error(SourceLocation(raw.source.rel, raw.meta.value["version"].line), problem)
    return Release(
        version=got["version"],
        date=got["date"],
        title=got.get("title") or f"{config.title} {got['version']}",
        channel=got.get("channel"),
        summary=got.get("summary"),
        credits=got.get("credits", ()),
        popcorn=got.get("popcorn"),
        body=raw.body,
        origin=_origin(raw),
        images=images,
    )


def _suggestion(raw: RawDocument, reader: f.FieldReader, config: SiteConfig) -> Suggestion | None:
    when = f.moment(config.tz)
    status = f.one_of(*SUGGESTION_STATUSES)
    history_fields = schema.checked(schema.HISTORY, {"date": f.Field(when, required=True), "status": f.Field(status, required=True), "note": f.Field(f.text)})

    def history(node: f.Node) -> tuple[HistoryEntry, ...]:
        if not isinstance(node.value, list):
            raise f.Invalid("expected a list of {date, status, note}")
        out = []
        for i, item in enumerate(node.value):
            got = reader.read(item, history_fields, "a history entry", f"history[{i + 1}].")
            if "date" in got and "status" in got:
                out.append(HistoryEntry(got["date"], got["status"], got.get("note")))
        return tuple(out)

    ident = _name_from_file(raw, reader, "suggestion id")
    got = reader.read(
        raw.meta,
        schema.checked(schema.SUGGESTION, {
            "title": f.Field(f.text, required=True, hint="what was asked"),
            "proposed_by": f.Field(f.list_of(person, non_empty=True), required=True, hint="a list of handles"),
            "date": f.Field(when, required=True, hint="when it was received, e.g. 2026-11-02"),
            "status": f.Field(status, required=True, hint=", ".join(SUGGESTION_STATUSES)),
            "shipped_in": f.Field(f.list_of(f.version, non_empty=True)),
            "declined_reason": f.Field(f.text),
            "votes": f.Field(f.whole_number),
            "area": f.Field(area_field(config.areas)),
            "thread": f.Field(f.web_url),
            "history": f.Field(history),
            "planned_for": f.Field(planned_for),
            "owner": f.Field(f.text),
        }),
        "a suggestion",
    )
    st = got.get("status")
    if st == "shipped" and "shipped_in" not in got and "shipped_in" not in raw.meta.value:
        reader.error(raw.meta.value["status"].line, "shipped_in: missing; a shipped suggestion names the release version it shipped in")
    if st == "declined" and "declined_reason" not in got and "declined_reason" not in raw.meta.value:
        reader.error(raw.meta.value["status"].line, "declined_reason: missing; a declined suggestion says publicly why")
    if st and st != "shipped" and "shipped_in" in got:
        reader.error(raw.meta.value["shipped_in"].line, f"shipped_in: only a shipped suggestion has one (status is '{st}')")
    entries = got.get("history", ())
    if st and (problem := status_vs_history(st, entries)) is not None:
        reader.diagnostics.error(SourceLocation(raw.source.rel, raw.meta.value["status"].line), problem)
    for before, after in zip(entries, entries[1:]):
        if after.date < before.date:
            reader.diagnostics.warning(SourceLocation(raw.source.rel, raw.meta.value["history"].line), "history: entries are not in date order")
            break
    if ident is None or not {"title", "proposed_by", "date", "status"} <= got.keys():
        return None
    images = _body_images(raw, config, reader.diagnostics)
    return Suggestion(
        id=ident,
        title=got["title"],
        proposed_by=_unique(got["proposed_by"]),
        date=got["date"],
        status=st,
        shipped_in=got["shipped_in"][0] if "shipped_in" in got else None,  # ordered by date once releases are known
        declined_reason=got.get("declined_reason"),
        votes=got.get("votes"),
        area=got.get("area"),
        thread=got.get("thread"),
        history=entries,
        body=raw.body,
        origin=_origin(raw),
        images=images,
        planned_for=got.get("planned_for"),
        owner=got.get("owner"),
        shipped_versions=tuple(dict.fromkeys(got.get("shipped_in", ()))),
    )


def _unique(refs: tuple[PersonRef, ...]) -> tuple[PersonRef, ...]:
    seen: dict[str, PersonRef] = {}
    for ref in refs:
        seen.setdefault(ref.handle, ref)
    return tuple(seen.values())


def _links(node: f.Node) -> tuple[tuple[str, str], ...]:
    if not isinstance(node.value, dict):
        raise f.Invalid("expected a mapping of label: https://… address")
    out = []
    for label, child in node.value.items():
        try:
            out.append((label, f.web_url(child)))
        except f.Invalid as exc:
            raise f.Invalid(f"{label}: {exc.message}", child.line) from None
    return tuple(out)


def _profile(raw: RawDocument, reader: f.FieldReader, config: SiteConfig) -> Profile | None:
    stem = raw.source.stem
    handle = normalize_handle(stem)
    if not HANDLE_RE.fullmatch(handle) or stem != stem.strip():
        reader.error(1, f"the file name '{stem}' is not a handle: name the file after the person's handle, e.g. lin-xiao.md")
        return None
    got = reader.read(
        raw.meta,
        schema.checked(schema.PROFILE, {
            "name": f.Field(f.text),
            "avatar": f.Field(_image(raw, config, allow_https=True)),
            "joined": f.Field(f.moment(config.tz)),
            "titles": f.Field(f.list_of(f.text)),
            "team": f.Field(f.text),
            "links": f.Field(_links),
            "aliases": f.Field(f.list_of(person)),
            "anonymous": f.Field(f.boolean),
        }),
        "a contributor profile",
    )
    return Profile(
        handle=handle,
        name=got.get("name"),
        avatar=got.get("avatar"),
        joined=got.get("joined"),
        titles=got.get("titles", ()),
        team=got.get("team"),
        links=got.get("links", ()),
        aliases=tuple(a for a in got.get("aliases", ()) if a.handle != handle),
        anonymous=got.get("anonymous", False),
        body=raw.body,
        origin=_origin(raw),
    )


def _author(node: f.Node) -> tuple[PersonRef | None, str | None]:
    if isinstance(node.value, dict):
        if set(node.value) != {"name"}:
            raise f.Invalid("a guest author is written {name: Their Name}; a contributor is a handle")
        return None, f.text(node.value["name"])
    return person(node), None


def _story(raw: RawDocument, reader: f.FieldReader, config: SiteConfig) -> Story | None:
    slug = _name_from_file(raw, reader, "story address", lower_case=True)
    got: dict[str, Any] = reader.read(
        raw.meta,
        schema.checked(schema.STORY, {
            "title": f.Field(f.text, required=True),
            "author": f.Field(_author, required=True, hint="a handle, or {name: Guest Name}"),
            "date": f.Field(f.moment(config.tz), required=True),
            "status": f.Field(f.one_of(*STORY_STATUSES), required=True, hint=", ".join(STORY_STATUSES)),
            "consent": f.Field(f.boolean),
            "tags": f.Field(f.list_of(f.text)),
            "cover": f.Field(_image(raw, config, allow_https=False)),
            "anonymous": f.Field(f.boolean),
            "about": f.Field(f.list_of(suggestion_ref)),
            "area": f.Field(area_field(config.areas)),
        }),
        "a story",
    )
    if slug is None or not {"title", "author", "date", "status"} <= got.keys():
        return None
    author, guest = got["author"]
    images = _body_images(raw, config, reader.diagnostics) if got["status"] == "approved" else ()
    origin = _origin(raw)
    return Story(
        slug=slug,
        title=got["title"],
        author=author,
        guest_name=guest,
        date=got["date"],
        status=got["status"],
        consent=got.get("consent", False),
        tags=tuple(dict.fromkeys(got.get("tags", ()))),
        cover=got.get("cover"),
        anonymous=got.get("anonymous", False),
        body=raw.body,
        origin=origin,
        images=images,
        about=unique(got.get("about", ())),
        area=got.get("area"),
    )


_IMAGE_SOURCES = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)|<img\b[^>]*?\bsrc\s*=\s*[\"']?([^\"'\s>]+)", re.IGNORECASE)


def _body_images(raw: RawDocument, config: SiteConfig, diagnostics: Diagnostics) -> tuple[tuple[str, str], ...]:
    """Find the images a body (a story's, a release's, a suggestion's) shows from its own folder; warn about the others.

    Such an image is published beside the document's page; one that is missing, not an
    image or outside the document's folder is left out of the page.
    """
    found: dict[str, str] = {}
    for match in _IMAGE_SOURCES.finditer(raw.body):
        src = match.group(1) or match.group(2)
        if re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*:|//)", src) or src in found:
            continue  # https:// is shown as is; any other scheme is dropped by the sanitiser
        line = raw.body_line + raw.body.count("\n", 0, match.start())
        try:
            found[src] = local_image(src, raw.source.path, config.site_dir)
        except ValueError as exc:
            diagnostics.warning(SourceLocation(raw.source.rel, line), f"image {exc}; it is left out of the page")
    return tuple(found.items())


READERS.update(releases=_release, suggestions=_suggestion, contributors=_profile, stories=_story)
