"""Index the written site for client-side search with Pagefind: pagefind/ beside the pages.

The templates mark what is searchable (`data-pagefind-body` on releases, suggestions,
profiles and stories); Pagefind reads the finished HTML and writes its index and its
search UI into `pagefind/` of the same folder, so search works offline and from any
host, with no request to another site.

Each page is indexed in its own language, the `lang` of its `<html>`: the language of
its interface (its edition's, see languages.py), never guessed from its text, so a
contributor's Chinese name leaves an English page English. Pagefind keeps one index per
language, and the search page loads the one of its own `lang`: a site in English and
Chinese gets an English and a Chinese search from one run. Pagefind splits Chinese and
Japanese into words only in pages of those languages (its extended build).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from .config import SiteConfig

BUNDLE = "pagefind"  # the folder Pagefind writes into, beside the pages (the root's: one for every language)


class SearchFailed(SystemExit):
    """Pagefind is missing or failed: the build stops, and the old output stays as it was.

    A SystemExit carrying its message, so the command line ends with that one line
    (exit code 1) instead of a traceback, and no `except Exception` mistakes it for a
    content problem. It passes through the writer, which removes its temp folder.
    """

    def __init__(self, message: str):
        super().__init__(f"cocreate: search index not built: {message}")
        self.message = message


def executable() -> Path:
    """Find the extended Pagefind binary installed from PyPI (`pagefind[extended]`)."""
    try:
        from pagefind_bin_extended import get_executable  # type: ignore[import-not-found]
    except ImportError:
        raise SearchFailed(
            "Pagefind is not installed; install it with: pip install 'pagefind[extended]'"
        ) from None
    try:
        return Path(get_executable())
    except OSError as exc:
        raise SearchFailed(f"Pagefind's binary is missing ({exc}); reinstall 'pagefind[extended]'") from None


def index(folder: Path, config: SiteConfig, bundle: Path | None = None) -> None:
    """Run Pagefind over the complete (staged) output folder; raise SearchFailed if it fails.

    The writer stages the whole new output and swaps it in only after this succeeded,
    so a failed run leaves the old site and its old index as they were. `bundle` puts
    the index elsewhere than `folder/pagefind` (the preview indexes beside the site).
    """
    bundle = bundle if bundle is not None else folder / BUNDLE
    if bundle.is_dir() and not bundle.is_symlink():  # never write through what was there
        shutil.rmtree(bundle)
    elif bundle.exists() or bundle.is_symlink():
        bundle.unlink()
    command = [
        str(executable()),
        "--site", str(folder),
        "--output-path", str(bundle),
        "--quiet",
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, errors="replace", timeout=900)
    except OSError as exc:
        raise SearchFailed(f"could not run Pagefind ({exc})") from None
    except subprocess.TimeoutExpired:
        raise SearchFailed("Pagefind ran for more than 15 minutes and was stopped") from None
    if result.returncode != 0 or not (bundle / "pagefind.js").is_file():
        said = (result.stderr.strip() or result.stdout.strip()).splitlines()[-5:]
        detail = "; ".join(line.strip() for line in said if line.strip()) or f"exit code {result.returncode}"
        raise SearchFailed(f"Pagefind failed: {detail}")
    order_languages(bundle, config.ui_languages)
    os.chmod(bundle, 0o755)


def order_languages(bundle: Path, languages: tuple[str, ...]) -> None:
    """List the languages of pagefind-entry.json in the site's order, then alphabetically.

    Pagefind writes them in the order of a hash map, which changes from run to run: the
    same site gave different bytes (and a reader without a match of their language may be
    given the first one listed).
    """
    path = bundle / "pagefind-entry.json"
    entry = json.loads(path.read_text(encoding="utf-8"))
    rank = {tag.lower(): i for i, tag in enumerate(languages)}  # Pagefind writes tags in lower case
    ordered = dict(sorted(entry["languages"].items(), key=lambda item: (rank.get(item[0], len(rank)), item[0])))
    if list(ordered) != list(entry["languages"]):
        path.write_text(json.dumps({**entry, "languages": ordered}, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
