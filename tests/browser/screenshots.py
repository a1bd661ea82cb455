"""Take the README's screenshots of the demo site: `make screenshots` -> docs/screenshots/.

The same browser setup as the browser tests (Debian's Chromium through Playwright, the site
built into a temporary folder and served on 127.0.0.1). Each picture is one screen, not the
whole page, so the files stay small.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import DESKTOP, PHONE, ROOT, browser, build, serve  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
PAGES = {
    "home": "",
    "weekly": "weekly/2026-W47/",
    "profile": "contributors/lin-xiao/",
    "story": "stories/grandmas-lunar-lock-screen/",
}
SIZES = {"phone": PHONE, "desktop": DESKTOP}
EXTRA = [("home", "desktop", "dark")]  # one picture of the dark theme


def shrink(png: Path) -> None:
    """Reduce a screenshot to 256 colours with pngquant (Debian's package), when it is there."""
    if shutil.which("pngquant"):
        subprocess.run(["pngquant", "--force", "--skip-if-larger", "--strip", "--output", str(png), "256", str(png)], check=False)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    shots = [(name, size, "light") for name in PAGES for size in SIZES] + EXTRA
    with tempfile.TemporaryDirectory(prefix="cocreate-shots-") as tmp:
        site = build(ROOT / "site.yml", Path(tmp) / "site")
        with serve(site) as base, browser() as chromium:
            for name, size, scheme in shots:
                context = chromium.new_context(viewport=SIZES[size], color_scheme=scheme, reduced_motion="reduce")
                page = context.new_page()
                page.goto(base + PAGES[name], wait_until="networkidle")
                page.evaluate("() => document.fonts.ready")
                suffix = "" if scheme == "light" else f"-{scheme}"
                target = OUT / f"{name}-{size}{suffix}.png"
                page.screenshot(path=str(target))
                context.close()
                shrink(target)
                print(f"{target.relative_to(ROOT)} ({target.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
