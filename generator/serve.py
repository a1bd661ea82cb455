"""Live preview: rebuild on every saved file and reload the browser, on MkDocs' live-reload server.

The preview builds into a temporary folder of its own, never into the site's `_site/`.
When a build fails, `build()` leaves the previous output as it was; the preview then
serves a page listing the problems at every address instead, so nobody mistakes the
old site for the new one. The next save that fixes them brings the site back.

A saved file shows without waiting for the search index: each preview build skips
Pagefind, and the index of that build follows in the background (the search page
finds the newer words a few seconds later at 10,000 files).
"""

from __future__ import annotations

import errno
import html
import os
import shutil
import signal
import socket
import tempfile
import threading
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from mkdocs.livereload import LiveReloadServer

from .build import BuildReport, build
from . import search
from .search import SearchFailed
from .config import load_config, shipped_themes
from .errors import Diagnostics


@dataclass(frozen=True)
class Rebuild:
    """What one build of the preview did, for the command line to print."""

    report: BuildReport | None  # None when the build crashed
    crash: str = ""  # the traceback of a crash: a bug in cocreate, not in the content

    @property
    def ok(self) -> bool:
        return self.report is not None and self.report.written


def _remove_abandoned_previews() -> None:
    """Delete preview folders (they hold drafts) left by a preview that was killed."""
    for entry in Path(tempfile.gettempdir()).glob("cocreate-serve-*-*"):
        try:
            pid = int(entry.name.split("-")[2])
            if entry.is_symlink() or not entry.is_dir() or entry.stat().st_uid != os.getuid():
                continue
            os.kill(pid, 0)  # still running: its folder is in use
        except ProcessLookupError:
            shutil.rmtree(entry, ignore_errors=True)
        except (ValueError, OSError):
            continue


class CannotListen(Exception):
    """The preview cannot listen on the address it was given (e.g. the port is taken)."""


