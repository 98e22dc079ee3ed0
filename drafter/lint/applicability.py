"""Whether a fix is safe to apply unattended, as ruff marks its fixes: safe or unsafe.

A fix must never make a message worse. Deleting a whole sentence is safe only when that sentence
holds nothing but the flagged phrase and its connectives ("I just hope this finds you well."),
and when what is left still says something (a sentence of substance). A replacement is safe when
it is literal text, not a template to fill in ("ask you one question about ..."). Everything
else is offered, but only applied with `--unsafe-fixes`.
"""

from __future__ import annotations

import re

SAFE = "safe"
UNSAFE = "unsafe"
APPLICABILITIES = (SAFE, UNSAFE)

# Words that carry no content of their own around a stock phrase: "I just wanted to say ...".
_CONNECTIVES = """i i'm i’m we just and but so also really very truly sincerely that again anyway
first firstly of all well oh ok okay here now today to wanted want a the this is am was please
still only simply quickly quick note hi hello hey dear"""
CONNECTIVES = frozenset(_CONNECTIVES.split())
_WORD = re.compile(r"[^\W\d_][\w'’-]*|\d+")
_CLOSING = re.compile(
    r"\b(?:let\s+me\s+know|looking\s+forward|earliest\s+convenience|thanks|thank\s+you|"
    r"best|regards|cheers|sincerely|hear\s+from\s+you|talk\s+soon)\b",
    re.I,
)
_TEMPLATE = re.compile(r"\.\.\.|…|\[|\]|\{|\}|<|>")
SUBSTANCE_WORDS = 4


def only_connectives(sentence: str, phrase_start: int, phrase_end: int) -> bool:
    """The sentence minus the flagged phrase is nothing but connectives and punctuation."""
    rest = sentence[:phrase_start] + " " + sentence[phrase_end:]
    return all(w.lower() in CONNECTIVES for w in _WORD.findall(rest))


def has_substance(text: str) -> bool:
    """Some sentence or line still says something: enough words, not just a closing."""
    for piece in re.split(r"(?<=[.!?])\s+|\n+", text):
        words = _WORD.findall(piece)
        if len(words) >= SUBSTANCE_WORDS and not _CLOSING.search(piece):
            return True
    return False


def replacement_is_literal(replacement: str) -> bool:
    return bool(replacement.strip()) and _TEMPLATE.search(replacement) is None


def deletion_applicability(
    text: str, start: int, end: int, phrase_start: int, phrase_end: int
) -> str:
    """Deleting text[start:end] (which holds the phrase at phrase_start:phrase_end)."""
    removed = text[start:end]
    if not only_connectives(removed, phrase_start - start, phrase_end - start):
        return UNSAFE
    return SAFE if has_substance(text[:start] + text[end:]) else UNSAFE


# A connective that ties the phrase to the rest of its sentence: ", and", " but", " so".
_AFTER = re.compile(r"[ \t]*(?:[,;:]|—|–|-)?[ \t]*(?:(?:and|but|so|also)\b[ \t]*)?")


def narrow_deletion(
    text: str, sentence_start: int, sentence_end: int, phrase_start: int, phrase_end: int
) -> tuple[int, int, str]:
    """(start, end, replacement) that removes only the phrase and the connective tying it to the
    rest of its sentence, for a sentence that says more than the phrase: "Hi Ana, hope this
    finds you well and loved your talk." becomes "Hi Ana, loved your talk."; a phrase that
    opened the sentence leaves the next word capitalised."""
    after = _AFTER.match(text, phrase_end, sentence_end)
    end = after.end() if after is not None else phrase_end
    rest = text[end:sentence_end]
    start = phrase_start
    if not rest.strip(" \t.!?"):
        # The phrase closes the sentence: take the connective before it instead, keep the stop.
        return _before_connective(text, sentence_start, phrase_start), phrase_end, ""
    before = text[:sentence_start].rstrip(" \t")
    opened = not text[sentence_start:phrase_start].strip() and (
        not before or before[-1] in ".!?\n"  # not "Hi Ana, hope ...": that goes on in lower case
    )
    if opened and end < sentence_end and text[end].islower():
        return start, end + 1, text[end].upper()  # the phrase opened the sentence
    return start, end, ""


def _before_connective(text: str, sentence_start: int, phrase_start: int) -> int:
    """Where the connectives before a closing phrase start: "your talk, and I hope ..." -> ","."""
    k = phrase_start
    while True:
        while k > sentence_start and text[k - 1] in " \t":
            k -= 1
        w = k
        while w > sentence_start and (text[w - 1].isalpha() or text[w - 1] in "'’"):
            w -= 1
        if w == k or text[w:k].lower() not in CONNECTIVES:
            break
        k = w
    while k > sentence_start and text[k - 1] in " \t,;:—–-":
        k -= 1
    return k


_FUNCTION_START = frozenset(
    [
        "to",
        "of",
        "for",
        "in",
        "on",
        "at",
        "about",
        "with",
        "by",
        "from",
        "my",
        "your",
        "our",
        "the",
        "a",
        "an",
        "this",
        "that",
        "it",
    ]
)


def keeps_content(rest: str) -> bool:
    """What is left of a sentence says something of its own: it holds a detail (a capitalised
    word after the first, a number), or six words that do not open with a preposition or
    determiner ("to the top of your inbox" is a tail, not a sentence)."""
    words = _WORD.findall(rest)
    if any(w[:1].isdigit() for w in words) or any(w[:1].isupper() for w in words[1:]):
        return True
    return len(words) >= 6 and words[0].lower() not in _FUNCTION_START
