"""Every site.yml key and front-matter field, documented: the data both validation and the reference read.

The readers in config.py and documents.py pass each table of fields they read through
`checked()`, which fails loudly when a key is read that is not documented here (or
documented and never read), so docs/reference.md cannot drift from what is validated.
`reference.py` writes the reference from these tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Mapping

from .model import STORY_STATUSES, SUGGESTION_STATUSES


@dataclass(frozen=True)
class Key:
    """One documented key: its type, default, an example value as YAML, and what it means."""

    type: str
    doc: str
    example: str  # the value as written in YAML, without the key
    default: str = ""  # as an editor would write it; "" when leaving it out means "none"
    required: bool = False


class Undocumented(LookupError):
    """A reader's keys differ from the documented ones: a bug in cocreate, found by any test."""


def table(**keys: Key) -> Mapping[str, Key]:
    """Make a read-only table of keys, in the order they are documented."""
    return MappingProxyType(keys)


def checked(documented: Mapping[str, Key], fields: dict[str, Any]) -> dict[str, Any]:
    """Return a reader's field table unchanged, once its keys and required ones match the documented table."""
    missing, extra = documented.keys() - fields.keys(), fields.keys() - documented.keys()
    required = {k for k, f in fields.items() if getattr(f, "required", False)}
    documented_required = {k for k, key in documented.items() if key.required}
    if missing or extra or required != documented_required:
        raise Undocumented(
            f"generator/schema.py and the reader disagree: read but undocumented {sorted(extra)}, "
            f"documented but not read {sorted(missing)}, required {sorted(required)} vs {sorted(documented_required)}"
        )
    return fields


_STATUS = ", ".join(SUGGESTION_STATUSES)

SITE = table(
    title=Key("text", "The site's name, in every page's header and in the feeds.", "Lumen OS", required=True),
    url=Key(
        "https:// address",
        "Where the site is published. Feeds, the sitemap and share cards use absolute links that start "
        "with it; a path (…/changelog/) is fine, `?` and `#` are not. Links between pages are relative.",
        "https://changelog.example.com/",
        required=True,
    ),
    description=Key("text", "One sentence for search engines, link previews and the feeds.", "What we shipped each week."),
    language=Key(
        "language tag",
        "The interface language: `en` and `zh-CN` are translated; other tags get English words with "
        "dates written in their language.",
        "zh-CN",
        default="en",
    ),
    languages=Key(
        "list of language tags",
        "Several interface languages for one site: the first is built at the site's root, each other "
        "under its own folder (`/en/`, `/zh-CN/`), with its own feeds and search, a language switch on every "
        "page and `hreflang` links between the versions. The content stays as written. Replaces "
        "`language`; if both are given, `language` must be the first of them.",
        "[zh-CN, en]",
        default="[language]",
    ),
    timezone=Key(
        "IANA time zone",
        "Dates are shown, weeks and months counted, and a date without a time read, in this time zone.",
        "Asia/Shanghai",
        default="UTC",
    ),
    theme=Key(
        "folder name",
        "The theme: the shipped `default`, or a folder `themes/<name>/` beside site.yml whose templates "
        "and static files replace the default's one by one.",
        "my-theme",
        default="default",
    ),
    release_day=Key("weekday", "The weekday `cocreate new release` dates the next release on.", "monday", default="friday"),
    feeds=Key("mapping", "Settings of the feeds (see `feeds.*`).", "{limit: 20}"),
    limits=Key("mapping", "Bounds on the work one body may cost (see `limits.*`).", "{max_body_kb: 512}"),
    recognition=Key("mapping", "Points, levels and the handle guard (see `recognition.*`).", "{require_profiles: true}"),
    appearance=Key("mapping", "The accent colour, logo, favicon, extra CSS and extra `<head>` HTML, without copying the theme (see `appearance.*`).", "{accent: \"#0f766e\"}"),
    participate=Key(
        "mapping",
        "Where readers take part: the home page, the suggestion board, weekly pages and the story index "
        "link there (see `participate.*`).",
        "{suggest: https://github.com/lumen/feedback/issues/new?template=suggestion.yml}",
        default="(no links)",
    ),
    areas=Key(
        "list of {id, name, description, tags}",
        "The interest circles (see `areas[].*`): each has a page, /areas/<id>/, and feeds. Once declared, a "
        "suggestion's or story's `area` must name one (by id or name); without them `area` is free text and "
        "there are no area pages.",
        "[{id: camera, name: {en: Camera, zh-CN: 相机}}, {id: lock-screen, name: Lock screen}]",
        default="[] (area is free text)",
    ),
    channels=Key(
        "list of {id, name, description}",
        "The release channels (see `channels[].*`), the one everyone gets first, then previews such as beta: "
        "each has a page, /channels/<id>/, and feeds. Once declared, every release names one in `channel` "
        "(the first when left out); without them `channel` is a free badge.",
        "[{id: stable}, {id: beta}]",
        default="[] (one channel: the whole site)",
    ),
    feedback=Key("mapping", "The promise made to people who suggest (see `feedback.*`).", "{respond_within_days: 3}"),
    share=Key(
        "list of network names",
        "Share links under profiles, shipped suggestions, weeks and stories, besides the copy-link button: "
        "weibo, x, telegram, mastodon, bluesky, facebook, linkedin, reddit, whatsapp, line, email. "
        "Plain links: no script or image of theirs is loaded.",
        "[weibo, x, telegram, mastodon]",
        default="[] (the copy-link button only)",
    ),
    cards=Key("mapping", "Share cards, the 1200×630 pictures link previews show (see `cards.*`).", "{font: /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc}"),
)

