"""Share cards: a 1200×630 PNG per profile, shipped suggestion, week and story, drawn with Pillow.

A `Card` holds everything that is drawn (the words already translated, the font, the
avatar's digest), so its fingerprint says exactly when it must be drawn again; the
drawing itself (`Painter.draw`) runs in the render workers and is a pure function of
the card: the same card gives the same bytes (no time or software name in the PNG).
"""

from __future__ import annotations

import colorsys
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from PIL import Image, ImageDraw, ImageFont, ImageOps

from .fonts import Face, find_faces

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
# The default theme's light look (themes/default/static/style.css :root).
BACKGROUND = (0xFB, 0xF8, 0xF4)
INK = (0x1C, 0x19, 0x17)
MUTED = (0x57, 0x53, 0x4E)
ACCENT = (0xC2, 0x41, 0x0C)
ACCENT_TEXT = (0x9A, 0x34, 0x12)
LINE = (0xE7, 0xE0, 0xD6)
AVATAR = 220
RAMP = 60  # shades from the background to each text colour (4 ramps and 3 colours fit 256)
MAX_AVATAR_PIXELS = 25_000_000  # a 2 MB file can claim huge dimensions; never decode such a bomb


@dataclass(frozen=True)
class Card:
    """What one card shows: every word as drawn, the font, and the avatar (by digest)."""

    url: str  # site path of the PNG
    eyebrow: str  # the accent line at the top
    title: str  # the big words
    lines: tuple[str, ...]  # smaller lines under the title
    footer: str  # the site's name and address
    alt: str  # the card's words for og:image:alt
    font: tuple  # the identity of every font it may be drawn with (fonts.Face.identity)
    avatar: str = ""  # a local image, relative to the site folder ("" for none)
    avatar_digest: str = ""  # its bytes' digest: a new picture under the same name is a new card
    initials: str = ""  # drawn in a coloured disc when there is no local avatar
    hue: int = -1  # the disc's hue (-1: no disc at all)


