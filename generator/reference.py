"""The reference of every setting and field, written from the tables validation reads (schema.py).

`cocreate reference` prints it; docs/reference.md is its output, committed, and a test
fails when the two differ.
"""

from __future__ import annotations

from typing import Mapping

from . import schema
from .config import DEFAULT_POINTS
from .schema import Key

HEADER = """# Reference: every setting and field

Made by `cocreate reference` from the tables cocreate validates with
(`generator/schema.py`); do not edit it by hand. Regenerate it with
`python -m generator reference > docs/reference.md`.

A key marked *required* must be given; any other may be left out, and then has the
default shown. Unknown keys are errors, with the nearest known keys named.
"""

SECTIONS = (
    ("`site.yml`", "The site's settings, in `site.yml` beside `content/`.", (
        ("", schema.SITE),
        ("feeds.", schema.FEEDS),
        ("limits.", schema.LIMITS),
        ("recognition.", schema.RECOGNITION),
        ("recognition.points.", schema.POINTS),
        ("recognition.levels[].", schema.LEVEL),
        ("appearance.", schema.APPEARANCE),
        ("participate.", schema.PARTICIPATE),
        ("areas[].", schema.AREA),
        ("channels[].", schema.CHANNEL),
        ("feedback.", schema.FEEDBACK),
        ("cards.", schema.CARDS),
    )),
    ("A release: `content/releases/<version>.md`", "", (
        ("", schema.RELEASE),
        ("credits[].", schema.CREDIT),
        ("popcorn.", schema.POPCORN),
    )),
    ("A suggestion: `content/suggestions/<id>.md`", "The file name is the id (`S-1024.md` is `S-1024`).", (
        ("", schema.SUGGESTION),
        ("history[].", schema.HISTORY),
    )),
    ("A contributor profile: `content/contributors/<handle>.md`", "Optional: everyone credited has a page without one too.", (
        ("", schema.PROFILE),
    )),
    ("A fan story: `content/stories/<slug>.md`", "Published only when `status: approved` and `consent: true`.", (
        ("", schema.STORY),
        ("author.", schema.GUEST),
    )),
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _default(prefix: str, name: str, key: Key) -> str:
    if key.required:
        return "*required*"
    if prefix == "recognition.points.":
        return str(DEFAULT_POINTS[name])  # the one place the defaults live
    return f"`{key.default}`" if key.default else "(none)"


def _rows(prefix: str, keys: Mapping[str, Key]) -> list[str]:
    return [
        f"| `{prefix}{name}` | {_cell(key.type)} | {_cell(_default(prefix, name, key))} "
        f"| `{_cell(f'{name}: {key.example}')}` | {_cell(key.doc)} |"
        for name, key in keys.items()
    ]


def render() -> str:
    """Write the reference of every site.yml key and front-matter field as Markdown."""
    parts = [HEADER]
    for title, intro, tables in SECTIONS:
        parts.append(f"\n## {title}\n")
        if intro:
            parts.append(f"\n{intro}\n")
        parts.append("\n| key | type | default | example | meaning |\n|---|---|---|---|---|\n")
        for prefix, keys in tables:
            parts.append("".join(row + "\n" for row in _rows(prefix, keys)))
    return "".join(parts)
