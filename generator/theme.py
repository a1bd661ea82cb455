"""Theme lookup, the Jinja2 environment (undefined is an error), filters and translations.

A theme is a folder with `templates/`, `static/` and `locales/`. A site's own
`themes/<name>/` is searched first, then the shipped theme of that name, then the
shipped default, so a site may override one template or one asset and inherit the rest;
an override may extend the shipped template it replaces as "default/<name>".
"""

from __future__ import annotations

import hashlib
import io
import traceback
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Mapping

import babel
import jinja2
from babel.dates import format_date, format_datetime, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

from . import languages, urls
from .bodies import Bodies, shown_images
from .config import SiteConfig, shipped_themes
from .markup import Markup, sanitize
from .mentions import link_mentions
from .model import Document, Story
from .sources import inside


def theme_dirs(config: SiteConfig) -> tuple[Path, ...]:
    """List the theme folders to search, most specific first."""
    candidates = [config.site_dir / "themes" / config.theme, shipped_themes() / config.theme, shipped_themes() / "default"]
    seen: list[Path] = []
    for c in candidates:
        if c.is_dir() and c.resolve() not in [s.resolve() for s in seen]:
            seen.append(c)
    return tuple(seen)


class TemplateProblem(Exception):
    """A template failed; knows the template, its line, and the page being built."""

    def __init__(self, template: str, line: int, message: str, page: str):
        super().__init__(f"{template}:{line}: {message} (while building {page})")
        self.template, self.line, self.message, self.page = template, line, message, page


@dataclass(frozen=True)
class Theme:
    env: jinja2.Environment
    catalog: NullTranslations

    def gettext(self, text: str, **variables: object) -> str:
        """Translate a UI string outside a template (e.g. a feed title)."""
        translated = self.catalog.gettext(text)
        return translated % variables if variables else translated

    def render(self, template: str, context: Mapping[str, Any]) -> str:
        """Render a template; a failure becomes a TemplateProblem naming template and page."""
        page = context.get("page")
        page_url = getattr(page, "url", "?")
        try:
            return self.env.get_template(template).render(context)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateProblem(exc.filename or exc.name or template, exc.lineno or 1, exc.message or "syntax error", page_url) from None
        except Exception as exc:  # any failure inside a template is the theme's, not a crash
            where = [fr for fr in traceback.extract_tb(exc.__traceback__) if fr.filename.endswith((".html", ".xml"))]
            name, line = (where[-1].filename, where[-1].lineno or 1) if where else (template, 1)
            message = str(exc) if isinstance(exc, jinja2.TemplateError) else f"{exc.__class__.__name__}: {exc}"
            raise TemplateProblem(name, line, message, page_url) from None



def static_files(dirs: tuple[Path, ...]) -> dict[str, Path]:
    """Map each static asset's path to its file; a site's own asset wins; links that leave are skipped."""
    files: dict[str, Path] = {}
    for folder in reversed(dirs):
        for path, safe in _static(folder):
            if safe:
                files[path.relative_to(folder / "static").as_posix()] = path
    return dict(sorted(files.items()))


def linked_out_static(dirs: tuple[Path, ...]) -> list[Path]:
    """List the static files that are links leading out of their site (or shipped themes) folder."""
    return [path for folder in dirs for path, safe in _static(folder) if not safe]


