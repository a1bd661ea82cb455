"""Share cards, share links and badges, as a reader and an editor meet them (issue 13, items 1-3)."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import struct
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from lxml import etree, html
from PIL import Image

from conftest import ROOT, run

SITE_URL = "https://changelog.lumen-os.example/"
WIDTH = 1200
HOSTILE = "</text><script>alert(1)</script> & ]]> \"q\" 'a' <!--"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo (share links for four networks) with a hostile profile and a name no font covers."""
    site = tmp_path_factory.mktemp("share")
    shutil.copy(ROOT / "site.yml", site / "site.yml")  # which lists share: [weibo, x, telegram, mastodon]
    shutil.copytree(ROOT / "content", site / "content")
    (site / "content/contributors/mallory.md").write_text(
        f"---\nname: '{HOSTILE.replace(chr(39), chr(39) * 2)}'\navatar: mallory.png\ntitles: ['<b>Beta & Tester</b>']\n---\n", encoding="utf-8"
    )
    Image.new("RGB", (300, 200), (0, 200, 0)).save(site / "content/contributors/mallory.png")
    # Egyptian hieroglyphs: in no font cocreate finds on a Debian system.
    (site / "content/contributors/scribe.md").write_text("---\nname: \U00013000 Scribe\n---\n", encoding="utf-8")
    # A title far too long for a card, in right-to-left Arabic, Chinese and Latin, with emoji.
    long_title = ("مرحبا بالعالم 🎉🚀 " + "锁屏上的农历日期 " + "supercalifragilistic" * 5 + " ") * 40
    (site / "content/stories/long.md").write_text(
        f"---\ntitle: '{long_title}'\nauthor: {{name: 'Guest 🌟'}}\ndate: 2026-09-01\nstatus: approved\nconsent: true\n---\nText.\n",
        encoding="utf-8",
    )
    for handle in ("mallory", "scribe"):
        (site / f"content/suggestions/S-90{len(handle)}.md").write_text(
            f"---\ntitle: Ask of {handle}\nproposed_by: [{handle}]\ndate: 2026-10-01\nstatus: received\n---\nAsked.\n", encoding="utf-8"
        )
    return site


