"""Untrusted text in feeds: whatever a reader does with a title or a summary, no markup comes back.

tests/sites/hostile-feeds puts markup (`<img onerror>`, `<script>`, `]]>`, text already
escaped once) into every field that reaches a feed: the site's title, a release's
title, summary, credits and popcorn team, a suggestion's title and history notes, a
contributor's name, a story's title. Every feed file is read twice, as a reader would:
with an XML parser (lxml) and with feedparser; then every title and summary is parsed
as HTML (html5lib, as a browser does) when its format says or lets a reader assume it
is HTML. RSS never says, and readers take it as HTML.
"""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import html5lib
import pytest
from lxml import etree

from conftest import TESTS, run

SITE = TESTS / "sites/hostile-feeds"
# Words of each hostile field: a reader must still see them, as text.
WORDS = {"Lunar date", "Night sky", "Mallory", "Lumen 1.0", "Faster", "boot", "Shipped", "Already escaped", "for asking"}
DANGEROUS = {"script", "iframe", "svg", "object", "embed", "style", "form"}


def _elements(html: str) -> list:
    """Parse `html` as a browser would and return every element in it."""
    fragment = html5lib.parseFragment(html, namespaceHTMLElements=False)
    return [e for e in fragment.iter() if e is not fragment]


def _shown(html: str) -> str:
    """Return the text a browser shows for `html`."""
    return "".join(html5lib.parseFragment(html, namespaceHTMLElements=False).itertext())


def _no_markup(text: str, where: str) -> None:
    """A field that holds text: parsed as HTML, it must give no element at all."""
    found = [e.tag for e in _elements(text)]
    assert found == [], f"{where}: {text!r} turns into markup {found}"


def _safe_html(html: str, where: str) -> None:
    """A field that holds HTML (an item's body): no script, no event handler, no hostile tag."""
    for element in _elements(html):
        assert element.tag not in DANGEROUS, f"{where}: <{element.tag}> in {html!r}"
        handlers = [a for a in element.attrib if a.lower().startswith("on")]
        assert not handlers, f"{where}: <{element.tag} {handlers}> in {html!r}"
        if element.tag == "img":
            assert element.get("src", "").startswith("https://"), f"{where}: an image from the hostile text in {html!r}"


@pytest.fixture(scope="module")
def feeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("hostile-feeds") / "out"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1798761600")  # 2027-01-01: everything is due
        assert run("build", "--config", str(SITE / "site.yml"), "--out", str(out), "--no-search") == 0
    files = {p.relative_to(out).as_posix(): p for p in sorted((out / "feeds").rglob("*")) if p.suffix in (".xml", ".atom", ".json")}
    # releases, weekly, stories, suggestions, monthly reports and one per contributor, in three formats
    assert {Path(name).stem for name in files} == {"releases", "weekly", "stories", "suggestions", "reports", "mallory"}
    assert len(files) == 18
    return files


def test_rss_titles_and_descriptions_hold_text_for_an_xml_parser(feeds: dict[str, Path]) -> None:
    seen = []
    for name, path in feeds.items():
        if path.suffix != ".xml":
            continue
        root = etree.fromstring(path.read_bytes())
        for element in root.iter("title"):
            _no_markup(element.text or "", f"{name} <title>")
            seen.append(_shown(element.text or ""))
        # A description is an item's summary (plain text) or, without one, its HTML body.
        for element in root.iter("description"):
            _safe_html(element.text or "", f"{name} <description>")
            seen.append(_shown(element.text or ""))
        for element in root.iter("{http://purl.org/rss/1.0/modules/content/}encoded"):
            _safe_html(element.text or "", f"{name} <content:encoded>")
    text = " ".join(seen)
    assert all(word in text for word in WORDS), text
    assert "<img src=x onerror=alert('suggestion-title')>" in text  # shown as the text it was
    assert "&lt;b&gt;text&lt;/b&gt;" in text  # text that looks escaped stays exactly that text


def test_every_rss_and_atom_feed_reads_as_text_in_feedparser(feeds: dict[str, Path]) -> None:
    seen = []
    for name, path in feeds.items():
        if path.suffix == ".json":
            continue  # feedparser 6.0 reads no JSON Feed; the JSON test below reads those
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, f"{name}: {parsed.bozo_exception}"
        details = [("feed title", parsed.feed.get("title_detail")), ("feed subtitle", parsed.feed.get("subtitle_detail"))]
        for entry in parsed.entries:
            details += [("title", entry.get("title_detail")), ("summary", entry.get("summary_detail"))]
            for content in entry.get("content", []):
                _safe_html(content.value, f"{name} content")
        for what, detail in details:
            if detail is None:
                continue
            if detail.type == "text/html":
                (_no_markup if what.endswith("title") else _safe_html)(detail.value, f"{name} {what}")
                seen.append(_shown(detail.value))
            else:  # declared plain text: a reader shows it as it is
                assert detail.type == "text/plain", f"{name} {what}: {detail.type}"
                seen.append(detail.value)
    text = " ".join(seen)
    assert all(word in text for word in WORDS), text


def test_atom_declares_plain_text_and_keeps_html_bodies_safe(feeds: dict[str, Path]) -> None:
    atom = "{http://www.w3.org/2005/Atom}"
    for name, path in feeds.items():
        if path.suffix != ".atom":
            continue
        root = etree.fromstring(path.read_bytes())
        for element in root.iter(f"{atom}title", f"{atom}summary", f"{atom}subtitle"):
            kind = element.get("type", "text")
            if kind == "html":
                _no_markup(element.text or "", f"{name} {element.tag}")
            else:
                assert kind == "text", f"{name} {element.tag} type={kind}"
        for element in root.iter(f"{atom}content"):
            assert element.get("type") == "html"
            _safe_html(element.text or "", f"{name} content")


def test_json_feed_keeps_plain_text_plain_and_html_safe(feeds: dict[str, Path]) -> None:
    for name, path in feeds.items():
        if path.suffix != ".json":
            continue
        raw = path.read_text(encoding="utf-8")
        assert "<" not in raw and ">" not in raw  # inert even when inlined in a page
        document = json.loads(raw)
        for item in document["items"]:
            # JSON Feed 1.1: title and summary are plain text by definition, shown as written.
            assert item["title"] and "&lt;" not in item["title"] and "&amp;" not in item["title"]
            _safe_html(item["content_html"], f"{name} content_html")
        assert "Changes <script>alert('description')</script> we made" == document["description"]  # as written
