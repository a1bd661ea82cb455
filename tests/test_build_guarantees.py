"""What CI and editors rely on: exit codes, all errors at once, atomic and reproducible output."""

from __future__ import annotations

import os
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import generator
from conftest import ROOT, TESTS, read_tree, run

BASIC = TESTS / "sites" / "basic" / "site.yml"


def test_demo_site_checks_clean(capsys: pytest.CaptureFixture) -> None:
    assert run("check", "--config", str(ROOT / "site.yml")) == 0
    err = capsys.readouterr().err
    assert not [line for line in err.splitlines() if ": warning: " not in line], err


def test_three_planted_mistakes_are_all_reported_and_nothing_is_written(demo_copy: Path, capsys) -> None:
    def plant(rel: str, old: str, new: str) -> int:
        path = demo_copy / rel
        text = path.read_text(encoding="utf-8")
        found = re.search(f"^{re.escape(old)}", text, re.M) or re.search(re.escape(old), text)
        assert found, (rel, old)
        path.write_text(text[: found.start()] + new + text[found.end() :], encoding="utf-8")
        return text.count("\n", 0, found.start()) + 1

    status_line = plant("content/suggestions/S-1029.md", "status: evaluating", "status: evaluatin")
    shipped_text = (demo_copy / "content/suggestions/S-1001.md").read_text(encoding="utf-8")
    version = re.search(r"shipped_in: \"?([\w.]+)\"?", shipped_text).group(1)
    shipped_line = plant("content/suggestions/S-1001.md", version, "9.9.9")
    date_line = plant("content/releases/6.4.5.md", "date: 2026-11-20", "date: 2026-11-31")

    assert run("check", "--config", str(demo_copy / "site.yml")) == 1
    err = capsys.readouterr().err.splitlines()
    assert f"content/suggestions/S-1029.md:{status_line}: status: 'evaluatin' is not one of received, evaluating, adopted, shipped, declined (did you mean 'evaluating'?)" in err
    assert any(line.startswith(f"content/suggestions/S-1001.md:{shipped_line}: shipped_in: no release '9.9.9'") for line in err), err
    assert f"content/releases/6.4.5.md:{date_line}: date: '2026-11-31' is not a date in the calendar (November 2026 has 30 days); check the day and the month" in err
    # Exactly these three: the suggestions shipped in the broken release are not blamed too.
    assert len([line for line in err if ": warning: " not in line]) == 3, err
    out = demo_copy / "_site"
    assert run("build", "--config", str(demo_copy / "site.yml")) == 1
    assert not out.exists()


def test_exit_code_2_for_usage_errors(tmp_path: Path, capsys) -> None:
    assert run("check", "--config", str(tmp_path / "nowhere.yml")) == 2
    assert "no site.yml" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        run("build", "--no-such-flag")
    assert exc.value.code == 2


@pytest.mark.parametrize("where", ["site", "parent", "content", "other-site"])
def test_build_refuses_an_out_folder_that_would_overwrite_sources(demo_copy: Path, tmp_path: Path, where: str, capsys) -> None:
    other = tmp_path / "other"
    (other / "content").mkdir(parents=True)
    out = {"site": demo_copy, "parent": demo_copy.parent, "content": demo_copy / "content" / "x", "other-site": other}[where]
    before = read_tree(demo_copy)
    assert run("build", "--config", str(demo_copy / "site.yml"), "--out", str(out)) == 2
    assert "--out" in capsys.readouterr().err
    assert read_tree(demo_copy) == before


def test_failed_build_leaves_previous_output_untouched(demo_copy: Path) -> None:
    out = demo_copy.parent / "public"
    assert run("build", "--config", str(demo_copy / "site.yml"), "--out", str(out)) == 0
    before = read_tree(out)
    (demo_copy / "content/releases/6.4.5.md").write_text("---\nversion: [\n---\n", encoding="utf-8")
    assert run("build", "--config", str(demo_copy / "site.yml"), "--out", str(out)) == 1
    assert read_tree(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["demo", "public"], "no temp folder left behind"


def test_strict_build_fails_on_warnings(demo_copy: Path) -> None:
    # The demo has an approved story without consent: a warning.
    assert run("build", "--config", str(demo_copy / "site.yml"), "--strict") == 1
    assert not (demo_copy / "_site").exists()
    assert run("build", "--config", str(demo_copy / "site.yml")) == 0


def _build_in_subprocess(out: Path, tz: str) -> dict[str, bytes]:
    env = {**os.environ, "TZ": tz, "PYTHONHASHSEED": "random"}
    subprocess.run(
        [sys.executable, "-m", "generator", "build", "--config", str(ROOT / "site.yml"), "--out", str(out)],
        check=True, env=env, capture_output=True,
    )
    return read_tree(out)


def test_same_input_gives_byte_identical_output_in_any_time_zone(tmp_path: Path) -> None:
    first = _build_in_subprocess(tmp_path / "a", "America/Los_Angeles")
    second = _build_in_subprocess(tmp_path / "b", "Pacific/Kiritimati")
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_build_runs_in_the_site_folder_without_config_flag(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(BASIC.parent)
    out = tmp_path / "o"
    assert run("build", "--out", str(out)) == 0
    assert (out / "index.html").is_file()


def test_python_dash_m_generator_is_the_same_command() -> None:
    result = subprocess.run([sys.executable, "-m", "generator", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("cocreate ")


@pytest.mark.parametrize("module", sorted(m.name for m in pkgutil.iter_modules(generator.__path__) if m.name != "__main__"))
def test_every_module_imports_on_its_own(module: str) -> None:
    result = subprocess.run([sys.executable, "-c", f"import generator.{module}"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_a_crash_inside_cocreate_is_one_plain_line(monkeypatch, capsys) -> None:
    import generator.cli as cli

    def boom(*args, **kwargs):
        raise RuntimeError("something broke")

    monkeypatch.setattr(cli, "check", boom)
    monkeypatch.delenv("COCREATE_DEBUG", raising=False)
    assert run("check", "--config", str(BASIC)) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.startswith("cocreate: internal error (RuntimeError: something broke)")


def test_a_build_writes_nothing_outside_the_output_folder_and_the_users_cache(demo_copy: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("COCREATE_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    before = read_tree(demo_copy)
    out = tmp_path / "public"
    assert run("build", "--config", str(demo_copy / "site.yml"), "--out", str(out), "--no-cache") == 0
    assert read_tree(demo_copy) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["demo", "public"])
    # With the cache (the default), the only other thing written is the user's cache folder.
    assert run("build", "--config", str(demo_copy / "site.yml"), "--out", str(out)) == 0
    assert read_tree(demo_copy) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["demo", "public", "xdg"])
    assert [p.name for p in (tmp_path / "xdg").iterdir()] == ["cocreate"]


def test_progress_bar_only_on_a_terminal_outside_ci(monkeypatch, capsys) -> None:
    from generator.cli import Progress

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    with Progress() as progress:
        progress(150, 300)
    assert "rendering" in capsys.readouterr().err
    monkeypatch.setenv("CI", "true")
    with Progress() as progress:
        progress(150, 300)
    assert capsys.readouterr().err == ""
