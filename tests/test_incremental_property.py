"""A cached build equals a clean build, whatever happened before it (Hypothesis, stateful).

Random sequences of edits, additions, deletions and renames of content files, moves of
SOURCE_DATE_EPOCH, builds killed at a random point (SIGKILL, in a forked process),
stray and deleted output files and a deleted search index. After every step the
cached build's output folder must equal, byte for byte, a clean `--no-cache` build of
the same content at the same date; and a killed build must have left the old output
or the new one, never a mix.

CI runs a bounded number of examples (the "ci" profile); run
`HYPOTHESIS_PROFILE=thorough pytest tests/test_incremental_property.py` for more.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from conftest import TESTS, read_tree
from generator.build import build

settings.register_profile("ci", max_examples=6, stateful_step_count=7, deadline=None,
                          suppress_health_check=list(HealthCheck))
settings.register_profile("thorough", max_examples=60, stateful_step_count=15, deadline=None,
                          suppress_health_check=list(HealthCheck))
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")

# Build dates around the sample site's releases (2026-11-06, -08, -13), from 2026-11-01 to 2027-03-01: each move can
# publish or hide a release, or change nothing.
EPOCHS = ("1793491200", "1793923200", "1794528000", "1794614400", "1795132800", "1796428800", "1803859200")

LANGUAGES = ("", "languages: [en, zh-CN]\n", "languages: [zh-CN, en]\n")

STORY = """---
title: "{title}"
author: ada
date: 2026-11-{day:02d}
status: approved
consent: true
tags: [night, {tag}]
---
{body}
"""


def tree(out: Path) -> dict[str, bytes]:
    return read_tree(out) if out.is_dir() else {}


def killed_build(config: Path, out: Path, cache: Path, calls: int) -> None:
    """Run a build in a forked process and SIGKILL it at its `calls`-th Python call into cocreate."""
    pid = os.fork()
    if pid == 0:  # the child: count calls into generator/ and die abruptly at the chosen one
        try:
            counted = [0]
            package = str(Path(__file__).resolve().parent.parent / "generator")

            def tick(frame, event, arg):  # noqa: ANN001
                if event == "call" and frame.f_code.co_filename.startswith(package):
                    counted[0] += 1
                    if counted[0] >= calls:
                        os.kill(os.getpid(), signal.SIGKILL)

            sys.setprofile(tick)
            build(config, out, use_cache=True, jobs=1, search_index=False, cache_dir=cache)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


class Rebuilds(RuleBasedStateMachine):
    """One site folder, one cached output, and a clean build to compare with after each step."""

    def __init__(self) -> None:
        super().__init__()
        self.work = Path(os.environ["COCREATE_PROPERTY_TMP"]) / f"run-{id(self)}-{os.getpid()}"
        shutil.rmtree(self.work, ignore_errors=True)
        self.site = self.work / "site"
        shutil.copytree(TESTS / "sites/basic", self.site)
        self.set_languages(LANGUAGES[1])  # every edit is then made to two editions, one under zh-CN/
        self.out, self.cache = self.work / "out", self.work / "cache"
        self.epoch = EPOCHS[4]
        self.counter = 0

    def teardown(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)

    # -- what the build sees -------------------------------------------------------
    def files(self, kind: str) -> list[Path]:
        return sorted((self.site / "content" / kind).glob("*.md"))

    def build_both(self) -> None:
        """Build with the cache, then clean into another folder; the two must be equal."""
        os.environ["SOURCE_DATE_EPOCH"] = self.epoch
        before = tree(self.out)
        cached = build(self.site / "site.yml", self.out, use_cache=True, jobs=2, search_index=False, cache_dir=self.cache)
        clean_out = self.work / "clean"
        shutil.rmtree(clean_out, ignore_errors=True)
        fresh = build(self.site / "site.yml", clean_out, use_cache=False, jobs=1, search_index=False)
        assert cached.written == fresh.written, (cached.diagnostics.sorted()[:3], fresh.diagnostics.sorted()[:3])
        assert [str(d) for d in cached.diagnostics.sorted()] == [str(d) for d in fresh.diagnostics.sorted()]
        if fresh.written:
            assert tree(self.out) == tree(clean_out)
        else:  # a failed build leaves the output as it was
            assert tree(self.out) == before
        assert not [p.name for p in self.work.iterdir() if ".cocreate-" in p.name]  # no staging left behind

    @initialize()
    def first_build(self) -> None:
        self.build_both()

    # -- content -------------------------------------------------------------------
    @rule(which=st.integers(0, 50), text=st.sampled_from(["An edit.", "Another line.", "深夜的相机。", "**Bold** move."]))
    def edit_body(self, which: int, text: str) -> None:
        files = [p for kind in ("stories", "suggestions", "releases", "contributors") for p in self.files(kind)]
        path = files[which % len(files)]
        path.write_text(path.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")
        self.build_both()

    @rule(which=st.integers(0, 50), status=st.sampled_from(["received", "evaluating", "adopted", "declined"]))
    def change_status(self, which: int, status: str) -> None:
        path = self.files("suggestions")[which % len(self.files("suggestions"))]
        text = path.read_text(encoding="utf-8")
        lines = [line for line in text.split("\n") if not line.startswith(("status:", "shipped_in:", "declined_reason:", "history:", "  - "))]
        extra = "status: " + status + ("\ndeclined_reason: Not now." if status == "declined" else "")
        path.write_text(lines[0] + "\n" + extra + "\n" + "\n".join(lines[1:]), encoding="utf-8")
        self.build_both()

    @rule(day=st.integers(1, 28), tag=st.sampled_from(["camera", "Camera", "夜景", "battery"]))
    def add_story(self, day: int, tag: str) -> None:
        self.counter += 1
        story = self.site / "content/stories" / f"added-{self.counter}.md"
        story.write_text(STORY.format(title=f"Added {self.counter}", day=day, tag=tag, body="A new story."), encoding="utf-8")
        self.build_both()

    @precondition(lambda self: len(self.files("stories")) > 1)
    @rule(which=st.integers(0, 50))
    def delete_story(self, which: int) -> None:
        self.files("stories")[which % len(self.files("stories"))].unlink()
        self.build_both()

    @rule(which=st.integers(0, 50))
    def rename_story(self, which: int) -> None:
        self.counter += 1
        path = self.files("stories")[which % len(self.files("stories"))]
        path.rename(path.with_name(f"renamed-{self.counter}.md"))
        self.build_both()

    def set_languages(self, line: str) -> None:
        config = self.site / "site.yml"
        kept = [x for x in config.read_text(encoding="utf-8").splitlines(keepends=True) if not x.startswith("languages:")]
        config.write_text("".join(kept) + line, encoding="utf-8")

    @rule(line=st.sampled_from(LANGUAGES))
    def change_the_languages(self, line: str) -> None:
        """A language's folder comes, goes, or trades places with the root."""
        self.set_languages(line)
        self.build_both()

    @rule(epoch=st.sampled_from(EPOCHS))
    def move_the_build_date(self, epoch: str) -> None:
        self.epoch = epoch
        self.build_both()

    # -- interruptions and the output folder -----------------------------------------
    @rule(calls=st.integers(1, 40_000), which=st.integers(0, 50))
    def kill_a_build(self, calls: int, which: int) -> None:
        path = self.files("releases")[which % len(self.files("releases"))]
        old = tree(self.out)
        # An edit of the same size, as in the report that found stale pages after a crash.
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("a", "e", 1) if "a" in text else text + "x", encoding="utf-8")
        os.environ["SOURCE_DATE_EPOCH"] = self.epoch
        killed_build(self.site / "site.yml", self.out, self.cache, calls)
        new = self.work / "would-be"
        shutil.rmtree(new, ignore_errors=True)
        report = build(self.site / "site.yml", new, use_cache=False, jobs=1, search_index=False)
        assert tree(self.out) in (old, tree(new) if report.written else old), "a killed build left a mix"
        path.write_text(text, encoding="utf-8")  # then the edit is reverted (git checkout -- content)
        self.build_both()

    @rule(name=st.sampled_from(["stray.html", "releases/stray.txt", "new-folder/x.html"]))
    def stray_output_file(self, name: str) -> None:
        if self.out.is_dir():
            (self.out / name).parent.mkdir(parents=True, exist_ok=True)
            (self.out / name).write_text("not cocreate's", encoding="utf-8")
        self.build_both()

    @rule(which=st.integers(0, 500), how=st.sampled_from(["delete", "edit", "edit-same-size"]))
    def damage_output_file(self, which: int, how: str) -> None:
        # Not the marker: without it the folder is no longer cocreate's, and is refused (tested elsewhere).
        files = sorted(p for p in self.out.rglob("*") if p.is_file() and p.name != ".cocreate") if self.out.is_dir() else []
        if files:
            victim = files[which % len(files)]
            if how == "delete":
                victim.unlink()
            else:
                data = victim.read_bytes()
                victim.write_bytes(b"X" + data[1:] if how == "edit-same-size" and data else data + b"<!-- edited -->")
        self.build_both()

    @invariant()
    def no_cache_beside_the_site(self) -> None:
        assert not (self.site / ".cocreate-cache").exists()


@pytest.fixture(autouse=True)
def _tmp_for_machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COCREATE_PROPERTY_TMP", str(tmp_path))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCHS[4])


TestRebuilds = Rebuilds.TestCase
TestRebuilds.settings = settings.get_profile(PROFILE)
