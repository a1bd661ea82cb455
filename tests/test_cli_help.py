"""The small things a new user meets first: --help with examples, -V, and a plain home page title."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import TESTS, run
from generator import __version__


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_version(flag: str, capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exit_:
        run(flag)
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"cocreate {__version__}\n"


def test_help_shows_examples(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exit_:
        run("--help")
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert "examples:\n  cocreate init my-site" in out
    for command in ("init", "reference", "build", "check", "serve", "new"):
        assert f"\n    {command} " in out


@pytest.mark.parametrize("title, shown", [("Pebble", "Pebble"), ("Rock & Roll", "Rock &amp; Roll")])
def test_the_home_page_title_names_the_site_once(tmp_path: Path, title: str, shown: str) -> None:
    site = tmp_path / "site"
    shutil.copytree(TESTS / "sites" / "basic", site)
    config = site / "site.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("title: Pebble", f'title: "{title}"'), encoding="utf-8")
    assert run("build", "--no-search", "--config", str(config), "--out", str(tmp_path / "out")) == 0
    assert f"<title>{shown}</title>" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    release = (tmp_path / "out" / "releases" / "2.1" / "index.html").read_text(encoding="utf-8")
    assert f" · {shown}</title>" in release
