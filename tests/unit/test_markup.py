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
