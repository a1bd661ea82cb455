"""The command line: the only place that prints and exits.

Exit codes: 0 success, 1 content errors (or warnings with --strict), 2 usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from . import __version__, intake, newsite, scaffold
from .build import BadEnvironment, BuildReport, Loaded, build, check, load
from .errors import Diagnostics
from .sources import discover
from .writer import OutputRefused

if TYPE_CHECKING:
    from .serve import Rebuild

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


EXAMPLES = """examples:
  cocreate init my-site                  start a site in a new folder (--lang zh-CN: in Chinese)
  cd my-site && cocreate serve           preview it at http://127.0.0.1:8000/, reloaded on every save
  cocreate new release                   the next release, version and date filled in
  cocreate check                         list every mistake in content, as file:line: message
  cocreate build --strict                write the site into _site/; warnings fail too
  cocreate reference                     every setting and field, with type, default and example

`cocreate COMMAND --help` tells more about one command."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cocreate",
        description="Build a changelog and fan-story site from Markdown.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,  # keep the examples' lines as written
    )
    parser.add_argument("-V", "--version", action="version", version=f"cocreate {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser(
        "init",
        help="start a new site: settings, sample content, CI workflow and a guide for editors",
        epilog="example: cocreate init my-site && cd my-site && cocreate serve",
    )
    p.add_argument("dir", nargs="?", type=Path, default=Path("."), metavar="DIR", help="a new or empty folder (default: this one)")
    p.add_argument("--lang", choices=newsite.LANGUAGES, default="en", help="the language of the interface and sample text (default: en)")

    def with_config(p: argparse.ArgumentParser) -> None:
        p.add_argument("--config", type=Path, default=None, help="path to site.yml (default: ./site.yml)")

    commands.add_parser("reference", help="print every site.yml key and front-matter field, with type, default and example")

    p = commands.add_parser("build", help="validate, then write the site")
    p.add_argument("--no-cache", action="store_true", help="neither read nor update the build cache (a clean build)")
    p.add_argument("--cache-dir", type=Path, default=None, metavar="DIR",
                   help="where build caches live (default: $COCREATE_CACHE_DIR, else $XDG_CACHE_HOME/cocreate)")
    p.add_argument("--jobs", type=int, default=None, metavar="N", help="worker processes (default: one per core)")
    p.add_argument("--timings", action="store_true", help="print the seconds each stage took")
    p.add_argument("--no-search", action="store_true", help="skip the search index (quick local builds; search finds nothing)")
    with_config(p)
    p.add_argument("--out", type=Path, default=None, help="output folder (default: _site/ beside site.yml; _site-NAME/ for site.NAME.yml or NAME.yml)")
    p.add_argument("--strict", action="store_true", help="fail on warnings too")

    p = commands.add_parser("check", help="validate only; write nothing")
    with_config(p)
    p.add_argument("--no-cache", action="store_true", help="validate everything again, even if a build found nothing changed")
    p.add_argument("--cache-dir", type=Path, default=None, metavar="DIR", help="where build caches live")
    p.add_argument("--format", choices=("text", "github"), default="text", help="github prints CI annotations")
    p.add_argument("--strict", action="store_true", help="fail on warnings too")

    p = commands.add_parser("serve", help="live preview on localhost that rebuilds on every saved file")
    with_config(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this computer only)")
    p.add_argument("--port", type=_port, default=8000, help="port to listen on (default: 8000)")

    p = commands.add_parser("new", help="scaffold a content file with the next version, date or id filled in")
    kinds = p.add_subparsers(dest="kind", required=True, metavar="KIND")
    k = kinds.add_parser("release", help="the next release: version counted up, dated the next release day")
    with_config(k)
    k.add_argument("--version", help="the version (default: the latest with its last number counted up)")
    k.add_argument("--date", type=_day, help="YYYY-MM-DD (default: the next release_day after the latest release)")
    k = kinds.add_parser("suggestion", help="a received suggestion with the next free id")
    with_config(k)
    k.add_argument("--title", help="what was asked (required unless --from-issue)")
    k.add_argument("--by", action="append", metavar="HANDLE", help="who proposed it; repeat for co-proposers (required unless --from-issue)")
    k.add_argument("--date", type=_day, help="when it was received, YYYY-MM-DD (default: today)")
    k.add_argument("--from-issue", type=Path, metavar="FILE", help="a GitHub issue filed with the suggestion form, exported as JSON")
    k = kinds.add_parser("contributor", help="a contributor profile")
    with_config(k)
    k.add_argument("--name", help="display name, in any script")
    k.add_argument("--handle", help="the handle (default: made from --name)")
    k = kinds.add_parser("story", help="a submitted fan story, awaiting an editor and the author's consent")
    with_config(k)
    k.add_argument("--title", help="the story's title (required unless --from-issue)")
    who = k.add_mutually_exclusive_group()
    who.add_argument("--author", metavar="HANDLE", help="the author's handle")
    who.add_argument("--guest", metavar="NAME", help="a guest author's name, for someone without a handle")
    k.add_argument("--date", type=_day, help="YYYY-MM-DD (default: today)")
    k.add_argument("--slug", help="the story's address (default: made from the title)")
    k.add_argument("--from-issue", type=Path, metavar="FILE", help="a GitHub issue filed with the story form, exported as JSON")
    return parser


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write YYYY-MM-DD, e.g. 2026-11-20") from None


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number; use 1 to 65535, e.g. 8000")
    return port


