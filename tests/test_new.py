"""`cocreate new`: the next version, date and id, files that pass `check`, and nothing overwritten."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import TESTS, run
from generator import scaffold
from generator.build import Loaded, load
from generator.errors import Diagnostics

DAY = date(2026, 11, 18)  # a Wednesday; the basic site's latest release, 2.1, is on Friday 2026-11-13


@pytest.fixture
def site(tmp_path: Path) -> Path:
    shutil.copytree(TESTS / "sites" / "basic", tmp_path / "site")
    return tmp_path / "site"


@pytest.fixture
def loaded(site: Path) -> Loaded:
    result = load(site / "site.yml", Diagnostics())
    assert result is not None
    return result


def front_matter(text: str) -> dict:
    """Read a scaffold's front matter as plain YAML (comments dropped)."""
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n")[1])


@pytest.mark.parametrize(
    "latest, expected",
    [("6.4.5", "6.4.6"), ("2.1", "2.2"), ("1.09", "1.10"), ("9", "10"), ("2.0.0-rc1", "2.0.0-rc2"), ("v3", "v4"), ("quartz", None)],
)
def test_next_version_counts_up_the_last_number(latest: str, expected: str | None) -> None:
    assert scaffold.next_version(latest) == expected


@pytest.mark.parametrize(
    "latest, today, release_day, expected",
    [
        (date(2026, 11, 13), DAY, "friday", date(2026, 11, 20)),  # the Friday after the latest
        (date(2026, 11, 8), date(2026, 11, 9), "friday", date(2026, 11, 13)),  # from a Sunday fix release
        (date(2026, 11, 13), date(2026, 11, 20), "friday", date(2026, 11, 20)),  # release day is today
        (date(2026, 11, 13), date(2026, 11, 30), "friday", date(2026, 12, 4)),  # weeks skipped: the coming Friday
        (date(2026, 11, 13), date(2026, 12, 4), "friday", date(2026, 12, 4)),  # weeks skipped, today is Friday
        (date(2026, 11, 16), DAY, "monday", date(2026, 11, 23)),  # release_day from site.yml
        (None, DAY, "friday", date(2026, 11, 20)),  # no releases: after today
        (None, date(2026, 11, 20), "friday", date(2026, 11, 27)),
    ],
)
def test_next_release_date(latest: date | None, today: date, release_day: str, expected: date) -> None:
    assert scaffold.next_release_date(latest, today, release_day) == expected


@pytest.mark.parametrize(
    "ids, expected",
    [
        (["S-1041", "S-1042"], "S-1043"),
        (["S-2", "S-10", "S-9"], "S-11"),
        ([], "S-1"),
        (["S-0099"], "S-0100"),
        (["S-1", "S-2", "idea-50"], "S-3"),  # the pattern most ids follow
    ],
)
def test_next_suggestion_id_follows_the_pattern(ids: list[str], expected: str) -> None:
    assert scaffold.next_suggestion_id(ids) == expected


@pytest.mark.parametrize(
    "name, handle",
    [
        ("Ada Lovelace", "ada-lovelace"),
        ("Zoë Martin", "zoe-martin"),
        ("Seán O'Brien", "sean-o-brien"),
        ("Łukasz Żółć", "lukasz-zolc"),  # no letter is dropped
        ("Søren", "soren"),
        ("Straße", "strasse"),
        ("Иван Петров", "ivan-petrov"),
        ("林晓", "lin-xiao"),  # Chinese: pinyin, one syllable per character
        ("Lin 晓", "lin-xiao"),
        ("Ada 🙂", "ada"),  # an emoji is no letter
        ("🙂", None),
        ("007", None),
    ],
)
def test_handle_from_a_display_name(name: str, handle: str | None) -> None:
    assert scaffold.handle_from_name(name) == handle


def test_release_gets_the_next_version_and_release_day(loaded: Loaded) -> None:
    path, text = scaffold.release(loaded.config, loaded.site.releases, DAY)
    assert path == "content/releases/2.2.md"
    assert front_matter(text) == {"version": "2.2", "date": date(2026, 11, 20)}
    assert "\n## New\n" in text and "\n## Fixed\n" in text


