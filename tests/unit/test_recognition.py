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


import pytest  # noqa: E402

from generator.errors import one_edit_apart  # noqa: E402


@pytest.mark.parametrize(
    "a,b,near",
    [("lin-xiao", "lin-xaio", True), ("lin-xiao", "lin-xia", True), ("lin-xiao", "lin_xiao", True),
     ("ana", "ana", False), ("ana", "bob", False), ("lin-xiao", "xiao-lin", False)],
)
def test_one_edit_apart(a: str, b: str, near: bool) -> None:
    assert one_edit_apart(a, b) is near
