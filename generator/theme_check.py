"""A theme's mistakes, found before any page is built: templates that do not compile,
overrides that override nothing, static files that are links leading out of the site.

Themes are code: a broken template would otherwise fail once per page (131 times for
the demo), and a misspelt override would be ignored without a word.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
from jinja2 import meta, nodes

from .config import SiteConfig, shipped_themes
from .errors import Diagnostic, SourceLocation, did_you_mean
from .markup import Markup
from .render import template_path
from .theme import DEFAULT_PREFIX, environment, linked_out_static, load_theme, theme_dirs


def check_theme(config: SiteConfig) -> list[Diagnostic]:
    """Report every mistake of the site's theme: syntax errors, stray overrides, linked-out static files."""
    return [*compile_templates(config), *check_overrides(config), *check_extends(config), *check_static(config)]


def _is_template(name: str) -> bool:
    return name.endswith((".html", ".xml"))


def _own_templates(config: SiteConfig) -> list[str]:
    """Name the templates in the site's own theme folder (they come first in the search path)."""
    own = config.site_dir / "themes" / config.theme / "templates"
    if not own.is_dir() or own.resolve() == (shipped_themes() / config.theme / "templates").resolve():
        return []  # none, or the shipped theme itself (the demo site in cocreate's own checkout)
    return sorted(p.relative_to(own).as_posix() for p in own.rglob("*") if p.is_file() and not p.name.startswith("."))


def compile_templates(config: SiteConfig) -> list[Diagnostic]:
    """Compile every template of the site's own theme folder; report each one that cannot compile, once, with file and line.

    The shipped templates are cocreate's own code, compiled by its tests; compiling
    them on every check would cost a third of a second for nothing.
    """
    names = [n for n in _own_templates(config) if _is_template(n)]
    if not names:
        return []
    # The real environment: an unknown filter is a compile error only when the known ones are there.
    env = load_theme(config, Markup(), {}).env
    problems: list[Diagnostic] = []
    for name in names:
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            where = SourceLocation(template_path(exc.filename or name, config.site_dir), exc.lineno or 1)
            problems.append(Diagnostic(where, f"template error: {exc.message}; fix the template (no page can be built until then)"))
        except UnicodeDecodeError:
            where = SourceLocation(f"themes/{config.theme}/templates/{name}", 1)
            problems.append(Diagnostic(where, "is not UTF-8 text; save the template with UTF-8 encoding"))
    return problems


def check_overrides(config: SiteConfig) -> list[Diagnostic]:
    """Warn about a template in the site's theme folder that replaces no template of the default theme.

    A custom theme may add templates of its own, so one that another of its templates
    includes, imports or extends is in use and not reported.
    """
    own = _own_templates(config)
    if not own:
        return []
    shipped = [n for n in environment((shipped_themes() / "default",)).list_templates(filter_func=_is_template) if not n.startswith(DEFAULT_PREFIX)]
    used = _referenced(environment(theme_dirs(config)), own)
    return [
        Diagnostic(
            SourceLocation(f"themes/{config.theme}/templates/{name}", 1),
            f"overrides no template of the default theme, so it is never used{did_you_mean(name, shipped)}; "
            "name it like the template it replaces",
            "warning",
        )
        for name in own
        if name not in shipped and name not in used
    ]


def check_extends(config: SiteConfig) -> list[Diagnostic]:
    """Report a template of the site that extends itself, directly or through others.

    A site's `base.html` saying {% extends "base.html" %} finds itself, not the shipped
    one (the site's folder is searched first): every page would fail with a recursion
    error. "default/base.html" is the name of the shipped one.
    """
    own = [n for n in _own_templates(config) if _is_template(n)]
    if not own:
        return []
    env = environment(theme_dirs(config))
    problems = []
    for name in own:
        first = _extends(env, name)
        seen, parent = [name], first
        while parent is not None and parent[0] not in seen:
            seen.append(parent[0])
            parent = _extends(env, parent[0])
        if first is not None and parent is not None and parent[0] == name:
            problems.append(Diagnostic(
                SourceLocation(f"themes/{config.theme}/templates/{name}", first[1]),
                f'extends "{first[0]}", which leads back to this template, so no page can be built; '
                f'to extend the shipped template write {{% extends "{DEFAULT_PREFIX}{first[0]}" %}}',
            ))
    return problems


def _extends(env: jinja2.Environment, name: str) -> tuple[str, int] | None:
    """The template `name` extends by a fixed name, and the line saying so (None: none, or unreadable)."""
    try:
        source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
        tree = env.parse(source)
    except (jinja2.TemplateError, UnicodeDecodeError):
        return None  # missing, or compile_templates reports it
    for node in tree.find_all(nodes.Extends):
        if isinstance(node.template, nodes.Const) and isinstance(node.template.value, str):
            return node.template.value, node.lineno
    return None


def _referenced(env: jinja2.Environment, names: list[str]) -> set[str]:
    """Name every template that one of `names` includes, imports or extends by a fixed name."""
    found: set[str] = set()
    for name in names:
        try:
            source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
            found.update(n for n in meta.find_referenced_templates(env.parse(source)) if n)
        except (jinja2.TemplateSyntaxError, UnicodeDecodeError):
            continue  # compile_templates reports it
    return found


def check_static(config: SiteConfig) -> list[Diagnostic]:
    """Report static files that are links leading out of the site: they would publish what they point to."""
    return [
        Diagnostic(
            SourceLocation(_site_path(config, path), 1),
            "is a link to a file outside the site folder, which would be published as it is; "
            "copy the file into the theme instead",
        )
        for path in linked_out_static(theme_dirs(config))
    ]


def _site_path(config: SiteConfig, path: str | Path) -> str:
    """Name a theme file as an editor finds it: from the site folder, or themes/<name>/… when shipped."""
    path = Path(path)
    try:
        return path.relative_to(config.site_dir).as_posix()
    except ValueError:
        return template_path(str(path), config.site_dir)
