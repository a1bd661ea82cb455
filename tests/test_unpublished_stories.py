"""Unpublished stories leave no trace: not in pages, tag pages, counts, feeds, sitemap or points.

tests/sites/moderation/ mixes two published stories with submitted, rejected and
approved-but-unconsented ones. Every unpublished story is written with distinctive
strings that appear nowhere else in the site: its slug, title, a body sentence, tags
used only by unpublished stories, and an author handle (or guest name) that writes
nothing else. Covers and body images of unpublished stories are named the same way.
The site is built once and every output file is searched for each of those strings,
raw, HTML-unescaped, percent-decoded, JSON-decoded and, for compressed files,
decompressed.
"""

from __future__ import annotations

import gzip
import html
import json
import re
import shutil
import zlib
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import html5lib
import pytest
import yaml

from conftest import TESTS, run
from generator.build import load
from generator.errors import Diagnostics

MODERATION = TESTS / "sites" / "moderation"
STORY_FILES = sorted((MODERATION / "content" / "stories").glob("*.md"))


def front_matter(path: Path) -> dict:
    _, block, _ = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(block)


STORIES = {p.stem: front_matter(p) for p in STORY_FILES}
PUBLISHED = {s for s, m in STORIES.items() if m["status"] == "approved" and m.get("consent") is True}
UNPUBLISHED = sorted(set(STORIES) - PUBLISHED)
WITHOUT_CONSENT = sorted(s for s in UNPUBLISHED if STORIES[s]["status"] == "approved")
SUBMITTED = sorted(s for s in UNPUBLISHED if STORIES[s]["status"] == "submitted")
# Handles that write only unpublished stories (mixed-mona is also credited for a suggestion).
HIDDEN_HANDLES = sorted(
    m["author"] for s, m in STORIES.items() if s in UNPUBLISHED and isinstance(m["author"], str) and m["author"].startswith("zq")
)
MIXED_HANDLE = "mixed-mona"


def secrets_of(slug: str) -> list[str]:
    """The strings only this unpublished story uses: slug, title, every zq…x word (tags, body, author, images)."""
    text = (MODERATION / "content" / "stories" / f"{slug}.md").read_text(encoding="utf-8")
    meta = STORIES[slug]
    words = set(re.findall(r"zq[a-z]+x", text, flags=re.IGNORECASE))
    return sorted({slug, meta["title"], *words})


SECRETS = {s: secrets_of(s) for s in UNPUBLISHED}


def readable_forms(data: bytes) -> list[str]:
    """What a file could reveal, in each way it might be encoded."""
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error):
            pass
    text = data.decode("utf-8", errors="replace")
    forms = [text, html.unescape(text), unquote(text), html.unescape(unquote(text))]
    if text.lstrip().startswith(("{", "[")):
        try:
            forms.append(json.dumps(json.loads(text), ensure_ascii=False))
        except ValueError:
            pass
    return [f.casefold() for f in forms]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("moderation") / "site"
    shutil.copytree(MODERATION, site)
    folder = site.parent / "out"
    assert run("build", "--config", str(site / "site.yml"), "--out", str(folder)) == 0
    return folder


def test_the_site_has_every_kind_of_unpublished_story() -> None:
    kinds = {(STORIES[s]["status"], STORIES[s].get("consent")) for s in UNPUBLISHED}
    assert {("submitted", False), ("submitted", True), ("rejected", True), ("rejected", False), ("approved", False), ("approved", None)} <= kinds
    assert len(PUBLISHED) == 2 and len(HIDDEN_HANDLES) >= 4
    # The secrets really are secret: no published file and no other content uses them.
    others = [p for p in (MODERATION / "content").rglob("*.md") if p.stem not in UNPUBLISHED]
    for slug, secrets in SECRETS.items():
        for other in others:
            text = other.read_text(encoding="utf-8").casefold()
            assert not [s for s in secrets if s.casefold() in text], (slug, other)


