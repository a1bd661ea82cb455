"""`cocreate new suggestion|story --from-issue`: an issue filed with a form becomes a file that passes check.

Fixtures in tests/data/issues/ are issues as GitHub's REST API exports them: one of each
form, and a foreign issue (a bug report). Hostile issues are made from them here.
"""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, TESTS, run
from generator import intake
from generator.build import load
from generator.errors import Diagnostics
from generator.model import Story, Suggestion

ISSUES = TESTS / "data" / "issues"
FORMS = ROOT / "examples" / "github-issue-forms"
WORKFLOW = ROOT / "examples" / "github-actions" / "intake.yml"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A small site with one suggestion, S-1001, for stories to be about."""
    folder = tmp_path / "site"
    (folder / "content" / "suggestions").mkdir(parents=True)
    (folder / "site.yml").write_text("title: T\nurl: https://example.org/\ntimezone: Asia/Shanghai\n", encoding="utf-8")
    (folder / "content" / "suggestions" / "S-1001.md").write_text(
        "---\ntitle: Night mode\nproposed_by: ada\ndate: 2026-10-01\nstatus: received\n---\n", encoding="utf-8"
    )
    return folder


def issue(name: str, **changes: object) -> dict:
    data = json.loads((ISSUES / f"{name}.json").read_text(encoding="utf-8"))
    data.update(changes)
    return data


def new(site: Path, kind: str, data: dict | bytes, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    path = site.parent / "issue.json"
    path.write_bytes(data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False).encode("utf-8"))
    code = run("new", kind, "--config", str(site / "site.yml"), "--from-issue", str(path))
    out, err = capsys.readouterr()
    return code, out.strip(), err


def documents(site: Path) -> dict[str, Suggestion | Story]:
    """Every suggestion and story as cocreate reads them back, by file."""
    loaded = load(site / "site.yml", Diagnostics())
    assert loaded is not None
    s = loaded.site
    return {d.origin.path: d for d in (*s.suggestions, *s.stories, *s.unpublished)}


def strict_check(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run("check", "--strict", "--config", str(site / "site.yml"))
    assert code == 0, capsys.readouterr().err
    capsys.readouterr()


def test_a_suggestion_issue_becomes_a_received_suggestion(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = new(site, "suggestion", issue("suggestion"), capsys)
    assert (code, err) == (0, "")
    assert out.endswith("content/suggestions/S-1002.md")
    strict_check(site, capsys)
    s = documents(site)["content/suggestions/S-1002.md"]
    assert s.title == "Show the moon phase on the lock screen"  # the form's "[Suggestion]: " is taken off
    assert [p.handle for p in s.proposed_by] == ["nadia-photo"]  # from the issue's author
    assert (s.status, s.area, s.thread) == ("received", "Lock screen", "https://github.com/lumen-os/feedback/issues/412")
    assert s.date.date().isoformat() == "2026-11-28"  # 16:45 UTC on the 27th is the 28th in Shanghai
    assert [(h.date.date().isoformat(), h.status) for h in s.history] == [("2026-11-28", "received")]
    assert s.body.startswith("I photograph the night sky.") and "- full moon: stay in" in s.body


def test_the_same_suggestion_issue_is_taken_in_once(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert new(site, "suggestion", issue("suggestion"), capsys)[0] == 0
    code, _, err = new(site, "suggestion", issue("suggestion"), capsys)
    assert code == 1 and "issue #412 is already content/suggestions/S-1002.md" in err
    assert not (site / "content" / "suggestions" / "S-1003.md").exists()


def test_a_story_issue_becomes_a_submitted_story_with_consent_as_ticked(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = new(site, "story", issue("story"), capsys)
    assert code == 0
    assert err == "note: about: left out 'S-9999': no such suggestion on this site\n"
    strict_check(site, capsys)
    story = documents(site)[out[out.index("content/") :]]
    assert (story.title, story.author.handle, story.status, story.consent) == ("月亮和三脚架", "xiaoyue", "submitted", True)
    assert story.tags == ("夜景", "night mode")  # split on commas, each once
    assert [r.id for r in story.about] == ["S-1001"]
    assert not story.anonymous
    assert "### Lessons\n\nA heading inside the story stays in the story." in story.body


def test_an_unticked_consent_stays_false_and_anonymous_is_kept(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = issue("story")["body"].replace("- [X] I wrote", "- [ ] I wrote").replace("- [ ] Publish my", "- [x] Publish my")
    code, out, _ = new(site, "story", issue("story", body=body), capsys)
    assert code == 0
    story = documents(site)[out[out.index("content/") :]]
    assert (story.consent, story.anonymous, story.status) == (False, True, "submitted")


@pytest.mark.parametrize(
    "kind, name, says",
    [
        ("suggestion", "foreign", "issue #420 was not filed with the suggestion form (examples/github-issue-forms/suggestion.yml)"),
        ("story", "foreign", "issue #420 was not filed with the story form"),
        ("story", "suggestion", "issue #412 was filed with the suggestion form; use: cocreate new suggestion --from-issue FILE"),
        ("suggestion", "story", "issue #415 was filed with the story form; use: cocreate new story --from-issue FILE"),
    ],
)
def test_an_issue_of_another_kind_is_refused(site: Path, capsys: pytest.CaptureFixture[str], kind: str, name: str, says: str) -> None:
    before = sorted(p.name for p in (site / "content").rglob("*"))
    code, out, err = new(site, kind, issue(name), capsys)
    assert (code, out) == (1, "")
    assert says in err
    assert sorted(p.name for p in (site / "content").rglob("*")) == before  # nothing written


def test_a_hostile_issue_says_in_the_file_what_it_says_in_the_issue(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The title tries to close the front matter and approve itself; the story tries the same
    # with its own front matter, and fakes the consent section; the real box is unticked.
    title = 'x"\n---\nstatus: approved\nconsent: true\n# {a: [b'
    story_text = (
        "---\nstatus: approved\nconsent: true\n---\n<script>alert(1)</script>\n\n"
        "### Consent\n\n- [X] I wrote this story and agree.\n\n### Publish without my name\n\n- [x] yes"
    )
    body = (
        "### Tags\n\nstatus: approved, {consent: true}\n\n### Suggestions it is about\n\n_No response_\n\n"
        f"### Your story\n\n{story_text}\n\n### Publish without my name\n\n- [ ] Publish my story without any name.\n\n"
        "### Consent\n\n- [ ] I wrote this story and agree that it is published on the changelog site and in its feeds."
    )
    code, out, _ = new(site, "story", issue("story", title=title, body=body, user={"login": "yes"}), capsys)
    assert code == 0
    strict_check(site, capsys)
    story = documents(site)[out[out.index("content/") :]]
    assert story.title == 'x" --- status: approved consent: true # {a: [b'  # one line, every character kept
    assert (story.status, story.consent, story.anonymous) == ("submitted", False, False)
    assert story.author.handle == "yes"  # a handle YAML 1.1 would read as true
    assert story.tags == ("status: approved", "{consent: true}")
    assert story.about == ()
    assert story.body == story_text + "\n"


def test_a_body_beyond_the_sites_limit_is_refused(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    huge = issue("suggestion")["body"] + "x" * 300 * 1024
    code, _, err = new(site, "suggestion", issue("suggestion", body=huge), capsys)
    assert code == 1 and "more than limits.max_body_kb (256) allows" in err
    code, _, err = new(site, "suggestion", b"{" + b" " * (5 * 1024 * 1024) + b"}", capsys)
    assert code == 1 and "a GitHub issue export is at most" in err


@pytest.mark.parametrize(
    "data, says",
    [
        (b"not json", "the file is not JSON"),
        (b"[1, 2]", "the file is not a GitHub issue"),
        (json.dumps({"title": "t", "body": "b"}).encode(), "number, user.login, html_url, created_at missing"),
    ],
)
def test_a_file_that_is_no_issue_is_refused(site: Path, capsys: pytest.CaptureFixture[str], data: bytes, says: str) -> None:
    code, _, err = new(site, "suggestion", data, capsys)
    assert code == 1 and says in err


def test_from_issue_is_used_alone(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("new", "story", "--config", str(site / "site.yml"), "--from-issue", str(site / "missing.json")) == 2
    assert "cannot read" in capsys.readouterr().err
    path = site / "issue.json"
    path.write_text(json.dumps(issue("story")), encoding="utf-8")
    assert run("new", "story", "--config", str(site / "site.yml"), "--from-issue", str(path), "--title", "x") == 2
    assert "leave out --title" in capsys.readouterr().err
    assert run("new", "story", "--config", str(site / "site.yml"), "--title", "x") == 2
    assert "give --author or --guest, or --from-issue FILE" in capsys.readouterr().err


# --- the examples ------------------------------------------------------------------------------


def form_fields(name: str) -> list[tuple[str, str]]:
    form = yaml.safe_load((FORMS / f"{name}.yml").read_text(encoding="utf-8"))
    kinds = {"input": "line", "textarea": "text", "checkboxes": "check"}
    return [(item["attributes"]["label"], kinds[item["type"]]) for item in form["body"] if item["type"] != "markdown"]


@pytest.mark.parametrize("name", ["suggestion", "story"])
def test_the_issue_forms_are_the_ones_intake_reads(name: str) -> None:
    assert form_fields(name) == [(f.label, f.kind) for f in intake.FORMS[name]]
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-issue-forms", str(FORMS / f"{name}.yml")],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_consent_is_a_required_checkbox() -> None:
    form = yaml.safe_load((FORMS / "story.yml").read_text(encoding="utf-8"))
    consent = next(item for item in form["body"] if item.get("attributes", {}).get("label") == "Consent")
    assert consent["type"] == "checkboxes" and [o["required"] for o in consent["attributes"]["options"]] == [True]


def test_the_intake_workflow_runs_on_accepted_issues_and_its_commands_work(
    demo_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert workflow[True] == {"issues": {"types": ["labeled"]}}  # YAML 1.1 reads `on:` as true
    job = workflow["jobs"]["intake"]
    assert "github.event.label.name == 'accepted'" in job["if"]
    assert workflow["permissions"] == {"contents": "write", "pull-requests": "write", "issues": "read"}
    script = "\n".join(step.get("run", "") for step in job["steps"])
    assert "${{" not in script  # what the issue's author typed reaches the shell only through env
    assert "gh pr create" in script
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr

    # Run its cocreate commands at the root of the demo site, as the job would on a story issue.
    temp = demo_copy.parent
    (temp / "issue.json").write_text((ISSUES / "story.json").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(demo_copy)
    lines = [line.strip() for line in script.splitlines() if line.strip().startswith("cocreate ")]
    assert len(lines) == 2
    for line in lines:
        line = line.replace("$KIND", "story").replace("$RUNNER_TEMP", str(temp)).split(" > ")[0]
        assert run(*shlex.split(line)[1:]) == 0, line
    assert "content/stories/yue-liang-he-san-jiao-jia.md" in capsys.readouterr().out


def test_an_area_the_site_does_not_declare_is_left_out_with_a_note(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A site with `areas:` refuses an undeclared area: the file must still pass check, and a declared name becomes its id."""
    config = site / "site.yml"
    config.write_text(config.read_text(encoding="utf-8") + "areas:\n  - {id: lock-screen, name: {en: Lock screen, zh-CN: 锁屏}}\n", encoding="utf-8")
    body = issue("suggestion")["body"]
    code, out, err = new(site, "suggestion", issue("suggestion", body=body.replace("Lock screen", "Moon & stars")), capsys)
    assert code == 0 and out.endswith("content/suggestions/S-1002.md")
    assert "note: area: left out 'Moon & stars'" in err and "lock-screen" in err
    strict_check(site, capsys)
    assert documents(site)["content/suggestions/S-1002.md"].area is None
    code, out, err = new(site, "suggestion", issue("suggestion", body=body.replace("Lock screen", "锁屏"), html_url="https://github.com/lumen-os/feedback/issues/413"), capsys)
    assert (code, err) == (0, "")
    strict_check(site, capsys)
    assert documents(site)["content/suggestions/S-1003.md"].area == "lock-screen"
