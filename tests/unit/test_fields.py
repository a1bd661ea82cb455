from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from generator import fields as f


def test_lines_are_file_lines_and_raw_text_is_kept() -> None:
    node = f.parse_yaml("\nversion: 1.10\nlist:\n  - a\n  - who: b\n", first_line=2)
    assert node.value["version"].line == 3
    assert f.version(node.value["version"]) == "1.10"  # not the float 1.1
    assert [item.line for item in node.value["list"].value] == [5, 6]
    assert node.value["list"].value[1].value["who"].line == 6


@pytest.mark.parametrize("text", ["2026-11-20", "'2026-11-20'"])
def test_quoted_and_unquoted_dates_are_midnight_in_the_site_zone(text: str) -> None:
    tz = ZoneInfo("Asia/Shanghai")
    value = f.moment(tz)(f.parse_yaml(f"d: {text}").value["d"])
    assert value == datetime(2026, 11, 20, tzinfo=tz)


@pytest.mark.parametrize(
    "text,message",
    [
        ("2026-02-30", "'2026-02-30' is not a date in the calendar (February 2026 has 28 days)"),
        ("'2026-13-01'", "there is no month 13"),
        ("yesterday", "expected a date like 2026-11-20, got 'yesterday'"),
        ("[2026]", "expected a date like 2026-11-20, got a list"),
    ],
)
def test_bad_dates_are_explained(text: str, message: str) -> None:
    with pytest.raises(f.Invalid) as exc:
        f.moment(ZoneInfo("UTC"))(f.parse_yaml(f"d: {text}").value["d"])
    assert message in exc.value.message


def test_yaml_errors_point_at_the_line() -> None:
    with pytest.raises(f.YamlProblem) as exc:
        f.parse_yaml("a: 1\nb: [\n", first_line=2)
    assert exc.value.line >= 3


def test_object_building_tags_are_refused() -> None:
    with pytest.raises(f.YamlProblem):
        f.parse_yaml('x: !!python/object/apply:os.system ["echo hi"]')


def test_duplicate_keys_are_refused() -> None:
    with pytest.raises(f.YamlProblem, match="has 'a' twice"):
        f.parse_yaml("a: 1\na: 2\n")


@pytest.mark.parametrize("value,ok", [("-1", False), ("many", False), ("0", True), ("12", True), ("true", False)])
def test_whole_numbers(value: str, ok: bool) -> None:
    node = f.parse_yaml(f"v: {value}").value["v"]
    if ok:
        assert f.whole_number(node) == int(value)
    else:
        with pytest.raises(f.Invalid):
            f.whole_number(node)


@pytest.mark.parametrize("url,ok", [("https://x.org/t/1", True), ("http://x.org", True), ("javascript:alert(1)", False), ("ftp://x", False), ("x.org", False)])
def test_web_urls(url: str, ok: bool) -> None:
    node = f.parse_yaml(f"u: '{url}'").value["u"]
    if ok:
        assert f.web_url(node) == url
    else:
        with pytest.raises(f.Invalid):
            f.web_url(node)
