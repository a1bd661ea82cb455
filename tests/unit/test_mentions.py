"""Suggestion ids in a credit's text become links; everything else stays text, escaped."""

import pytest

from generator.mentions import link_mentions, mentioned

IDS = frozenset({"S-2", "S-1028", "建议-7"})


def link(path: str) -> str:
    return ".." + path


@pytest.mark.parametrize(
    "text,html",
    [
        ("tested S-1028.", 'tested <a href="../suggestions/S-1028/">S-1028</a>.'),
        ("S-10280 and S-102 and xS-2", "S-10280 and S-102 and xS-2"),  # whole ids only
        ("翻译了建议-7，谢谢", '翻译了<a href="../suggestions/建议-7/">建议-7</a>，谢谢'),
        ('<b onclick="x">S-2</b>', '&lt;b onclick=&#34;x&#34;&gt;<a href="../suggestions/S-2/">S-2</a>&lt;/b&gt;'),
    ],
)
def test_link_mentions(text: str, html: str) -> None:
    assert str(link_mentions(text, IDS, link)) == html


def test_mentioned_lists_only_known_ids() -> None:
    assert mentioned(["S-2 and S-20", "建议-7、S-2"], IDS) == ("S-2", "建议-7")
