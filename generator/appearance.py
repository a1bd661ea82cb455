"""site.yml `appearance:` -> Appearance: the accent colour and its light and dark palette,
the logo, the favicon, extra stylesheets and extra `<head>` HTML, without copying the theme.

The files named here are the site's own (like its templates, trusted), checked where
site.yml names them and copied to /assets/site/<their path in the site>.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable

from coloraide import Color

from . import fields as f
from . import schema
from .sources import inside

MAX_FILE_BYTES = 2 * 1024 * 1024
OUTPUT_FOLDER = "assets/site/"

# The default theme's backgrounds and text colours (themes/default/static/style.css,
# `:root` and the dark block): the derived accents must read on each of them.
LIGHT = {"bg": "#fbf8f4", "card": "#fff", "fg": "#1c1917"}
DARK = {"bg": "#151311", "card": "#1f1b18", "fg": "#f3efea"}
AA = 4.5  # WCAG 2 AA for text of any size
MARGIN = 0.1  # rounding to #rrggbb must not bring a colour back under AA


@dataclass(frozen=True)
class SiteFile:
    """A file of the site that the pages link to: where it is, where it is published, its type."""

    path: str  # relative to the site folder, as site.yml names it
    url: str  # the site path it is published at
    type: str  # its media type, for <link type=…>


@dataclass(frozen=True)
class Appearance:
    """What site.yml's `appearance:` says, checked; everything empty means the theme as shipped."""

    accent: str = ""  # as written in site.yml
    palette: str = ""  # CSS custom properties for light and dark, derived from the accent
    logo: SiteFile | None = None
    favicon: SiteFile | None = None
    css: tuple[SiteFile, ...] = ()
    head: str = ""  # trusted HTML, added to every page's <head> as it is

    def files(self) -> tuple[SiteFile, ...]:
        """List every file of the site this appearance publishes."""
        return tuple(x for x in (self.logo, self.favicon, *self.css) if x is not None)


def read_appearance(node: f.Node, reader: f.FieldReader, site_dir: Path) -> Appearance:
    """Check the `appearance:` mapping of site.yml; each problem is reported at its line."""
    got = reader.read(
        node,
        schema.checked(schema.APPEARANCE, {
            "accent": f.Field(accent_colour),
            "logo": f.Field(lambda n: site_file(n, site_dir, IMAGES)),
            "favicon": f.Field(lambda n: site_file(n, site_dir, ICONS)),
            "css": f.Field(f.list_of(lambda n: site_file(n, site_dir, STYLESHEETS))),
            "head": f.Field(f.text),
        }),
        "appearance",
        "appearance.",
    )
    accent = got.get("accent")
    return Appearance(
        accent=accent.to_string() if accent is not None else "",
        palette=palette_css(accent) if accent is not None else "",
        logo=got.get("logo"),
        favicon=got.get("favicon"),
        css=got.get("css", ()),
        head=got.get("head", ""),
    )


def accent_colour(node: f.Node) -> Color:
    """Read a CSS colour (`#0f766e`, `teal`, `rgb(15 118 110)`, `oklch(55% 0.1 185)`…), opaque."""
    value = f.text(node)
    try:
        colour = Color(value)
    except ValueError:
        raise f.Invalid(f"'{value}' is not a CSS colour; write one like #0f766e, teal or rgb(15 118 110)") from None
    if colour.alpha() < 1:
        raise f.Invalid(f"'{value}' is see-through; the accent must be an opaque colour, e.g. #0f766e")
    return colour


# --- the palette -------------------------------------------------------------------------


def palette(accent: Color) -> dict[str, dict[str, str]]:
    """Derive the theme's accent colours for light and dark from one colour, each readable (AA).

    The hue stays the accent's; lightness moves only as far as contrast needs, so a
    colour that already reads well is used as it is. The tints behind text are pale
    (light) or deep (dark) versions of the same hue.
    """
    base = accent.convert("oklch").fit("srgb")
    out = {}
    for name, scheme, soft_l, week_l, step in (("light", LIGHT, 0.95, 0.975, -0.01), ("dark", DARK, 0.32, 0.22, 0.01)):
        soft = _tint(base, soft_l, 0.05)
        week = _tint(base, week_l, 0.03)
        grounds = [scheme["bg"], scheme["card"], soft, week]
        text = _until(base, step, lambda c: min(c.contrast(g, method="wcag21") for g in grounds))
        if name == "light" and base.contrast("#fff", method="wcag21") < AA + MARGIN and base.contrast(scheme["fg"], method="wcag21") >= AA + MARGIN:
            fill, on = base, scheme["fg"]  # a light accent keeps its colour and takes dark text
        elif name == "light":
            fill, on = _until(base, step, lambda c: c.contrast("#fff", method="wcag21")), "#fff"
        else:
            on = LIGHT["fg"]  # dark text on a bright accent, as the shipped dark theme has
            fill = _until(base, step, lambda c: c.contrast(on, method="wcag21"))
        out[name] = {
            "--accent": _hex(fill), "--accent-text": _hex(text), "--accent-soft": _hex(soft),
            "--on-accent": _hex(Color(on)), "--week-bg": _hex(week),
        }
    return out


