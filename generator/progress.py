"""A standing -> the way up: the next level, the points still needed, and how far along the way."""

from __future__ import annotations

from dataclasses import dataclass

from .config import Level
from .recognition import Standing


@dataclass(frozen=True)
class Progress:
    """Where a person stands between their level and the next one."""

    level: Level
    next: Level | None  # None at the top level
    to_next: int  # points still needed for the next level (0 at the top)
    percent: int  # how much of the way from this level to the next is done, 0 to 100


def progress(st: Standing, levels: tuple[Level, ...]) -> Progress:
    """Say how far a person is from the next level above the one they hold."""
    above = [lvl for lvl in levels if lvl.min_points > st.level.min_points]
    if not above:
        return Progress(st.level, None, 0, 100)
    nxt = above[0]
    # Points only add up and the level is the highest reached, so points >= level.min_points.
    span = nxt.min_points - st.level.min_points
    done = min(max(st.points - st.level.min_points, 0), span)
    return Progress(st.level, nxt, max(nxt.min_points - st.points, 0), done * 100 // span)
