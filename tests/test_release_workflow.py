"""cocreate's own release workflow: valid for GitHub Actions, and it publishes only what it built and tested."""

from __future__ import annotations

import re

from conftest import ROOT
from test_ci_examples import load, schema_check

RELEASE = ROOT / ".github" / "workflows" / "release.yml"


def test_release_workflow_matches_the_github_workflow_schema() -> None:
    result = schema_check("vendor.github-workflows", RELEASE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_release_runs_on_version_tags_only_with_a_read_only_token() -> None:
    workflow = load(RELEASE)
    assert workflow["on"] == {"push": {"tags": ["v*"]}}
    assert workflow["permissions"] == {"contents": "read"}


def test_release_builds_tests_then_publishes_with_trusted_publishing() -> None:
    jobs = load(RELEASE)["jobs"]
    build = "\n".join(step.get("run", "") for step in jobs["build"]["steps"])
    assert "python -m build" in build and "twine check --strict dist/*" in build
    assert '"dist/cocreate-${GITHUB_REF_NAME#v}.tar.gz"' in build  # the tag names the version built
    assert "make test" in [step.get("run") for step in jobs["test"]["steps"]]

    publish = jobs["publish"]
    assert sorted(publish["needs"]) == ["build", "test"]
    assert publish["environment"]["name"] == "pypi"
    assert publish["permissions"] == {"id-token": "write"}
    steps = [step["uses"].split("@")[0] for step in publish["steps"]]
    assert steps == ["actions/download-artifact", "pypa/gh-action-pypi-publish"]
    assert not any("password" in step.get("with", {}) for step in publish["steps"])  # no stored token


def test_every_action_is_pinned_to_a_release() -> None:
    uses = re.findall(r"uses: (\S+)", RELEASE.read_text(encoding="utf-8"))
    assert uses
    for action in uses:
        name, _, ref = action.partition("@")
        assert re.fullmatch(r"v\d+(\.\d+\.\d+)?", ref), f"{action}: pin a release tag, not a branch"
