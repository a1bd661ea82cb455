"""Response times, the pledge, monthly reports and the week's whole loop, as readers see them.

The demo's figures are computed here again from its front matter, read with plain YAML,
with a percentile written out by hand, and compared with what /pace/ shows.
"""

from __future__ import annotations

import math
from datetime import datetime
from pathlib import Path

import lxml.html
import pytest
import yaml

from conftest import ROOT, read_tree, run

DEMO_EPOCH = "1796126400"  # 2026-12-01 12:00 UTC: November is over, December is not


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def median(xs: list[int]) -> float:
    xs = sorted(xs)
    mid = len(xs) // 2
    return float(xs[mid]) if len(xs) % 2 else (xs[mid - 1] + xs[mid]) / 2


def p90(xs: list[int]) -> float:
    """The inclusive percentile, written out: 90% of the way along the sorted values, interpolated."""
    xs = sorted(xs)
    position = 0.9 * (len(xs) - 1)
    low = math.floor(position)
    high = min(low + 1, len(xs) - 1)
    return round(xs[low] + (xs[high] - xs[low]) * (position - low), 1)


def shown(days: float) -> str:
    return f"{days:,.1f}".removesuffix(".0")


def demo_steps() -> list[dict]:
    """Each demo suggestion's dated steps, read from its front matter."""
    releases = {str(fm["version"]): fm["date"] for fm in map(front_matter, (ROOT / "content/releases").glob("*.md"))}
    out = []
    for path in sorted((ROOT / "content/suggestions").glob("*.md")):
        fm = front_matter(path)
        history = fm.get("history") or []
        out.append({
            "id": path.stem,
            "area": fm.get("area") or "",
            "received": fm["date"],
            "answered": next((h["date"] for h in history if h["status"] != "received"), None),
            "adopted": next((h["date"] for h in history if h["status"] in ("adopted", "shipped")), None),
            # Shipped in one release, or first in a beta and then in a stable one: the first counts.
            "shipped": min(releases[str(v)] for v in (fm["shipped_in"] if isinstance(fm["shipped_in"], list) else [fm["shipped_in"]]))
            if fm["status"] == "shipped" else None,
            "status": fm["status"],
        })
    return out


def cell(days: list[int]) -> str:
    return f"{shown(median(days))} / {shown(p90(days))} ({len(days)})" if days else "–"


def rows(page: Path, table_id: str) -> dict[str, list[str]]:
    """A table's rows as a reader reads them: the row's header -> its cells' text."""
    tree = lxml.html.fromstring(page.read_text(encoding="utf-8"))
    table = tree.get_element_by_id(table_id)
    return {
        tr.find("th").text_content().strip(): [" ".join(td.text_content().split()) for td in tr.findall("td")]
        for tr in table.iter("tr") if tr.find("td") is not None
    }


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pace") / "out"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", DEMO_EPOCH)
        assert run("build", "--config", str(ROOT / "site.yml"), "--out", str(out), "--no-search") == 0
    return out


def test_pace_shows_the_response_times_the_histories_give(demo: Path) -> None:
    steps = demo_steps()
    page = demo / "pace/index.html"

    def days(measure: str, keep=lambda st, day: True) -> list[int]:
        return [(st[measure] - st["received"]).days for st in steps if st[measure] is not None and keep(st, st[measure])]

    measures = ("answered", "adopted", "shipped")
    months = sorted({f"{st[m]:%Y-%m}" for st in steps for m in measures if st[m] is not None}, reverse=True)
    expected = {key: [cell(days(m, lambda st, d, key=key: f"{d:%Y-%m}" == key)) for m in measures] for key in months}
    assert rows(page, "by-month") == expected
    areas = sorted({st["area"] for st in steps})
    by_area = {a or "No area": [cell(days(m, lambda st, d, a=a: st["area"] == a)) for m in measures] for a in areas}
    assert rows(page, "by-area") == {a: c for a, c in by_area.items() if c != ["–"] * 3}
    overall = {label: [shown(median(d)), shown(p90(d)), str(len(d))] for label, d in (
        ("First answer", days("answered")), ("Adopted", days("adopted")), ("Shipped", days("shipped")),
    )}
    assert rows(page, "times") == overall
    assert "PERCENTILE.INC" in page.read_text(encoding="utf-8")  # the method is said on the page


