import pytest

from generator.markup import Markup, absolute_links


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        "[click](javascript:alert(1))",
        "![x](data:image/png;base64,AAAA)",
        '<iframe src="https://evil.example"></iframe>',
        "<style>body{display:none}</style>",
        '<a href="https://x.org" style="color:red" onclick="x()">a</a>',
        "<form action=https://evil.example><input></form>",
        "<svg><script>alert(1)</script></svg>",
    ],
)
def test_untrusted_markdown_loses_active_content(source: str) -> None:
    html = Markup().render(source, untrusted=True)
    for bad in ("<script", "onerror", "javascript:", "data:", "<iframe", "<style", "onclick", "style=", "<form", "<svg", "<input"):
        assert bad not in html.lower(), (source, html)


def test_story_links_are_marked_ugc() -> None:
    assert 'rel="nofollow ugc noopener"' in Markup().render("[a](https://x.org)", untrusted=True)


def test_story_images_from_other_folders_are_dropped() -> None:
    html = Markup().render("![a](../../site.yml) ![b](/etc/passwd.png) ![c](https://x.org/c.png) ![d](d.png)", untrusted=True)
    assert "site.yml" not in html and "/etc/" not in html
    assert 'src="https://x.org/c.png"' in html and 'src="d.png"' in html


def test_feed_links_become_absolute() -> None:
    html = '<a href="../../suggestions/S-1/">x</a> <a href="https://o.org/">y</a>'
    assert absolute_links(html, "https://x.org/a/releases/1/") == (
        '<a href="https://x.org/a/suggestions/S-1/">x</a> <a href="https://o.org/">y</a>'
    )


# --------------------------------------------------------------------------- convert(): pure, bounded, honest

import time  # noqa: E402

import html5lib  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from generator.config import Limits  # noqa: E402
from generator.markup import Converted, body_key, convert, hidden_scheme  # noqa: E402


def test_convert_returns_plain_data_and_is_repeatable() -> None:
    text = "# T\n\n[a](../x/) <div>d</div> [b](irc:x)\n"
    first, second = convert(text, untrusted=False), convert(text, untrusted=False)
    assert first == second and isinstance(first, tuple) and isinstance(first.html, str)
    assert first.links == ((2, "../x/", "a"),)
    assert [p.line for p in first.problems] == [2, 2]


def test_body_key_changes_with_every_argument() -> None:
    keys = {
        body_key("a", False, Limits()),
        body_key("b", False, Limits()),
        body_key("a", True, Limits()),
        body_key("a", False, Limits(max_body_kb=1)),
        body_key("a", False, Limits(max_nesting=3)),
    }
    assert len(keys) == 5


@pytest.mark.parametrize("untrusted", [True, False], ids=["story", "editor"])
def test_a_refused_link_keeps_its_text_without_an_empty_anchor(untrusted: bool) -> None:
    for text in ("[chat](irc://irc.example.net/x)", '<a href="irc://irc.example.net/x">chat</a>', "<irc://irc.example.net/x>"):
        html = convert(text, untrusted=untrusted).html
        assert "<a" not in html, (text, html)
        assert "chat" in html or "irc.example.net" in html, (text, html)


def test_a_url_with_a_line_break_is_never_an_href() -> None:
    for text in ('<a href="https://a.example/x\ny">t</a>', '<a href="https://a.example/x&#10;y">t</a>', "<img src=\"a\nb.png\">"):
        converted = convert(text, untrusted=False)
        fragment = html5lib.parseFragment(converted.html, namespaceHTMLElements=False)
        assert all(not any(c in v for c in "\n\r\t") for el in fragment.iter() for v in el.attrib.values()), converted.html
        assert converted.problems, text


def test_editor_tags_the_sanitiser_drops_are_named_once_each() -> None:
    problems = convert("<div>a</div>\n<div>b</div>\n\n<script>x()</script>\n", untrusted=False).problems
    assert [p.message.split(" ")[0] for p in problems] == ["<div>", "<script>"]
    assert "with what is inside it" in problems[1].message
    assert not convert("<div>a</div>", untrusted=True).problems  # the public's HTML is expected to go


# Pieces of Markdown and HTML, the hostile ones included, joined in any order.
MARKDOWNISH = st.lists(
    st.sampled_from(list("-*>#[]()!`~_|:<>/\"'= \n\tax1.") + ["<a href=", "javascript:", "<script>", " onerror=", "```", "- [ ] ", "&#", "<div>", "  - "]),
    max_size=200,
).map("".join)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=MARKDOWNISH, untrusted=st.booleans())
def test_fuzz_every_input_ends_as_html_or_a_problem(text: str, untrusted: bool) -> None:
    started = time.perf_counter()
    converted = convert(text, untrusted=untrusted, limits=Limits(max_nesting=4))
    assert time.perf_counter() - started < 2, "one body took more than 2 s"
    assert isinstance(converted, Converted)
    fragment = html5lib.parseFragment(converted.html, namespaceHTMLElements=False)
    for el in fragment.iter():
        assert el.tag != "script"
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), converted.html
            if untrusted and name in ("href", "src"):
                # read leniently, as an old browser or a feed reader might: no scheme but ours
                # ('-javascript:x' is a relative path, not a scheme)
                assert not hidden_scheme(value), converted.html
    if untrusted:
        assert "<script" not in converted.html.lower()


@settings(max_examples=60, deadline=None)
@given(depth=st.integers(min_value=0, max_value=1500), marker=st.sampled_from(["- ", "> ", "1. ", "* > ", "<blockquote>"]))
def test_fuzz_deep_nesting_never_raises(depth: int, marker: str) -> None:
    started = time.perf_counter()
    converted = convert(marker * depth + "x", untrusted=True)
    assert time.perf_counter() - started < 2
    assert converted.html or converted.problems


def test_removing_a_bare_link_leaves_no_stray_attribute_text() -> None:
    html = convert('<a title="a>b" href="irc:x">chat</a> and [x](irc:y "t>i")', untrusted=True).html
    assert html == "<p>chat and x</p>"
