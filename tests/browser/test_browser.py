"""Every page type of the built demo site, in headless Chromium: no console error, no serious
or critical axe-core violation (light and dark), no horizontal scroll at 390 px, no request
to another host; the theme toggle, search (in each language), the language switch, the page
weight, reading with JavaScript off, and the Nu HTML checker over every page type, in English
and in the Chinese edition under zh-CN/.

Skipped only when there is no chromium binary (`make test` installs Debian's package).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urlsplit

import pytest

from harness import AXE, DEPS_HINT, PHONE, ROOT, VNU, browser, build, chromium_path, serve

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium_path() is None, reason="no chromium binary (Debian's package: apt-get install chromium; `make test` installs it)"),
]

# One page of every type in the demo site (repository root), by site path.
PAGES = {
    "home": "",
    "releases": "releases/",
    "release": "releases/6.4.5/",
    "weekly index": "weekly/",
    "week": "weekly/2026-W47/",
    "suggestions board": "suggestions/",
    "suggestion": "suggestions/S-1007/",
    "honor": "honor/",
    "honor month": "honor/2026-11/",
    "honor year": "honor/2026/",
    "levels": "honor/levels/",
    "contributors": "contributors/",
    "contributors by name": "contributors/by-name/",
    "profile": "contributors/lin-xiao/",
    "stories": "stories/",
    "story": "stories/grandmas-lunar-lock-screen/",
    "tag": "stories/tags/camera/",
    "chinese tag": "stories/tags/%E5%86%9C%E5%8E%86/",
    "feeds": "feeds/",
    "pace": "pace/",
    "reports": "reports/",
    "report": "reports/2026-10/",
    "search": "search/",
    "404": "404.html",
    "board status list": "suggestions/adopted/",
    "board status and area list": "suggestions/shipped/camera/",
    "areas": "areas/",
    "area": "areas/camera/",
    "channel": "channels/beta/",
}
# The same site's Chinese edition (site.yml: `languages: [en, zh-CN]`), under zh-CN/.
ZH_PAGES = {
    "zh home": "", "zh release": "releases/6.4.5/", "zh week": "weekly/2026-W47/", "zh suggestions board": "suggestions/",
    "zh suggestion": "suggestions/S-1007/", "zh honor": "honor/", "zh profile": "contributors/lin-xiao/",
    "zh story": "stories/grandmas-lunar-lock-screen/", "zh feeds": "feeds/", "zh search": "search/",
    "zh board status list": "suggestions/adopted/", "zh areas": "areas/", "zh area": "areas/lock-screen/", "zh channel": "channels/beta/",
}
ZH_PAGES.update({"zh pace": "pace/", "zh reports": "reports/", "zh report": "reports/2026-10/"})
BLOCKING = ("serious", "critical")


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The demo site, built once: English at its root, Chinese in zh-CN/ (site.yml's languages)."""
    site = build(ROOT / "site.yml", tmp_path_factory.mktemp("browser") / "site")
    return {"en": site, "zh": site / "zh-CN"}


@pytest.fixture(scope="module")
def urls(sites: dict[str, Path]) -> Iterator[dict[str, str]]:
    with serve(sites["en"]) as en:
        yield {"en": en, "zh": en + "zh-CN/"}


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    with browser() as launched:
        yield launched


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"axe-core is missing ({AXE}); {DEPS_HINT}")
    return AXE.read_text(encoding="utf-8")


