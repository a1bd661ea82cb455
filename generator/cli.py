"""The command line: the only place that prints and exits.

Exit codes: 0 success, 1 content errors (or warnings with --strict), 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from . import __version__
from .build import BuildReport, build, check
from .writer import OutputRefused

if TYPE_CHECKING:
    from .serve import Rebuild

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cocreate", description="Build a changelog and fan-story site from Markdown.")
    parser.add_argument("--version", action="version", version=f"cocreate {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def with_config(p: argparse.ArgumentParser) -> None:
        p.add_argument("--config", type=Path, default=None, help="path to site.yml (default: ./site.yml)")

    p = commands.add_parser("build", help="validate, then write the site")
    with_config(p)
    p.add_argument("--out", type=Path, default=None, help="output folder (default: _site/ beside site.yml)")
    p.add_argument("--strict", action="store_true", help="fail on warnings too")

    p = commands.add_parser("check", help="validate only; write nothing")
    with_config(p)
    p.add_argument("--format", choices=("text", "github"), default="text", help="github prints CI annotations")
    p.add_argument("--strict", action="store_true", help="fail on warnings too")

    p = commands.add_parser("serve", help="live preview on localhost that rebuilds on every saved file")
    with_config(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this computer only)")
    p.add_argument("--port", type=_port, default=8000, help="port to listen on (default: 8000)")
    return parser


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number; use 1 to 65535, e.g. 8000")
    return port


def _config_path(given: Path | None) -> Path | None:
    path = given if given is not None else Path.cwd() / "site.yml"
    if path.is_dir():
        path = path / "site.yml"
    return path if path.is_file() else None


def _print_diagnostics(report: BuildReport, fmt: str) -> None:
    for d in report.diagnostics.sorted():
        if fmt == "github":
            print(d.github())
        else:
            print(d, file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run a cocreate command and return its exit code."""
    args = _parser().parse_args(argv)
    config = _config_path(args.config)
    if config is None:
        where = args.config or "this folder"
        print(f"cocreate: no site.yml in {where}; run it in a site folder or pass --config path/to/site.yml", file=sys.stderr)
        return EXIT_USAGE

    if args.command == "check":
        report = check(config)
        _print_diagnostics(report, args.format)
        errors, warnings = len(report.diagnostics.errors), len(report.diagnostics.warnings)
        site = report.site
        if site is not None and site.unpublished:
            waiting = sum(1 for s in site.unpublished if s.status == "submitted")
            print(f"{waiting} stories await moderation")
        print(f"checked: {report.pages} pages, {errors} errors, {warnings} warnings in {report.seconds:.2f}s")
        return EXIT_CONTENT if errors or (args.strict and warnings) else EXIT_OK

    if args.command == "build":
        try:
            report = build(config, args.out, strict=args.strict)
        except OutputRefused as exc:
            print(f"cocreate: {exc}", file=sys.stderr)
            return EXIT_USAGE
        _print_diagnostics(report, "text")
        errors, warnings = len(report.diagnostics.errors), len(report.diagnostics.warnings)
        if not report.written:
            reason = f"{errors} errors" if errors else f"{warnings} warnings (--strict)"
            print(f"build failed: {reason}; {report.out} was left as it was", file=sys.stderr)
            return EXIT_CONTENT
        print(
            f"built {report.pages} pages and {report.feeds} feeds ({report.files} files) "
            f"into {report.out} with {warnings} warnings in {report.seconds:.2f}s"
        )
        return EXIT_OK

    if args.command == "serve":
        return _serve(config, args.host, args.port)
    return EXIT_USAGE


def _serve(config: Path, host: str, port: int) -> int:
    """Run the live preview until Ctrl-C; content errors are printed and shown in the browser."""
    from .serve import CannotListen, Preview  # imported here: the server costs every other command startup time

    def report(rebuild: Rebuild) -> None:
        if rebuild.report is None:
            print(rebuild.crash, file=sys.stderr)
            print("build crashed (a bug in cocreate); the browser shows the traceback", file=sys.stderr, flush=True)
            return
        _print_diagnostics(rebuild.report, "text")
        errors, warnings = len(rebuild.report.diagnostics.errors), len(rebuild.report.diagnostics.warnings)
        if rebuild.ok:
            print(f"built {rebuild.report.pages} pages with {warnings} warnings in {rebuild.report.seconds:.2f}s", flush=True)
        else:
            print(f"build failed: {errors} errors; the browser shows them until a save fixes them", file=sys.stderr, flush=True)

    try:
        preview = Preview(config, host, port, report)
        print(f"serving {preview.url} (rebuilds on every save; Ctrl-C to stop)", flush=True)
        preview.run()
    except CannotListen as exc:
        print(f"cocreate: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print("stopped", flush=True)
    return EXIT_OK
