"""Benchmark cocreate on synthetic sites against Hugo + Pagefind and MkDocs, in one run.

    .venv/bin/python benchmarks/bench.py                 # N = 1,000 and 10,000
    .venv/bin/python benchmarks/bench.py --sizes 1000 --mkdocs-sizes 1000

For each N it reports, each build run as a child process (wall time, CPU time with
children, peak memory of the largest process): a clean `--no-cache` build, the first
build with an empty cache, a rebuild with no change, one story edit, and the Friday
job (a new release that ships five suggestions); all with the search index unless
--no-search. In the same run: the Markdown floor (the same bodies through cocreate's Markdown
conversion alone, divided across the cores), Hugo (Debian's `hugo`) building the same
bodies, then Pagefind indexing Hugo's output (what a Hugo user with search runs), and
the output sizes of both, and what drawing the share cards costs (and how many each rebuild
redraws). Compare figures only within one run: this machine drifts.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import Shape, handle, make_site  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def shape_for(n: int, seed: int = 7) -> Shape:
    """The default mix for n files: 10% releases, 40% suggestions, 20% profiles, 30% stories."""
    return Shape(
        releases=n // 10,
        suggestions=n * 4 // 10,
        people=n * 6 // 10,  # a third of people get a profile file: 20% of n
        stories=n * 3 // 10,
        words=(200, 1500),
        seed=seed,
        areas=12,
    )


BOARD_FOLDERS = ("suggestions", "areas")


def board_weight(suggestions: int) -> None:
    """Build a site of `suggestions` suggestions in 12 areas; report the heaviest board and area pages.

    Each list page must stay under 100 KB (a phone on a slow network), whatever the
    number of suggestions; individual suggestion pages (/suggestions/<id>/) are not lists.
    """
    work = Path(tempfile.mkdtemp(prefix=f"cocreate-board-{suggestions}-"))
    make_site(work / "site", Shape(releases=200, suggestions=suggestions, people=1000, stories=300, areas=12))
    run = timed([sys.executable, "-m", "generator", "build", "--config", str(work / "site/site.yml"), "--out", str(work / "out"),
                 "--no-search", "--no-cache"], {**os.environ, "SOURCE_DATE_EPOCH": "1796428800"})
    ids = {p.stem for p in (work / "site/content/suggestions").glob("*.md")}
    lists = [p for folder in BOARD_FOLDERS for p in (work / "out" / folder).rglob("index.html") if p.parent.name not in ids]
    heaviest = max(lists, key=lambda p: p.stat().st_size)
    print(f"\nboard at {suggestions:,} suggestions: {len(lists)} list pages (summary, status, status x area, areas), "
          f"heaviest {heaviest.stat().st_size / 1024:.0f} KB ({heaviest.relative_to(work / 'out').parent}/), "
          f"/suggestions/ {(work / 'out/suggestions/index.html').stat().st_size / 1024:.0f} KB; build {run.wall:.1f} s")
    shutil.rmtree(work, ignore_errors=True)


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mb: float
    output: str


def timed(argv: list[str], env: dict | None = None) -> Run:
    """Run a command as a child process; measure wall, CPU (with its children) and peak RSS."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    # A fresh parent per run, so its peak (the largest process it waited for, workers and
    # Pagefind included) belongs to this run alone.
    done = subprocess.run([sys.executable, "-c", PEAK, *argv], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(argv)}\n{done.stdout}\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    *said, peak = done.stderr.rstrip("\n").split("\n")
    lines = [line for line in [*done.stdout.splitlines(), *said] if line.startswith(("built", "nothing changed"))]
    return Run(wall, cpu, int(peak) / 1024, lines[-1] if lines else "")


PEAK = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:]).returncode\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def bodies_of(site: Path) -> list[tuple[Path, str]]:
    """Each content file with its Markdown body (the front matter cut off)."""
    out = []
    for path in sorted((site / "content").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        out.append((path, text.split("\n---\n", 1)[1] if text.startswith("---") else text))
    return out


def markdown_floor(site: Path) -> tuple[float, int]:
    """Time cocreate's Markdown conversion alone on every body, in this process; return (seconds, bodies)."""
    from generator.markup import convert

    bodies = [body for _, body in bodies_of(site)]
    started = time.process_time()
    for body in bodies:
        convert(body, untrusted=False)
    return time.process_time() - started, len(bodies)


def mkdocs_project(site: Path, folder: Path) -> Path:
    """Lay the same Markdown bodies out as an MkDocs project."""
    docs = folder / "docs"
    docs.mkdir(parents=True)
    for path, body in bodies_of(site):
        target = docs / path.relative_to(site / "content")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"# {path.stem}\n\n{body}", encoding="utf-8")
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    (folder / "mkdocs.yml").write_text("site_name: Synth\nmarkdown_extensions: [extra, sane_lists, smarty]\n", encoding="utf-8")
    return folder / "mkdocs.yml"


