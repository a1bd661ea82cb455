"""The build cache in `.cocreate-cache/` beside site.yml: safe to delete, never committed.

(Or under $COCREATE_CACHE_DIR; `cocreate build --no-cache` neither reads nor writes one.)

It remembers, from the last successful build: each content file's parse result, each
Markdown body's HTML (by content hash), each output's fingerprint and the global
lookups it made, and what was written where. Everything in it is keyed by `build_key`:
a change of cocreate's code, of site.yml or of any theme file discards all of it.

It is a pickle written by cocreate itself; a cache folder from anywhere else must not
be trusted (it is in .gitignore for that reason).
"""

from __future__ import annotations

import hashlib
from importlib import metadata
import os
import pickle
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .documents import RACY_NS, FileResult, stamp
from .fingerprint import digest

FOLDER = ".cocreate-cache"
FORMAT = 3


@dataclass(frozen=True)
class OutputRecord:
    """How one output file was made and what it was: enough to reuse it untouched."""

    fingerprint: str  # of its template and context
    reads: tuple[tuple[str, str, str], ...]  # (global, key, digest of the value) it looked up
    digest: str  # of its bytes
    size: int

    @classmethod
    def of_file(cls, data: bytes) -> "OutputRecord":
        """Describe a file copied as it is: its bytes are its fingerprint."""
        d = digest(data)
        return cls(d, (), d, len(data))


@dataclass
class BuildCache:
    folder: Path
    key: str
    parsed: dict[str, FileResult] = field(default_factory=dict)
    markdown: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, OutputRecord] = field(default_factory=dict)  # output path -> record
    out_dir: str = ""  # the output folder the records describe
    inputs: str = ""  # digest of every input's stamp, for the nothing-changed shortcut
    warnings: tuple = ()  # diagnostics of that build, printed again when nothing changed
    next_due: datetime | None = None  # a draft release falling due then changes the site
    indexed: bool = False  # the output's search index was made from its current pages
    profile: str = "build"  # "build", or "preview" for cocreate serve (drafts shown)


@dataclass(frozen=True)
class Shortcut:
    """What the nothing-changed check needs, in a small file of its own (read in a blink)."""

    key: str
    inputs: str
    out_dir: str
    next_due: datetime | None
    warnings: tuple
    sizes: dict[str, int]  # output path -> size, to see that the output is still whole
    indexed: bool  # the output's search index is as current as its pages


def load_shortcut(site_dir: Path, profile: str = "build") -> Shortcut | None:
    """Read the last build's shortcut record, if there is a usable one."""
    try:
        with (folder_for(site_dir) / f"{profile}.shortcut").open("rb") as fh:
            found = pickle.load(fh)
        return found if isinstance(found, Shortcut) else None
    except Exception:  # noqa: BLE001 - no usable record: take the long way
        return None


LIBRARIES = ("Markdown", "nh3", "Jinja2", "Babel", "feedgen", "PyYAML", "python-frontmatter", "pagefind")


def build_key(config_path: Path, theme_dirs: tuple[Path, ...]) -> str:
    """Digest cocreate's own code, the libraries that shape output, the config file and the theme."""
    h = hashlib.blake2b(digest_size=16)
    h.update(b"format %d" % FORMAT)
    package = Path(__file__).resolve().parent
    for path in sorted(package.glob("*.py")):
        h.update(path.name.encode() + path.read_bytes())
    for name in LIBRARIES:
        try:
            h.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=none".encode())
    h.update(config_path.name.encode() + config_path.read_bytes())
    for folder in theme_dirs:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                h.update(path.relative_to(folder).as_posix().encode() + path.read_bytes())
    return h.hexdigest()


def folder_for(site_dir: Path) -> Path:
    """Where a site's cache lives: beside site.yml, or under $COCREATE_CACHE_DIR when set."""
    root = os.environ.get("COCREATE_CACHE_DIR")
    if root:
        name = hashlib.blake2b(str(site_dir.resolve()).encode(), digest_size=8).hexdigest()
        return Path(root) / name
    return site_dir / FOLDER


def load(site_dir: Path, key: str, profile: str = "build") -> BuildCache:
    """Open the cache for this key; an old, broken or foreign cache is simply empty.

    The preview (drafts shown) keeps its own file, so it never spoils a build's cache.
    """
    folder = folder_for(site_dir)
    try:
        with (folder / f"{profile}.pickle").open("rb") as fh:
            cache = pickle.load(fh)
        if isinstance(cache, BuildCache) and cache.key == key:
            cache.folder = folder
            return cache
    except Exception:  # noqa: BLE001 - a cache that cannot be read is a cache miss, never an error
        pass
    return BuildCache(folder, key, profile=profile)


def save(cache: BuildCache) -> None:
    """Write the cache atomically; a failure to write it only costs the next build time."""
    try:
        cache.folder.mkdir(parents=True, exist_ok=True)
        (cache.folder / ".gitignore").write_text("*\n", encoding="utf-8")
        fd, tmp = tempfile.mkstemp(dir=cache.folder, prefix=".cache-")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(cache, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cache.folder / f"{cache.profile}.pickle")
        shortcut = Shortcut(
            cache.key, cache.inputs, cache.out_dir, cache.next_due, cache.warnings,
            {path: record.size for path, record in cache.outputs.items()}, cache.indexed,
        )
        fd, tmp = tempfile.mkstemp(dir=cache.folder, prefix=".shortcut-")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(shortcut, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cache.folder / f"{cache.profile}.shortcut")
    except OSError:
        pass


def inputs_digest(site_dir: Path, key: str, out_dir: Path) -> str:
    """Digest the stamps of every file under content/, with the cache key and output folder.

    Returns "" (never equal to a recorded digest) when a file changed within the last
    RACY_NS: it could change again within the same clock tick and keep its stamp.
    """
    h = hashlib.blake2b(digest_size=16)
    h.update(key.encode() + str(out_dir.resolve()).encode())
    now = time.time_ns()
    for root, dirs, files in os.walk(site_dir / "content"):
        dirs.sort()
        for name in sorted(files):
            path = Path(root, name)
            current = stamp(path)
            if current is not None and now - current[1] < RACY_NS:
                return ""
            h.update(f"{path}\0{current}\n".encode())
    return h.hexdigest()


def incremental_possible(store: BuildCache, out_dir: Path) -> bool:
    """Tell whether the cache describes this very output folder."""
    return bool(store.key) and store.out_dir == str(out_dir.resolve())


def outputs_intact(sizes: dict[str, int], out_dir: Path) -> bool:
    """Tell whether every file the last build wrote is still there, at its size."""
    try:
        return all(os.stat(out_dir / path).st_size == size for path, size in sizes.items())
    except OSError:
        return False
