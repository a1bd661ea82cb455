"""Fuzzing front-matter splitting and the YAML reader (Hypothesis, a bounded number of examples).

Whatever bytes a content file holds, reading it ends as a document or as diagnostics an
editor can read (`path:line: message`, one line each): never an exception, never a hang.
The inputs mix random bytes and text with the pieces of YAML that cause trouble
(anchors, aliases, tags, deep brackets, tabs, '#', yes/no words, dates that do not exist).
"""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import TESTS
from generator import fields as f
from generator.config import SiteConfig, load_config
from generator.documents import parse
from generator.errors import Diagnostics
from generator.sources import KINDS, SourceFile

SECONDS_PER_INPUT = 2.0
DIAGNOSTIC = re.compile(r"content/[a-z]+/x\.md:[1-9]\d*: [^\n]+")

TOKENS = [
    "---", "...", "- ", ": ", "? ", "#", "# note", "#1", "&a ", "*a", "&b [*a,*a]", "!!python/object:os.system",
    "!!str ", "!!binary ", "!tag ", "[", "]", "{", "}", ",", "'", '"', "|", ">", "\t", "  ", "\n", "\r\n", "\r",
    "yes", "No", "on", "OFF", "true", "'true'", "~", "null", "1.10", "1e999", "0x1F", "9" * 5000, "2026-02-30",
    "2026-11-20", "2026-11-20T09:30:00+08:00", "%YAML 1.1", "%TAG ! tag:x,2000:", "<<: ", "\x00", "\x08", "\ufeff",
    "\u2028", "夜景", "🦊", "\\", "@", "`", "%", "=",
]
KEYS = ["title", "version", "date", "status", "consent", "author", "proposed_by", "tags", "credits", "who", "for",
        "history", "summary", "popcorn", "members", "anonymous", "name", "cover", "avatar", "links", "x"]

yaml_like = st.lists(
    st.one_of(
        st.sampled_from(TOKENS),
        st.sampled_from(KEYS).map(lambda k: f"\n{k}: "),
        st.text(max_size=20),
    ),
    max_size=60,
).map("".join)

file_bytes = st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=2000).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.tuples(yaml_like, st.text(max_size=200), st.sampled_from(["---", "----", "--- ", ""])).map(
        lambda parts: f"---\n{parts[0]}\n{parts[2]}\n{parts[1]}".encode("utf-8", "surrogatepass")
    ),
    yaml_like.map(lambda y: f"---{y}---".encode("utf-8", "surrogatepass")),
)


@pytest.fixture(scope="module")
def config() -> SiteConfig:
    loaded = load_config(TESTS / "sites" / "basic" / "site.yml", Diagnostics())
    assert loaded is not None
    return loaded


@pytest.fixture(scope="module")
def folder() -> Path:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=file_bytes, kind=st.sampled_from(KINDS))
def test_any_content_file_ends_as_a_document_or_as_messages(data: bytes, kind: str, config: SiteConfig, folder: Path) -> None:
    path = folder / "content" / kind / "x.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    started = time.perf_counter()
    diagnostics = Diagnostics()
    parsed = parse([SourceFile(kind, path, f"content/{kind}/x.md")], config, diagnostics)
    seconds = time.perf_counter() - started
    assert seconds < SECONDS_PER_INPUT, f"took {seconds:.2f}s"
    assert parsed.documents or diagnostics.has_errors()
    for d in diagnostics.items:
        assert DIAGNOSTIC.fullmatch(str(d).replace("warning: ", "", 1)), repr(str(d))


@settings(max_examples=1000, deadline=None)
@given(text=st.one_of(yaml_like, st.text(max_size=500)), first_line=st.integers(min_value=1, max_value=50))
def test_the_yaml_reader_gives_values_or_a_problem_with_a_line(text: str, first_line: int) -> None:
    started = time.perf_counter()
    warnings: list[tuple[int, str]] = []
    try:
        node = f.parse_yaml(text, first_line, warnings)
    except f.YamlProblem as problem:
        assert problem.line >= first_line and problem.message
    else:
        assert node is None or isinstance(node, f.Node)
        assert all(line >= first_line and message for line, message in warnings)
    assert time.perf_counter() - started < SECONDS_PER_INPUT


# --- what the fuzzing found -----------------------------------------------------------------


def test_a_control_character_in_front_matter_is_a_message_on_its_line(config: SiteConfig, folder: Path) -> None:
    path = folder / "content" / "releases" / "x.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"---\nversion: '1.0'\ndate: 2026-11-20\nsummary: a\x08b\n---\n")
    diagnostics = Diagnostics()
    parse([SourceFile("releases", path, "content/releases/x.md")], config, diagnostics)
    [shown] = [str(d) for d in diagnostics.items]
    assert shown.startswith("content/releases/x.md:4: ") and "U+0008" in shown, shown


def test_a_value_with_a_line_break_is_quoted_on_one_line(config: SiteConfig, folder: Path) -> None:
    path = folder / "content" / "suggestions" / "x.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('---\ntitle: T\nproposed_by: ["ada\\nbo"]\ndate: 2026-11-20\nstatus: "done\\n"\n---\n', encoding="utf-8")
    diagnostics = Diagnostics()
    parse([SourceFile("suggestions", path, "content/suggestions/x.md")], config, diagnostics)
    shown = [str(d) for d in diagnostics.items]
    assert len(shown) == 2 and all("\n" not in line for line in shown), shown
    assert shown[0].startswith("content/suggestions/x.md:3: proposed_by: item 1: 'ada\\nbo' is not a handle")
