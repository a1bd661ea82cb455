"""Every URL rule in one place. Site paths start and end with '/' and are not percent-encoded.

URLs depend only on what a thing is (a version, an id, a handle, a slug, a tag),
never on build order, so they stay stable from one weekly build to the next.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date
from urllib.parse import quote

HOME = "/"
RELEASES = "/releases/"
WEEKLY = "/weekly/"
SUGGESTIONS = "/suggestions/"
HONOR = "/honor/"
LEVELS = "/honor/levels/"
CONTRIBUTORS = "/contributors/"
STORIES = "/stories/"
TAGS = "/stories/tags/"
FEEDS = "/feeds/"
SEARCH = "/search/"
NOT_FOUND = "/404.html"
SITEMAP = "/sitemap.xml"
STYLESHEET = "/assets/style.css"
PACE = "/pace/"
REPORTS = "/reports/"


def release(version: str) -> str:
    return f"/releases/{version}/"


def week_key(day: date) -> str:
    """Name the ISO 8601 week of a day, e.g. '2026-W47'."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_words(key: str) -> dict[str, str]:
    """Name a week's parts for a UI string: the key (2026-W47), its year (2026) and number (47).

    English says "Week 2026-W47"; Chinese says "2026 年第 47 周", which needs the parts.
    """
    year, _, number = key.partition("-W")
    return {"week": key, "year": year, "number": str(int(number))}


def week(key: str) -> str:
    return f"/weekly/{key}/"


def suggestion(ident: str) -> str:
    return f"/suggestions/{ident}/"


AREAS = "/areas/"


def area(ident: str) -> str:
    return f"/areas/{ident}/"


def channel(ident: str, number: int = 1) -> str:
    """Page `number` of a release channel's list (the first is /channels/<id>/ itself)."""
    return f"/channels/{ident}/" if number <= 1 else f"/channels/{ident}/page/{number}/"


def board(status: str, area: str | None = None, number: int = 1) -> str:
    """Page `number` of the board's list of one status, of one area or all (/suggestions/shipped/camera/page/2/)."""
    base = f"/suggestions/{status}/" + (f"{area}/" if area else "")
    return base if number <= 1 else f"{base}page/{number}/"


def contributor(handle: str) -> str:
    return f"/contributors/{handle}/"


# Sorted views of the contributors index; these names cannot be used as handles.
CONTRIBUTOR_VIEWS = {"by-level": CONTRIBUTORS, "by-name": "/contributors/by-name/", "newest": "/contributors/newest/"}
RESERVED_HANDLES = frozenset({"by-name", "newest"})  # their /contributors/<handle>/ is a list


def honor_period(key: str) -> str:
    """A month ('2026-11') or year ('2026') of the honor roll."""
    return f"/honor/{key}/"


def report(month: str) -> str:
    """The monthly report of the users' voice for a month ('2026-11')."""
    return f"/reports/{month}/"


def story(slug: str) -> str:
    return f"/stories/{slug}/"


def stories_page(number: int) -> str:
    """Page `number` of the stories index (the first is /stories/ itself)."""
    return STORIES if number <= 1 else f"/stories/page/{number}/"


def tag_slug(tag: str) -> str:
    """Make a tag's URL segment: NFKC, lower case, runs of anything but letters/digits become '-'.

    Letters of every script are kept (夜景 stays 夜景), so Chinese tags read naturally in
    the address bar; two spellings of one tag ('Night Mode', 'night-mode') share a page.
    """
    slug = re.sub(r"[^\w]+|_", "-", unicodedata.normalize("NFKC", tag).casefold()).strip("-")
    return slug or "tag-" + hashlib.sha1(tag.encode("utf-8")).hexdigest()[:8]


