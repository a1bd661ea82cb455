"""Feeds as subscribers' readers see them: valid, absolute links, ids that never change."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest

from conftest import ROOT, run


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "out"
    assert run("build", "--config", str(ROOT / "site.yml"), "--out", str(out)) == 0
    return out


def entries(out: Path, name: str, ext: str) -> dict[str, feedparser.FeedParserDict]:
    parsed = feedparser.parse((out / "feeds" / f"{name}.{ext}").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return {e.id: e for e in parsed.entries}


@pytest.mark.parametrize("name", ["releases", "weekly", "stories"])
@pytest.mark.parametrize("ext", ["xml", "atom"])
def test_demo_feeds_parse_cleanly_with_absolute_links(demo_out: Path, name: str, ext: str) -> None:
    items = entries(demo_out, name, ext)
    assert items
    for entry in items.values():
        assert entry.link.startswith("https://changelog.lumen-os.example/")
        assert entry.get("published_parsed") or entry.get("updated_parsed")
        html = entry.content[0].value if "content" in entry else entry.summary
        assert 'href="../' not in html and 'src="../' not in html


@pytest.mark.parametrize("name", ["releases", "weekly", "stories"])
def test_json_feed_has_the_required_fields(demo_out: Path, name: str) -> None:
    feed = json.loads((demo_out / "feeds" / f"{name}.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] and feed["items"]
    for item in feed["items"]:
        assert item["id"] and item["url"].startswith("https://") and item["content_html"]


def test_weekly_feed_names_the_people_who_asked(demo_out: Path) -> None:
    items = entries(demo_out, "weekly", "atom")
    latest = items["https://changelog.lumen-os.example/weekly/2026-W47/"]
    assert "https://changelog.lumen-os.example/contributors/" in latest.content[0].value


def test_adding_a_release_keeps_every_earlier_item_unchanged(demo_copy: Path, tmp_path: Path) -> None:
    before_out, after_out = tmp_path / "before", tmp_path / "after"
    assert run("build", "--config", str(demo_copy / "site.yml"), "--out", str(before_out)) == 0
    (demo_copy / "content/releases/6.4.6.md").write_text(
        "---\nversion: 6.4.6\ndate: 2026-11-27\nsummary: One more.\n---\nNotes.\n", encoding="utf-8"
    )
    assert run("build", "--config", str(demo_copy / "site.yml"), "--out", str(after_out)) == 0
    for name in ("releases", "weekly"):
        for ext in ("xml", "atom"):
            before, after = entries(before_out, name, ext), entries(after_out, name, ext)
            assert len(after) == len(before) + 1
            for item_id, entry in before.items():
                assert after[item_id].title == entry.title
                assert after[item_id].get("published") == entry.get("published")
