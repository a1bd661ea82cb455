"""The plan, beta to stable, interest circles and a board that scales, as readers and subscribers see them.

Expected values are worked out from the content files themselves (front matter read
with PyYAML), not from cocreate's own model, so a mistake in grouping shows here.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, run

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import Shape, make_site  # noqa: E402

STATUSES = ("received", "evaluating", "adopted", "shipped", "declined")


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


def text_of(page: Path) -> str:
    """The words a reader sees on a page, markup removed."""
    source = re.sub(r"<(script|style)\b.*?</\1>", " ", page.read_text(encoding="utf-8"), flags=re.S)
    return text_of_fragment(source)


def text_of_fragment(fragment: str) -> str:
    """Markup removed, spaces collapsed, none left inside brackets or before punctuation a tag split off."""
    words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())
    return re.sub(r" ([),:])", r"\1", words.replace("( ", "("))


def linked_suggestions(page: Path) -> list[str]:
    """The suggestion ids a list page links to, in order (cards link to ../S-1/ and the like)."""
    found = re.findall(r'<h3><a href="[./]*suggestions/([^/"]+)/">', page.read_text(encoding="utf-8"))
    return found


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "out"
    assert run("build", "--config", str(ROOT / "site.yml"), "--out", str(out), "--no-search") == 0
    return out


@pytest.fixture(scope="module")
def content() -> dict[str, dict]:
    """Every suggestion's and release's front matter, by id or version."""
    out = {p.stem: front_matter(p) for p in (ROOT / "content/suggestions").glob("*.md")}
    out.update({str(front_matter(p)["version"]): front_matter(p) for p in (ROOT / "content/releases").glob("*.md")})
    return out


# --- beta to stable -------------------------------------------------------------------


def test_a_suggestion_shipped_in_beta_then_stable_shows_both_and_both_weeks_list_it(demo: Path) -> None:
    page = text_of(demo / "suggestions/S-1007/index.html")
    assert "Try it in Beta: Lumen OS 6.3 Beta 1 (September 11, 2026)" in page
    assert "Now for everyone: Lumen OS 6.3 (September 25, 2026)" in page
    beta_week, stable_week = text_of(demo / "weekly/2026-W37/index.html"), text_of(demo / "weekly/2026-W39/index.html")
    assert "锁屏显示农历日期" in beta_week and "Try it in Beta" in beta_week
    assert "锁屏显示农历日期" in stable_week and "Now for everyone" in stable_week and "Shipped in 6.3.2" in stable_week
    for version in ("6.3.0", "6.3.2"):
        assert "锁屏显示农历日期" in text_of(demo / f"releases/{version}/index.html")


def test_each_channel_has_a_page_and_feeds_that_hold_only_its_releases(demo: Path, content: dict) -> None:
    channel_of = {v: fm.get("channel", "stable") for v, fm in content.items() if "version" in fm}
    releases_feed = {item["id"] for item in json.loads((demo / "feeds/releases.json").read_text(encoding="utf-8"))["items"]}
    for channel in ("stable", "beta"):
        mine = {v for v, c in channel_of.items() if c == channel}
        feed = json.loads((demo / f"feeds/channels/{channel}.json").read_text(encoding="utf-8"))
        shown = {re.search(r"/releases/([^/]+)/$", item["id"]).group(1) for item in feed["items"]}
        assert shown == mine
        assert {item["id"] for item in feed["items"]} <= releases_feed  # the same ids as the releases feed
        atom = (demo / f"feeds/channels/{channel}.atom").read_text(encoding="utf-8")
        assert len(re.findall(r"<entry>", atom)) == len(mine)
        page = (demo / f"channels/{channel}/index.html").read_text(encoding="utf-8")
        assert set(re.findall(r'href="\.\./\.\./releases/([^/]+)/"', page)) == mine
    assert not any("Beta" in item["title"] for item in json.loads((demo / "feeds/channels/stable.json").read_text())["items"])


def test_beta_testers_have_their_own_section_on_the_honor_roll(demo: Path, content: dict) -> None:
    testers = {c["who"] for fm in content.values() if fm.get("channel") == "beta" for c in fm.get("credits", [])}
    assert testers
    source = (demo / "honor/index.html").read_text(encoding="utf-8")
    section = source.split('id="testers-h"')[1].split("</section>")[0]
    assert set(re.findall(r'href="\.\./contributors/([^/]+)/"', section)) == testers


# --- the plan ---------------------------------------------------------------------------


def test_the_suggestion_page_shows_the_plan_and_who_is_in_charge(demo: Path) -> None:
    assert "Planned for 6.5 · In charge: Camera team" in text_of(demo / "suggestions/S-1020/index.html")
    assert "Planned for 2027-01 · In charge: 周敏" in text_of(demo / "suggestions/S-1032/index.html")
    assert "Planned for 6.3, shipped in 6.3.0: on plan" in text_of(demo / "suggestions/S-1007/index.html")


def test_the_adopted_list_groups_suggestions_by_plan(demo: Path, content: dict) -> None:
    adopted = {sid: fm for sid, fm in content.items() if fm.get("status") == "adopted"}
    source = (demo / "suggestions/adopted/index.html").read_text(encoding="utf-8")
    shown = {}
    for heading, rest in re.findall(r"<h2 id=\"plan-\d+\">(.*?)</h2>(.*?)(?=<h2|$)", source, flags=re.S):
        shown[text_of_fragment(heading)] = set(re.findall(r'suggestions/([^/"]+)/">', rest))
    expected: dict[str, set[str]] = {}
    for sid, fm in adopted.items():
        plan = fm.get("planned_for")
        expected.setdefault(f"Planned for {plan}" if plan else "Not planned yet", set()).add(sid)
    assert {re.sub(r" \(\d+\)$", "", k): v for k, v in shown.items()} == expected
    assert list(shown)[-1].startswith("Not planned yet")  # versions, then months, then the rest




@pytest.mark.parametrize(
    ("planned", "shipped", "date", "verdict"),
    [
        ("6.5", "6.5", "2026-06-05", "on-plan"),
        ("6.5", "6.5.2", "2026-06-05", "on-plan"),
        ("6.5", "6.4.9", "2026-06-05", "early"),
        ("6.5", "6.6.0", "2026-06-05", "late"),
        ("6.5", "6.10", "2026-06-05", "late"),  # 6.10 comes after 6.9, not before 6.5
        ("2026-06", "7.0", "2026-06-30", "on-plan"),
        ("2026-06", "7.0", "2026-07-01", "late"),
        ("2026-06", "7.0", "2026-05-31", "early"),
    ],
)
def test_plan_against_fact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, planned: str, shipped: str, date: str, verdict: str) -> None:
    words = {"on-plan": "on plan", "early": "early", "late": "late"}[verdict]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796428800")  # 2026-12-05: every release is out
    site = tmp_path / "site"
    (site / "content/releases").mkdir(parents=True)
    (site / "content/suggestions").mkdir(parents=True)
    (site / "site.yml").write_text("title: T\nurl: https://example.org/\n", encoding="utf-8")
    (site / f"content/releases/{shipped}.md").write_text(f'---\nversion: "{shipped}"\ndate: {date}\n---\nNotes.\n', encoding="utf-8")
    (site / "content/suggestions/S-1.md").write_text(
        f'---\ntitle: Idea\nproposed_by: [ana]\ndate: 2026-10-01\nstatus: shipped\nshipped_in: "{shipped}"\n'
        f'planned_for: "{planned}"\n---\nBody.\n',
        encoding="utf-8",
    )
    assert run("build", "--config", str(site / "site.yml"), "--out", str(tmp_path / "out"), "--no-search", "--no-cache") == 0
    page = text_of(tmp_path / "out/suggestions/S-1/index.html")
    assert f"Planned for {planned}, shipped in {shipped}: {words}" in page


# --- interest circles -------------------------------------------------------------------


def test_every_declared_area_has_a_page_with_its_suggestions_stories_and_people(demo: Path, content: dict) -> None:
    declared = yaml.safe_load((ROOT / "site.yml").read_text(encoding="utf-8"))["areas"]
    assert len(declared) >= 6
    index = (demo / "areas/index.html").read_text(encoding="utf-8")
    assert [m for m in re.findall(r'<h2><a href="\.\./areas/([^/"]+)/">', index)] == [a["id"] for a in declared]
    for area in declared:
        names = {area["id"], area["name"]["en"].casefold()}
        mine = {sid for sid, fm in content.items() if str(fm.get("area", "")).casefold() in names}
        page = demo / f"areas/{area['id']}/index.html"
        assert set(linked_suggestions(page)) == mine, area["id"]
        feed = json.loads((demo / f"feeds/areas/{area['id']}.json").read_text(encoding="utf-8"))
        assert {re.search(r"/suggestions/([^/]+)/#", i["id"]).group(1) for i in feed["items"] if "#status" in i["id"]} == mine


def test_stories_join_areas_by_their_tags_so_camera_and_camera_are_one(demo: Path) -> None:
    page = (demo / "areas/camera/index.html").read_text(encoding="utf-8")
    stories = set(re.findall(r'href="\.\./\.\./stories/([^/"]+)/"', page))
    assert "the-night-the-camera-saw-stars" in stories  # tags [night-mode, camera, astronomy]
    assert "letters-from-the-lighthouse" in stories  # tags [camera, document-scanner, family]
    assert "my-modded-camera-port" not in stories  # rejected: never published
    feed = json.loads((demo / "feeds/areas/camera.json").read_text(encoding="utf-8"))
    assert any(i["id"].endswith("/stories/the-night-the-camera-saw-stars/") for i in feed["items"])
    assert "Top contributors" in text_of(demo / "areas/camera/index.html")


def test_a_site_without_declared_areas_keeps_area_as_free_text(tmp_path: Path) -> None:
    site = tmp_path / "basic"
    shutil.copytree(ROOT / "tests/sites/basic", site)
    assert run("build", "--config", str(site / "site.yml"), "--out", str(tmp_path / "out"), "--no-search") == 0
    assert not (tmp_path / "out/areas").exists() and not (tmp_path / "out/channels").exists()
    written = [p for p in (site / "content/suggestions").glob("*.md") if "area" in front_matter(p)]
    assert written
    for path in written:
        assert front_matter(path)["area"] in text_of(tmp_path / f"out/suggestions/{path.stem}/index.html")


# --- a board that scales ----------------------------------------------------------------


def test_the_board_summary_keeps_its_address_and_anchors_and_links_every_list(demo: Path, content: dict) -> None:
    source = (demo / "suggestions/index.html").read_text(encoding="utf-8")
    for status in STATUSES:
        assert f'id="{status}"' in source  # old links to /suggestions/#shipped still land
        assert f'href="../suggestions/{status}/"' in source
        ids = {sid for sid, fm in content.items() if fm.get("status") == status}
        assert set(linked_suggestions(demo / f"suggestions/{status}/index.html")) == ids


@pytest.fixture(scope="module")
def big_board(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A generated site with 260 suggestions in 12 areas: enough for lists of several pages."""
    folder = tmp_path_factory.mktemp("board")
    make_site(folder / "site", Shape(releases=30, suggestions=260, people=60, stories=10, areas=12))
    assert run("build", "--config", str(folder / "site/site.yml"), "--out", str(folder / "out"), "--no-search", "--no-cache") == 0
    return folder / "site", folder / "out"


