"""The only module that touches the output folder: stage a whole new tree, then swap it in.

Every build stages the complete new output in a folder beside it: files rendered by
this build are written there, files that did not change are hard-linked from the
current output. The staged tree then takes the output's place in one atomic exchange
(`renameat2(RENAME_EXCHANGE)` on Linux; two renames elsewhere), so a build that fails
or is killed leaves the old output or the new one, never a mix, and a file that
cocreate did not make cannot survive a build. Staging folders left by a killed build
are removed by the next one.

The output folder carries a marker file, `.cocreate`: a folder that has content but
no marker was not made by cocreate and is never replaced.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path, PurePosixPath
from typing import Callable

from .fingerprint import digest

MARKER = ".cocreate"
MARKER_TEXT = b"This folder is written by cocreate; each build replaces all of it.\n"
_LEFTOVERS = ("cocreate-", "tmp-", "stage-", "old-", "pagefind-")  # the last four: older versions


class OutputRefused(ValueError):
    """The output folder holds something cocreate must not replace."""


def check_out_dir(out_dir: Path, site_dir: Path) -> None:
    """Refuse an output folder that cocreate did not make or that holds what is not its own."""
    out, site = out_dir.resolve(), site_dir.resolve()
    if out == site:
        raise OutputRefused(f"--out {out_dir} is the site folder itself; choose e.g. {site_dir / '_site'}")
    if site.is_relative_to(out):
        raise OutputRefused(f"--out {out_dir} contains the site folder; the build would replace your content")
    if out.is_relative_to(site / "content") or out.is_relative_to(site / "themes"):
        raise OutputRefused(f"--out {out_dir} is inside content/ or themes/; choose a folder of its own")
    if out == Path.home().resolve():
        raise OutputRefused(f"--out {out_dir} is your home folder; choose an empty folder, e.g. {site_dir / '_site'}")
    if (out / ".git").exists() or ".git" in out.parts:
        raise OutputRefused(f"--out {out_dir} holds a git repository (.git); choose a folder of its own")
    if (out / "site.yml").exists() or (out / "content").exists():
        raise OutputRefused(f"--out {out_dir} holds a site.yml or content/ folder; it is a site, not an output folder")
    if out.is_dir() and not (out / MARKER).is_file() and any(out.iterdir()):
        raise OutputRefused(
            f"--out {out_dir} is not empty and was not made by cocreate (it has no {MARKER} file), "
            "so the build will not replace it; choose an empty or new folder (an output of a cocreate "
            "older than 0.2 has no marker either: delete that folder once)"
        )
    if out.exists() and not out.is_dir():
        raise OutputRefused(f"--out {out_dir} is a file, not a folder; choose a folder of its own, e.g. {site_dir / '_site'}")


def _safe(rel: str) -> PurePosixPath:
    path = PurePosixPath(rel)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"refusing to write {rel!r} outside the output folder")
    return path


class Transaction:
    """A new output tree staged beside `out_dir`: applied by `commit`, thrown away by `abort`.

    It holds a lock on the output's parent folder from start to end, so two builds into
    the same place never remove each other's staging folders.
    """

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir.resolve()  # a link to the output: work where it leads
        parent = self.out_dir.parent
        parent.mkdir(parents=True, exist_ok=True)
        self._lock = os.open(parent, os.O_RDONLY)
        fcntl.flock(self._lock, fcntl.LOCK_EX)
        remove_leftovers(parent, self.out_dir.name)
        self.folder = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}.cocreate-", dir=parent))
        os.chmod(self.folder, 0o755)  # mkdtemp makes it private; a web server must read it
        self._made: set[str] = {""}  # folders made in the staged tree so far (by this process)

    def put(self, rel: str, data: bytes) -> tuple[str, int]:
        """Stage one file (safe to call from a forked worker); return its digest and size."""
        target = self.folder.joinpath(*_safe(rel).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)  # it may be a link to the current output's file: never write through it
        target.write_bytes(data)
        return digest(data), len(data)

    def keep(self, rel: str) -> bool:
        """Stage the current output's file unchanged (a hard link); False if it is not there."""
        safe = _safe(rel).as_posix()
        source, target = os.path.join(self.out_dir, safe), os.path.join(self.folder, safe)
        try:
            if not stat.S_ISREG(os.lstat(source).st_mode):
                return False
            folder = os.path.dirname(safe)
            if folder not in self._made:
                os.makedirs(os.path.join(self.folder, folder), exist_ok=True)
                self._made.add(folder)
            try:
                os.link(source, target, follow_symlinks=False)
            except FileExistsError:
                os.unlink(target)
                os.link(source, target, follow_symlinks=False)
            except OSError:  # another file system, or links not allowed: copy
                shutil.copy2(source, target, follow_symlinks=False)
        except OSError:
            return False
        return True

    def commit(self, finish: Callable[[Path], None] | None = None) -> None:
        """Run `finish` on the complete staged tree, then put it in place of the output."""
        try:
            (self.folder / MARKER).write_bytes(MARKER_TEXT)
            if finish is not None:
                finish(self.folder)
            _exchange(self.folder, self.out_dir)
        finally:
            self.abort()

    def abort(self) -> None:
        """Throw the staged tree (or, after a commit, the old output) away and let go of the lock."""
        remove_tree(self.folder)
        if self._lock >= 0:
            os.close(self._lock)
            self._lock = -1


def remove_leftovers(parent: Path, name: str) -> None:
    """Delete staging folders a killed build left beside the output (ours only: no links)."""
    for entry in os.scandir(parent):
        if not entry.name.startswith(f".{name}.") or not entry.name[len(name) + 2:].startswith(_LEFTOVERS):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid():
            remove_tree(Path(entry.path))


def remove_tree(folder: Path) -> None:
    """Delete a folder and everything in it, never following a link (`rm -rf`: ten times
    quicker than shutil.rmtree on a site of thousands of folders)."""
    rm = shutil.which("rm")
    if rm is not None and not folder.is_symlink():
        subprocess.run([rm, "-rf", "--", str(folder)], check=False, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    shutil.rmtree(folder, ignore_errors=True)  # what rm could not do, or where there is no rm


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(new: Path, out: Path) -> None:
    """Swap `new` into `out` atomically where the system can; `new` then names the old tree."""
    if not out.exists():
        os.rename(new, out)
        os.mkdir(new)  # so the caller's cleanup finds what it expects
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        renameat2 = None
    if renameat2 is not None:
        result = renameat2(_AT_FDCWD, os.fsencode(new), _AT_FDCWD, os.fsencode(out), _RENAME_EXCHANGE)
        if result == 0:
            return
        if ctypes.get_errno() not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
            raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(out))
    # No atomic exchange here: two renames, with a moment between them without an output.
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.cocreate-old-", dir=out.parent))
    os.rmdir(old)
    os.rename(out, old)
    os.rename(new, out)
    os.rename(old, new)
