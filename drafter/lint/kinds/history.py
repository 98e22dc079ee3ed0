"""`kind: history`: a rule that needs what one message alone cannot show, the history with the
contact or the other drafts of a batch. drafter.history.lint runs these; the engine skips them.

Each history check names its parameters dataclass here, so a rule's `params:` and a config
override are validated by the same constructor as every other kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from drafter.core.lists import Lists
from drafter.lint.kinds.fields import fail, field_names, from_mapping

KEYS = frozenset({"check", "params"})


@dataclass(frozen=True)
class NoHistoryParams:
    """third-unanswered: two unanswered messages are the rule itself, not a setting."""


@dataclass(frozen=True)
class RepeatParams:
    share: float = 0.6  # the part of a follow-up's words that may repeat the last message
    give_phrases: tuple[str, ...] = ()  # words that show something new is given


@dataclass(frozen=True)
class SentToOtherParams:
    share: float = 0.85  # masked share with a message sent to someone else


@dataclass(frozen=True)
class BatchParams:
    share: float = 0.75  # masked share with other drafts of the same batch


HISTORY_CHECKS: dict[str, type[Any]] = {
    "third-unanswered": NoHistoryParams,
    "repeat-of-last": RepeatParams,
    "sent-to-other": SentToOtherParams,
    "batch": BatchParams,
}


@dataclass(frozen=True)
class HistorySpec:
    check: str
    params: Any  # an instance of the check's parameters dataclass

    @classmethod
    def build(cls, data: Mapping[str, Any], where: str, lists: Lists) -> HistorySpec:
        name = data.get("check")
        if name not in HISTORY_CHECKS:
            raise fail(where, f"unknown history check; known: {', '.join(sorted(HISTORY_CHECKS))}")
        params = from_mapping(HISTORY_CHECKS[name], data.get("params"), where, "params", lists)
        return cls(str(name), params)

    def tunable(self) -> tuple[str, ...]:
        return field_names(type(self.params))