def test_release_options_override_and_an_existing_version_is_refused(loaded: Loaded) -> None:
    path, text = scaffold.release(loaded.config, loaded.site.releases, DAY, version="3.0", when=date(2026, 12, 1))
    assert path == "content/releases/3.0.md"
    assert front_matter(text) == {"version": "3.0", "date": date(2026, 12, 1)}
    with pytest.raises(scaffold.AlreadyThere, match=r"release 2\.0\.1 exists already in content/releases/2\.0\.1\.md"):
        scaffold.release(loaded.config, loaded.site.releases, DAY, version="2.0.1")


def test_release_asks_for_a_version_when_there_is_nothing_to_count_up(loaded: Loaded) -> None:
    named = [dataclasses.replace(r, version="quartz") for r in loaded.site.releases[:1]]
    with pytest.raises(scaffold.NeedsOption, match="'quartz' has no number to count up from; give one with --version"):
        scaffold.release(loaded.config, named, DAY)
    with pytest.raises(scaffold.NeedsOption, match="no releases yet"):
        scaffold.release(loaded.config, [], DAY)
    path, text = scaffold.release(loaded.config, [], DAY, version="1.0")
    assert front_matter(text) == {"version": "1.0", "date": date(2026, 11, 20)}


def test_suggestion_gets_the_next_id_and_is_received_today(loaded: Loaded) -> None:
    ids = [s.id for s in loaded.site.suggestions]
    path, text = scaffold.suggestion(ids, DAY, "Fix: crash #1 on start", ["@Ada", "bo", "ada"])
    assert path == "content/suggestions/S-11.md"
    assert front_matter(text) == {"title": "Fix: crash #1 on start", "proposed_by": ["ada", "bo"], "date": DAY, "status": "received"}
    _, text = scaffold.suggestion(ids, DAY, "2.1", ["bo"], when=date(2026, 11, 1))
    assert front_matter(text)["title"] == "2.1" and front_matter(text)["date"] == date(2026, 11, 1)


def test_contributor_handle_from_name_or_given(loaded: Loaded) -> None:
    path, text = scaffold.contributor(loaded.site, DAY, name="Zoë Martin")
    assert path == "content/contributors/zoe-martin.md"
    assert front_matter(text) == {"name": "Zoë Martin", "joined": DAY}
    path, text = scaffold.contributor(loaded.site, DAY, name="林晓")
    assert path == "content/contributors/lin-xiao.md"
    with pytest.raises(scaffold.NeedsOption, match="'🙂' has no letters to make a handle from; give one, e.g. --handle"):
        scaffold.contributor(loaded.site, DAY, name="🙂")
    path, text = scaffold.contributor(loaded.site, DAY, name="林晓", handle="@Lin-Xiao")
    assert path == "content/contributors/lin-xiao.md"
    assert front_matter(text) == {"name": "林晓", "joined": DAY}


def test_contributor_with_a_profile_or_an_alias_is_refused(loaded: Loaded) -> None:
    with pytest.raises(scaffold.AlreadyThere, match="'ada' has a profile already: content/contributors/ada.md"):
        scaffold.contributor(loaded.site, DAY, name="Ada")
    with pytest.raises(scaffold.AlreadyThere, match="'ada-l' is an alias of 'ada'"):
        scaffold.contributor(loaded.site, DAY, handle="ada-l")
    path, _ = scaffold.contributor(loaded.site, DAY, handle="bo")  # credited, but no profile yet
    assert path == "content/contributors/bo.md"


