"""One site, several UI languages: `languages: [en, zh-CN]` builds English at / and Chinese
under /zh-CN/, linked both ways (hreflang, a language switch), each with its own feeds,
sitemap entries and search language; and `--config` never overwrites another config's output.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest

from conftest import TESTS, read_tree, run
from generator import urls
from generator.build import build

BASE = "https://pebble.example.org/changelog/"  # tests/sites/basic lives under a path


def basic_site(folder: Path, extra: str = "") -> Path:
    """A copy of tests/sites/basic with `extra` lines added to its site.yml; returns site.yml."""
    shutil.copytree(TESTS / "sites/basic", folder)
    config = folder / "site.yml"
    config.write_text(config.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return config


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample site in one language and in two (search indexed), built once for the module."""
    root = tmp_path_factory.mktemp("languages")
    one = basic_site(root / "one")
    two = basic_site(root / "two", "languages: [en, zh-CN]\n")
    assert run("build", "--config", str(one), "--out", str(root / "one-out"), "--no-cache") == 0
    assert run("build", "--config", str(two), "--out", str(root / "two-out"), "--no-cache") == 0
    return {"one": root / "one-out", "two": root / "two-out"}


def pages(out: Path) -> list[Path]:
    """Every HTML page of an output but its redirects and the 404 page."""
    return [
        p for p in sorted(out.rglob("*.html"))
        if "pagefind" not in p.parts and p.name != "404.html" and 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")
    ]


def page_url(out: Path, page: Path) -> str:
    """The absolute address a page file is published at."""
    return BASE + urls.encode(page.relative_to(out).as_posix().removesuffix("index.html"))


def file_of(out: Path, address: str) -> Path:
    """The output file an absolute address of the site is served from."""
    path = unquote(address.removeprefix(BASE).split("#")[0])
    return out / (path + "index.html" if path == "" or path.endswith("/") else path)


def test_the_first_language_is_built_at_the_root_and_the_other_under_its_folder(built: dict[str, Path]) -> None:
    out = built["two"]
    english = [p.relative_to(out).as_posix() for p in pages(out) if "zh-CN" not in p.parts]
    chinese = [p.relative_to(out / "zh-CN").as_posix() for p in pages(out / "zh-CN")]
    assert english == chinese and len(english) > 20, "every page in both languages"
    # The root is exactly the one-language site, apart from the links to the other language.
    one = {p: b for p, b in read_tree(built["one"]).items() if not p.startswith("pagefind/")}
    two = {p: b for p, b in read_tree(out).items() if not p.startswith(("pagefind/", "zh-CN/"))}
    assert one.keys() == two.keys()
    strip = re.compile(rb'<link rel="alternate" hreflang="[^"]*" href="[^"]*">\n|[ ]*<nav class="languages".*?</nav>\n', re.S)
    assert {p: strip.sub(b"", b) for p, b in two.items() if p != "sitemap.xml"} == {p: b for p, b in one.items() if p != "sitemap.xml"}
    week = (out / "zh-CN/weekly/2026-W46/index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in week and "你的建议，我们做到了" in week and "2026年11月13日" in week
    assert "First light" in (out / "zh-CN/stories/first-light/index.html").read_text(encoding="utf-8"), "content stays as written"
    assert '<html lang="en">' in (out / "index.html").read_text(encoding="utf-8")


def test_every_page_names_each_language_version_and_a_default(built: dict[str, Path]) -> None:
    out = built["two"]
    for page in pages(out):
        html = page.read_text(encoding="utf-8")
        here = page_url(out, page)
        versions = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))
        assert set(versions) == {"en", "zh-CN", "x-default"}, page
        assert here in (versions["en"], versions["zh-CN"]), page
        assert versions["x-default"] == versions["en"]
        assert versions["zh-CN"] == versions["en"].replace(BASE, BASE + "zh-CN/")
        assert file_of(out, versions["zh-CN"]).is_file() and file_of(out, versions["en"]).is_file()
    assert "hreflang" not in (out / "404.html").read_text(encoding="utf-8").split("</head>")[0]
    one = (built["one"] / "releases/2.1/index.html").read_text(encoding="utf-8")
    assert "hreflang" not in one and 'class="languages"' not in one, "a one-language site has neither"