class Preview:
    """One site, built into a temporary folder and served on localhost with live reload."""

    def __init__(self, config_path: Path, host: str, port: int, on_build: Callable[[Rebuild], None]):
        _check_free(host, port)
        self.config_path = config_path
        self.on_build = on_build
        _remove_abandoned_previews()
        self.folder = Path(tempfile.mkdtemp(prefix=f"cocreate-serve-{os.getpid()}-"))
        self.output = self.folder / "site"  # what build() writes (and swaps) on success
        self.problems = self.folder / "problems"  # holds only the error page
        self.problems.mkdir()
        self.failed = False
        self.generation = 0  # counts builds; an index of an older one is thrown away
        self.indexing: threading.Thread | None = None
        self.server = LiveReloadServer(
            builder=self.rebuild, host=host, port=port, root=str(self.output), mount_path=_base_path(config_path)
        )
        self.server.error_handler = self._not_found
        self.hosts = allowed_hosts(host)
        self.server.set_app(self._app)

    @property
    def url(self) -> str:
        """The address to open in a browser."""
        return self.server.url

    def watched(self) -> list[Path]:
        """List the paths where a saved file triggers a rebuild: site.yml, content/, the themes, the files site.yml names."""
        site = self.config_path.parent
        paths = [self.config_path, site / "content", site / "themes", shipped_themes()]
        config = load_config(self.config_path, Diagnostics())
        if config is not None:  # the logo, favicon and CSS files site.yml names, wherever they are
            paths += [site / file.path for file in config.appearance.files()]
        return [p for p in paths if p.exists()]

    def rebuild(self) -> None:
        """Build the site; when that fails, put a page listing the problems in front of it."""
        try:
            report = build(self.config_path, out=self.output, strict=False, drafts=True, search_index=False)
        except SearchFailed as exc:  # a SystemExit for the command line; here, one more problem
            self._show_problems("The search index could not be built", [exc.message])
            self.on_build(Rebuild(None, exc.message))
            return
        except Exception:  # a bug must not stop the preview: show it, and keep watching
            crash = traceback.format_exc()
            self._show_problems("cocreate crashed while building the site (a bug, not your content)", [], crash)
            self.on_build(Rebuild(None, crash))
            return
        self.generation += 1
        if report.written:
            self.server.root = str(self.output)
            self.failed = False
            if report.site is not None:
                config, generation = report.site.config, self.generation
                self.indexing = threading.Thread(target=self._index, args=(config, generation), daemon=True)
                self.indexing.start()
        else:
            found = report.diagnostics.sorted()
            errors = [str(d) for d in found if d.severity == "error"]
            warnings = [str(d) for d in found if d.severity != "error"]
            self._show_problems(f"The site could not be built: {len(errors)} error{'s' if len(errors) != 1 else ''}", errors + warnings)
        self.on_build(Rebuild(report))

    def _index(self, config: Any, generation: int) -> None:
        """Index the current preview for search, beside it, then put the index in place."""
        staging = Path(tempfile.mkdtemp(prefix="index-", dir=self.folder))
        try:
            search.index(self.output, config, staging / search.BUNDLE)
            if generation == self.generation:  # no newer build meanwhile
                shutil.rmtree(self.output / search.BUNDLE, ignore_errors=True)
                os.rename(staging / search.BUNDLE, self.output / search.BUNDLE)
        except (SearchFailed, OSError) as exc:
            if generation == self.generation:  # not stopped or superseded meanwhile
                self.on_build(Rebuild(None, f"the search index could not be built: {getattr(exc, 'message', exc)}"))
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def run(self) -> None:
        """Build, then serve and rebuild on every save until Ctrl-C or SIGTERM; then clean up."""
        restore = _stop_on_sigterm()
        try:
            self.rebuild()
            for path in self.watched():
                self.server.watch(str(path))
            self.server.serve()
        except KeyboardInterrupt:
            pass
        except OSError as exc:
            if exc.errno not in _BIND_ERRORS:
                raise
            # The address was taken between the check and the bind.
            raise CannotListen(_listen_problem(self.server.server_address, exc)) from None
        finally:
            self.server.shutdown()
            restore()
            self.generation += 1  # a search index still being made is not wanted any more
            if self.indexing is not None:
                self.indexing.join(timeout=60)
            shutil.rmtree(self.folder, ignore_errors=True)

    def _show_problems(self, heading: str, lines: Iterable[str], details: str = "") -> None:
        page = _problem_page(heading, list(lines), details)
        tmp = self.problems / "index.html.tmp"
        tmp.write_bytes(page)
        os.replace(tmp, self.problems / "index.html")
        self.server.root = str(self.problems)
        self.failed = True

    def _app(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        # DNS rebinding: a web page elsewhere can point its own name at 127.0.0.1 and read
        # the preview (drafts, stories without consent). Its requests carry its own name.
        if not host_allowed(environ.get("HTTP_HOST", ""), self.hosts):
            body = b"400 Bad Request: this preview answers only to localhost, 127.0.0.1 or [::1]\n"
            start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
            return [body]
        # While the build is broken, every address shows the problem page, served by MkDocs
        # as the mount's index.html, so its reload script comes with it.
        path = environ.get("PATH_INFO", "")
        if self.failed and not path.startswith("/livereload/"):
            environ = {**environ, "PATH_INFO": self.server.mount_path}
        return self.server.serve_request(environ, start_response)

    def _not_found(self, code: int) -> bytes | None:
        page = Path(self.server.root) / ("index.html" if self.failed else "404.html")
        try:
            return page.read_bytes()
        except OSError:
            return None


def allowed_hosts(bound: str) -> frozenset[str]:
    """List the host names the preview answers to: loopback names, and the address it listens on."""
    bound = bound.strip().lower()
    if ":" in bound and not bound.startswith("["):
        bound = f"[{bound}]"  # an IPv6 address is written in brackets in a Host header
    return frozenset({"localhost", "127.0.0.1", "[::1]", bound})


def host_allowed(header: str, hosts: frozenset[str]) -> bool:
    """Tell whether a Host header (with or without its port) names one of `hosts`."""
    name = header.strip().lower()
    if name.endswith("]") or ":" not in name:
        return name in hosts
    name, _, port = name.rpartition(":")
    return port.isdigit() and name in hosts


_BIND_ERRORS = {errno.EADDRINUSE, errno.EADDRNOTAVAIL, errno.EACCES}


def _base_path(config_path: Path) -> str:
    """Serve under the path of the site's `url`, as it will be published (its 404 page links from there)."""
    config = load_config(config_path, Diagnostics())
    return config.base_path if config is not None else "/"


def _check_free(host: str, port: int) -> None:
    """Fail early, before the first build, when the address cannot be listened on."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        family, _, _, _, address = infos[0]
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server itself does
            probe.bind(address)
    except OSError as exc:
        raise CannotListen(_listen_problem((host, port), exc)) from None


def _listen_problem(address: tuple, exc: OSError) -> str:
    host, port = address[0], address[1]
    reason = exc.strerror or str(exc)
    return f"cannot listen on {host}:{port} ({reason}); is another preview running? pass e.g. --port {int(port) + 1}"


def _stop_on_sigterm() -> Callable[[], None]:
    """Make SIGTERM stop the preview like Ctrl-C, so its temporary folder is removed; return the undo."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    return lambda: signal.signal(signal.SIGTERM, previous)


_STYLE = """
body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #fff8f6; color: #1d1d1f; }
main { max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { color: #a4161a; font-size: 1.5rem; }
ul { padding: 0; list-style: none; }
li { background: #fff; border-left: 4px solid #a4161a; margin: .5rem 0; padding: .5rem .75rem; }
code, pre { font: 14px/1.4 ui-monospace, monospace; white-space: pre-wrap; overflow-wrap: anywhere; }
pre { background: #fff; padding: .75rem; border: 1px solid #e5c7c7; }
"""


def _problem_page(heading: str, lines: list[str], details: str) -> bytes:
    """Make the page shown while the build is broken; every message is escaped, as it quotes content."""
    items = "\n".join(f"<li><code>{html.escape(line)}</code></li>" for line in lines)
    more = f"<pre>{html.escape(details)}</pre>" if details else ""
    page = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Build failed · cocreate preview</title>
<style>{_STYLE}</style>
</head>
<body>
<main id="cocreate-build-problems">
<h1>{html.escape(heading)}</h1>
<p>Fix the files below and save: this page reloads by itself, and the site comes back once it builds.</p>
<ul>
{items}
</ul>
{more}
</main>
</body>
</html>
"""
    return page.encode("utf-8")