def test_story_is_submitted_without_consent(loaded: Loaded) -> None:
    path, text = scaffold.story([], DAY, "The night the camera saw stars: a tale", author="@Dee")
    assert path == "content/stories/the-night-the-camera-saw-stars-a-tale.md"
    assert front_matter(text) == {
        "title": "The night the camera saw stars: a tale",
        "author": "dee",
        "date": DAY,
        "status": "submitted",
        "consent": False,
    }
    path, text = scaffold.story([], DAY, "夜景", guest="Smith, John")
    assert path == "content/stories/ye-jing.md"
    path, text = scaffold.story([], DAY, "🌙🌙", guest="Smith, John")
    assert path == "content/stories/story-2026-11-18.md"
    assert front_matter(text)["author"] == {"name": "Smith, John"}
    with pytest.raises(scaffold.AlreadyThere, match="give another address with --slug"):
        scaffold.story(["first-light"], DAY, "First light", author="bo")


def test_create_never_overwrites(site: Path) -> None:
    made = scaffold.Scaffold("content/stories/first-light.md", "---\ntitle: x\n---\n")
    before = (site / made.path).read_bytes()
    with pytest.raises(scaffold.AlreadyThere, match="content/stories/first-light.md exists already; nothing was written"):
        scaffold.create(site, made)
    assert (site / made.path).read_bytes() == before


def test_every_scaffolded_kind_passes_check(site: Path, capsys: pytest.CaptureFixture) -> None:
    config = str(site / "site.yml")
    commands = [
        ["release"],
        ["suggestion", "--title", "Fix: the crash #1", "--by", "@Ada", "--by", "newcomer"],
        ["contributor", "--name", "Zoë Martin"],
        ["contributor", "--name", "林晓", "--handle", "lin-xiao"],
        ["story", "--title", "夜景", "--guest", "Guest <Writer>"],
        ["story", "--title", "A day at the lake", "--author", "dee"],
    ]
    made = []
    for command in commands:
        assert run("new", *command, "--config", config) == 0, capsys.readouterr().err
        made.append(Path(capsys.readouterr().out.strip()))
    assert [p.relative_to(site).as_posix() for p in made][:4] == [
        "content/releases/2.2.md",
        "content/suggestions/S-11.md",
        "content/contributors/zoe-martin.md",
        "content/contributors/lin-xiao.md",
    ]
    assert all(p.is_file() for p in made)
    assert run("check", "--config", config) == 0
    # A scaffolded release is dated the next release day: a notice says it waits for it.
    errors = [line for line in capsys.readouterr().err.splitlines() if ": warning: " not in line and ": notice: " not in line]
    assert not errors


def test_new_refuses_to_overwrite_with_exit_1(site: Path, capsys: pytest.CaptureFixture) -> None:
    config = str(site / "site.yml")
    before = (site / "content/stories/first-light.md").read_bytes()
    assert run("new", "story", "--title", "First light", "--author", "bo", "--config", config) == 1
    assert "give another address with --slug" in capsys.readouterr().err
    assert run("new", "release", "--version", "2.1", "--config", config) == 1
    assert "release 2.1 exists already in content/releases/2.1.md; nothing was written" in capsys.readouterr().err
    assert (site / "content/stories/first-light.md").read_bytes() == before


def test_new_usage_errors_exit_2(site: Path, capsys: pytest.CaptureFixture) -> None:
    config = str(site / "site.yml")
    assert run("new", "contributor", "--name", "🙂", "--config", config) == 2
    assert "give one, e.g. --handle lin-xiao" in capsys.readouterr().err
    assert run("new", "suggestion", "--title", "x", "--by", "not a handle", "--config", config) == 2
    # --by and --author are needed unless --from-issue gives them (tests/test_intake.py)
    assert run("new", "suggestion", "--title", "x", "--config", config) == 2
    assert "give --by, or --from-issue FILE" in capsys.readouterr().err
    assert run("new", "story", "--title", "x", "--config", config) == 2
    assert "give --author or --guest, or --from-issue FILE" in capsys.readouterr().err
    for argv in (["release", "--date", "2026-02-30"], ["poem"]):
        with pytest.raises(SystemExit) as exit_:
            run("new", *argv, "--config", config)
        assert exit_.value.code == 2
    assert not (site / "content/contributors/lin-xiao.md").exists()
