"""A zh-CN site has no English UI text left; dates are in Chinese; lang is set everywhere."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from conftest import ROOT, run

CATALOG = ROOT / "themes/default/locales/zh_CN/LC_MESSAGES/messages.po"


@pytest.fixture(scope="module")
def zh_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's Chinese edition: site.yml says `languages: [en, zh-CN]`, so it is built under zh-CN/."""
    site = tmp_path_factory.mktemp("zh")
    shutil.copy(ROOT / "site.yml", site / "site.yml")
    shutil.copytree(ROOT / "content", site / "content")
    assert run("build", "--config", str(site / "site.yml"), "--out", str(site / "out"), "--no-search") == 0
    return site / "out" / "zh-CN"


def visible_text(page: Path) -> str:
    """The text a reader sees (attributes such as title and alt included)."""
    source = page.read_text(encoding="utf-8")
    source = re.sub(r"<(script|style|textarea)\b.*?</\1>", " ", source, flags=re.S)  # textarea: code to paste (a badge)
    attributes = " ".join(re.findall(r'(?:title|alt|aria-label)="([^"]*)"', source))
    return html.unescape(re.sub(r"<[^>]+>", " ", source) + " " + attributes)


# Words that are the same in every language: formats, handles, ids, URLs, the week key.
ALLOWED = re.compile(r"@[a-z0-9-]+|https?://\S+|\bS-\w+|\b\d{4}-W\d\d\b|\b(RSS|Atom|JSON|Feed|Feedly|NetNewsWire|Thunderbird|Markdown|HTML|BBCode|README)\b")


def test_catalog_is_complete() -> None:
    with CATALOG.open("rb") as fh:
        catalog = read_po(fh)
    missing = [m.id for m in catalog if m.id and not (all(m.string) if isinstance(m.string, tuple) else m.string)]
    assert missing == []
    assert not catalog.obsolete


def test_no_english_ui_text_left_in_a_chinese_site(tmp_path: Path) -> None:
    # Every piece of content in tests/sites/zh is Chinese, so any Latin word left is UI.
    out = tmp_path / "out"
    assert run("build", "--config", str(ROOT / "tests/sites/zh/site.yml"), "--out", str(out)) == 0
    leftovers = {}
    for page in sorted(out.rglob("*.html")):
        words = re.findall(r"[A-Za-z]{2,}", ALLOWED.sub(" ", visible_text(page)))
        if words:
            leftovers[page.relative_to(out).as_posix()] = sorted(set(words))
    assert leftovers == {}
    assert len(list(out.rglob("*.html"))) > 15


def test_chinese_dates_and_lang(zh_site: Path) -> None:
    page = (zh_site / "weekly/2026-W47/index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in page
    assert "2026年11月20日" in page
    assert "你的建议，我们做到了" in page
    assert "、" in page  # names joined the Chinese way


def test_feed_titles_are_translated(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("build", "--config", str(ROOT / "tests/sites/zh/site.yml"), "--out", str(out)) == 0
    titles = []
    for feed in sorted((out / "feeds").rglob("*.atom")):
        titles += re.findall(r"<title>([^<]*)</title>", feed.read_text(encoding="utf-8"))
    assert "卵石：你的建议，我们做到了" in titles and "小林：建议与贡献" in titles
    leftovers = [t for t in titles if re.search(r"[A-Za-z]{2,}", ALLOWED.sub(" ", t))]
    assert leftovers == []


def test_chinese_weeks_are_numbered_the_chinese_way(zh_site: Path) -> None:
    page = (zh_site / "weekly/2026-W47/index.html").read_text(encoding="utf-8")
    assert "<title>你的建议，我们做到了：2026 年第 47 周 · Lumen OS</title>" in page
    assert '<p class="eyebrow">2026 年第 47 周</p>' in page
    everything = "".join(p.read_text(encoding="utf-8") for p in zh_site.rglob("*") if p.suffix in (".html", ".atom", ".xml", ".json"))
    assert not re.search(r"W\d\d 周", everything)
    assert "第 47 周" in (zh_site / "feeds/weekly.atom").read_text(encoding="utf-8")
