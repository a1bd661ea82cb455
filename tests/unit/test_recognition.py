from datetime import datetime, timezone

from generator.config import Level
from generator.recognition import Credit, standing

LEVELS = (Level("Bronze", 0), Level("Silver", 10), Level("Gold", 20))


def credit(day: int, points: int) -> Credit:
    return Credit("p", "story", datetime(2026, 1, day, tzinfo=timezone.utc), points, "/x/", "x")


def test_level_since_is_the_day_the_points_were_reached() -> None:
    st = standing("p", (credit(1, 5), credit(2, 5), credit(3, 4), credit(9, 6)), LEVELS)
    assert (st.points, st.level.name) == (20, "Gold")
    assert st.level_since.day == 9
    assert (st.first.day, st.latest.day) == (1, 9)


def test_no_credits_is_the_first_level() -> None:
    st = standing("p", (), LEVELS)
    assert (st.points, st.level.name, st.level_since) == (0, "Bronze", None)
