"""Story pages as readers see them: pagination, related stories, reading time, images."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import TESTS, run

STORY = "---\ntitle: {title}\nauthor: {author}\ndate: 2026-{month:02d}-{day:02d}\nstatus: approved\nconsent: true\ntags: [{tags}]\n---\n{body}\n"


def make_site(root: Path, stories: list[dict]) -> Path:
    (root / "content/stories").mkdir(parents=True)
    (root / "site.yml").write_text("title: S\nurl: https://s.example.org/\n", encoding="utf-8")
    for i, story in enumerate(stories):
        fields = {"author": "amy", "tags": "", "body": "Words.", "month": 1 + i // 28, "day": 1 + i % 28, **story}
        (root / "content/stories" / f"{story['slug']}.md").write_text(STORY.format(**fields), encoding="utf-8")
    return root / "site.yml"


def story_links(html: str) -> list[str]:
    return re.findall(r'<h3><a href="[./]*(?:stories/)?([a-z0-9-]+)/">', html)


def test_the_index_is_paginated_and_lists_every_story_once(tmp_path: Path) -> None:
    config = make_site(tmp_path / "site", [{"slug": f"s{i:02d}", "title": f"Story {i}"} for i in range(30)])
    out = tmp_path / "out"
    assert run("build", "--config", str(config), "--out", str(out)) == 0
    pages = [out / "stories/index.html", out / "stories/page/2/index.html", out / "stories/page/3/index.html"]
    listed = [story_links(p.read_text(encoding="utf-8")) for p in pages]
    assert [len(x) for x in listed] == [12, 12, 6]
    assert listed[0][0] == "s29" and listed[2][-1] == "s00"  # newest first
    assert sorted(sum(listed, [])) == [f"s{i:02d}" for i in range(30)]
    assert not (out / "stories/page/4").exists() and not (out / "stories/page/1").exists()
    second = pages[1].read_text(encoding="utf-8")
    assert 'rel="prev" href="../../../stories/"' in second and 'rel="next" href="../../../stories/page/3/"' in second


def test_related_stories_share_most_tags_then_newest(tmp_path: Path) -> None:
    config = make_site(
        tmp_path / "site",
        [
            {"slug": "main", "title": "Main", "tags": "night, camera, 夜景"},
            {"slug": "two-shared-old", "title": "Two old", "tags": "night, camera"},
            {"slug": "one-shared", "title": "One", "tags": "Night"},
            {"slug": "two-shared-new", "title": "Two new", "tags": "camera, 夜景"},
            {"slug": "unrelated", "title": "None", "tags": "battery"},
            {"slug": "one-shared-newest", "title": "One newest", "tags": "夜景"},
        ],
    )
    out = tmp_path / "out"
    assert run("build", "--config", str(config), "--out", str(out)) == 0
    html = (out / "stories/main/index.html").read_text(encoding="utf-8")
    related = html.split('id="related-h"')[1].split("</section>")[0]
    assert story_links(related) == ["two-shared-new", "two-shared-old", "one-shared-newest"]


def test_reading_time_counts_chinese_characters(tmp_path: Path) -> None:
    config = make_site(
        tmp_path / "site",
        [{"slug": "zh", "title": "长故事", "body": "夜" * 900}, {"slug": "en", "title": "Long", "body": "word " * 500}],
    )
    out = tmp_path / "out"
    assert run("build", "--config", str(config), "--out", str(out)) == 0
    assert "3 min read" in (out / "stories/zh/index.html").read_text(encoding="utf-8")
    assert "3 min read" in (out / "stories/en/index.html").read_text(encoding="utf-8")


def test_body_images_from_the_story_folder_are_published_others_dropped(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("build", "--config", str(TESTS / "sites/basic/site.yml"), "--out", str(out)) == 0
    html = (out / "stories/first-light/index.html").read_text(encoding="utf-8")
    assert re.findall(r"<img[^>]*>", html.split('class="prose"')[1].split("</div>")[0]) == [
        '<img src="dawn.png" alt="The dawn">',
        '<img src="https://img.example.org/a.jpg" alt="Hosted">',
    ]
    assert (out / "stories/first-light/dawn.png").read_bytes() == (TESTS / "sites/basic/content/stories/dawn.png").read_bytes()
    assert not (out / "stories/first-light/not-an-image.png").exists()
    assert (out / "stories/guest-tale/cover.png").is_file()