HUGO_LAYOUT = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main data-pagefind-body><h1>{{ .Title }}</h1>{{ .Content }}</main></body></html>
"""
HUGO_LIST = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></body></html>
"""


def hugo_project(site: Path, folder: Path) -> Path:
    """Lay the same Markdown bodies out as a Hugo site with a minimal theme of its own."""
    content = folder / "content"
    for path, body in bodies_of(site):
        target = content / path.relative_to(site / "content")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"---\ntitle: \"{path.stem}\"\ndate: 2026-11-20\n---\n{body}", encoding="utf-8")
    (folder / "layouts/_default").mkdir(parents=True)
    (folder / "layouts/_default/single.html").write_text(HUGO_LAYOUT, encoding="utf-8")
    (folder / "layouts/_default/list.html").write_text(HUGO_LIST, encoding="utf-8")
    (folder / "config.toml").write_text('baseURL = "https://synth.example.org/"\ntitle = "Synth"\n', encoding="utf-8")
    return folder


def size_mb(folder: Path) -> float:
    """Add up the bytes of every file below `folder`."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def pagefind_binary() -> str:
    from pagefind_bin_extended import get_executable

    return str(get_executable())


def friday(site: Path) -> None:
    """The Friday job: a new release that ships five suggestions and thanks a tester."""
    (site / "content/releases/99.0.0.md").write_text(
        f"---\nversion: '99.0.0'\ndate: 2026-11-27\nsummary: New\ncredits:\n  - {{who: {handle(1)}, for: testing}}\n---\nNotes.\n",
        encoding="utf-8",
    )
    for path in sorted((site / "content/suggestions").glob("*.md"))[:5]:
        text = path.read_text(encoding="utf-8")
        head, body = text[4:].split("\n---\n", 1)
        kept = [line for line in head.split("\n") if not line.startswith(("status:", "shipped_in:", "declined_reason:"))]
        kept = [line for line in kept if not line.startswith(("history:", "  - "))]
        path.write_text("---\n" + "\n".join(kept) + "\nstatus: shipped\nshipped_in: '99.0.0'\n---\n" + body, encoding="utf-8")


CARDS = (
    "import os, sys, time\n"
    "from pathlib import Path\n"
    "from generator.build import load\n"
    "from generator.cards import Painter\n"
    "from generator.errors import Diagnostics\n"
    "loaded = load(Path(sys.argv[1]), Diagnostics())\n"
    "cards = [p.context['card'] for p in loaded.pages if p.context.get('card') is not None]\n"
    "painter = Painter(loaded.config.site_dir, loaded.config.card_font)\n"
    "painter.draw(cards[0])  # fonts opened once per process, as in a render worker\n"
    "started = time.process_time()\n"
    "for card in cards:\n"
    "    painter.draw(card)\n"
    "print(len(cards), time.process_time() - started)\n"
)


def cards_cost(site: Path, env: dict) -> tuple[int, float]:
    """Draw every share card of the site in one process (as the build's workers do); return (cards, CPU seconds)."""
    done = subprocess.run([sys.executable, "-c", CARDS, str(site / "site.yml")], capture_output=True, text=True, env=env, check=True)
    count, seconds = done.stdout.split()
    return int(count), float(seconds)


def card_stamps(out: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in out.rglob("share-card.png")}


def redrawn(before: dict[Path, int], out: Path) -> int:
    """Count the share cards a build wrote again (or newly)."""
    return sum(1 for p, stamp in card_stamps(out).items() if before.get(p) != stamp)


def row(label: str, run: Run, floor: float | None = None) -> str:
    ratio = f"  {run.wall / floor:5.2f}x floor" if floor else ""
    return f"  {label:<24} wall {run.wall:7.2f} s  cpu {run.cpu:7.2f} s  peak {run.peak_mb:6.0f} MB{ratio}   [{run.output}]"


def bench(n: int, with_mkdocs: bool, keep: Path | None, search: bool = True) -> None:
    work = Path(tempfile.mkdtemp(prefix=f"cocreate-bench-{n}-"))
    site = work / "site"
    make_site(site, shape_for(n))
    files = sum(1 for _ in (site / "content").rglob("*.md"))
    cores = os.cpu_count() or 1
    floor_cpu, bodies = markdown_floor(site)
    floor = floor_cpu / cores
    print(f"\nN = {n:,} files ({bodies:,} bodies){'' if search else ', without the search index'}; "
          f"Markdown floor {floor_cpu:.2f} s CPU, {floor:.2f} s on {cores} cores")

    env = {**os.environ, "COCREATE_CACHE_DIR": str(work / "cache"), "SOURCE_DATE_EPOCH": "1796428800"}  # 2026-12-05
    build = [sys.executable, "-m", "generator", "build", "--config", str(site / "site.yml"), "--out", str(work / "out")]
    if not search:
        build.append("--no-search")
    clean = timed([*build, "--no-cache"], env)
    print(row("clean build (--no-cache)", clean, floor))
    shutil.rmtree(work / "out")
    cold = timed(build, env)
    print(row("first build, empty cache", cold, floor))
    print(f"  first build with an empty cache is {100 * (cold.wall / clean.wall - 1):+.0f}% against --no-cache")
    count, card_cpu = cards_cost(site, env)
    # Against CPU time too: on a busy machine wall time says more about the neighbours.
    print(f"  share cards: {count:,} drawn in {card_cpu:.2f} s CPU ({100 * card_cpu / clean.cpu:.0f}% of the clean build's CPU), "
          f"{card_cpu / cores:.2f} s on {cores} cores ({100 * card_cpu / cores / clean.wall:.0f}% of its wall time)")
    stamps = card_stamps(work / "out")
    print(row("rebuild, no change", timed(build, env)) + f"  cards redrawn: {redrawn(stamps, work / 'out')}")
    story = sorted((site / "content/stories").glob("*.md"))[len(list((site / "content/stories").glob("*.md"))) // 2]
    story.write_text(story.read_text(encoding="utf-8") + "\nOne more paragraph, edited.\n", encoding="utf-8")
    stamps = card_stamps(work / "out")
    print(row("rebuild, one story edit", timed(build, env)) + f"  cards redrawn: {redrawn(stamps, work / 'out')}")
    friday(site)
    stamps = card_stamps(work / "out")
    print(row("rebuild, Friday release", timed(build, env)) + f"  cards redrawn: {redrawn(stamps, work / 'out')}")
    ours = size_mb(work / "out")
    contributors = size_mb(work / "out/feeds/contributors") if (work / "out/feeds/contributors").is_dir() else 0.0

    if shutil.which("hugo"):
        project = hugo_project(site, work / "hugo")
        hugo = timed(["hugo", "--quiet", "-s", str(project), "-d", str(work / "hugo-out")])
        print(row("hugo (same bodies)", Run(hugo.wall, hugo.cpu, hugo.peak_mb, "hugo")))
        if search:
            pf = timed([pagefind_binary(), "--site", str(work / "hugo-out"), "--quiet"])
            both = Run(hugo.wall + pf.wall, hugo.cpu + pf.cpu, max(hugo.peak_mb, pf.peak_mb), "hugo + pagefind")
            print(row("hugo + pagefind", both))
            print(f"  cocreate's first build takes {cold.wall / both.wall:.2f}x the time of Hugo + Pagefind")
        print(f"  output: cocreate {ours:.0f} MB (contributor feeds {contributors:.0f} MB), Hugo {size_mb(work / 'hugo-out'):.0f} MB")
    else:
        print("  hugo is not installed (Debian: apt-get install hugo); the comparison with Hugo is left out")
        print(f"  output: cocreate {ours:.0f} MB (contributor feeds {contributors:.0f} MB)")
    shutil.rmtree(work / "out", ignore_errors=True)

    if with_mkdocs:
        config = mkdocs_project(site, work / "mkdocs")
        mk = timed([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(work / "mkdocs-out")])
        print(row("mkdocs build (same bodies)", Run(mk.wall, mk.cpu, mk.peak_mb, "mkdocs")))
        print(f"  cocreate's first build is {mk.wall / cold.wall:.1f}x faster than MkDocs on the same {files:,} bodies")
    if keep:
        shutil.copytree(site, keep / f"site-{n}", dirs_exist_ok=True)
    shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--mkdocs-sizes", type=int, nargs="*", default=[1000], help="sizes to also build with MkDocs")
    parser.add_argument("--keep", type=Path, help="copy the generated sites here")
    parser.add_argument("--no-search", action="store_true", help="build without Pagefind, to see cocreate's own share")
    parser.add_argument("--board", type=int, metavar="SUGGESTIONS", help="only weigh the board's pages at this many suggestions")
    args = parser.parse_args()
    if args.board:
        board_weight(args.board)
        return
    for n in args.sizes:
        bench(n, n in args.mkdocs_sizes, args.keep, search=not args.no_search)


if __name__ == "__main__":
    main()