def test_the_pledge_is_counted_and_late_suggestions_are_marked_on_the_board(demo: Path) -> None:
    steps = demo_steps()
    answered = [(st["answered"] - st["received"]).days for st in steps if st["answered"] is not None]
    waiting = [st["id"] for st in steps if st["status"] == "received"]
    kept = sum(1 for d in answered if d <= 3)
    text = " ".join(lxml.html.fromstring((demo / "pace/index.html").read_text(encoding="utf-8")).text_content().split())
    assert f"kept: {kept} of {len(answered) + len(waiting)} suggestions were answered in time." in text
    assert f"{len(waiting)} suggestions are waiting longer than that right now." in text

    board = lxml.html.fromstring((demo / "suggestions/index.html").read_text(encoding="utf-8"))
    marked = {li.find_class("id")[0].text for li in board.find_class("suggestion") if li.find_class("late")}
    assert waiting and marked == set(waiting)  # every one received in November waits past 3 days on December 1


def test_the_week_and_the_home_page_tell_adoptions_and_evaluations(demo: Path) -> None:
    week = (demo / "weekly/2026-W46/index.html").read_text(encoding="utf-8")
    adopted = week[week.index('id="loop-adopted-2026-W46"'):]
    assert "S-1030" in adopted.split("</section>")[0]  # adopted 2026-11-11
    evaluating = (demo / "weekly/2026-W44/index.html").read_text(encoding="utf-8")
    assert "S-1029" in evaluating.split('id="loop-evaluating-2026-W44"')[1].split("</section>")[0]  # evaluating from 2026-10-27
    assert "Adopted <strong>27</strong>" in week  # the week's summary: S-1030, 27 days from received to adopted
    home = (demo / "index.html").read_text(encoding="utf-8")
    assert "S-1030" in home.split('id="lately-h"')[1].split("</section>")[0]


def test_reports_count_each_month_and_thank_its_people(demo: Path) -> None:
    steps = demo_steps()
    months = sorted(p.name for p in (demo / "reports").iterdir() if p.is_dir())
    assert months == ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]  # December is not over
    page = lxml.html.fromstring((demo / "reports/2026-10/index.html").read_text(encoding="utf-8"))
    counts = " ".join(page.find_class("report-counts")[0].text_content().split())
    received = sum(1 for st in steps if f"{st['received']:%Y-%m}" == "2026-10")
    shipped = sum(1 for st in steps if st["shipped"] and f"{st['shipped']:%Y-%m}" == "2026-10")
    assert counts.startswith(f"{received} received") and f"{shipped} shipped" in counts
    november = (demo / "reports/2026-11/index.html").read_text(encoding="utf-8")
    assert "Letting other apps replace it" in november  # S-1034's reason for declining
    assert 'href="../../contributors/lin-xiao/"' in november  # thanked: S-1024 shipped on 2026-11-13
    index = (demo / "reports/index.html").read_text(encoding="utf-8")
    assert index.count('<th scope="row"><a href="../reports/2026-') == 6


def test_the_reports_feed_has_one_item_per_report_with_its_address_as_id(demo: Path) -> None:
    import feedparser

    parsed = feedparser.parse((demo / "feeds/reports.atom").read_bytes())
    assert not parsed.bozo
    ids = [e.id for e in parsed.entries]
    assert ids[0] == "https://changelog.lumen-os.example/reports/2026-11/" and len(ids) == 6
    assert 'href="../feeds/reports.atom"' in (demo / "reports/index.html").read_text(encoding="utf-8")


