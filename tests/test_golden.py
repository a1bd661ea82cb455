"""The sample site under tests/sites/basic builds to exactly the committed tests/golden/basic.

Regenerate on purpose with `make golden` (pytest --update-golden) and review the diff.
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

from conftest import TESTS, read_tree, run

SITE = TESTS / "sites" / "basic"
GOLDEN = TESTS / "golden" / "basic"


# Pagefind's search bundle is its own output (its UI scripts, its binary index), pinned by
# its version in pyproject.toml; tests/test_search.py checks what it indexes.
SEARCH_BUNDLE = "pagefind"


def as_compared(name: str, data: bytes) -> bytes:
    """A share card is compared by its PNG header (format, 1200x630): its pixels depend on the
    machine's fonts and on Pillow's FreeType, not on cocreate. tests/test_share_cards.py checks
    what it shows and that a build always draws the same bytes."""
    return data[:24] if name.endswith("share-card.png") else data


def test_basic_site_matches_golden_output(tmp_path: Path, update_golden: bool) -> None:
    out = tmp_path / "out"
    assert run("build", "--config", str(SITE / "site.yml"), "--out", str(out)) == 0
    assert (out / SEARCH_BUNDLE / "pagefind.js").is_file()
    if update_golden:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(out, GOLDEN, ignore=lambda folder, names: [SEARCH_BUNDLE] if Path(folder) == out else [])
    built = {name: as_compared(name, data) for name, data in read_tree(out).items() if not name.startswith(SEARCH_BUNDLE + "/")}
    expected = {name: as_compared(name, data) for name, data in read_tree(GOLDEN).items()}
    assert sorted(built) == sorted(expected), "files added or missing compared with tests/golden/basic"
    problems = []
    for name in sorted(expected):
        if built[name] != expected[name]:
            diff = difflib.unified_diff(
                expected[name].decode("utf-8", "replace").splitlines(),
                built[name].decode("utf-8", "replace").splitlines(),
                f"golden/{name}",
                f"built/{name}",
                lineterm="",
            )
            problems.append("\n".join(list(diff)[:60]))
    assert not problems, "output differs from the golden site:\n" + "\n\n".join(problems[:5])
