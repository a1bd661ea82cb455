"""cocreate ships the way Python tools ship: a wheel and an sdist that pass `twine check`, and a
wheel that, installed into a fresh virtual environment, starts and builds a site on its own."""

from __future__ import annotations

import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT


def _run(*argv: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in argv], capture_output=True, text=True, cwd=cwd, timeout=540)
    assert result.returncode == 0, f"{argv}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    _run(sys.executable, "-m", "build", "--outdir", out, ROOT)  # the sdist, then the wheel built from it
    return out


def test_wheel_and_sdist_pass_twine_check(dist: Path) -> None:
    files = sorted(dist.iterdir())
    assert sorted(p.suffix for p in files) == [".gz", ".whl"]
    assert "PASSED" in _run(sys.executable, "-m", "twine", "check", "--strict", *files).stdout


def test_the_wheel_carries_the_theme_and_the_starter(dist: Path) -> None:
    names = set(zipfile.ZipFile(next(dist.glob("*.whl"))).namelist())
    theme = {p.relative_to(ROOT).as_posix() for p in (ROOT / "themes").rglob("*") if p.is_file()}
    assert {f"generator/{p}" for p in theme} <= names
    starter = {p.relative_to(ROOT).as_posix() for p in (ROOT / "generator" / "starter").rglob("*") if p.is_file()}
    assert starter <= names and "generator/starter/publish.yml" in names


def test_the_sdist_carries_what_its_tests_read(dist: Path) -> None:
    with tarfile.open(next(dist.glob("*.tar.gz"))) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert {"examples/github-actions/publish.yml", "examples/gitlab-ci/.gitlab-ci.yml", "docs/reference.md", "themes/default/templates/base.html"} <= names


def test_installed_wheel_inits_and_builds_a_site(dist: Path, tmp_path: Path) -> None:
    env = tmp_path / "venv"
    venv.create(env, with_pip=True)
    _run(env / "bin" / "python", "-m", "pip", "install", "--quiet", next(dist.glob("*.whl")))
    cocreate = env / "bin" / "cocreate"
    assert _run(cocreate, "-V").stdout.strip() == "cocreate 0.1.0"
    _run(cocreate, "init", "x", cwd=tmp_path)
    built = _run(cocreate, "build", "--strict", "--config", "x/site.yml", cwd=tmp_path)
    assert " 0 warnings" in built.stdout
    assert (tmp_path / "x" / "_site" / "index.html").is_file()
    assert (tmp_path / "x" / "_site" / "pagefind").is_dir()  # search, from the installed pagefind


def test_the_license_travels_with_the_wheel_and_the_sdist(dist: Path) -> None:
    wheel = zipfile.ZipFile(next(dist.glob("*.whl")))
    assert wheel.read("cocreate-0.1.0.dist-info/licenses/LICENSE") == (ROOT / "LICENSE").read_bytes()
    metadata = wheel.read("cocreate-0.1.0.dist-info/METADATA").decode("utf-8")
    assert "License-Expression: MIT" in metadata and "License-File: LICENSE" in metadata
    with tarfile.open(next(dist.glob("*.tar.gz"))) as sdist:
        assert "cocreate-0.1.0/LICENSE" in sdist.getnames()
    assert "Copyright (c) 2026 The cocreate authors" in (ROOT / "LICENSE").read_text(encoding="utf-8")


def test_the_pypi_page_has_no_link_that_only_works_in_the_repository(dist: Path) -> None:
    """PyPI shows the long description with no files beside it: a relative image or link would be broken there."""
    metadata = zipfile.ZipFile(next(dist.glob("*.whl"))).read("cocreate-0.1.0.dist-info/METADATA").decode("utf-8")
    description = metadata.split("\n\n", 1)[1]
    assert "Description-Content-Type: text/markdown" in metadata
    assert "cocreate init my-site" in description and "## Writing content (for editors)" in description
    assert "](docs/" not in description and "<!-- screenshots -->" not in description
    assert "`docs/reference.md`" in description  # named, not linked
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "](docs/screenshots/home-phone.png)" in readme  # GitHub still shows the screenshots
