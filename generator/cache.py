"""The build cache: plain data in SQLite, in the user's cache folder, that no one else can plant.

Where: `--cache-dir`, else `$COCREATE_CACHE_DIR`, else `$XDG_CACHE_HOME/cocreate` (by
default `~/.cache/cocreate`), as Hugo keeps its own; one folder per site and config file.
Never beside site.yml: a `.cocreate-cache/` committed in a pull request is never read.

What it holds is *claims*, never code: for each output file, the fingerprint of what it
was made from and the digest of its bytes; the digest of every input of the last build
(so a build with nothing changed does nothing); the messages of that build. Reading it
cannot run code (SQLite, opened read-only and immutable, no pickle anywhere), and
nothing it holds reaches the output without being checked again: an output file is
reused only if the file in the output folder still has the recorded digest, and a
rendered Markdown body taken from it is sanitised again like fresh content.

Trust: a folder that is a symlink, is not owned by the current user, or can be written
by others is not used (one warning; the build runs without a cache). Nothing inside it
is followed through a link: the database is replaced whole by a rename, never written
through a path that could be a planted link.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from .errors import Diagnostic, SourceLocation
from .fingerprint import digest
from .markup import Converted, Problem

SCHEMA = 4  # bump when the stored records change meaning

@dataclass(frozen=True)
class OutputRecord:
    """How one output file was made and what it was: enough to reuse it untouched."""

    fingerprint: str  # of its template and context ("" for a file copied as it is)
    reads: str  # JSON list of [global, key, digest of the value] it looked up (decoded only when needed)
    digest: str  # of its bytes
    size: int
    stamp: tuple[int, int] = (0, 0)  # (ctime_ns, inode) of the file as the build left it: no one can set a ctime back

    @classmethod
    def of_file(cls, data: bytes) -> "OutputRecord":
        """Describe a file copied as it is: its bytes are all it is made from."""
        return cls("", "[]", digest(data), len(data))


@dataclass
class State:
    """What the last successful build left: claims to check, never content to trust."""

    inputs: str = ""  # digest of every input's bytes, the code, the config and the output folder
    window: tuple[str, str] = ("", "")  # the site reads the same for any build date in [start, end)
    diagnostics: tuple[Diagnostic, ...] = ()  # printed again when nothing changed
    outputs: dict[str, OutputRecord] = field(default_factory=dict)  # output path -> record
    indexed: bool = False  # the output's search index was made from its current pages
    out: str = ""  # the output folder the records describe
    pages: int = 0  # how many pages that build made (for the summary line)
    awaiting: int | None = None  # stories awaiting moderation (None: no unpublished story at all)


class Untrusted(Exception):
    """The cache folder may not be used; the message says why, for one warning."""


def root_folder(explicit: Path | None = None) -> Path:
    """Where all caches live: --cache-dir, $COCREATE_CACHE_DIR, or $XDG_CACHE_HOME/cocreate."""
    if explicit is not None:
        return explicit.absolute()
    if os.environ.get("COCREATE_CACHE_DIR"):
        return Path(os.environ["COCREATE_CACHE_DIR"]).absolute()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "cocreate"


def site_folder(root: Path, config_path: Path, profile: str) -> Path:
    """Name one site's cache by its config file's real path and the kind of build."""
    name = hashlib.blake2b(f"{config_path.resolve()}\0{profile}".encode(), digest_size=10).hexdigest()
    return root / name


def _check_owned(path: Path, what: str, sticky_ok: bool = False) -> None:
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        raise Untrusted(f"{what} {path} is a symbolic link")
    if not stat.S_ISDIR(info.st_mode):
        raise Untrusted(f"{what} {path} is not a folder")
    if info.st_uid != os.getuid():
        raise Untrusted(f"{what} {path} belongs to another user")
    if info.st_mode & 0o022 and not (sticky_ok and info.st_mode & stat.S_ISVTX):
        raise Untrusted(f"{what} {path} can be written by other users")


def prepare(folder: Path) -> Path:
    """Create (0700) or check a site's cache folder; raise Untrusted when it may not be used.

    The root above it may be shared (a sticky /tmp, say) or a link the user made, but
    others must not be able to replace what is in it: then only the site's own folder,
    which cocreate creates, decides.
    """
    root = folder.parent
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    info = os.stat(root)
    if info.st_uid not in (os.getuid(), 0):
        raise Untrusted(f"the cache folder {root} belongs to another user")
    if info.st_mode & 0o022 and not info.st_mode & stat.S_ISVTX:
        raise Untrusted(f"the cache folder {root} can be written by other users")
    try:
        os.mkdir(folder, 0o700)
    except FileExistsError:
        pass
    _check_owned(folder, "the cache folder")
    for entry in os.scandir(folder):
        if entry.is_symlink() or not (entry.is_file(follow_symlinks=False) or entry.is_dir(follow_symlinks=False)):
            raise Untrusted(f"the cache folder {folder} holds {entry.name}, which is not a plain file")
        # what a killed save or an older cocreate left: a new save makes a whole file anyway
        if entry.is_file(follow_symlinks=False) and entry.name.endswith(".sqlite") and entry.name != _database(folder).name:
            os.unlink(entry.path)
    return folder


def committed(folder: Path, site_dir: Path) -> bool:
    """Tell whether a cache folder inside the site's repository holds files committed to it.

    A cache folder inside the checkout (GitLab caches only such folders) could otherwise
    come with a pull request. Without git to ask, anything inside the repository counts.
    """
    real, site = folder.resolve(), site_dir.resolve()
    top = next((p for p in (site, *site.parents) if (p / ".git").exists()), None)
    if top is None or not real.is_relative_to(top):  # no repository, or the cache is outside it
        return False
    try:
        listed = subprocess.run(
            ["git", "-C", str(site), "ls-files", "--", str(real)], capture_output=True, text=True, timeout=30, check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return True
    return bool(listed.strip())


def _database(folder: Path) -> Path:
    return folder / f"cache-{SCHEMA}.sqlite"


def read(folder: Path, key: str) -> tuple[State, "Stored"]:
    """Read the last build's state and the stored bodies; anything unusable reads as empty."""
    path = _database(folder)
    try:
        info = os.lstat(path)
    except OSError:
        return State(), Stored(None)
    if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid():
        return State(), Stored(None)
    try:
        # immutable: no lock or journal file is created or followed beside it
        db = sqlite3.connect(f"file:{quote(str(path))}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        meta = dict(db.execute("SELECT name, value FROM meta"))
        if meta.get("key") != key:
            db.close()
            return State(), Stored(None)
        outputs = {}
        rows = db.execute("SELECT path, fingerprint, reads, digest, size, mtime, inode FROM outputs")
        for path_, fp, reads, dg, size, mtime, inode in rows:
            outputs[str(path_)] = OutputRecord(str(fp), str(reads), str(dg), int(size), (int(mtime), int(inode)))
        start, end = json.loads(meta.get("window", '["", ""]'))
        state = State(
            inputs=str(meta.get("inputs", "")),
            window=(str(start), str(end)),
            diagnostics=tuple(
                Diagnostic(SourceLocation(str(p), int(line)), str(message), severity)
                for p, line, message, severity in json.loads(meta.get("diagnostics", "[]"))
                if severity in ("error", "warning", "notice")
            ),
            outputs=outputs,
            indexed=meta.get("indexed") == "1",
            out=str(meta.get("out", "")),
            pages=int(meta.get("pages", "0")),
            awaiting=_whole_or_none(json.loads(meta.get("awaiting", "null"))),
        )
        return state, Stored(db)
    except (sqlite3.Error, ValueError, TypeError, KeyError):  # a damaged or foreign file is a cache miss
        return State(), Stored(None)


def _whole_or_none(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise ValueError("not a count")


class Stored:
    """Values stored by a digest of everything they are made from (converted bodies); read lazily."""

    def __init__(self, db: sqlite3.Connection | None):
        self._db = db
        self.readable = db is not None  # the database read at the start can be copied from
        self.fresh: dict[str, str] = {}  # rendered by this build, to store
        self.used: set[str] = set()  # keys read or rendered by this build, to keep

    def get(self, key: str) -> str | None:
        """The stored value for `key`, if any (a claim: the caller checks it)."""
        self.used.add(key)
        if key in self.fresh:
            return self.fresh[key]
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT value FROM bodies WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        return str(row[0]) if row else None

    def put(self, key: str, value: str) -> None:
        """Remember a value rendered by this build."""
        self.used.add(key)
        self.fresh[key] = value

    def close(self) -> None:
        """Close the database read by this build."""
        if self._db is not None:
            self._db.close()
            self._db = None


class BodyMemo:
    """Converted bodies kept between builds, as JSON in the cache (bodies.Memo).

    A stored conversion is a claim like any other: it is used only for the very text,
    trust and limits its key digests, and its HTML passes the sanitiser again on its
    way into a page (theme.py), like a fresh one.
    """

    def __init__(self, stored: Stored):
        self.stored = stored
        self.memory: dict[str, Converted] = {}

    def get(self, key: str) -> Converted | None:
        """Return the conversion stored under `key`, or None (also for anything malformed)."""
        if key in self.memory:
            self.stored.used.add(key)
            return self.memory[key]
        raw = self.stored.get(key)
        if raw is None:
            return None
        try:
            html, links, problems = json.loads(raw)
            found = Converted(
                str(html),
                tuple((int(line), str(target), str(kind)) for line, target, kind in links),
                tuple(Problem(int(line), str(message), bool(error)) for line, message, error in problems),
            )
        except (ValueError, TypeError):
            return None
        self.memory[key] = found
        return found

    def put(self, key: str, converted: Converted) -> None:
        """Keep a conversion for this build and the next."""
        self.memory[key] = converted
        self.stored.put(key, json.dumps([converted.html, converted.links, converted.problems], ensure_ascii=False))


def write(folder: Path, key: str, state: State, bodies: Stored) -> None:
    """Write a new database beside the old one and rename it into place; failures cost only time."""
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".cache-", suffix=".sqlite")
    os.close(fd)
    try:
        db = sqlite3.connect(f"file:{quote(tmp)}", uri=True)  # uri: ATTACH below opens the old one read-only
        db.execute("PRAGMA journal_mode=OFF")  # the rename makes it atomic
        db.executescript(
            "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT);"
            "CREATE TABLE outputs (path TEXT PRIMARY KEY, fingerprint TEXT, reads TEXT, digest TEXT, size INTEGER,"
            " mtime INTEGER, inode INTEGER);"
            "CREATE TABLE bodies (key TEXT PRIMARY KEY, value TEXT);"
        )
        diagnostics = [(d.location.path, d.location.line, d.message, d.severity) for d in state.diagnostics]
        db.executemany("INSERT INTO meta VALUES (?, ?)", [
            ("key", key), ("inputs", state.inputs), ("window", json.dumps(list(state.window))),
            ("diagnostics", json.dumps(diagnostics)), ("indexed", "1" if state.indexed else "0"), ("out", state.out), ("pages", str(state.pages)), ("awaiting", json.dumps(state.awaiting)),
        ])
        db.executemany("INSERT INTO outputs VALUES (?, ?, ?, ?, ?, ?, ?)", [
            (p, r.fingerprint, r.reads, r.digest, r.size, *r.stamp) for p, r in state.outputs.items()
        ])
        # Bodies this build used: fresh ones from memory, the rest copied inside SQLite
        # from the database read at the start (the same file, still unreplaced).
        db.executemany("INSERT INTO bodies VALUES (?, ?)", sorted(bodies.fresh.items()))
        old = _database(folder)
        if bodies.readable and (bodies.used - set(bodies.fresh)):
            db.execute("CREATE TEMP TABLE used (key TEXT PRIMARY KEY)")
            db.executemany("INSERT OR IGNORE INTO used VALUES (?)", ((k,) for k in bodies.used - set(bodies.fresh)))
            db.commit()
            db.execute("ATTACH DATABASE ? AS old", (f"file:{quote(str(old))}?mode=ro&immutable=1",))
            db.execute("INSERT OR IGNORE INTO bodies SELECT b.key, b.value FROM old.bodies b JOIN used u ON b.key = u.key")
        db.commit()
        db.close()
        bodies.close()
        os.replace(tmp, old)
    except (OSError, sqlite3.Error):
        Path(tmp).unlink(missing_ok=True)
