"""Shared fixtures: build a site folder into a temporary output and read what came out."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator.cli import main

TESTS = Path(__file__).parent
ROOT = TESTS.parent


@pytest.fixture(autouse=True, scope="session")
def cache_outside_the_repository(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Builds of the sample sites keep their cache in a temporary folder, not in tests/."""
    os.environ["COCREATE_CACHE_DIR"] = str(tmp_path_factory.mktemp("cocreate-cache"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/ from the current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def run(*argv: str) -> int:
    """Run the cocreate command line in-process and return its exit code."""
    return main(list(argv))


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    """A writable copy of the repository's demo site (site.yml + content/)."""
    site = tmp_path / "demo"
    site.mkdir()
    shutil.copy(ROOT / "site.yml", site / "site.yml")
    shutil.copytree(ROOT / "content", site / "content")
    return site


def read_tree(folder: Path) -> dict[str, bytes]:
    """Map every file below `folder` (posix relative path) to its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
