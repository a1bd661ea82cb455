"""docs/reference.md: every key validation reads is documented, the committed file is current, every example is valid."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, run
from generator import fields as f
from generator import reference, schema
from generator.config import DEFAULT_POINTS

TABLES = {name: getattr(schema, name) for name in dir(schema) if name.isupper() and isinstance(getattr(schema, name), type(schema.SITE))}
PNG = (ROOT / "generator" / "starter" / "en" / "content" / "contributors" / "sam-lee.png").read_bytes()


def test_the_committed_reference_is_current(capsys: pytest.CaptureFixture) -> None:
    assert run("reference") == 0
    printed = capsys.readouterr().out
    committed = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    assert printed == committed, "docs/reference.md is stale: python -m generator reference > docs/reference.md"


def test_the_readme_links_the_reference() -> None:
    assert "docs/reference.md" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_key_has_a_type_a_meaning_an_example_and_a_row(table: str) -> None:
    text = reference.render()
    for name, key in TABLES[table].items():
        assert key.type and key.doc and key.example, (table, name)
        assert f"{name}`" in text and f"`{name}: " in text.replace("\\|", "|"), (table, name)


def test_every_kind_of_points_is_documented() -> None:
    assert list(schema.POINTS) == list(DEFAULT_POINTS)


@pytest.mark.parametrize(
    "fields, problem",
    [
        ({"title": f.Field(f.text, required=True), "url": f.Field(f.text, required=True), "colour": f.Field(f.text)}, "undocumented ['colour']"),
        ({"title": f.Field(f.text, required=True)}, "documented but not read"),
        ({"title": f.Field(f.text), "url": f.Field(f.text, required=True)}, "required"),
    ],
)
def test_a_reader_that_disagrees_with_the_schema_fails_loudly(fields: dict, problem: str) -> None:
    table = schema.table(title=schema.SITE["title"], url=schema.SITE["url"])
    with pytest.raises(schema.Undocumented, match=problem.replace("[", r"\[").replace("]", r"\]")):
        schema.checked(table, fields)


def _flow(keys: schema.Mapping[str, schema.Key], **instead: str) -> str:
    return "{" + ", ".join(f"{name}: {instead.get(name, key.example)}" for name, key in keys.items()) + "}"


def test_every_example_in_the_reference_is_valid(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """A site that sets every key to its documented example checks without an error."""
    site = tmp_path / "site"
    lines = [f"{name}: {key.example}" for name, key in schema.SITE.items() if name not in ("feeds", "recognition", "theme")]
    lines.append(f"feeds: {_flow(schema.FEEDS)}")
    lines.append(f"recognition: {_flow(schema.RECOGNITION, points=_flow(schema.POINTS))}")
    (site / "themes" / "my-theme").mkdir(parents=True)
    lines.append(f"theme: {schema.SITE['theme'].example}")

    def front_matter(rel: str, keys: schema.Mapping[str, schema.Key], **instead: str) -> None:
        path = site / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        body = "".join(f"{name}: {instead.get(name, key.example)}\n" for name, key in keys.items())
        path.write_text(f"---\n{body}---\nText.\n", encoding="utf-8")

    (site / "site.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    front_matter(
        "releases/14.8.23.md", schema.RELEASE,
        credits=f"[{_flow(schema.CREDIT)}]", popcorn=_flow(schema.POPCORN),
    )
    front_matter("suggestions/S-1024.md", schema.SUGGESTION, history=f"[{_flow(schema.HISTORY)}]")
    front_matter("contributors/lin-xiao.md", schema.PROFILE)
    for handle in ("maria-k", "zhou-min", "amara-n"):  # named by the examples; require_profiles is on
        (site / "content" / "contributors" / f"{handle}.md").write_text("---\nname: X\n---\n", encoding="utf-8")
    front_matter("stories/first.md", schema.STORY)
    front_matter("stories/guest.md", schema.STORY, author=_flow(schema.GUEST))
    (site / "content" / "contributors" / "lin-xiao.jpg").write_bytes(PNG)
    (site / "content" / "stories" / "cover.jpg").write_bytes(PNG)

    code = run("check", "--config", str(site / "site.yml"))
    err = capsys.readouterr().err
    assert code == 0, err
