"""Problems in content as values: where they are, what is wrong, how to fix it.

Nothing here raises at an editor. Every stage appends to a `Diagnostics` and the
command line prints them all at once as `path:line: message`.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable, Literal

# A notice tells an editor something they may want to know (a release waiting for its
# date) that is not a mistake: it is printed, but never fails a build, even `--strict`.
Severity = Literal["error", "warning", "notice"]


@dataclass(frozen=True, order=True)
class SourceLocation:
    """A file (relative to the site folder, with `/`) and a 1-based line."""

    path: str
    line: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem an editor can fix."""

    location: SourceLocation
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        return f"{self.location}: {prefix}{one_line(self.message)}"

    def github(self) -> str:
        """Format as a GitHub Actions workflow command (an annotation on the file)."""
        text = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        path = self.location.path.replace(",", "%2C").replace(":", "%3A")
        return f"::{self.severity} file={path},line={self.location.line}::{text}"


def one_line(text: str) -> str:
    """Show line breaks and control characters quoted from content as escapes (\\n, \\x08).

    A message is one line: a value with a line break in it must not start what looks
    like another message, or hide part of the one it is in.
    """
    return "".join(repr(c)[1:-1] if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text)


@dataclass
class Diagnostics:
    """Collects problems from every stage; never raises them one by one."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, location: SourceLocation, message: str) -> None:
        """Record an error: the build will fail, after every other problem is found too."""
        self.items.append(Diagnostic(location, message, "error"))

    def warning(self, location: SourceLocation, message: str) -> None:
        """Record a warning: reported, fails only a `--strict` build."""
        self.items.append(Diagnostic(location, message, "warning"))

    def notice(self, location: SourceLocation, message: str) -> None:
        """Record a notice: printed for the editor, never fails a build (not even `--strict`)."""
        self.items.append(Diagnostic(location, message, "notice"))

    def extend(self, other: Iterable[Diagnostic]) -> None:
        """Add problems found elsewhere (e.g. by a worker process)."""
        self.items.extend(other)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    @property
    def notices(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "notice"]

    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self.items)

    def sorted(self) -> list[Diagnostic]:
        """Return the problems in file and line order, each once."""
        return sorted(set(self.items), key=lambda d: (d.location.path, d.location.line, d.message))


def did_you_mean(word: str, candidates: Iterable[str], shown: int = 6, list_known: bool = True) -> str:
    """Return a hint naming the nearest candidate, or (if `list_known`) the known ones when none is near."""
    pool = sorted(set(candidates))
    close = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if close:
        return f" (did you mean '{close[0]}'?)"
    if not pool or not list_known:
        return ""
    listed = ", ".join(pool[:shown]) + (", …" if len(pool) > shown else "")
    return f" (known: {listed})"


def nearest_keys(word: str, keys: Iterable[str]) -> str:
    """Return a hint naming the known keys nearest to a mistyped one, or every known key when none is near.

    The list is never cut short: an editor looking for `timezone` must find it in the message.
    """
    pool = sorted(set(keys))
    close = difflib.get_close_matches(word, pool, n=3, cutoff=0.6)
    if close:
        named = [f"'{k}'" for k in close]
        return f" (did you mean {' or '.join(named) if len(named) < 3 else ', '.join(named[:-1]) + ' or ' + named[-1]}?)"
    return f" (known: {', '.join(pool)})" if pool else ""


def one_edit_apart(a: str, b: str) -> bool:
    """Tell whether two words differ by one insertion, deletion, substitution or swap of neighbours."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        swapped = len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
        return len(diff) == 1 or swapped
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))