class Watch:
    """What a page did that it should not: console errors, script errors, failed or foreign requests."""

    def __init__(self, page, base: str) -> None:
        self.problems: list[str] = []
        self.bytes: dict[str, int] = {}
        host = urlsplit(base).netloc
        page.on("console", lambda m: m.type == "error" and self.problems.append(f"console error: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"script error: {e}"))
        page.on("requestfailed", lambda r: self.problems.append(f"request failed: {r.url} ({r.failure})"))

        def response(r) -> None:
            if r.status >= 400:
                self.problems.append(f"HTTP {r.status}: {r.url}")

        page.on("response", response)

        def request(r) -> None:
            parts = urlsplit(r.url)
            if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != host:
                self.problems.append(f"request to another host: {r.url}")

        page.on("request", request)


def open_page(context, base: str, path: str, kind: str):
    page = context.new_page()
    watch = Watch(page, base)
    page.goto(base + path, wait_until="load")
    if "search" in kind:
        # Pagefind's UI draws the box after load; search so the results are checked too.
        query = "农历"
        page.fill(".pagefind-ui__search-input", query)
        page.wait_for_selector(".pagefind-ui__result-link", timeout=10_000)
        page.wait_for_load_state("networkidle")
    return page, watch


def run_axe(page, axe_source: str) -> list[str]:
    """Run axe-core; list serious and critical violations.

    axe files text whose contrast it measured as 1:1 under "incomplete" (it might be
    meant to be invisible); here every measured contrast below the needed ratio counts.
    """
    page.add_script_tag(content=axe_source)
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations', 'incomplete']})")
    found = [
        f"{v['impact']} {v['id']}: {v['help']} at {', '.join(str(n['target']) for n in v['nodes'][:3])}"
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]
    for v in result["incomplete"]:
        if v["id"] != "color-contrast":
            continue
        for node in v["nodes"]:
            data = (node.get("any") or [{}])[0].get("data") or {}
            ratio, needed = data.get("contrastRatio"), data.get("expectedContrastRatio")
            if ratio and needed and float(ratio) < float(str(needed).split(":")[0]):
                found.append(f"serious color-contrast: {ratio}:1, needs {needed} at {node['target']}")
    return found


def _check(chromium, axe_source: str, base: str, path: str, kind: str) -> None:
    problems = []
    for scheme in ("light", "dark"):
        context = chromium.new_context(viewport=PHONE, color_scheme=scheme)
        try:
            page, watch = open_page(context, base, path, kind)
            width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
            if width[0] > width[1]:
                problems.append(f"{scheme}: scrolls sideways at 390 px (content {width[0]} px wide)")
            problems += [f"{scheme}: {v}" for v in run_axe(page, axe_source)]
            problems += [f"{scheme}: {p}" for p in watch.problems]
        finally:
            context.close()
    assert problems == [], f"/{path} ({kind}):\n" + "\n".join(dict.fromkeys(problems))


@pytest.mark.parametrize("kind", PAGES)
def test_page_type_loads_clean_and_accessible_at_390px(kind: str, chromium, axe_source: str, urls) -> None:
    _check(chromium, axe_source, urls["en"], PAGES[kind], kind)


@pytest.mark.parametrize("kind", ZH_PAGES)
def test_chinese_pages_load_clean_and_accessible(kind: str, chromium, axe_source: str, urls) -> None:
    _check(chromium, axe_source, urls["zh"], ZH_PAGES[kind], kind)


def background(page) -> str:
    return page.evaluate("() => getComputedStyle(document.body).backgroundColor")


@pytest.mark.parametrize("system", ["light", "dark"])
def test_theme_toggle_switches_and_persists_across_reloads(system: str, chromium, urls) -> None:
    context = chromium.new_context(viewport=PHONE, color_scheme=system)
    try:
        page = context.new_page()
        page.goto(urls["en"] + "weekly/2026-W47/")
        toggle = page.locator(".theme-toggle")
        assert toggle.is_visible()
        assert toggle.get_attribute("aria-pressed") == ("true" if system == "dark" else "false")
        before = background(page)
        toggle.click()
        after = background(page)
        assert after != before
        assert toggle.get_attribute("aria-pressed") == ("false" if system == "dark" else "true")
        page.reload()
        assert background(page) == after, "the chosen theme is kept after a reload"
        page.goto(urls["en"] + "releases/")
        assert background(page) == after, "and on the next page"
        page.locator(".theme-toggle").click()
        assert background(page) == before
        page.reload()
        assert background(page) == before
    finally:
        context.close()


def test_the_theme_is_applied_before_the_first_paint(sites: dict[str, Path]) -> None:
    head = (sites["en"] / "index.html").read_text(encoding="utf-8").split("</head>")[0]
    script = head.index("<script>")
    assert "localStorage" in head[script:] and script < head.index('rel="stylesheet"'), "no flash of the wrong theme"


def test_search_finds_chinese_words_inside_titles(chromium, urls) -> None:
    context = chromium.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(urls["zh"] + "search/?q=" + "农历")  # Chinese is split into words in the Chinese pages' index
        # Results arrive one by one: wait for each rather than reading the list once.
        for title in ("锁屏显示农历日期", "奶奶的农历锁屏"):  # a suggestion and a story; 农历 is a word inside each title
            page.locator(".pagefind-ui__result-link", has_text=title).first.wait_for(timeout=10_000)
        page.locator(".pagefind-ui__result-link", has_text="奶奶的农历锁屏").click()
        page.wait_for_url("**/zh-CN/stories/grandmas-lunar-lock-screen/**")
    finally:
        context.close()


def test_each_language_searches_its_own_pages(chromium, urls) -> None:
    context = chromium.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(urls["en"] + "search/")
        page.fill(".pagefind-ui__search-input", "lunar")
        page.locator(".pagefind-ui__result-link").first.wait_for(timeout=10_000)
        found = [a.get_attribute("href") for a in page.locator(".pagefind-ui__result-link").all()]
        assert found and not [h for h in found if "/zh-CN/" in h], found
        page.goto(urls["zh"] + "search/")
        page.fill(".pagefind-ui__search-input", "lunar")
        page.locator(".pagefind-ui__result-link").first.wait_for(timeout=10_000)
        found = [a.get_attribute("href") for a in page.locator(".pagefind-ui__result-link").all()]
        assert found and all("/zh-CN/" in h for h in found), found
    finally:
        context.close()


@pytest.mark.parametrize("script", [True, False], ids=["with JavaScript", "without"])
def test_the_language_switch_leads_to_the_same_page_in_the_other_language(script: bool, chromium, urls) -> None:
    context = chromium.new_context(viewport=PHONE, java_script_enabled=script)
    try:
        page = context.new_page()
        page.goto(urls["en"] + "weekly/2026-W47/")
        alternates = page.locator('link[rel="alternate"][hreflang]')
        assert sorted(alternates.evaluate_all("ls => ls.map(l => l.hreflang)")) == ["en", "x-default", "zh-CN"]
        switch = page.get_by_role("navigation", name="Language").get_by_role("link", name="中文")
        assert switch.is_visible()
        switch.click()
        page.wait_for_url(urls["zh"] + "weekly/2026-W47/")
        assert page.locator("html").get_attribute("lang") == "zh-CN"
        assert "第 47 周" in page.locator("main").inner_text()
        page.get_by_role("navigation", name="语言").get_by_role("link", name="English").click()
        page.wait_for_url(urls["en"] + "weekly/2026-W47/")
    finally:
        context.close()


def results(page, query: str) -> list[str]:
    """Search with Pagefind's UI and return the titles found (once its message names the query)."""
    page.fill(".pagefind-ui__search-input", query)
    page.wait_for_function(
        r"""q => {
            const said = (document.querySelector('.pagefind-ui__message')?.textContent || '').trim();
            if (!said.includes(q) || said.endsWith('...') || said.endsWith('\u2026')) return false;  // 'Searching for …'
            // The count is said first; then each result is drawn, as a placeholder until its data loads.
            const count = Number((said.replace(q, '').match(/\d+/) || ['0'])[0]);
            const drawn = document.querySelectorAll('.pagefind-ui__result').length;
            return drawn >= Math.min(count, 5) && document.querySelector('.pagefind-ui__loading') === null;
        }""",
        arg=query,
        timeout=10_000,
    )
    return page.locator(".pagefind-ui__result-link").all_inner_texts()


def test_search_covers_releases_suggestions_people_and_stories_but_no_unpublished_story(chromium, urls) -> None:
    context = chromium.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(urls["en"] + "search/")
        assert "Lumen OS 6.4.5" in results(page, "6.4.5")
        assert "林晓" in results(page, "林晓")
        assert "Eighty percent" in results(page, "eighty")
        assert "Signal on the ridge" not in results(page, "ridge")  # approved, but no consent: not published
        assert "The quiet hour" not in results(page, "quiet hour")  # only submitted
    finally:
        context.close()


def test_chinese_site_search(chromium, urls) -> None:
    context = chromium.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(urls["zh"] + "search/")
        assert "输入法支持双拼" in results(page, "输入法")  # the input method: a word at the start of a title
        assert "奶奶的农历锁屏" in results(page, "奶奶")
        assert "锁屏显示农历日期" in results(page, "农历")  # and a word in the middle of one
    finally:
        context.close()


@pytest.mark.parametrize("path", ["", "weekly/2026-W47/"])
def test_home_and_weekly_page_weigh_under_100_kb_from_one_host(path: str, chromium, urls) -> None:
    context = chromium.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        watch = Watch(page, urls["en"])
        sizes: dict[str, int] = {}

        def count(response) -> None:
            if response.request.resource_type != "image" and not response.url.endswith((".svg", ".png")):
                sizes[response.url] = len(response.body())

        page.on("response", count)
        page.goto(urls["en"] + path, wait_until="networkidle")
        assert watch.problems == []
        total = sum(sizes.values())
        assert total < 100_000, sizes
        assert set(sizes) <= {urls["en"] + path, urls["en"] + "assets/style.css", urls["en"] + "assets/icon.svg", urls["en"] + "assets/share.js"}, sizes
    finally:
        context.close()


@pytest.mark.parametrize("path", ["", "weekly/2026-W47/", "contributors/lin-xiao/", "search/"])
def test_readable_with_javascript_off(path: str, chromium, urls) -> None:
    context = chromium.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(urls["en"] + path)
        assert page.locator("main h1").is_visible()
        assert not page.locator(".theme-toggle").is_visible(), "a toggle that cannot work is not shown"
        if path == "search/":
            assert page.locator(".notice").is_visible()
            assert "Search needs JavaScript" in page.locator(".notice").inner_text()
        else:
            assert len(page.locator("main").inner_text()) > 200
    finally:
        context.close()


def built_file(site: Path, path: str) -> Path:
    path = unquote(path)
    return site / path if path.endswith(".html") else site / path / "index.html"


def test_nu_html_checker_finds_no_errors(sites: dict[str, Path]) -> None:
    if shutil.which("java") is None:
        pytest.fail("java is missing; `make browser-deps` installs Debian's default-jre-headless")
    if not VNU.is_file():
        pytest.fail(f"vnu.jar is missing ({VNU}); {DEPS_HINT}")
    files = [built_file(sites["en"], p) for p in PAGES.values()]
    files += [built_file(sites["zh"], p) for p in ZH_PAGES.values()]
    files += [sites["en"] / "assets/style.css", sites["en"] / "assets/icon.svg", sites["en"] / "contributors/lin-xiao/badge.svg"]
    missing = [str(f) for f in files if not f.is_file()]
    assert missing == []
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", "--also-check-css", "--also-check-svg", *map(str, files)],
        capture_output=True, text=True, timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = [
        f"{unquote(urlsplit(m.get('url', '')).path)}:{m.get('lastLine', '?')}: {m['message']}"
        for m in messages
        if m["type"] in ("error", "non-document-error")
    ]
    assert errors == [], "\n".join(errors)


SHARED = {"profile": "contributors/lin-xiao/", "suggestion": "suggestions/S-1007/", "week": "weekly/2026-W47/",
          "story": "stories/grandmas-lunar-lock-screen/"}
SITE_URL = "https://changelog.lumen-os.example/"


@pytest.mark.parametrize("kind", SHARED)
def test_share_card_is_served_and_share_links_work_at_390px(kind: str, chromium, urls) -> None:
    context = chromium.new_context(viewport=PHONE)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=urls["en"].rstrip("/"))
    try:
        page, watch = open_page(context, urls["en"], SHARED[kind], kind)
        image = page.locator('meta[property="og:image"]').get_attribute("content")
        assert image == SITE_URL + SHARED[kind] + "share-card.png"
        served = page.request.get(urls["en"] + image.removeprefix(SITE_URL))
        assert served.ok and served.headers["content-type"] == "image/png"
        png = served.body()
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (1200, 630)
        networks = page.locator(".share-network")
        assert networks.count() == 4
        for i in range(4):
            href = networks.nth(i).get_attribute("href")
            assert href.startswith("https://") and "changelog.lumen-os.example%2F" in href
        copy = page.locator(".share-copy")
        box = copy.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
        copy.click()
        page.wait_for_selector(".share-status:has-text('Link copied')", timeout=5_000)
        assert page.evaluate("() => navigator.clipboard.readText()") == SITE_URL + SHARED[kind]
        assert page.url == urls["en"] + SHARED[kind]  # JavaScript copied; the link was not followed
        assert watch.problems == []
    finally:
        context.close()


def test_the_board_s_percentages_are_not_styled_as_the_share_box(chromium, urls) -> None:
    """The board's "12%" spans and the share box were both class "share": the box's border and margins took the percentages."""
    context = chromium.new_context(viewport=PHONE)
    try:
        page, watch = open_page(context, urls["en"], "suggestions/", "suggestions board")
        styles = page.eval_on_selector_all(
            ".board-summary .share",
            "spans => spans.map(s => { const c = getComputedStyle(s); return [c.borderTopWidth, c.marginTop, c.paddingTop, c.display]; })",
        )
        assert styles and all(style == ["0px", "0px", "0px", "block"] for style in styles), styles  # a grid cell, not a flex box
        boxes = page.eval_on_selector_all("aside.share", "boxes => boxes.map(b => getComputedStyle(b).display)")
        assert boxes == []  # the board itself offers no share links; the box keeps its look where it is (the test above)
        assert watch.problems == []
    finally:
        context.close()
