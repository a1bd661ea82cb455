"""The only module that touches the output folder: write a temp folder beside it, then swap.

A build that fails at any point leaves the previous output exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath
from typing import Callable, Mapping


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


def write(files: Mapping[str, bytes], out_dir: Path, finish: Callable[[Path], None] | None = None) -> None:
    """Write every file into a temporary folder beside `out_dir`, then swap it in.

    `finish(folder)` runs on the complete temporary folder before the swap (e.g. a
    search indexer that reads the written pages); if it raises, nothing is swapped.
    """
    parent = out_dir.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=parent))
    try:
        os.chmod(tmp, 0o755)  # mkdtemp makes it private; a web server must read it
        for rel, data in files.items():
            target = tmp.joinpath(*_safe(rel).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        if finish is not None:
            finish(tmp)
        old = None
        if out_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=parent))
            os.rmdir(old)
            os.rename(out_dir, old)
        os.rename(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