SMALL = {
    "site.yml": "title: Small\nurl: https://small.example/\ntimezone: UTC\nfeedback:\n  respond_within_days: 3\n",
    "content/releases/1.0.md": "---\nversion: '1.0'\ndate: 2026-03-06\n---\nOne.\n",  # W10
    "content/releases/1.1.md": "---\nversion: '1.1'\ndate: 2026-03-20\n---\nTwo.\n",  # W12
    "content/suggestions/S-1.md": (
        "---\ntitle: Planned in a quiet week\nproposed_by: [ann]\ndate: 2026-03-02\nstatus: adopted\nhistory:\n"
        "  - {date: 2026-03-02, status: received}\n  - {date: 2026-03-04, status: evaluating}\n"
        "  - {date: 2026-03-11, status: adopted}\n---\n"
    ),
    "content/suggestions/S-2.md": "---\ntitle: Still waiting\nproposed_by: [bo]\ndate: 2026-03-16\nstatus: received\n---\n",
    "content/suggestions/S-3.md": (
        "---\ntitle: Turned down after the last release\nproposed_by: [cy]\ndate: 2026-03-01\nstatus: declined\n"
        "declined_reason: Not now.\nhistory:\n  - {date: 2026-03-01, status: received}\n  - {date: 2026-03-25, status: declined}\n---\n"
    ),
}


@pytest.fixture
def small(tmp_path: Path) -> Path:
    for name, text in SMALL.items():
        (tmp_path / "site" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "site" / name).write_text(text, encoding="utf-8")
    return tmp_path / "site"


def build_at(site: Path, out: Path, moment: str, monkeypatch: pytest.MonkeyPatch, *flags: str) -> dict[str, bytes]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(datetime.fromisoformat(moment).timestamp())))
    assert run("build", "--config", str(site / "site.yml"), "--out", str(out), "--no-search", *flags) == 0
    return read_tree(out)


def test_a_week_without_a_release_tells_its_news_on_the_next_weeks_page(small: Path, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    files = build_at(small, out, "2026-03-30T12:00:00+00:00", monkeypatch, "--no-cache")
    assert "weekly/2026-W11/index.html" not in files  # no release, no page
    w12 = files["weekly/2026-W12/index.html"].decode()
    assert "Planned in a quiet week" in w12.split('id="loop-adopted-2026-W12"')[1]  # adopted in W11
    assert "since week 2026-W11, which had no release" in w12
    assert "Planned in a quiet week" in files["weekly/2026-W10/index.html"].decode().split('id="loop-evaluating-2026-W10"')[1]
    assert not any(b"Turned down" in data for path, data in files.items() if path.startswith("weekly/"))  # after the last release
    (small / "content/releases/1.2.md").write_text("---\nversion: '1.2'\ndate: 2026-03-27\n---\nThree.\n", encoding="utf-8")
    files = build_at(small, out, "2026-03-30T12:00:00+00:00", monkeypatch, "--no-cache")
    assert "Not now." in files["weekly/2026-W13/index.html"].decode().split('id="loop-declined-2026-W13"')[1]


def test_waiting_and_reports_follow_the_build_date_and_a_cached_build_sees_them(small: Path, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    before = build_at(small, out, "2026-03-19T23:59:00+00:00", monkeypatch)
    assert b'class="late"' not in before["suggestions/index.html"]  # received 03-16: three days end at midnight
    assert not any(p.startswith("reports/2026-") for p in before)
    after = build_at(small, out, "2026-03-20T00:00:00+00:00", monkeypatch)  # with the cache of the build before
    assert b'class="late"' in after["suggestions/index.html"]
    assert after == build_at(small, tmp_path / "clean", "2026-03-20T00:00:00+00:00", monkeypatch, "--no-cache")
    # Nothing changes between two moments: a build days later is byte for byte the same.
    assert build_at(small, tmp_path / "later", "2026-03-24T18:00:00+00:00", monkeypatch, "--no-cache") == after
    april = build_at(small, out, "2026-04-01T00:00:00+00:00", monkeypatch)
    assert "reports/2026-03/index.html" in april and "reports/2026-04/index.html" not in april
