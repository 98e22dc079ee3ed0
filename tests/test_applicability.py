"""Fixes never make a message worse: each fix is safe or unsafe, and `fix` applies only safe ones
unless asked (`--unsafe-fixes`)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from drafter.cli import cli
from drafter.core.drafts import parse_draft
from drafter.lint.applicability import (
    deletion_applicability,
    has_substance,
    keeps_content,
    only_connectives,
    replacement_is_literal,
)
from drafter.lint.engine import Linter
from drafter.lint.fixes import fix_text

OPENER = "generic.stock-opener"
# The stock opener is a sentence of its own: deleting it loses nothing.
ALONE = (
    "Hi Ana,\n\nI hope this finds you well.\n\n"
    "Your Flink 1.18 talk at Berlin Buzzwords fixed our late joins. Could you share the slides?\n"
)
ALONE_FIXED = (
    "Hi Ana,\n\n"
    "Your Flink 1.18 talk at Berlin Buzzwords fixed our late joins. Could you share the slides?\n"
)
# The opener shares its sentence with the one specific thing in the message.
SHARED = "Hi Ana, loved your Flink 1.18 talk at Berlin Buzzwords, and I hope this finds you well.\n"


def _draft(text: str):  # type: ignore[no-untyped-def]
    return parse_draft(text, "d.md")


def _opener_fix(linter: Linter, text: str):  # type: ignore[no-untyped-def]
    [finding] = [f for f in linter.lint(_draft(text)).findings if f.rule == OPENER]
    assert finding.fix is not None
    return finding.fix


def test_sentence_holding_only_the_phrase_is_a_safe_deletion(linter: Linter) -> None:
    fix = _opener_fix(linter, ALONE)
    assert fix.applicability == "safe"
    assert fix_text(ALONE, _draft, linter).text == ALONE_FIXED


def test_sentence_with_specific_detail_is_an_unsafe_deletion(linter: Linter) -> None:
    fix = _opener_fix(linter, SHARED)
    assert fix.applicability == "unsafe"
    outcome = fix_text(SHARED, _draft, linter)
    assert outcome.text == SHARED
    assert outcome.applied == 0 and outcome.unsafe_left == 1
    # Even unsafe, the fix removes the phrase and its connective, never the detail around it.
    assert fix_text(SHARED, _draft, linter, unsafe=True).text == (
        "Hi Ana, loved your Flink 1.18 talk at Berlin Buzzwords.\n"
    )


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        (
            "Hi Ana, hope this finds you well and loved your Kafka 3.0 replay talk at PyCon.\n",
            "Hi Ana, loved your Kafka 3.0 replay talk at PyCon.\n",
        ),
        (
            "Hope this finds you well and your talk at PyCon was great.\n",
            "Your talk at PyCon was great.\n",
        ),
        (
            "Hi Ana,\nYour talk at PyCon was great, and I hope this finds you well.\n",
            "Hi Ana,\nYour talk at PyCon was great.\n",
        ),
        # what is left would be a tail, not a sentence: the whole sentence goes, as before
        (
            "Hi Ana, did you get a chance to read my last message?\n",
            "Hi Ana,\n",
        ),
    ],
)
def test_unsafe_sentence_fix_keeps_what_the_sentence_says(
    linter: Linter, text: str, fixed: str
) -> None:
    assert fix_text(text, _draft, linter, unsafe=True).text == fixed
    assert fix_text(text, _draft, linter).text == text  # not safe: left alone by default


def test_keeps_content() -> None:
    assert keeps_content("loved your Kafka 3.0 replay talk")
    assert keeps_content("we still use your retry trick every day")
    assert not keeps_content("to the top of your inbox")
    assert not keeps_content("my last message?")


def test_deletion_that_leaves_only_a_closing_is_unsafe(linter: Linter) -> None:
    text = "Hi Tom,\n\nJust following up on my email.\n\nPlease let me know at your earliest convenience.\n"
    nags = [f for f in linter.lint(_draft(text)).findings if f.rule == "followup.nag"]
    assert nags and nags[0].fix is not None
    assert nags[0].fix.applicability == "unsafe"
    assert fix_text(text, _draft, linter).text == text


def test_only_connectives() -> None:
    sentence = "I just hope this finds you well."
    start = sentence.index("hope")
    assert only_connectives(sentence, start, start + len("hope this finds you well"))
    sentence = "Loved your talk, hope this finds you well."
    start = sentence.index("hope")
    assert not only_connectives(sentence, start, start + len("hope this finds you well"))


def test_has_substance() -> None:
    assert has_substance("Hi Ana,\n\nYour fix for the watermark bug worked.")
    assert not has_substance("Hi Tom,\n\nPlease let me know at your earliest convenience.")
    assert not has_substance("Hi Tom,\n\nThanks!")


def test_replacement_is_literal() -> None:
    assert replacement_is_literal("Ana")
    assert not replacement_is_literal("ask you one question about ...")
    assert not replacement_is_literal("")


def test_deletion_applicability_offsets() -> None:
    text = "Hi Ana, I hope all is well. Your 3.2 release fixed my build."
    start, end = text.index("I hope"), text.index(" Your") + 1
    phrase = text.index("hope all is well")
    assert deletion_applicability(text, start, end, phrase, phrase + 16) == "safe"
    assert deletion_applicability("Hi Ana, I hope all is well.", 8, 27, 10, 26) == "unsafe"


def test_json_report_carries_applicability(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "shared.md").write_text(SHARED, encoding="utf-8")
    result = CliRunner().invoke(cli, ["lint", "--format", "json", "shared.md"], obj={})
    data = json.loads(result.stdout)
    [finding] = [f for f in data["files"][0]["findings"] if f["rule"] == OPENER]
    assert finding["fix"]["applicability"] == "unsafe"


def test_cli_fix_applies_unsafe_fixes_only_when_asked(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    safe = CliRunner().invoke(cli, ["fix", "-"], obj={}, input=SHARED)
    assert safe.exit_code == 0
    assert safe.stdout == SHARED
    assert "1 unsafe fix not applied (use --unsafe-fixes)" in safe.stderr
    unsafe = CliRunner().invoke(cli, ["fix", "--unsafe-fixes", "-"], obj={}, input=SHARED)
    assert unsafe.exit_code == 0
    assert "hope this finds you well" not in unsafe.stdout
    assert "unsafe" not in unsafe.stderr
