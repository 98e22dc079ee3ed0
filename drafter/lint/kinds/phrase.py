"""`kind: phrase`: word sequences matched on drafter's lemma key (or on lower case).

All phrase rules, and the phrase lists of checks, share one spaCy PhraseMatcher per attribute,
so one pass over a doc finds every phrase of every rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from drafter.core.lists import Lists, expand
from drafter.lint.kinds.fields import fail

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

KEYS = frozenset({"phrases", "match"})
MATCH = {"lemma": "NORM", "lower": "LOWER"}  # `match:` in a rule file -> the token attribute
SEP = "\x1f"  # between a rule id and the phrase (or list) it added to the matcher


@dataclass(frozen=True)
class Phrase:
    text: str
    suggest: str | None = None


@dataclass(frozen=True)
class PhraseSpec:
    phrases: tuple[Phrase, ...]
    attr: str = "NORM"  # the token attribute compared: NORM holds drafter's lemma key

    @classmethod
    def build(cls, data: Mapping[str, Any], where: str, lists: Lists) -> PhraseSpec:
        items = data.get("phrases")
        if isinstance(items, Mapping):
            items = [items]
        if not isinstance(items, list) or not items:
            raise fail(where, "'phrases' must be a non-empty list")
        match = data.get("match", "lemma")
        if match not in MATCH:
            raise fail(where, f"'match' must be one of {', '.join(MATCH)}")
        phrases = tuple(p for item in items for p in _phrases(item, where, lists))
        if not phrases:
            raise fail(where, "'phrases' must be a non-empty list")
        return cls(phrases=phrases, attr=MATCH[match])


def _phrases(item: Any, where: str, lists: Lists) -> list[Phrase]:
    if isinstance(item, Mapping) and set(item) == {"list"}:
        return [Phrase(p) for p in expand(where, "phrases", item, lists)]
    return [_phrase(item, where)]


def _phrase(item: Any, where: str) -> Phrase:
    if isinstance(item, str) and item.strip():
        return Phrase(item)
    if isinstance(item, Mapping) and isinstance(item.get("phrase"), str):
        if set(item) - {"phrase", "suggest"}:
            raise fail(
                where, f"phrase: unknown key '{sorted(set(item) - {'phrase', 'suggest'})[0]}'"
            )
        suggestion = item.get("suggest")
        return Phrase(item["phrase"], None if suggestion is None else str(suggestion))
    raise fail(where, "each phrase is text or a mapping with 'phrase' and 'suggest'")


@dataclass(frozen=True)
class PhraseHit:
    rule_id: str
    tail: str  # the phrase's index for a phrase rule, the list's name for a check
    start: int  # character offsets in the doc's text
    end: int
    suggestion: str | None


class PhraseIndex:
    """The compiled form of every phrase rule and check phrase list (compile, then run)."""

    def __init__(self, nlp: Language) -> None:
        from spacy.matcher import PhraseMatcher

        self.nlp = nlp
        self.matchers = {attr: PhraseMatcher(nlp.vocab, attr=attr) for attr in MATCH.values()}
        self.suggestions: dict[str, str | None] = {}

    def compile(self, rule_id: str, spec: PhraseSpec) -> None:
        for i, phrase in enumerate(spec.phrases):
            key = f"{rule_id}{SEP}{i}"
            self.suggestions[key] = phrase.suggest
            self.matchers[spec.attr].add(key, [self.nlp.make_doc(phrase.text)])

    def compile_list(self, rule_id: str, name: str, phrases: Iterable[str]) -> None:
        """A check's phrase list (`ask_phrases`): its spans are handed to the check."""
        docs = [self.nlp.make_doc(p) for p in phrases]
        if docs:
            self.matchers["NORM"].add(f"{rule_id}{SEP}{name}", docs)

    def run(self, doc: Doc) -> Iterator[PhraseHit]:
        strings = self.nlp.vocab.strings
        for matcher in self.matchers.values():
            for match_id, start, end in matcher(doc):
                key = strings[match_id]
                rule_id, _, tail = key.partition(SEP)
                last = doc[end - 1]
                yield PhraseHit(
                    rule_id, tail, doc[start].idx, last.idx + len(last), self.suggestions.get(key)
                )