PARTICIPATE = table(
    suggest=Key("http(s) address", "Where to send a suggestion, e.g. the GitHub issue form of examples/github-issue-forms/.", "https://github.com/lumen/feedback/issues/new?template=suggestion.yml"),
    story=Key("http(s) address", "Where to submit a fan story.", "https://github.com/lumen/feedback/issues/new?template=story.yml"),
    forum=Key("http(s) address", "The community forum.", "https://community.lumen-os.example/"),
)


AREA = table(
    id=Key("lower-case letters, digits and '-'", "The area's address: /areas/<id>/.", "lock-screen", required=True),
    name=Key("text, or a mapping of language to text", "Its name, in each of the site's languages.", "{en: Lock screen, zh-CN: 锁屏}", required=True),
    description=Key("text, or a mapping of language to text", "One sentence on its page and in its feed.", "{en: The clock, widgets and what shows before unlocking.}"),
    tags=Key("list of text", "Story tags that put a story in this area (as its page groups stories), besides a story's own `area`.", "[lunar, widgets]", default="[]"),
)

CHANNEL = table(
    id=Key("lower-case letters, digits and '-'", "The channel's address: /channels/<id>/, as releases name it in `channel`.", "beta", required=True),
    name=Key("text, or a mapping of language to text", "Its name, in each of the site's languages.", "{en: Beta, zh-CN: 测试版}", default="the id"),
    description=Key("text, or a mapping of language to text", "Who it is for, on its page and in its feed.", "{en: New features a few weeks early.}"),
)


FEEDBACK = table(
    respond_within_days=Key(
        "whole number of days, 1 to 365",
        "The pledge to answer every suggestion within so many days (its first history entry past `received`). "
        "`/pace/` shows how often it was kept, and the board marks each suggestion still waiting past it "
        "on the build's date.",
        "3",
    ),
)

FEEDS = table(
    limit=Key("whole number, 1 or more", "How many of the newest items each feed holds.", "20", default="50"),
    contributor_stories=Key(
        "`summary` or `full`",
        "What a contributor's own feed carries of their stories: the byline and a link (`summary`), "
        "or the whole story as the stories feed does (`full`). Summaries keep a site of thousands "
        "of people from publishing every story once per author feed.",
        "full",
        default="summary",
    ),
)

CARDS = table(
    font=Key(
        "font file",
        "The font share cards are drawn with (.ttf, .otf or .ttc; relative to site.yml, or an absolute path); "
        "it must cover Chinese. A page whose names or title it cannot draw shares the site's default card, "
        "with a warning.",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        default="Noto Sans CJK or WenQuanYi from the system (Debian: fonts-noto-cjk)",
    ),
)

LIMITS = table(
    max_body_kb=Key(
        "whole number of KB",
        "The longest body (release notes, a story…) in KB of text; a longer one is an error at its file. "
        "The longest real release notes seen are about 20 KB.",
        "512",
        default="256",
    ),
    max_nesting=Key(
        "whole number",
        "How deep lists and block quotes may nest inside each other; deeper is an error at its line.",
        "24",
        default="16",
    ),
    max_front_matter_kb=Key(
        "whole number of KB",
        "The largest front matter (the fields between the `---` lines) of a content file; "
        "a release with 500 credits has about 33 KB. (`site.yml` itself is always held to 64 KB.)",
        "128",
        default="64",
    ),
    max_yaml_depth=Key(
        "whole number",
        "How deep front-matter values may nest (a history entry's note is 4 deep).",
        "10",
        default="8",
    ),
)