@pytest.fixture(scope="module")
def built(demo: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("share-out")
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        assert run("build", "--config", str(demo / "site.yml"), "--out", str(out), "--no-search", "--no-cache") == 0
    return out, err.getvalue()


def meta(page: Path) -> dict[str, str]:
    """The page's og: and twitter: tags."""
    tree = html.fromstring(page.read_bytes())
    return {m.get("property") or m.get("name"): m.get("content") for m in tree.xpath("//meta[@property or @name]")}


def served(out: Path, address: str) -> Path:
    """The output file an absolute address of the site is served from."""
    assert address.startswith(SITE_URL), address
    return out / unquote(urlsplit(address).path).lstrip("/")


def first_shipped(content: Path) -> str:
    for path in sorted((content / "suggestions").glob("*.md")):
        if "status: shipped" in path.read_text(encoding="utf-8"):
            return path.stem
    raise AssertionError("the demo ships no suggestion")


def test_profile_suggestion_week_and_story_each_have_a_card(built: tuple[Path, str], demo: Path) -> None:
    out, _ = built
    story = sorted(p for p in (out / "stories").iterdir() if (p / "index.html").is_file() and p.name not in ("page", "tags"))[0]
    week = sorted(p for p in (out / "weekly").iterdir() if p.is_dir())[-1]
    pages = [out / "contributors/lin-xiao", out / "suggestions" / first_shipped(demo / "content"), week, story]
    cards = set()
    for folder in pages:
        tags = meta(folder / "index.html")
        assert tags["twitter:card"] == "summary_large_image"
        assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
        assert tags["og:image:alt"].strip()
        card = served(out, tags["og:image"])
        assert card.parent == folder  # beside its page, its own
        with Image.open(card) as image:
            assert (image.format, image.size) == ("PNG", (1200, 630))
        cards.add(card.read_bytes())
    assert len(cards) == 4


def test_a_profile_card_shows_the_avatar(built: tuple[Path, str]) -> None:
    out, _ = built
    with Image.open(out / "contributors/mallory/share-card.png") as card:
        assert card.convert("RGB").getpixel((WIDTH - 80 - 110, 72 + 110)) == (0, 200, 0)  # the middle of the portrait
    with Image.open(out / "contributors/lin-xiao/share-card.png") as card:
        assert card.convert("RGB").getpixel((WIDTH - 80 - 110, 72 + 30)) != (0, 200, 0)


def test_a_title_too_long_in_any_script_is_cut_to_fit(built: tuple[Path, str]) -> None:
    out, err = built
    with Image.open(out / "stories/long/share-card.png") as card:
        assert card.size == (1200, 630)
    assert "stories/long.md" not in err  # emoji are left out of a card, never a reason to warn
    assert meta(out / "stories/long/index.html")["og:image:alt"].endswith("…")


def test_a_suggestion_not_shipped_keeps_the_default_card(built: tuple[Path, str]) -> None:
    out, _ = built
    tags = meta(out / "suggestions/S-907/index.html")
    assert tags["og:image"] == SITE_URL + "assets/card.png" and tags["twitter:card"] == "summary"
    assert not (out / "suggestions/S-907/share-card.png").exists()


def png_chunks(data: bytes) -> list[bytes]:
    chunks, at = [], 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        chunks.append(kind)
        at += 12 + length
    return chunks


def test_cards_are_the_same_bytes_every_build(built: tuple[Path, str], demo: Path, tmp_path: Path) -> None:
    out, _ = built
    again = tmp_path / "again"
    assert run("build", "--config", str(demo / "site.yml"), "--out", str(again), "--no-search", "--no-cache") == 0
    cards = sorted(p.relative_to(out) for p in out.rglob("share-card.png"))
    assert len(cards) > 20
    assert all((out / c).read_bytes() == (again / c).read_bytes() for c in cards)
    assert set(png_chunks((out / cards[0]).read_bytes())) <= {b"IHDR", b"PLTE", b"IDAT", b"IEND"}  # no time, no text


def test_a_name_no_font_covers_falls_back_with_one_warning(built: tuple[Path, str]) -> None:
    out, err = built
    warnings = [line for line in err.splitlines() if "share card" in line]
    assert warnings == [
        "content/contributors/scribe.md:2: warning: share card: no card font has letters for '\U00013000' (in '\U00013000 Scribe'), "
        "so pages showing it share the site's default card; set cards.font in site.yml to a font that has them"
    ]
    tags = meta(out / "contributors/scribe/index.html")
    assert tags["og:image"] == SITE_URL + "assets/card.png" and tags["twitter:card"] == "summary"
    assert not (out / "contributors/scribe/share-card.png").exists()


def test_badge_is_valid_svg_and_hostile_names_stay_text(built: tuple[Path, str]) -> None:
    out, _ = built
    badges = sorted(out.glob("contributors/*/badge.svg"))
    assert len(badges) > 10
    for path in badges:
        root = etree.fromstring(path.read_bytes(), etree.XMLParser(resolve_entities=False, no_network=True))
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert int(root.get("width")) > 0 and root.get("height") == "20"
        assert not root.xpath("//*[local-name()='script' or local-name()='foreignObject']")
        assert not [a for el in root.iter() for a in el.attrib if a.startswith("on")]
    root = etree.fromstring((out / "contributors/mallory/badge.svg").read_bytes())
    texts = root.xpath("//svg:text/text()", namespaces={"svg": "http://www.w3.org/2000/svg"})
    assert texts[0] == HOSTILE[:27] + "…"
    assert "<b>Beta & Tester</b>" in texts[1] and "Bronze" in texts[1]


def test_profile_offers_the_badge_in_markdown_html_and_bbcode(built: tuple[Path, str]) -> None:
    out, _ = built
    tree = html.fromstring((out / "contributors/mallory/index.html").read_bytes())
    snippets = {label.text_content().split("\n")[0].strip(): label.xpath(".//textarea")[0].text for label in tree.xpath("//label[@class='snippet']")}
    badge, profile = SITE_URL + "contributors/mallory/badge.svg", SITE_URL + "contributors/mallory/"
    assert snippets["BBCode"] == f"[url={profile}][img]{badge}[/img][/url]"
    assert snippets["Markdown"].startswith("[![") and snippets["Markdown"].endswith(f"]({badge})]({profile})")
    pasted = html.fromstring(snippets["HTML"])  # the HTML snippet, pasted elsewhere, is one link and one image
    assert pasted.tag == "a" and pasted.get("href") == profile
    assert [img.get("src") for img in pasted.xpath("//img")] == [badge] and not pasted.xpath("//script")
    assert HOSTILE.replace("<!--", "") .split("<script>")[0] in pasted.xpath("//img")[0].get("alt")
    assert not tree.xpath("//script[contains(., 'alert')]")


def test_share_links_copy_button_and_nothing_from_another_host(built: tuple[Path, str]) -> None:
    out, _ = built
    page = out / "contributors/lin-xiao/index.html"
    tree = html.fromstring(page.read_bytes())
    address = SITE_URL + "contributors/lin-xiao/"
    copy = tree.xpath("//a[@class='share-copy']")[0]
    assert copy.get("href") == address  # without JavaScript, a plain link to the page
    links = {a.text_content(): a.get("href") for a in tree.xpath("//a[@class='share-network']")}
    assert list(links) == ["Share on Weibo", "Share on X", "Share on Telegram", "Share on Mastodon"]
    assert all("url=https%3A%2F%2Fchangelog.lumen-os.example%2Fcontributors%2Flin-xiao%2F" in href for href in links.values())
    assert links["Share on X"].startswith("https://x.com/intent/tweet?")
    scripts = [s.get("src") for s in tree.xpath("//script[@src]")]
    assert scripts == ["../../assets/share.js"] and (out / "assets/share.js").is_file()
    assert not tree.xpath("//*[starts-with(@src, 'http')]")


def test_a_rebuild_that_touches_no_card_draws_none(demo: Path, tmp_path: Path) -> None:
    site, out = tmp_path / "site", tmp_path / "out"
    shutil.copytree(demo, site)

    def build_and_see_redrawn() -> list[str]:
        stamps = {p: p.stat().st_mtime_ns for p in out.rglob("share-card.png")}
        assert run("build", "--config", str(site / "site.yml"), "--out", str(out), "--no-search") == 0
        return sorted(p.relative_to(out).as_posix() for p, stamp in stamps.items() if p.stat().st_mtime_ns != stamp)

    assert run("build", "--config", str(site / "site.yml"), "--out", str(out), "--no-search") == 0
    story = sorted((site / "content/stories").glob("*.md"))[0]
    story.write_text(story.read_text(encoding="utf-8") + "\nOne more paragraph.\n", encoding="utf-8")
    assert build_and_see_redrawn() == []  # the body is on no card
    profile = site / "content/contributors/lin-xiao.md"
    profile.write_text(re.sub(r"^name: .*$", "name: Lin Xiao the Second", profile.read_text(encoding="utf-8"), count=1, flags=re.M), encoding="utf-8")
    redrawn = build_and_see_redrawn()
    assert "contributors/lin-xiao/share-card.png" in redrawn  # and the cards naming her, no others
    english = [p for p in redrawn if not p.startswith("zh-CN/")]
    assert [p for p in redrawn if p.startswith("zh-CN/")] == ["zh-CN/" + p for p in english]  # each edition draws its own cards
    assert "contributors/maria-k/share-card.png" not in english and len(english) < 20


def test_without_a_chinese_font_the_site_builds_with_default_cards_and_a_notice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    import generator.fonts

    monkeypatch.setattr(generator.fonts, "KNOWN_FONTS", ())
    monkeypatch.setattr(generator.fonts.shutil, "which", lambda name: None)  # no fontconfig either
    out = tmp_path / "out"
    assert run("build", "--config", str(ROOT / "tests/sites/basic/site.yml"), "--out", str(out), "--no-search") == 0
    err = capsys.readouterr().err
    assert "site.yml:1: notice: share cards: no font that covers Chinese was found" in err  # a notice: --strict still passes
    assert "warning: share card" not in err
    assert not list(out.rglob("share-card.png"))
    tags = meta(out / "contributors/bo/index.html")
    assert tags["og:image"].endswith("/assets/card.png") and tags["twitter:card"] == "summary"
