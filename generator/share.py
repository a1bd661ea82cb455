"""What a page offers for sharing: its card, share links, and (for a profile) the badge and its snippets.

Run on the planned pages, before they are checked for collisions: each page that can be
shared gets `card` (a cards.Card, or None for the site's default card), `share` (the
networks' links) and, for a profile, `badge` (snippets to copy); every profile gets a
badge page, /contributors/<handle>/badge.svg. Everything is worded here, in the site's
language, so a card's fingerprint holds every word it shows.
"""

from __future__ import annotations

import hashlib
import html
import unicodedata
from dataclasses import replace
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import babel
from babel.dates import format_date
from babel.numbers import format_decimal

from . import urls
from .cards import Card
from .config import SiteConfig
from .errors import Diagnostics, SourceLocation
from .fingerprint import digest
from .fonts import Face, FontProblem, find_faces, missing_in_all
from .model import PersonRef
from .pages import Page
from .recognition import Recognition
from .site import Person, Site
from .theme import theme_dirs, translations

SHARED = ("contributor.html", "suggestion.html", "week.html", "story.html")
BADGE_TEMPLATE = "badge.xml"  # .xml: the theme's autoescape covers it, so every name is escaped
Piece = tuple[str, SourceLocation]  # a text drawn on a card, and where an editor fixes it
NAMES = 12  # names worded on a card's one line of people (it is cut to fit anyway)


class Words:
    """The site's UI words for cards and badges, as the theme's catalog has them."""

    def __init__(self, config: SiteConfig):
        self.catalog = translations(theme_dirs(config), config.language)
        self.locale = babel.Locale.parse(config.language, sep="-")
        self.config = config

    def _(self, text: str, **variables: Any) -> str:  # named as pybabel extracts it (themes/default/babel.cfg)
        translated = self.catalog.gettext(text)
        return translated % variables if variables else translated

    def ngettext(self, one: str, many: str, n: int, **variables: Any) -> str:
        """Word a count: '1 point', '12 points' (the number written the locale's way)."""
        return self.catalog.ngettext(one, many, n) % {"num": format_decimal(n, locale=self.locale), **variables}

    def names(self, names: list[str]) -> str:
        """Join names as the language lists them ('A, B' or 'A、B')."""
        return self.catalog.pgettext("list separator", ", ").join(names)

    def date(self, value: datetime) -> str:
        """Write a date the long way, in the site's language and time zone."""
        return format_date(value.astimezone(self.config.tz).date(), format="long", locale=self.locale)


def attach(pages: list[Page], site: Site, recognition: Recognition, diagnostics: Diagnostics) -> list[Page]:
    """Give every shareable page its card, share links and badge; add the badge pages."""
    config = site.config
    words = Words(config)
    faces: tuple[Face, ...] = ()
    try:
        faces = find_faces(config.card_font, config.site_dir)
    except FontProblem as exc:
        if config.card_font:
            diagnostics.error(SourceLocation("site.yml", 1), str(exc))
        else:  # a machine without CJK fonts still builds (strict too): cards are a bonus
            diagnostics.notice(SourceLocation("site.yml", 1), str(exc))
    warned: set[tuple[str, int, str]] = set()
    out: list[Page] = []
    badges: list[Page] = []
    for page in pages:
        if page.template not in SHARED:
            out.append(page)
            continue
        composed = compose(page, site, recognition, words)
        headline, pieces, card = composed if composed else (page.title, [], None)
        if card is not None and faces:
            card = replace(card, font=tuple(face.identity for face in faces))
            for text, where in pieces:
                missing = missing_in_all(faces, text)
                if missing:
                    card = None
                    if (where.path, where.line, missing) not in warned:
                        warned.add((where.path, where.line, missing))
                        diagnostics.warning(where, f"share card: no card font has letters for '{missing}' (in '{text}'), so pages "
                                            "showing it share the site's default card; set cards.font in site.yml to a font that has them")
        else:
            card = None
        context: dict[str, Any] = {**page.context, "card": card, "share": share_links(page, config, headline)}
        if page.template == "contributor.html":
            person: Person = page.context["person"]
            context["badge"] = snippets(person, config)
            badges.append(Page(urls.badge(person.handle), BADGE_TEMPLATE, person.name,
                               {"badge": badge(person, recognition, words)}, sources=page.sources, draft=page.draft))
        out.append(replace(page, context=context))
    return out + badges


