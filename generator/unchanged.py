"""Whether anything changed since the last build: the digests a build compares, and the output's state.

A build with nothing changed does nothing. "Nothing" is decided by the bytes of every
input (never by time stamps), cocreate's code and libraries, the build date's window
between two moments the site changes by itself, and an output folder exactly as the
last build left it.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from .cache import SCHEMA, OutputRecord
from .fonts import FALLBACK_FONTS, KNOWN_FONTS

LIBRARIES = ("coloraide", "markdown-it-py", "mdit-py-plugins", "linkify-it-py", "nh3", "Jinja2", "MarkupSafe", "Babel", "feedgen",
             "lxml", "PyYAML", "python-frontmatter", "pagefind", "pagefind-bin-extended", "anyascii", "tzdata")


def files_below(folder: Path) -> list[Path]:
    """List every file below `folder` in a stable order, through linked folders (each real folder once).

    Content and themes may be linked in from elsewhere in the site (discover and the
    theme loader read through such links), so what they hold counts as input too.
    """
    found: list[Path] = []
    seen: set[str] = set()
    for root, dirs, files in os.walk(folder, followlinks=True):
        real = os.path.realpath(root)
        if real in seen:  # a link back up the tree
            dirs[:] = []
            continue
        seen.add(real)
        dirs.sort()
        found.extend(Path(root, name) for name in sorted(files))
    return found


def build_key(config_path: Path, theme_dirs: tuple[Path, ...], files: tuple[Path, ...] = ()) -> str:
    """Digest cocreate's own code, the libraries that shape output, the config file, the theme and the files it names."""
    h = hashlib.blake2b(digest_size=16)
    h.update(b"format %d" % SCHEMA)
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode() + path.read_bytes())
    for name in LIBRARIES:
        try:
            h.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=none".encode())
    h.update(f"python {sys.version}\n".encode())
    h.update(config_path.name.encode() + config_path.read_bytes())
    for folder in theme_dirs:
        for path in files_below(folder):
            if path.is_file():
                h.update(path.relative_to(folder).as_posix().encode() + path.read_bytes())
    for path in files:  # site.yml's appearance files (logo, favicon, CSS) live outside content/ and themes/
        if path.is_file():
            h.update(path.name.encode() + path.read_bytes())
    # The system fonts share cards may be drawn with, by size and time: an upgraded font
    # package is like an upgraded library (hashing 100 MB of fonts on every build is not).
    for name in (*KNOWN_FONTS, *FALLBACK_FONTS):
        for font in dict.fromkeys((name, name.replace("Regular", "Bold"))):  # ordered: the key is the same in every process
            try:
                st = os.stat(font)
            except OSError:
                continue
            h.update(f"{font} {st.st_size} {st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def inputs_digest(site_dir: Path, key: str) -> str:
    """Digest the bytes of every file under content/, with the build key.

    Bytes, not timestamps: a file restored with its old time, or changed twice within a
    clock tick, still counts as changed.
    """
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{key}\n".encode())
    for found in files_below(site_dir / "content"):
        path = str(found)
        h.update(f"{path}\0".encode("utf-8", "surrogateescape"))
        try:
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode):  # where it leads, and what is there
                h.update(os.readlink(path).encode("utf-8", "surrogateescape") + b"\0")
                info = os.stat(path)
            if stat.S_ISREG(info.st_mode):
                with open(path, "rb") as fh:
                    h.update(hashlib.blake2b(fh.read(), digest_size=16).digest())
            else:
                h.update(b"special %o" % info.st_mode)
        except OSError:
            h.update(b"unreadable")
    return h.hexdigest()


def moment(value: datetime | None) -> str:
    """Write a window's end as text ("" for no end)."""
    return value.astimezone(timezone.utc).isoformat() if value is not None else ""


def in_window(window: tuple[str, str], now: datetime) -> bool:
    """Tell whether `now` lies in a recorded window [start, end) ("" is open)."""
    try:
        start, end = (datetime.fromisoformat(w) if w else None for w in window)
    except ValueError:
        return False
    return (start is None or start <= now) and (end is None or now < end)


def output_intact(out_dir: Path, outputs: dict[str, OutputRecord], marker: str) -> bool:
    """Tell whether the output holds exactly the recorded files, each as the build left it."""
    count = 0
    base = os.path.normpath(out_dir)
    folders = {""}  # every folder a recorded file is in, relative to the output
    for path in outputs:
        end = path.rfind("/")
        while end > 0 and path[:end] not in folders:
            folders.add(path[:end])
            end = path.rfind("/", 0, end)
    try:
        for root, dirs, files in os.walk(base):
            prefix = root[len(base) + 1:].replace(os.sep, "/")
            if prefix not in folders or any(os.path.islink(os.path.join(root, d)) for d in dirs):
                return False
            for name in files:
                path = os.path.join(root, name)
                rel = f"{prefix}/{name}" if prefix else name
                if rel == marker:
                    continue
                record = outputs.get(rel)
                info = os.lstat(path)
                if record is None or info.st_size != record.size or (info.st_ctime_ns, info.st_ino) != record.stamp:
                    return False
                count += 1
    except OSError:
        return False
    return count == len(outputs)
