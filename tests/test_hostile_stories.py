"""Hostile fan stories: nothing a story writes may become active content for a reader.

tests/sites/hostile/ holds more than 50 approved, consented stories, each built around
one family of attack (script tags, event handlers, javascript:/vbscript:/data: URLs,
SVG, MathML, styles, frames, forms, meta/base/link, comments, unclosed tags, template
syntax, hostile titles, tags and guest names). The site is built once; then every
output HTML file is parsed with real HTML parsers (html5lib, which parses like a
browser, and lxml.html) and every feed with lxml.etree / json, and the trees are
checked. Nothing here greps the output for "script": what counts is what a parser
sees.

The theme may ship its own scripts, icons (SVG) and buttons. What it ships is learnt
from a twin build of the same site whose stories are plain words: on the hostile site,
an element of those kinds must be one the twin has, identical. Inside a story's own
content there are no exceptions at all.

Story front matter that is refused at check time (covers outside the folder or of
another type, handles that are not handles) lives in tests/sites/hostile-fields/;
those tests assert the error instead.
"""

from __future__ import annotations

import html
import json
import posixpath
import os
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from urllib.parse import urljoin

import html5lib
import lxml.html
import pytest
import yaml
from lxml import etree

from conftest import TESTS, run

HOSTILE = TESTS / "sites" / "hostile"
HOSTILE_FIELDS = TESTS / "sites" / "hostile-fields"
STORY_FILES = sorted((HOSTILE / "content" / "stories").glob("*.md"))

SVG_NS = "http://www.w3.org/2000/svg"
MATHML_NS = "http://www.w3.org/1998/Math/MathML"
XLINK_NS = "http://www.w3.org/1999/xlink"
ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"

# Elements that must appear nowhere in the output: the default theme emits none of them
# (it ships no <script> at all; see themes/default/templates), so any of them came from content.
# (meta[http-equiv] and link[rel=import] are checked by attribute below; the theme's
# own <svg> activity chart on profile pages is the one allowed SVG.)
FORBIDDEN_ANYWHERE = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input", "button",
    "select", "textarea", "base", "math", "template", "noscript", "isindex", "keygen", "plaintext", "xmp",
}
# Inside a story's content only the sanitiser's prose elements may appear.
FORBIDDEN_IN_CONTENT = FORBIDDEN_ANYWHERE | {
    "style", "svg", "link", "meta", "title", "head", "body", "html", "video", "audio", "source", "track",
    "canvas", "marquee", "param", "option", "foreignobject", "use", "animate", "set", "layer", "bgsound",
    "noembed", "noframes", "xml", "h1",
}
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "poster", "background", "cite", "data", "codebase", "lowsrc",
    "dynsrc", "ping", "longdesc", "usemap", "manifest", "icon", "profile",
}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
REQUIRED_REL = {"nofollow", "ugc", "noopener"}


# --------------------------------------------------------------------------- helpers


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    _, block, _ = text.split("---\n", 2)
    return yaml.safe_load(block)


STORIES = {p.stem: front_matter(p) for p in STORY_FILES}


def local(name: object) -> str:
    """Lower-case local name of an element tag or attribute name (namespaces dropped)."""
    return etree.QName(name).localname.lower() if isinstance(name, str) else ""


def namespace(name: str) -> str | None:
    return etree.QName(name).namespace


