"""A cache nobody can plant: each attack found on the old cache, planted, changes nothing.

Every test builds the sample site once clean (`--no-cache`) and then with a planted or
damaged cache or output folder; the output must be byte-identical to the clean build,
and nothing planted may run.
"""

from __future__ import annotations

import os
import pickle
import sqlite3
import stat
from pathlib import Path

import pytest

from conftest import TESTS, read_tree, run
from generator import cache as cachemod
from generator.build import build

SITE = TESTS / "sites/basic"


class Planted:
    """Runs a command when unpickled, as a crafted build-site.pickle did."""

    def __init__(self, proof: Path):
        self.proof = proof

    def __reduce__(self):
        return (os.system, (f"touch {self.proof}",))


@pytest.fixture
def site(tmp_path: Path) -> Path:
    import shutil

    folder = tmp_path / "site"
    shutil.copytree(SITE, folder)
    return folder


@pytest.fixture
def clean(site: Path, tmp_path: Path) -> dict[str, bytes]:
    report = build(site / "site.yml", tmp_path / "clean", use_cache=False, search_index=False)
    assert report.written
    return read_tree(tmp_path / "clean")


def cached_build(site: Path, out: Path, cache_dir: Path, capsys=None) -> dict[str, bytes]:
    report = build(site / "site.yml", out, cache_dir=cache_dir, search_index=False)
    assert report.written, report.diagnostics.sorted()[:3]
    return read_tree(out)


def database(cache_dir: Path, site: Path) -> Path:
    return cachemod.site_folder(cache_dir, site / "site.yml", "build") / f"cache-{cachemod.SCHEMA}.sqlite"


def test_a_committed_cache_folder_is_never_read(site: Path, tmp_path: Path, clean: dict[str, bytes]) -> None:
    proof = tmp_path / "pwned"
    planted = site / ".cocreate-cache"
    planted.mkdir()
    for name in ("build-site.pickle", "build-site.shortcut", "preview-site.pickle"):
        (planted / name).write_bytes(pickle.dumps(Planted(proof)))
    assert cached_build(site, tmp_path / "out", tmp_path / "cache") == clean
    assert not proof.exists()


def test_no_loader_that_can_run_code_in_generator() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in (TESTS.parent / "generator").rglob("*.py"))
    for word in ("import pickle", "import marshal", "import shelve", "eval(", "exec("):
        assert word not in source, word


