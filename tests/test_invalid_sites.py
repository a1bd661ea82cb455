"""Invalid sample sites: every mistake an editor can make is reported as `path:line: message`.

Each folder under tests/sites/invalid/ is a minimal site with one or a few planted
problems and an `expected.txt` holding the exact diagnostic lines `cocreate check`
must print to stderr, in the order printed. An optional `exit_code.txt` overrides
the expected exit code (default 1: content errors).

For every case, `cocreate build` must fail the same way and create nothing.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from generator.cli import main

INVALID = Path(__file__).parent / "sites" / "invalid"
CASES = sorted(p for p in INVALID.iterdir() if p.is_dir() and (p / "site.yml").is_file())
DIAGNOSTIC = re.compile(r"^\S+:\d+: ")


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the command line; an exception is a failure an editor would see as a traceback."""
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse usage errors
        code = exc.code if isinstance(exc.code, int) else 2
    except Exception as exc:  # noqa: BLE001 - report it as what it is
        out, err = capsys.readouterr()
        pytest.fail(f"cocreate {argv[0]} raised {exc.__class__.__name__}: {exc}\nstdout:\n{out}\nstderr:\n{err}")
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def no_shell(monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    """Fail loudly if content ever makes the loader run a command (e.g. a !!python tag)."""
    calls: list[tuple] = []

    def refuse(*args: object, **kwargs: object) -> int:
        calls.append(args)
        raise AssertionError(f"content ran a shell command: {args!r}")

    monkeypatch.setattr(os, "system", refuse)
    monkeypatch.setattr(os, "popen", refuse)
    return calls


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_invalid_site(case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], no_shell: list[tuple]) -> None:
    if case.name == "suggestion-ids-differ-by-case" and (case / "SITE.YML").exists():
        pytest.skip("this file system ignores case, so S-1.md and s-1.md cannot both exist here")
    expected_lines = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    exit_file = case / "exit_code.txt"
    expected_code = int(exit_file.read_text().strip()) if exit_file.is_file() else 1
    config = str(case / "site.yml")

    code, out, err = _run(["check", "--config", config], capsys)
    printed = out + err
    assert "Traceback" not in printed, printed
    diagnostics = [line for line in err.splitlines() if DIAGNOSTIC.match(line)]
    assert diagnostics == expected_lines, f"stderr was:\n{err}"
    assert code == expected_code, f"exit code {code}, expected {expected_code}; stderr was:\n{err}"

    out_dir = tmp_path / "out"
    code, out, err = _run(["build", "--config", config, "--out", str(out_dir)], capsys)
    printed = out + err
    assert "Traceback" not in printed, printed
    assert code == expected_code, f"build exit code {code}, expected {expected_code}; stderr was:\n{err}"
    if expected_code == 0:  # warnings only: the site is still built
        assert (out_dir / "index.html").is_file()
    else:
        assert not out_dir.exists(), "a failed build created its output folder"
    assert not any(p.name.startswith(".out.") for p in tmp_path.iterdir()), "a failed build left a temporary folder"
    assert no_shell == []


# --- positive control: what looks odd in YAML but is right must be accepted ------------

POSITIVE = {
    "site.yml": "title: T\nurl: https://example.org/\n",
    # unquoted version (YAML would read the float 1.2) and unquoted date
    "content/releases/a.md": "---\nversion: 1.2\ndate: 2026-11-20\n---\nNotes.\n",
    # quoted version that a float would turn into 1.1, and a quoted date
    "content/releases/b.md": "---\nversion: '1.10'\ndate: '2026-11-27'\n---\nNotes.\n",
    # unquoted version with a trailing zero, and a full timestamp
    "content/releases/c.md": "---\nversion: 1.20\ndate: 2026-12-04T09:30:00+08:00\n---\nNotes.\n",
    # an unquoted shipped_in must match the quoted version '1.10', not 1.1
    "content/suggestions/S-1.md": (
        "---\ntitle: Dark mode\nproposed_by: [lin-xiao]\ndate: 2026-11-02\n"
        "status: shipped\nshipped_in: 1.10\n---\nDone.\n"
    ),
}


def test_quoted_and_unquoted_versions_and_dates_are_accepted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798761600")  # 2027-01-01: every release here is due
    site = tmp_path / "site"
    for rel, text in POSITIVE.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    config = str(site / "site.yml")

    code, out, err = _run(["check", "--config", config], capsys)
    assert [line for line in err.splitlines() if DIAGNOSTIC.match(line)] == [], err
    assert code == 0, err

    out_dir = tmp_path / "out"
    code, out, err = _run(["build", "--config", config, "--out", str(out_dir)], capsys)
    assert "Traceback" not in out + err
    assert code == 0, err
    for version in ("1.2", "1.10", "1.20"):
        assert (out_dir / "releases" / version / "index.html").is_file(), f"/releases/{version}/ was not built"
    assert not (out_dir / "releases" / "1.1").exists(), "'1.10' was read as the number 1.1"
    suggestion = (out_dir / "suggestions" / "S-1" / "index.html").read_text(encoding="utf-8")
    assert "releases/1.10/" in suggestion, "the shipped suggestion does not link to release 1.10"
