"""A seeded generator of synthetic cocreate sites of any size, for tests and benchmarks.

    python benchmarks/synthetic.py OUT_DIR --releases 600 --suggestions 500 --people 500 --stories 100
"""

from __future__ import annotations

import argparse
import hashlib
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

STATUSES = ("received", "evaluating", "adopted", "shipped", "declined")
WORDS = (
    "battery camera keyboard widget sync offline photo album gesture tab search setting "
    "notification contrast font cursor backup share calendar lunar wallpaper dark mode "
    "stable faster smoother crash fix update privacy permission storage"
).split()
CHINESE = "改进 电池 相机 键盘 夜景 农历 隐私 同步 通知 输入法 锁屏 更流畅".split()


@dataclass(frozen=True)
class Shape:
    releases: int
    suggestions: int
    people: int
    stories: int = 0
    words: tuple[int, int] = (8, 30)  # body length range
    seed: int = 7
    areas: int = 0  # interest circles declared in site.yml; suggestions and stories use them


def handle(i: int) -> str:
    """The i-th person's handle: hashed, so no two are one typo apart (as they would be
    with user-00267 and user-00467, which cocreate rightly warns about)."""
    return "u-" + hashlib.blake2b(str(i).encode(), digest_size=5).hexdigest()


def body(rng: random.Random, words: tuple[int, int]) -> str:
    """Make a Markdown body with paragraphs, a list, a link, code and some Chinese."""
    n = rng.randint(*words)
    parts, written = [], 0
    while written < n:
        kind = rng.random()
        if kind < 0.15:
            items = [" ".join(rng.choices(WORDS, k=rng.randint(3, 8))) for _ in range(rng.randint(2, 5))]
            parts.append("\n".join(f"- {item}" for item in items))
            written += sum(len(i.split()) for i in items)
        elif kind < 0.2:
            parts.append("```\n" + "\n".join(f"setting.{rng.choice(WORDS)} = {rng.randint(0, 99)}" for _ in range(3)) + "\n```")
            written += 9
        elif kind < 0.3:
            parts.append(" ".join(rng.choices(CHINESE, k=rng.randint(4, 12))) + "。")
            written += 8
        else:
            sentence = rng.choices(WORDS, k=rng.randint(8, 20))
            link = f" [{rng.choice(WORDS)}](https://example.org/{rng.choice(WORDS)})" if rng.random() < 0.3 else ""
            parts.append(" ".join(sentence).capitalize() + link + ".")
            written += len(sentence)
    return "\n\n".join(parts) + "\n"


