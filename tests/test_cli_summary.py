"""The command line's summary lines: numbers agree with their nouns, and a failed build
says the old output was kept only when there was one."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run

RELEASE = "---\nversion: '{version}'\ndate: 2026-11-20\n{extra}---\nNotes.\n"


def make_site(folder: Path, releases: dict[str, str]) -> Path:
    (folder / "content" / "releases").mkdir(parents=True)
    (folder / "site.yml").write_text("title: T\nurl: https://example.org/\n", encoding="utf-8")
    for version, extra in releases.items():
        (folder / "content" / "releases" / f"{version}.md").write_text(RELEASE.format(version=version, extra=extra), encoding="utf-8")
    return folder / "site.yml"


@pytest.fixture(autouse=True)
def due(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798761600")


@pytest.mark.parametrize(
    ("releases", "summary"),
    [
        ({"1.0": "votes: x\n"}, "1 error, 0 warnings"),
        ({"1.0": "votes: x\n", "1.1": "votes: y\n"}, "2 errors, 0 warnings"),
        ({"1.0": "summary: #1 thing\n"}, "0 errors, 1 warning"),
        ({"1.0": "summary: #1 thing\n", "1.1": "summary: #2 thing\n"}, "0 errors, 2 warnings"),
    ],
)
def test_check_counts_in_words_that_agree(tmp_path: Path, capsys: pytest.CaptureFixture[str], releases: dict[str, str], summary: str) -> None:
    run("check", "--config", str(make_site(tmp_path, releases)))
    out = capsys.readouterr().out
    assert f", {summary} in " in out, out


def test_a_failed_first_build_says_nothing_was_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = make_site(tmp_path / "site", {"1.0": "votes: x\n"})
    assert run("build", "--config", str(config), "--out", str(tmp_path / "out"), "--no-search") == 1
    err = capsys.readouterr().err
    assert "build failed: 1 error; nothing was written" in err
    assert "left as it was" not in err


def test_a_failed_rebuild_says_the_output_was_left_as_it_was(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = make_site(tmp_path / "site", {"1.0": "", "1.1": ""})
    out = tmp_path / "out"
    assert run("build", "--config", str(config), "--out", str(out), "--no-search") == 0
    assert "0 warnings" in capsys.readouterr().out
    for version in ("1.0", "1.1"):
        (config.parent / "content" / "releases" / f"{version}.md").write_text(RELEASE.format(version=version, extra="votes: x\n"), encoding="utf-8")
    assert run("build", "--config", str(config), "--out", str(out), "--no-search") == 1
    assert f"build failed: 2 errors; {out} was left as it was" in capsys.readouterr().err


def test_a_strict_build_failing_on_one_warning_says_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = make_site(tmp_path / "site", {"1.0": "summary: #1 thing\n"})
    assert run("build", "--config", str(config), "--out", str(tmp_path / "out"), "--no-search", "--strict") == 1
    assert "build failed: 1 warning (--strict); nothing was written" in capsys.readouterr().err
