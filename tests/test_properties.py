"""Hypothesis properties over any text, any file bytes and any contact.

Lint never raises on text and its ranges are sane; fix is idempotent and keeps every byte outside
its edits (front matter, line ends, BOM); every built-in template renders any valid contact or
fails with a named missing fact. Example counts stay modest so the suite stays fast.
"""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drafter.compose.catalog import load_catalog
from drafter.compose.render import Renderer
from drafter.core.contacts import Activity, Contact, Sender
from drafter.core.drafts import Draft, parse_draft
from drafter.core.errors import DrafterError
from drafter.core.sourcemap import SourceMap
from drafter.lint.engine import Linter
from drafter.lint.fixes import fix_text

SETTINGS = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Pieces that exercise the rules: stock phrases with fixes, greetings, punctuation runs, line
# ends of every kind, emoji, front matter markers and placeholders.
PIECES = [
    "Hi Ana,",
    "Hello",
    "Dear Dr. Smith",
    "I hope this message finds you well.",
    "I came across your profile",
    "pick your brain",
    "Thanks Ana for the talk.",
    "Loved your talk on Kafka at PyCon 2024.",
    "{{ name }}",
    "[Company]",
    "https://example.com/x.",
    "x.com",
    "!!!",
    "😀👍🏽",
    "\u200d",
    "---",
    "\n",
    "\r\n",
    "\r",
    "\n\n",
    " ",
    "\t",
    "Best,\nSam",
    "?",
    "#hiring",
    "@ana",
    "Just following up on my last message.",
]
texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=14).map("".join)
PLATFORMS = ["linkedin", "x", "email", "slack", None]
STAGES = ["connect", "follow_up", "thanks", None]


@given(body=texts, platform=st.sampled_from(PLATFORMS), stage=st.sampled_from(STAGES))
@SETTINGS
def test_lint_never_raises_and_ranges_are_sane(
    linter: Linter, body: str, platform: str | None, stage: str | None
) -> None:
    result = linter.lint(Draft.from_body(body, platform=platform, stage=stage))
    for f in result.findings:
        assert 0 <= f.offset <= f.end_offset <= len(body), f
        assert (f.line, f.column) <= (f.end_line, f.end_column), f
        if f.fix is not None:
            assert 0 <= f.fix.offset <= f.fix.end_offset <= len(body), f
        if "{match}" in linter.rules[f.rule].message:  # it names the words it points at
            assert body[f.offset : f.end_offset] in f.message, f


FRONTS = [
    "",
    "---\nplatform: linkedin\nstage: connect\n---\n",
    "---\r\nplatform: linkedin\r\nstage: connect\r\n---\r\n",
    "---\n---\n",
    "\ufeff---\nplatform: email\nstage: follow_up\nsubject: Quick question\n---\n",
]


def _outside_edits_kept(before: str, after: str) -> None:
    """Every byte before the first change and after the last one is the same."""
    prefix = 0
    while prefix < min(len(before), len(after)) and before[prefix] == after[prefix]:
        prefix += 1
    suffix = 0
    while (
        suffix < min(len(before), len(after)) - prefix
        and before[len(before) - 1 - suffix] == after[len(after) - 1 - suffix]
    ):
        suffix += 1
    changed_before = before[prefix : len(before) - suffix]
    # Edits only ever remove or replace words and the spaces or one line break around them:
    # a line ending may go with a deleted line, but none is converted.
    assert "\r\n" not in after[prefix : len(after) - suffix] or "\r\n" in changed_before


@given(front=st.sampled_from(FRONTS), body=texts)
@SETTINGS
def test_fix_is_idempotent_and_keeps_bytes_outside_edits(
    linter: Linter, front: str, body: str
) -> None:
    raw = front + body

    def make(text: str) -> Draft:
        return parse_draft(text, "draft.md", platforms=linter.platforms)

    try:
        once = fix_text(raw, make, linter).text
    except DrafterError:
        return  # e.g. a body that turned the front matter into invalid YAML
    head = raw[: len(front)]
    assert once.startswith(head)  # front matter (and BOM) untouched
    assert once.count("\r\n") <= raw.count("\r\n")
    if "\r" not in raw:
        assert "\r" not in once
    _outside_edits_kept(raw, once)
    assert fix_text(once, make, linter).text == once


@given(raw=st.text(alphabet=st.sampled_from(list("ab \n\r\ufeff")), max_size=30))
@settings(max_examples=100, deadline=None)
def test_source_map_boundaries(raw: str) -> None:
    source = SourceMap(raw)
    assert "\r" not in source.text
    for i in range(len(source.text) + 1):
        j = source.to_raw(i)
        rest = raw[j:].replace("\r\n", "\n").replace("\r", "\n")
        assert rest == source.text[i:] or rest.lstrip("\ufeff") == source.text[i:]
    assert source.apply([]) == raw


_catalog = load_catalog()
TEMPLATES = sorted(_catalog.templates)
names = st.text(alphabet=string.ascii_letters + "ÉéØøß'- ", min_size=1, max_size=20).filter(
    lambda s: s.strip() and s.strip()[0].isalpha()
)
phrases = st.text(alphabet=string.ascii_letters + string.digits + " ,.'-&/", max_size=40)
contacts = st.builds(
    Contact,
    id=st.just("c1"),
    name=names,
    first_name=names,
    company=st.none() | phrases,
    role=st.none() | phrases,
    location=st.none() | phrases,
    how_we_met=st.none() | phrases.map(lambda s: "at " + s),
    common_ground=st.lists(phrases, max_size=2),
    interests=st.lists(phrases, max_size=2),
    side_projects=st.lists(phrases, max_size=2),
    recent_activity=st.lists(
        st.builds(
            Activity,
            kind=st.sampled_from(["post", "talk", "project", "repo", "article", "answer"]),
            title=phrases.filter(str.strip),
        ),
        max_size=2,
    ),
)
OTHER = Contact(id="c2", name="Bo Lee", first_name="Bo", role="designer", company="Kelp")
SENDER = Sender(name="Sam Okafor", first_name="Sam", role="Data engineer", company="Fieldline")


_renderer = Renderer(_catalog)


@given(template=st.sampled_from(TEMPLATES), contact=contacts)
@settings(max_examples=80, deadline=None)
def test_any_contact_renders_or_names_the_missing_fact(
    template: tuple[str, str], contact: Contact
) -> None:
    platform, stage = template
    other = OTHER if stage == "intro" else None
    try:
        draft = _renderer.render(platform, stage, contact, SENDER, other=other)
    except DrafterError as exc:
        message = exc.message
        assert "contact 'c1'" in message
        # a missing fact, a limit, or an event the stage presupposes (never invented)
        words = ("needs", "characters", "over", "subject", "presupposes", "skipped")
        assert any(w in message for w in words), message
        return
    assert draft.body.strip()
    assert "{{" not in draft.body and "{%" not in draft.body
