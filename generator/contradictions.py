"""Fields that each look right alone but contradict another part of the same file.

Each function returns an editor's message, or None when the file agrees with itself.
"""

from __future__ import annotations

import re

from .model import HistoryEntry

_LEADING_NUMBERS = re.compile(r"^[vV]?(\d+(?:\.\d+)*)")

# The way a suggestion goes; declined can follow any step, and nothing follows it
# without a history entry saying it was reopened.
_FLOW = ("received", "evaluating", "adopted", "shipped")


def version_vs_file_name(stem: str, version: str) -> str | None:
    """Explain how a release's version contradicts its file name, if it does.

    Release files are named after their version (`cocreate new release` writes
    `content/releases/<version>.md`), so a file name that starts with numbers must
    start with the version's numbers: `1.1.0.md` holds 1.1.0 (or 1.1.0-beta), never
    1.1.1. A copied file whose version was not bumped would otherwise hide the release
    it was copied from, or publish the wrong notes under the right number. A name
    after the numbers (`1.0-again.md`) and a file name without numbers are free.
    """
    named = _LEADING_NUMBERS.match(stem)
    if named is None:
        return None
    written = _LEADING_NUMBERS.match(version)
    if written is not None and written.group(1) == named.group(1):
        return None
    return (
        f"version: '{version}' does not match the file name {stem}.md; a release file is named after its version: "
        f"fix the version, or rename the file to {version}.md"
    )


def status_vs_history(status: str, history: tuple[HistoryEntry, ...]) -> str | None:
    """Explain how a suggestion's status contradicts the last entry of its history, if it does.

    The status may be the last entry's or a later step (the history need not record
    every step); an earlier step, or anything but declined after a declined entry,
    says two different things on one public page.
    """
    if not history:
        return None
    last = history[-1].status
    if status == last or status == "declined":
        return None
    if last != "declined" and last in _FLOW and status in _FLOW and _FLOW.index(status) > _FLOW.index(last):
        return None
    return (
        f"status: '{status}' contradicts the last history entry, which says '{last}'; "
        f"make them agree (add a history entry for '{status}', or fix the status)"
    )