def palette_css(accent: Color) -> str:
    """Write the derived palette as CSS that overrides the theme's, in both ways dark is chosen."""
    colours = palette(accent)

    def block(name: str) -> str:
        return "{" + ";".join(f"{k}:{v}" for k, v in colours[name].items()) + "}"

    # The same selectors as style.css (so the same specificity), later in the page: they win.
    return (
        f":root{block('light')}"
        f":root[data-theme=dark]{block('dark')}"
        f"@media (prefers-color-scheme:dark){{:root:not([data-theme=light]){block('dark')}}}"
    )


def _tint(base: Color, lightness: float, chroma: float) -> Color:
    tint = base.clone()
    tint["lightness"] = lightness
    tint["chroma"] = min(tint["chroma"], chroma) if not tint.is_nan("chroma") else 0
    return tint.fit("srgb")


def _until(base: Color, step: float, contrast: Callable[[Color], float]) -> Color:
    """Move the colour's lightness by `step` until `contrast(colour)` reaches AA (black or white at worst)."""
    lightness = base["lightness"]
    colour = base
    while contrast(Color(_hex(colour))) < AA + MARGIN and 0 <= lightness + step <= 1:
        lightness += step
        colour = base.clone().set("lightness", lightness).fit("srgb")
    return colour


def _hex(colour: Color) -> str:
    return colour.convert("srgb").fit("srgb").to_string(hex=True)


# --- files of the site ---------------------------------------------------------------------

# Kinds of file by their first bytes: (media type, signature test).
IMAGES = {
    "PNG": ("image/png", lambda head, name: head.startswith(b"\x89PNG\r\n\x1a\n")),
    "JPEG": ("image/jpeg", lambda head, name: head.startswith(b"\xff\xd8\xff")),
    "GIF": ("image/gif", lambda head, name: head[:6] in (b"GIF87a", b"GIF89a")),
    "WebP": ("image/webp", lambda head, name: head[:4] == b"RIFF" and head[8:12] == b"WEBP"),
    # SVG is fine here, unlike in content: the site's own file, shown by <img>, where no script runs.
    "SVG": ("image/svg+xml", lambda head, name: name.endswith(".svg") and b"<svg" in head),
}
ICONS = {**IMAGES, "ICO": ("image/x-icon", lambda head, name: head[:4] == b"\x00\x00\x01\x00")}
STYLESHEETS = {"CSS": ("text/css", lambda head, name: name.endswith(".css"))}


def site_file(node: f.Node, site_dir: Path, kinds: dict[str, tuple[str, Callable[[bytes, str], bool]]]) -> SiteFile:
    """Read the path of a file in the site folder and check that it is one of `kinds`."""
    value = f.text(node)
    written = PurePosixPath(value.replace("\\", "/"))
    if written.is_absolute() or ".." in written.parts or ":" in value:
        raise f.Invalid(f"'{value}' must be a path inside the site folder, from site.yml, e.g. assets/logo.svg (no '..', no address)")
    if any(ch in value for ch in "#?%"):
        raise f.Invalid(f"'{value}' has a '#', '?' or '%', which cannot stand in an address; rename the file")
    path = site_dir / Path(*written.parts)
    if not inside(path, site_dir):
        raise f.Invalid(f"'{value}' leads outside the site folder; copy the file into it")
    if not path.is_file():
        raise f.Invalid(f"'{value}' does not exist (the path is from the folder holding site.yml)")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise f.Invalid(f"'{value}' is {size // 1024} KB; it may be at most {MAX_FILE_BYTES // 1024} KB")
    with path.open("rb") as fh:
        head = fh.read(4096)
    for media_type, matches in kinds.values():
        if matches(head, path.name.lower()):
            if media_type == "text/css":
                _utf8(path, value)
            rel = written.as_posix()
            return SiteFile(rel, "/" + OUTPUT_FOLDER + rel, media_type)
    names = list(kinds)
    what = f"{', '.join(names[:-1])} or {names[-1]}" if len(names) > 1 else names[0]
    advice = "; name it with .css at the end" if kinds is STYLESHEETS else " (its first bytes say it is not one)"
    raise f.Invalid(f"'{value}' is not a {what} file{advice}")


def _utf8(path: Path, value: str) -> None:
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise f.Invalid(f"'{value}' is not UTF-8 text; save it with UTF-8 encoding") from None


def asset_sources(appearance: Appearance, site_dir: Path) -> dict[str, tuple[Path, str]]:
    """The site's files to copy as they are: output path -> (file, who names it)."""
    return {file.url.lstrip("/"): (site_dir / file.path, "site.yml") for file in appearance.files()}
