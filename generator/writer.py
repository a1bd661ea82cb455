"""The only module that touches the output folder. Nothing is applied until all succeeded.

A build stages what it writes in a folder beside the output. A first build (or one
without a usable cache) stages the whole site and swaps the folders; a rebuild stages
only the files whose bytes changed, then moves each into place and deletes the files
no longer made. Either way, a build that fails leaves the output exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable

from .fingerprint import digest


class OutputRefused(ValueError):
    """The output folder would overwrite the site's own files."""


def check_out_dir(out_dir: Path, site_dir: Path) -> None:
    """Refuse an output folder that is, contains, or lies above the site's sources."""
    out, site = out_dir.resolve(), site_dir.resolve()
    if out == site:
        raise OutputRefused(f"--out {out_dir} is the site folder itself; choose e.g. {site_dir / '_site'}")
    if site.is_relative_to(out):
        raise OutputRefused(f"--out {out_dir} contains the site folder; the build would replace your content")
    if (out / "site.yml").exists() or (out / "content").exists():
        raise OutputRefused(f"--out {out_dir} holds a site.yml or content/ folder; it is a site, not an output folder")
    if out.is_relative_to(site / "content") or out.is_relative_to(site / "themes"):
        raise OutputRefused(f"--out {out_dir} is inside content/ or themes/; choose a folder of its own")


def _safe(rel: str) -> PurePosixPath:
    path = PurePosixPath(rel)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"refusing to write {rel!r} outside the output folder")
    return path


class Transaction:
    """Files staged beside `out_dir`, applied by `commit`, thrown away by `abort`."""

    def __init__(self, out_dir: Path, incremental: bool):
        self.out_dir = out_dir
        self.incremental = incremental and out_dir.is_dir()
        parent = out_dir.resolve().parent
        parent.mkdir(parents=True, exist_ok=True)
        kind = "stage" if self.incremental else "tmp"
        self.folder = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.{kind}-", dir=parent))
        os.chmod(self.folder, 0o755)  # mkdtemp makes it private; a web server must read it

    def put(self, rel: str, data: bytes) -> tuple[str, int]:
        """Stage one file (safe to call from a forked worker); return its digest and size."""
        target = self.folder.joinpath(*_safe(rel).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        return digest(data), len(data)

    def commit(self, stale: Iterable[str] = (), finish: Callable[[Path], None] | None = None) -> None:
        """Apply the staged files; delete `stale` ones; run `finish` on the complete output.

        On a first build `finish` runs on the staged folder before the swap, so if it
        fails nothing changes. On a rebuild it runs on the output after the changes.
        """
        try:
            if not self.incremental:
                if finish is not None:
                    finish(self.folder)
                self._swap()
                return
            for path in sorted(self.folder.rglob("*")):
                if path.is_file():
                    target = self.out_dir / path.relative_to(self.folder)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(path, target)
            for rel in sorted(stale):
                target = self.out_dir.joinpath(*_safe(rel).parts)
                target.unlink(missing_ok=True)
                _prune(target.parent, self.out_dir)
            if finish is not None:
                finish(self.out_dir)
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def abort(self) -> None:
        """Throw the staged files away; the output stays as it was."""
        shutil.rmtree(self.folder, ignore_errors=True)

    def _swap(self) -> None:
        parent = self.folder.parent
        old = None
        if self.out_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}.old-", dir=parent))
            os.rmdir(old)
            os.rename(self.out_dir, old)
        os.rename(self.folder, self.out_dir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def _prune(folder: Path, root: Path) -> None:
    """Remove folders left empty by deleted files, up to (not including) `root`."""
    root = root.resolve()
    while folder.resolve() != root and folder.resolve().is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
