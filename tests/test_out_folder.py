"""`--out` never deletes what cocreate did not write, and the environment is read strictly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import TESTS, read_tree, run

SITE = TESTS / "sites/basic"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    folder = tmp_path / "projects/site"
    shutil.copytree(SITE, folder)
    return folder


def build_into(site: Path, out: Path) -> int:
    return run("build", "--config", str(site / "site.yml"), "--out", str(out), "--no-search")


@pytest.mark.parametrize("where", ["home", "git", "sibling-project", "not-ours", "file"])
def test_out_refuses_a_folder_cocreate_did_not_make(site: Path, tmp_path: Path, where: str, monkeypatch, capsys) -> None:
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh/id_ed25519").write_text("secret", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    repo = tmp_path / "projects/repo"
    (repo / ".git").mkdir(parents=True)
    sibling = tmp_path / "projects/other-project"
    (sibling / "src").mkdir(parents=True)
    (sibling / "src/main.py").write_text("print('hi')", encoding="utf-8")
    stranger = tmp_path / "downloads"
    stranger.mkdir()
    (stranger / "photo.jpg").write_bytes(b"jpeg")
    afile = tmp_path / "notes.txt"
    afile.write_text("notes", encoding="utf-8")
    out = {"home": home, "git": repo, "sibling-project": sibling, "not-ours": stranger, "file": afile}[where]
    before = read_tree(tmp_path)
    assert build_into(site, out) == 2
    err = capsys.readouterr().err
    assert "--out" in err and "choose" in err, err
    assert read_tree(tmp_path) == before


def test_out_accepts_a_missing_or_empty_folder_and_its_own_output(site: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert build_into(site, empty) == 0
    assert (empty / ".cocreate").is_file() and (empty / "index.html").is_file()
    assert build_into(site, empty) == 0  # its own output, marked: replaced
    assert build_into(site, tmp_path / "new/deeper") == 0


def test_out_refuses_the_git_folder_itself(site: Path, tmp_path: Path, capsys) -> None:
    (site / ".git/objects").mkdir(parents=True)
    (site / ".git/HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    before = read_tree(site / ".git")
    assert build_into(site, site / ".git") == 2
    assert read_tree(site / ".git") == before


@pytest.mark.parametrize("value", ["٣٤٥", "99999999999999999", "1e9", "-5", " 12", "0x10", "１２３"])
def test_source_date_epoch_takes_ascii_digits_in_a_sane_range(site: Path, tmp_path: Path, value: str, monkeypatch, capsys) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert build_into(site, tmp_path / "out") == 2
    assert "SOURCE_DATE_EPOCH" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
    assert run("check", "--config", str(site / "site.yml")) == 2


def test_source_date_epoch_in_range_is_used(site: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796428800")  # 2026-12-05
    assert build_into(site, tmp_path / "out") == 0


def test_out_refuses_a_folder_inside_git(site: Path, capsys) -> None:
    (site / ".git/refs/tags").mkdir(parents=True)
    assert build_into(site, site / ".git/refs/tags") == 2
    assert not any((site / ".git/refs/tags").iterdir())


def test_an_output_whose_marker_was_deleted_is_no_longer_replaced(site: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert build_into(site, out) == 0
    (out / ".cocreate").unlink()
    before = read_tree(out)
    assert build_into(site, out) == 2
    assert "has no .cocreate file" in capsys.readouterr().err
    assert read_tree(out) == before
