"""`kind: regex`: regular expressions over the text, for what words cannot express
(placeholders, layouts, punctuation). Compiled when the rule loads, so a broken pattern is an
error of `drafter rules` as much as of `drafter lint`."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from drafter.core.lists import Lists
from drafter.lint.kinds.fields import fail
from drafter.lint.prefilter import required_literals
from drafter.lint.scan import faster

KEYS = frozenset({"regex", "ignore_case", "group"})


@dataclass(frozen=True)
class CompiledRegex:
    rx: re.Pattern[str]  # the pattern, or an equivalent one re runs faster (scan.faster)
    literals: frozenset[str] | None  # one of these occurs (lowercased) wherever it can match
    group: int | str = 0  # the spec's group when this pattern has it, else 0 (the whole match)


@dataclass(frozen=True)
class RegexSpec:
    patterns: tuple[str, ...]
    ignore_case: bool = False
    group: int | str = 0  # the group a finding marks; the whole match when the group is absent
    compiled: tuple[CompiledRegex, ...] = ()

    @classmethod
    def build(cls, data: Mapping[str, Any], where: str, lists: Lists) -> RegexSpec:
        raw = data.get("regex")
        items = [raw] if isinstance(raw, str) else raw
        if not isinstance(items, list) or not items or not all(isinstance(r, str) for r in items):
            raise fail(where, "'regex' must be a pattern or a list of patterns")
        ignore_case = data.get("ignore_case", False)
        if not isinstance(ignore_case, bool):
            raise fail(where, "'ignore_case' must be true or false")
        group = data.get("group", 0)
        if (
            isinstance(group, bool)
            or not isinstance(group, int | str)
            or (isinstance(group, int) and group < 0)
        ):
            raise fail(where, "'group' must be a group name or a number >= 0")
        flags = re.IGNORECASE if ignore_case else 0
        compiled = []
        try:
            for pattern in items:
                # Whole, leading \b and all: `re` tests \b in C at each position, which beats
                # stripping it and checking each candidate in Python (12 us a message less);
                # faster() moves it behind a rare first character where it can.
                rx = faster(re.compile(pattern, flags | re.MULTILINE))
                compiled.append(
                    CompiledRegex(rx, required_literals(pattern, flags), _group_in(rx, group))
                )
        except re.error as exc:
            raise fail(where, f"invalid regular expression: {exc}") from None
        return cls(tuple(items), ignore_case, group, tuple(compiled))


def _group_in(rx: re.Pattern[str], group: int | str) -> int | str:
    if isinstance(group, str):
        return group if group in rx.groupindex else 0
    return group if group <= rx.groups else 0


def run(spec: RegexSpec, text: str, lowered: Callable[[], str]) -> list[tuple[int, int]]:
    """Character spans of the matches (of `group` where the pattern has it); `lowered` gives the
    lowercased text, computed once per segment by the caller. A list built in one loop, the
    group chosen when the rule loaded: this runs for every regex rule and segment."""
    out: list[tuple[int, int]] = []
    low: str | None = None
    for c in spec.compiled:
        if c.literals is not None:
            if low is None:
                low = lowered()
            for lit in c.literals:  # a loop, not any(): this runs for every rule and segment
                if lit in low:
                    break
            else:
                continue
        g = c.group
        matches = c.rx.finditer(text)
        if g == 0:
            for m in matches:
                s, e = m.span()
                if e > s:
                    out.append((s, e))
            continue
        for m in matches:
            s, e = m.span(g) if m.group(g) is not None else m.span()
            if e > s:
                out.append((s, e))
    return out
