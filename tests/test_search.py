"""The search index: built with the site, of releases, suggestions, people and published
stories only; Chinese is segmented; a failing Pagefind is one clean line, not a traceback.

(tests/browser/ searches the built index in Chromium.)
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, TESTS, read_tree, run
from generator import search


def indexed_pages(out: Path) -> dict[str, dict]:
    """Read Pagefind's fragments: one per indexed page, gzip'd JSON after a signature."""
    pages = {}
    for fragment in sorted((out / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes())
        data = data[data.index(b"{") :]
        page = json.loads(data)
        pages[page["url"]] = page
    return pages


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("search") / "out"
    assert run("build", "--config", str(ROOT / "site.yml"), "--out", str(out)) == 0
    return out


def test_the_build_writes_a_search_bundle_and_page_served_from_the_site(demo: Path) -> None:
    for name in ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css", "pagefind-entry.json"):
        assert (demo / "pagefind" / name).is_file(), name
    page = (demo / "search" / "index.html").read_text(encoding="utf-8")
    assert 'src="../pagefind/pagefind-ui.js"' in page and 'href="../pagefind/pagefind-ui.css"' in page
    assert "https://" not in page.split("<body>")[1].split("<footer")[0], "no asset from another host"


def test_only_releases_suggestions_people_and_stories_are_indexed(demo: Path) -> None:
    urls = set(indexed_pages(demo))  # the demo's English pages, and its Chinese ones under /zh-CN/
    kinds = {url.removeprefix("/zh-CN").split("/")[1] for url in urls}
    assert kinds == {"releases", "suggestions", "contributors", "stories"}
    expected = {
        f"/{p.parent.relative_to(demo).as_posix()}/"
        for edition in (demo, demo / "zh-CN")
        for folder in ("releases", "suggestions", "contributors", "stories")
        for p in (edition / folder).glob("*/index.html")
        if "data-pagefind-body" in p.read_text(encoding="utf-8")
    }
    assert urls == expected
    assert "/releases/6.4.5/" in urls and "/suggestions/S-1007/" in urls
    assert "/contributors/lin-xiao/" in urls and "/stories/grandmas-lunar-lock-screen/" in urls
    assert "/zh-CN/releases/6.4.5/" in urls and "/zh-CN/stories/grandmas-lunar-lock-screen/" in urls
    assert not any(u in urls for u in ("/", "/weekly/2026-W47/", "/honor/", "/search/", "/404.html"))


def test_unpublished_stories_are_not_indexed(demo: Path) -> None:
    # signal-on-the-ridge is approved without consent, the-quiet-hour only submitted,
    # my-modded-camera-port rejected: none of them is built, so none can be indexed.
    unpublished = {"signal-on-the-ridge": "Signal on the ridge", "the-quiet-hour": "The quiet hour", "my-modded-camera-port": "modded camera app"}
    pages = indexed_pages(demo)
    text = json.dumps(pages, ensure_ascii=False)
    for slug, title in unpublished.items():
        assert f"/stories/{slug}/" not in pages
        assert title not in text, slug
    assert "奶奶的农历锁屏" in text  # a published story is


def test_a_second_build_replaces_the_index_without_leftovers(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "site.yml").write_text("title: T\nurl: https://t.example/\n", encoding="utf-8")
    (site / "content/suggestions").mkdir(parents=True)
    idea = site / "content/suggestions/S-1.md"
    idea.write_text("---\ntitle: First idea\nproposed_by: [amy]\ndate: 2026-01-02\nstatus: received\n---\nBody.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert run("build", "--config", str(site / "site.yml"), "--out", str(out)) == 0
    first = set(indexed_pages(out))
    idea.write_text(idea.read_text(encoding="utf-8").replace("First idea", "Second idea"), encoding="utf-8")
    assert run("build", "--config", str(site / "site.yml"), "--out", str(out)) == 0
    pages = indexed_pages(out)
    assert set(pages) == first
    assert "Second idea" in json.dumps(pages) and "First idea" not in json.dumps(pages)
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")], "no staging folder left behind"


def test_a_failing_pagefind_is_one_clean_line_and_the_old_output_stays(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / ".cocreate").write_text("marker", encoding="utf-8")  # a previous output of cocreate
    (out / "index.html").write_text("the previous site", encoding="utf-8")
    monkeypatch.setattr(search, "executable", lambda: Path("/bin/false"))
    with pytest.raises(search.SearchFailed) as failed:
        run("build", "--config", str(TESTS / "sites/basic/site.yml"), "--out", str(out))
    assert str(failed.value.code).startswith("cocreate: search index not built: Pagefind failed")
    assert read_tree(out) == {".cocreate": b"marker", "index.html": b"the previous site"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"], "no temp folder left behind"


def test_the_command_line_reports_a_failing_pagefind_without_a_traceback(tmp_path: Path) -> None:
    program = (
        "import sys, pathlib\n"
        "from generator import search\n"
        "search.executable = lambda: pathlib.Path('/nonexistent/pagefind')\n"
        "from generator.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program, "build", "--config", str(TESTS / "sites/basic/site.yml"), "--out", str(tmp_path / "out")],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("cocreate: search index not built: could not run Pagefind")
    assert not (tmp_path / "out").exists()
