"""What an editor meets on a Friday: a release scheduled ahead, invisible characters, an image beside a release."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run

FUTURE = "---\nversion: '3.0'\ndate: 2026-11-27\nsummary: Next Friday.\n---\nScheduled notes.\n"
THURSDAY = "1795651200"  # 2026-11-26, the day before the scheduled release


def write(folder: Path, files: dict[str, str | bytes]) -> Path:
    """Write a site's files (text or bytes) under `folder`; return its site.yml."""
    for rel, data in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return folder / "site.yml"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A small site without a single warning: one release out, nothing else."""
    write(tmp_path / "site", {
        "site.yml": "title: T\nurl: https://example.org/\n",
        "content/releases/2.0.md": "---\nversion: '2.0'\ndate: 2026-11-20\n---\nNotes.\n",
    })
    return tmp_path / "site"


def test_a_scheduled_release_is_named_in_a_notice_that_strict_ignores(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "content/releases/3.0.md").write_text(FUTURE, encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", THURSDAY)
    notice = "content/releases/3.0.md:3: notice: release 3.0 is dated 2026-11-27: it appears on the site with the first build on or after that day"
    config = str(site / "site.yml")

    assert run("check", "--config", config, "--strict") == 0
    assert notice in capsys.readouterr().err.splitlines()
    assert run("check", "--config", config, "--format", "github") == 0
    assert "::notice file=content/releases/3.0.md,line=3::release 3.0 is dated 2026-11-27" in capsys.readouterr().out
    assert run("build", "--config", config, "--out", str(tmp_path / "out"), "--strict", "--no-search") == 0
    assert notice in capsys.readouterr().err.splitlines()
    assert not (tmp_path / "out/releases/3.0").exists()

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795737600")  # 2026-11-27: due, nothing to say
    assert run("check", "--config", config, "--strict") == 0
    assert "notice" not in capsys.readouterr().err