def test_every_list_is_paginated_and_the_pages_together_hold_each_suggestion_once(big_board: tuple[Path, Path]) -> None:
    site, out = big_board
    status_of = {p.stem: front_matter(p)["status"] for p in (site / "content/suggestions").glob("*.md")}
    area_of = {p.stem: front_matter(p)["area"] for p in (site / "content/suggestions").glob("*.md")}
    for status in STATUSES:
        for area in (None, "area-3"):
            first = out / "suggestions" / status / (f"{area}/" if area else "") / "index.html"
            page, seen, pages = first, [], 0
            while True:
                pages += 1
                on_page = linked_suggestions(page)
                assert len(on_page) <= 50 and page.stat().st_size < 100 * 1024
                seen += on_page
                older = re.search(r'<a rel="next" href="([^"]+)"', page.read_text(encoding="utf-8"))
                if not older:
                    break
                page = (page.parent / older.group(1) / "index.html").resolve()
            expected = {s for s, st in status_of.items() if st == status and (area is None or area_of[s] == area)}
            assert sorted(seen) == sorted(expected), (status, area)
            assert pages == max(1, -(-len(expected) // 50))


def test_area_filters_are_plain_links_between_lists(big_board: tuple[Path, Path]) -> None:
    _, out = big_board
    source = (out / "suggestions/shipped/index.html").read_text(encoding="utf-8")
    assert 'href="../../suggestions/shipped/area-3/"' in source and 'href="../../suggestions/received/"' in source
    filtered = (out / "suggestions/shipped/area-3/index.html").read_text(encoding="utf-8")
    assert 'href="../../../suggestions/shipped/"' in filtered and 'href="../../../suggestions/received/area-3/"' in filtered


def test_a_stable_release_still_to_come_leaves_the_beta_alone_on_the_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796428800")  # 2026-12-05: the beta is out, the stable release is not
    site = tmp_path / "site"
    (site / "content/releases").mkdir(parents=True)
    (site / "content/suggestions").mkdir(parents=True)
    (site / "site.yml").write_text(
        "title: T\nurl: https://example.org/\nchannels: [{id: stable, name: Stable}, {id: beta, name: Beta}]\n", encoding="utf-8"
    )
    (site / "content/releases/2.0-beta.md").write_text('---\nversion: "2.0-beta"\ndate: 2026-12-01\nchannel: beta\n---\nN.\n', encoding="utf-8")
    (site / "content/releases/2.0.md").write_text('---\nversion: "2.0"\ndate: 2026-12-11\n---\nN.\n', encoding="utf-8")
    (site / "content/suggestions/S-1.md").write_text(
        '---\ntitle: Idea\nproposed_by: [ana]\ndate: 2026-10-01\nstatus: shipped\nshipped_in: ["2.0", "2.0-beta"]\n---\nB.\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert run("build", "--config", str(site / "site.yml"), "--out", str(out), "--no-search", "--no-cache") == 0
    page = text_of(out / "suggestions/S-1/index.html")
    assert "Shipped in T 2.0-beta" in page and "T 2.0 " not in page
    assert not (out / "releases/2.0").exists()
    assert json.loads((out / "feeds/channels/stable.json").read_text(encoding="utf-8"))["items"] == []
    assert len(json.loads((out / "feeds/channels/beta.json").read_text(encoding="utf-8"))["items"]) == 1
