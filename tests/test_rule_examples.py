"""Every built-in rule carries its own bad and good examples, and behaves as they say.

A bad example must produce a finding of that rule; a good example must not. A rule without at
least two of each fails the suite, so no rule ships untested. Where a bad example states `match`
(the exact words marked, in order) or `fixed` (the text after the rule's safe fixes), both are
checked too (textlint-tester style); every rule with a fix pins at least one fixed text.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from drafter.core.config import Config
from drafter.core.contacts import contact_from_mapping
from drafter.core.drafts import Draft
from drafter.lint.engine import Linter
from drafter.lint.fixes import apply_fixes
from drafter.lint.rules import Example, Rule, load_rules

RULES: dict[str, Rule] = load_rules()


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter.from_config(Config())


def _draft(example: Example, rule_id: str) -> Draft:
    return Draft(
        text=example.text,
        body=example.text,
        path=f"<{rule_id} example>",
        platform=example.platform,
        stage=example.stage,
        subject=example.subject,
        contact=contact_from_mapping(dict(example.contact), rule_id) if example.contact else None,
        meta={"free_account": example.free_account},
    )


def _cases(kind: str) -> Iterator[object]:
    for rule_id, rule in sorted(RULES.items()):
        if rule.kind == "history":
            continue  # need a history or a batch: tests/test_history_lint.py runs them
        examples = rule.bad if kind == "bad" else rule.good
        for i, example in enumerate(examples):
            yield pytest.param(rule_id, example, id=f"{rule_id}-{kind}{i}")


def test_there_are_rules() -> None:
    assert len(RULES) >= 20


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_rule_has_bad_and_good_examples(rule_id: str) -> None:
    rule = RULES[rule_id]
    assert len(rule.bad) >= 2, f"{rule_id}: needs at least 2 bad examples"
    assert len(rule.good) >= 2, f"{rule_id}: needs at least 2 good examples"


@pytest.mark.parametrize(("rule_id", "example"), list(_cases("bad")))
def test_bad_example_is_caught(linter: Linter, rule_id: str, example: Example) -> None:
    result = linter.lint(_draft(example, rule_id))
    rules = [f.rule for f in result.findings]
    assert rule_id in rules, f"{rule_id} missed {example.text!r}; found {rules}"


@pytest.mark.parametrize(("rule_id", "example"), list(_cases("good")))
def test_good_example_is_left_alone(linter: Linter, rule_id: str, example: Example) -> None:
    result = linter.lint(_draft(example, rule_id))
    hits = [f.message for f in result.findings if f.rule == rule_id]
    assert not hits, f"{rule_id} flagged {example.text!r}: {hits}"


def _pinned() -> Iterator[object]:
    for rule_id, rule in sorted(RULES.items()):
        for i, example in enumerate(rule.bad):
            if example.match is not None or example.fixed is not None:
                yield pytest.param(rule_id, example, id=f"{rule_id}-pinned{i}")


@pytest.mark.parametrize(("rule_id", "example"), list(_pinned()))
def test_bad_example_marks_and_fixes_what_it_states(
    linter: Linter, rule_id: str, example: Example
) -> None:
    result = linter.lint(_draft(example, rule_id))
    mine = [f for f in result.findings if f.rule == rule_id]
    if example.match is not None:
        assert [example.text[f.offset : f.end_offset] for f in mine] == list(example.match)
    if example.fixed is not None:
        fixed, _ = apply_fixes(example.text, [f.fix for f in mine if f.fix is not None])
        assert fixed == example.fixed


@pytest.mark.parametrize("rule_id", sorted(r for r in RULES if RULES[r].fix))
def test_every_fix_is_pinned_by_an_example(rule_id: str) -> None:
    assert any(ex.fixed is not None for ex in RULES[rule_id].bad), rule_id


def test_most_rules_pin_the_words_they_mark() -> None:
    pinned = [r for r in RULES.values() if any(ex.match is not None for ex in r.bad)]
    assert len(pinned) >= len(RULES) // 2, sorted(set(RULES) - {r.id for r in pinned})
