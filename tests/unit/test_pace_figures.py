"""Response-time figures: the median and the inclusive 90th percentile, on the edge cases a small site meets."""

from __future__ import annotations

from datetime import date

import pytest

from generator.pace import Figure, figure, next_month


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ([], Figure(0, None, None)),  # shown as "–", never as 0 days
        ([5], Figure(1, 5.0, 5.0)),  # one suggestion: its own figure, not an error
        ([1, 2, 3, 4], Figure(4, 2.5, 3.7)),  # 90% of the way from 1 to 4 is 3.7
        ([4, 0, 10, 2, 3], Figure(5, 3.0, 7.6)),  # order does not matter
    ],
)
def test_figure(days: list[int], expected: Figure) -> None:
    assert figure(days) == expected


def test_a_month_ends_on_the_first_of_the_next_even_in_december() -> None:
    assert next_month(date(2026, 12, 15)) == date(2027, 1, 1)
    assert next_month(date(2026, 1, 31)) == date(2026, 2, 1)
