"""What an editor meets on a Friday: a release scheduled ahead, invisible characters, an image beside a release."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run

FUTURE = "---\nversion: '3.0'\ndate: 2026-11-27\nsummary: Next Friday.\n---\nScheduled notes.\n"
THURSDAY = "1795651200"  # 2026-11-26, the day before the scheduled release


def write(folder: Path, files: dict[str, str | bytes]) -> Path:
    """Write a site's files (text or bytes) under `folder`; return its site.yml."""
    for rel, data in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return folder / "site.yml"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A small site without a single warning: one release out, nothing else."""
    write(tmp_path / "site", {
        "site.yml": "title: T\nurl: https://example.org/\n",
        "content/releases/2.0.md": "---\nversion: '2.0'\ndate: 2026-11-20\n---\nNotes.\n",
    })
    return tmp_path / "site"


def test_a_scheduled_release_is_named_in_a_notice_that_strict_ignores(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "content/releases/3.0.md").write_text(FUTURE, encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", THURSDAY)
    notice = "content/releases/3.0.md:3: notice: release 3.0 is dated 2026-11-27: it appears on the site with the first build on or after that day"
    config = str(site / "site.yml")

    assert run("check", "--config", config, "--strict") == 0
    assert notice in capsys.readouterr().err.splitlines()
    assert run("check", "--config", config, "--format", "github") == 0
    assert "::notice file=content/releases/3.0.md,line=3::release 3.0 is dated 2026-11-27" in capsys.readouterr().out
    assert run("build", "--config", config, "--out", str(tmp_path / "out"), "--strict", "--no-search") == 0
    assert notice in capsys.readouterr().err.splitlines()
    assert not (tmp_path / "out/releases/3.0").exists()

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795737600")  # 2026-11-27: due, nothing to say
    assert run("check", "--config", config, "--strict") == 0
    assert "notice" not in capsys.readouterr().err


CONTROL = (
    "---\n"
    "version: '2.1'\n"
    "date: 2026-11-20\n"
    "credits:\n"
    "  - who: ada\n"
    "    for: fixed the Form\x08 bug\n"  # raw, as pasted: YAML itself refuses it
    "  - who: bo\n"
    '    for: "tested \\b the \\uFFFE date"\n'  # written as YAML escapes
    "---\n"
    "## Fixes\n"
    "- Form\x08 no longer loses its focus\n"
)


def test_invisible_control_characters_are_removed_with_a_warning_on_their_line(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "content/releases/2.1.md").write_text(CONTROL, encoding="utf-8")
    config = str(site / "site.yml")
    pasted = "invisible character U+0008 removed: pages and feeds cannot hold it; delete it from the file (text copied from other programs brings such characters)"
    expected = [
        f"content/releases/2.1.md:6: warning: {pasted}",
        "content/releases/2.1.md:8: warning: invisible characters U+0008, U+FFFE removed: pages and feeds cannot hold them; "
        "delete the escape that writes them from the quoted value",
        f"content/releases/2.1.md:11: warning: {pasted}",
    ]

    assert run("check", "--config", config) == 0
    err = capsys.readouterr().err
    assert [line for line in err.splitlines() if ": warning: " in line] == expected, err
    assert run("check", "--config", config, "--strict") == 1
    capsys.readouterr()

    out = tmp_path / "out"
    assert run("build", "--config", config, "--out", str(out), "--no-search") == 0
    err = capsys.readouterr().err
    assert "internal error" not in err and [line for line in err.splitlines() if ": warning: " in line] == expected
    rss = (out / "feeds/releases.xml").read_text(encoding="utf-8")
    page = (out / "releases/2.1/index.html").read_text(encoding="utf-8")
    for text in (rss, page):
        assert "Form no longer loses its focus" in text and "\x08" not in text and "\ufffe" not in text
    assert "fixed the Form bug" in page and "tested  the  date" in page


def test_a_control_character_in_site_yml_is_a_message_not_an_internal_error(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "site.yml").write_text("title: T\nurl: https://example.org/\ndescription: Our\x08 changes\n", encoding="utf-8")
    assert run("check", "--config", str(site / "site.yml")) == 1
    err = capsys.readouterr().err
    assert "site.yml:3: has the invisible character U+0008, which YAML cannot hold; delete it" in err.splitlines()
    assert "internal error" not in err


PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000" "1f15c4890000000d49444154789c6360000000000500010d0a2db40000000049454e44ae426082")


def test_images_beside_a_release_or_a_suggestion_are_published_with_it(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(site, {
        "content/releases/2.0.md": (
            "---\nversion: '2.0'\ndate: 2026-11-20\n---\n"
            "![the new lock screen](shot.png)\n\n"
            "![gone](missing.png)\n\n"
            "![secret](../../site.yml)\n\n"
            "![from the web](https://cdn.example.org/x.png)\n"
        ),
        "content/releases/shot.png": PNG,
        "content/suggestions/S-1.md": (
            "---\ntitle: Lunar date\nproposed_by: [ada]\ndate: 2026-11-02\nstatus: shipped\nshipped_in: '2.0'\n---\n"
            "As drawn: <img src=\"sketches/lunar.png\" alt=\"sketch\">\n\n![fake](fake.png)\n"
        ),
        "content/suggestions/sketches/lunar.png": PNG,
        "content/suggestions/fake.png": b"<svg onload=alert(1)>",
    })
    config = str(site / "site.yml")
    expected = [
        "content/releases/2.0.md:7: warning: image 'missing.png' does not exist next to this file; it is left out of the page",
        "content/releases/2.0.md:9: warning: image '../../site.yml' must be a file next to this one, e.g. cover.jpg "
        "(no '..', no absolute path); it is left out of the page",
        "content/suggestions/S-1.md:10: warning: image 'fake.png' is not a PNG, JPEG, GIF or WebP image (SVG is not accepted); "
        "it is left out of the page",
    ]
    out = tmp_path / "out"
    assert run("build", "--config", config, "--out", str(out), "--no-search") == 0
    assert [line for line in capsys.readouterr().err.splitlines() if ": warning: " in line] == expected

    assert (out / "releases/2.0/shot.png").read_bytes() == PNG
    assert (out / "suggestions/S-1/sketches/lunar.png").read_bytes() == PNG
    release = (out / "releases/2.0/index.html").read_text(encoding="utf-8")
    suggestion = (out / "suggestions/S-1/index.html").read_text(encoding="utf-8")
    assert '<img alt="the new lock screen" src="shot.png">' in release
    assert 'src="https://cdn.example.org/x.png"' in release  # an editor's image from the web is shown as is
    assert "missing.png" not in release and "site.yml" not in release  # no broken image, no climbing out
    assert 'src="sketches/lunar.png"' in suggestion and "fake.png" not in suggestion
    assert not (out / "suggestions/S-1/fake.png").exists() and not (out / "site.yml").exists()
    rss = (out / "feeds/releases.xml").read_text(encoding="utf-8")
    assert 'src="https://example.org/releases/2.0/shot.png"' in rss  # feed readers have no base URL


def test_one_point_is_one_point(site: Path, tmp_path: Path) -> None:
    write(site, {"content/suggestions/S-1.md": "---\ntitle: Lunar date\nproposed_by: [ada]\ndate: 2026-11-02\nstatus: received\n---\n"})
    assert run("build", "--config", str(site / "site.yml"), "--out", str(tmp_path / "out"), "--no-search") == 0
    page = (tmp_path / "out/contributors/ada/index.html").read_text(encoding="utf-8")
    assert '<meta name="description" content="ada on T: 1 point">' in page and "1 points" not in page
