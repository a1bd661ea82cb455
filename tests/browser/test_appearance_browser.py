"""site.yml `appearance:` in the browser: accents derived from colours light, mid and dark stay
AA-readable on the pages that show the accent most (axe, light and dark, at 390 px), and a
logo, a favicon and an extra stylesheet pass the Nu HTML checker.

Skipped only when there is no chromium binary, as the other browser tests.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urlsplit

import pytest

from generator.cli import main
from harness import PHONE, ROOT, VNU, chromium_path, serve
from test_browser import _check, axe_source, chromium  # noqa: F401 - the fixtures, shared

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium_path() is None, reason="no chromium binary (Debian's package: apt-get install chromium; `make test` installs it)"),
]

# A dark accent (the light theme keeps it, the dark one lightens it), a light one (dark text
# on it), and one between the two where neither white nor black text reads on it as it is.
ACCENTS = {"teal": "#0f766e", "gold": "gold", "between": "#1c7ed6"}
# The pages where the accent is most: the weekly strip, the pulse, levels, links, tags.
PAGES = {"home": "", "week": "weekly/2026-W47/", "profile": "contributors/lin-xiao/", "story": "stories/grandmas-lunar-lock-screen/"}
LOGO = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 32"><rect width="120" height="32" rx="6" fill="#0f766e"/></svg>\n'


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The demo site built once per accent; the first also has a logo, a favicon and a stylesheet."""
    built = {}
    for n, (name, accent) in enumerate(ACCENTS.items()):
        site = tmp_path_factory.mktemp(name) / "site"
        shutil.copytree(ROOT / "content", site / "content")
        (site / "assets").mkdir()
        settings = f'appearance:\n  accent: "{accent}"\n'
        if n == 0:
            (site / "assets" / "logo.svg").write_bytes(LOGO)
            shutil.copy(ROOT / "themes" / "default" / "static" / "icon.svg", site / "assets" / "favicon.svg")
            (site / "assets" / "site.css").write_text(".hero h1 { letter-spacing: .01em; }\n", encoding="utf-8")
            settings += "  logo: assets/logo.svg\n  favicon: assets/favicon.svg\n  css: [assets/site.css]\n"
        (site / "site.yml").write_text((ROOT / "site.yml").read_text(encoding="utf-8") + settings, encoding="utf-8")
        assert main(["build", "--config", str(site / "site.yml"), "--out", str(site.parent / "out"), "--no-search"]) == 0
        built[name] = site.parent / "out"
    return built


@pytest.fixture(scope="module")
def urls(sites: dict[str, Path]) -> Iterator[dict[str, str]]:
    with serve(sites["teal"]) as teal, serve(sites["gold"]) as gold, serve(sites["between"]) as between:
        yield {"teal": teal, "gold": gold, "between": between}


@pytest.mark.parametrize("accent", ACCENTS)
@pytest.mark.parametrize("kind", PAGES)
def test_a_site_s_accent_stays_readable_light_and_dark(accent: str, kind: str, chromium, axe_source: str, urls) -> None:  # noqa: F811
    _check(chromium, axe_source, urls[accent], PAGES[kind], kind)


def test_the_logo_is_shown_in_the_header_with_the_title_as_its_text(chromium, urls) -> None:  # noqa: F811
    context = chromium.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(urls["teal"], wait_until="load")
        accent = page.evaluate("() => getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()")
        assert accent == "#0f766e"  # the site's accent, not the theme's orange: the axe runs above measured it
        logo = page.locator("header .brand img")
        assert logo.get_attribute("alt") == "Lumen OS"
        assert logo.evaluate("img => img.complete && img.naturalWidth > 0")  # it loaded
        box = logo.bounding_box()
        assert box and 20 <= box["height"] <= 40 and box["width"] <= 390
    finally:
        context.close()


def test_nu_html_checker_accepts_the_appearance_settings(sites: dict[str, Path]) -> None:
    if shutil.which("java") is None:
        pytest.fail("java is missing; `make browser-deps` installs Debian's default-jre-headless")
    files = [sites["teal"] / "index.html", sites["teal"] / "releases" / "6.4.5" / "index.html", sites["teal"] / "assets/site/assets/logo.svg"]
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", "--also-check-svg", *map(str, files)],
        capture_output=True, text=True, timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = [f"{unquote(urlsplit(m.get('url', '')).path)}:{m.get('lastLine', '?')}: {m['message']}" for m in messages if m["type"] in ("error", "non-document-error")]
    assert errors == [], "\n".join(errors)