class Progress:
    """A progress bar for long builds on a terminal; silent in CI and in pipes."""

    SHOWN_FROM = 200  # pages and feeds to render before a bar is worth showing

    def __init__(self) -> None:
        self.bar = None
        self.quiet = not sys.stderr.isatty() or bool(os.environ.get("CI"))

    def __call__(self, done: int, total: int) -> None:
        if self.quiet or total < self.SHOWN_FROM:
            return
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="page", desc="rendering", leave=False, file=sys.stderr)
        self.bar.update(done - self.bar.n)

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()


def _config_path(given: Path | None) -> Path | None:
    path = given if given is not None else Path.cwd() / "site.yml"
    if path.is_dir():
        path = path / "site.yml"
    return path if path.is_file() else None


def _count(n: int, noun: str) -> str:
    """Say how many, with the noun in the right number ("1 error", "2 errors")."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _print_diagnostics(report: BuildReport, fmt: str) -> None:
    for d in report.diagnostics.sorted():
        if fmt == "github":
            print(d.github())
        else:
            print(d, file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run a cocreate command and return its exit code; never show an editor a traceback."""
    try:
        return _run(argv)
    except KeyboardInterrupt:
        print("cocreate: stopped", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence between a bug and an editor
        if os.environ.get("COCREATE_DEBUG"):
            raise
        print(
            f"cocreate: internal error ({exc.__class__.__name__}: {exc}). This is a bug in cocreate, "
            "not in your content; run again with COCREATE_DEBUG=1 for the details and please report it.",
            file=sys.stderr,
        )
        return EXIT_CONTENT


def _run(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "init":
        return _init(args.dir, args.lang)
    if args.command == "reference":
        from .reference import render  # imported here: only this command needs it

        print(render(), end="")
        return EXIT_OK
    config = _config_path(args.config)
    if config is None:
        where = args.config or "this folder"
        print(f"cocreate: no site.yml in {where}; run it in a site folder or pass --config path/to/site.yml", file=sys.stderr)
        return EXIT_USAGE

    if args.command == "check":
        try:
            report = check(config, cache_dir=args.cache_dir, use_cache=not args.no_cache)
        except BadEnvironment as exc:
            print(f"cocreate: {exc}", file=sys.stderr)
            return EXIT_USAGE
        for message in report.messages:
            print(f"cocreate: {message}", file=sys.stderr)
        _print_diagnostics(report, args.format)
        errors, warnings = len(report.diagnostics.errors), len(report.diagnostics.warnings)
        if report.awaiting is not None:
            waiting = report.awaiting
            print(f"{waiting} {'story awaits' if waiting == 1 else 'stories await'} moderation")
        print(f"checked: {_count(report.pages, 'page')}, {_count(errors, 'error')}, {_count(warnings, 'warning')} in {report.seconds:.2f}s")
        return EXIT_CONTENT if errors or (args.strict and warnings) else EXIT_OK

    if args.command == "build":
        try:
            with Progress() as progress:
                report = build(
                    config, args.out, strict=args.strict, use_cache=not args.no_cache, jobs=args.jobs,
                    progress=progress, search_index=not args.no_search, cache_dir=args.cache_dir,
                )
        except (OutputRefused, BadEnvironment) as exc:
            print(f"cocreate: {exc}", file=sys.stderr)
            return EXIT_USAGE
        for message in report.messages:
            print(f"cocreate: {message}", file=sys.stderr)
        _print_diagnostics(report, "text")
        errors, warnings = len(report.diagnostics.errors), len(report.diagnostics.warnings)
        if not report.written:
            reason = _count(errors, "error") if errors else f"{_count(warnings, 'warning')} (--strict)"
            # A failed build never creates the folder: if it is there, it is the previous output.
            kept = f"{report.out} was left as it was" if report.out and report.out.exists() else "nothing was written"
            print(f"build failed: {reason}; {kept}", file=sys.stderr)
            return EXIT_CONTENT
        if args.timings:
            print("  ".join(f"{phase} {seconds:.2f}s" for phase, seconds in report.phases.items()))
        if report.unchanged:
            print(f"nothing changed since the last build: {report.out} is up to date ({_count(report.files, 'file')}, {report.seconds:.2f}s)")
            return EXIT_OK
        print(
            f"built {_count(report.pages, 'page')} and {_count(report.feeds, 'feed')} into {report.out}: "
            f"{report.rendered} rendered, {_count(report.changed, 'file')} written of {report.files}, "
            f"{_count(warnings, 'warning')}, {report.seconds:.2f}s"
        )
        return EXIT_OK

    if args.command == "serve":
        return _serve(config, args.host, args.port)

    if args.command == "new":
        return _new(config, args)
    return EXIT_USAGE


def _init(folder: Path, language: str) -> int:
    """Write a new site into an empty folder and say how to see it."""
    try:
        newsite.create_site(folder, newsite.starter_files(language, date.today()))
    except newsite.NotEmpty as exc:
        print(f"cocreate init: {exc}", file=sys.stderr)
        return EXIT_USAGE
    go = "" if folder == Path(".") else f"cd {folder} && "
    print(f"a new site is ready in {folder.resolve()}")
    print(f"  {go}cocreate serve      preview it at http://127.0.0.1:8000/")
    print("  EDITING.md tells editors what goes where; site.yml holds the settings (set 'url' to your address)")
    return EXIT_OK


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
            print(f"built {_count(rebuild.report.pages, 'page')} with {_count(warnings, 'warning')} in {rebuild.report.seconds:.2f}s", flush=True)
        else:
            print(f"build failed: {_count(errors, 'error')}; the browser shows them until a save fixes them", file=sys.stderr, flush=True)

    try:
        preview = Preview(config, host, port, report)
        print(f"serving {preview.url} (rebuilds on every save; Ctrl-C to stop)", flush=True)
        preview.run()
    except CannotListen as exc:
        print(f"cocreate: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print("stopped", flush=True)
    return EXIT_OK


def _new(config: Path, args: argparse.Namespace) -> int:
    """Scaffold one content file and print its path; never overwrite."""
    diagnostics = Diagnostics()
    loaded = load(config, diagnostics)
    if loaded is None:
        for d in diagnostics.sorted():
            print(d, file=sys.stderr)
        print("cocreate: fix site.yml first; nothing was written", file=sys.stderr)
        return EXIT_CONTENT
    site, today = loaded.site, date.today()
    files = discover(config.parent, Diagnostics())  # broken files hold their names too

    def stems(kind: str) -> list[str]:
        return [f.stem for f in files if f.kind == kind]

    if getattr(args, "from_issue", None) is not None:
        return _new_from_issue(config, args, loaded, stems)
    missing = _missing_options(args)
    if missing:
        print(f"cocreate new {args.kind}: give {missing}, or --from-issue FILE", file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.kind == "release":
            made = scaffold.release(loaded.config, site.releases, today, version=args.version, when=args.date)
        elif args.kind == "suggestion":
            ids = [s.id for s in site.suggestions] + stems("suggestions")
            made = scaffold.suggestion(ids, today, args.title, args.by, when=args.date)
        elif args.kind == "contributor":
            made = scaffold.contributor(site, today, name=args.name, handle=args.handle)
        else:
            slugs = [s.slug for s in (*site.stories, *site.unpublished)] + stems("stories")
            made = scaffold.story(slugs, today, args.title, author=args.author, guest=args.guest, when=args.date, slug=args.slug)
        path = scaffold.create(config.parent, made)
    except scaffold.NeedsOption as exc:
        print(f"cocreate new {args.kind}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except scaffold.AlreadyThere as exc:
        print(f"cocreate new {args.kind}: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    if diagnostics.has_errors():
        print(f"note: the site has {_count(len(diagnostics.errors), 'error')}; run cocreate check", file=sys.stderr)
    print(path)
    return EXIT_OK


def _missing_options(args: argparse.Namespace) -> str:
    """Name the options `new suggestion` or `new story` needs when no issue is given ("" when none is missing)."""
    if args.kind == "suggestion":
        return " and ".join(o for o, v in (("--title", args.title), ("--by", args.by)) if not v)
    if args.kind == "story":
        need = [] if args.title else ["--title"]
        return " and ".join(need + ([] if args.author or args.guest else ["--author or --guest"]))
    return ""


def _new_from_issue(config: Path, args: argparse.Namespace, loaded: Loaded, stems: Callable[[str], list[str]]) -> int:
    """Turn an exported GitHub issue into a content file; refuse (exit 1) an issue that is not one of the forms."""
    given = [o for o, v in (("--title", args.title), ("--by", getattr(args, "by", None)), ("--author", getattr(args, "author", None)),
                            ("--guest", getattr(args, "guest", None)), ("--slug", getattr(args, "slug", None)), ("--date", args.date)) if v]
    if given:
        print(f"cocreate new {args.kind}: --from-issue takes everything from the issue; leave out {', '.join(given)}", file=sys.stderr)
        return EXIT_USAGE
    try:
        data = args.from_issue.read_bytes()
    except OSError as exc:
        print(f"cocreate new {args.kind}: cannot read {args.from_issue} ({exc.strerror or exc})", file=sys.stderr)
        return EXIT_USAGE
    site = loaded.site
    try:
        issue = intake.read_issue(data)
        if args.kind == "suggestion":
            threads = {s.thread: s.origin.path for s in site.suggestions if s.thread}
            made = intake.suggestion(issue, loaded.config, [s.id for s in site.suggestions] + stems("suggestions"), threads)
        else:
            slugs = [s.slug for s in (*site.stories, *site.unpublished)] + stems("stories")
            made = intake.story(issue, loaded.config, slugs, [s.id for s in site.suggestions])
        path = scaffold.create(config.parent, made.scaffold)
    except (intake.Refused, scaffold.AlreadyThere) as exc:
        print(f"cocreate new {args.kind} --from-issue {args.from_issue}: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    for note in made.notes:
        print(f"note: {note}", file=sys.stderr)
    print(path)
    return EXIT_OK
