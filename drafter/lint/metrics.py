"""Metric rules: a number measured on the text, compared with `max`/`min` thresholds.

Each metric returns its value and the span that best shows it (the longest sentence, the first
exclamation mark), so a finding points at the words behind the number.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from drafter.core.lists import builtin_list
from drafter.core.textfacts import alternation
from drafter.lint.context import Context
from drafter.lint.text import Span, syllables

_SYLLABLES_BY_HASH: dict[int, int] = {}  # a cache of a pure function, keyed by word hash


# Who a message talks about (rules/lists/pronouns.yaml).
_SELF = frozenset(builtin_list("self-pronouns"))
_YOU = frozenset(builtin_list("you-pronouns"))
# Applied to lowercased text: case-insensitive patterns are much slower in `re`.
_PRONOUN = re.compile(rf"\b(?:{alternation(_SELF | _YOU)})\b")
_LETTERS = re.compile(r"[a-z]+(?:['’-][a-z]+)*")
_HASHTAG = re.compile(r"(?<![\w&/])#[A-Za-z]\w*")
_MENTION = re.compile(r"(?<![\w.@/])@[A-Za-z0-9_]{2,}")

# The span may be a function: where finding it costs more than the number, it is computed only
# when the threshold is crossed.
Measure = tuple[float, Span | Callable[[], Span | None] | None]


def _whole(ctx: Context) -> Span:
    text = ctx.text
    start = len(text) - len(text.lstrip())
    return Span(start, len(text.rstrip()))


def words(ctx: Context) -> Measure:
    return float(ctx.features.word_count), _whole(ctx)


def characters(ctx: Context) -> Measure:
    return float(ctx.count(ctx.text)), _whole(ctx)


def sentences(ctx: Context) -> Measure:
    return float(len(ctx.features.sentences)), _whole(ctx)


def _grade(word_count: int, sentence_count: int, syllable_count: int) -> float:
    """Flesch-Kincaid grade level, the formula textstat uses, on drafter's word and sentence split."""
    if word_count == 0:
        return 0.0
    return 0.39 * word_count / max(1, sentence_count) + 11.8 * syllable_count / word_count - 15.59


def reading_grade(ctx: Context) -> Measure:
    """Flesch-Kincaid over the doc's alphabetic tokens, syllables cached per word hash."""
    feats = ctx.features
    cache = _SYLLABLES_BY_HASH
    strings = ctx.doc.vocab.strings
    count = total = 0
    for _, is_alpha, _, lower in ctx.token_rows():
        if is_alpha:
            count += 1
            n = cache.get(lower)
            if n is None:
                n = cache[lower] = syllables(strings[lower])
            total += n
    grade = _grade(count, len(feats.sentences), total)
    return round(grade, 1), lambda: _hardest_sentence(ctx) or _whole(ctx)


def _hardest_sentence(ctx: Context) -> Span | None:
    """The sentence with the highest grade of its own: where a rewrite helps most."""
    worst: Span | None = None
    worst_grade = -100.0
    for span in ctx.features.sentences:
        sw = _LETTERS.findall(ctx.features.lower, span.start, span.end)
        if len(sw) < 4:
            continue
        g = _grade(len(sw), 1, sum(syllables(w) for w in sw))
        if g > worst_grade:
            worst, worst_grade = span, g
    return worst


def _most_words(ctx: Context, spans: list[Span]) -> Measure:
    best: Span | None = None
    best_n = 0
    for span in spans:
        n = ctx.features.sentence_words(span)
        if n > best_n:
            best, best_n = span, n
    return float(best_n), best


def longest_sentence(ctx: Context) -> Measure:
    return _most_words(ctx, ctx.features.sentences)


def paragraph_words(ctx: Context) -> Measure:
    return _most_words(ctx, ctx.features.paragraphs)


def questions(ctx: Context) -> Measure:
    return float(ctx.text.count("?")), _whole(ctx)


def links(ctx: Context) -> Measure:
    found = ctx.features.urls
    span = Span(found[0].start(), found[-1].end()) if found else None
    return float(len(found)), span


def exclamations(ctx: Context) -> Measure:
    marks = [m.start() for m in re.finditer("!", ctx.text)]
    span = Span(marks[0], marks[-1] + 1) if marks else None
    return float(len(marks)), span


def _hashes(words: Iterable[str]) -> frozenset[int]:
    """spaCy's string hashes are a fixed function of the text, the same in every vocabulary."""
    from spacy.strings import hash_string  # type: ignore[attr-defined]  # a Cython function

    return frozenset(hash_string(w) for w in words)


@lru_cache(maxsize=1)
def _pronoun_hashes() -> tuple[frozenset[int], ...]:
    """Self, you, plural self, inclusive-we-next and auxiliary hashes; computed on first use, so
    loading rules (`drafter rules`) never imports spaCy."""
    return (
        _hashes(_SELF),
        _hashes(_YOU),
        _hashes(builtin_list("plural-self-pronouns")),
        # "we both", "we met", "our chat": a "we" that includes the reader is not the sender.
        _hashes(builtin_list("inclusive-we-next")),
        _hashes(builtin_list("auxiliaries")),
    )


def _self_and_you(ctx: Context) -> tuple[int, int]:
    """Counts of I/me/we/our and of you/your; a "we"/"us"/"our" that includes the reader
    ("we both", "we met", "our chat") is neutral."""
    self_hashes, you_hashes, plural, inclusive_next, auxiliaries = _pronoun_hashes()
    own = you = 0
    hashes = [row[3] for row in ctx.token_rows()]  # LOWER
    for i, h in enumerate(hashes):
        if h in self_hashes:
            if h in plural and _inclusive(hashes, i + 1, inclusive_next, auxiliaries):
                continue
            own += 1
        elif h in you_hashes:
            you += 1
    return own, you


def self_ratio(ctx: Context) -> Measure:
    """I/we mentions per you/your; the span is the sentence that talks most about the sender."""
    own, you = _self_and_you(ctx)
    return round(own / max(1, you), 2), lambda: _most_self(ctx)


def self_surplus(ctx: Context) -> Measure:
    """How many more I/we mentions than you/your: unlike a ratio, 3 against 1 stays small."""
    own, you = _self_and_you(ctx)
    return float(own - you), lambda: _most_self(ctx)


def _inclusive(hashes: list[int], i: int, inclusive: frozenset[int], aux: frozenset[int]) -> bool:
    """The next word, or the one after "'re"/"have" ("we're both"), marks an inclusive we."""
    if i < len(hashes) and hashes[i] in aux:
        i += 1
    return i < len(hashes) and hashes[i] in inclusive


def _most_self(ctx: Context) -> Span | None:
    best: Span | None = None
    best_n = 0
    for span in ctx.features.sentences:
        n = sum(1 for w in _PRONOUN.findall(ctx.features.lower, span.start, span.end) if w in _SELF)
        if n > best_n:
            best, best_n = span, n
    return best


def hashtags(ctx: Context) -> Measure:
    found = list(_HASHTAG.finditer(ctx.text)) + list(_MENTION.finditer(ctx.text))
    found.sort(key=lambda m: m.start())
    return float(len(found)), Span(found[0].start(), found[0].end()) if found else None


METRICS: dict[str, Callable[[Context], Measure]] = {
    "words": words,
    "characters": characters,
    "sentences": sentences,
    "reading_grade": reading_grade,
    "longest_sentence": longest_sentence,
    "paragraph_words": paragraph_words,
    "questions": questions,
    "links": links,
    "exclamations": exclamations,
    "self_ratio": self_ratio,
    "self_surplus": self_surplus,
    "hashtags": hashtags,
}
