"""Markdown renders as GitHub shows it, with bounded work and warnings an editor can act on.

The CommonMark examples (tests/data/commonmark-0.31.2-lists-and-code.json, CC-BY-SA 4.0,
see the file) prove list nesting and code blocks; a nested Chinese changelog is a golden
page (tests/data/changelog-nested.html, regenerate with --update-golden and review).
Site-level tests run the body stage the way `build.load()` runs it: load, then
`convert_bodies`, plan, then `check_links`.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from dataclasses import replace
from pathlib import Path

import html5lib
import pytest

from conftest import TESTS, run
from generator.bodies import Bodies, check_links, convert_bodies, known_urls
from generator.build import load
from generator.config import Limits, load_config
from generator.errors import Diagnostics
from generator.markup import Markup, convert, sanitize
from generator.pages import plan
from generator.theme import body_html

DATA = TESTS / "data"
SPEC = json.loads((DATA / "commonmark-0.31.2-lists-and-code.json").read_text(encoding="utf-8"))


def html_of(text: str, untrusted: bool = False) -> str:
    converted = convert(text, untrusted=untrusted)
    assert not [p for p in converted.problems if p.error], converted.problems
    return converted.html


def _normal(html: str) -> str:
    # nh3 re-serialises (<br />, quotes); headings are shifted under the page's <h1> on purpose.
    return re.sub(r"<(/?)h[1-6]>", r"<\1h>", re.sub(r">\n+<", "><", html)).strip()


@pytest.mark.parametrize("example", SPEC["examples"], ids=lambda e: f"{e['section']}-{e['example']}")
def test_commonmark_spec_example(example: dict) -> None:
    """Every spec example for lists, list items, indented and fenced code renders as the spec says."""
    expected = sanitize(re.sub(r"<(/?)h1>", r"<\1h2>", example["html"]), untrusted=False).rstrip("\n")
    assert _normal(html_of(example["markdown"])) == _normal(expected)


def test_the_spec_examples_cover_what_editors_hit() -> None:
    sections = {e["section"] for e in SPEC["examples"]}
    assert sections == {"Lists", "List items", "Indented code blocks", "Fenced code blocks"}
    assert len(SPEC["examples"]) == 115 and "CC-BY-SA" in SPEC["licence"]


def test_nested_changelog_matches_its_golden_page(update_golden: bool) -> None:
    html = html_of((DATA / "changelog-nested.md").read_text(encoding="utf-8"))
    golden = DATA / "changelog-nested.html"
    if update_golden:
        golden.write_text(html + "\n", encoding="utf-8")
    assert html == golden.read_text(encoding="utf-8").rstrip("\n")


def test_two_space_nesting_nests_as_on_github() -> None:
    html = html_of("- Form\n  - 🐞 修复 Form 校验\n  - 💄 优化 Form 样式\n- Table\n")
    fragment = html5lib.parseFragment(html, namespaceHTMLElements=False)
    outer = fragment.find("ul")
    assert [li.text.strip() for li in outer.findall("li")] == ["Form", "Table"]
    assert [li.text for li in outer.find("li").find("ul").findall("li")] == ["🐞 修复 Form 校验", "💄 优化 Form 样式"]


def test_fenced_code_inside_and_after_a_list_keeps_jsx_lines() -> None:
    text = "- Upgrade:\n\n  ```jsx\n  <YourApp />\n  ```\n- Done\n\n```jsx\n<LocaleProvider locale={zhCN}>\n  <YourApp />\n</LocaleProvider>\n```\n"
    html = html_of(text)
    assert "```" not in html
    assert html.count("<pre><code") == 2
    assert "&lt;YourApp /&gt;" in html and "&lt;LocaleProvider locale={zhCN}&gt;" in html
    assert re.search(r"<li>\s*<p>Upgrade:</p>\s*<pre><code", html)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("| a | b |\n| :- | -: |\n| 1 | 2 |\n", '<td style="text-align:right">2</td>'),
        ("~~gone~~", "<s>gone</s>"),
        ("- [x] done\n- [ ] todo\n", "<li>☑ done</li>\n<li>☐ todo</li>"),
        ("see https://example.com/a and www.example.org", '<a href="https://example.com/a" rel="noopener">https://example.com/a</a>'),
        ("see www.example.org.", '<a href="http://www.example.org" rel="noopener">www.example.org</a>.'),
        ("<https://example.com>", '<a href="https://example.com" rel="noopener">https://example.com</a>'),
    ],
    ids=["table", "strikethrough", "task-list", "bare-url", "www", "autolink"],
)
def test_github_additions(text: str, expected: str) -> None:
    assert expected in html_of(text)


def test_story_tables_keep_no_style_and_task_boxes_no_input() -> None:
    html = html_of("| a |\n| -: |\n| 1 |\n\n- [x] done\n", untrusted=True)
    assert "style=" not in html and "<input" not in html and "☑ done" in html


# ---------------------------------------------------------------- bounded work


def test_a_thousand_nested_list_markers_is_a_problem_not_a_crash() -> None:
    converted = convert("Intro\n\n" + "- " * 1000 + "x", untrusted=True)
    assert converted.html == ""
    assert [(p.line, p.error) for p in converted.problems] == [(2, True)]
    assert "nested more than 16 levels" in converted.problems[0].message


@pytest.mark.parametrize("text", ["> " * 1000 + "x", "1. " * 1000 + "x", "> - " * 600 + "x", "<blockquote>" * 20000])
def test_other_deep_nesting_is_refused_quickly(text: str) -> None:
    started = time.perf_counter()
    converted = convert(text, untrusted=True)
    assert time.perf_counter() - started < 2
    assert converted.html == "" and converted.problems[0].error


def test_nesting_within_the_limit_renders() -> None:
    text = "\n".join("  " * i + "- level" for i in range(16))
    assert html_of(text).count("<ul>") == 16
    assert convert(text + "\n" + "  " * 16 + "- one more", untrusted=False).problems[0].error


@pytest.mark.parametrize("pattern", ["[", "![", "[a](", "*a ", "<a "])
def test_twenty_kb_of_brackets_renders_well_under_a_second(pattern: str) -> None:
    started = time.perf_counter()
    converted = convert(pattern * (20_000 // len(pattern)), untrusted=True)
    assert time.perf_counter() - started < 0.8
    assert converted.html.startswith("<p>") and not converted.problems


def test_an_oversized_body_is_refused_before_any_work() -> None:
    started = time.perf_counter()
    converted = convert("x" * (50 * 1024 * 1024), untrusted=True)
    assert time.perf_counter() - started < 1
    assert converted.html == "" and converted.problems[0].error
    assert "51,200 KB, more than the 256 KB" in converted.problems[0].message


def test_limits_are_settable() -> None:
    assert convert("x" * 3000, untrusted=False, limits=Limits(max_body_kb=2)).problems[0].error
    deep = "> > > x"
    assert convert(deep, untrusted=False, limits=Limits(max_nesting=2)).problems[0].error
    assert not convert(deep, untrusted=False, limits=Limits(max_nesting=3)).problems


# ---------------------------------------------------------------- a site, the way build.load() will run the stage


def site_copy(tmp_path: Path, files: dict[str, str], yml: str = "") -> Path:
    site = tmp_path / "site"
    shutil.copytree(TESTS / "sites" / "basic", site)
    if yml:
        (site / "site.yml").write_text((site / "site.yml").read_text(encoding="utf-8") + yml, encoding="utf-8")
    for name, text in files.items():
        (site / name).write_text(text, encoding="utf-8")
    return site


def stage(site: Path) -> tuple[list[str], Bodies]:
    """Run load + convert_bodies + plan + check_links; return the messages and the bodies."""
    diagnostics = Diagnostics()
    loaded = load(site / "site.yml", diagnostics)
    assert loaded is not None, [str(d) for d in diagnostics.items]
    bodies = convert_bodies(loaded.site, loaded.config, diagnostics)
    pages = plan(replace(loaded.site, bodies=bodies), loaded.recognition, loaded.honors)
    files = ["assets/style.css", "stories/first-light/dawn.png"]
    check_links(bodies, known_urls([p.url for p in pages] + [f.url for p in pages for f in p.feeds], files), diagnostics)
    return [str(d) for d in diagnostics.sorted()], bodies


RELEASE = "---\nversion: '3.0'\ndate: '2026-11-01'\n---\n"


def test_dropped_tags_and_links_are_warnings_at_their_lines(tmp_path: Path) -> None:
    body = (
        "Intro.\n\n"  # line 5
        '<iframe src="https://video.example.com/x"></iframe>\n\n'  # 7
        "<div>Boxed</div>\n\n"  # 9
        "Join us on [IRC](irc://irc.example.net/pebble).\n\n"  # 11
        'A <a href="https://exa\nmple.com/">broken</a> link.\n'  # 13
    )
    messages, bodies = stage(site_copy(tmp_path, {"content/releases/3.0.md": RELEASE + body}))
    mine = [m for m in messages if m.startswith("content/releases/3.0.md")]
    assert mine == [
        "content/releases/3.0.md:7: warning: <iframe> is not allowed in a page and was left out (its text is kept); use Markdown instead",
        "content/releases/3.0.md:9: warning: <div> is not allowed in a page and was left out (its text is kept); use Markdown instead",
        "content/releases/3.0.md:11: warning: link to 'irc://irc.example.net/pebble' left out, its text kept: only http:, https: and mailto: addresses may be linked",
        "content/releases/3.0.md:13: warning: link to 'https://exa mple.com/' left out, its text kept: the address holds a line break, tab or space; write it on one line and use %20 for a space",
    ]
    html = bodies.html["content/releases/3.0.md"]
    assert "Join us on IRC." in html and "A broken link." in html
    assert "<a" not in html and "irc:" not in html and "exa\nmple" not in html


def test_a_relative_link_to_nowhere_is_a_warning_and_real_ones_are_not(tmp_path: Path) -> None:
    body = (
        "See [S-1](../../suggestions/S-1/), [the list](/changelog/suggestions/), [feed](/changelog/feeds/releases.xml)\n"
        "and [2.1](../2.1) and [more](REDDIT_LINK_HERE).\n"
    )
    messages, _ = stage(site_copy(tmp_path, {"content/releases/3.0.md": RELEASE + body}))
    assert [m for m in messages if "leads to no page" in m] == [
        "content/releases/3.0.md:6: warning: the link 'REDDIT_LINK_HERE' leads to no page or file of this site; "
        "fix the address, or write the full https:// address of another site",
    ]


def test_a_too_deep_story_is_an_error_at_the_line_where_it_starts(tmp_path: Path) -> None:
    story = (
        "---\ntitle: Deep\nauthor: ada\ndate: 2026-11-01\nstatus: approved\nconsent: true\n---\n"
        "A story.\n\n" + "- " * 1000 + "x\n"
    )
    messages, bodies = stage(site_copy(tmp_path, {"content/stories/deep.md": story}))
    assert "content/stories/deep.md:10: lists or quotes are nested more than 16 levels deep here; flatten them (or raise limits.max_nesting in site.yml)" in messages
    assert bodies.html["content/stories/deep.md"] == ""


def test_a_fifty_mb_story_is_refused_with_its_file_and_line(tmp_path: Path) -> None:
    story = "---\ntitle: Huge\nauthor: ada\ndate: 2026-11-01\nstatus: approved\nconsent: true\n---\n" + "word " * 10_000_000
    messages, _ = stage(site_copy(tmp_path, {"content/stories/huge.md": story}))
    assert [m for m in messages if m.startswith("content/stories/huge.md")] == [
        "content/stories/huge.md:8: the text is 48,829 KB, more than the 256 KB a page may hold; shorten it or split it (or raise limits.max_body_kb in site.yml)"
    ]


def test_site_yml_limits_are_read_and_checked(tmp_path: Path) -> None:
    site = site_copy(tmp_path, {}, "limits:\n  max_body_kb: 1\n  max_nesting: 2\n")
    config = load_config(site / "site.yml", Diagnostics())
    assert config is not None and config.limits == Limits(max_body_kb=1, max_nesting=2)
    bad = site_copy(tmp_path / "bad", {}, "limits:\n  max_body_kb: lots\n  max_nesting: 0\n  max_depth: 3\n")
    diagnostics = Diagnostics()
    assert load_config(bad / "site.yml", diagnostics) is None
    text = [str(d) for d in diagnostics.sorted()]
    lines = len((TESTS / "sites/basic/site.yml").read_text(encoding="utf-8").splitlines())
    assert text == [
        f"site.yml:{lines + 2}: limits.max_body_kb: expected a whole number, got 'lots'",
        f"site.yml:{lines + 3}: limits.max_nesting: expected a number of 1 or more, got 0",
        f"site.yml:{lines + 4}: limits.max_depth: unknown field for limits (did you mean 'max_yaml_depth' or 'max_nesting'?)",
    ]


def test_a_page_body_shows_the_html_converted_up_front(tmp_path: Path) -> None:
    _, bodies = stage(site_copy(tmp_path, {}))
    diagnostics = Diagnostics()
    loaded = load(TESTS / "sites/basic/site.yml", diagnostics)
    release = loaded.site.releases[0]
    sentinel = replace(bodies, html={release.origin.path: "<p>converted up front</p>"})
    assert body_html(sentinel, Markup(), release, loaded.config) == "<p>converted up front</p>"
    # Not converted up front (a custom template, an engine without the stage): the same HTML.
    assert body_html(None, Markup(), release, loaded.config) == bodies.html[release.origin.path]


# ---------------------------------------------------------------- headings in the rendered pages


def test_body_headings_make_a_valid_outline_on_every_page(tmp_path: Path) -> None:
    body = "# Big news\n\nText.\n\n#### Details\n\n## Fixes\n\n### Camera\n"
    story = "---\ntitle: Heads\nauthor: ada\ndate: 2026-11-01\nstatus: approved\nconsent: true\n---\n" + body
    site = site_copy(tmp_path, {"content/releases/3.0.md": RELEASE + body, "content/stories/heads.md": story})
    out = tmp_path / "out"
    assert run("build", "--config", str(site / "site.yml"), "--out", str(out)) == 0
    for page in ("releases/3.0/index.html", "stories/heads/index.html"):
        tree = html5lib.parse((out / page).read_text(encoding="utf-8"), namespaceHTMLElements=False)
        levels = [int(el.tag[1]) for el in tree.iter() if isinstance(el.tag, str) and re.fullmatch(r"h[1-6]", el.tag)]
        assert levels.count(1) == 1, (page, levels)
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), (page, levels)
        main = tree.find(".//main")
        prose = [el for el in main.iter() if el.get("class", "").startswith("prose")][0]
        assert [el.tag for el in prose if el.tag.startswith("h")] == ["h2", "h3", "h3", "h4"], page
