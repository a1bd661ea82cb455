"""Themes are code; their mistakes are loud: an unknown theme, an override that overrides
nothing, a template that does not compile, a static file that is a link out of the site.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, TESTS, read_tree, run
from generator.config import load_config
from generator.errors import Diagnostics
from generator.theme_check import check_overrides, check_static, check_theme, compile_templates


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798761600")
    shutil.copytree(TESTS / "sites" / "basic", tmp_path / "site")
    return tmp_path / "site"


def template(site: Path, name: str, text: str, theme: str = "default") -> Path:
    path = site / "themes" / theme / "templates" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def config_of(site: Path):  # noqa: ANN201 - a SiteConfig
    config = load_config(site / "site.yml", Diagnostics())
    assert config is not None
    return config


# --- an unknown theme -------------------------------------------------------------------


def test_a_theme_of_the_site_s_own_is_accepted(site: Path) -> None:
    template(site, "base.html", "{% block main %}{% endblock %}", theme="lumen")
    (site / "site.yml").write_text((site / "site.yml").read_text(encoding="utf-8") + "theme: lumen\n", encoding="utf-8")
    diagnostics = Diagnostics()
    config = load_config(site / "site.yml", diagnostics)
    assert config is not None and config.theme == "lumen", diagnostics.items


def test_an_unknown_theme_lists_the_themes_there_are(site: Path) -> None:
    (site / "themes" / "lumen").mkdir(parents=True)
    (site / "site.yml").write_text((site / "site.yml").read_text(encoding="utf-8") + "theme: nosuch\n", encoding="utf-8")
    diagnostics = Diagnostics()
    assert load_config(site / "site.yml", diagnostics) is None
    assert [str(d) for d in diagnostics.items] == [
        "site.yml:5: theme: no theme 'nosuch': there is no themes/nosuch/ folder beside site.yml and cocreate ships none "
        "by that name; themes available: default, lumen"
    ]


# --- overrides that override nothing ----------------------------------------------------------


def test_a_misspelt_override_is_a_warning_with_a_hint(site: Path) -> None:
    template(site, "relase.html", "{{ page.url }}")
    template(site, "release.html", "{% extends 'base.html' %}")  # a real override: not reported
    assert [str(d) for d in check_overrides(config_of(site))] == [
        "themes/default/templates/relase.html:1: warning: overrides no template of the default theme, so it is never used "
        "(did you mean 'release.html'?); name it like the template it replaces"
    ]


def test_a_template_that_another_includes_is_in_use(site: Path) -> None:
    template(site, "base.html", "{% include 'partials/brand.html' %}{% import 'my_macros.html' as m %}{% block main %}{% endblock %}")
    template(site, "partials/brand.html", "Pebble")
    template(site, "my_macros.html", "{% macro x() %}{% endmacro %}")
    assert check_overrides(config_of(site)) == []


def test_a_misspelt_override_fails_a_strict_check(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template(site, "relase.html", "{{ page.url }}")
    assert run("check", "--config", str(site / "site.yml")) == 0
    assert run("check", "--config", str(site / "site.yml"), "--strict") == 1
    assert "themes/default/templates/relase.html:1: warning: overrides no template" in capsys.readouterr().err


# --- templates that do not compile --------------------------------------------------------------


def test_a_syntax_error_is_reported_once_with_the_template_s_file_and_line(site: Path) -> None:
    template(site, "release.html", "{% extends 'base.html' %}\n{% block main %}\n{% if release %}\n{{ release.title }\n{% endblock %}\n")
    template(site, "week.html", "{% extends 'base.html' %}\n{% block main %}\n{{ week | no_such_filter }}\n{% endblock %}\n")
    found = [str(d) for d in compile_templates(config_of(site))]
    assert len(found) == 2, found
    assert found[0].startswith("themes/default/templates/release.html:4: template error: ")
    assert found[1] == (
        "themes/default/templates/week.html:3: template error: No filter named 'no_such_filter'.; "
        "fix the template (no page can be built until then)"
    )


def test_the_shipped_theme_compiles(site: Path) -> None:
    assert check_theme(config_of(site)) == []


def test_check_reports_a_broken_template_and_build_reports_it_once(site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template(site, "macros.html", "{% macro broken( %}\n")
    config = str(site / "site.yml")
    assert run("check", "--config", config) == 1
    assert [line for line in capsys.readouterr().err.splitlines() if "macros.html" in line] == [
        line for line in (str(d) for d in compile_templates(config_of(site)))
    ]
    assert run("build", "--config", config, "--out", str(tmp_path / "out"), "--no-search") == 1
    assert len([line for line in capsys.readouterr().err.splitlines() if "macros.html" in line]) == 1
    assert not (tmp_path / "out").exists()


def test_check_renders_one_page_of_each_kind_so_a_template_that_fails_when_run_is_caught(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # It compiles; it fails only while a release page is being made.
    shipped = (ROOT / "themes/default/templates/release.html").read_text(encoding="utf-8")
    template(site, "release.html", shipped.replace("{{ release.title }}", "{{ release.title.no_such_thing.deeper }}", 1))
    config = str(site / "site.yml")
    assert run("check", "--config", config) == 1
    err = capsys.readouterr().err
    mentions = [line for line in err.splitlines() if "release.html" in line]
    assert len(mentions) == 1 and "template error" in mentions[0], err
    assert run("build", "--config", config, "--out", str(tmp_path / "out"), "--no-search") == 1
    built = [line for line in capsys.readouterr().err.splitlines() if "release.html" in line]
    assert len(built) == 1 and "other page" in built[0], built  # once, saying how many pages it broke


# --- static files that are links out of the site ------------------------------------------------------


def plant_links(site: Path, tmp_path: Path) -> None:
    static = site / "themes" / "default" / "static"
    static.mkdir(parents=True)
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-OUTSIDE-THE-SITE", encoding="utf-8")
    os.symlink("/proc/self/environ", static / "env.txt")
    os.symlink(secret, static / "secret.txt")
    (site / "content" / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    os.symlink(site / "content" / "logo.svg", static / "logo.svg")  # inside the site: fine


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_static_links_out_of_the_site_never_reach_the_output(site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COCREATE_CANARY", "CANARY-IN-THE-ENVIRONMENT")
    plant_links(site, tmp_path)
    out = tmp_path / "out"
    run("build", "--config", str(site / "site.yml"), "--out", str(out), "--no-search")
    files = read_tree(out) if out.exists() else {}
    assert "assets/env.txt" not in files and "assets/secret.txt" not in files
    assert not any(b"CANARY-IN-THE-ENVIRONMENT" in data or b"TOP-SECRET" in data for data in files.values())
    assert [str(d) for d in check_static(config_of(site))] == [
        f"themes/default/static/{name}:1: is a link to a file outside the site folder, which would be published as it is; "
        "copy the file into the theme instead"
        for name in ("env.txt", "secret.txt")
    ]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_the_build_reports_static_links_out_of_the_site(site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plant_links(site, tmp_path)
    out = tmp_path / "out"
    assert run("build", "--config", str(site / "site.yml"), "--out", str(out), "--no-search") == 1
    err = capsys.readouterr().err
    assert "themes/default/static/env.txt:1: is a link to a file outside the site folder" in err
    assert "themes/default/static/secret.txt:1: is a link to a file outside the site folder" in err
    assert not out.exists()


def test_the_readme_says_themes_are_code() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "Jinja is not sandboxed" in readme and "code review" in readme
