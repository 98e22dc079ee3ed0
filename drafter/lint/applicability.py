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