def _static(folder: Path) -> list[tuple[Path, bool]]:
    """List a theme's static files, each with whether it may be copied.

    A static file is published as it is, so a link in static/ to /proc/self/environ
    or ~/.ssh/ would publish it: like content images, a file must stay, links followed,
    inside the folder holding the theme (the site folder for a site's own theme).
    Pipes and devices are not files and are never opened.
    """
    static = folder / "static"
    if not static.is_dir():
        return []
    root = folder.parent.parent  # <site>/themes/<name>, or the shipped themes' home
    return [
        (path, inside(path, root))
        for path in sorted(static.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    ]


def translations(dirs: tuple[Path, ...], language: str) -> NullTranslations:
    """Load the UI message catalog for a language from the theme's .po files."""
    parsed = babel.Locale.parse(language, sep="-")
    locale = str(parsed)
    # zh-CN, zh-Hans-CN and zh_Hans_CN all find a zh_CN catalog.
    names = [language.replace("-", "_"), locale, f"{parsed.language}_{parsed.territory}", parsed.language]
    for folder in dirs:
        for name in names:
            po = folder / "locales" / name / "LC_MESSAGES" / "messages.po"
            if po.is_file():
                with po.open("rb") as fh:
                    catalog = read_po(fh, locale=locale)
                buffer = io.BytesIO()
                write_mo(buffer, catalog)
                buffer.seek(0)
                return Translations(buffer)
    return NullTranslations()


DEFAULT_PREFIX = "default/"  # `{% extends "default/base.html" %}`: the shipped template, whatever overrides it


def environment(dirs: tuple[Path, ...]) -> jinja2.Environment:
    """Make the Jinja2 environment over the theme folders, without filters or globals yet.

    A site's `base.html` that extends "base.html" would extend itself. "default/<name>"
    always names the shipped default template, looked up before the site's own folders,
    so an override can extend the very template it replaces and change one block; and
    since no shipped template extends a "default/" name, that chain cannot come back.
    """
    shipped = jinja2.FileSystemLoader(str(shipped_themes() / "default" / "templates"))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader([
            jinja2.PrefixLoader({DEFAULT_PREFIX.rstrip("/"): shipped}),
            jinja2.FileSystemLoader([str(d / "templates") for d in dirs]),
        ]),
        autoescape=jinja2.select_autoescape(("html", "xml"), default_for_string=True),
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def load_theme(config: SiteConfig, markup: Markup, globals_: Mapping[str, Any], bodies: Bodies | None = None) -> Theme:
    """Build the Jinja2 environment for a site: its theme, language, zone and helpers.

    `bodies` holds every body converted up front (bodies.convert_bodies); a body not
    found there (or when it is None) is converted by `markup` when a template shows it,
    to the same HTML.
    """
    dirs = theme_dirs(config)
    env = environment(dirs)
    catalog = translations(dirs, config.language)
    env.install_gettext_translations(catalog, newstyle=True)  # type: ignore[attr-defined]
    locale = babel.Locale.parse(config.language, sep="-")
    tz = config.tz

    def local(value: datetime) -> datetime:
        return value.astimezone(tz)

    env.filters.update(
        date=lambda v, fmt="medium": format_date(local(v).date(), format=fmt, locale=locale),
        datetime=lambda v, fmt="medium": format_datetime(local(v), format=fmt, tzinfo=tz, locale=locale),
        iso=lambda v: local(v).isoformat(),
        isodate=lambda v: local(v).date().isoformat(),
        number=lambda v: format_decimal(v, locale=locale),
        markdown=lambda text: jinja2.utils.markupsafe.Markup(markup.render(text, limits=config.limits)),
        body_html=lambda document: jinja2.utils.markupsafe.Markup(body_html(bodies, markup, document, config)),
        story_body=lambda story: jinja2.utils.markupsafe.Markup(body_html(bodies, markup, story, config)),
        absolute=lambda path: config.absolute(urls.encode(path)),
        month=lambda day, fmt="yMMMM": format_skeleton(fmt, day, locale=locale),
        hue=lambda handle: int(hashlib.sha1(handle.encode("utf-8")).hexdigest()[:4], 16) % 360,
    )
    env.filters["mentions"] = _mentions
    env.globals.update(globals_)
    env.globals.update(urls=urls, config=config, link=_link, versions=languages.versions, shared=languages.shared)
    return Theme(env, catalog)


def body_html(bodies: Bodies | None, markup: Markup, document: Document, config: SiteConfig) -> str:
    """Return a document's body as safe HTML: converted up front, or now when it was not.

    A body converted up front may come from the cache: it passes the sanitiser again on
    its way into the page, as every body does (nh3 leaves its own output unchanged).
    """
    html = bodies.get(document) if bodies is not None else None
    if html is not None:
        return sanitize(html, isinstance(document, Story))
    return shown_images(markup.render(document.body, untrusted=isinstance(document, Story), limits=config.limits), document)


@jinja2.pass_context
def _link(context: jinja2.runtime.Context, target: str) -> str:
    """Link to a site path from the page being rendered (relative, so any base path works).

    The 404 page is served at any address, so its links are rooted at the base path.
    """
    page = context["page"]
    if page.url == urls.NOT_FOUND:
        return urls.encode(context["config"].base_path + target.lstrip("/"))
    return urls.relative(target, page.url)


@jinja2.pass_context
def _mentions(context: jinja2.runtime.Context, text: str, ids: tuple[str, ...]) -> str:
    """Escape a text, linking the suggestion ids among `ids` it mentions (mentions.py)."""
    return link_mentions(text, ids, lambda target: _link(context, target))
