"""The cached, parallel, incremental build writes exactly what a clean serial build writes.

A site is built once with the cache, then edited step by step (a story edited, a
suggestion deleted, a story renamed, a release added, a profile's name changed, an
image replaced); after each step the incremental build's output folder must equal,
byte for byte, a clean build (no cache, one process) of the same content.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, TESTS, read_tree
from generator.build import build

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import Shape, handle, make_site  # noqa: E402

# Pagefind's index files are left out: their names are not yet stable between runs
# (checked on their own in test_build_guarantees), and they are not cocreate's output.
def site_files(out: Path) -> dict[str, bytes]:
    return {k: v for k, v in read_tree(out).items() if not k.startswith("pagefind/")}


def clean(config: Path, out: Path) -> dict[str, bytes]:
    report = build(config, out, use_cache=False, jobs=1)
    assert report.written and not report.diagnostics.has_errors()
    return site_files(out)


def incremental(config: Path, out: Path) -> tuple[dict[str, bytes], int]:
    report = build(config, out, use_cache=True, jobs=2)
    assert report.written and not report.diagnostics.has_errors(), report.diagnostics.sorted()[:3]
    return site_files(out), report.rendered


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def steps(site: Path) -> list[tuple[str, callable]]:
    stories = sorted((site / "content/stories").glob("*.md"))
    suggestions = sorted((site / "content/suggestions").glob("*.md"))
    profiles = sorted((site / "content/contributors").glob("*.md"))
    return [
        ("edit a story", lambda: stories[3].write_text(stories[3].read_text(encoding="utf-8") + "\nAn edit.\n", encoding="utf-8")),
        ("delete a suggestion", lambda: suggestions[5].unlink()),
        ("rename a story", lambda: stories[7].rename(stories[7].with_name("renamed-story.md"))),
        (
            "add a release",
            lambda: (site / "content/releases/99.0.0.md").write_text(
                f"---\nversion: '99.0.0'\ndate: 2026-11-22\ncredits:\n  - {{who: {handle(4)}, for: testing}}\n---\nNew.\n",
                encoding="utf-8",
            ),
        ),
        ("rename a person", lambda: edit(profiles[2], "name: Person", "name: Renamed Person")),
    ]


@pytest.fixture
def generated(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    make_site(site, Shape(releases=60, suggestions=90, people=60, stories=45, words=(20, 80)))
    # Files written this very second are re-read on principle (their stamp could hide a
    # same-size edit in the same clock tick); date them back so the cache may trust them.
    past = time.time() - 60
    for path in site.rglob("*"):
        os.utime(path, (past, past))
    return site


def test_incremental_equals_clean_after_each_edit(generated: Path, tmp_path: Path) -> None:
    config = generated / "site.yml"
    out = tmp_path / "incremental"
    first, rendered_first = incremental(config, out)
    assert first == clean(config, tmp_path / "clean-0")

    again = build(config, out, use_cache=True, jobs=2)
    assert again.unchanged and again.rendered == 0  # nothing changed: nothing done

    for i, (name, change) in enumerate(steps(generated), start=1):
        change()
        files, rendered = incremental(config, out)
        expected = clean(config, tmp_path / f"clean-{i}")
        assert sorted(files) == sorted(expected), name
        assert [p for p in expected if files[p] != expected[p]] == [], name
        if name == "edit a story":
            assert 0 < rendered < rendered_first / 4, "one story edit re-renders only what shows it"
        if name == "add a release":
            # Home, indexes, the new week and the weeks whose pulse moves, the credited
            # person: a template that reads every week or every person breaks this.
            assert 0 < rendered < rendered_first / 10, rendered


def test_golden_site_incremental_equals_clean(tmp_path: Path) -> None:
    site = tmp_path / "basic"
    shutil.copytree(TESTS / "sites/basic", site)
    config = site / "site.yml"
    out = tmp_path / "out"
    incremental(config, out)
    edit(site / "content/stories/first-light.md", "I opened Pebble at dawn.", "I opened Pebble at dusk.")
    (site / "content/stories/dawn.png").write_bytes((site / "content/stories/tale-cover.png").read_bytes())
    files, _ = incremental(config, out)
    assert files == clean(config, tmp_path / "clean")


def test_a_second_process_finds_nothing_changed(tmp_path: Path) -> None:
    """CI and editors run each build as a new process, each with its own hash seed: the
    build key must not depend on it, or every build redoes every page."""
    import subprocess

    site, out = tmp_path / "site", tmp_path / "out"
    shutil.copytree(TESTS / "sites/basic", site)
    said = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "COCREATE_CACHE_DIR": str(tmp_path / "cache")}
        done = subprocess.run(
            [sys.executable, "-m", "generator", "build", "--config", str(site / "site.yml"), "--out", str(out), "--no-search"],
            capture_output=True, text=True, env=env, cwd=ROOT, timeout=300,
        )
        assert done.returncode == 0, done.stderr
        said.append(done.stdout)
    assert "nothing changed since the last build" in said[1], said[1]