def share_links(page: Page, config: SiteConfig, headline: str) -> tuple[tuple[str, str], ...]:
    """Link the page, at its address in this config, to each network the site lists."""
    address = config.absolute(urls.encode(page.url))
    return tuple((n, urls.share_link(n, address, headline)) for n in config.share)


def compose(page: Page, site: Site, recognition: Recognition, words: Words) -> tuple[str, list[Piece], Card | None] | None:
    """Word a page's card: (the headline shared with a link, the texts and where they come from, the card)."""
    config, c = site.config, page.context
    where = SourceLocation(page.sources[0] if page.sources else "site.yml", 1)
    parts = urlsplit(config.url)
    footer = f"{config.title} · {parts.netloc}{parts.path.rstrip('/')}"

    def card(eyebrow: str, title: str, lines: list[str], **more: Any) -> Card:
        alt = short(" · ".join([eyebrow, title, *lines]), 300)
        return Card(urls.card(page.url), eyebrow, clean(title), tuple(clean(x) for x in lines), clean(footer), alt, (), **more)

    def person_piece(ref_or_handle: PersonRef | str, fallback: SourceLocation) -> tuple[str, SourceLocation] | None:
        handle = site.canonical(ref_or_handle.handle if isinstance(ref_or_handle, PersonRef) else ref_or_handle)
        person = site.people.get(handle)
        if person is None or person.anonymous:
            return None
        if person.profile is not None:
            return person.name, SourceLocation(person.profile.origin.path, person.profile.origin.line("name"))
        line = ref_or_handle.line if isinstance(ref_or_handle, PersonRef) else fallback.line
        return person.name, SourceLocation(fallback.path, line)

    if page.template == "contributor.html":
        person, standing = c["person"], c["standing"]
        profile = person.profile
        shipped = sum(1 for credit in c["credits"] if credit.kind in ("proposed_shipped", "coproposed_shipped"))
        lines = [f"{standing.level.name} · {words.ngettext('%(num)s point', '%(num)s points', standing.points)}",
                 words.ngettext("%(num)s idea shipped", "%(num)s ideas shipped", shipped)]
        since = (profile.joined if profile and profile.joined else None) or standing.first
        if since is not None:
            lines.append(words._("Member since %(date)s", date=words.date(since)))
        more: dict[str, Any] = {"initials": person.name[:1].upper(), "hue": int(hashlib.sha1(person.handle.encode("utf-8")).hexdigest()[:4], 16) % 360}
        if profile and profile.avatar and not profile.avatar.startswith("https://"):
            try:  # the picture's bytes are in the fingerprint: a new avatar under the old name redraws the card
                more = {"avatar": profile.avatar, "avatar_digest": digest((config.site_dir / profile.avatar).read_bytes())}
            except OSError:
                pass
        origin = SourceLocation(profile.origin.path, profile.origin.line("name")) if profile else where
        pieces = [(person.name, origin), (standing.level.name, SourceLocation("site.yml", 1))]
        return person.name, pieces, card(words._("Contributor"), person.name, lines, **more)
    if page.template == "suggestion.html":
        s, release = c["suggestion"], c["release"]
        if s.status != "shipped" or release is None:
            return s.title, [], None
        names = [p for p in (person_piece(ref, where) for ref in s.proposed_by) if p][:NAMES]
        lines = [words._("Suggested by %(people)s", people=words.names([n for n, _ in names])) if names else "",
                 words._("Shipped in %(version)s", version=release.version)]
        pieces = [(s.title, SourceLocation(s.origin.path, s.origin.line("title"))), *names]
        return s.title, pieces, card(words._("Your suggestion, we did it"), s.title, [x for x in lines if x])
    if page.template == "week.html":
        week = c["week"]
        eyebrow = words._("Your suggestion, we did it: week %(week)s", **urls.week_words(week.key))
        title = words.ngettext("%(num)s suggestion shipped", "%(num)s suggestions shipped", len(week.shipped))
        pieces = [(s.title, SourceLocation(s.origin.path, s.origin.line("title"))) for s in week.shipped[:3]]
        lines = ["· " + s.title for s in week.shipped[:3]]
        refs = [(ref, SourceLocation(s.origin.path, 1)) for s in week.shipped for ref in s.proposed_by]
        refs += [(credit.who, SourceLocation(r.origin.path, 1)) for r in week.releases for credit in r.credits]
        refs += [(m, SourceLocation(r.origin.path, 1)) for r in week.releases if r.popcorn for m in r.popcorn.members]
        # Only the first names can show on one line: a week thanking 500 people stays a small card.
        thanked = list({p[0]: p for p in (person_piece(ref, origin) for ref, origin in refs) if p}.values())[:NAMES]
        if thanked:
            lines.append(words._("Thanks to %(people)s", people=words.names([n for n, _ in thanked])))
        return eyebrow, pieces + thanked, card(eyebrow, title, lines)
    if page.template == "story.html":
        story = c["story"]
        author = None
        if not story.anonymous:
            author = (story.guest_name, where) if story.author is None and story.guest_name else (person_piece(story.author, where) if story.author else None)
        lines = [author[0] if author else "", words.date(story.date)]
        pieces = [(story.title, SourceLocation(story.origin.path, story.origin.line("title"))), *([author] if author else [])]
        return story.title, pieces, card(words._("Stories"), story.title, [x for x in lines if x])
    return None


