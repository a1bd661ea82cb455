"""Images that content points to (avatars, covers, images beside a story, release or suggestion): found, confined, checked by type."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from . import urls
from .appearance import asset_sources as appearance_sources
from .site import Site
from .sources import inside

MAX_IMAGE_BYTES = 2 * 1024 * 1024

# Real types by their first bytes; SVG is left out on purpose: it can carry script.
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)


def image_type(head: bytes) -> str | None:
    """Name an image's real type from its first bytes, or None if it is not one we accept."""
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def local_image(value: str, document: Path, site_dir: Path) -> str:
    """Resolve an image written next to a document; return its path relative to the site.

    Raises ValueError with an editor's message when it is outside the site, missing,
    too large, or not really an image.
    """
    written = PurePosixPath(value.replace("\\", "/"))
    if written.is_absolute() or ".." in written.parts or ":" in value:
        raise ValueError(f"'{value}' must be a file next to this one, e.g. cover.jpg (no '..', no absolute path)")
    path = document.parent / Path(*written.parts)
    if not inside(path, site_dir) or not inside(path, document.parent):
        raise ValueError(f"'{value}' leads outside the site folder; copy the image next to this file")
    if not path.is_file():
        raise ValueError(f"'{value}' does not exist next to this file")
    size = path.stat().st_size
    if size > MAX_IMAGE_BYTES:
        raise ValueError(f"'{value}' is {size // 1024} KB; images may be at most {MAX_IMAGE_BYTES // 1024} KB (resize it)")
    with path.open("rb") as fh:
        kind = image_type(fh.read(16))
    if kind is None:
        raise ValueError(f"'{value}' is not a PNG, JPEG, GIF or WebP image (SVG is not accepted)")
    return path.relative_to(site_dir).as_posix()


def asset_sources(site: Site, theme_static: dict[str, Path]) -> dict[str, tuple[Path, str]]:
    """The files copied as they are (theme assets, avatars, covers, images beside bodies): where from, and who names them."""
    config = site.config
    files = {f"assets/{rel}": (path, "site.yml") for rel, path in theme_static.items()}
    files.update(appearance_sources(config.appearance, config.site_dir))  # logo, favicon, extra CSS
    for handle, person in site.people.items():
        profile = person.profile
        if profile and profile.avatar and not profile.avatar.startswith("https://") and not person.anonymous:
            files[urls.output_file(urls.avatar(handle, profile.avatar))] = (config.site_dir / profile.avatar, profile.origin.path)
    for story in site.stories:
        if story.cover:
            files[urls.output_file(urls.cover(story.slug, story.cover))] = (config.site_dir / story.cover, story.origin.path)
        for src, path in story.images:
            files[urls.output_file(urls.story(story.slug) + src)] = (config.site_dir / path, story.origin.path)
    # Images written beside a release or a suggestion go beside its page, where its body links them.
    beside = [(urls.release(r.version), r) for r in site.releases] + [(urls.suggestion(s.id), s) for s in site.suggestions]
    for page, document in beside:
        for src, path in document.images:
            files[urls.output_file(page + src)] = (config.site_dir / path, document.origin.path)
    return files


def asset_files(site: Site, theme_static: dict[str, Path]) -> dict[str, tuple[bytes, str]]:
    """The files copied as they are, with their bytes: output path -> (bytes, who names them)."""
    return {out: (path.read_bytes(), origin) for out, (path, origin) in asset_sources(site, theme_static).items()}