RECOGNITION = table(
    points=Key(
        "mapping of credit kind to whole number",
        "Points per kind of credit; a kind left out keeps its default (see `recognition.points.*`).",
        "{proposed_shipped: 20}",
        default="the defaults of `recognition.points.*`",
    ),
    levels=Key(
        "list of {name, min_points, perks}",
        "Levels by total points, lowest first; the first starts at 0 and each needs more than the one before.",
        "[{name: New, min_points: 0}, {name: Regular, min_points: 30}]",
        default="Bronze 0, Silver 15, Gold 40, Diamond 80",
    ),
    require_profiles=Key(
        "true or false",
        "Every handle named in content must have a profile in `content/contributors/`, so a typo in a "
        "handle is an error instead of a new person.",
        "true",
        default="false",
    ),
)

APPEARANCE = table(
    accent=Key(
        "CSS colour",
        "The accent colour: the strip under the header, links, highlights. The default theme derives its light "
        "and dark accents from it, moving only their lightness as far as needed for AA contrast, so any colour "
        "stays readable. Any CSS colour: `#0f766e`, `teal`, `rgb(15 118 110)`, `oklch(55% 0.1 185)`.",
        '"#0f766e"',
        default="#c2410c",
    ),
    logo=Key(
        "file in the site",
        "An image (SVG, PNG, JPEG, GIF or WebP, at most 2 MB), its path from the folder of site.yml; it takes the "
        "place of the theme's mark and the site title in every page's header, with the title as its text for screen readers. "
        "Published at `/assets/site/<its path>`.",
        "assets/logo.svg",
    ),
    favicon=Key(
        "file in the site",
        "The icon browsers show in tabs (SVG, PNG, ICO, JPEG, GIF or WebP), its path from the folder of site.yml; "
        "without it, the theme's icon.",
        "assets/favicon.png",
    ),
    css=Key(
        "list of files in the site",
        "Stylesheets (UTF-8 `.css` files) linked on every page after the theme's, so their rules win: "
        "change a colour, a font, a margin without copying `style.css`.",
        "[assets/site.css]",
        default="[]",
    ),
    head=Key(
        "HTML (trusted)",
        "HTML added as it is at the end of every page's `<head>` (a font, a verification tag, analytics). It is "
        "**not** sanitised: like a template, it comes from the site's own configuration, so whoever may change "
        "site.yml may put script on every page. Never paste anything a visitor sent.",
        "'<meta name=\"google-site-verification\" content=\"…\">'",
    ),
)

# The kinds themselves (and their defaults) are config.DEFAULT_POINTS; these say what earns them.
POINTS = table(
    proposed_shipped=Key("whole number", "The first proposer of a shipped suggestion.", "20"),
    coproposed_shipped=Key("whole number", "Each further proposer of a shipped suggestion.", "8"),
    proposed_adopted=Key("whole number", "Any proposer of an adopted, not yet shipped suggestion.", "5"),
    proposed=Key("whole number", "Any proposer of a suggestion in any other status: asking counts.", "2"),
    release_credit=Key("whole number", "A release credit: a bug report, testing, a translation.", "6"),
    story=Key("whole number", "A published fan story.", "3"),
    popcorn=Key("whole number", "Each member of the team that won the week's popcorn award.", "1"),
)

LEVEL = table(
    name=Key("text", "The level's name, in any script.", "Gold", required=True),
    min_points=Key("whole number", "The total points that reach it.", "40", required=True),
    perks=Key(
        "text, at most 200 characters",
        "What reaching the level brings, in plain text: shown on /honor/levels/ and on the profiles at it.",
        "Early access to beta builds",
    ),
)

RELEASE = table(
    version=Key("version", "The release's version; the file is named after it. Quotes are optional: 1.10 stays 1.10.", '"14.8.23"', required=True),
    date=Key("date", "The release date; a date alone is midnight in the site's time zone. A later date is a draft until then.", "2026-11-20", required=True),
    title=Key("text", "The release's title.", "Lumen OS 14.8.23, night photos", default="<site title> <version>"),
    channel=Key(
        "channel id",
        "The release channel: one of site.yml's `channels` when it declares them (each has its own page and feeds), "
        "else a free badge.",
        "beta",
        default="the first declared channel, or (none)",
    ),
    summary=Key("text", "One line for lists and feeds.", "Night photos, faster."),
    credits=Key("list of {who, for}", "People thanked for reports, testing, translations (see `credits[].*`).", "[{who: lin-xiao, for: reported the Bluetooth bug}]"),
    popcorn=Key("{team, members, votes, reason}", "The week's popcorn award (see `popcorn.*`).", "{team: Camera team, members: [zhou-min]}"),
)

CREDIT = table(
    who=Key("handle", "The person thanked.", "lin-xiao", required=True),
    **{"for": Key("text", "What for, shown on the release, the weekly page and their profile.", "tested night mode", required=True)},
)

