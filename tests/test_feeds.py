"""Feeds as subscribers' readers see them: valid, absolute links, ids that never change."""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import pytest
import rnc2rng
from lxml import etree

from conftest import ROOT, TESTS, run

def atom_schema() -> etree.RelaxNG:
    """RFC 4287's RELAX NG grammar (tests/schemas/atom.rnc), converted for lxml."""
    rng = rnc2rng.dumps(rnc2rng.load(str(TESTS / "schemas/atom.rnc")))
    # rnc2rng declares the empty 'local' namespace as a prefix, which XML forbids.
    return etree.RelaxNG(etree.fromstring(rng.replace('xmlns:local=""', "").encode("utf-8")))


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "out"
    assert run("build", "--config", str(ROOT / "site.yml"), "--out", str(out)) == 0
    return out


def entries(out: Path, name: str, ext: str) -> dict[str, feedparser.FeedParserDict]:
    parsed = feedparser.parse((out / "feeds" / f"{name}.{ext}").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return {e.id: e for e in parsed.entries}


def all_feeds(out: Path) -> list[str]:
    names = sorted({p.relative_to(out / "feeds").with_suffix("").as_posix() for p in (out / "feeds").rglob("*.atom")})
    assert len(names) > 20 and "contributors/lin-xiao" in names
    return names


def test_every_feed_parses_cleanly_with_absolute_links(demo_out: Path) -> None:
    for name in all_feeds(demo_out):
        for ext in ("xml", "atom"):
            check_feed(demo_out, name, ext)


def test_every_atom_feed_is_valid_against_rfc_4287(demo_out: Path) -> None:
    schema = atom_schema()
    assert not schema.validate(etree.fromstring(b'<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>'))
    for name in all_feeds(demo_out):
        document = etree.parse(str(demo_out / "feeds" / f"{name}.atom"))
        assert schema.validate(document), (name, schema.error_log.last_error)


def check_feed(out: Path, name: str, ext: str) -> None:
    items = entries(out, name, ext)
    for entry in items.values():
        assert entry.link.startswith("https://changelog.lumen-os.example/")
        assert entry.get("published_parsed") or entry.get("updated_parsed")
        html = entry.content[0].value if "content" in entry else entry.summary
        assert 'href="../' not in html and 'src="../' not in html


def test_every_json_feed_has_the_required_fields(demo_out: Path) -> None:
    for name in all_feeds(demo_out):
        feed = json.loads((demo_out / "feeds" / f"{name}.json").read_text(encoding="utf-8"))
        assert feed["version"] == "https://jsonfeed.org/version/1.1"
        assert feed["title"] and feed["feed_url"].endswith(f"/feeds/{name}.json")
        for item in feed["items"]:
            assert item["id"] and item["url"].startswith("https://") and item["content_html"]


def test_a_contributor_feed_shows_their_shipped_suggestions(demo_out: Path) -> None:
    items = entries(demo_out, "contributors/lin-xiao", "atom")
    profile = (demo_out / "contributors/lin-xiao/index.html").read_text(encoding="utf-8")
    assert 'href="../../feeds/contributors/lin-xiao.atom"' in profile  # subscribe from the profile
    shipped = {i for i in items if i.endswith("#status-shipped")}
    expected = set()
    for path in (ROOT / "content/suggestions").glob("*.md"):
        text = path.read_text(encoding="utf-8")
        proposers = re.search(r"^proposed_by: \[(.*)\]", text, re.M).group(1)
        if re.search(r"^status: shipped", text, re.M) and re.search(r"\b(lin-xiao|linxiao88)\b", proposers, re.I):
            expected.add(f"https://changelog.lumen-os.example/suggestions/{path.stem}/#status-shipped")
    assert expected and shipped == expected
    assert any(i.endswith("#credit-lin-xiao") for i in items)


def test_anonymous_people_have_no_feed(demo_out: Path) -> None:
    assert not (demo_out / "feeds/contributors/quiet-owl.atom").exists()


def test_weekly_feed_names_the_people_who_asked(demo_out: Path) -> None:
    items = entries(demo_out, "weekly", "atom")
    latest = items["https://changelog.lumen-os.example/weekly/2026-W47/"]
    assert "https://changelog.lumen-os.example/contributors/" in latest.content[0].value


def content(entry: feedparser.FeedParserDict) -> str:
    return entry.content[0].value if "content" in entry else entry.get("summary", "")


def test_a_new_release_and_a_status_change_leave_every_earlier_item_unchanged(demo_copy: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796428800")  # 2026-12-05: the new release is due
    before_out, after_out = tmp_path / "before", tmp_path / "after"
    (demo_copy / "site.yml").write_text(
        (demo_copy / "site.yml").read_text(encoding="utf-8").replace("limit: 50", "limit: 500"), encoding="utf-8"
    )
    assert run("build", "--config", str(demo_copy / "site.yml"), "--out", str(before_out)) == 0
    (demo_copy / "content/releases/6.4.6.md").write_text(
        "---\nversion: 6.4.6\ndate: 2026-11-27\nsummary: One more.\n---\nNotes.\n", encoding="utf-8"
    )
    adopted = next(p for p in sorted((demo_copy / "content/suggestions").glob("*.md")) if "\nstatus: adopted" in p.read_text(encoding="utf-8"))
    adopted.write_text(adopted.read_text(encoding="utf-8").replace("\nstatus: adopted", '\nstatus: shipped\nshipped_in: "6.4.6"'), encoding="utf-8")
    assert run("build", "--config", str(demo_copy / "site.yml"), "--out", str(after_out)) == 0

    for name in all_feeds(before_out):
        for ext in ("xml", "atom"):
            before, after = entries(before_out, name, ext), entries(after_out, name, ext)
            assert before.keys() <= after.keys(), name
            for item_id, entry in before.items():
                assert after[item_id].title == entry.title, (name, item_id)
                assert after[item_id].get("published") == entry.get("published"), (name, item_id)
                assert content(after[item_id]) == content(entry), (name, item_id)
    new_ids = set(entries(after_out, "suggestions", "atom")) - set(entries(before_out, "suggestions", "atom"))
    assert new_ids == {f"https://changelog.lumen-os.example/suggestions/{adopted.stem}/#status-shipped"}


@pytest.mark.parametrize("setting", ["", "feeds: {contributor_stories: full}\n"])
def test_contributor_feeds_carry_a_storys_byline_and_link_unless_asked_for_all_of_it(tmp_path: Path, setting: str) -> None:
    import shutil

    from conftest import run

    site = tmp_path / "site"
    shutil.copytree(Path(__file__).parent / "sites/basic", site)
    (site / "site.yml").write_text((site / "site.yml").read_text(encoding="utf-8") + setting, encoding="utf-8")
    assert run("build", "--config", str(site / "site.yml"), "--out", str(tmp_path / "out"), "--no-search") == 0
    body = "I opened Pebble at dawn"
    assert body in (tmp_path / "out/feeds/stories.atom").read_text(encoding="utf-8")
    mine = (tmp_path / "out/feeds/contributors/bo.atom").read_text(encoding="utf-8")
    assert "/stories/first-light/" in mine
    assert (body in mine) == bool(setting)
