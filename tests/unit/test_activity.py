"""A profile's activity chart: from the first active month to the latest, gaps kept, at most a year."""

from datetime import datetime, timezone

import pytest

from generator.honor import _activity
from generator.recognition import Credit


def credits(*months: tuple[int, int]) -> tuple[Credit, ...]:
    return tuple(Credit("p", "story", datetime(y, m, 15, tzinfo=timezone.utc), 5, "/x/", "x") for y, m in months)


def chart(*months: tuple[int, int]) -> list[tuple[str, int]]:
    return [(f"{d.year}-{d.month:02d}", n) for d, n in _activity(credits(*months), lambda t: t.date()).months]


def test_starts_at_the_first_active_month_and_keeps_the_gaps() -> None:
    assert chart((2026, 8), (2026, 8), (2026, 11)) == [("2026-08", 2), ("2026-09", 0), ("2026-10", 0), ("2026-11", 1)]


def test_one_active_month_has_two_months_before_it_for_scale() -> None:
    assert chart((2026, 2)) == [("2025-12", 0), ("2026-01", 0), ("2026-02", 1)]


def test_at_most_twelve_months_ending_at_the_latest_credit() -> None:
    bars = chart((2024, 5), (2025, 6), (2026, 3))
    assert len(bars) == 12 and bars[0] == ("2025-04", 0) and bars[-1] == ("2026-03", 1)
    assert sum(n for _, n in bars) == 2  # the 2024 credit is older than the chart


@pytest.mark.parametrize("later", [(2026, 12), (2027, 1)])
def test_a_later_credit_extends_the_chart_without_reshaping_the_past(later: tuple[int, int]) -> None:
    before, after = chart((2026, 8), (2026, 11)), chart((2026, 8), (2026, 11), later)
    assert after[: len(before)] == before
