"""Benchmark cocreate on synthetic sites, against the Markdown floor and MkDocs, in one run.

    .venv/bin/python benchmarks/bench.py                 # N = 1,000 and 10,000
    .venv/bin/python benchmarks/bench.py --sizes 1000 --mkdocs-sizes 1000

For each N it reports: cold build (no cache, no output), rebuild with no change,
rebuild after one story edit, after one new release; wall time, CPU time and peak
memory of each build (run as a child process), and pages and feeds written. In the
same run it measures the Markdown floor (cocreate's Markdown conversion alone on the same
bodies, divided across the cores) and MkDocs building the same bodies, and prints
the ratios, so the comparison holds on a noisy machine.
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
    )


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
    done = subprocess.run(argv, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(argv)}\n{done.stdout}\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # ru_maxrss of children is the largest single child so far (KiB on Linux).
    lines = [line for line in (done.stdout + done.stderr).splitlines() if line.startswith("built")]
    return Run(wall, cpu, after.ru_maxrss / 1024, lines[-1] if lines else "")


def markdown_floor(site: Path) -> tuple[float, int]:
    """Time cocreate's Markdown conversion alone on every body, in this process; return (seconds, bodies)."""
    from generator.markup import convert

    bodies = []
    for path in sorted((site / "content").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        bodies.append(text.split("\n---\n", 1)[1] if text.startswith("---") else text)
    started = time.process_time()
    for body in bodies:
        convert(body, untrusted=False)
    return time.process_time() - started, len(bodies)


def mkdocs_project(site: Path, folder: Path) -> Path:
    """Lay the same Markdown bodies out as an MkDocs project."""
    docs = folder / "docs"
    docs.mkdir(parents=True)
    for path in sorted((site / "content").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        body = text.split("\n---\n", 1)[1] if text.startswith("---") else text
        target = docs / path.relative_to(site / "content")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"# {path.stem}\n\n{body}", encoding="utf-8")
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    (folder / "mkdocs.yml").write_text("site_name: Synth\nmarkdown_extensions: [extra, sane_lists, smarty]\n", encoding="utf-8")
    return folder / "mkdocs.yml"


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

    build = [sys.executable, "-m", "generator", "build", "--config", str(site / "site.yml"), "--out", str(work / "out")]
    if not search:
        build.append("--no-search")
    cold = timed(build)
    print(row("cold build", cold, floor))
    print(row("rebuild, no change", timed(build)))
    story = sorted((site / "content/stories").glob("*.md"))[len(list((site / "content/stories").glob("*.md"))) // 2]
    story.write_text(story.read_text(encoding="utf-8") + "\nOne more paragraph, edited.\n", encoding="utf-8")
    print(row("rebuild, one story edit", timed(build)))
    (site / "content/releases/99.0.0.md").write_text(
        f"---\nversion: '99.0.0'\ndate: 2026-11-22\nsummary: New\ncredits:\n  - {{who: {handle(1)}, for: testing}}\n---\nNotes.\n",
        encoding="utf-8",
    )
    print(row("rebuild, one new release", timed(build)))
    shutil.rmtree(work / "out", ignore_errors=True)

    if with_mkdocs:
        config = mkdocs_project(site, work / "mkdocs")
        mk = timed([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(work / "mkdocs-out")])
        print(row("mkdocs build (same bodies)", Run(mk.wall, mk.cpu, mk.peak_mb, "mkdocs")))
        print(f"  cocreate cold build is {mk.wall / cold.wall:.1f}x faster than MkDocs on the same {files:,} bodies")
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
    args = parser.parse_args()
    for n in args.sizes:
        bench(n, n in args.mkdocs_sizes, args.keep, search=not args.no_search)


if __name__ == "__main__":
    main()