POPCORN = table(
    team=Key("text", "The winning team.", "Camera team", required=True),
    members=Key("list of handles", "The team's members; each earns popcorn points.", "[zhou-min, amara-n]", default="[]"),
    votes=Key("whole number", "The votes it won.", "1234"),
    reason=Key("text", "Why it won.", "Night mode that users love."),
)

SUGGESTION = table(
    title=Key("text", "What was asked.", "Show the lunar date on the lock screen", required=True),
    proposed_by=Key(
        "list of handles",
        "Who asked; the first is the original proposer. One handle alone needs no brackets.",
        '[lin-xiao, "@Maria-K"]',
        required=True,
    ),
    date=Key("date", "When it was received.", "2026-10-02", required=True),
    status=Key(f"one of {_STATUS}", "Where it stands.", "shipped", required=True),
    shipped_in=Key(
        "version, or a list of versions",
        "The release it shipped in; required when `status: shipped`, only then allowed. A list names a beta "
        "release and the stable one that followed (`[\"6.3.0\", \"6.3.2\"]`): the page shows both, and both weeks list it.",
        '"14.8.23"',
    ),
    declined_reason=Key("text", "Why it was declined, shown publicly; required when `status: declined`.", "It would drain the battery."),
    votes=Key("whole number", "Votes it received.", "312"),
    area=Key("text", "The product area it belongs to: one of site.yml's `areas` (by id or name) when it declares them.", "Lock screen"),
    thread=Key("http(s) address", "The discussion it came from.", "https://community.example.com/t/1024"),
    history=Key("list of {date, status, note}", "The public timeline (see `history[].*`).", "[{date: 2026-10-02, status: received}]", default="[]"),
    planned_for=Key(
        "version, or a month YYYY-MM",
        "The plan: the release or month it is meant to ship in; for an adopted suggestion (kept once shipped, "
        "to show the plan against the fact, or declined).",
        '"6.5"',
    ),
    owner=Key(
        "handle, or a team",
        "Who is in charge: a team named in a profile's `team` or a popcorn award, or the handle of someone "
        "with a profile.",
        "Camera team",
    ),
)

HISTORY = table(
    date=Key("date", "When the status changed.", "2026-10-09", required=True),
    status=Key(f"one of {_STATUS}", "The status it changed to.", "adopted", required=True),
    note=Key("text", "A public note.", "Planned for November"),
)

PROFILE = table(
    name=Key("text", "The display name, in any script.", "林晓", default="the handle"),
    avatar=Key("image", "A PNG, JPEG, GIF or WebP next to the file, or an https:// address.", "lin-xiao.jpg"),
    joined=Key("date", "When they joined.", "2025-03-01"),
    titles=Key("list of text", "Titles they hold, shown on their profile and the honor roll.", "[Beta Tester Expert]", default="[]"),
    team=Key("text", "Their team, for staff: staff are on no fans' roll, and the honor roll lists them by team.", "Camera team"),
    links=Key("mapping of label to http(s) address", "Links on their profile.", "{Blog: https://example.com/lin}", default="{}"),
    aliases=Key("list of handles", "Other handles of the same person: credits under them count here.", "[linxiao88]", default="[]"),
    anonymous=Key("true or false", 'Shown as "Anonymous contributor", with no page, feed or place on a roll.', "true", default="false"),
)

STORY = table(
    title=Key("text", "The story's title.", "The night the camera saw stars", required=True),
    author=Key("handle, or {name}", "A contributor's handle, or `{name: Guest Name}` for a guest (see `author.name`).", "lin-xiao", required=True),
    date=Key("date", "When it was written or received.", "2026-11-12", required=True),
    status=Key(f"one of {', '.join(STORY_STATUSES)}", "Moderation: only `approved` is published, and only with consent.", "approved", required=True),
    consent=Key("true or false", "The author agreed to publication; an approved story without it is not published.", "true", default="false"),
    tags=Key("list of text", "Tags in any script; each has a page.", "[night mode, 夜景]", default="[]"),
    cover=Key("image", "An image next to the file.", "cover.jpg"),
    anonymous=Key("true or false", "Published without any name.", "true", default="false"),
    about=Key(
        "list of suggestion ids",
        "The suggestions the story is about, by file name without .md: the story links to each, "
        "and each suggestion's page lists its published stories.",
        "[S-1024]",
        default="[]",
    ),
    area=Key(
        "area",
        "The interest circle it belongs to: one of site.yml's `areas` (by id or name); without it, its tags "
        "place it through the areas' `tags`.",
        "camera",
    ),
)

GUEST = table(name=Key("text", "A guest author's name, for someone without a handle.", "Guest Name", required=True))
