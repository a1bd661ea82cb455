"""Index the written site for client-side search with Pagefind: pagefind/ beside the pages.

The templates mark what is searchable (`data-pagefind-body` on releases, suggestions,
profiles and stories); Pagefind reads the finished HTML and writes its index and its
search UI into `pagefind/` of the same folder, so search works offline and from any
host, with no request to another site.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from .config import SiteConfig

BUNDLE = "pagefind"  # the folder Pagefind writes into, beside the pages

# Chinese and Japanese are written without spaces between words, and only Pagefind's
# extended build, for pages in those languages, splits them into words.
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_TEXT_OF_SCRIPTS = re.compile(rb"<(script|style)\b.*?</\1>", re.S)


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


def language(folder: Path, config: SiteConfig) -> str:
    """Choose the one language the whole site is indexed as (ISO 639-1).

    Pagefind keeps one index per page language and the search page searches only its
    own, so the site is indexed as one language. A site with any Chinese or Japanese
    text is indexed as such, so those words are found inside sentences; Latin words
    are still split at spaces, and only stemming is lost (prefixes still match:
    "photo" finds "photos").
    """
    own = config.language.split("-")[0].lower()
    if own in ("zh", "ja"):
        return own
    kana = han = False
    for page in sorted(folder.rglob("*.html")):
        text = _TEXT_OF_SCRIPTS.sub(b" ", page.read_bytes()).decode("utf-8", "replace")
        kana = kana or bool(_KANA.search(text))
        han = han or bool(_HAN.search(text))
        if kana:
            break
    return "ja" if kana else "zh" if han else own


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
        "--force-language", language(folder, config),
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
    os.chmod(bundle, 0o755)
