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


def test_content_and_templates_linked_from_inside_the_site_are_inputs_too(site: Path, tmp_path: Path) -> None:
    (site / "content/stories").rename(site / "stories-src")
    (site / "content/stories").symlink_to("../stories-src")
    shipped = TESTS.parent / "themes/default/templates/404.html"
    (site / "tpl").mkdir()
    (site / "tpl/404.html").write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
    (site / "themes/default").mkdir(parents=True)
    (site / "themes/default/templates").symlink_to("../../tpl")
    out, cache_dir = tmp_path / "out", tmp_path / "cache"
    cached_build(site, out, cache_dir)
    story = site / "stories-src/first-light.md"
    story.write_text(story.read_text(encoding="utf-8").replace("at dawn", "at dusk"), encoding="utf-8")
    page = site / "tpl/404.html"
    page.write_text(page.read_text(encoding="utf-8").replace("{% block content %}", "{% block content %}<p>Edited.</p>"), encoding="utf-8")
    built = cached_build(site, out, cache_dir)
    assert b"at dusk" in built["stories/first-light/index.html"] and b"Edited." in built["404.html"]
    assert built == read_tree(build_clean(site, tmp_path / "clean-after"))


def build_clean(site: Path, out: Path) -> Path:
    assert build(site / "site.yml", out, use_cache=False, search_index=False).written
    return out


def test_a_cache_committed_to_the_sites_repository_is_not_used(site: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    import subprocess

    monkeypatch.delenv("COCREATE_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(site / ".cache"))  # as GitLab's example does
    git = ["git", "-C", str(site), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    assert run("build", "--config", str(site / "site.yml"), "--out", str(tmp_path / "out"), "--no-search") == 0
    assert "without a cache" not in capsys.readouterr().err  # in the checkout but not committed: used
    assert any((site / ".cache/cocreate").rglob("*.sqlite"))
    subprocess.run([*git, "add", "-A", "-f"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "a pull request that brings a cache"], check=True)
    capsys.readouterr()
    assert run("build", "--config", str(site / "site.yml"), "--out", str(tmp_path / "out"), "--no-search") == 0
    assert "committed to the site's repository" in capsys.readouterr().err


def test_a_cache_save_killed_midway_leaves_nothing_behind(site: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    cached_build(site, tmp_path / "out", cache_dir)
    folder = cachemod.site_folder(cache_dir, site / "site.yml", "build")
    (folder / ".cache-k1ll3d.sqlite").write_bytes(b"half a database")
    (folder / "cache-1.sqlite").write_bytes(b"an older cocreate's")
    cached_build(site, tmp_path / "out", cache_dir)
    assert sorted(p.name for p in folder.iterdir()) == [database(cache_dir, site).name]


def test_an_empty_stray_folder_and_an_edit_with_its_time_put_back_are_repaired(site: Path, tmp_path: Path, clean) -> None:
    out, cache_dir = tmp_path / "out", tmp_path / "cache"
    cached_build(site, out, cache_dir)
    (out / "stray/empty").mkdir(parents=True)
    page = out / "index.html"
    before = os.stat(page)
    data = page.read_bytes()
    with page.open("r+b") as fh:
        fh.write(b"X" * 15)  # the same size, in place
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert data != page.read_bytes() and os.stat(page).st_mtime_ns == before.st_mtime_ns
    assert cached_build(site, out, cache_dir) == clean
    assert not (out / "stray").exists()
