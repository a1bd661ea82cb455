"""No word is broken in the middle at 390 px: every page type of the demo, in English and
in Chinese. A table column squeezed to one letter ("Notifi/catio/ns") or a badge narrower
than its label is what this catches; broken_words.js says how it measures.

One page load per page type and language, in one phone-sized browser context.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

import pytest

from harness import PHONE, ROOT, browser, build, chromium_path, serve
from test_browser import PAGES, open_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium_path() is None, reason="no chromium binary (Debian's package: apt-get install chromium; `make test` installs it)"),
]

BROKEN_WORDS = (Path(__file__).parent / "broken_words.js").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The demo built in English and in Chinese (with search: its results are pages too), served."""
    folder = tmp_path_factory.mktemp("phone-text")
    en, zh = build(ROOT / "site.yml", folder / "en"), build(ROOT / "site.zh-CN.yml", folder / "zh")
    with serve(en) as en_base, serve(zh) as zh_base:
        yield {"en": en_base, "zh": zh_base}


@pytest.fixture(scope="module")
def phone() -> Iterator[object]:
    with browser() as launched:
        context = launched.new_context(viewport=PHONE)
        try:
            yield context
        finally:
            context.close()


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("kind", PAGES)
def test_no_word_is_broken_at_390px(kind: str, language: str, phone, bases: dict[str, str]) -> None:
    page, _ = open_page(phone, bases[language], PAGES[kind], kind)
    try:
        broken = page.evaluate(BROKEN_WORDS)
    finally:
        page.close()
    assert broken == [], f"/{PAGES[kind]} ({kind}, {language}) at 390 px:\n" + "\n".join(broken)


def test_the_check_sees_words_broken_by_a_narrow_box(phone) -> None:
    page = phone.new_page()
    try:
        page.set_content(
            """<!doctype html><html lang="en"><body><main>
            <table><tr><td style="overflow-wrap: anywhere; width: 1px">Notifications</td><td>1,847</td></tr></table>
            <p style="width: 8px; overflow-wrap: anywhere">农历</p>
            <p style="width: 200px">Words that fit</p>
            <span style="position: absolute; width: 1px; overflow: hidden; white-space: nowrap">hidden label</span>
            <p style="overflow-wrap: anywhere">""" + "x" * 200 + """</p>
            </main></body></html>"""
        )
        broken = page.evaluate(BROKEN_WORDS)
    finally:
        page.close()
    words = [b.split('"')[1] for b in broken]
    # The squeezed cell and each Chinese character in the narrow paragraph; not the words
    # that fit, nor hidden text, nor a word too long for any phone (it has to break).
    assert words == ["Notifications", "农", "历"], broken


def test_popcorn_history_is_cards_on_a_phone_and_still_a_table_to_screen_readers(phone, bases: dict[str, str]) -> None:
    page = phone.new_page()
    try:
        page.goto(bases["en"] + "honor/")
        rows = page.locator("table.popcorn-history tbody tr")
        assert rows.count() > 1
        assert rows.first.evaluate("tr => getComputedStyle(tr).display") == "grid"
        assert page.locator("table.popcorn-history thead").bounding_box()["width"] <= 1  # hidden, not removed
        tree = page.locator("table.popcorn-history").aria_snapshot()
    finally:
        page.close()
    # Rows, cells and column headers survive the change of display; the card's own
    # "Votes" label is hidden from screen readers, who hear the column header instead.
    assert tree.startswith("- table:")
    assert '- columnheader "Votes"' in tree and re.search(r'- cell "[\d,]+"\n', tree), tree
