"""Drafts: a release dated after the build and a story awaiting moderation are shown only by the preview."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import TESTS, read_tree, run
from generator.build import build

FUTURE = "---\nversion: '3.0'\ndate: 2026-11-27\nsummary: Next Friday.\n---\nScheduled notes.\n"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    folder = tmp_path / "basic"
    shutil.copytree(TESTS / "sites/basic", folder)
    (folder / "content/releases/3.0.md").write_text(FUTURE, encoding="utf-8")
    text = (folder / "content/suggestions/S-10.md").read_text(encoding="utf-8")
    (folder / "content/suggestions/S-10.md").write_text(
        text.replace("\nstatus: adopted\n", "\nstatus: shipped\nshipped_in: '3.0'\n"), encoding="utf-8"
    )
    return folder


def test_a_release_dated_after_the_build_is_not_published(site: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795651200")  # 2026-11-26, the day before
    out = tmp_path / "out"
    assert run("build", "--config", str(site / "site.yml"), "--out", str(out)) == 0
    assert not (out / "releases/3.0").exists()
    everything = b"".join(read_tree(out).values())
    assert b"Scheduled notes" not in everything and b"releases/3.0/" not in everything
    board = (out / "suggestions/S-10/index.html").read_text(encoding="utf-8")
    assert "status-adopted" in board and "Shipped in" not in board  # not shipped until it is due

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795737600")  # 2026-11-27: due
    assert run("build", "--config", str(site / "site.yml"), "--out", str(out)) == 0
    assert (out / "releases/3.0/index.html").is_file()
    assert "Shipped in" in (out / "suggestions/S-10/index.html").read_text(encoding="utf-8")


def test_the_preview_shows_drafts_clearly_marked(site: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795651200")
    out = tmp_path / "preview"
    report = build(site / "site.yml", out, drafts=True)
    assert report.written
    release = (out / "releases/3.0/index.html").read_text(encoding="utf-8")
    pending = (out / "stories/pending/index.html").read_text(encoding="utf-8")
    assert 'class="draft-banner"' in release and 'class="draft-banner"' in pending
    assert 'class="draft-banner"' not in (out / "releases/2.1/index.html").read_text(encoding="utf-8")
    # The preview's cache is its own: the next real build still leaves the drafts out.
    assert run("build", "--config", str(site / "site.yml"), "--out", str(tmp_path / "real")) == 0
    assert not (tmp_path / "real/releases/3.0").exists() and not (tmp_path / "real/stories/pending").exists()
