from pathlib import Path

from generator.config import DEFAULT_LEVELS, DEFAULT_POINTS, load_config
from generator.errors import Diagnostics


def load(tmp_path: Path, text: str):
    (tmp_path / "site.yml").write_text(text, encoding="utf-8")
    diagnostics = Diagnostics()
    return load_config(tmp_path / "site.yml", diagnostics), [str(d) for d in diagnostics.sorted()]


def test_defaults(tmp_path: Path) -> None:
    config, problems = load(tmp_path, "title: T\nurl: https://x.org/sub\n")
    assert problems == []
    assert config.url == "https://x.org/sub/" and config.base_path == "/sub/"
    assert (config.language, config.timezone, config.theme, config.feeds_limit) == ("en", "UTC", "default", 50)
    assert config.levels == DEFAULT_LEVELS and dict(config.points) == dict(DEFAULT_POINTS)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    config, problems = load(tmp_path, "titel: T\nurl: ftp://x\nfeeds:\n  limit: ten\ntimezone: Mars/Base\n")
    assert config is None
    assert problems == [
        "site.yml:1: titel: unknown field for site.yml (did you mean 'title'?)",
        "site.yml:1: title: missing; site.yml needs a 'title' field (the site's name)",
        "site.yml:2: url: 'ftp://x' is not a web link; write the full address starting with https://",
        "site.yml:4: feeds.limit: expected a whole number, got 'ten'",
        "site.yml:5: timezone: 'Mars/Base' is not an IANA time zone; use e.g. UTC, Europe/Berlin or Asia/Shanghai",
    ]


def test_recognition_points_and_levels(tmp_path: Path) -> None:
    config, problems = load(
        tmp_path,
        "title: T\nurl: https://x.org/\nrecognition:\n  points: {story: 9}\n"
        "  levels:\n    - {name: Seed, min_points: 0}\n    - {name: Tree, min_points: 50}\n",
    )
    assert problems == []
    assert config.points["story"] == 9 and config.points["proposed_shipped"] == DEFAULT_POINTS["proposed_shipped"]
    assert [lvl.name for lvl in config.levels] == ["Seed", "Tree"]


def test_levels_must_grow(tmp_path: Path) -> None:
    _, problems = load(
        tmp_path,
        "title: T\nurl: https://x.org/\nrecognition:\n  levels:\n    - {name: A, min_points: 0}\n    - {name: B, min_points: 0}\n",
    )
    assert problems == ["site.yml:6: recognition.levels: item 2: min_points must grow from one level to the next"]
