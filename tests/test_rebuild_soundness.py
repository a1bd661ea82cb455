"""Rebuilds that must notice a change: each case is a sequence of edits a reviewer found
that an earlier cache missed. After every step the output must equal a clean build."""

from __future__ import annotations

import gzip
import os
import shutil
import time
from pathlib import Path

import pytest

from conftest import TESTS, read_tree, run
from generator.build import build


def settle(folder: Path) -> None:
    """Date every file a minute back, so the cache may trust their stamps (as in real use)."""
    past = time.time() - 60
    for path in folder.rglob("*"):
        os.utime(path, (past, past), follow_symlinks=False)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    shutil.copytree(TESTS / "sites/basic", folder)
    settle(folder)
    return folder


def same_as_clean(config: Path, out: Path, tmp_path: Path) -> None:
    clean = tmp_path / f"clean-{time.time_ns()}"
    assert build(config, clean, use_cache=False, jobs=1, search_index=False).written
    drop = lambda files: {k: v for k, v in files.items() if not k.startswith("pagefind/")}  # noqa: E731
    assert drop(read_tree(out)) == drop(read_tree(clean))


def test_the_config_file_given_is_the_one_that_counts(site: Path, tmp_path: Path) -> None:
    alt = site / "alt.yml"
    alt.write_text((site / "site.yml").read_text(encoding="utf-8").replace("title: Pebble", "title: Kiri"), encoding="utf-8")
    (site / "site.yml").rename(site / "pebble.yml")  # no site.yml at all: must not crash
    settle(site)
    out = tmp_path / "out"
    assert run("build", "--config", str(alt), "--out", str(out), "--no-search") == 0
    alt.write_text(alt.read_text(encoding="utf-8").replace("title: Kiri", "title: Kiri Two"), encoding="utf-8")
    settle(site)
    assert run("build", "--config", str(alt), "--out", str(out), "--no-search") == 0
    assert "Kiri Two" in (out / "releases/2.0.0/index.html").read_text(encoding="utf-8")
    same_as_clean(alt, out, tmp_path)


def test_a_draft_release_appears_when_its_date_comes(site: Path, tmp_path: Path, monkeypatch) -> None:
    (site / "content/releases/3.0.md").write_text("---\nversion: '3.0'\ndate: 2026-12-04\n---\nLater.\n", encoding="utf-8")
    settle(site)
    out = tmp_path / "out"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795737600")  # 2026-11-27
    assert run("build", "--config", str(site / "site.yml"), "--out", str(out), "--no-search") == 0
    assert not (out / "releases/3.0").exists()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796428800")  # 2026-12-05: nothing edited, but due
    assert run("build", "--config", str(site / "site.yml"), "--out", str(out), "--no-search") == 0
    assert (out / "releases/3.0/index.html").is_file()
    same_as_clean(site / "site.yml", out, tmp_path)


def fragments(out: Path) -> bytes:
    data = b""
    for path in (out / "pagefind").rglob("*.pf_fragment"):
        raw = path.read_bytes()
        try:
            data += gzip.decompress(raw)
        except OSError:
            data += raw
    return data


def test_a_rejected_story_leaves_the_search_index(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    config = str(site / "site.yml")
    assert run("build", "--config", config, "--out", str(out)) == 0
    assert b"/stories/first-light/" in fragments(out)
    story = site / "content/stories/first-light.md"
    story.write_text(story.read_text(encoding="utf-8").replace("status: approved", "status: rejected"), encoding="utf-8")
    settle(site)
    assert run("build", "--config", config, "--out", str(out), "--no-search") == 0
    assert not (out / "pagefind").exists()  # no index of older pages left behind
    assert run("build", "--config", config, "--out", str(out)) == 0  # not "nothing changed"
    assert (out / "pagefind").is_dir() and b"/stories/first-light/" not in fragments(out)


def test_a_linked_content_folder_outside_the_site_is_refused(site: Path, tmp_path: Path, capsys) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "leak.md").write_text("---\ntitle: Leak\nauthor: x\ndate: 2026-01-01\nstatus: approved\nconsent: true\n---\nSecret.\n", encoding="utf-8")
    shutil.rmtree(site / "content/stories")
    (site / "content/stories").symlink_to(outside, target_is_directory=True)
    assert run("check", "--config", str(site / "site.yml")) == 1
    assert "content/stories:1: is a link to a folder outside the site folder" in capsys.readouterr().err


def test_deleted_output_files_come_back(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build(site / "site.yml", out, search_index=False).written
    (out / "assets/style.css").unlink()
    (out / "stories/first-light/dawn.png").unlink()
    assert build(site / "site.yml", out, search_index=False).written
    assert (out / "assets/style.css").is_file() and (out / "stories/first-light/dawn.png").is_file()


def test_an_image_that_appears_later_is_shown(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    image = site / "content/stories/dawn.png"
    kept = image.read_bytes()
    image.unlink()
    settle(site)
    assert build(site / "site.yml", out, search_index=False).written
    assert 'src="dawn.png"' not in (out / "stories/first-light/index.html").read_text(encoding="utf-8")
    image.write_bytes(kept)
    settle(site)
    assert build(site / "site.yml", out, search_index=False).written
    assert 'src="dawn.png"' in (out / "stories/first-light/index.html").read_text(encoding="utf-8")
    same_as_clean(site / "site.yml", out, tmp_path)


def test_points_never_go_down_when_an_adopted_idea_is_declined(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build(site / "site.yml", out, search_index=False).written
    before = (out / "contributors/dee/index.html").read_text(encoding="utf-8")
    s10 = site / "content/suggestions/S-10.md"
    s10.write_text(s10.read_text(encoding="utf-8").replace("\nstatus: adopted\n", "\nstatus: declined\ndeclined_reason: Later.\n"), encoding="utf-8")
    settle(site)
    assert build(site / "site.yml", out, search_index=False).written
    after = (out / "contributors/dee/index.html").read_text(encoding="utf-8")
    points = lambda html: html.split('class="points">', 1)[1].split(" ", 1)[0]  # noqa: E731
    assert points(after) == points(before)


def test_a_bad_source_date_epoch_is_a_usage_error(site: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    assert run("build", "--config", str(site / "site.yml"), "--out", str(tmp_path / "o")) == 2
    assert "SOURCE_DATE_EPOCH='yesterday' must be a whole number" in capsys.readouterr().err


def test_a_custom_template_may_read_site_config(site: Path, tmp_path: Path) -> None:
    custom = site / "themes/default/templates"
    custom.mkdir(parents=True)
    tag = (TESTS.parent / "themes/default/templates/tag.html").read_text(encoding="utf-8")
    (custom / "tag.html").write_text(tag.replace("{% block content %}", "{% block content %}<p>{{ site.config.title }} {{ site.week_of(site.releases[0]) }}</p>", 1), encoding="utf-8")
    out = tmp_path / "out"
    assert run("build", "--config", str(site / "site.yml"), "--out", str(out), "--no-search") == 0
    assert "Pebble 2026-W46" in (out / "stories/tags/night-mode/index.html").read_text(encoding="utf-8")


def test_an_image_named_like_a_page_is_an_error(site: Path, tmp_path: Path, capsys) -> None:
    shutil.copy(site / "content/stories/dawn.png", site / "content/stories/index.html")
    story = site / "content/stories/first-light.md"
    story.write_text(story.read_text(encoding="utf-8") + "\n![x](index.html)\n", encoding="utf-8")
    assert run("build", "--config", str(site / "site.yml"), "--out", str(tmp_path / "o")) == 1
    assert "would write stories/first-light/index.html, which a page already writes" in capsys.readouterr().err
