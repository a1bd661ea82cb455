"""Find the content files of a site; the kind comes from the folder. No parsing here."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

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
        # os.walk with scandir: no stat per file; linked folders are not descended into.
        for root, dirs, names in os.walk(folder):
            dirs[:] = [d for d in dirs if not d.startswith((".", "_"))]  # hidden, _drafts
            for name in names:
                if name.startswith((".", "_")):
                    continue  # hidden files, editor swap files
                path = Path(root, name)
                rel = path.relative_to(site_dir).as_posix()
                suffix = path.suffix.lower()
                if suffix != ".md":
                    if suffix in (".markdown", ".txt", ".mdown"):
                        diagnostics.warning(SourceLocation(rel, 1), "ignored: content files must end in .md")
                    continue
                if os.path.islink(path) and not inside(path, site_dir):
                    diagnostics.error(SourceLocation(rel, 1), "is a link to a file outside the site folder; copy the file in instead")
                    continue
                files.append(SourceFile(kind, path, rel))
        found.extend(sorted(files, key=lambda f: f.rel))
    return found
