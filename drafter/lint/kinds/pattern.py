"""`kind: pattern`: spaCy token patterns (`LEMMA` means drafter's lemma key, kept in NORM).

The patterns are validated by spaCy's own `Matcher(validate=True)` when the rule loads. Each rule
gets its own Matcher, run only when the doc holds a word of every token the pattern requires:
spaCy's Matcher tries every pattern at every token, which dominated lint time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from drafter.core.lists import Lists
from drafter.lint.kinds.fields import fail
from drafter.lint.lemmas import lemma

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

KEYS = frozenset({"patterns"})
Token = dict[str, Any]
Triggers = tuple[tuple[frozenset[int], ...], ...]


@dataclass(frozen=True)
class PatternSpec:
    patterns: tuple[tuple[Token, ...], ...]  # as spaCy takes them: LEMMA already turned into NORM

    @classmethod
    def build(cls, data: Mapping[str, Any], where: str, lists: Lists) -> PatternSpec:
        raw = data.get("patterns")
        if not isinstance(raw, list) or not raw:
            raise fail(where, "'patterns' must be a non-empty list")
        patterns = tuple(tuple(_lemma_tokens(p, where)) for p in raw)
        _validate(patterns, where)
        return cls(patterns)


def _lemma_tokens(pattern: Any, where: str) -> list[Token]:
    """Token patterns may use LEMMA: it means drafter's lemma key, which lives in NORM."""
    if not isinstance(pattern, list) or not all(isinstance(t, Mapping) for t in pattern):
        raise fail(where, "each pattern must be a list of token mappings")
    out = []
    for token in pattern:
        converted: Token = {}
        for key, value in token.items():
            if key == "LEMMA":
                if isinstance(value, str):
                    value = lemma(value)
                elif isinstance(value, Mapping):
                    value = {
                        op: [lemma(v) if isinstance(v, str) else v for v in vals]
                        if isinstance(vals, list)
                        else vals
                        for op, vals in value.items()
                    }
                converted["NORM"] = value
            else:
                converted[key] = value
        out.append(converted)
    return out


@lru_cache(maxsize=1)
def _vocab() -> Vocab:
    from spacy.vocab import Vocab

    return Vocab()


def _validate(patterns: tuple[tuple[Token, ...], ...], where: str) -> None:
    """spaCy's schema check, the errors it reports turned into one line naming the rule."""
    from spacy.matcher import Matcher

    try:
        Matcher(_vocab(), validate=True).add("check", [list(p) for p in patterns])
    except (ValueError, KeyError, TypeError) as exc:
        detail = [ln.strip("- ") for ln in str(exc).splitlines() if ln.startswith("- ")]
        raise fail(where, f"invalid token pattern: {detail[0] if detail else exc}") from None


_REPEAT = re.compile(r"\{(\d*)(?:,(\d*))?\}")


def min_repeats(op: Any) -> int:
    """How often a token with this operator must occur: "!", "?", "*", "{0,2}", "{,3}" are 0
    (a negated token must occur, but as a word it must not be, so it cannot gate either)."""
    if op is None or op in ("+", "1"):
        return 1
    if op in ("!", "?", "*"):
        return 0
    found = _REPEAT.fullmatch(str(op))
    return int(found.group(1) or 0) if found else 0


def triggers(patterns: tuple[tuple[Token, ...], ...], vocab: Vocab) -> Triggers | None:
    """Per pattern, the word sets (LOWER or NORM hashes) of its required tokens: a doc must hold a
    word of every set for that pattern to match. None means "always run" (some pattern has no
    required token with a plain word constraint)."""
    out: list[tuple[frozenset[int], ...]] = []
    for pattern in patterns:
        groups: list[frozenset[int]] = []
        for token in pattern:
            if min_repeats(token.get("OP")) == 0:
                continue
            for attr in ("LOWER", "NORM"):
                value = token.get(attr)
                if isinstance(value, str):
                    groups.append(frozenset([vocab.strings.add(value)]))
                elif isinstance(value, Mapping) and set(value) == {"IN"}:
                    groups.append(frozenset(vocab.strings.add(str(w)) for w in value["IN"]))
        if not groups:
            return None
        out.append(tuple(sorted(groups, key=len, reverse=True)))  # big sets fail less often
    return tuple(out)


def _possible(trigger: Triggers, present: set[int]) -> bool:
    for groups in trigger:
        for group in groups:
            if present.isdisjoint(group):
                break
        else:
            return True
    return False


class CompiledPattern:
    """One rule's Matcher and its trigger words."""

    def __init__(self, rule_id: str, spec: PatternSpec, vocab: Vocab) -> None:
        from spacy.matcher import Matcher

        self.rule_id = rule_id
        self.matcher = Matcher(vocab)
        self.matcher.add(rule_id, [list(p) for p in spec.patterns], greedy="LONGEST")
        self.triggers = triggers(spec.patterns, vocab)

    def run(self, doc: Doc, present: set[int]) -> Iterator[tuple[int, int]]:
        """Character spans of the matches; `present` holds the doc's LOWER and NORM hashes."""
        if self.triggers is not None and not _possible(self.triggers, present):
            return
        for _match_id, start, end in self.matcher(doc):
            last = doc[end - 1]
            yield doc[start].idx, last.idx + len(last)


def word_hashes(doc: Doc) -> set[int]:
    """The LOWER and NORM hashes of a doc's tokens: what the trigger words are looked up in."""
    from spacy.attrs import LOWER, NORM

    hashes: Any = doc.to_array([LOWER, NORM]).ravel().tolist()
    return set(hashes)
