"""`cocreate init`: a new site that builds at once, from the starter files shipped in the package.

The starter lives in `generator/starter/<language>/` (package data, so it works from an
installed wheel). Its content is dated relative to the day it is made, so a new site
opens on a current week rather than on a frozen date; the clock is the caller's.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from string import Template
from typing import NamedTuple

STARTER = Path(__file__).resolve().parent / "starter"
LANGUAGES = ("en", "zh-CN")
# A folder that holds only these may still receive a new site: `git init` comes first for many.
IGNORED_IN_EMPTY = frozenset({".git"})
# Hidden names are stored without their dot, so no packaging tool mistakes them for its own.
RENAMED = {"gitignore": ".gitignore"}


class StarterFile(NamedTuple):
    """One file of a new site: its path relative to the site folder (with '/') and its bytes."""

    path: str
    data: bytes


class NotEmpty(ValueError):
    """The folder for the new site already holds files; nothing is written into it."""


def workflow_file() -> Path:
    """Find the GitHub Actions example: in the wheel beside the starter, or in the source checkout."""
    installed = STARTER / "publish.yml"
    return installed if installed.is_file() else Path(__file__).resolve().parent.parent / "examples" / "github-actions" / "publish.yml"


def sample_dates(today: date) -> dict[str, str]:
    """Date the sample content: the release on the last Friday before today, the suggestion weeks earlier."""
    released = today - timedelta(days=(today.weekday() - 4 - 1) % 7 + 1)  # strictly before today: never a draft
    return {
        "release_date": released.isoformat(),
        "adopted": (released - timedelta(days=14)).isoformat(),
        "received": (released - timedelta(days=21)).isoformat(),
        "joined": (released - timedelta(days=51)).isoformat(),
    }


def starter_files(language: str, today: date) -> list[StarterFile]:
    """List the files of a new site in `language` (en or zh-CN), sample content dated from `today`."""
    if language not in LANGUAGES:
        raise ValueError(f"no starter in '{language}'; choose one of {', '.join(LANGUAGES)}")
    dates = sample_dates(today)
    files = []
    for folder in (STARTER / language, STARTER / "common"):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            rel = path.relative_to(folder).as_posix()
            data = path.read_bytes()
            if rel.startswith("content/") and path.suffix == ".md":
                data = Template(data.decode("utf-8")).substitute(dates).encode("utf-8")
            files.append(StarterFile(RENAMED.get(rel, rel), data))
    files.append(StarterFile(".github/workflows/publish.yml", workflow_file().read_bytes()))
    return files


def create_site(folder: Path, files: list[StarterFile]) -> None:
    """Write a new site into `folder` (made if missing); refuse a folder that holds anything."""
    if folder.exists() and not folder.is_dir():
        raise NotEmpty(f"{folder} is a file, not a folder; give a new or empty folder")
    if folder.is_dir():
        present = sorted(p.name for p in folder.iterdir() if p.name not in IGNORED_IN_EMPTY)
        if present:
            shown = ", ".join(present[:5]) + (f" and {len(present) - 5} more" if len(present) > 5 else "")
            raise NotEmpty(f"{folder} is not empty ({shown}); give a new or empty folder, nothing was written")
    for file in files:
        target = folder.joinpath(*file.path.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(file.data)
