"""Combined-signal checks name the words that fired; genre decides which rules a message needs."""

from __future__ import annotations

from drafter.core.drafts import Draft
from drafter.lint.engine import Linter
from drafter.lint.signals import nag_verdict, pitch_verdict, signals, substance_words
from drafter.lint.text import TextFeatures


def _draft(text: str, stage: str | None = None, platform: str | None = "email") -> Draft:
    return Draft(text=text, body=text, path="t.md", platform=platform, stage=stage)


def _rules(linter: Linter, text: str, stage: str | None = None) -> list[str]:
    return [f.rule for f in linter.lint(_draft(text, stage)).at_or_above("warning")]


def test_pitch_message_names_each_family_and_its_words(linter: Linter) -> None:
    text = "Hi Ana, our agency offers logo packages from $350. Could we book a call on Monday?"
    [finding] = [
        f for f in linter.lint(_draft(text, "connect")).findings if f.rule == "pitch.combined"
    ]
    assert '"our agency" (your business as the subject)' in finding.message
    assert '"offers" (an offer)' in finding.message
    assert text[finding.offset : finding.end_offset].startswith("Hi Ana, our agency offers")


def test_one_commercial_word_is_not_a_pitch() -> None:
    text = "Your pricing page is the clearest I have read. How did you test it?"
    assert pitch_verdict(text.lower(), TextFeatures(text).sentences) is None


def test_a_staffing_pitch_is_seller_claims_and_a_soft_ask() -> None:
    text = (
        "Hey Sam, I noticed your team is hiring React engineers. We place vetted senior "
        "developers in under two weeks, with no fee until they start. Open to hearing more?"
    )
    low = text.lower()
    found = pitch_verdict(low, TextFeatures(text).sentences)
    assert found is not None
    words = {(s.family, low[s.start : s.end]) for s in found.found}
    assert ("seller", "we place vetted senior developers") in words
    assert ("claim", "in under two weeks") in words
    assert [low[s.start : s.end] for s in signals(low, ("booking",))] == ["open to hearing more"]
    # The writer asking to hear about the reader's work is no ask to be sold to.
    kind = "Hi Sam, I'd love to hear more about how you vetted the React migration plan."
    assert pitch_verdict(kind.lower(), TextFeatures(kind).sentences) is None
    assert not signals("i'd love to hear more about your talk.", ("booking",))
    assert not signals("we placed second in the hackathon.", ("seller",))


def test_a_word_counts_for_one_family_only() -> None:
    text = "I'd be glad to offer an introduction to the organisers, if that would help."
    assert pitch_verdict(text.lower(), TextFeatures(text).sentences) is None


def test_pitch_is_scoped_out_of_thank_yous(linter: Linter) -> None:
    text = "Thanks for the quote; our agency offers to pay the $350 invoice on Monday."
    assert "pitch.combined" in _rules(linter, text, "connect")
    assert "pitch.combined" not in _rules(linter, text, "thanks")


def test_nag_points_at_silence_or_at_an_earlier_message_with_pressure() -> None:
    text = "i have not heard back from you."
    assert nag_verdict(text) == (2, 21, "points at their silence")
    assert text[2:21] == "have not heard back"
    found = nag_verdict("i sent the draft two weeks ago. can we schedule a call?")
    assert found is not None and found[2] == 'then presses: "can we schedule"'
    assert nag_verdict("i sent the draft two weeks ago; here is a shorter one.") is None


def test_silence_in_a_formal_letter_and_a_stale_pull_request() -> None:
    text = "i am writing once more, as i have not received any acknowledgement."
    found = nag_verdict(text)
    assert found is not None and text[found[0] : found[1]] == "writing once more"
    text = "any chance this could get merged soon? it's been sitting here for a month."
    found = nag_verdict(text)
    assert found is not None and text[found[0] : found[1]] == "been sitting here for a month"
    assert nag_verdict("the fix has been sitting in my head for a month; here it is.") is None


def test_nag_applies_at_any_stage(linter: Linter) -> None:
    text = "Hi Tom, I sent you a message two weeks ago and haven't heard back."
    assert "followup.silence" in _rules(linter, text, "connect")


def test_empty_and_near_empty_drafts_are_errors(linter: Linter) -> None:
    for text in ("", "Hi Ana,", "Hello\n\nBest,\nSam"):
        errors = [f.rule for f in linter.lint(_draft(text, "connect")).at_or_above("error")]
        assert errors == ["generic.empty"], (text, errors)
    assert linter.lint(_draft("", "connect")).score < 100


def test_substance_words_skip_greeting_and_sign_off() -> None:
    assert substance_words("Hi Ana,\n\nThe fix works.\n\nBest,\nSam", 8) == 3
    assert substance_words("Thanks, merged!") == 2


def test_reply_genre_needs_no_greeting_or_profile(linter: Linter) -> None:
    reply = "Thank you for the invitation; sadly I am away that week."
    assert _rules(linter, reply, "connect") == []
    cold = "I would love to connect and learn more about what you do."
    assert {"personalisation.no-greeting", "personalisation.nothing-specific"} <= set(
        _rules(linter, cold, "connect")
    )


def test_senders_own_detail_is_not_about_the_reader(linter: Linter) -> None:
    own = "Hi Noor, I'm Callum from Northfield Analytics in Leeds. Would you be open to connecting?"
    theirs = (
        "Hi Noor, your Leeds meetup talk on forecasting convinced us. Could I ask one question?"
    )
    assert "personalisation.nothing-specific" in _rules(linter, own, "connect")
    assert "personalisation.nothing-specific" not in _rules(linter, theirs, "connect")


def test_a_response_particle_opens_a_reply(linter: Linter) -> None:
    reply = "Sure, happy to keep in touch, though I am staying in my current role for now."
    assert _rules(linter, reply, "connect") == []
    cold = "Happy to keep in touch, though I am staying in my current role for now."
    assert "personalisation.nothing-specific" in _rules(linter, cold, "connect")


def test_a_plain_hey_on_a_short_note_is_chat_not_mass_mail(linter: Linter) -> None:
    short = _rules(linter, "Hey, come and say hello in the #intros channel!", "connect")
    assert "generic.bare-greeting" not in short
    assert "personalisation.nameless-greeting" in short  # still no name, as the eval set wants
    long = (
        "Hey, we are a small studio and would like to talk about a partnership with your team "
        "next month, since many companies in your sector already work with us."
    )
    assert "generic.bare-greeting" in _rules(linter, long, "connect")


def test_a_bare_greeting_points_at_its_words_not_the_line_break(linter: Linter) -> None:
    body = "Hello\n"
    found = [
        f
        for f in linter.lint(Draft.from_body(body, platform="linkedin", stage="connect")).findings
        if f.rule == "generic.bare-greeting"
    ]
    assert [(f.offset, f.end_offset, body[f.offset : f.end_offset]) for f in found] == [
        (0, 5, "Hello")
    ]
    assert '"Hello" opens like mass mail' in found[0].message


def test_waiting_and_acting_on_an_earlier_message_nag() -> None:
    assert nag_verdict("my patch has been waiting since may.") is not None
    found = nag_verdict("i opened the pr 25 days back, can anyone confirm it was merged")
    assert found is not None and found[2] == 'then presses: "can anyone confirm"'
    assert nag_verdict("i opened the pr 25 days back and it was merged today.") is None
