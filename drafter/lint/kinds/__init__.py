"""The six rule kinds, one module each: a spec dataclass built and validated by one constructor
when the rule file loads, and the compile/run pair the engine calls.

| kind | spec | matched by |
|---|---|---|
| phrase | PhraseSpec | one shared spaCy PhraseMatcher per attribute |
| pattern | PatternSpec | a spaCy Matcher per rule, gated on required words |
| regex | RegexSpec | Python `re`, skipped when no required literal occurs |
| metric | MetricSpec | a measure from drafter.lint.metrics against thresholds |
| check | CheckSpec | a named function from drafter.lint.checks with typed parameters |
| history | HistorySpec | drafter.history.lint, with the contact's history and the batch |
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from drafter.core.lists import Lists
from drafter.lint.kinds import check, history, metric, pattern, phrase, regex
from drafter.lint.kinds.check import CheckSpec
from drafter.lint.kinds.history import HistorySpec
from drafter.lint.kinds.metric import MetricSpec
from drafter.lint.kinds.pattern import PatternSpec
from drafter.lint.kinds.phrase import PhraseSpec
from drafter.lint.kinds.regex import RegexSpec

Spec = PhraseSpec | PatternSpec | RegexSpec | MetricSpec | CheckSpec | HistorySpec


@dataclass(frozen=True)
class Kind:
    name: str
    keys: frozenset[str]  # the keys a rule of this kind may carry besides the common ones
    build: Callable[[Mapping[str, Any], str, Lists], Spec]  # data, where, named lists
    targets: tuple[str, ...]  # what it checks unless the rule says (`applies_to`)
    matching: bool  # marks words (phrase, pattern, regex), rather than measuring the message


KINDS: dict[str, Kind] = {
    "phrase": Kind("phrase", phrase.KEYS, PhraseSpec.build, ("body", "subject"), True),
    "pattern": Kind("pattern", pattern.KEYS, PatternSpec.build, ("body", "subject"), True),
    "regex": Kind("regex", regex.KEYS, RegexSpec.build, ("body", "subject"), True),
    "metric": Kind("metric", metric.KEYS, MetricSpec.build, ("body",), False),
    "check": Kind("check", check.KEYS, CheckSpec.build, ("body",), False),
    # Run by drafter.history.lint with the history and the batch; the engine skips them.
    "history": Kind("history", history.KEYS, HistorySpec.build, ("body",), False),
}


def describe(spec: Spec) -> str:
    """A metric's thresholds or a check's parameters as `drafter rules explain` shows them."""
    parts: list[str] = []
    if isinstance(spec, MetricSpec):
        parts.append(f"metric={spec.metric}")
        for name in ("max", "min", "min_words"):
            threshold = getattr(spec, name)
            if threshold is not None:
                parts.append(f"{name}={threshold.describe()}")
    elif isinstance(spec, CheckSpec | HistorySpec):
        parts.append(f"check={spec.check}")
        for f in dataclasses.fields(spec.params):
            value = getattr(spec.params, f.name)
            if isinstance(value, tuple | frozenset):
                parts.append(f"{f.name}=[{len(value)} words]")
            else:
                parts.append(f"{f.name}={value}")
    return ", ".join(parts)


__all__ = [
    "KINDS",
    "CheckSpec",
    "HistorySpec",
    "Kind",
    "MetricSpec",
    "PatternSpec",
    "PhraseSpec",
    "RegexSpec",
    "Spec",
    "describe",
]
