"""One site in several interface languages: the first at the site's root, each other under /<tag>/.

The content is the same in every language; only the interface changes (the theme's
words, dates, week names). Each language is an *edition*: the same pages and feeds,
rendered with a config whose `language` is that language and whose `url` is the
edition's folder, so its links, canonical addresses, feed ids, `<html lang>` (which
Pagefind reads to choose the page's search index) all follow from that one value. The
first language's edition is the site as it always was: its addresses and feed ids
never change. Another edition's feed ids are its own pages' addresses
(`…/zh-CN/releases/1.2/`): distinct from the first's, and as stable.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable
from urllib.parse import urlsplit

import babel
import jinja2

from . import urls
from .config import SiteConfig
from .pages import Page


def editions(config: SiteConfig) -> tuple[SiteConfig, ...]:
    """Make the config of each language's edition, the first language's (at the root) first."""
    root = config.root_url
    first, *others = config.ui_languages
    return (replace(config, language=first, url=root, prefix=""),) + tuple(
        replace(config, language=tag, url=f"{root}{tag}/", prefix=f"{tag}/") for tag in others
    )


def in_edition(site_path: str, edition: SiteConfig) -> str:
    """Give a site path's place in the whole output: '/releases/1.2/' -> '/zh-CN/releases/1.2/'."""
    return "/" + edition.prefix + site_path.lstrip("/")


def edition_pages(pages: Iterable[Page], edition: SiteConfig) -> list[Page]:
    """List the pages of one edition: every page, but one 404 page and one sitemap for the whole site.

    Hosts serve only the root's 404.html, and a sitemap covers the folders below its
    own, so the first edition's sitemap lists every edition's pages and the others
    have neither.
    """
    every = editions(edition)
    if edition.prefix:
        return [p for p in pages if p.url not in (urls.NOT_FOUND, urls.SITEMAP)]
    if len(every) == 1:
        return list(pages)
    return [
        replace(p, context={**p.context, "urls": [in_edition(u, e) for e in every for u in p.context["urls"]]})
        if p.url == urls.SITEMAP
        else p
        for p in pages
    ]


@dataclass(frozen=True)
class Version:
    """The page being rendered in one language, for `hreflang` links and the language switch."""

    language: str  # BCP 47 tag, e.g. zh-CN
    name: str  # the language's name in that language: English, 中文
    href: str  # absolute address
    link: str  # relative link from the page being rendered
    current: bool  # the language of the page being rendered


def names(tags: tuple[str, ...]) -> dict[str, str]:
    """Name each language in itself ('English', '中文'); with its region when two share a language."""
    locales = {tag: babel.Locale.parse(tag, sep="-") for tag in tags}
    short = {tag: locale.language_name or tag for tag, locale in locales.items()}
    shared = {name for name in short.values() if list(short.values()).count(name) > 1}
    out = {}
    for tag, locale in locales.items():
        name = (locale.display_name or tag) if short[tag] in shared else short[tag]
        out[tag] = name[:1].upper() + name[1:]  # français -> Français, as a label stands alone
    return out


@jinja2.pass_context
def versions(context: jinja2.runtime.Context) -> list[Version]:
    """List the page being rendered in every language of the site (one item for a one-language site)."""
    config: SiteConfig = context["config"]
    page: Page = context["page"]
    every = editions(config)
    named = names(config.ui_languages)
    here = in_edition(page.url, config)
    out = []
    for edition in every:
        target = in_edition(page.url, edition)
        if page.url == urls.NOT_FOUND:
            # The 404 page is served at any address: link each edition's home from the base path.
            link = urls.encode(urlsplit(config.root_url).path + edition.prefix)
        else:
            link = urls.relative(target, here)
        href = config.root_url + urls.encode(target.lstrip("/"))
        out.append(Version(edition.language, named[edition.language], href, link, edition.language == config.language))
    return out


@jinja2.pass_context
def shared(context: jinja2.runtime.Context, target: str) -> str:
    """Link to a file all editions share at the site's root (the search bundle) from the page being rendered."""
    return urls.relative(target, in_edition(context["page"].url, context["config"]))
