"""Who is on each roll, with what points, level and level-up date: pinned on tests/sites/honor.

The site's zone is Asia/Tokyo. Credits (default points):
  1.0 (2025-12-19): ana-old (alias of ana) release credit 4, ben release credit 4, dan popcorn 2;
                    S-1 shipped: ana 10 (original), ben 5 (co-proposer)
  1.1 (2025-12-31T20:00Z = 2026-01-01 05:00 in Tokyo): cho 4, eve 4;
                    S-2 shipped: zed-secret-9 10 (anonymous), cho 5
  S-3 adopted 2026-01-05: ben 3;  S-4 received 2026-01-06: cho 1
  story 2026-01-08: ben 5 (cho's story is only submitted: no credit)
  1.2 (2026-01-09): dan popcorn 2; S-5 shipped (proposed as @Ana-Old): ana 10
Totals: ana 24 (Silver on 01-09), ben 17 (Silver on 01-08), cho 10, eve 4, dan 4 (Bronze).
dan is staff (team: Core, and the popcorn award's member): on no fans' roll, but in the
contributors directory and in the honor roll's team section.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import TESTS, read_tree, run

SITE = TESTS / "sites" / "honor"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("honor") / "out"
    assert run("build", "--config", str(SITE / "site.yml"), "--out", str(folder)) == 0
    return folder


def page(out: Path, path: str) -> str:
    return (out / path / "index.html").read_text(encoding="utf-8")


def people_in(html: str) -> list[str]:
    """Handles linked as people, in page order."""
    return [href.rstrip("/").rsplit("/", 1)[-1] for href in re.findall(r'class="person" href="([^"]+)"', html)]


def section(html: str, heading_id: str) -> str:
    return html.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


def entries(html: str) -> list[tuple[str, str]]:
    """(handle, points text) for each ranked line."""
    return re.findall(r'contributors/([^/]+)/">[^<]*</a> <span class="points">([^<]*)</span>', html)


def test_roll_by_level_with_ties_broken_by_who_got_there_first(out: Path) -> None:
    html = page(out, "honor")
    assert entries(section(html, "level-3")) == [("ana", "24 points"), ("ben", "17 points")]  # Silver
    # Bronze: cho 10, eve 4; dan (4 too) is staff. The tie is broken in the directory (test_contributor_views).
    assert entries(section(html, "level-4")) == [("cho", "10 points"), ("eve", "4 points")]


def test_monthly_stars_count_the_month_in_the_site_time_zone(out: Path) -> None:
    # 1.1 is 31 December in UTC but 1 January in Tokyo: its credits count in January.
    assert entries(page(out, "honor/2025-12")) == [("ana", "14 points"), ("ben", "9 points")]
    # cho and ana tie on 10: cho completed them on 6 January, ana on 9 January.
    assert entries(page(out, "honor/2026-01")) == [
        ("cho", "10 points"), ("ana", "10 points"), ("ben", "8 points"), ("eve", "4 points"),
    ]
    honor = page(out, "honor")
    assert [h for h, _ in entries(section(honor, "stars-h"))] == ["cho", "ana", "ben", "eve"]


def test_yearly_pioneers(out: Path) -> None:
    assert entries(page(out, "honor/2025")) == [("ana", "14 points"), ("ben", "9 points")]
    assert [h for h, _ in entries(page(out, "honor/2026"))] == ["cho", "ana", "ben", "eve"]
    assert [h for h, _ in entries(section(page(out, "honor"), "pioneers-h"))] == ["cho", "ana", "ben", "eve"]


def test_profile_shows_level_since_the_day_it_was_reached(out: Path) -> None:
    # The level and its date read together, the points apart: "Silver since Jan 9, 2026 · 24 points",
    # never "Silver 24 points since …", which reads as if the points were counted since then.
    ana = page(out, "contributors/ana")
    assert re.search(r'class="level level-1">Silver</span> since <time datetime="2026-01-09">[^<]*</time> · '
                     r'<span class="points">24 points</span>', ana)
    ben = page(out, "contributors/ben")
    assert 'since <time datetime="2026-01-08">' in ben
    cho = page(out, "contributors/cho")
    assert re.search(r'class="level level-0">Bronze</span> since <time [^>]*>[^<]*</time> · <span class="points">10 points</span>', cho)
    assert 'since <time datetime="2026-01-01">' in cho  # first credit, in Tokyo


def test_alias_credits_merge_and_old_address_redirects(out: Path) -> None:
    ana = page(out, "contributors/ana")
    assert "Idea under an old handle" in ana and "tested the beta" in ana
    redirect = page(out, "contributors/ana-old")
    assert 'url=../../contributors/ana/"' in redirect
    assert "ana-old" not in people_in(page(out, "releases/1.0"))


def test_profile_groups_credits_and_links_stars(out: Path) -> None:
    ana = page(out, "contributors/ana")
    assert ana.index("Suggestions") < ana.index("Release credits")
    assert 'href="../../releases/1.0/">Shipped in 1.0</a>' in ana
    assert 'href="../../honor/2026-01/">Stars of January 2026</a>: #2' in ana
    assert 'href="../../honor/2025/">Pioneers of 2025</a>: #1' in ana
    assert 'role="img" aria-label="Credits per month: ' in ana


def test_title_holders(out: Path) -> None:
    titles = section(page(out, "honor"), "titles-h")
    assert re.findall(r"<dt>([^<]+)</dt>", titles) == ["Beta Tester Expert", "Founder"]
    assert people_in(titles.split("<dt>Founder")[0]) == ["ana", "dan"]
    assert "Secret Title" not in titles


def test_new_contributors_on_the_weekly_page(out: Path) -> None:
    assert people_in(section(page(out, "weekly/2025-W51"), "newcomers-h")) == ["ana", "ben"]  # dan is staff
    assert people_in(section(page(out, "weekly/2026-W01"), "newcomers-h")) == ["cho", "eve"]
    assert 'id="newcomers-h"' not in page(out, "weekly/2026-W02")


def test_contributor_views(out: Path) -> None:
    assert people_in(page(out, "contributors")) == ["ana", "ben", "cho", "eve", "dan"]
    assert people_in(page(out, "contributors/by-name")) == ["ana", "ben", "cho", "dan", "eve"]
    # newest first: by first credit (cho and eve on 1 January; ana, ben, dan on 19 December)
    assert people_in(page(out, "contributors/newest")) == ["cho", "eve", "ana", "ben", "dan"]


def test_anonymous_person_appears_nowhere(out: Path) -> None:
    for name, data in read_tree(out).items():
        text = data.decode("utf-8", "replace").lower()
        assert "zed-secret-9" not in text and "zorro hidden" not in text and "secret title" not in text, name
    assert not (out / "contributors" / "zed-secret-9").exists()
    assert "Anonymous contributor" in page(out, "suggestions/S-2")


def test_staff_are_on_no_fans_roll_but_named_as_the_team(out: Path) -> None:
    honor = page(out, "honor")
    for heading in ("stars-h", "pioneers-h", "levels-h"):
        assert "dan" not in people_in(section(honor, heading)), heading
    for period in ("honor/2025-12", "honor/2026-01", "honor/2025", "honor/2026"):
        assert "dan" not in people_in(page(out, period)), period
    assert "dan" not in people_in(section(page(out, ""), "top-h"))
    team = section(honor, "team-h")
    assert re.findall(r"<dt>([^<]+)</dt>", team) == ["Core"] and people_in(team) == ["dan"]
    # Their own page still counts what users gave their team.
    dan = page(out, "contributors/dan")
    assert '<span class="points">4 points</span>' in dan and "Popcorn awards" in dan
    assert "dan" in people_in(page(out, "contributors"))


def test_honor_roll_leads_with_the_people_and_says_since_when_a_level_is_held(out: Path) -> None:
    honor = page(out, "honor")
    order = [honor.index(f'id="{h}"') for h in ("stars-h", "pioneers-h", "levels-h", "titles-h", "team-h", "popcorn-h")]
    assert order == sorted(order)
    # "24 points, Silver since 9 January": the level is held since then, the points are all-time.
    assert re.search(r'contributors/ana/">Ana María</a> <span class="points">24 points</span>\s*'
                     r'<span class="since">Silver since <time datetime="2026-01-09">', honor)


def test_activity_chart_starts_at_the_first_active_month(out: Path) -> None:
    def bars(handle: str) -> list[str]:
        return re.findall(r"<title>([^<]+)</title></rect>", page(out, f"contributors/{handle}"))

    # ana: 2 credits in December 2025, 1 in January 2026 (Tokyo); padded to three months.
    assert bars("ana") == ["November 2025: 0", "December 2025: 2", "January 2026: 1"]
    assert bars("cho") == ["November 2025: 0", "December 2025: 0", "January 2026: 3"]


def test_the_wall_links_every_suggestion_id_it_gives_as_a_reason(out: Path) -> None:
    week = page(out, "weekly/2026-W01")
    assert '<a href="../../suggestions/S-2/">S-2</a>' in week  # shipped that week
    # in a credit's text: the id that exists is linked, the one that does not is left as it is
    assert 'tested the <a href="../../suggestions/S-2/">S-2</a> fix (not S-20, which does not exist)' in week