def test_the_language_switch_is_a_plain_named_link_to_the_same_page(built: dict[str, Path]) -> None:
    out = built["two"]
    for page in pages(out):
        html = page.read_text(encoding="utf-8")
        switch = re.search(r'<nav class="languages" aria-label="([^"]+)">(.*?)</nav>', html, re.S)
        assert switch, page
        links = re.findall(r'<a class="lang-link" href="([^"]+)" hreflang="([^"]+)" lang="([^"]+)">([^<]+)</a>', switch[2])
        chinese_page = "zh-CN" in page.relative_to(out).parts
        assert switch[1] == ("语言" if chinese_page else "Language")
        assert [(tag, lang, name) for _, tag, lang, name in links] == ([("en", "en", "English")] if chinese_page else [("zh-CN", "zh-CN", "中文")])
        target = urljoin(page_url(out, page), links[0][0])
        assert target == re.search(rf'hreflang="{links[0][1]}" href="([^"]+)"', html)[1], "the switch leads to the same page"
    not_found = (out / "404.html").read_text(encoding="utf-8")
    assert '<a class="lang-link" href="/changelog/zh-CN/" hreflang="zh-CN" lang="zh-CN">中文</a>' in not_found


def feed_ids(feed: Path) -> list[str]:
    return re.findall(r"<id>([^<]+)</id>", feed.read_text(encoding="utf-8"))


def test_each_language_has_its_own_feeds_and_the_first_ones_never_change(built: dict[str, Path]) -> None:
    one, two = built["one"], built["two"]
    assert read_tree(two / "feeds") == {p: b for p, b in read_tree(one / "feeds").items() if not p.endswith(".html")} | {
        p: b for p, b in read_tree(two / "feeds").items() if p.endswith(".html")
    }, "the first language's feeds are byte for byte the one-language site's"
    english = {i for f in (two / "feeds").rglob("*.atom") for i in feed_ids(f)}
    chinese = {i for f in (two / "zh-CN/feeds").rglob("*.atom") for i in feed_ids(f)}
    assert len(chinese) == len(english) > 10 and not english & chinese
    assert all(i.startswith(BASE + "zh-CN/") for i in chinese)
    assert chinese == {i.replace(BASE, BASE + "zh-CN/", 1) for i in english}, "the same items, at the Chinese pages"
    atom = (two / "zh-CN/feeds/releases.atom").read_text(encoding="utf-8")
    assert 'xml:lang="zh-CN"' in atom and f'href="{BASE}zh-CN/feeds/releases.atom" rel="self"' in atom
    json_feed = json.loads((two / "zh-CN/feeds/stories.json").read_text(encoding="utf-8"))
    assert json_feed["language"] == "zh-CN" and json_feed["home_page_url"].startswith(BASE + "zh-CN/")
    feeds_page = (two / "zh-CN/feeds/index.html").read_text(encoding="utf-8")
    assert 'href="releases.xml"' in feeds_page or 'href="../feeds/releases.xml"' in feeds_page


def test_one_sitemap_lists_every_language_and_one_404_page_serves_them(built: dict[str, Path]) -> None:
    out = built["two"]
    listed = re.findall(r"<loc>([^<]+)</loc>", (out / "sitemap.xml").read_text(encoding="utf-8"))
    assert sorted(listed) == sorted(page_url(out, p) for p in pages(out))
    assert BASE + "zh-CN/releases/2.1/" in listed and BASE + "releases/2.1/" in listed
    assert not (out / "zh-CN/sitemap.xml").exists() and not (out / "zh-CN/404.html").exists()
    for static in ("assets/style.css", "stories/first-light/dawn.png", "contributors/ada/avatar.png"):
        assert (out / "zh-CN" / static).read_bytes() == (out / static).read_bytes(), "relative links work in each folder"


