"""Find the content files of a site; the kind comes from the folder. No parsing here."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .errors import Diagnostics, SourceLocation, did_you_mean

KINDS = ("releases", "suggestions", "contributors", "stories")


@dataclass(frozen=True)
class SourceFile:
    """A content file: its kind, absolute path, and path relative to the site folder."""

    kind: str
    path: Path
    rel: str  # e.g. "content/releases/14.8.23.md", always with '/'

    @property
    def stem(self) -> str:
        """The document's name: the file name without `.md` (the folder for an index.md)."""
        if self.path.name == "index.md":
            return self.path.parent.name
        return self.path.stem


def inside(path: Path, folder: Path) -> bool:
    """Tell whether `path`, with every link followed, stays inside `folder`."""
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except (ValueError, OSError):
        return False


def discover(site_dir: Path, diagnostics: Diagnostics) -> list[SourceFile]:
    """List every Markdown file under content/<kind>/, in a stable order."""
    content = site_dir / "content"
    found: list[SourceFile] = []
    if content.is_dir() and not inside(content, site_dir):
        diagnostics.error(SourceLocation("content", 1), "is a link to a folder outside the site folder; copy its files in instead")
        return found
    if not content.is_dir():
        diagnostics.error(SourceLocation("content", 1), "no content/ folder beside site.yml; create content/releases/ to start")
        return found
    for entry in sorted(content.iterdir()):
        if entry.name.startswith(".") or not entry.is_dir():
            continue
        if entry.name not in KINDS:
            diagnostics.warning(
                SourceLocation(f"content/{entry.name}", 1),
                f"unknown content folder, ignored{did_you_mean(entry.name, KINDS)}",
            )
    for kind in KINDS:
        folder = content / kind
        if not folder.is_dir():
            continue
        if not inside(folder, site_dir):
            diagnostics.error(SourceLocation(f"content/{kind}", 1), "is a link to a folder outside the site folder; copy its files in instead")
            continue
        files: list[SourceFile] = []
        for entry in _walk(folder):
            path = Path(entry.path)
            rel = path.relative_to(site_dir).as_posix()
            if not all(ch.isprintable() or ch == " " for ch in rel):
                shown = "".join(ch if ch.isprintable() or ch == " " else repr(ch)[1:-1] for ch in rel)
                diagnostics.error(
                    SourceLocation(shown, 1),
                    "the file name holds a line break or another invisible character; rename the file "
                    "using letters, digits and '-'",
                )
                continue
            suffix = path.suffix.lower()
            if entry.is_symlink() and not inside(path, site_dir):
                if suffix == ".md":
                    diagnostics.error(SourceLocation(rel, 1), "is a link to a file outside the site folder; copy the file in instead")
                continue
            if entry.is_dir():
                continue  # a linked folder is not descended into
            # A pipe, socket or device is never opened: reading a FIFO waits forever for a writer.
            if not entry.is_file():
                diagnostics.error(SourceLocation(rel, 1), f"is {_what_is(path)}, not a file; cocreate never opens it: remove it from content/")
                continue
            if suffix != ".md":
                if suffix in (".markdown", ".txt", ".mdown"):
                    diagnostics.warning(SourceLocation(rel, 1), "ignored: content files must end in .md")
                continue
            files.append(SourceFile(kind, path, rel))
        found.extend(sorted(files, key=lambda f: f.rel))
    return found


def _walk(folder: Path) -> Iterator[os.DirEntry]:
    """Yield every entry under `folder` that is not a folder, skipping hidden ones and _drafts.

    scandir tells a file from a folder without a stat per file; linked folders are not
    descended into.
    """
    pending = [folder]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                if entry.name.startswith((".", "_")):
                    continue  # hidden files and folders, editor swap files, _drafts
                if entry.is_dir(follow_symlinks=False):
                    pending.append(Path(entry.path))
                else:
                    yield entry


def _what_is(path: Path) -> str:
    """Name the kind of a path that is not a regular file, for a message."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return "a link to a file that does not exist"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"
