"""The font share cards are drawn with: found on the system (or named in site.yml), and what it covers.

Cards show names in any script, so the font must cover Chinese at least. A font is
looked for where Debian puts Noto CJK and WenQuanYi (`fonts-noto-cjk`, which the browser
tests install too), then asked of fontconfig; the first face that has Chinese glyphs
wins. Which characters a face covers is read from its cmap (fontTools), so a name the
font cannot show is never drawn as empty boxes.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont, TTLibError

# Debian's paths: fonts-noto-cjk, fonts-wqy-microhei, fonts-wqy-zenhei.
KNOWN_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
PROBE = "你好中文"  # a font that lacks these does not cover Chinese
# Noto Sans CJK lacks much of Latin Extended ('ś' in Wiśniewski), Greek and Cyrillic: a
# card whose words the CJK font cannot draw is drawn with the first of these that can.
FALLBACK_FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
)
# A .ttc holds several faces; the Simplified Chinese one draws Chinese names as readers expect.
PREFERRED_FACE = ("SC", "CN", "GB")


@dataclass(frozen=True)
class Face:
    """One face of a font file: the file, its index in a collection, and the bold sibling if any."""

    path: str
    index: int
    bold: str  # a bold file with the same faces ("" when there is none)
    covered: frozenset[int]

    @property
    def identity(self) -> tuple:
        """Name the face for a card's fingerprint: a card drawn with another font is another card."""
        return (self.path, self.index, self.bold)

    def missing(self, text: str) -> str:
        """Return the characters of `text` this face cannot draw that a reader would miss.

        Spaces, controls, format characters and marks are not drawn anyway; emoji and other
        symbols are decorations a card leaves out (a colour emoji font cannot be drawn at a
        card's size). Letters, digits and punctuation must all be covered.
        """
        out = []
        for ch in text:
            if ord(ch) in self.covered or ch.isspace():
                continue
            category = unicodedata.category(ch)
            if category[0] in "CMZ" or category in ("So", "Sk"):
                continue
            out.append(ch)
        return "".join(dict.fromkeys(out))

    def drawable(self, text: str) -> str:
        """Keep the characters of `text` the face has glyphs for (spaces as spaces)."""
        return "".join(ch if not ch.isspace() else " " for ch in text if ch.isspace() or ord(ch) in self.covered)


class FontProblem(ValueError):
    """The font named in site.yml cannot be used; the message says why, for an editor."""


def _faces(path: str) -> list[tuple[int, TTFont]]:
    if path.lower().endswith((".ttc", ".otc")):
        from fontTools.ttLib import TTCollection

        return list(enumerate(TTCollection(path, lazy=True).fonts))
    return [(0, TTFont(path, lazy=True))]


def _name(font: TTFont) -> str:
    try:
        return font["name"].getDebugName(4) or ""
    except (KeyError, TTLibError):
        return ""


def open_face(path: str, probe: str = PROBE) -> Face | None:
    """Open a font file and pick its face that covers `probe` (preferring Simplified Chinese); None if none does."""
    try:
        faces = _faces(path)
    except (OSError, TTLibError, AssertionError, ValueError):
        return None
    # Names are cheap and a cmap is not (45,000 entries): try the Simplified Chinese faces first.
    faces.sort(key=lambda face: (not any(f" {p}" in _name(face[1]) for p in PREFERRED_FACE), face[0]))
    for index, font in faces:
        try:
            cmap = font.getBestCmap() or {}
        except (TTLibError, KeyError, AssertionError, ValueError):
            continue
        if all(ord(ch) in cmap for ch in probe):
            bold = path.replace("Regular", "Bold") if "Regular" in path else str(Path(path).with_stem(Path(path).stem + "-Bold"))
            return Face(path, index, bold if bold and Path(bold).is_file() else "", frozenset(cmap))
    return None


def find_faces(configured: str, site_dir: Path) -> tuple[Face, ...]:
    """Find the card fonts: the one covering Chinese first, then the system's fallbacks for other scripts."""
    main = find_face(configured, site_dir)
    fallbacks = (open_face(path, "Aa") for path in FALLBACK_FONTS if Path(path).is_file())
    return (main, *(face for face in fallbacks if face is not None))


def missing_in_all(faces: tuple[Face, ...], text: str) -> str:
    """Return the characters of `text` that no face can draw (and a reader would miss)."""
    missing = faces[0].missing(text) if faces else text
    return "".join(ch for ch in missing if not any(ord(ch) in face.covered for face in faces[1:]))


def find_face(configured: str, site_dir: Path) -> Face:
    """Find the card font: the one site.yml names, else the system's; raise FontProblem when there is none."""
    if configured:
        path = Path(configured) if Path(configured).is_absolute() else site_dir / configured
        if not path.is_file():  # config.py said so at its line; it may have gone since
            raise FontProblem(f"cards.font: '{configured}' does not exist; give a font file (.ttf, .otf or .ttc)")
        face = open_face(str(path))
        if face is None:
            raise FontProblem(f"cards.font: '{configured}' is not a font that covers Chinese; use e.g. Noto Sans CJK")
        return face
    candidates = [p for p in KNOWN_FONTS if Path(p).is_file()]
    if not candidates and shutil.which("fc-match"):
        done = subprocess.run(["fc-match", "-f", "%{file}", "sans-serif:lang=zh-cn"], capture_output=True, text=True, timeout=10)
        candidates = [done.stdout.strip()] if done.returncode == 0 and done.stdout.strip() else []
    for path in candidates:
        face = open_face(path)
        if face is not None:
            return face
    raise FontProblem(
        "share cards: no font that covers Chinese was found, so pages use the default card; "
        "install one (Debian: apt-get install fonts-noto-cjk) or set cards.font in site.yml"
    )
