"""`cocreate init`: a new site that builds with --strict at once, in English or Chinese; never into a full folder."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, run
from generator import newsite


@pytest.mark.parametrize(
    "lang, shown",
    [("en", ["A dark mode for the app", "Sam Lee", "A quieter night", "Design team"]),
     ("zh-CN", ["给应用加上深色模式", "林晓", "安静的夜晚", "设计团队"])],
)
def test_a_new_site_builds_strict_without_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture, lang: str, shown: list[str]
) -> None:
    site = tmp_path / "my-site"
    assert run("init", str(site), "--lang", lang) == 0
    assert "cocreate serve" in capsys.readouterr().out

    assert run("build", "--strict", "--config", str(site / "site.yml")) == 0
    out, err = capsys.readouterr()
    assert "warning" not in err and " 0 warnings" in out, err
    home = (site / "_site" / "index.html").read_text(encoding="utf-8")
    assert f'lang="{lang}"' in home
    assert yaml.safe_load((site / "site.yml").read_text(encoding="utf-8"))["language"] == lang
    pages = "".join(p.read_text(encoding="utf-8") for p in (site / "_site").rglob("index.html"))
    for text in shown:  # the sample suggestion, profile, story and popcorn team are published
        assert text in pages
    assert (site / "_site" / "contributors" / ("sam-lee" if lang == "en" else "lin-xiao") / "index.html").is_file()


def test_a_new_site_has_its_gitignore_workflow_and_guide(tmp_path: Path) -> None:
    assert run("init", str(tmp_path / "s")) == 0
    site = tmp_path / "s"
    ignored = (site / ".gitignore").read_text(encoding="utf-8").split()
    assert {"_site/", "._site.*"} <= set(ignored)
    workflow = ROOT / "examples" / "github-actions" / "publish.yml"
    assert (site / ".github" / "workflows" / "publish.yml").read_bytes() == workflow.read_bytes()
    assert "cocreate check" in (site / "EDITING.md").read_text(encoding="utf-8")
    assert "# " in (site / "site.yml").read_text(encoding="utf-8")  # commented


def test_init_in_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()  # `git init` first is fine
    assert run("init") == 0
    assert run("check", "--strict") == 0


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    assert run("init", str(tmp_path)) == 2
    err = capsys.readouterr().err
    assert "is not empty (notes.txt)" in err and "nothing was written" in err
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_init_refuses_a_file(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "site").write_text("", encoding="utf-8")
    assert run("init", str(tmp_path / "site")) == 2
    assert "is a file" in capsys.readouterr().err


def test_init_rejects_a_language_without_a_starter(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exit_:
        run("init", str(tmp_path / "s"), "--lang", "fr")
    assert exit_.value.code == 2
    assert not (tmp_path / "s").exists()


@pytest.mark.parametrize("offset", range(7))
def test_the_sample_release_is_the_last_friday_before_today(offset: int) -> None:
    today = date(2026, 11, 16) + timedelta(days=offset)  # Monday to Sunday
    released = date.fromisoformat(newsite.sample_dates(today)["release_date"])
    assert released.weekday() == 4 and timedelta(days=1) <= today - released <= timedelta(days=7)
