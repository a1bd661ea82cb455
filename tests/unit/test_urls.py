from datetime import date

import pytest

from generator import urls


@pytest.mark.parametrize(
    "tag,slug",
    [("Night Mode", "night-mode"), ("night-mode", "night-mode"), ("夜景", "夜景"), ("C++ / Rust", "c-rust"), ("ＡＢＣ", "abc"), ("!!!", "tag-")],
)
def test_tag_slugs(tag: str, slug: str) -> None:
    assert urls.tag_slug(tag).startswith(slug)


@pytest.mark.parametrize("day,key", [(date(2026, 11, 20), "2026-W47"), (date(2027, 1, 1), "2026-W53"), (date(2024, 12, 30), "2025-W01")])
def test_iso_weeks(day: date, key: str) -> None:
    assert urls.week_key(day) == key


@pytest.mark.parametrize(
    "target,page,link",
    [
        ("/releases/1.2/", "/", "releases/1.2/"),
        ("/", "/releases/1.2/", "../../"),
        ("/releases/", "/releases/", "../releases/"),
        ("/", "/", "./"),
        ("/stories/tags/夜景/", "/stories/a/", "../../stories/tags/%E5%A4%9C%E6%99%AF/"),
        ("/releases/", "/feeds/releases.xml", "../releases/"),
        ("/assets/style.css", "/weekly/2026-W47/", "../../assets/style.css"),
    ],
)
def test_relative_links(target: str, page: str, link: str) -> None:
    assert urls.relative(target, page) == link


def test_output_files() -> None:
    assert urls.output_file("/") == "index.html"
    assert urls.output_file("/releases/1.2/") == "releases/1.2/index.html"
    assert urls.output_file("/feeds/releases.xml") == "feeds/releases.xml"
