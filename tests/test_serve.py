"""`cocreate serve`: a real server on loopback that rebuilds on save and shows build errors in the browser."""

from __future__ import annotations

import html
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable

import pytest

from conftest import ROOT, TESTS

ERROR_MARK = 'id="cocreate-build-problems"'
BAD_YAML = '---\nversion: "2.1\ndate: 2026-11-13\n---\nAn unclosed quote.\n'
BAD_STATUS = "---\ntitle: Dark mode\nproposed_by: [ada]\ndate: 2026-10-01\nstatus: <script>alert(1)</script>\n---\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    """Return the page's text, or None while the server does not answer."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(what: str, probe: Callable[[], str | None], seconds: float = 20) -> str:
    """Poll `probe` until it returns a page, at most `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = probe()
        if page is not None:
            return page
        time.sleep(0.1)
    pytest.fail(f"timed out after {seconds}s waiting for {what}")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    shutil.copytree(TESTS / "sites" / "basic", tmp_path / "site")
    return tmp_path / "site"


def test_serve_rebuilds_on_save_and_shows_errors_until_fixed(site: Path, tmp_path: Path) -> None:
    port = free_port()
    home = f"http://127.0.0.1:{port}/"
    temp = tmp_path / "tmp"  # the server's temporary build folder goes here, to see it removed
    temp.mkdir()
    log = (tmp_path / "serve.log").open("w+", encoding="utf-8")
    env = {**os.environ, "TMPDIR": str(temp), "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "generator", "serve", "--config", str(site / "site.yml"), "--port", str(port)]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        page = wait_for("the first build", lambda: fetch(home))
        assert ERROR_MARK not in page, "the sample site does not build:\n" + html.unescape("\n".join(re.findall(r"<code>(.*?)</code>", page)))
        assert "<title>Pebble" in page and "livereload(" in page

        release, suggestion = site / "content/releases/2.1.md", site / "content/suggestions/S-1.md"
        release_text, suggestion_text = release.read_text(encoding="utf-8"), suggestion.read_text(encoding="utf-8")
        release.write_text(BAD_YAML, encoding="utf-8")
        suggestion.write_text(BAD_STATUS, encoding="utf-8")

        def error_page() -> str | None:
            page = fetch(home)
            return page if page and "content/releases/2.1.md:2:" in page and "S-1.md:5:" in page else None

        page = wait_for("the error page", error_page)
        assert ERROR_MARK in page and "livereload(" in page  # the error page reloads itself once fixed
        assert "content/releases/2.1.md:2: front matter not valid YAML" in page
        assert "content/suggestions/S-1.md:5: status: &#x27;&lt;script&gt;alert(1)&lt;/script&gt;&#x27; is not one of" in page
        assert "<script>alert(1)" not in page
        deep = fetch(f"{home}changelog/releases/2.0.0/")
        assert deep is not None and ERROR_MARK in deep  # not the old site, at any address

        release.write_text(release_text, encoding="utf-8")
        suggestion.write_text(suggestion_text, encoding="utf-8")
        page = wait_for("the fixed site", lambda: (p if (p := fetch(home)) and ERROR_MARK not in p else None))
        assert "<title>Pebble" in page
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            code = server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            raise
    log.seek(0)
    console = log.read()
    assert code == 0, console
    assert "content/releases/2.1.md:2: front matter not valid YAML" in console  # same format as `cocreate build`
    assert "stopped" in console
    assert not list(temp.iterdir()), "the temporary build folder was left behind"
    assert not (site / "_site").exists(), "serve must never build into the site's _site/"


def test_serve_refuses_a_port_in_use(site: Path, capsys: pytest.CaptureFixture) -> None:
    from generator.cli import main

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--config", str(site / "site.yml"), "--port", str(port)]) == 2
    assert f"cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err


def test_serve_rejects_a_port_out_of_range(site: Path, capsys: pytest.CaptureFixture) -> None:
    from generator.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["serve", "--config", str(site / "site.yml"), "--port", "70000"])
    assert exit_.value.code == 2
    assert "not a port number" in capsys.readouterr().err


def status_for(port: int, path: str, host: str) -> tuple[int, str]:
    """Send a request with the given Host header, as a page elsewhere would after rebinding its name."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": host})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def test_serve_answers_only_to_local_host_names(site: Path, tmp_path: Path) -> None:
    port = free_port()
    log = (tmp_path / "serve.log").open("w+", encoding="utf-8")
    command = [sys.executable, "-m", "generator", "serve", "--config", str(site / "site.yml"), "--port", str(port)]
    server = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"}, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for("the first build", lambda: fetch(f"http://127.0.0.1:{port}/changelog/"))
        for host in ("localhost", f"localhost:{port}", "127.0.0.1", f"127.0.0.1:{port}", "[::1]", f"[::1]:{port}", "LOCALHOST"):
            code, page = status_for(port, "/changelog/", host)
            assert code == 200 and "<title>Pebble" in page, host
        for host in ("evil.example", f"evil.example:{port}", "127.0.0.1.evil.example", f"localhost.evil.example:{port}", "", "[::2]"):
            for path in ("/changelog/", "/changelog/stories/", "/livereload/1/1"):
                code, page = status_for(port, path, host)
                assert code == 400, (host, path, code)
                assert "<title>Pebble" not in page
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            raise


@pytest.mark.parametrize(
    ("bound", "host", "allowed"),
    [
        ("0.0.0.0", "0.0.0.0:8000", True),
        ("192.168.1.5", "192.168.1.5:8000", True),
        ("192.168.1.5", "192.168.1.6:8000", False),
        ("::1", "[::1]:8000", True),
        ("127.0.0.1", "127.0.0.1:", False),
        ("127.0.0.1", "127.0.0.1:80x", False),
    ],
)
def test_the_address_the_preview_listens_on_is_allowed(bound: str, host: str, allowed: bool) -> None:
    from generator.serve import allowed_hosts, host_allowed

    assert host_allowed(host, allowed_hosts(bound)) is allowed
