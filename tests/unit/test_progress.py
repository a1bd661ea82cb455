"""progress(): the next level above the one held, the points still needed, and how far along."""

from __future__ import annotations

import pytest

from generator.config import DEFAULT_LEVELS, Level
from generator.progress import progress
from generator.recognition import Standing


def standing(points: int, level: Level) -> Standing:
    return Standing("ada", points, level, None, None, None)


@pytest.mark.parametrize(
    "points, held, next_name, to_next, percent",
    [
        (0, 0, "Silver", 15, 0),
        (14, 0, "Silver", 1, 93),
        (15, 1, "Gold", 25, 0),
        (48, 2, "Diamond", 32, 20),
        (80, 3, None, 0, 100),  # the top: nothing above
        (500, 3, None, 0, 100),
    ],
)
def test_points_to_the_next_level(points: int, held: int, next_name: str | None, to_next: int, percent: int) -> None:
    got = progress(standing(points, DEFAULT_LEVELS[held]), DEFAULT_LEVELS)
    assert (got.next.name if got.next else None, got.to_next, got.percent) == (next_name, to_next, percent)