@dataclass
class Painter:
    """Draws cards; keeps its fonts, each size it opened and the background, for the process's life."""

    site_dir: Path
    configured_font: str = ""
    faces: tuple[Face, ...] | None = None
    fonts: dict[tuple, ImageFont.FreeTypeFont] = field(default_factory=dict)
    backgrounds: dict[tuple, Image.Image] = field(default_factory=dict)
    palettes: dict[int, list[int]] = field(default_factory=dict)
    glyphs: dict[tuple, tuple[Image.Image | None, int, int, float]] = field(default_factory=dict)

    def font(self, face: Face, size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
        """Open a face at a size (the bold file when there is one and it is asked for)."""
        key = (face.bold if bold and face.bold else face.path, face.index, size)
        if key not in self.fonts:
            # BASIC layout: the same on every machine, and fast; scripts that need shaping
            # (Arabic, Devanagari) are drawn unshaped, which the issue accepts.
            self.fonts[key] = ImageFont.truetype(key[0], size, index=face.index, layout_engine=ImageFont.Layout.BASIC)
        return self.fonts[key]

    def runs(self, text: str) -> list[tuple[str, Face]]:
        """Split text into runs each drawn by the first face that has its letters; drop what none has (no empty boxes)."""
        if self.faces is None:
            self.faces = find_faces(self.configured_font, self.site_dir)
        if self.faces[0].covered.issuperset(map(ord, text)):  # nearly always: one run
            return [(text, self.faces[0])] if text else []
        out: list[tuple[str, Face]] = []
        for ch in text:
            face = next((f for f in self.faces if ord(ch) in f.covered), None) if ch != " " else (out[-1][1] if out else self.faces[0])
            if face is None:
                continue
            if out and out[-1][1] is face:
                out[-1] = (out[-1][0] + ch, face)
            else:
                out.append((ch, face))
        return out

    def measure(self, size: int, bold: bool = False) -> Callable[[str], float]:
        """Make a function that measures text at a size, as `write` draws it."""
        # The advances `write` moves the pen by, so a line measured to fit is drawn to fit.
        return lambda text: sum(self.glyph(face, size, bold, ch)[3] for run, face in self.runs(text) for ch in run)

    def write(self, draw: ImageDraw.ImageDraw, xy: tuple[int, int], text: str, size: int, ramp: int, bold: bool = False) -> None:
        """Draw one line of text with its top at `xy`, run by run on one baseline, in a colour ramp.

        The card is a palette image whose pixels are indices; a glyph's anti-aliased edge
        blends the index under it with the ink's, so text drawn on ramp `ramp`'s first
        index (the background colour) with its last lands on that ramp's shades.
        """
        x, baseline = float(xy[0]), xy[1] + int(size * 1.05)
        for run, face in self.runs(text):
            for ch in run:
                mask, left, top, advance = self.glyph(face, size, bold, ch)
                if mask is not None:
                    draw.bitmap((int(round(x)) + left, baseline + top), mask, fill=ramp * RAMP + RAMP - 1)
                x += advance

    def glyph(self, face: Face, size: int, bold: bool, ch: str) -> tuple[Image.Image | None, int, int, float]:
        """One character's anti-aliased mask, its offset from the pen on the baseline, and its advance.

        Rendered once per process: most of a card's letters were drawn on the card before it,
        and rendering whole strings again for each card was half of what a card cost.
        """
        key = (face.identity, size, bold, ch)
        if key not in self.glyphs:
            font = self.font(face, size, bold)
            left, top, right, bottom = font.getbbox(ch, anchor="ls")
            mask = None
            if right > left and bottom > top:
                mask = Image.new("L", (right - left, bottom - top), 0)
                ImageDraw.Draw(mask).text((-left, -top), ch, font=font, fill=255, anchor="ls")
            self.glyphs[key] = (mask, left, top, font.getlength(ch))
        return self.glyphs[key]

    def background(self, card: Card) -> Image.Image:
        """The parts every card of a kind shares: the accent bar, the footer and the eyebrow."""
        key = (card.footer, card.font, card.eyebrow, card.avatar != "" or card.hue >= 0)
        if key not in self.backgrounds:
            image = Image.new("P", (WIDTH, HEIGHT), 0)
            image.putpalette(palette(0))
            draw = canvas(image)
            draw.rectangle((0, 0, 23, HEIGHT), fill=PLAIN_ACCENT)
            draw.line((MARGIN, HEIGHT - 110, WIDTH - MARGIN, HEIGHT - 110), fill=PLAIN_LINE, width=2)
            draw.rounded_rectangle((MARGIN, HEIGHT - 84, MARGIN + 40, HEIGHT - 44), radius=10, fill=PLAIN_ACCENT)
            draw.line(((MARGIN + 6, HEIGHT - 62), (MARGIN + 14, HEIGHT - 62), (MARGIN + 18, HEIGHT - 72),
                       (MARGIN + 25, HEIGHT - 54), (MARGIN + 29, HEIGHT - 62), (MARGIN + 36, HEIGHT - 62)), fill=0, width=3)
            footer = fit(card.footer, self.measure(30, True), WIDTH - 2 * MARGIN - 58)
            self.write(draw, (MARGIN + 58, HEIGHT - 84), footer, 30, INK_RAMP, bold=True)
            right = WIDTH - MARGIN - (AVATAR + 48 if key[3] else 0)
            draw.rectangle((MARGIN, 60, right, 130), fill=ACCENT_RAMP * RAMP)  # the background colour, on the eyebrow's ramp
            self.write(draw, (MARGIN, 72), fit(card.eyebrow, self.measure(32, True), right - MARGIN), 32, ACCENT_RAMP, bold=True)
            self.backgrounds[key] = image
        return self.backgrounds[key]

    def draw(self, card: Card) -> bytes:
        """Draw a card and return its PNG bytes."""
        image = self.background(card).copy()
        if card.hue not in self.palettes:
            self.palettes[card.hue] = palette(card.hue)
        image.putpalette(self.palettes[card.hue])
        draw = canvas(image)
        right = WIDTH - MARGIN
        if card.avatar or card.hue >= 0:
            right -= AVATAR + 48
            self.initials(draw, card)
        y = 136
        size = 64 if len(card.title) < 40 else 54
        for line in wrap(card.title, self.measure(size, True), right - MARGIN, 3 if not card.lines else 2):
            self.write(draw, (MARGIN, y), line, size, INK_RAMP, bold=True)
            y += int(size * 1.3)
        y += 18
        draw.rectangle((MARGIN, y, right, HEIGHT - 120), fill=MUTED_RAMP * RAMP)  # the background colour, on the muted ramp
        for text in card.lines:
            if y > HEIGHT - 170:
                break
            self.write(draw, (MARGIN, y), fit(text, self.measure(34), right - MARGIN), 34, MUTED_RAMP)
            y += 50
        picture = self.avatar(card) if card.avatar else None
        if picture is not None:  # a photo needs every colour: the card becomes RGB
            image = image.convert("RGB")
            mask = Image.new("L", (AVATAR, AVATAR), 0)
            ImageDraw.Draw(mask).ellipse((0, 0, AVATAR - 1, AVATAR - 1), fill=255)
            image.paste(picture, (WIDTH - MARGIN - AVATAR, 72), mask)
        out = io.BytesIO()
        # No pnginfo and no time chunk: Pillow writes neither unless asked, so bytes repeat.
        # A palette image is a third of the bytes of an RGB one to compress, most of a card's cost.
        image.save(out, "PNG", compress_level=1)
        return out.getvalue()

    def initials(self, draw: ImageDraw.ImageDraw, card: Card) -> None:
        """Draw the disc with the person's first letter (under the photo, when there is one)."""
        left, top = WIDTH - MARGIN - AVATAR, 72
        draw.ellipse((left, top, left + AVATAR - 1, top + AVATAR - 1), fill=DISC_RAMP * RAMP)
        runs = self.runs(card.initials)
        if runs:
            font = self.font(runs[0][1], 110, bold=True)
            draw.text((left + AVATAR // 2, top + AVATAR // 2), runs[0][0][:1], font=font, fill=DISC_RAMP * RAMP + RAMP - 1, anchor="mm")

    def avatar(self, card: Card) -> Image.Image | None:
        """Open a contributor's own image, cropped square; None when it cannot be read safely."""
        try:
            with Image.open(self.site_dir / card.avatar) as source:
                if source.width * source.height > MAX_AVATAR_PIXELS:
                    return None
                source.draft("RGB", (AVATAR * 2, AVATAR * 2))  # JPEG: decode at a fraction of the size
                picture = ImageOps.exif_transpose(source).convert("RGB")
                return ImageOps.fit(picture, (AVATAR, AVATAR), Image.Resampling.LANCZOS)
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
            return None  # an image that passed the type check but does not decode: the disc instead


INK_RAMP, MUTED_RAMP, ACCENT_RAMP, DISC_RAMP = range(4)
PLAIN_ACCENT, PLAIN_LINE = 4 * RAMP, 4 * RAMP + 1


def palette(hue: int) -> list[int]:
    """The card's colours: four ramps from a background to a text colour, then the plain accent and rule."""
    ramps = ((BACKGROUND, INK), (BACKGROUND, MUTED), (BACKGROUND, ACCENT_TEXT), (disc_colour(hue), (255, 255, 255)))
    return [round(a[k] + (b[k] - a[k]) * i / (RAMP - 1)) for a, b in ramps for i in range(RAMP) for k in range(3)] + [*ACCENT, *LINE]


def canvas(image: Image.Image) -> ImageDraw.ImageDraw:
    """Draw on a palette image with anti-aliased text (Pillow draws a palette image's text in one bit by default)."""
    draw = ImageDraw.Draw(image)
    draw.fontmode = "L"
    return draw


def disc_colour(hue: int) -> tuple[int, int, int]:
    """The colour of the initials' disc for a hue (as the theme's avatar circles)."""
    r, g, b = colorsys.hls_to_rgb(max(hue, 0) / 360, 0.42, 0.5)
    return (int(r * 255), int(g * 255), int(b * 255))


def _units(text: str) -> list[str]:
    """Split text where a line may break: after spaces, and between CJK characters."""
    out: list[str] = []
    word = ""
    for ch in text:
        if ch == " ":
            out.append(word + " ")
            word = ""
        elif ord(ch) >= 0x2E80:  # CJK and later blocks break between any two characters
            if word:
                out.append(word)
            out.append(ch)
            word = ""
        else:
            word += ch
    if word:
        out.append(word)
    return out


MOST = 200  # characters of one text that can ever show on a card: the rest is cut before measuring


def fit(text: str, measure: Callable[[str], float], width: int) -> str:
    """Cut text to one line of `width` pixels, ending with an ellipsis when cut."""
    text = " ".join(text[: MOST * 4].split())
    if len(text) <= MOST and measure(text) <= width:
        return text
    low, high = 0, min(len(text), MOST)  # the longest prefix that fits with '…' (binary search)
    while low < high:
        middle = (low + high + 1) // 2
        if measure(text[:middle] + "…") <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"


def wrap(text: str, measure: Callable[[str], float], width: int, max_lines: int) -> list[str]:
    """Wrap text into at most `max_lines` lines of `width` pixels; the last ends with '…' when cut."""
    lines: list[str] = []
    line = ""
    units = _units(" ".join(text[: MOST * 4].split())[:MOST])
    for i, unit in enumerate(units):
        if measure((line + unit).rstrip()) <= width:
            line += unit
            continue
        if line:
            lines.append(line.rstrip())
            line = ""
        if len(lines) == max_lines:
            lines[-1] = fit(lines[-1] + " " + "".join(units[i:]), measure, width)
            return lines
        while measure(unit.rstrip()) > width:  # one word wider than the card: break inside it
            cut = len(unit)
            while cut > 1 and measure(unit[:cut]) > width:
                cut -= 1
            lines.append(unit[:cut])
            unit = unit[cut:]
            if len(lines) == max_lines:
                lines[-1] = fit(lines[-1] + unit + "".join(units[i + 1:]), measure, width)
                return lines
        line = unit
    if line.strip():
        lines.append(line.rstrip())
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [fit(" ".join(lines[max_lines - 1:]), measure, width)]
    return lines
