"""The trigger gate only skips docs a pattern cannot match: gated engine == plain spaCy Matcher.

A pattern rule runs only when the doc holds a word of every *required* token. Tokens that may
occur zero times (`?`, `*`, `{0,2}`, `{,3}`) and negated ones (`!`) are not required, so they
must not gate.
"""

from __future__ import annotations

from typing import Any

import pytest

from drafter.core.drafts import Draft
from drafter.lint.engine import Linter
from drafter.lint.kinds.pattern import PatternSpec
from drafter.lint.nlp import blank_pipeline
from drafter.lint.rules import rule_from_mapping

PATTERNS: list[list[dict[str, Any]]] = [
    [{"LOWER": "really", "OP": "{0,2}"}, {"LEMMA": "love"}, {"LOWER": "synergy"}],
    [{"LOWER": "very", "OP": "*"}, {"LOWER": "excited"}, {"LOWER": "to"}],
    [{"LOWER": "just", "OP": "?"}, {"LEMMA": "circle"}, {"LOWER": "back"}],
    [{"LOWER": "so", "OP": "{,3}"}, {"LOWER": "happy"}],
    [{"LOWER": "quick", "OP": "{1,2}"}, {"LOWER": "call"}],
    [{"LEMMA": "pick"}, {"LOWER": "your", "OP": "!"}, {"LOWER": "brain"}],
    [{"LOWER": {"IN": ["deeply", "truly"]}, "OP": "+"}, {"LEMMA": "appreciate"}],
    [{"LOWER": "let"}, {"LOWER": "'s", "OP": "?"}, {"LEMMA": "connect"}],
    [{"IS_DIGIT": True}, {"LOWER": "minutes"}],
]

CORPUS = [
    "We loved synergy here.",
    "We really loved synergy here.",
    "We really really love synergy, honestly.",
    "We really really really love synergy.",
    "Synergy is what we loved.",
    "I am excited to meet you.",
    "I am very very excited to meet you.",
    "Excited? To be honest, yes.",
    "Can we circle back on Friday?",
    "Just circling back on the invoice.",
    "I circled the date; back to you soon.",
    "So so happy for you!",
    "Happy Monday, Ana.",
    "so so so so happy",
    "Do you have time for a quick call?",
    "A quick quick call would help.",
    "Call me when you can.",
    "Could I pick a brain or two?",
    "Could I pick your brain?",
    "I truly deeply appreciate it.",
    "I appreciate the review.",
    "Let's connect next week.",
    "Let us connect next week.",
    "Let connect fail.",
    "It takes 15 minutes, maybe 20 minutes.",
    "Fifteen minutes is enough.",
    "",
    "Hi Ana,\n\nThanks for the talk on streaming joins at PyCon.\n",
]


def _rule(pattern: list[dict[str, Any]]) -> Any:
    return rule_from_mapping(
        {
            "id": "generic.test-pattern",
            "category": "generic",
            "kind": "pattern",
            "patterns": [pattern],
            "message": "m",
            "why": "w",
        },
        "test",
    )


def _plain_spans(pattern: list[dict[str, Any]], text: str) -> set[tuple[int, int]]:
    from spacy.matcher import Matcher

    nlp = blank_pipeline()
    matcher = Matcher(nlp.vocab)
    spec = PatternSpec.build({"patterns": [pattern]}, "test", {})
    matcher.add("p", [list(p) for p in spec.patterns], greedy="LONGEST")
    doc = nlp(text)
    return {(doc[s].idx, doc[e - 1].idx + len(doc[e - 1])) for _, s, e in matcher(doc)}


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: str(p)[:60])
def test_gated_engine_matches_plain_matcher(pattern: list[dict[str, Any]]) -> None:
    linter = Linter({"generic.test-pattern": _rule(pattern)})
    results = linter.lint_many(Draft.from_body(text) for text in CORPUS)
    for text, result in zip(CORPUS, results, strict=True):
        engine = {(f.offset, f.end_offset) for f in result.findings}
        assert engine == _plain_spans(pattern, text), text


def test_optional_counted_token_does_not_gate() -> None:
    linter = Linter({"generic.test-pattern": _rule(PATTERNS[0])})
    [finding] = linter.lint(Draft.from_body("We loved synergy here.")).findings
    assert (finding.offset, finding.end_offset) == (3, 16)
