"""The way in, the way up, and stories about suggestions, as a reader sees them on the pages.

- `participate:` links on the home page, the board, weekly pages, the story index and empty states;
- a profile's level, member since, points to the next level and perks; perks on /honor/levels/;
- a story's `about:` linking to suggestions, and each suggestion listing its published stories.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, run

SUGGEST = "https://github.com/lumen-os/feedback/issues/new?template=suggestion.yml"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site, built once."""
    out = tmp_path_factory.mktemp("demo") / "out"
    assert run("build", "--config", str(ROOT / "site.yml"), "--out", str(out), "--no-search") == 0
    return out


def page(out: Path, path: str) -> str:
    return (out / path / "index.html").read_text(encoding="utf-8")


def text(fragment: str) -> str:
    """What a reader reads: tags dropped, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def write_site(folder: Path, site_yml: str, files: dict[str, str]) -> Path:
    (folder / "site.yml").parent.mkdir(parents=True, exist_ok=True)
    (folder / "site.yml").write_text(site_yml, encoding="utf-8")
    for name, body in files.items():
        path = folder / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    return folder / "site.yml"


@pytest.mark.parametrize("path", ["", "suggestions", "weekly/2026-W47", "stories"])
def test_participate_links_where_a_reader_decides_to_take_part(demo: Path, path: str) -> None:
    aside = re.search(r'<section class="participate".*?</section>', page(demo, path), re.S)
    assert aside is not None
    assert f'href="{html.escape(SUGGEST)}"' in aside.group(0)
    assert text(aside.group(0)) == (
        "Take part Every suggestion gets a public answer: it is received, evaluated, then adopted and shipped, "
        "or declined with the reason, on this site. Suggest something Tell your story Join the forum"
    )


def test_empty_states_invite_and_a_site_without_participate_says_nothing(tmp_path: Path) -> None:
    release = "---\nversion: '1.0'\ndate: 2026-11-13\n---\nNotes.\n"
    config = write_site(
        tmp_path / "with",
        'title: T\nurl: https://example.org/\nparticipate:\n  story: "https://example.org/new?a=1&b=\\"x"\n  suggest: https://example.org/s\n',
        {"releases/1.0.md": release},
    )
    assert run("build", "--config", str(config), "--out", str(tmp_path / "out"), "--no-search") == 0
    stories = page(tmp_path / "out", "stories")
    # An editor's address with a quote stays one attribute value.
    assert 'No stories yet. <a class="invite-link" href="https://example.org/new?a=1&amp;b=&#34;x" rel="noopener">Tell your story</a>' in stories
    week = page(tmp_path / "out", "weekly/2026-W46")
    assert 'still worth a look. <a class="invite-link" href="https://example.org/s" rel="noopener">Suggest something</a>' in week
    assert "Join the forum" not in week  # only the links the site gives

    bare = write_site(tmp_path / "without", "title: T\nurl: https://example.org/\n", {"releases/1.0.md": release})
    assert run("build", "--config", str(bare), "--out", str(tmp_path / "bare"), "--no-search") == 0
    for path in ("", "stories", "suggestions", "weekly/2026-W46"):
        assert "participate" not in page(tmp_path / "bare", path) and "invite-link" not in page(tmp_path / "bare", path)


def test_a_profile_shows_level_member_since_and_the_way_up(demo: Path) -> None:
    profile = page(demo, "contributors/lin-xiao")
    head = text(re.search(r'<header class="profile-head">.*?</header>', profile, re.S).group(0))
    assert "Gold since Nov 13, 2026 · 48 points" in head
    assert "Member since March 12, 2024" in head
    way = re.search(r'<section class="progress".*?</section>', profile, re.S).group(0)
    assert text(way) == (
        "Level and the way up What Gold brings: A vote in choosing the weekly popcorn award "
        "32 points to go to Diamond 20% What Diamond brings: A call with the product team every quarter "
        "How points and levels work"
    )
    assert '<progress max="100" value="20" aria-labelledby="progress-next">' in way


def test_the_top_level_and_perks_are_escaped(tmp_path: Path) -> None:
    config = write_site(
        tmp_path / "site",
        "title: T\nurl: https://example.org/\nrecognition:\n  levels:\n"
        "    - {name: New, min_points: 0}\n    - {name: Top, min_points: 5, perks: '<b>Stickers</b> &   more'}\n",
        {
            "suggestions/S-1.md": "---\ntitle: A\nproposed_by: ada\ndate: 2026-11-01\nstatus: shipped\nshipped_in: '1.0'\n---\n",
            "releases/1.0.md": "---\nversion: '1.0'\ndate: 2026-11-13\n---\nNotes.\n",
        },
    )
    assert run("build", "--config", str(config), "--out", str(tmp_path / "out"), "--no-search") == 0
    profile = page(tmp_path / "out", "contributors/ada")
    assert "This is the highest level." in profile and "<progress" not in profile
    assert "What Top brings: &lt;b&gt;Stickers&lt;/b&gt; &amp; more" in profile  # plain text, on one line
    levels = page(tmp_path / "out", "honor/levels")
    assert "<th scope=\"col\">What it brings</th>" in levels
    assert "<td>Top</td><td>5</td><td>&lt;b&gt;Stickers&lt;/b&gt; &amp; more</td>" in levels


def test_levels_without_perks_keep_the_two_columns(tmp_path: Path) -> None:
    config = write_site(tmp_path / "site", "title: T\nurl: https://example.org/\n", {"releases/1.0.md": "---\nversion: '1.0'\ndate: 2026-11-13\n---\n"})
    assert run("build", "--config", str(config), "--out", str(tmp_path / "out"), "--no-search") == 0
    assert "What it brings" not in page(tmp_path / "out", "honor/levels")


def test_a_story_and_the_suggestion_it_is_about_link_to_each_other(demo: Path) -> None:
    story = page(demo, "stories/the-night-the-camera-saw-stars")
    about = re.search(r'<section class="about".*?</section>', story, re.S).group(0)
    assert '<a href="../../suggestions/S-1001/">Night mode: allow longer exposures when the phone is on a tripod</a>' in about
    suggestion = page(demo, "suggestions/S-1001")
    stories = re.search(r'<section aria-labelledby="stories-h">.*?</section>', suggestion, re.S).group(0)
    assert text(stories).startswith("Stories about this suggestion (1) The night the camera saw stars")
    assert 'href="../../stories/the-night-the-camera-saw-stars/"' in stories
    assert 'aria-labelledby="stories-h"' not in page(demo, "suggestions/S-1002")  # no story is about it


def test_only_published_stories_are_listed_and_an_edit_reaches_the_suggestion_incrementally(tmp_path: Path) -> None:
    story = "---\ntitle: {title}\nauthor: ada\ndate: 2026-11-02\nstatus: {status}\nconsent: true\nabout: [{about}]\n---\nText.\n"
    site = tmp_path / "site"
    config = write_site(
        site,
        "title: T\nurl: https://example.org/\n",
        {
            "suggestions/S-1.md": "---\ntitle: One\nproposed_by: ada\ndate: 2026-10-01\nstatus: received\n---\n",
            "suggestions/S-2.md": "---\ntitle: Two\nproposed_by: ada\ndate: 2026-10-01\nstatus: received\n---\n",
            "stories/told.md": story.format(title="Told", status="approved", about="S-1, s-2"),
            "stories/waiting.md": story.format(title="Waiting", status="submitted", about="S-1"),
        },
    )
    out = tmp_path / "out"
    assert run("build", "--config", str(config), "--out", str(out), "--no-search") == 0
    assert "Told" in page(out, "suggestions/S-1") and "Waiting" not in page(out, "suggestions/S-1")
    assert "Told" in page(out, "suggestions/S-2")  # ids match without regard to case
    (site / "content/stories/told.md").write_text(story.format(title="Told", status="approved", about="S-2"), encoding="utf-8")
    assert run("build", "--config", str(config), "--out", str(out), "--no-search") == 0  # incremental
    assert "Told" not in page(out, "suggestions/S-1") and "Told" in page(out, "suggestions/S-2")
    shutil.rmtree(out)
