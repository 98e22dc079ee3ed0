"""Focused tests of the tricky parts of drafter's checks, features and lemma matching."""

from __future__ import annotations

from typing import Any

import pytest

from drafter.core.config import Config
from drafter.core.contacts import contact_from_mapping
from drafter.core.drafts import Draft, parse_draft
from drafter.lint.engine import Linter
from drafter.lint.findings import Finding
from drafter.lint.lemmas import lemma
from drafter.lint.text import TextFeatures


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter.from_config(Config())


def _lint(
    linter: Linter, text: str, contact: dict[str, Any] | None = None, **ctx: Any
) -> list[Finding]:
    person = contact_from_mapping(contact, "test") if contact else None
    return linter.lint(Draft.from_body(text, contact=person, **ctx)).findings


def _rules(findings: list[Finding]) -> list[str]:
    return [f.rule for f in findings]


# ---- greeting parsing ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Hi Ana, loved your talk.", "Ana"),
        ("Hey Ji-woo, thanks for the call!", "Ji-woo"),
        ("Dear Dr. Ribeiro, thank you.", "Dr. Ribeiro"),
        ("Hi @akosua-d, the tests pass.", "@akosua-d"),
        ("Hi Ana - quick one about the slides.", "Ana"),
        ("Hi Bea 👋 your dashboard is great.", "Bea"),
        ("Hannah! It's been too long.", "Hannah"),
        ("Hello,\n\nYour paper was great.", None),
    ],
)
def test_greeting_name(text: str, name: str | None) -> None:
    greeting = TextFeatures(text).greeting
    assert greeting is not None
    assert greeting.name == name
    if name is not None:
        assert greeting.name_span is not None
        assert text[greeting.name_span.start : greeting.name_span.end] == name


@pytest.mark.parametrize(
    "text", ["Thanks, that helped a lot.", "Congrats! Huge news.", "Quick question, Ana."]
)
def test_opening_words_are_not_names(text: str) -> None:
    assert TextFeatures(text).greeting is None


def test_x_reply_and_github_need_no_greeting(linter: Linter) -> None:
    text = "Loved the watermark trick in your Flink talk, thanks for sharing it."
    assert "personalisation.no-greeting" not in _rules(
        _lint(linter, text, platform="x", stage="connect")
    )
    assert "personalisation.no-greeting" not in _rules(
        _lint(linter, text, platform="github", stage="thanks")
    )
    assert "personalisation.no-greeting" in _rules(
        _lint(linter, text, platform="linkedin", stage="connect")
    )


def test_name_in_the_first_sentence_counts_as_greeting(linter: Linter) -> None:
    text = "Loved your talk on late events, Ana. The watermark part was new to me."
    assert "personalisation.no-greeting" not in _rules(
        _lint(linter, text, platform="linkedin", stage="connect")
    )


# ---- wrong name ----------------------------------------------------------------------------

ANA = {"id": "ana", "name": "Ana Ribeiro"}


@pytest.mark.parametrize(
    ("text", "contact"),
    [
        ("Dear Dr. Ribeiro, thank you for the paper.", ANA),
        ("Dear Ms Ribeiro, thank you for the paper.", ANA),
        ("Hi ana, thank you for the paper.", ANA),
        ("Hi Ramon, thanks for the review.", {"id": "r", "name": "Ramón Ortiz"}),
        ("Hi Bob, thanks for the review.", {"id": "r", "name": "Robert Hale", "nickname": "Bob"}),
        ("Hey Ji-woo, thanks for the call.", {"id": "j", "name": "Ji-woo Park"}),
        ("Hi @ramon-ortiz, thanks for the review.", {"id": "r", "name": "Ramón Ortiz"}),
        ("Hi there, thanks for the paper.", ANA),
        ("Hi [Name], thanks for the paper.", ANA),
    ],
)
def test_right_names_with_titles_nicknames_accents_handles(
    linter: Linter, text: str, contact: dict[str, Any]
) -> None:
    assert "personalisation.wrong-name" not in _rules(_lint(linter, text, contact))


def test_wrong_name_is_an_error_on_the_name(linter: Linter) -> None:
    text = "Dear Mrs Ellis, thank you for the paper."
    [wrong] = [f for f in _lint(linter, text, ANA) if f.rule == "personalisation.wrong-name"]
    assert wrong.severity == "error"
    assert text[wrong.offset : wrong.end_offset] == "Mrs Ellis"
    assert wrong.fix is not None and wrong.fix.replacement == "Ana"


def test_a_role_is_a_nameless_greeting_not_a_wrong_name(linter: Linter) -> None:
    rules = _rules(_lint(linter, "Dear Teacher, thank you for everything.", ANA))
    assert "personalisation.nameless-greeting" in rules
    assert "personalisation.wrong-name" not in rules


# ---- lemma matching ------------------------------------------------------------------------


def test_lemma_key_joins_inflections() -> None:
    assert lemma("reaching") == lemma("reached") == lemma("reach") == lemma("reaches")
    assert lemma("came") == lemma("coming") == lemma("come")
    assert lemma("profiles") == lemma("profile")


@pytest.mark.parametrize(
    "text",
    [
        "Hi Ana, I'm reaching out because of your talk.",
        "Hi Ana, I reached out to you because of your talk.",
        "Hi Ana, I just wanted to reach out about your talk.",
        "Hi Ana, REACHING OUT REGARDING your talk.",
    ],
)
def test_reach_out_inflections(linter: Linter, text: str) -> None:
    assert "generic.reach-out" in _rules(_lint(linter, text))


