"""A GitHub issue filed with one of cocreate's issue forms -> a new content file that passes `check`.

The forms are examples/github-issue-forms/suggestion.yml and story.yml. GitHub writes an
issue filed with a form as one `### Label` section per field, in the form's order: an
empty optional field reads `_No response_`, a checkbox `- [X] Its text` or `- [ ] Its text`.
The issue comes as GitHub's REST API (and the `issues` webhook) gives it: `title`,
`body`, `user.login`, `number`, `html_url`, `created_at`, `labels`.

Everything in an issue is typed by a stranger. So its structure is read strictly (an
issue that is not exactly one of the forms is refused), every value reaches the file
through YAML quoting or as the Markdown body after the front matter, never as YAML
text, and the file is the one `cocreate check` reads back to the same values.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Iterable, NamedTuple

from . import characters, urls
from .config import SiteConfig
from .declared import find_area
from .documents import HANDLE_RE, normalize_handle
from .scaffold import Scaffold, _quoted, _scalar, next_suggestion_id, slug_from_title

MAX_ISSUE_BYTES = 4 * 1024 * 1024  # GitHub caps a body at 65,536 characters: a real export is far smaller
MAX_TITLE = 256  # GitHub's own limit for an issue title
MAX_TAGS = 10  # each tag is a page of the site: an issue may not make a hundred
NO_RESPONSE = "_No response_"  # what GitHub writes for an optional field left empty


@dataclass(frozen=True)
class FormField:
    """One field of an issue form: its label (the `### ` heading), the content field it fills, its kind."""

    label: str
    key: str
    kind: str  # "line": one line; "text": the Markdown body, any length; "check": one checkbox


# The labels must stay those of the forms in examples/github-issue-forms/ (a test holds them together).
FORMS: dict[str, tuple[FormField, ...]] = {
    "suggestion": (
        FormField("Product area", "area", "line"),
        FormField("What would you like, and why?", "body", "text"),
    ),
    "story": (
        FormField("Tags", "tags", "line"),
        FormField("Suggestions it is about", "about", "line"),
        FormField("Your story", "body", "text"),
        FormField("Publish without my name", "anonymous", "check"),
        FormField("Consent", "consent", "check"),
    ),
}
TITLE_PREFIX = re.compile(r"^\s*\[\s*(suggestion|story)\s*\]\s*:?\s*", re.IGNORECASE)  # the forms' `title:` default


class Refused(ValueError):
    """The issue cannot become a content file (not a form's issue, empty, too large): nothing is written."""


@dataclass(frozen=True)
class Issue:
    """The parts of a GitHub issue that become a content file."""

    number: int
    title: str
    body: str
    login: str
    url: str
    created: datetime


class Intake(NamedTuple):
    """The scaffolded file, and notes for the editor about what was left out of it."""

    scaffold: Scaffold
    notes: tuple[str, ...]


def read_issue(data: bytes) -> Issue:
    """Read an issue exported as JSON (GitHub's REST format); refuse anything else."""
    if len(data) > MAX_ISSUE_BYTES:
        raise Refused(f"the file is {len(data) // 1024} KB; a GitHub issue export is at most a few hundred KB")
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise Refused("the file is not JSON; export the issue with: gh api repos/OWNER/REPO/issues/NUMBER > issue.json") from None
    if not isinstance(raw, dict) or "pull_request" in raw:
        raise Refused("the file is not a GitHub issue (a JSON object with title, body, user.login, number, html_url, created_at)")
    user = raw.get("user")
    values = {
        "number": raw.get("number"),
        "title": raw.get("title"),
        "body": raw.get("body") or "",
        "user.login": user.get("login") if isinstance(user, dict) else None,
        "html_url": raw.get("html_url"),
        "created_at": raw.get("created_at"),
    }
    wrong = [k for k, v in values.items() if not (isinstance(v, int) and not isinstance(v, bool) if k == "number" else isinstance(v, str))]
    if wrong:
        raise Refused(f"the file is not a GitHub issue: {', '.join(wrong)} missing or of the wrong type")
    url = values["html_url"]
    if not re.fullmatch(r"https://[^\s\"'<>]+", url):
        raise Refused(f"the issue's html_url is not an https:// address: {url[:80]!r}")
    try:
        created = datetime.fromisoformat(values["created_at"].replace("Z", "+00:00"))
    except ValueError:
        raise Refused(f"the issue's created_at is not a time like 2026-11-20T08:15:00Z: {values['created_at'][:40]!r}") from None
    if created.tzinfo is None:
        raise Refused("the issue's created_at has no time zone (GitHub writes a Z at the end)")
    return Issue(values["number"], values["title"], values["body"], values["user.login"], url, created)


def _clean(text: str) -> str:
    """Normalise line ends and drop the characters a page cannot carry (check would warn about each)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return characters.UNCARRIABLE.sub("", text.replace("\ufeff", ""))


def sections(body: str, form: tuple[FormField, ...]) -> dict[str, str]:
    """Split an issue body into the form's fields; raise Refused when it is not this form's issue.

    Only the body field can span lines, so the fields before it are found from the top
    and the fields after it from the bottom: a `### Consent` typed inside a story can
    never stand for the form's own.
    """
    lines = _clean(body).split("\n")
    at = next(i for i, f in enumerate(form) if f.kind == "text")
    heads: list[int] = []
    start = 0
    for field in form[:at + 1]:
        found = _find(lines, field.label, range(start, len(lines)))
        heads.append(found)
        start = found + 1
    tail: list[int] = []
    stop = len(lines)
    for field in reversed(form[at + 1:]):
        found = _find(lines, field.label, range(stop - 1, heads[-1], -1))
        tail.insert(0, found)
        stop = found
    heads += tail
    if any(line.strip() for line in lines[: heads[0]]):
        raise Refused("its body has text before the form's first section; it was not filed with the form, or was edited")
    out = {}
    for n, field in enumerate(form):
        end = heads[n + 1] if n + 1 < len(form) else len(lines)
        content = "\n".join(lines[heads[n] + 1 : end]).strip("\n")
        if field.kind != "text" and len([line for line in content.split("\n") if line.strip()]) > 1:
            raise Refused(f"its section '### {field.label}' holds more than one line; it was edited after it was filed")
        out[field.key] = "" if content.strip() == NO_RESPONSE else content
    return out


def _find(lines: list[str], label: str, where: range) -> int:
    for i in where:
        if lines[i].strip() == f"### {label}":
            return i
    raise Refused(f"its body has no section '### {label}'")


def _checked(value: str, label: str) -> bool:
    box = re.fullmatch(r"\s*[-*] \[([ xX])\] .*", value)
    if box is None:
        raise Refused(f"its section '### {label}' is not a checkbox")
    return box.group(1) in "xX"


def _one_line(value: str) -> str:
    return " ".join(value.split())


def _handle(issue: Issue) -> str:
    handle = normalize_handle(issue.login)
    if not HANDLE_RE.fullmatch(handle):
        raise Refused(f"its author '{issue.login}' cannot be a handle (a bot?); write the file with cocreate new instead")
    return handle


def _title(issue: Issue) -> str:
    title = _one_line(TITLE_PREFIX.sub("", _clean(issue.title), count=1))
    if not title:
        raise Refused("its title is empty once the form's '[…]:' prefix is taken off; give the issue a title")
    if len(title) > MAX_TITLE:
        raise Refused(f"its title has {len(title)} characters; a GitHub issue title has at most {MAX_TITLE}")
    return title


def _body(text: str, label: str, config: SiteConfig) -> str:
    if not text.strip():
        raise Refused(f"its section '### {label}' is empty")
    size = len(text.encode("utf-8"))
    if size > config.limits.max_body_bytes:
        raise Refused(f"its section '### {label}' is {size // 1024} KB, more than limits.max_body_kb ({config.limits.max_body_kb}) allows")
    return text.strip("\n") + "\n"


def _day(issue: Issue, tz: tzinfo) -> date:
    return issue.created.astimezone(tz).date()


def _parse(issue: Issue, kind: str) -> dict[str, str]:
    """Read the issue as the `kind` form; name the other form when the issue is one of it."""
    try:
        return sections(issue.body, FORMS[kind])
    except Refused as exc:
        for other, form in FORMS.items():
            if other != kind:
                try:
                    sections(issue.body, form)
                except Refused:
                    continue
                raise Refused(f"issue #{issue.number} was filed with the {other} form; use: cocreate new {other} --from-issue FILE") from None
        raise Refused(f"issue #{issue.number} was not filed with the {kind} form (examples/github-issue-forms/{kind}.yml): {exc}") from None


def suggestion(issue: Issue, config: SiteConfig, ids: Iterable[str], threads: dict[str, str]) -> Intake:
    """Turn an issue filed with the suggestion form into a received suggestion with the next free id.

    `threads` maps each existing suggestion's thread to its file, so one issue is taken in once.
    """
    got = _parse(issue, "suggestion")
    if issue.url in threads:
        raise Refused(f"issue #{issue.number} is already {threads[issue.url]}; nothing was written")
    title, handle = _title(issue), _handle(issue)
    body = _body(got["body"], FORMS["suggestion"][1].label, config)
    day = _day(issue, config.tz).isoformat()
    area = _one_line(got["area"])
    notes: list[str] = []
    if area and config.areas:  # a declared vocabulary: anything else would fail check, so it is left to the editor
        declared = find_area(config.areas, area)
        if declared is None:
            notes.append(f"area: left out {area[:40]!r}: not one of site.yml's areas ({', '.join(a.id for a in config.areas)})")
        area = declared.id if declared else ""
    lines = [
        "---",
        f"title: {_quoted(title)}",
        f"proposed_by: [{_scalar(handle)}]  # who filed issue #{issue.number}",
        f"date: {day}",
        "status: received  # received, evaluating, adopted, shipped or declined",
        f"area: {_quoted(area)}" if area else "# area: Product area",
        f"thread: {_quoted(issue.url)}",
        "history:  # the public timeline: add a line at each change of status",
        f"  - {{date: {day}, status: received}}",
        "---",
    ]
    ident = next_suggestion_id(ids)
    return Intake(Scaffold(f"content/suggestions/{ident}.md", "\n".join(lines) + "\n" + body), tuple(notes))


def story(issue: Issue, config: SiteConfig, slugs: Iterable[str], suggestion_ids: Iterable[str]) -> Intake:
    """Turn an issue filed with the story form into a submitted story, with consent as ticked."""
    got = _parse(issue, "story")
    form = {f.key: f for f in FORMS["story"]}
    title, handle = _title(issue), _handle(issue)
    body = _body(got["body"], form["body"].label, config)
    consent = _checked(got["consent"], form["consent"].label)
    anonymous = bool(got["anonymous"]) and _checked(got["anonymous"], form["anonymous"].label)
    notes: list[str] = []
    tags = list(dict.fromkeys(t for t in (_one_line(t) for t in re.split(r"[,，、;；]", _clean(got["tags"]))) if t))
    if len(tags) > MAX_TAGS:
        notes.append(f"tags: kept the first {MAX_TAGS} of {len(tags)}")
        tags = tags[:MAX_TAGS]
    about, unknown = _about(got["about"], suggestion_ids)
    if unknown:
        notes.append(f"about: left out {', '.join(repr(u) for u in unknown)}: no such suggestion on this site")
    day = _day(issue, config.tz)
    taken = set(slugs)
    slug = slug_from_title(title) or f"story-{day.isoformat()}"
    if slug in taken:
        slug = f"{slug}-{issue.number}"  # another story has the title: the issue number tells them apart
    if slug in taken:
        raise Refused(f"a story at content/stories/{slug}.md exists already; issue #{issue.number} seems to be in; nothing was written")
    lines = [
        "---",
        f"title: {_quoted(title)}",
        f"author: {_scalar(handle)}  # who filed {issue.url}",
        f"date: {day.isoformat()}",
        "status: submitted  # submitted, approved or rejected",
        f"consent: {'true' if consent else 'false'}  # as ticked in the issue; only approved stories with consent are published",
    ]
    if anonymous:
        lines.append("anonymous: true  # asked in the issue: published without any name")
    if tags:
        lines.append(f"tags: [{', '.join(_quoted(t) for t in tags)}]")
    if about:
        lines.append(f"about: [{', '.join(_scalar(a) for a in about)}]")
    lines.append("---")
    return Intake(Scaffold(f"content/stories/{slug}.md", "\n".join(lines) + "\n" + body), tuple(notes))


def _about(value: str, suggestion_ids: Iterable[str]) -> tuple[list[str], list[str]]:
    """Read the suggestions a story names (S-1001, #S-1001 or a link to its page): the known ids, and the rest."""
    known = {i.casefold(): i for i in suggestion_ids}
    found: dict[str, None] = {}
    unknown: list[str] = []
    for token in re.split(r"[\s,，、;；]+", _clean(value)):
        token = token.strip().rstrip("/").rsplit("/", 1)[-1].lstrip("#").removesuffix(".md")
        if not token:
            continue
        ident = urls.name_slug(token, "-_.")
        if ident is not None and ident.casefold() in known:
            found[known[ident.casefold()]] = None
        elif len(unknown) < 5:
            unknown.append(token[:40])
    return list(found), unknown