def test_nothing_of_an_unpublished_story_reaches_any_output_file(out: Path) -> None:
    leaks = []
    files = sorted(p for p in out.rglob("*") if p.is_file())
    assert any(p.name == "sitemap.xml" for p in files)
    assert len([p for p in files if p.suffix in (".xml", ".atom", ".json") and p.name != "sitemap.xml"]) >= 9
    for path in files:
        rel = path.relative_to(out).as_posix()
        forms = readable_forms(path.read_bytes())
        for slug, secrets in SECRETS.items():
            for secret in secrets:
                if secret.casefold() in rel.casefold():
                    leaks.append(f"{rel}: its path contains {secret!r} ({slug})")
                elif any(secret.casefold() in f for f in forms):
                    leaks.append(f"{rel}: contains {secret!r} ({slug})")
    if leaks:
        pytest.fail(f"{len(leaks)} leaks:\n" + "\n".join(leaks), pytrace=False)


def test_the_search_finds_published_stories(out: Path) -> None:
    """The same search does find what is published, so an empty result means something."""
    everything = "".join(f for p in out.rglob("*") if p.is_file() for f in readable_forms(p.read_bytes())[:1])
    for slug in PUBLISHED:
        assert slug in everything and STORIES[slug]["title"].casefold() in everything


def test_unpublished_authors_have_no_profile_feed_or_points(out: Path) -> None:
    for handle in HIDDEN_HANDLES:
        assert not (out / "contributors" / handle).exists(), handle
        assert not list(out.rglob(f"{handle}.*")), handle
    diagnostics = Diagnostics()
    loaded = load(MODERATION / "site.yml", diagnostics)
    assert loaded is not None
    standings = loaded.recognition.standings
    for handle in HIDDEN_HANDLES:
        assert handle not in loaded.site.people and handle not in standings
    # Someone credited for a suggestion keeps that credit, and only that one.
    credits = loaded.recognition.credits[MIXED_HANDLE]
    assert [c.kind for c in credits] == ["proposed"]
    assert standings[MIXED_HANDLE].points == loaded.config.points["proposed"]


def linked(out: Path, page: str, prefix: str) -> set[str]:
    """The names of the site paths below `prefix` that the main part of a page links to."""
    root = html5lib.parse((out / page).read_text(encoding="utf-8"), treebuilder="lxml", namespaceHTMLElements=False)
    main = root.find(".//main")
    found = set()
    for a in main.iter("a"):
        path = urlsplit(urljoin("https://site.invalid/" + page, a.get("href") or "")).path
        if path.startswith(prefix) and path != prefix:
            found.add(unquote(path[len(prefix):]).strip("/").split("/")[0])
    return found


def test_tag_pages_and_lists_know_only_published_stories(out: Path) -> None:
    assert linked(out, "stories/index.html", "/stories/tags/") == {"harbour", "shared-moderation-tag"}
    assert sorted(p.parent.name for p in (out / "stories" / "tags").glob("*/index.html")) == ["harbour", "shared-moderation-tag"]
    assert linked(out, "stories/index.html", "/stories/") - {"tags", "page"} == PUBLISHED
    assert linked(out, "stories/tags/harbour/index.html", "/stories/") - {"tags", "page"} == {"published-one", "published-guest"}
    assert linked(out, "stories/tags/shared-moderation-tag/index.html", "/stories/") - {"tags", "page"} == {"published-one"}


def test_check_counts_the_queue_and_names_each_approved_story_without_consent(capsys: pytest.CaptureFixture[str]) -> None:
    code = run("check", "--config", str(MODERATION / "site.yml"))
    stdout, stderr = capsys.readouterr()
    assert code == 0
    assert f"{len(SUBMITTED)} stories await moderation" in stdout.splitlines()
    warned = {}
    for line in stderr.splitlines():
        found = re.match(r"^content/stories/([a-z0-9-]+)\.md:(\d+): warning: (.*)$", line)
        if found and "consent" in found.group(3):
            warned[found.group(1)] = int(found.group(2))
    expected = {}
    for slug in WITHOUT_CONSENT:
        lines = (MODERATION / "content" / "stories" / f"{slug}.md").read_text(encoding="utf-8").splitlines()
        expected[slug] = next(i for i, text in enumerate(lines, start=1) if text.startswith("status:"))
    assert warned == expected
    assert run("check", "--config", str(MODERATION / "site.yml"), "--strict") == 1
    capsys.readouterr()