def test_came_across_profile_but_not_a_study(linter: Linter) -> None:
    assert "generic.came-across-profile" in _rules(
        _lint(linter, "Hi Ana, I came across your LinkedIn profile today.")
    )
    assert "generic.came-across-profile" in _rules(
        _lint(linter, "Hi Ana, stumbling upon your profile made my day.")
    )
    quiet = _lint(linter, "Hi Ana, I came across a study on remote teams that cites your post.")
    assert not [f for f in quiet if f.category == "generic"]


# ---- platform limits -----------------------------------------------------------------------


def test_x_weighted_excess_is_reported_with_its_span(linter: Linter) -> None:
    text = "a" * 270 + "🙂" * 10  # 270 + 10 * 2 = 290 weighted characters
    [over] = [
        f
        for f in _lint(linter, text, platform="x", stage="connect")
        if f.rule == "platform.over-limit"
    ]
    assert over.severity == "error"
    assert "290 characters: 10 over" in over.message
    # Five emoji still fit (270 + 10 = 280): the excess starts at the sixth.
    assert (over.offset, over.end_offset) == (275, len(text))


def test_x_link_counts_23(linter: Linter) -> None:
    text = "b" * 250 + " https://example.org/" + "c" * 60
    rules = _rules(_lint(linter, text, platform="x", stage="connect"))
    assert "platform.over-limit" not in rules  # 250 + 1 + 23 = 274


def test_subject_finding_sits_on_the_subject_line(linter: Linter) -> None:
    text = (
        "---\nplatform: email\nstage: follow_up\nsubject: Touching base about PyCon\n---\n"
        "Hi Ana,\n\nYour talk on late events at PyCon Lisbon answered my question. Thanks!\n"
    )
    draft = parse_draft(text, "d.md", platforms=["email"], stages=["follow_up"])
    found = [f for f in linter.lint(draft).findings if f.rule == "generic.cliche"]
    assert found, _rules(linter.lint(draft).findings)
    cliche = found[0]
    assert cliche.line == 4
    assert text[cliche.offset : cliche.end_offset] == "Touching base"
    assert cliche.column == len("subject: ") + 1


# ---- pitch precision -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Hi Helen, your study on phone calls with patients was eye-opening.",
        "Hi Ana, thanks for the quick reply on GitHub.",
        "Congrats on the 15 minutes of fame your repo got, Ana!",
        "Hi Ana, nurse calls cut readmissions by 23% in that trial.",
    ],
)
def test_pitch_words_used_innocently(linter: Linter, text: str) -> None:
    findings = _lint(linter, text, platform="linkedin", stage="connect")
    assert not [f for f in findings if f.category == "pitch"], _rules(findings)


def test_its_free_in_a_value_message(linter: Linter) -> None:
    text = "Hi Ana, the whenever library is free and open source (MIT) and fixes your DST case."
    findings = _lint(linter, text, platform="email", stage="value")
    assert not [f for f in findings if f.category == "pitch"]


def test_syllables_match_textstat() -> None:
    """drafter reads CMUdict's counts itself (faster cold start); the numbers must be textstat's."""
    import textstat

    from drafter.lint.text import syllables

    words = [
        "hello",
        "distributed",
        "engineering",
        "ana",
        "tromsø",
        "kafka",
        "watermarks",
        "idea",
        "fire",
        "queue",
        "xyzzyq",
        "pycon",
        "the",
        "beautiful",
    ]
    for word in words:
        assert syllables(word) == max(1, textstat.syllable_count(word)), word


def test_inclusive_we_is_not_self_focus(linter: Linter) -> None:
    inclusive = (
        "Hi Ana, we met at the Arctic Data meetup and we both moved north that year. "
        "We share a soft spot for tide gauges, and our chat about Flink stayed with me. "
        "We're both in the Arctic Data Slack too. I liked your talk. How is the new job treating you?"
    )
    exclusive = (
        "Hi Ana, we build pipelines and we ship fast. Our team is growing and our clients love us. "
        "We are hiring and we think I would fit. I led our migration and I want to learn more."
    )
    assert "personalisation.self-focus" not in [
        f.rule for f in linter.lint(Draft.from_body(inclusive)).findings
    ]
    assert "personalisation.self-focus" in [
        f.rule for f in linter.lint(Draft.from_body(exclusive)).findings
    ]


def test_honorifics_are_one_list_for_sentences_greetings_and_names(linter: Linter) -> None:
    """Every title in core.textfacts.HONORIFICS opens a greeting, is no sentence end when
    abbreviated, and is ignored when the name is compared with the contact."""
    from drafter.core.textfacts import HONORIFICS

    for title in HONORIFICS:
        written = title.capitalize() + ("." if len(title) <= 4 else "")
        text = f"Dear {written} Rivera, I met {written} Rivera at PyCon. It was fun."
        feats = TextFeatures(text)
        assert feats.greeting is not None and feats.greeting.name == f"{written} Rivera", title
        assert len(feats.sentences) == 3, (title, feats.sentences)
        contact = contact_from_mapping({"id": "r", "name": "Sam Rivera"}, "t")
        result = linter.lint(Draft.from_body(text, contact=contact))
        assert "personalisation.wrong-name" not in [f.rule for f in result.findings], title