def make_site(folder: Path, shape: Shape) -> None:
    """Write site.yml and content/ for a synthetic site into `folder`."""
    rng = random.Random(shape.seed)
    content = folder / "content"
    for kind in ("releases", "suggestions", "contributors", "stories"):
        (content / kind).mkdir(parents=True, exist_ok=True)
    areas = [f"area-{i}" for i in range(shape.areas)]
    declared = "".join(f"  - {{id: {a}, name: {{en: Area {i}, zh-CN: 领域 {i}}}, description: About area {i}., tags: [{WORDS[i % len(WORDS)]}]}}\n" for i, a in enumerate(areas))
    (folder / "site.yml").write_text(
        "title: Synth\nurl: https://synth.example.org/\ntimezone: Europe/Berlin\n" + (f"areas:\n{declared}" if areas else ""),
        encoding="utf-8",
    )
    handles = [handle(i) for i in range(shape.people)]
    staff = handles[: max(3, shape.people // 50)]
    # A third of people have a profile; every 20th profile has an alias used in credits.
    aliases: dict[str, str] = {}
    for i, name in enumerate(handles):
        if i % 3 == 0:
            alias = f"old-{name}" if i % 20 == 0 else None
            if alias:
                aliases[name] = alias
            lines = [f"name: Person {i}"]
            if alias:
                lines.append(f"aliases: [{alias}]")
            if name in staff:
                lines.append("team: Core team")
            (content / "contributors" / f"{name}.md").write_text(
                "---\n" + "\n".join(lines) + "\n---\n" + f"Bio of person {i}.\n", encoding="utf-8"
            )

    def someone() -> str:
        chosen = rng.choice(handles)
        return aliases[chosen] if chosen in aliases and rng.random() < 0.5 else chosen

    start = date(2015, 1, 2)  # a Friday
    release_dates = []
    day = start
    for i in range(shape.releases):
        release_dates.append(day)
        # Weekly on Fridays; every third week a Sunday hotfix in the same ISO week.
        if day.weekday() == 4 and i % 3 == 2:
            day += timedelta(days=2)
        else:
            day += timedelta(days=(4 - day.weekday()) % 7 or 7)
    # Whole weeks later, so the newest release is 2026-11-20 and none is a future draft.
    shift = timedelta(days=(date(2026, 11, 20) - release_dates[-1]).days // 7 * 7) if release_dates else timedelta(0)
    release_dates = [d + shift for d in release_dates]
    versions = [f"{1 + i // 100}.{(i // 10) % 10}.{i % 10}" for i in range(shape.releases)]
    for version, when in zip(versions, release_dates):
        credits = "".join(f"\n  - who: {someone()}\n    for: tested {rng.choice(WORDS)}" for _ in range(rng.randint(0, 3)))
        members = ", ".join(rng.sample(staff, k=min(2, len(staff))))
        (content / "releases" / f"{version}.md").write_text(
            f"---\nversion: '{version}'\ndate: {when.isoformat()}\nsummary: {rng.choice(WORDS)} improvements\n"
            + (f"credits:{credits}\n" if credits else "")
            + f"popcorn: {{team: Core team, members: [{members}], votes: {rng.randint(1, 999)}, reason: good work}}\n"
            + "---\n"
            + body(rng, shape.words),
            encoding="utf-8",
        )
    for i in range(shape.suggestions):
        status = STATUSES[i % len(STATUSES)]
        released = rng.randrange(shape.releases)
        received = release_dates[released] - timedelta(days=rng.randint(1, 60))
        proposers = list(dict.fromkeys(someone() for _ in range(rng.randint(1, 3))))
        lines = [
            f"title: Suggestion number {i}",
            f"proposed_by: [{', '.join(proposers)}]",
            f"date: {received.isoformat()}",
            f"status: {status}",
            f"votes: {rng.randint(0, 500)}",
        ]
        if status == "shipped":
            lines.append(f"shipped_in: '{versions[released]}'")
        if status == "declined":
            lines.append("declined_reason: Out of scope.")
        if areas:
            lines.append(f"area: {rng.choice(areas)}")
            if status == "adopted" and rng.random() < 0.7:
                lines.append(f"planned_for: '{versions[rng.randrange(shape.releases)]}'")
        (content / "suggestions" / f"S-{i + 1}.md").write_text(
            "---\n" + "\n".join(lines) + "\n---\n" + body(rng, shape.words), encoding="utf-8"
        )
    for i in range(shape.stories):
        tags = rng.sample(WORDS[:8] + CHINESE[:4], k=2)
        (content / "stories" / f"story-{i}.md").write_text(
            f"---\ntitle: Story {i}\nauthor: {someone()}\ndate: {rng.choice(release_dates).isoformat()}\n"
            f"status: approved\nconsent: true\ntags: [{', '.join(tags)}]\n---\n" + body(rng, shape.words),
            encoding="utf-8",
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--releases", type=int, default=100)
    parser.add_argument("--suggestions", type=int, default=400)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--stories", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--areas", type=int, default=0)
    args = parser.parse_args()
    make_site(args.out, Shape(args.releases, args.suggestions, args.people, args.stories, seed=args.seed, areas=args.areas))


if __name__ == "__main__":
    main()
