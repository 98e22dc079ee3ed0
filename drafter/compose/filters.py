"""Jinja filters: small text helpers that make a fact fit the sentence it is placed in."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
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
    """For a fact used mid-sentence; keeps acronyms, names and Title Case text ("API", "PyCon",
    "Luleå University", "Director of Marketing") as written."""
    text = str(text).strip()
    words = text.split()
    if not words:
        return text
    first = words[0]
    if first == "I" or first.startswith(("I'", "I’")):
        return text
    if len(first) > 1 and (first.isupper() or any(c.isupper() for c in first[1:])):
        return text
    if any(w[:1].isupper() for w in words[1:]) or first.lower().startswith(_PROPER_ADJECTIVES):
        return text
    return text[:1].lower() + text[1:]


# Nationalities and regions stay capitalised as the first word of a role ("European patent
# attorney"); a dictionary would be better, this covers the common ones.
_PROPER_ADJECTIVES = tuple(
    [
        "european",
        "american",
        "african",
        "asian",
        "nordic",
        "scandinavian",
        "british",
        "english",
        "french",
        "german",
        "spanish",
        "italian",
        "dutch",
        "swedish",
        "norwegian",
        "danish",
        "finnish",
        "japanese",
        "chinese",
        "indian",
        "latin",
        "arab",
    ]
)


_AN_EXCEPTIONS = ("uni", "use", "usu", "eu", "one", "once", "ura", "uri", "uro")
_AN_SILENT_H = ("hour", "honest", "honou", "heir")


def with_article(text: str) -> str:
    """Roles are free text placed after "as": "a data engineer", "an engineering manager"."""
    text = lower_first(text)
    word = text.split(" ", 1)[0].lower() if text else ""
    if not word or word in ("a", "an", "the") or word.endswith("'s"):
        return text
    if word[:1].isdigit():
        vowel = word.startswith("8") or re.match(r"1[18](?:\D|$|\d{3}(?!\d))", word) is not None
    elif text.split(" ", 1)[0].isupper() and len(word) > 1:
        vowel = word[0] in "aefhilmnorsx"  # an API, an SRE, an MBA: the letter's name
    else:
        vowel = word[0] in "aeiou" and not word.startswith(_AN_EXCEPTIONS)
        vowel = vowel or word.startswith(_AN_SILENT_H)
    return f"{'an' if vowel else 'a'} {text}"


_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "of",
        "for",
        "to",
        "in",
        "on",
        "at",
        "by",
        "with",
        "from",
        "into",
        "about",
        "your",
        "my",
        "our",
        "their",
        "its",
        "it",
        "this",
        "that",
        "how",
        "what",
        "why",
        "who",
        "is",
        "are",
        "was",
        "be",
        "we",
        "you",
        "i",
    ]
)
# Words too general to make an offer fit on their own ("data", "design"): a topic made only of
# these never matches.
_GENERIC = frozenset(
    [
        "data",
        "design",
        "open",
        "source",
        "repo",
        "project",
        "projects",
        "talk",
        "talks",
        "work",
        "team",
        "teams",
        "community",
        "tool",
        "tools",
        "code",
        "software",
        "people",
        "business",
        "small",
        "new",
    ]
)
# Role words that say nothing of the profession itself.
_ROLE_GENERIC = frozenset(
    [
        "senior",
        "junior",
        "staff",
        "lead",
        "head",
        "principal",
        "chief",
        "manager",
        "director",
        "owner",
        "student",
        "assistant",
        "associate",
        "intern",
        "the",
        "of",
        "at",
        "and",
        "a",
        "an",
        "independent",
        "freelance",
        "one",
        "person",
    ]
)
_SUFFIXES: tuple[str, ...] = ("ations", "ation", "ators", "ator", "ings", "ing", "ions", "ion")
_SUFFIXES += ("ers", "er", "ors", "or", "ies", "es", "s")
# Offers of expert judgement: never made to someone whose profession that judgement is.
# (A pull request to a maintainer is a contribution, not a service of their profession.)
_SERVICE_KINDS = frozenset({"review", "feedback", "advice", "help", "consulting", "coaching"})


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """A crude stem, enough to match "illustrator"/"illustration" and "pipelines"/"pipeline"."""
    w = word.lower().strip("'’")
    changed = True
    while changed:
        changed = False
        for suffix in _SUFFIXES:
            if w.endswith(suffix) and len(w) - len(suffix) >= 4:
                w = w[: -len(suffix)] + ("y" if suffix == "ies" else "")
                changed = True
                break
    return w


def stems(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(str(text)) if w.lower() not in _STOP]


@dataclass(frozen=True)
class OfferMatch:
    """An offer and the fact it fits, so the draft can say why it is offered."""

    offer: Offer
    topic: str
    field: str  # recent_activity, interests or side_projects
    fact: str  # the fact's text as written in the roster
    kind: str = ""  # the activity kind, for recent_activity

    @property
    def why(self) -> str:
        """A sentence saying why this offer fits them."""
        if self.field == "recent_activity":
            title = self.fact.rstrip(".")
            return f'I thought of you because of {self.topic} in your {self.kind} "{title}".'
        if self.field == "side_projects":
            return f"I thought of you because of {self.topic} in your side project."
        return f"I thought of you because you are interested in {self.topic}."


_GENERIC_STEMS = frozenset(stem(g) for g in _GENERIC)


def _own_profession(offer: Offer, contact: Contact) -> bool:
    role = {s for s in stems(contact.role or "") if s not in _ROLE_GENERIC}
    if not role or offer.kind not in _SERVICE_KINDS:
        return False
    return bool(role & set(stems(" ".join([offer.title, *offer.topics]))))


def match_offer(
    offers: Sequence[Offer], contact: Contact, kinds: Sequence[str] = ()
) -> OfferMatch | None:
    """The first offer whose declared topic appears, as whole words, in one of the contact's
    activities, interests or side projects. Every content word of the topic must be there, a
    topic of only general words never counts, and a service of the contact's own profession is
    never offered (no palette review for an illustrator). None when nothing fits."""
    facts: list[tuple[str, str, str, set[str]]] = []
    for act in contact.recent_activity:
        text = " ".join(t for t in (act.title, act.takeaway) if t)
        facts.append(("recent_activity", act.title, act.kind, set(stems(text))))
    for name in ("interests", "side_projects"):
        for item in getattr(contact, name):
            facts.append((name, item, "", set(stems(item))))
    best: tuple[int, OfferMatch] | None = None
    for offer in offers:
        if kinds and offer.kind not in kinds:
            continue
        if _own_profession(offer, contact):
            continue
        for topic in offer.topics:
            words = set(stems(topic))
            if not words or words <= _GENERIC_STEMS:
                continue
            for field_name, fact, kind, have in facts:
                if words <= have:
                    score = len(words)
                    if best is None or score > best[0]:
                        best = (score, OfferMatch(offer, topic, field_name, fact, kind))
                    break
    return best[1] if best else None


def pick_offer(
    offers: Sequence[Offer], contact: Contact, kinds: Sequence[str] = ()
) -> Offer | None:
    match = match_offer(offers, contact, kinds)
    return match.offer if match else None


def bare(text: str) -> str:
    """Drop trailing punctuation so a fact can sit inside a sentence."""
    return str(text).strip().rstrip(".!?;:, ")
