"""A large generated site: every credit lands on the right profile and the right weekly page."""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

import yaml

from conftest import ROOT, run

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import Shape, make_site  # noqa: E402


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


def hrefs(page: Path) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', page.read_text(encoding="utf-8")))


def test_600_releases_500_suggestions_500_people(tmp_path: Path) -> None:
    site, out = tmp_path / "site", tmp_path / "out"
    make_site(site, Shape(releases=600, suggestions=500, people=500, stories=0))
    assert run("build", "--config", str(site / "site.yml"), "--out", str(out)) == 0

    alias_of = {}
    for profile in (site / "content/contributors").glob("*.md"):
        for alias in front_matter(profile).get("aliases", []):
            alias_of[alias] = profile.stem
    canonical = lambda handle: alias_of.get(handle, handle)  # noqa: E731

    week_of = {}
    for weekly in (out / "weekly").glob("*-W*/index.html"):
        for link in hrefs(weekly):
            if m := re.fullmatch(r"\.\./\.\./releases/([\d.]+)/", link):
                week_of[m.group(1)] = weekly
    assert len(week_of) == 600, "every release is on exactly one weekly page"

    expected_on_profile: dict[str, set[str]] = defaultdict(set)
    checked_weeks = 0
    for file in (site / "content/suggestions").glob("*.md"):
        meta = front_matter(file)
        for person in meta["proposed_by"]:
            expected_on_profile[canonical(person)].add(f"../../suggestions/{file.stem}/")
        if meta["status"] == "shipped":
            week_links = hrefs(week_of[meta["shipped_in"]])
            assert f"../../suggestions/{file.stem}/" in week_links
            for person in meta["proposed_by"]:
                assert f"../../contributors/{canonical(person)}/" in week_links, (file.name, person)
            checked_weeks += 1
    for file in (site / "content/releases").glob("*.md"):
        for credit in front_matter(file).get("credits") or []:
            expected_on_profile[canonical(credit["who"])].add(f"../../releases/{file.stem}/")

    assert checked_weeks == 100
    for person, links in expected_on_profile.items():
        profile = out / "contributors" / person / "index.html"
        assert profile.is_file(), person
        missing = links - hrefs(profile)
        assert not missing, (person, missing)
    for alias, owner in alias_of.items():
        redirect = (out / "contributors" / alias / "index.html").read_text(encoding="utf-8")
        assert f'url=../../contributors/{owner}/"' in redirect
