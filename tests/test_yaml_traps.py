"""YAML traps in front matter and site.yml: aliases that explode, values nested without end,
old yes/no words that read as booleans, and a '#' that silently empties a value.
"""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from conftest import run
from generator import fields as f
from generator.config import load_config
from generator.documents import split
from generator.errors import Diagnostics
from generator.sources import SourceFile


def laughs(levels: int = 9) -> str:
    """The 'billion laughs': nine levels of nine aliases, 9**9 values from a few hundred bytes."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def problem(text: str, first_line: int = 1) -> f.YamlProblem:
    with pytest.raises(f.YamlProblem) as caught:
        f.parse_yaml(text, first_line)
    return caught.value


# --- anchors and aliases ----------------------------------------------------------------


def test_billion_laughs_is_refused_at_once_without_memory_growth() -> None:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        refused = problem(laughs(), first_line=2)
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seconds < 0.2, f"took {seconds:.2f}s"
    assert peak < 2_000_000, f"peak {peak} bytes"
    assert refused.line == 2
    assert "anchor or alias" in refused.message and "write each value out in full" in refused.message


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("title: x\ncredit: &c {who: ada, for: tests}\nother: *c\n", 2),
        ("title: &t x\n", 1),
        ("list:\n  - a\n  - *nothing\n", 3),  # an alias without its anchor is refused too
        ("base: &b {a: 1}\nmerged:\n  <<: *b\n", 1),  # a merge key needs an alias
    ],
)
def test_anchors_and_aliases_are_refused_on_their_line(text: str, line: int) -> None:
    refused = problem(text)
    assert refused.line == line
    assert refused.message.startswith("uses a YAML anchor or alias")


def test_an_ampersand_or_star_in_quotes_is_text() -> None:
    node = f.parse_yaml("title: '&amp; *stars*'\nnote: \"*new*\"\n")
    assert node is not None and node.plain() == {"title": "&amp; *stars*", "note": "*new*"}


# --- depth and size -----------------------------------------------------------------------


def test_real_nesting_is_read() -> None:
    text = "history:\n  - {date: 2026-10-01, status: received, note: ok}\npopcorn:\n  team: T\n  members: [ada, bo]\n"
    node = f.parse_yaml(text)
    assert node is not None and node.plain()["popcorn"]["members"] == ["ada", "bo"]


@pytest.mark.parametrize("text", ["tags: " + "[" * 5000 + "x" + "]" * 5000, "tags:\n  " + "- " * 1000 + "x\n"])
def test_values_nested_too_deep_are_refused_quickly(text: str) -> None:
    started = time.perf_counter()
    refused = problem(text, first_line=2)
    assert time.perf_counter() - started < 0.5
    assert refused.message == f"nests values more than {f.MAX_YAML_DEPTH} levels deep; write it flatter"
    assert refused.line in (2, 3)


def test_a_story_of_nested_list_markers_in_front_matter_is_one_message(tmp_path: Path) -> None:
    story = tmp_path / "content" / "stories" / "deep.md"
    story.parent.mkdir(parents=True)
    story.write_text("---\ntitle: Deep\ntags:\n" + "- " * 1000 + "x\n---\nBody\n", encoding="utf-8")
    diagnostics = Diagnostics()
    assert split(SourceFile("stories", story, "content/stories/deep.md"), diagnostics) is None
    assert [str(d) for d in diagnostics.items] == [
        f"content/stories/deep.md:4: front matter nests values more than {f.MAX_YAML_DEPTH} levels deep; write it flatter"
    ]


def test_front_matter_larger_than_the_limit_is_refused(tmp_path: Path) -> None:
    story = tmp_path / "content" / "stories" / "big.md"
    story.parent.mkdir(parents=True)
    credits = "".join(f"  - who: person-{i}\n    for: testing the camera app\n" for i in range(1500))
    story.write_text(f"---\ntitle: Big\ncredits:\n{credits}---\nBody\n", encoding="utf-8")
    diagnostics = Diagnostics()
    assert split(SourceFile("stories", story, "content/stories/big.md"), diagnostics) is None
    [message] = [str(d) for d in diagnostics.items]
    assert message.startswith("content/stories/big.md:1: front matter is ")
    assert message.endswith(
        f"KB, more than the {f.MAX_YAML_BYTES // 1024} KB cocreate reads; shorten it (long text belongs in the body, below the closing '---')"
    )


def test_a_release_with_hundreds_of_credits_is_within_the_limits() -> None:
    credits = "".join(f"  - who: person-{i}\n    for: reported the Bluetooth reconnect bug\n" for i in range(500))
    node = f.parse_yaml(f"version: '1.0'\ndate: 2026-11-20\ncredits:\n{credits}")
    assert node is not None and len(node.value["credits"].value) == 500


# --- booleans -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [("true", True), ("false", False), ("True", True), ("FALSE", False), ("'true'", True), ('"false"', False), ('" TRUE "', True)],
)
def test_true_and_false_are_read_quoted_or_not(written: str, expected: bool) -> None:
    node = f.parse_yaml(f"consent: {written}\n")
    assert node is not None and f.boolean(node.value["consent"]) is expected


@pytest.mark.parametrize(("written", "reads_as"), [("yes", "true"), ("No", "false"), ("ON", "true"), ("off", "false"), ("y", None), ("1", None)])
def test_yaml_1_1_words_in_a_boolean_field_are_refused(written: str, reads_as: str | None) -> None:
    node = f.parse_yaml(f"consent: {written}\n")
    assert node is not None
    with pytest.raises(f.Invalid) as caught:
        f.boolean(node.value["consent"])
    if reads_as:
        assert caught.value.message == f"'{written}' is not true or false (old YAML reads it as {reads_as}); write true or false"
    else:
        assert caught.value.message == f"expected true or false, got '{written}'"


@pytest.mark.parametrize("word", ["Yes", "no", "On", "OFF"])
def test_a_yes_no_word_in_a_text_field_is_the_word(word: str) -> None:
    node = f.parse_yaml(f"title: {word}\n")
    assert node is not None and f.text(node.value["title"]) == word


def _story_site(tmp_path: Path, consent: str) -> Path:
    site = tmp_path / "site"
    (site / "content" / "stories").mkdir(parents=True)
    (site / "site.yml").write_text("title: T\nurl: https://example.org/\n", encoding="utf-8")
    (site / "content" / "stories" / "tale.md").write_text(
        f"---\ntitle: A tale\nauthor: ada\ndate: 2026-11-12\nstatus: approved\nconsent: {consent}\n---\nOnce.\n", encoding="utf-8"
    )
    return site


def test_consent_yes_publishes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = _story_site(tmp_path, "yes")
    code = run("build", "--config", str(site / "site.yml"), "--out", str(tmp_path / "out"), "--no-search")
    err = capsys.readouterr().err
    assert code == 1
    assert "content/stories/tale.md:6: consent: 'yes' is not true or false (old YAML reads it as true); write true or false" in err
    assert not (tmp_path / "out").exists()


def test_consent_quoted_true_publishes_the_story(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = _story_site(tmp_path, '"true"')
    code = run("build", "--config", str(site / "site.yml"), "--out", str(tmp_path / "out"), "--no-search")
    assert code == 0, capsys.readouterr().err
    assert (tmp_path / "out" / "stories" / "tale" / "index.html").is_file()


# --- a value emptied by '#' -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "warned"),
    [
        ("summary: #1 request: faster boot\n", [(1, 'summary: is empty, because \'#\' starts a comment in YAML; if \'#1 request: faster boot\' is the value, put it in quotes: summary: "#1 request: faster boot"')]),
        ("credits:\n  - who: ada\n    for: #42\n", [(3, "for: is empty, because '#' starts a comment in YAML; if '#42' is the value, put it in quotes: for: \"#42\"")]),
        ("summary: '#1 request'\n", []),  # quoted: the value is kept
        ("channel:   # optional, left empty on purpose\n", []),  # '# ' is a comment meant as one
        ("summary: faster boot #1\n", []),  # '#' inside a value is part of it
        ("summary:\n", []),
    ],
)
def test_a_value_emptied_by_a_hash_is_warned_about(text: str, warned: list[tuple[int, str]]) -> None:
    found: list[tuple[int, str]] = []
    f.parse_yaml(text, 1, found)
    assert found == warned


def test_a_value_emptied_by_a_hash_in_site_yml_is_warned_about(tmp_path: Path) -> None:
    config = tmp_path / "site.yml"
    config.write_text("title: T\nurl: https://example.org/\ndescription: #1 changelog\n", encoding="utf-8")
    diagnostics = Diagnostics()
    assert load_config(config, diagnostics) is not None
    assert [str(d) for d in diagnostics.items] == [
        "site.yml:3: warning: description: is empty, because '#' starts a comment in YAML; if '#1 changelog' is the value, "
        'put it in quotes: description: "#1 changelog"'
    ]


# --- site.yml: release_day ------------------------------------------------------------------


@pytest.mark.parametrize("day", ["Friday", "FRIDAY", "friday"])
def test_release_day_ignores_letter_case(tmp_path: Path, day: str) -> None:
    config = tmp_path / "site.yml"
    config.write_text(f"title: T\nurl: https://example.org/\nrelease_day: {day}\n", encoding="utf-8")
    loaded = load_config(config, Diagnostics())
    assert loaded is not None and loaded.release_day == "friday"


def test_release_day_that_is_no_day_says_what_to_write(tmp_path: Path) -> None:
    config = tmp_path / "site.yml"
    config.write_text("title: T\nurl: https://example.org/\nrelease_day: Fryday\n", encoding="utf-8")
    diagnostics = Diagnostics()
    assert load_config(config, diagnostics) is None
    assert [str(d) for d in diagnostics.items] == [
        "site.yml:3: release_day: 'Fryday' is not a day of the week; use e.g. friday (did you mean 'friday'?)"
    ]


def test_front_matter_limits_are_settings_in_site_yml(tmp_path: Path, capsys) -> None:
    import shutil

    from conftest import TESTS, run

    site = tmp_path / "site"
    shutil.copytree(TESTS / "sites/basic", site)
    deep = "---\ntitle: Deep\nauthor: ada\ndate: 2026-11-10\nstatus: submitted\nconsent: false\ntags: [a, b]\n---\nBody.\n"
    (site / "content/stories/deep.md").write_text(deep, encoding="utf-8")
    assert run("check", "--config", str(site / "site.yml"), "--no-cache") == 0  # 2 levels: within the default 8
    (site / "site.yml").write_text((site / "site.yml").read_text(encoding="utf-8") + "limits: {max_yaml_depth: 1}\n", encoding="utf-8")
    assert run("check", "--config", str(site / "site.yml"), "--no-cache") == 1
    refused = [line for line in capsys.readouterr().err.splitlines() if line.startswith("content/stories/deep.md:")]
    assert refused and refused[0].endswith("front matter nests values more than 1 level deep; write it flatter"), refused