def indexed(out: Path) -> dict[str, str]:
    """Map each page Pagefind indexed to the language of the index it is in."""
    found = {}
    for fragment in (out / "pagefind/fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        found[json.loads(data[data.index(b"{"):])["url"]] = fragment.name.split("_")[0]
    return found


def test_each_page_is_searched_in_its_own_language(built: dict[str, Path]) -> None:
    found = indexed(built["two"])
    assert {url: lang for url, lang in found.items() if lang == "zh-cn"} == {
        url: "zh-cn" for url in found if url.startswith("/zh-CN/")
    }
    assert "/contributors/cy/" in found and "/zh-CN/contributors/cy/" in found
    assert json.loads((built["two"] / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))["languages"].keys() == {"en", "zh-cn"}
    search = (built["two"] / "zh-CN/search/index.html").read_text(encoding="utf-8")
    assert 'src="../../pagefind/pagefind-ui.js"' in search and 'data-base="../../"' in search, "one index, at the root"


def test_a_contributor_with_a_chinese_name_leaves_an_english_site_english(built: dict[str, Path]) -> None:
    # cy's name is 赛: that once switched the whole English site's search to Chinese.
    assert "赛" in (built["one"] / "contributors/cy/index.html").read_text(encoding="utf-8")
    found = indexed(built["one"])
    assert set(found.values()) == {"en"} and "/contributors/cy/" in found
    entry = json.loads((built["one"] / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"].keys() == {"en"}


def test_another_config_without_out_never_overwrites_the_first_ones_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = basic_site(tmp_path / "site")
    (tmp_path / "site/site.zh-CN.yml").write_text(config.read_text(encoding="utf-8") + "language: zh-CN\n", encoding="utf-8")
    assert run("build", "--config", str(config), "--no-search") == 0
    english = read_tree(tmp_path / "site/_site")
    capsys.readouterr()
    assert run("build", "--config", str(tmp_path / "site/site.zh-CN.yml"), "--no-search") == 0
    said = capsys.readouterr().out
    assert f"into {tmp_path / 'site/_site-zh-CN'}" in said, said
    assert read_tree(tmp_path / "site/_site") == english
    assert '<html lang="zh-CN">' in (tmp_path / "site/_site-zh-CN/index.html").read_text(encoding="utf-8")


def test_an_edit_redoes_its_pages_in_every_language_and_nothing_else(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795132800")
    config = basic_site(tmp_path / "site", "languages: [en, zh-CN]\n")
    out, cache = tmp_path / "out", tmp_path / "cache"
    first = build(config, out, search_index=False, cache_dir=cache, jobs=1)
    cards = len(list(out.rglob("share-card.png")))  # drawn as outputs too, one per shared page of each edition
    assert first.written and cards and first.rendered == first.pages + first.feeds + cards
    assert build(config, out, search_index=False, cache_dir=cache, jobs=1).unchanged
    story = tmp_path / "site/content/stories/first-light.md"
    story.write_text(story.read_text(encoding="utf-8") + "\nA new closing line.\n", encoding="utf-8")
    again = build(config, out, search_index=False, cache_dir=cache, jobs=1)
    assert 0 < again.rendered < first.rendered / 4
    for edition in (out, out / "zh-CN"):
        assert "A new closing line." in (edition / "stories/first-light/index.html").read_text(encoding="utf-8")
    clean = build(config, tmp_path / "clean", search_index=False, use_cache=False, jobs=1)
    assert clean.written and read_tree(out) == read_tree(tmp_path / "clean")


def test_each_edition_shares_cards_links_and_badges_in_its_own_language(tmp_path: Path) -> None:
    """A Chinese reader sharing a /zh-CN/ page shares a Chinese card, that page's address and a Chinese badge."""
    config = basic_site(tmp_path / "site", "languages: [en, zh-CN]\nshare: [x]\n")
    out = tmp_path / "out"
    assert run("build", "--config", str(config), "--out", str(out), "--no-cache", "--no-search") == 0
    en = (out / "contributors/ada/index.html").read_text(encoding="utf-8")
    zh = (out / "zh-CN/contributors/ada/index.html").read_text(encoding="utf-8")
    alt = re.compile(r'<meta property="og:image:alt" content="([^"]*)"')
    assert alt.search(en) and alt.search(en).group(1).startswith("Contributor")
    assert alt.search(zh) and alt.search(zh).group(1).startswith("贡献者")
    assert f'content="{BASE}zh-CN/contributors/ada/share-card.png"' in zh
    assert (out / "zh-CN/contributors/ada/share-card.png").read_bytes() != (out / "contributors/ada/share-card.png").read_bytes()
    share = re.compile(r'href="https://x\.com/intent/[^"]*url=([^"&]*)')
    assert unquote(share.search(zh).group(1)) == f"{BASE}zh-CN/contributors/ada/"
    assert unquote(share.search(en).group(1)) == f"{BASE}contributors/ada/"
    assert "积分" in (out / "zh-CN/contributors/ada/badge.svg").read_text(encoding="utf-8")
    assert "points" in (out / "contributors/ada/badge.svg").read_text(encoding="utf-8")
