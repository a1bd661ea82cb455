"""The browser setup shared by the browser tests and `make screenshots`.

Debian's Chromium (never a browser downloaded by Playwright), driven by Playwright for
Python, against a built site served by a threaded http.server on 127.0.0.1. axe-core and
the Nu HTML checker (vnu.jar) come from the npm registry into .cache/npm (`make browser-deps`).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ROOT = Path(__file__).resolve().parents[2]
NPM_CACHE = ROOT / ".cache" / "npm" / "node_modules"
AXE = NPM_CACHE / "axe-core" / "axe.min.js"
VNU = NPM_CACHE / "vnu-jar" / "build" / "dist" / "vnu.jar"
DEPS_HINT = "run `make browser-deps` (it fetches axe-core and vnu-jar from the npm registry into .cache/npm)"

# As the machine's notes say: headless, no sandbox as root, and nothing that phones home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def chromium_path() -> str | None:
    """Find Debian's Chromium: /usr/bin/chromium, or `chromium` on the PATH."""
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def build(config: Path, out: Path) -> Path:
    """Build a site with cocreate into `out`; fail loudly if the build fails."""
    from generator.cli import main

    code = main(["build", "--config", str(config), "--out", str(out)])
    if code != 0:
        raise RuntimeError(f"cocreate build --config {config} exited with {code}")
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` over http on 127.0.0.1 (a free port) in a thread; yield the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextlib.contextmanager
def browser() -> Iterator["Browser"]:
    """Launch Debian's Chromium headless through Playwright (which gives it a fresh, empty profile)."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        raise RuntimeError("no chromium binary; install Debian's package: apt-get install chromium")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()