def clean(text: str) -> str:
    """Drop what must never be drawn or put in XML: control and format characters (bidi overrides too)."""
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn") or ch == " ")


def text_width(text: str) -> int:
    """Estimate a text's width in a badge's 11 px type: wide (CJK) characters count double."""
    return sum(12 if unicodedata.east_asian_width(ch) in "WF" else 7 for ch in text)


def short(text: str, most: int) -> str:
    """Cut text to `most` characters, ending with an ellipsis when cut."""
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def badge(person: Person, recognition: Recognition, words: Words) -> dict[str, Any]:
    """Word and measure a contributor's badge: their name on the left, level, points and title on the right."""
    standing = recognition.standings[person.handle]
    titles = person.profile.titles if person.profile else ()
    label = short(clean(person.name), 28)
    value = short(clean(" · ".join([standing.level.name, words.ngettext("%(num)s point", "%(num)s points", standing.points), *titles[:1]])), 64)
    left, right = text_width(label) + 20, text_width(value) + 20
    return {"handle": person.handle, "label": label, "value": value, "left": left, "right": right, "width": left + right}


def snippets(person: Person, config: SiteConfig) -> dict[str, str]:
    """The badge as Markdown, HTML and BBCode, each linking to the profile (absolute addresses)."""
    image = config.absolute(urls.encode(urls.badge(person.handle)))
    profile = config.absolute(urls.encode(urls.contributor(person.handle)))
    alt = clean(f"{person.name} · {config.title}")
    markdown_alt = "".join("\\" + ch if ch in "\\[]()*_`<>!" else ch for ch in alt)
    return {
        "Markdown": f"[![{markdown_alt}]({image})]({profile})",
        "HTML": f'<a href="{html.escape(profile)}"><img src="{html.escape(image)}" alt="{html.escape(alt)}"></a>',
        "BBCode": f"[url={profile}][img]{image}[/img][/url]",
    }



def reword(pages: list[Page], site: Site, recognition: Recognition) -> list[Page]:
    """Word the cards, share links and badges again for one language's edition (its words, its addresses).

    `attach` words them once, in the site's first language, and checks the card fonts
    there; an edition under /<tag>/ keeps that verdict (a card refused for a name stays
    refused) and only changes the words the theme's catalog translates and the links.
    """
    config = site.config
    words = Words(config)
    out: list[Page] = []
    for page in pages:
        c = page.context
        if page.template == BADGE_TEMPLATE:
            person = site.people[c["badge"]["handle"]] if "handle" in c["badge"] else None
            if person is not None:
                page = replace(page, context={**c, "badge": badge(person, recognition, words)})
        elif page.template in SHARED and "share" in c:
            composed = compose(page, site, recognition, words)
            headline, _, card = composed if composed else (page.title, [], None)
            if card is not None and c.get("card") is not None:
                card = replace(card, font=c["card"].font)
            else:
                card = None
            context = {**c, "card": card, "share": share_links(page, config, headline)}
            if page.template == "contributor.html":
                context["badge"] = snippets(c["person"], config)
            page = replace(page, context=context)
        out.append(page)
    return out