def name_slug(stem: str, punctuation: str, lower_case: bool = False) -> str | None:
    """Make a content file's URL segment from its name (NFKC), or None when it cannot be one.

    Letters, marks and digits of every script are kept, as in tags, so a Chinese
    community may name a story 故事.md. NFKC makes the name a macOS disk stores
    decomposed give the same address as one typed on Linux. The whole name must pass:
    a trailing line break is refused, never carried into an address as %0A.
    """
    name = unicodedata.normalize("NFKC", stem)
    if not name or not _letter_or_digit(name[0]):
        return None
    for ch in name:
        if not (_letter_or_digit(ch) or unicodedata.category(ch).startswith("M") or ch in punctuation):
            return None
    if lower_case and name != name.lower():
        return None
    return name


def _letter_or_digit(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LN"


def tag(slug: str) -> str:
    return f"/stories/tags/{slug}/"


def feed(name: str, ext: str) -> str:
    """A feed file: ext is 'xml' (RSS 2.0), 'atom' (Atom 1.0) or 'json' (JSON Feed 1.1)."""
    return f"/feeds/{name}.{ext}"


def output_file(site_path: str) -> str:
    """Map a site path to the file written in the output folder."""
    path = site_path.lstrip("/")
    return path + "index.html" if path == "" or path.endswith("/") else path


def encode(site_path: str) -> str:
    """Percent-encode a site path for use in an address (Chinese tags, spaces)."""
    return quote(site_path, safe="/#?=&.-_~")


def relative(target: str, from_page: str) -> str:
    """Link from one site path to another relatively, so the site works under any base path.

    The link climbs from the page's folder to the site root ('../' per level) and goes
    down to the target: the same shape from every page, and cheap to make.
    """
    depth = from_page.count("/") - 1  # "/a/b/" is two folders deep, "/a/b.xml" one
    rel = "../" * depth + target.lstrip("/")
    return encode(rel) if rel else "./"


def _image_name(stem: str, source: str) -> str:
    suffix = source.rsplit(".", 1)[-1].lower() if "." in source else "img"
    return f"{stem}.{suffix}"


def avatar(handle: str, source: str) -> str:
    """Where a profile's local avatar is published (beside the profile page)."""
    return f"/contributors/{handle}/{_image_name('avatar', source)}"


def cover(slug: str, source: str) -> str:
    """Where a story's cover image is published (beside the story page)."""
    return f"/stories/{slug}/{_image_name('cover', source)}"


def card(page: str) -> str:
    """Where a page's share card (1200×630 PNG) is published: beside the page."""
    return f"{page}share-card.png"


def badge(handle: str) -> str:
    """A contributor's badge for forum signatures and READMEs."""
    return f"/contributors/{handle}/badge.svg"


# Share addresses of the networks a site may list in site.yml `share:`; {url} and {text}
# are filled in percent-encoded. Plain links only: nothing of theirs is loaded by a page.
# Mastodon has no central server: mastodonshare.com asks the reader for theirs.
SHARE_NETWORKS = {
    "weibo": "https://service.weibo.com/share/share.php?url={url}&title={text}",
    "x": "https://x.com/intent/tweet?url={url}&text={text}",
    "telegram": "https://t.me/share/url?url={url}&text={text}",
    "mastodon": "https://mastodonshare.com/?url={url}&text={text}",
    "bluesky": "https://bsky.app/intent/compose?text={text}%20{url}",
    "facebook": "https://www.facebook.com/sharer/sharer.php?u={url}",
    "linkedin": "https://www.linkedin.com/sharing/share-offsite/?url={url}",
    "reddit": "https://www.reddit.com/submit?url={url}&title={text}",
    "whatsapp": "https://wa.me/?text={text}%20{url}",
    "line": "https://social-plugins.line.me/lineit/share?url={url}",
    "email": "mailto:?subject={text}&body={url}",
}


def share_link(network: str, address: str, text: str) -> str:
    """Make the address that shares a page on a network (`address` absolute, `text` its title)."""
    return SHARE_NETWORKS[network].format(url=quote(address, safe=""), text=quote(text, safe=""))
