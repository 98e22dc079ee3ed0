"""Jinja filters: small text helpers that make a fact fit the sentence it is placed in."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from drafter.core.contacts import Contact, Offer


def first_name(name: str) -> str:
    return str(name).split()[0] if str(name).split() else ""


def join_and(items: Iterable[Any], conjunction: str = "and") -> str:
    words = [str(i) for i in items if str(i).strip()]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def truncate_words(text: str, limit: int, ellipsis: str = "…") -> str:
    """Shorten at a word boundary so a title never ends mid-word."""
    text = str(text).strip()
    if len(text) <= limit:
        return text
    cut = text[: max(0, limit - len(ellipsis))]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-") + ellipsis


def lower_first(text: str) -> str:
    """For a fact used mid-sentence; keeps acronyms and proper names ("API", "PyCon",
    "Luleå University") intact."""
    text = str(text).strip()
    words = text.split(" ", 2)
    first = words[0]
    if len(first) > 1 and (first.isupper() or any(c.isupper() for c in first[1:])):
        return text
    if first == "I" or first.startswith(("I'", "I’")):
        return text
    if len(words) > 1 and words[1][:1].isupper():
        return text
    return text[:1].lower() + text[1:]


_AN_EXCEPTIONS = ("uni", "use", "usu", "eu", "one", "once")
_AN_SILENT_H = ("hour", "honest", "honou", "heir")


def with_article(text: str) -> str:
    """Roles are free text placed after "as": "a data engineer", "an engineering manager"."""
    text = lower_first(text)
    word = text.split(" ", 1)[0].lower() if text else ""
    if not word or word in ("a", "an", "the") or word.endswith("'s"):
        return text
    if text.split(" ", 1)[0].isupper() and len(word) > 1:
        vowel = word[0] in "aefhilmnorsx"  # an API, an SRE, an MBA: the letter's name
    else:
        vowel = word[0] in "aeiou" and not word.startswith(_AN_EXCEPTIONS)
        vowel = vowel or word.startswith(_AN_SILENT_H)
    return f"{'an' if vowel else 'a'} {text}"


_WORD = re.compile(r"[^\W\d_]{4,}")


_COMMON = frozenset(
    {"about", "also", "both", "data", "from", "have", "into", "like", "more", "over", "some"}
    | {"that", "their", "them", "they", "this", "what", "when", "where", "which", "with", "your"}
)


def _stems(texts: Iterable[str]) -> set[str]:
    words = (w.lower() for t in texts for w in _WORD.findall(str(t)))
    return {w[:5] for w in words if w not in _COMMON}


def pick_offer(
    offers: Sequence[Offer], contact: Contact, kinds: Sequence[str] = ()
) -> Offer | None:
    """The sender's offer that shares the most words with the contact's facts, so an illustrator
    is not sent a Kafka article; None when nothing relates (templates then say nothing)."""
    pool = [o for o in offers if not kinds or o.kind in kinds]
    facts = _stems(text for _field, text in contact.facts())
    best: tuple[int, int] = (0, 0)
    chosen: Offer | None = None
    for index, offer in enumerate(pool):
        score = len(facts & _stems([offer.title, *offer.topics]))
        if score > best[0] or (score == best[0] and chosen is None and score > 0):
            best, chosen = (score, index), offer
    return chosen


def bare(text: str) -> str:
    """Drop trailing punctuation so a fact can sit inside a sentence."""
    return str(text).strip().rstrip(".!?;:, ")
