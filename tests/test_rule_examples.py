"""Every built-in rule carries its own bad and good examples, and behaves as they say.

A bad example must produce a finding of that rule; a good example must not. A rule without at
least two of each fails the suite, so no rule ships untested.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from drafter.core.config import Config
from drafter.core.contacts import contact_from_mapping
from drafter.core.drafts import Draft
from drafter.lint.engine import Linter
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
