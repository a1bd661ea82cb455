"""site.yml -> SiteConfig: typed, frozen, every unknown key an error with a suggestion."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from types import MappingProxyType
from typing import Mapping
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import babel

from . import fields as f
from . import schema
from .appearance import Appearance, read_appearance
from .declared import Area, Channel, read_areas, read_channels
from .fonts import open_face
from . import urls
from .errors import Diagnostics, SourceLocation, did_you_mean, nearest_keys

# Points per kind of credit. Shipping is what the loop celebrates, so it dominates;
# asking at all earns a little, so nobody's first suggestion is worth nothing.
DEFAULT_POINTS: Mapping[str, int] = MappingProxyType(
    {
        "proposed_shipped": 10,  # original proposer of a shipped suggestion
        "coproposed_shipped": 5,  # each further proposer of a shipped suggestion
        "proposed_adopted": 3,  # any proposer of an adopted, not yet shipped suggestion
        "proposed": 1,  # any proposer of a suggestion in any other status
        "release_credit": 4,  # a release credit: bug report, testing, translation
        "story": 5,  # a published fan story
        "popcorn": 2,  # member of the team that won the week's popcorn award
    }
)


@dataclass(frozen=True)
class Level:
    """A named level reached at `min_points` cumulative points."""

    name: str
    min_points: int
    perks: str = ""  # what the level brings, in plain text ("" when the site says nothing)


PERKS_LENGTH = 200  # perks are a line on a profile, not a page: longer text belongs in a page of its own

DEFAULT_LEVELS = (
    Level("Bronze", 0),
    Level("Silver", 15),
    Level("Gold", 40),
    Level("Diamond", 80),
)

@dataclass(frozen=True)
class Limits:
    """Bounds on the work one Markdown body may cost (site.yml `limits:`).

    The defaults never trouble a real page: the longest release notes seen are about
    20 KB and nest lists four deep. They stop a hostile story from making a build slow
    or huge (50 MB of text) or crash it (a thousand nested list markers).
    """

    max_body_kb: int = 256  # the text of one page, in KB (1,024 bytes) of UTF-8
    max_nesting: int = 16  # lists and block quotes inside each other
    max_front_matter_kb: int = 64  # the front matter of a release with 500 credits is about 33 KB
    max_yaml_depth: int = 8  # a history entry's note is 4 deep

    @property
    def max_body_bytes(self) -> int:
        return self.max_body_kb * 1024


@dataclass(frozen=True)
class Participate:
    """Where a reader takes part (site.yml `participate:`): each an http(s) address, or "" when not given."""

    suggest: str = ""
    story: str = ""
    forum: str = ""


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class SiteConfig:
    """Everything site.yml says, validated, with defaults filled in."""

    path: Path  # the site.yml file
    title: str
    url: str  # absolute, ends with '/'
    description: str = ""
    language: str = "en"  # the interface language of the pages being made (an edition's, see languages.py)
    # Every interface language of the site, the first built at the root and each other
    # under /<tag>/ (site.yml `languages`); empty when site.yml names only `language`.
    languages: tuple[str, ...] = ()
    prefix: str = ""  # the folder of this edition under the site's root url: "" or e.g. "zh-CN/"
    timezone: str = "UTC"
    theme: str = "default"
    feeds_limit: int = 50
    contributor_stories: str = "summary"  # or "full": whole stories in contributors' own feeds
    release_day: str = "friday"
    points: Mapping[str, int] = field(default_factory=lambda: DEFAULT_POINTS)
    levels: tuple[Level, ...] = DEFAULT_LEVELS
    require_profiles: bool = False
    limits: Limits = Limits()
    appearance: Appearance = Appearance()
    participate: Participate | None = None  # None: the site names no way in, and pages say nothing of it
    areas: tuple[Area, ...] = ()  # declared interest circles; none: `area` is free text
    channels: tuple[Channel, ...] = ()  # declared release channels, the main one first; none: one channel
    respond_within_days: int | None = None  # the pledge to answer a suggestion within so many days
    share: tuple[str, ...] = ()  # networks with a share link (urls.SHARE_NETWORKS)
    card_font: str = ""  # the share cards' font file; "" finds one on the system

    @property
    def site_dir(self) -> Path:
        return self.path.parent

    @property
    def tz(self) -> tzinfo:
        return ZoneInfo(self.timezone)

    @property
    def ui_languages(self) -> tuple[str, ...]:
        """Every interface language of the site, the first built at the root."""
        return self.languages or (self.language,)

    @property
    def root_url(self) -> str:
        """The site's url, of the first language's edition (url is the edition's own)."""
        return self.url[: len(self.url) - len(self.prefix)]

    @property
    def base_path(self) -> str:
        """The URL path the site lives under, e.g. '/' or '/changelog/'."""
        return urlsplit(self.url).path or "/"

    def absolute(self, site_path: str) -> str:
        """Turn a site path like '/releases/1.2/' into an absolute URL."""
        return self.url + site_path.lstrip("/")

    def area(self, ident: str | None) -> Area | None:
        """Return the declared area with this id (None for free text or no area)."""
        return next((a for a in self.areas if a.id == ident), None)

    def channel(self, ident: str | None) -> Channel | None:
        """Return the declared channel with this id; a release without one is on the main channel."""
        if not self.channels:
            return None
        return next((c for c in self.channels if c.id == ident), None) if ident else self.channels[0]


def _language(node: f.Node) -> str:
    value = f.text(node)
    try:
        babel.Locale.parse(value, sep="-")
    except (ValueError, babel.UnknownLocaleError):
        raise f.Invalid(f"'{value}' is not a known language tag; use e.g. en or zh-CN") from None
    return value


def _languages(node: f.Node) -> tuple[str, ...]:
    values = f.list_of(_language, non_empty=True)(node)
    items = node.value if isinstance(node.value, list) else [node]
    seen: set[str] = set()
    for i, (value, item) in enumerate(zip(values, items), start=1):
        # Each language but the first becomes a folder of the output (/zh-CN/): a plain name.
        if not re.fullmatch(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*", value):
            raise f.Invalid(f"item {i}: '{value}' is not a language tag; write it with '-', e.g. en or zh-CN", item.line)
        if value.casefold() in seen:
            raise f.Invalid(f"item {i}: '{value}' is listed twice; list each language once", item.line)
        seen.add(value.casefold())
    return values


def _timezone(node: f.Node) -> str:
    value = f.text(node)
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise f.Invalid(f"'{value}' is not an IANA time zone; use e.g. UTC, Europe/Berlin or Asia/Shanghai") from None
    return value


def _site_url(node: f.Node) -> str:
    value = f.web_url(node)
    parts = urlsplit(value)
    if parts.query or parts.fragment:
        raise f.Invalid(f"'{value}' must be a plain base address, without '?' or '#'")
    return value if value.endswith("/") else value + "/"


def _weekday(node: f.Node) -> str:
    value = f.text(node).lower()  # Friday, friday and FRIDAY are one day
    if value not in WEEKDAYS:
        raise f.Invalid(f"'{f.text(node)}' is not a day of the week; use e.g. friday{did_you_mean(value, WEEKDAYS, list_known=False)}")
    return value


def shipped_themes() -> Path:
    """Find the themes installed with cocreate (in the wheel, or the source checkout)."""
    package = Path(__file__).resolve().parent
    installed = package / "themes"
    return installed if installed.is_dir() else package.parent / "themes"


def available_themes(site_dir: Path) -> list[str]:
    """List the theme names a site can choose: its own themes/ folders and the shipped ones."""
    names = set()
    for root in (site_dir / "themes", shipped_themes()):
        if root.is_dir():
            names.update(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    return sorted(names)


def _theme(node: f.Node) -> str:
    value = f.text(node)
    if not f.VERSION_RE.fullmatch(value) or ".." in value:
        raise f.Invalid(f"'{value}' is not a theme folder name; use letters, digits, '-' or '_'")
    return value


def load_config(path: Path, diagnostics: Diagnostics) -> SiteConfig | None:
    """Read and validate site.yml; report every problem and return None if any."""
    rel = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        diagnostics.error(SourceLocation(rel, 1), "no site.yml here; run cocreate in a site folder or pass --config")
        return None
    except (UnicodeDecodeError, OSError) as exc:
        diagnostics.error(SourceLocation(rel, 1), f"cannot be read as UTF-8 text ({exc.__class__.__name__})")
        return None
    notes: list[tuple[int, str]] = []
    try:
        root = f.parse_yaml(text, 1, notes)
    except f.YamlProblem as exc:
        diagnostics.error(SourceLocation(rel, exc.line), exc.message)
        return None
    for line, message in notes:
        diagnostics.warning(SourceLocation(rel, line), message)
    if root is None:
        diagnostics.error(SourceLocation(rel, 1), "is empty; it needs at least 'title' and 'url'")
        return None

    reader = f.FieldReader(rel, diagnostics)
    top = reader.read(
        root,
        schema.checked(schema.SITE, {
            "title": f.Field(f.text, required=True, hint="the site's name"),
            "url": f.Field(_site_url, required=True, hint="e.g. https://changelog.example.com/"),
            "description": f.Field(f.text),
            "language": f.Field(_language),
            "languages": f.Field(_languages),
            "timezone": f.Field(_timezone),
            "theme": f.Field(_theme),
            "release_day": f.Field(_weekday),
            "feeds": f.Field(lambda n: n),
            "recognition": f.Field(lambda n: n),
            "limits": f.Field(lambda n: n),
            "appearance": f.Field(lambda n: n),
            "participate": f.Field(lambda n: n),
            "areas": f.Field(lambda n: n),
            "channels": f.Field(lambda n: n),
            "feedback": f.Field(lambda n: n),
            "share": f.Field(f.list_of(_network)),
            "cards": f.Field(lambda n: n),
        }),
        "site.yml",
    )
    values: dict = {k: top[k] for k in ("title", "url", "description", "language", "timezone", "theme", "release_day") if k in top}
    if "languages" in top:
        values["languages"] = top["languages"]
        # `languages` names the first (root) language too; a `language` beside it must agree.
        if "language" in values and values["language"] != top["languages"][0]:
            reader.error(
                root.value["language"].line,
                f"language: '{values['language']}' contradicts languages, whose first entry '{top['languages'][0]}' "
                f"is the language built at the site's root; remove 'language' (languages says it all) "
                f"or make it the first of 'languages'",
            )
        values["language"] = top["languages"][0]
    if "theme" in values and values["theme"] not in available_themes(path.parent):
        # A misspelt theme must not fall back to the default without a word.
        known = available_themes(path.parent)
        reader.error(
            root.value["theme"].line,
            f"theme: no theme '{values['theme']}'{did_you_mean(values['theme'], known, list_known=False)}: there is no "
            f"themes/{values['theme']}/ folder beside site.yml and cocreate ships none by that name; "
            f"themes available: {', '.join(known)}",
        )

    if "feeds" in top:
        feed_fields = {"limit": f.Field(f.positive_number), "contributor_stories": f.Field(f.one_of("summary", "full"))}
        feeds = reader.read(top["feeds"], schema.checked(schema.FEEDS, feed_fields), "feeds", "feeds.")
        if "limit" in feeds:
            values["feeds_limit"] = feeds["limit"]
        if "contributor_stories" in feeds:
            values["contributor_stories"] = feeds["contributor_stories"]

    if "recognition" in top:
        rec = reader.read(
            top["recognition"],
            schema.checked(schema.RECOGNITION, {
                "points": f.Field(lambda n: _points(n, reader)),
                "levels": f.Field(_levels),
                "require_profiles": f.Field(f.boolean),
            }),
            "recognition",
            "recognition.",
        )
        if rec.get("points") is not None:
            values["points"] = rec["points"]
        if "levels" in rec:
            values["levels"] = rec["levels"]
        if "require_profiles" in rec:
            values["require_profiles"] = rec["require_profiles"]

    if "limits" in top:
        got = reader.read(
            top["limits"],
            schema.checked(schema.LIMITS, {
                "max_body_kb": f.Field(_kilobytes), "max_nesting": f.Field(_nesting),
                "max_front_matter_kb": f.Field(_kilobytes), "max_yaml_depth": f.Field(_nesting),
            }),
            "limits",
            "limits.",
        )
        if got:
            values["limits"] = Limits(**got)

    if "appearance" in top:
        values["appearance"] = read_appearance(top["appearance"], reader, path.parent)
    if "participate" in top:
        got = reader.read(
            top["participate"],
            schema.checked(schema.PARTICIPATE, {"suggest": f.Field(f.web_url), "story": f.Field(f.web_url), "forum": f.Field(f.web_url)}),
            "participate",
            "participate.",
        )
        if got:
            values["participate"] = Participate(**got)
    if "areas" in top:
        values["areas"] = read_areas(top["areas"], reader)
    if "channels" in top:
        values["channels"] = read_channels(top["channels"], reader)
    if "feedback" in top:
        feedback = reader.read(
            top["feedback"], schema.checked(schema.FEEDBACK, {"respond_within_days": f.Field(_pledge_days)}), "feedback", "feedback.",
        )
        if "respond_within_days" in feedback:
            values["respond_within_days"] = feedback["respond_within_days"]
    if "share" in top:
        values["share"] = tuple(dict.fromkeys(top["share"]))
    if "cards" in top:
        got = reader.read(top["cards"], schema.checked(schema.CARDS, {"font": f.Field(lambda n: _font(n, path.parent))}), "cards", "cards.")
        if "font" in got:
            values["card_font"] = got["font"]

    if reader.failed or "title" not in values or "url" not in values:
        return None
    return SiteConfig(path=path, **values)


def _font(node: f.Node, site_dir: Path) -> str:
    value = f.text(node)
    if not (Path(value) if Path(value).is_absolute() else site_dir / value).is_file():
        raise f.Invalid(f"'{value}' does not exist; give a font file (.ttf, .otf or .ttc) relative to site.yml, or its absolute path")
    # Opened here, at its line: found only when the cards are drawn, it was reported at site.yml:1.
    if open_face(str(Path(value) if Path(value).is_absolute() else site_dir / value)) is None:
        raise f.Invalid(f"'{value}' is not a font that covers Chinese (a .ttf, .otf or .ttc with Chinese letters); use e.g. Noto Sans CJK")
    return value


def _network(node: f.Node) -> str:
    value = f.text(node).lower()
    value = {"twitter": "x", "mail": "email", "e-mail": "email"}.get(value, value)  # the names people also use
    if value not in urls.SHARE_NETWORKS:
        known = ", ".join(urls.SHARE_NETWORKS)
        raise f.Invalid(f"'{f.text(node)}' is not a network cocreate can link to{did_you_mean(value, urls.SHARE_NETWORKS, list_known=False)}; use some of: {known}")
    return value


def _kilobytes(node: f.Node) -> int:
    value = f.positive_number(node)
    if value > 64 * 1024:  # beyond 64 MB a page is never something a reader could load
        raise f.Invalid(f"{value} KB is more than any page can hold; use at most 65536 (64 MB)")
    return value


def _pledge_days(node: f.Node) -> int:
    value = f.positive_number(node)
    if value > 365:  # a pledge beyond a year promises nothing a reader could wait for
        raise f.Invalid(f"{value} days is more than a year; use at most 365")
    return value


def _nesting(node: f.Node) -> int:
    value = f.positive_number(node)
    if value > 100:  # deeper nesting would overflow the Markdown parser's own recursion
        raise f.Invalid(f"{value} is deeper than cocreate can render safely; use at most 100")
    return value


def _points(node: f.Node, reader: f.FieldReader) -> Mapping[str, int] | None:
    if not isinstance(node.value, dict):
        raise f.Invalid(f"expected a mapping of credit kind to points, got {f.describe(node)}")
    points = dict(DEFAULT_POINTS)
    for key, child in node.value.items():
        if key not in DEFAULT_POINTS:
            reader.error(child.line, f"recognition.points.{key}: unknown kind of credit{nearest_keys(key, DEFAULT_POINTS)}")
            continue
        try:
            points[key] = f.whole_number(child)
        except f.Invalid as exc:
            reader.error(child.line, f"recognition.points.{key}: {exc.message}")
    return MappingProxyType(points)


def _perks(node: f.Node) -> str:
    try:
        value = " ".join(f.text(node).split())  # one line, however the YAML wrapped it
    except f.Invalid as exc:
        raise f.Invalid(f"perks: {exc.message}; write one short sentence") from None
    if len(value) > PERKS_LENGTH:
        raise f.Invalid(f"perks: {len(value)} characters; keep it to {PERKS_LENGTH}, one short sentence")
    return value


def _levels(node: f.Node) -> tuple[Level, ...]:
    if not isinstance(node.value, list) or not node.value:
        raise f.Invalid("expected a list of {name, min_points}, lowest level first")
    levels = []
    for i, item in enumerate(node.value):
        if not isinstance(item.value, dict) or not {"name", "min_points"} <= set(item.value) <= {"name", "min_points", "perks"}:
            raise f.Invalid(f"item {i + 1}: expected {{name, min_points}} and, if you like, perks", item.line)
        try:
            perks = _perks(item.value["perks"]) if "perks" in item.value else ""
            level = Level(f.text(item.value["name"]), f.whole_number(item.value["min_points"]), perks)
        except f.Invalid as exc:
            raise f.Invalid(f"item {i + 1}: {exc.message}", item.line) from None
        if levels and level.min_points <= levels[-1].min_points:
            raise f.Invalid(f"item {i + 1}: min_points must grow from one level to the next", item.line)
        levels.append(level)
    if levels[0].min_points != 0:
        raise f.Invalid("the first level must start at min_points: 0, so everyone credited has a level", node.line)
    return tuple(levels)
