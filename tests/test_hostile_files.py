"""Hostile files in content/: pipes, sockets, names with line breaks, and names in any script.

A FIFO must be reported without being opened (reading one waits forever for a writer);
a name check must match the whole name (`$` also matches before a trailing newline);
stories and suggestions may be named in any script, as tags are, and get Unicode
addresses, percent-encoded in links and feed ids.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import unicodedata
from pathlib import Path

import pytest

from conftest import ROOT, TESTS
from generator.documents import split
from generator.errors import Diagnostics
from generator.sources import SourceFile

EPOCH = {"SOURCE_DATE_EPOCH": "1798761600"}  # 2027-01-01: every release of the sample is due
STORY = "---\ntitle: {title}\nauthor: bo\ndate: 2026-11-12\nstatus: approved\nconsent: true\n---\nA story.\n"
SUGGESTION = "---\ntitle: {title}\nproposed_by: [ada]\ndate: 2026-10-01\nstatus: received\n---\nAsked.\n"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    shutil.copytree(TESTS / "sites" / "basic", tmp_path / "site")
    return tmp_path / "site"


def cocreate(*argv: str, seconds: float = 60) -> subprocess.CompletedProcess[str]:
    """Run the command line in a process of its own, so a hang fails the test instead of stopping the suite."""
    env = {**os.environ, **EPOCH, "PYTHONPATH": str(ROOT)}
    try:
        return subprocess.run(
            [sys.executable, "-m", "generator", *argv], capture_output=True, text=True, cwd=ROOT, env=env, timeout=seconds
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"cocreate {' '.join(argv)} still ran after {seconds}s")


# --- pipes, sockets and devices are reported, never opened ------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_in_content_is_reported_by_check_and_build_without_hanging(site: Path, tmp_path: Path) -> None:
    os.mkfifo(site / "content" / "stories" / "pipe.md")
    os.mkfifo(site / "content" / "releases" / "notes.txt")  # not even a .md file is opened
    config = str(site / "site.yml")
    expected = [
        "content/releases/notes.txt:1: is a named pipe (FIFO), not a file; cocreate never opens it: remove it from content/",
        "content/stories/pipe.md:1: is a named pipe (FIFO), not a file; cocreate never opens it: remove it from content/",
    ]

    checked = cocreate("check", "--config", config)
    assert [line for line in checked.stderr.splitlines() if "FIFO" in line] == expected
    assert checked.returncode == 1, checked.stderr

    out = tmp_path / "out"
    built = cocreate("build", "--config", config, "--out", str(out), "--no-search")
    assert [line for line in built.stderr.splitlines() if "FIFO" in line] == expected
    assert built.returncode == 1 and not out.exists()
    assert "Traceback" not in built.stderr + checked.stderr


def test_a_socket_in_content_is_reported(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(site / "content" / "stories")  # a relative name: socket paths are short
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind("talk.md")
        checked = cocreate("check", "--config", str(site / "site.yml"))
    assert "content/stories/talk.md:1: is a socket, not a file; cocreate never opens it: remove it from content/" in checked.stderr
    assert checked.returncode == 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_reading_a_fifo_that_appeared_after_discovery_does_not_block(site: Path) -> None:
    pipe = site / "content" / "stories" / "late.md"
    os.mkfifo(pipe)
    diagnostics = Diagnostics()
    result: list[object] = []
    reader = threading.Thread(target=lambda: result.append(split(SourceFile("stories", pipe, "content/stories/late.md"), diagnostics)), daemon=True)
    reader.start()
    reader.join(5)
    assert not reader.is_alive(), "split() waited on a FIFO"
    assert result == [None]
    assert [str(d) for d in diagnostics.items] == [
        "content/stories/late.md:1: is not a regular file (a pipe or a device); cocreate never reads it: remove it from content/"
    ]


# --- a name is checked as a whole ---------------------------------------------------------


@pytest.mark.parametrize(
    ("rel", "text"),
    [
        ("content/stories/evil\n.md", STORY.format(title="Evil")),
        ("content/suggestions/S-9\n.md", SUGGESTION.format(title="Evil")),
        ("content/contributors/ada\n.md", "---\nname: Not Ada\n---\n"),
        ("content/stories/tab\tname.md", STORY.format(title="Tab")),
    ],
    ids=["story", "suggestion", "profile", "tab"],
)
def test_a_file_name_with_a_line_break_is_refused(site: Path, tmp_path: Path, rel: str, text: str) -> None:
    (site / rel).write_text(text, encoding="utf-8")
    shown = rel.replace("\n", "\\n").replace("\t", "\\t")
    checked = cocreate("check", "--config", str(site / "site.yml"))
    assert f"{shown}:1: the file name holds a line break or another invisible character; rename the file using letters, digits and '-'" in checked.stderr.splitlines()
    assert checked.returncode == 1

    out = tmp_path / "out"
    built = cocreate("build", "--config", str(site / "site.yml"), "--out", str(out), "--no-search")
    assert built.returncode == 1 and not out.exists()


def test_every_name_pattern_is_matched_whole() -> None:
    """Patterns with '$' let a trailing newline through; every name pattern is written for fullmatch."""
    from generator import documents, fields, scaffold

    for pattern in (documents.HANDLE_RE, fields.VERSION_RE):
        assert not pattern.pattern.startswith("^") and not pattern.pattern.endswith("$"), pattern.pattern
    assert documents.HANDLE_RE.match("ada\n") and not documents.HANDLE_RE.fullmatch("ada\n")
    # the code only ever uses them with fullmatch
    source = "".join(Path(m.__file__).read_text(encoding="utf-8") for m in (documents, fields, scaffold))
    for name in ("HANDLE_RE", "VERSION_RE", "NAME_RE"):
        assert f"{name}.match(" not in source and f"{name}.search(" not in source


# --- names in any script ------------------------------------------------------------------


def test_stories_and_suggestions_named_in_chinese_get_unicode_addresses(site: Path, tmp_path: Path) -> None:
    stories, suggestions = site / "content" / "stories", site / "content" / "suggestions"
    (stories / "故事.md").write_text(STORY.format(title="夜里的星星"), encoding="utf-8")
    (suggestions / "建议-1.md").write_text(SUGGESTION.format(title="农历"), encoding="utf-8")
    # macOS stores names decomposed; the address is the composed (NFKC) one either way
    (stories / unicodedata.normalize("NFD", "café.md")).write_text(STORY.format(title="Café"), encoding="utf-8")
    out = tmp_path / "out"
    built = cocreate("build", "--config", str(site / "site.yml"), "--out", str(out), "--no-search")
    assert built.returncode == 0, built.stderr

    story, suggestion = "%E6%95%85%E4%BA%8B", "%E5%BB%BA%E8%AE%AE-1"
    assert (out / "stories" / "故事" / "index.html").is_file()
    assert (out / "stories" / "café" / "index.html").is_file()
    assert (out / "suggestions" / "建议-1" / "index.html").is_file()
    assert f'href="stories/{story}/"' in (out / "index.html").read_text(encoding="utf-8")
    assert f'href="../stories/{story}/"' in (out / "stories" / "index.html").read_text(encoding="utf-8")
    assert 'href="../stories/caf%C3%A9/"' in (out / "stories" / "index.html").read_text(encoding="utf-8")
    assert f'href="../suggestions/{suggestion}/"' in (out / "suggestions" / "index.html").read_text(encoding="utf-8")

    absolute = f"https://pebble.example.org/changelog/stories/{story}/"
    assert f"<id>{absolute}</id>" in (out / "feeds" / "stories.atom").read_text(encoding="utf-8")
    assert f"<guid isPermaLink=\"false\">{absolute}</guid>" in (out / "feeds" / "stories.xml").read_text(encoding="utf-8")
    items = json.loads((out / "feeds" / "stories.json").read_text(encoding="utf-8"))["items"]
    assert absolute in [item["id"] for item in items]
    assert f"<loc>https://pebble.example.org/changelog/suggestions/{suggestion}/</loc>" in (out / "sitemap.xml").read_text(encoding="utf-8")


def test_a_new_story_may_be_given_an_address_in_any_script(site: Path) -> None:
    made = cocreate("new", "story", "--config", str(site / "site.yml"), "--title", "夜里的星星", "--author", "bo", "--slug", "星星")
    assert made.returncode == 0, made.stderr
    assert (site / "content" / "stories" / "星星.md").is_file()
    refused = cocreate("new", "story", "--config", str(site / "site.yml"), "--title", "x", "--author", "bo", "--slug", "evil\n")
    assert refused.returncode == 2 and "is not a story address" in refused.stderr


@pytest.mark.parametrize(
    ("folder", "first", "second", "text"),
    [
        ("suggestions", "Ärger-1.md", "ärger-1.md", SUGGESTION.format(title="Zwei")),
        ("stories", "café.md", unicodedata.normalize("NFD", "café.md"), STORY.format(title="Zwei")),
    ],
    ids=["letter-case", "composed-and-decomposed"],
)
def test_two_names_for_one_address_are_an_error(site: Path, folder: str, first: str, second: str, text: str) -> None:
    for name in (first, second):
        (site / "content" / folder / name).write_text(text, encoding="utf-8")
    if len(list((site / "content" / folder).iterdir())) < len(os.listdir(TESTS / "sites" / "basic" / "content" / folder)) + 2:
        pytest.skip("this file system folds the two names into one")
    checked = cocreate("check", "--config", str(site / "site.yml"))
    assert checked.returncode == 1
    assert "which content/" in checked.stderr and "already writes; rename one of them" in checked.stderr, checked.stderr
