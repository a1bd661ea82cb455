"""Theming without copying: site.yml's `appearance:` (accent, logo, favicon, CSS, <head> HTML)
and site templates that extend the shipped one and replace a single block."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from coloraide import Color

from conftest import ROOT, TESTS, run
from generator.appearance import AA, DARK, LIGHT, palette

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32  # the signature is what is checked
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>\n'
APPEARANCE = """appearance:
  accent: "#0f766e"
  logo: assets/logo.svg
  favicon: assets/favicon.png
  css: [assets/site.css, assets/more.css]
  head: <meta name="site-verification" content="abc123">
"""
FOOTER = '{% extends "default/base.html" %}\n{% block footer %}<footer class="site-footer"><p>Our own footer</p></footer>{% endblock %}\n'
RELEASE = '{% extends "default/release.html" %}\n{% block credits %}<p class="own-credits">Thanks, everyone!</p>{% endblock %}\n'


def themed(site: Path) -> Path:
    """Add appearance settings, their files, and two templates that extend the shipped ones."""
    (site / "assets").mkdir()
    (site / "assets" / "logo.svg").write_bytes(SVG)
    (site / "assets" / "favicon.png").write_bytes(PNG)
    (site / "assets" / "site.css").write_text(".hero h1 { letter-spacing: .02em; }\n", encoding="utf-8")
    (site / "assets" / "more.css").write_text("body { font-size: 1.1rem; }\n", encoding="utf-8")
    with (site / "site.yml").open("a", encoding="utf-8") as fh:
        fh.write(APPEARANCE)
    templates = site / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    (templates / "base.html").write_text(FOOTER, encoding="utf-8")
    (templates / "release.html").write_text(RELEASE, encoding="utf-8")
    return site


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = themed(Path(shutil.copytree(TESTS / "sites" / "basic", tmp_path_factory.mktemp("themed") / "site")))
    assert run("build", "--config", str(site / "site.yml"), "--out", str(site.parent / "out"), "--no-search") == 0
    return site.parent / "out"


def page(out: Path, path: str) -> str:
    return (out / path / "index.html").read_text(encoding="utf-8")


def test_accent_logo_favicon_css_and_head_reach_every_page(built: Path) -> None:
    for path, up in (("", ""), ("releases/", "../"), ("stories/tags/night-mode/", "../../../")):
        html = page(built, path)
        head = html.split("</head>")[0]
        theme_css = head.index(f'<link rel="stylesheet" href="{up}assets/style.css">')
        accent = head.index("<style>:root{--accent:#0f766e;")
        site_css = head.index(f'<link rel="stylesheet" href="{up}assets/site/assets/site.css">')
        more_css = head.index(f'<link rel="stylesheet" href="{up}assets/site/assets/more.css">')
        assert theme_css < accent < site_css < more_css  # the site's rules come last, so they win
        assert f'<link rel="icon" href="{up}assets/site/assets/favicon.png" type="image/png">' in head
        assert "assets/icon.svg" not in head
        assert head.rstrip().endswith('<meta name="site-verification" content="abc123">')
        assert f'<img class="brand-logo" src="{up}assets/site/assets/logo.svg" alt="Pebble">' in html
        assert "brand-mark" not in html


def test_the_files_site_yml_names_are_published_as_they_are(built: Path) -> None:
    assert (built / "assets/site/assets/logo.svg").read_bytes() == SVG
    assert (built / "assets/site/assets/favicon.png").read_bytes() == PNG
    assert (built / "assets/site/assets/site.css").read_text(encoding="utf-8").startswith(".hero h1")


def test_a_template_extending_the_shipped_one_replaces_one_block_and_keeps_the_rest(built: Path) -> None:
    html = page(built, "releases/2.0.0")
    assert "<p>Our own footer</p>" in html  # the site's base.html block
    assert '<p class="own-credits">Thanks, everyone!</p>' in html  # the site's release.html block
    assert 'id="credits-h"' not in html  # the block it replaced
    assert '<nav class="main-nav"' in html and 'class="heartbeat"' in html  # the shipped header
    assert "<h1>Pebble 2.0.0</h1>" in html  # the shipped release template
    assert 'class="prose"' in html
    assert "Feeds</a>" not in html.split("<footer")[1]  # the shipped footer is gone


def test_an_override_named_like_the_template_it_extends_does_not_loop(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = Path(shutil.copytree(TESTS / "sites" / "basic", tmp_path / "site"))
    templates = site / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    # base.html extends "default/base.html", which every shipped page extends through "base.html".
    (templates / "base.html").write_text('{% extends "default/base.html" %}{% block nav %}<nav aria-label="Main">Only this</nav>{% endblock %}', encoding="utf-8")
    code = run("build", "--config", str(site / "site.yml"), "--out", str(tmp_path / "out"), "--no-search")
    err = capsys.readouterr().err
    assert code == 0 and "themes/" not in err, err  # built, and the override is not taken for a stray file
    html = page(tmp_path / "out", "")
    assert '<nav aria-label="Main">Only this</nav>' in html and 'class="heartbeat"' in html


# --- the derived palette -------------------------------------------------------------------

COLOURS = ["#c2410c", "#0f766e", "navy", "black", "white", "yellow", "#777", "hotpink", "#ff7700", "oklch(70% 0.3 300)", "hsl(200 90% 45%)", "#1d4ed8"]


@pytest.mark.parametrize("colour", COLOURS)
def test_every_derived_accent_reads_at_aa_in_light_and_dark(colour: str) -> None:
    colours = palette(Color(colour))
    for name, scheme in (("light", LIGHT), ("dark", DARK)):
        c = colours[name]
        pairs = [(c["--accent-text"], ground) for ground in (scheme["bg"], scheme["card"], c["--accent-soft"], c["--week-bg"])]
        pairs += [(c["--on-accent"], c["--accent"]), (scheme["fg"], c["--accent-soft"]), (scheme["fg"], c["--week-bg"])]
        for text, ground in pairs:
            ratio = Color(text).contrast(ground, method="wcag21")
            assert ratio >= AA, f"{colour} ({name}): {text} on {ground} is {ratio:.2f}:1"


def test_an_accent_that_reads_well_is_used_as_it_is() -> None:
    assert palette(Color("#0f766e"))["light"]["--accent"] == "#0f766e"
    assert palette(Color("#1d4ed8"))["light"]["--accent-text"] == "#1d4ed8"


def test_the_backgrounds_the_palette_is_measured_on_are_the_theme_s() -> None:
    """appearance.py measures against the default theme's colours: they must be the stylesheet's."""
    css = (ROOT / "themes" / "default" / "static" / "style.css").read_text(encoding="utf-8")
    light, dark = css.split(':root[data-theme="dark"]')[0], css.split(':root[data-theme="dark"]')[1].split("}")[0]
    for scheme, block in ((LIGHT, light), (DARK, dark)):
        for name, value in scheme.items():
            assert f"--{name}: {value};" in block, name


# --- incremental builds ----------------------------------------------------------------------


def test_a_new_logo_is_published_by_the_next_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = themed(Path(shutil.copytree(TESTS / "sites" / "basic", tmp_path / "site")))
    argv = ["build", "--config", str(site / "site.yml"), "--out", str(tmp_path / "out"), "--no-search"]
    assert run(*argv) == 0
    capsys.readouterr()
    assert run(*argv) == 0
    assert "nothing changed since the last build" in capsys.readouterr().out
    new_logo = SVG.replace(b'width="10"', b'width="9"')  # the logo is outside content/ and themes/
    (site / "assets" / "logo.svg").write_bytes(new_logo)
    assert run(*argv) == 0
    assert "nothing changed" not in capsys.readouterr().out
    assert (tmp_path / "out" / "assets/site/assets/logo.svg").read_bytes() == new_logo


def test_an_override_that_extends_its_own_name_is_one_error_naming_the_fix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = Path(shutil.copytree(TESTS / "sites" / "basic", tmp_path / "site"))
    templates = site / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    # The site's own base.html comes first in the search path: "base.html" is itself.
    (templates / "base.html").write_text('{# mine #}\n{% extends "base.html" %}{% block footer %}x{% endblock %}', encoding="utf-8")
    assert run("build", "--config", str(site / "site.yml"), "--out", str(tmp_path / "out"), "--no-search") == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if "themes/" in line]
    assert errors == [
        'themes/default/templates/base.html:2: extends "base.html", which leads back to this template, so no page can be '
        'built; to extend the shipped template write {% extends "default/base.html" %}'
    ]
    assert not (tmp_path / "out").exists()