def compact_url(value: str) -> str:
    """What a lenient URL parser might see: unescaped, NFKC, no whitespace/control/format chars."""
    value = html.unescape(html.unescape(value))
    value = unicodedata.normalize("NFKC", value)
    return "".join(ch for ch in value if not (ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf"))).lower()


def bad_url(value: str) -> bool:
    return compact_url(value).startswith(BAD_SCHEMES)


def srcset_urls(value: str) -> list[str]:
    return [part.strip().split(" ")[0] for part in value.split(",")]


def no_problems(problems: list[str]) -> None:
    if problems:
        pytest.fail(f"{len(problems)} problems:\n" + "\n".join(problems), pytrace=False)


def text_of(el: etree._Element) -> str:
    """The text a reader sees in an element (XPath string value: comments left out)."""
    return str(el.xpath("string()"))


def has_class(el: etree._Element, name: str) -> bool:
    return name in (el.get("class") or "").split()


def elements(root: etree._Element) -> Iterator[etree._Element]:
    for el in root.iter():
        if isinstance(el.tag, str):
            yield el


def describe(el: etree._Element) -> str:
    attrs = " ".join(f'{local(k)}="{v}"' for k, v in el.attrib.items())
    return f"<{local(el.tag)}{' ' + attrs if attrs else ''}>"


def parse_document(text: str, parser: str) -> etree._Element:
    if parser == "html5lib":
        return html5lib.parse(text, treebuilder="lxml", namespaceHTMLElements=False).getroot()
    # huge_tree: libxml2 otherwise gives up on deep nesting, which browsers handle.
    return lxml.html.document_fromstring(text, parser=LXML_PARSER)


def parse_fragment(text: str, parser: str) -> etree._Element:
    """Parse an HTML fragment (a feed item's content) the way a reader inserts it into a page."""
    root = parse_document("<!doctype html><html><head><title>feed item</title></head><body>" + text, parser)
    body = root.find("body")
    assert body is not None
    return body


# --------------------------------------------------------------------------- checks

# Elements the theme may ship but a story may never add. The theme's own are learnt from a
# twin build (same site, every story replaced by plain words): on the hostile site, an
# element of these kinds must be identical to one the twin build has.
def theme_only_kind(el: etree._Element) -> str | None:
    name, ns = local(el.tag), namespace(el.tag)
    in_body = any(local(a.tag) == "body" for a in el.iterancestors())
    if name == "script":
        return "script element"
    if name in FORBIDDEN_ANYWHERE:
        return "forbidden element"
    if name == "svg" or ns == SVG_NS:
        return "SVG element"
    if ns == MATHML_NS:
        return "MathML element"
    if name == "meta" and any(local(k) == "http-equiv" for k in el.attrib):
        return "meta http-equiv"
    if name == "link" and in_body:
        return "link element in the body"
    if name == "style" and in_body:
        return "style element in the body"
    return None


def signature(el: etree._Element, page: str) -> tuple:
    """An element as the theme writes it: addresses resolved from the page, text of scripts."""
    base = "https://site.invalid/" + page
    attrs = tuple(sorted((local(k), urljoin(base, v) if local(k) in URL_ATTRIBUTES else v) for k, v in el.attrib.items()))
    name = local(el.tag)
    text = " ".join(text_of(el).split()) if name in ("script", "style", "noscript", "button", "template", "title") else ""
    return name, namespace(el.tag), attrs, text


def check_document(root: etree._Element, where: str, problems: list[str], theme: frozenset = frozenset(), page: str = "") -> None:
    """Checks that hold for a whole page or a whole feed item, theme included.

    `theme` holds the signatures of what the theme itself ships (see `signature`); a feed
    item's content has none.
    """
    for el in elements(root):
        kind = theme_only_kind(el)
        if kind is not None and signature(el, page) not in theme:
            problems.append(f"{where}: {kind} not from the theme {describe(el)} {' '.join(text_of(el).split())[:80]!r}")
        if local(el.tag) == "link" and "import" in (el.get("rel") or "").lower().split():
            problems.append(f"{where}: link rel=import {describe(el)}")
        for key, value in el.attrib.items():
            attr = local(key)
            if attr.startswith("on"):
                problems.append(f"{where}: event handler attribute {attr!r} on {describe(el)}")
            if attr in URL_ATTRIBUTES or (attr == "href" and namespace(key) == XLINK_NS):
                if bad_url(value):
                    problems.append(f"{where}: dangerous URL in {attr}= on {describe(el)}")
            if attr in ("srcset", "imagesrcset") and any(bad_url(u) for u in srcset_urls(value)):
                problems.append(f"{where}: dangerous URL in {attr}= on {describe(el)}")


def check_story_content(content: list[etree._Element], where: str, problems: list[str]) -> None:
    """Checks for what a story's body became (the story's own HTML, not the theme around it)."""
    for top in content:
        for el in elements(top):
            name = local(el.tag)
            ns = namespace(el.tag)
            if name in FORBIDDEN_IN_CONTENT or ns in (SVG_NS, MATHML_NS):
                problems.append(f"{where}: element not allowed in a story {describe(el)}")
            for key, value in el.attrib.items():
                attr = local(key)
                if attr == "style":
                    problems.append(f"{where}: style attribute in a story {describe(el)}")
                if attr in ("id", "name"):
                    problems.append(f"{where}: {attr}= in a story can clobber the page's own {describe(el)}")
                if attr == "class" and not (name == "code" and all(c.startswith("language-") for c in value.split())):
                    problems.append(f"{where}: class= in a story borrows the theme's styles {describe(el)}")
                if attr in ("target", "formaction", "form", "srcset", "ping", "srcdoc", "xmlns"):
                    problems.append(f"{where}: attribute {attr}= in a story {describe(el)}")
            if name == "a":
                rel = set((el.get("rel") or "").lower().split())
                if not REQUIRED_REL <= rel:
                    problems.append(f"{where}: link without rel nofollow ugc noopener {describe(el)}")
            if name == "img":
                src = el.get("src")
                if src is not None and not story_image_ok(src):
                    problems.append(f"{where}: story image from a forbidden place {describe(el)}")


def story_image_ok(src: str) -> bool:
    """https://…, or a plain relative path below the story: no '..', not rooted, no scheme."""
    if src.lower().startswith("https://"):
        return True
    return bool(re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_./-]*", src)) and ".." not in src


@dataclass
class Built:
    out: Path
    site: Path
    html: dict[str, str]  # output-relative path -> text
    twin: dict[str, str]  # the same site with plain stories: what the theme itself writes
    _theme: dict[str, frozenset] = field(default_factory=dict)

    def theme(self, parser: str) -> frozenset:
        """Signatures of the theme-only elements the twin build has (scripts, icons, buttons…)."""
        if parser not in self._theme:
            self._theme[parser] = frozenset(
                signature(el, path)
                for path, text in self.twin.items()
                for el in elements(parse_document(text, parser))
                if theme_only_kind(el) is not None
            )
        return self._theme[parser]


def write_twin(site: Path) -> None:
    """Replace every story by plain words, keeping its address, author, date and status."""
    for path in (site / "content" / "stories").glob("*.md"):
        meta = front_matter(path)
        meta["title"] = f"Plain {path.stem}"
        meta["tags"] = ["plain"]
        if isinstance(meta["author"], dict):
            meta["author"] = {"name": "Plain Guest"}
        path.write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\nPlain words.\n", encoding="utf-8")


def build_site(source: Path, folder: Path, plain: bool = False) -> tuple[Path, Path, dict[str, str]]:
    site = folder / "site"
    shutil.copytree(source, site)
    if plain:
        write_twin(site)
    out = folder / "out"
    code = run("build", "--config", str(site / "site.yml"), "--out", str(out))
    assert code == 0, "the hostile site must build: every story in it is valid, only hostile"
    return site, out, {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*.html"))}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    site, out, pages = build_site(HOSTILE, tmp_path_factory.mktemp("hostile"))
    _, _, twin = build_site(HOSTILE, tmp_path_factory.mktemp("twin"), plain=True)
    return Built(out, site, pages, twin)


PARSERS = ("html5lib", "lxml")
LXML_PARSER = lxml.html.HTMLParser(huge_tree=True)


def prose_of(root: etree._Element) -> list[etree._Element]:
    """The story's content areas on its page: <article class="story"> … <div class="prose">."""
    return [
        d for d in root.iter("div")
        if has_class(d, "prose") and any(local(a.tag) == "article" and has_class(a, "story") for a in d.iterancestors())
    ]


def story_page(slug: str) -> str:
    return f"stories/{slug}/index.html"


# --------------------------------------------------------------------------- the corpus


def test_the_corpus_is_large_and_all_published() -> None:
    assert len(STORIES) >= 50
    for slug, meta in STORIES.items():
        assert meta["status"] == "approved" and meta["consent"] is True, slug


def test_every_story_has_its_page_and_its_first_words(built: Built) -> None:
    missing = []
    for slug in STORIES:
        text = built.html.get(story_page(slug))
        if text is None:
            missing.append(f"{slug}: no page")
            continue
        prose = prose_of(parse_document(text, "html5lib"))
        if len(prose) != 1 or f"Start marker {slug}." not in text_of(prose[0]):
            missing.append(f"{slug}: the story's content area or its first sentence is missing")
    no_problems(missing)


# --------------------------------------------------------------------------- pages


@pytest.mark.parametrize("parser", PARSERS)
def test_no_page_has_scripts_handlers_or_script_urls(built: Built, parser: str) -> None:
    problems: list[str] = []
    theme = built.theme(parser)
    for path, text in built.html.items():
        check_document(parse_document(text, parser), path, problems, theme, path)
    no_problems(problems)


@pytest.mark.parametrize("parser", PARSERS)
def test_story_content_is_only_prose(built: Built, parser: str) -> None:
    problems: list[str] = []
    for slug in STORIES:
        path = story_page(slug)
        prose = prose_of(parse_document(built.html[path], parser))
        assert len(prose) == 1, path
        check_story_content([c for c in prose[0] if isinstance(c.tag, str)], path, problems)
    no_problems(problems)


@pytest.mark.parametrize("parser", PARSERS)
def test_no_story_swallows_the_rest_of_its_page(built: Built, parser: str) -> None:
    """Unclosed tags, comments and attributes stay inside the story's own <div class="prose">."""
    problems = []
    for slug in STORIES:
        path = story_page(slug)
        root = parse_document(built.html[path], parser)
        body = root.find("body")
        children = [(local(c.tag), c.get("class") or c.get("id")) for c in body if isinstance(c.tag, str)]
        if [n for n, _ in children if n in ("header", "main", "footer")] != ["header", "main", "footer"]:
            problems.append(f"{path}: page skeleton changed: {children}")
        prose = prose_of(root)
        if len(prose) != 1:
            problems.append(f"{path}: {len(prose)} content areas")
            continue
        for el in elements(prose[0]):
            if local(el.tag) in ("header", "footer", "nav", "main", "section", "article", "aside"):
                problems.append(f"{path}: the theme's <{local(el.tag)}> ended up inside the story")
        article = prose[0].getparent()
        pager = [n for n in article if isinstance(n.tag, str) and local(n.tag) == "nav" and has_class(n, "pager")]
        if not pager or not pager[0].findall("a"):
            problems.append(f"{path}: the pager after the story is gone")
        footer = [c for c in body if isinstance(c.tag, str) and local(c.tag) == "footer"]
        if not footer or not footer[0].findall(".//a"):
            problems.append(f"{path}: the site footer is gone or lost its links")
    no_problems(problems)


def test_titles_tags_and_guest_names_are_shown_as_text(built: Built) -> None:
    problems = []
    for slug, meta in STORIES.items():
        path = story_page(slug)
        root = parse_document(built.html[path], "html5lib")
        article = next(a for a in root.iter("article") if has_class(a, "story"))
        h1 = article.find(".//h1")
        if h1 is None or len(h1) or h1.text != meta["title"]:
            problems.append(f"{path}: <h1> is not the title as text: {etree.tostring(h1, encoding=str) if h1 is not None else None}")
        title = root.find("head/title")
        if title is None or not (title.text or "").startswith(meta["title"] + " · "):
            problems.append(f"{path}: <title> is not the title as text: {title.text if title is not None else None!r}")
        og = [m for m in root.iter("meta") if m.get("property") == "og:title"]
        if not og or og[0].get("content") != meta["title"]:
            problems.append(f"{path}: og:title is not the title: {og[0].get('content') if og else None!r}")
        tag_links = [a for p in article.find("header").iter("p") if has_class(p, "tags") for a in p.iter("a")]
        if [(a.text, len(a)) for a in tag_links] != [(t, 0) for t in meta.get("tags", [])]:
            problems.append(f"{path}: tags are not shown as text: {[etree.tostring(a, encoding=str) for a in tag_links]}")
        if isinstance(meta["author"], dict):
            guest = [s for s in article.iter("span") if has_class(s, "guest")]
            if not guest or guest[0].text != meta["author"]["name"] or len(guest[0]):
                problems.append(f"{path}: the guest name is not shown as text")
    no_problems(problems)


def test_tag_pages_name_hostile_tags_as_text(built: Built) -> None:
    hostile = STORIES["tags-hostile"]["tags"]
    seen = set()
    for path, text in built.html.items():
        if path.startswith("stories/tags/"):
            h1 = parse_document(text, "html5lib").find(".//main//h1")
            assert h1 is not None and len(h1) == 0, path
            seen.add(h1.text)
    for tag in hostile:
        assert f"Stories tagged {tag}" in seen


def test_the_anonymous_story_does_not_reveal_its_author(built: Built) -> None:
    """A story marked anonymous is shown as "Anonymous"; its author's handle is nowhere."""
    (slug,) = [s for s, m in STORIES.items() if m.get("anonymous")]
    handle = STORIES[slug]["author"]
    assert not (built.out / "contributors" / handle).exists(), f"contributors/{handle}/ exists"
    assert not list((built.out / "feeds").rglob(f"{handle}.*")), f"feeds for {handle} exist"
    mentions = []
    for path, text in built.html.items():
        root = parse_document(text, "html5lib")
        if handle in text_of(root) or any(handle in (a.get("href") or "") for a in root.iter("a")):
            mentions.append(path)
    no_problems(mentions)


# --------------------------------------------------------------------------- feeds


@dataclass(frozen=True)
class FeedItem:
    where: str
    title: str | None
    title_problem: str | None
    link: str | None
    html: list[str]  # HTML bodies (content, summary)


def is_feed(path: Path) -> bool:
    """RSS, Atom or JSON Feed, told by content (a search index's JSON is not a feed)."""
    if path.suffix == ".json":
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            return False
        return isinstance(doc, dict) and str(doc.get("version", "")).startswith("https://jsonfeed.org/version/")
    if path.suffix in (".xml", ".atom", ".rss"):
        root = etree.fromstring(path.read_bytes())
        return root.tag in ("rss", f"{ATOM}feed")
    return False


def feed_items(path: Path, rel: str) -> Iterator[FeedItem]:
    if path.suffix == ".json":
        doc = json.loads(path.read_text(encoding="utf-8"))
        for i, item in enumerate(doc["items"]):
            title = item.get("title")
            bad = None if title is None or isinstance(title, str) else f"title is {type(title).__name__}"
            yield FeedItem(f"{rel} item {i}", title, bad, item.get("url"), [item["content_html"]] if "content_html" in item else [])
        return
    root = etree.fromstring(path.read_bytes())
    if root.tag == "rss":
        for i, item in enumerate(root.iter("item")):
            title = item.find("title")
            bad = None if title is None or len(title) == 0 else "title holds elements"
            link = item.findtext("link")
            bodies = [e.text or "" for e in (item.find("description"), item.find(CONTENT_ENCODED)) if e is not None]
            # Readers take an RSS title as HTML (RSS never says), so it holds escaped text:
            # what a reader shows is the text of that HTML.
            shown = text_of(parse_fragment(title.text or "", "html5lib")) if title is not None else None
            if title is not None and parse_fragment(title.text or "", "html5lib").find(".//*") is not None:
                bad = "title turns into markup in a reader"
            yield FeedItem(f"{rel} item {i}", shown, bad, link, bodies)
    elif root.tag == f"{ATOM}feed":
        for i, entry in enumerate(root.iter(f"{ATOM}entry")):
            title = entry.find(f"{ATOM}title")
            bad = None
            if title is not None and (len(title) or title.get("type", "text") != "text"):
                bad = f"title type {title.get('type')!r} with {len(title)} child elements"
            link = entry.find(f"{ATOM}link")
            bodies = []
            for kind in ("content", "summary"):
                e = entry.find(f"{ATOM}{kind}")
                if e is None:
                    continue
                if e.get("type") == "html":
                    bodies.append(e.text or "")
                elif e.get("type") == "xhtml":
                    bodies.append("".join(etree.tostring(c, encoding=str) for c in e))
                elif len(e):
                    bad = f"{kind} of type {e.get('type')!r} holds elements"
            yield FeedItem(f"{rel} entry {i}", title.text if title is not None else None, bad, link.get("href") if link is not None else None, bodies)
    else:
        raise AssertionError(f"{rel}: neither RSS nor Atom: {root.tag}")


def all_feeds(out: Path) -> list[Path]:
    feeds = [p for p in sorted(out.rglob("*")) if p.is_file() and is_feed(p)]
    assert len(feeds) >= 9
    return feeds


def story_slug(link: str | None, url: str) -> str | None:
    if link and link.startswith(url + "stories/"):
        rest = link[len(url + "stories/"):].strip("/")
        return rest if rest in STORIES else None
    return None


def site_url(built: Built) -> str:
    return yaml.safe_load((built.site / "site.yml").read_text(encoding="utf-8"))["url"]


@pytest.mark.parametrize("parser", PARSERS)
def test_feed_items_are_safe_html(built: Built, parser: str) -> None:
    url = site_url(built)
    problems: list[str] = []
    stories_seen = set()
    for path in all_feeds(built.out):
        rel = path.relative_to(built.out).as_posix()
        for item in feed_items(path, rel):
            slug = story_slug(item.link, url)
            for body in item.html:
                fragment = parse_fragment(body, parser)
                check_document(fragment, item.where, problems)
                if slug is not None:
                    stories_seen.add(slug)
                    content = [c for c in fragment if isinstance(c.tag, str)]
                    # The theme's byline paragraph comes first; the story follows it.
                    if content and local(content[0].tag) == "p" and any(has_class(e, "person") for e in content[0].iter()):
                        content = content[1:]
                    check_story_content(content, f"{item.where} ({slug})", problems)
                    for img in (e for c in content for e in c.iter("img")):
                        src = img.get("src")
                        base = url + f"stories/{slug}/"
                        if src is not None and not (src.lower().startswith("https://") and (not src.startswith(url) or src.startswith(base))):
                            problems.append(f"{item.where} ({slug}): image outside the story's folder {describe(img)}")
    no_problems(problems)
    assert stories_seen == set(STORIES), "every story must be in the stories feeds"


def test_feed_titles_are_text(built: Built) -> None:
    url = site_url(built)
    problems = []
    counts: dict[str, int] = {}
    for path in all_feeds(built.out):
        rel = path.relative_to(built.out).as_posix()
        for item in feed_items(path, rel):
            if item.title_problem:
                problems.append(f"{item.where}: {item.title_problem}")
            slug = story_slug(item.link, url)
            if slug is not None:
                counts[rel] = counts.get(rel, 0) + 1
                if item.title != STORIES[slug]["title"]:
                    problems.append(f"{item.where}: title {item.title!r} is not the story's {STORIES[slug]['title']!r}")
    no_problems(problems)
    # No title closed its item and opened another: one item per story in each stories feed.
    for ext in ("xml", "atom", "json"):
        assert counts.get(f"feeds/stories.{ext}") == len(STORIES)


# --------------------------------------------------------------------------- template syntax


def texts(built: Built) -> Iterator[tuple[str, str]]:
    """The text a reader sees: every page's text and every feed item's title and content."""
    for path, text in built.html.items():
        yield path, text_of(parse_document(text, "html5lib"))
    for path in all_feeds(built.out):
        rel = path.relative_to(built.out).as_posix()
        for item in feed_items(path, rel):
            yield item.where, " ".join([item.title or ""] + [text_of(parse_fragment(b, "html5lib")) for b in item.html])


def test_template_syntax_in_stories_is_never_evaluated(built: Built) -> None:
    body = " ".join(text_of(parse_document(built.html[story_page("jinja-body")], "html5lib").find(".//main")).split())
    for literal in (
        "SSTI-A {{7*7}} SSTI-A",
        "SSTI-B {{ 1234567*3 }} SSTI-B",
        "SSTI-C {% for x in range(3) %}LOOPED{% endfor %} SSTI-C",
        "SSTI-D {{ config.url }} {{ site }} {{ self.__init__.__globals__ }} SSTI-D",
        "SSTI-E {% raw %} {% endraw %} {# comment #} SSTI-E",
    ):
        assert literal in body
    evaluated = []
    for where, text in texts(built):
        flat = " ".join(text.split())
        for sign in ("3703701", "LOOPEDLOOPED", "SSTI-A 49", "49 {% raw %}", "__globals__': {", "SSTI-D https://"):
            if sign in flat:
                evaluated.append(f"{where}: {sign!r}")
    for raw in built.out.rglob("*"):
        if raw.is_file() and b"3703701" in raw.read_bytes():
            evaluated.append(f"{raw.relative_to(built.out)}: 1234567*3 was computed")
    no_problems(evaluated)
    # {{7*7}} in a title, a tag and a guest name shows as written.
    assert "{{7*7}} {% raw %} {{ 1234567*3 }}" in parse_document(built.html[story_page("title-jinja")], "html5lib").find(".//h1").text
    guest = parse_document(built.html[story_page("guest-jinja")], "html5lib")
    assert [s.text for s in guest.iter("span") if has_class(s, "guest")][0] == "{{7*7}} {% raw %}"


# --------------------------------------------------------------------------- refused fields


FIELD_CASES = {
    # story file: (field, words the message must contain)
    "cover-climbs.md": ("cover", "'..'"),
    "cover-absolute.md": ("cover", "absolute path"),
    "cover-javascript.md": ("cover", "javascript:alert(1)"),
    "cover-data.md": ("cover", "data:image/png"),
    "cover-https.md": ("cover", "https://evil.example/x.png"),
    "cover-backslash.md": ("cover", "'..'"),
    "cover-svg.md": ("cover", "SVG is not accepted"),
    "cover-not-an-image.md": ("cover", "not a PNG"),
    "cover-symlink-out.md": ("cover", "outside the site folder"),
    "author-script.md": ("author", "is not a handle"),
    "author-traversal.md": ("author", "is not a handle"),
    "author-guest-with-link.md": ("author", "guest author is written {name: Their Name}"),
    "title-not-text.md": ("title", "expected text"),
    "tags-not-text.md": ("tags", "expected text"),
}


@pytest.fixture
def hostile_fields(tmp_path: Path) -> Path:
    """tests/sites/hostile-fields/, plus a cover that is a link to an image outside the site."""
    site = tmp_path / "site"
    shutil.copytree(HOSTILE_FIELDS, site)
    outside = tmp_path / "outside.png"
    shutil.copy(HOSTILE / "content" / "stories" / "beside.png", outside)
    try:
        os.symlink(outside, site / "content" / "stories" / "linked-out.png")
    except (OSError, NotImplementedError):
        pytest.skip("this system cannot make symbolic links")
    return site


def test_hostile_front_matter_is_refused_by_check(hostile_fields: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run("check", "--config", str(hostile_fields / "site.yml"))
    out, err = capsys.readouterr()
    assert code == 1
    lines = err.splitlines()
    for name, (field, words) in FIELD_CASES.items():
        path = hostile_fields / "content" / "stories" / name
        line = next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if text.startswith(field + ":"))
        prefix = f"content/stories/{name}:{line}: "
        matching = [x for x in lines if x.startswith(prefix) and field in x and words in x]
        assert matching, f"no error for {name} {field} containing {words!r} at {prefix}; got:\n{err}"


def test_hostile_front_matter_stops_the_build(hostile_fields: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = hostile_fields.parent / "out"
    assert run("build", "--config", str(hostile_fields / "site.yml"), "--out", str(out)) == 1
    capsys.readouterr()
    assert not out.exists()


def test_a_cover_file_name_cannot_break_out_of_its_attribute(tmp_path: Path) -> None:
    """A real image whose file name is markup: allowed, but only ever an address."""
    name = 'c" onerror="alert(1)"><img src=x onerror=alert(2)>.png'
    built = {}
    for variant, cover in (("plain", None), ("named", name)):
        site = tmp_path / variant / "site"
        (site / "content" / "stories").mkdir(parents=True)
        (site / "site.yml").write_text("title: Cover names\nurl: https://covers.example.org/\n", encoding="utf-8")
        if cover is not None:
            try:
                shutil.copy(HOSTILE / "content" / "stories" / "beside.png", site / "content" / "stories" / cover)
            except OSError:
                pytest.skip("this file system refuses such a file name")
        (site / "content" / "stories" / "named.md").write_text(
            "---\ntitle: Named\nauthor: {name: A Guest}\ndate: 2026-01-01\nstatus: approved\nconsent: true\n"
            + (f"cover: {json.dumps(cover)}\n" if cover else "")
            + "---\nA story with a hostile cover name.\n",
            encoding="utf-8",
        )
        out = tmp_path / variant / "out"
        assert run("build", "--config", str(site / "site.yml"), "--out", str(out)) == 0
        built[variant] = out
    out = built["named"]
    for p in out.rglob("*"):
        assert p.resolve().is_relative_to(out.resolve())
    page = "stories/named/index.html"
    for parser in PARSERS:
        twin = parse_document((built["plain"] / page).read_text(encoding="utf-8"), parser)
        theme = frozenset(signature(el, page) for el in elements(twin) if theme_only_kind(el) is not None)
        root = parse_document((out / page).read_text(encoding="utf-8"), parser)
        problems: list[str] = []
        check_document(root, parser, problems, theme, page)
        no_problems(problems)
        covers = [i for i in root.iter("img") if has_class(i, "cover")]
        assert len(covers) == 1 and set(covers[0].attrib) == {"class", "src", "alt"}
        src = covers[0].get("src")
        # The theme links the published cover relatively; it must land on that file.
        assert not src.startswith("/") and '"' not in src and "<" not in src
        assert posixpath.normpath(posixpath.join("/stories/named/", src)) == "/stories/named/cover.png"


# --------------------------------------------------------------------------- the sanitiser itself


HIDDEN_SCHEMES = [
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="java&#8203;script:alert(1)">x</a>',
    '<a href="&#8238;javascript:alert(1)">x</a>',
    '<a href="ｊａｖａｓｃｒｉｐｔ:alert(1)">x</a>',
    '<a href="&amp;#106;avascript:alert(1)">x</a>',
    '<a href="vb script:msgbox(1)">x</a>',
    '<img src="da ta:image/png;base64,iVBORw0KGgo=">',
]


@pytest.mark.parametrize("untrusted", [True, False], ids=["story", "editor"])
@pytest.mark.parametrize("payload", HIDDEN_SCHEMES)
def test_a_scheme_hidden_in_a_url_is_dropped(payload: str, untrusted: bool) -> None:
    from generator.markup import Markup

    fragment = parse_fragment(Markup().render(payload, untrusted=untrusted), "html5lib")
    urls = [v for el in elements(fragment) for k, v in el.attrib.items() if local(k) in ("href", "src")]
    assert urls == []


def test_ordinary_story_links_images_and_code_survive() -> None:
    from generator.markup import Markup

    text = (
        "[a](https://example.com/a?x=1&y=2) [b](http://example.com/) [c](mailto:me@example.com) "
        "[d](other/) [e](#top) [f](my%20file.txt) ![g](https://example.com/g.png) ![h](pics/h.png)\n\n"
        "```python\nprint(1)\n```\n"
    )
    fragment = parse_fragment(Markup().render(text, untrusted=True), "html5lib")
    assert [a.get("href") for a in fragment.iter("a")] == [
        "https://example.com/a?x=1&y=2", "http://example.com/", "mailto:me@example.com", "other/", "#top", "my%20file.txt",
    ]
    assert [i.get("src") for i in fragment.iter("img")] == ["https://example.com/g.png", "pics/h.png"]
    assert [c.get("class") for c in fragment.iter("code")] == ["language-python"]