def test_planted_rows_never_change_the_output(site: Path, tmp_path: Path, clean: dict[str, bytes]) -> None:
    out, cache_dir = tmp_path / "out", tmp_path / "cache"
    cached_build(site, out, cache_dir)
    db = sqlite3.connect(database(cache_dir, site))
    # A record for every output claims another file's bytes; a stored body holds a script.
    rows = db.execute("SELECT path, digest FROM outputs").fetchall()
    for (path, _), (_, other) in zip(rows, rows[1:] + rows[:1]):
        db.execute("UPDATE outputs SET digest = ?, mtime = 0 WHERE path = ?", (other, path))
    db.execute("INSERT OR REPLACE INTO bodies VALUES (?, ?)", ("any", "<script>alert(1)</script>"))
    db.execute("UPDATE bodies SET value = '<script>alert(document.cookie)</script>' || value")
    db.execute("UPDATE meta SET value = '' WHERE name = 'inputs'")
    db.commit()
    db.close()
    story = site / "content/stories/first-light.md"
    story.write_text(story.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    fresh = build(site / "site.yml", tmp_path / "clean2", use_cache=False, search_index=False)
    assert fresh.written
    assert cached_build(site, out, cache_dir) == read_tree(tmp_path / "clean2")
    assert b"<script>alert" not in b"".join(read_tree(out).values())


def test_a_damaged_database_is_a_cache_miss(site: Path, tmp_path: Path, clean: dict[str, bytes]) -> None:
    out, cache_dir = tmp_path / "out", tmp_path / "cache"
    cached_build(site, out, cache_dir)
    path = database(cache_dir, site)
    path.write_bytes(path.read_bytes()[:2000] + b"\x00garbage" * 100)
    (out / "index.html").write_text("edited by hand", encoding="utf-8")
    assert cached_build(site, out, cache_dir) == clean


@pytest.mark.parametrize("how", ["writable by others", "a link", "another user's"])
def test_a_cache_folder_others_could_plant_is_not_used(site: Path, tmp_path: Path, clean: dict[str, bytes], how: str, capsys) -> None:
    cache_dir = tmp_path / "shared"
    cache_dir.mkdir()
    folder = cachemod.site_folder(cache_dir, site / "site.yml", "build")
    if how == "writable by others":
        folder.mkdir()
        os.chmod(folder, 0o777)
    elif how == "a link":
        (tmp_path / "elsewhere").mkdir()
        folder.symlink_to(tmp_path / "elsewhere")
    else:
        if os.getuid() != 0:
            pytest.skip("only root can give a folder to another user")
        folder.mkdir(mode=0o700)
        os.chown(folder, 65534, 65534)
    assert run("build", "--config", str(site / "site.yml"), "--out", str(tmp_path / "out"), "--cache-dir", str(cache_dir), "--no-search") == 0
    err = capsys.readouterr().err
    assert err.count("building without a cache") == 1, err
    assert read_tree(tmp_path / "out") == clean
    assert not any((tmp_path / "elsewhere").iterdir()) if how == "a link" else True


def test_a_link_inside_the_cache_folder_is_never_written_through(site: Path, tmp_path: Path, clean: dict[str, bytes], capsys) -> None:
    cache_dir = tmp_path / "cache"
    folder = cachemod.prepare(cachemod.site_folder(cache_dir, site / "site.yml", "build"))
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    (folder / ".gitignore").symlink_to(victim)
    database(cache_dir, site).symlink_to(victim)
    assert run("build", "--config", str(site / "site.yml"), "--out", str(tmp_path / "out"), "--cache-dir", str(cache_dir), "--no-search") == 0
    assert read_tree(tmp_path / "out") == clean
    assert victim.read_text(encoding="utf-8") == "precious"
    assert "building without a cache" in capsys.readouterr().err


def test_a_stray_output_file_and_a_killed_builds_leftovers_are_removed(site: Path, tmp_path: Path, clean: dict[str, bytes]) -> None:
    out, cache_dir = tmp_path / "out", tmp_path / "cache"
    cached_build(site, out, cache_dir)
    (out / "planted.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    for leftover in (".out.cocreate-abc123", ".out.tmp-x", ".out.stage-y", ".out.pagefind-z"):
        (tmp_path / leftover / "sub").mkdir(parents=True)
        (tmp_path / leftover / "sub/big.bin").write_bytes(b"0" * 1000)
    assert cached_build(site, out, cache_dir) == clean
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "clean", "out", "site"]


def test_the_cache_folder_is_private(site: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    cached_build(site, tmp_path / "out", cache_dir)
    folder = cachemod.site_folder(cache_dir, site / "site.yml", "build")
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700  # it holds unpublished stories' digests and messages


def test_check_reuses_what_the_last_build_found(site: Path, tmp_path: Path, capsys) -> None:
    cache_dir = tmp_path / "cache"
    assert run("build", "--config", str(site / "site.yml"), "--out", str(tmp_path / "out"), "--cache-dir", str(cache_dir), "--no-search") == 0
    capsys.readouterr()
    assert run("check", "--config", str(site / "site.yml"), "--cache-dir", str(cache_dir)) == 0
    from_cache = capsys.readouterr()
    assert run("check", "--config", str(site / "site.yml"), "--no-cache") == 0
    fresh = capsys.readouterr()
    assert from_cache.err == fresh.err and "warning" in fresh.err
    assert from_cache.out.split(" in ")[0] == fresh.out.split(" in ")[0]
