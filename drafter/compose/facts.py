"""Facts that fit the sentence: roster text normalised in Python before any template sees it.

Templates only place phrases; the grammar is decided here, where it can be tested: a question
title keeps its "?", a role gets "a", "an" or "the" (and "of" for one-of-a-kind roles), day and
month names get capitals, notes about the reader in the third person become second person, and a
`how_we_met` or `common_ground` fragment that cannot be read after "we met" / as a sentence is
left out with a warning instead of being pasted in.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from drafter.compose.filters import OfferMatch, lower_first, match_offer, stems, with_article
from drafter.core.contacts import Activity, Contact, Sender
from drafter.core.relationship import Relationship

_DAYS = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_DAY_RX = re.compile(r"\b(" + "|".join(_DAYS) + r")\b")
_PREPOSITIONS = frozenset(
    [
        "at",
        "in",
        "on",
        "through",
        "via",
        "during",
        "after",
        "when",
        "while",
        "over",
        "from",
        "last",
        "this",
        "back",
        "online",
        "earlier",
        "before",
        "years",
    ]
)
_DETERMINERS = frozenset(
    [
        "the",
        "a",
        "an",
        "our",
        "my",
        "your",
        "their",
        "his",
        "her",
        "this",
        "that",
        "these",
        "those",
        "last",
        "every",
        "each",
        "one",
        "two",
        "some",
    ]
)
_EVENT_NOUNS = [
    "league",
    "meetup",
    "conference",
    "workshop",
    "club",
    "summit",
    "festival",
    "fair",
    "class",
    "course",
    "day",
    "party",
    "hackathon",
    "camp",
    "group",
    "dinner",
    "event",
    "sprint",
    "retreat",
    "seminar",
    "lecture",
    "school",
]
_UNIQUE_ROLES = frozenset(
    [
        "owner",
        "founder",
        "co-founder",
        "cofounder",
        "ceo",
        "cto",
        "coo",
        "cfo",
        "president",
        "proprietor",
    ]
)
_IRREGULAR_PAST = frozenset(
    [
        "grew",
        "went",
        "ran",
        "studied",
        "lived",
        "worked",
        "moved",
        "met",
        "taught",
        "wrote",
        "built",
        "left",
        "came",
        "spent",
        "played",
        "sang",
        "swam",
        "rode",
        "began",
    ]
)
_VERB_TO_YOU = {"is": "are", "was": "were", "has": "have", "does": "do", "goes": "go"}


def capitalise_names(text: str) -> str:
    """Day and month names are proper nouns: "sunday softball league" -> "Sunday softball..."."""
    return _DAY_RX.sub(lambda m: m.group(1).capitalize(), text)


def bare(text: str) -> str:
    return str(text).strip().rstrip(".;:, ").strip()


def _you_verb(word: str) -> str:
    low = word.lower()
    if low in _VERB_TO_YOU:
        return _VERB_TO_YOU[low]
    if low.endswith("ies") and len(low) > 4:
        return low[:-3] + "y"
    if low.endswith(("ches", "shes", "sses", "xes")):
        return low[:-2]
    if low.endswith("s") and not low.endswith("ss"):
        return low[:-1]
    return low


def second_person(text: str, first_name: str = "") -> str:
    """Notes written about the reader ("his daughter's team", "she runs it") addressed to them."""
    out = text
    if first_name:
        out = re.sub(rf"\b{re.escape(first_name)}'s\b", "your", out)
    out = re.sub(
        r"\b(?:he|she) (\w+)",
        lambda m: "you " + _you_verb(m.group(1)),
        out,
        flags=re.I,
    )
    out = re.sub(r"\b(?:he|she)'s\b", "you're", out, flags=re.I)
    out = re.sub(r"\bhis\b", "your", out, flags=re.I)
    out = re.sub(r"\bher(?= \w)", "your", out)
    out = re.sub(r"\b(?:him|her)\b", "you", out)
    out = re.sub(r"\b(?:himself|herself)\b", "yourself", out)
    if out[:1].islower() and text[:1].isupper():
        out = out[:1].upper() + out[1:]
    return out


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def sentence(text: str) -> str:
    text = upper_first(str(text).strip())
    return text if text.endswith((".", "!", "?")) else text + "."


@dataclass(frozen=True)
class ActivityView:
    """One thing they made, ready for sentences: `title` keeps its "?" and capitals."""

    kind: str
    title: str
    url: str | None
    takeaway: str | None  # a phrase: "holding one-to-ones on a walk"
    is_question: bool

    @property
    def ref(self) -> str:
        return f'your {self.kind} "{self.title}"'


@dataclass
class Facts:
    """Everything a template may say about a contact, already in grammatical form."""

    first: str
    job: str = ""  # "a staff data engineer at Tidewater", "the owner of Tanaka Bread"
    employer: str = ""
    met: bool = False  # we have met (roster or history)
    met_where: str = ""  # reads after "we met": "at the Sunday softball league"
    common: list[str] = field(default_factory=list)  # whole sentences: "We both grew up in Accra."
    side: list[str] = field(default_factory=list)  # clauses: "you're working on a pixel font"
    interests: list[str] = field(default_factory=list)
    activity: ActivityView | None = None
    reason: str = ""  # a whole sentence in the sender's words
    because: str = ""  # the same as a clause after "because", or "" when it is not a clause
    question: str = ""  # one question, ending in "?"
    thanks_for: str = ""  # reads after "thank you for"
    why_meet: str = ""  # intro_ask: why this contact should meet the other, said to them
    why_pair: str = ""  # intro: why the two should meet, from either side's roster entry
    replied: bool = False
    accepted: bool = False
    sent: bool = False
    offer: OfferMatch | None = None
    seed: int = 0  # a stable number per contact: which phrasing a macro uses
    bio_relates: bool = False  # the sender's bio shares a real word with their facts
    warnings: list[str] = field(default_factory=list)

    def choose(self, *options: str) -> str:
        """One of several phrasings, the same for this contact on every run."""
        return self.pick(list(options))

    def pick(self, options: list[str], slot: object = 0) -> str:
        """One phrasing per slot, chosen by a stable hash of the contact, the slot and the pool.

        Hashing the pool as well as the contact makes each slot's choice independent of the
        others, so two drafts that share one phrasing rarely share the next one too.
        """
        if not options:
            return ""
        key = f"{self.seed}\0{slot}\0{options[0]}\0{len(options)}".encode()
        return options[int.from_bytes(hashlib.sha256(key).digest()[:4], "big") % len(options)]

    @property
    def personal(self) -> bool:
        """The sender has said why they write: a reason or a takeaway."""
        return bool(self.reason or (self.activity and self.activity.takeaway))


def met_phrase(text: str, first_name: str = "") -> str | None:
    """how_we_met as it reads after "we met"; None when it does not."""
    t = second_person(capitalise_names(bare(text)), first_name)
    words = t.split()
    if not words:
        return None
    head = words[0].lower()
    if head == "met" and len(words) > 1:
        return met_phrase(" ".join(words[1:]), first_name)
    if head == "introduced" and len(words) > 2 and words[1].lower() == "by":
        return "through " + " ".join(words[2:])
    if head in _PREPOSITIONS:
        rest = words[1:]
        if (
            head in ("at", "in", "during")
            and rest
            and rest[0].lower() not in _DETERMINERS
            and not rest[0][:1].isdigit()
            and any(w.lower().rstrip(",") in _EVENT_NOUNS for w in rest[:4])
            and not all(w[:1].isupper() for w in rest if w.lower() not in _DAYS)
        ):
            return f"{words[0]} the {' '.join(rest)}"
        return t
    if words[0][:1].isupper():
        return f"at {t}"
    if any(w.lower() in _EVENT_NOUNS for w in words[:4]) and head not in _IRREGULAR_PAST:
        return f"at the {t}" if head not in _DETERMINERS else f"at {t}"
    return None


def common_sentence(text: str, first_name: str = "") -> str | None:
    """One common-ground item as a whole sentence, or None when it cannot be one."""
    t = second_person(capitalise_names(bare(text)), first_name)
    words = t.split()
    if not words:
        return None
    head = words[0].lower()
    if head == "we" and len(words) > 1:
        return sentence(t)
    if head == "both" and len(words) > 1:
        return sentence("We both " + " ".join(words[1:]))
    if head in _IRREGULAR_PAST or (head.endswith("ed") and len(head) > 4) or head in ("love",):
        return sentence("We both " + t)
    if head.endswith("ing") and len(head) > 4:
        return sentence("We're both " + t)
    if head in ("a", "an") or head == "our":
        return sentence("We share " + t)
    return None


def side_clause(text: str, first_name: str = "") -> str:
    t = lower_first(second_person(bare(text), first_name))
    head = t.split(" ", 1)[0].lower()
    if head.endswith("ing") and len(head) > 4:
        return f"you're {t}"
    return f"you're working on {t}"


_CLAUSE_STARTS = frozenset(
    [
        "i",
        "i'm",
        "i've",
        "i'd",
        "i'll",
        "we",
        "we're",
        "we've",
        "we'd",
        "our",
        "my",
        "you",
        "you're",
        "your",
        "it",
        "it's",
        "this",
        "there",
        "they",
        "their",
        "someone",
    ]
)


def reason_forms(text: str, first_name: str = "") -> tuple[str, str]:
    """(whole sentence, clause after "because" or "")."""
    # the sender's own words: "she" there is someone else, so no second-person rewrite
    t = capitalise_names(str(text).strip())
    whole = sentence(t)
    head = t.split(" ", 1)[0]
    clause = ""
    if head.lower() in _CLAUSE_STARTS or (
        head[:1].isupper() and head.lower() not in ("the", "a", "an")
    ):
        clause = t.rstrip(".!").strip()
        if head.lower() in _CLAUSE_STARTS and not (head == "I" or head.startswith(("I'", "I’"))):
            clause = clause[:1].lower() + clause[1:]
    return whole, clause


def activity_view(act: Activity, first_name: str = "") -> ActivityView:
    # inner double quotes would close the quotes the title sits in
    title = str(act.title).strip().rstrip(".;:, ").strip().replace('"', "'")
    takeaway = None
    if act.takeaway:
        takeaway = lower_first(second_person(bare(act.takeaway), first_name))
    return ActivityView(
        kind=act.kind,
        title=title,
        url=act.url,
        takeaway=takeaway,
        is_question=title.endswith("?"),
    )


_SELF = frozenset(
    {"self-employed", "self employed", "freelance", "freelancer", "independent", "none", "n/a", "-"}
)


def job_phrase(role: str | None, company: str | None) -> tuple[str, str]:
    """("an SRE at Pallet Cloud", "Pallet Cloud"); one-of-a-kind roles take "the ... of"."""
    employer = company if company and bare(company).lower() not in _SELF else ""
    text = lower_first(bare(role)) if role else ""
    if not any(ch.isalnum() for ch in text):  # no role, or punctuation only (".", "-")
        return (f"at {employer}" if employer else ""), employer
    last = text.split()[-1].lower()
    if last in _UNIQUE_ROLES or text.split()[0].lower() in ("head",):
        if employer:
            joiner = "of" if last in _UNIQUE_ROLES else "at"
            return f"the {text} {joiner} {employer}", employer
        return with_article(text), employer
    return (with_article(text) + (f" at {employer}" if employer else "")), employer


def build_facts(
    contact: Contact,
    sender: Sender | None = None,
    *,
    other: Contact | None = None,
    history: Relationship | None = None,
    platform: str | None = None,
) -> Facts:
    first = contact.first_name
    job, employer = job_phrase(contact.role, contact.company)
    seed = int.from_bytes(hashlib.sha256(contact.id.encode()).digest()[:4], "big")
    facts = Facts(first=first, job=job, employer=employer, seed=seed)
    who = f"contact '{contact.id}'"
    if contact.how_we_met:
        where = met_phrase(contact.how_we_met, first)
        if where is None:
            facts.warnings.append(
                f"{who}: how_we_met '{contact.how_we_met}' does not read after \"we met\"; "
                "write it as 'at ...', 'through ...' or 'on ...' (left out)"
            )
        else:
            facts.met_where = where
        facts.met = True
    if history is not None and history.met:
        facts.met = True
    for item in contact.common_ground:
        made = common_sentence(item, first)
        if made is None:
            facts.warnings.append(
                f"{who}: common_ground '{item}' is not a sentence we can finish; start it with "
                "'both ...', 'we ...' or a verb like 'grew up in ...' (left out)"
            )
        else:
            facts.common.append(made)
    facts.side = [side_clause(s, first) for s in contact.side_projects]
    facts.interests = [capitalise_names(bare(i)) for i in contact.interests]
    if contact.recent_activity:
        facts.activity = activity_view(contact.recent_activity[0], first)
    if contact.reason:
        facts.reason, facts.because = reason_forms(contact.reason, first)
    if contact.question:
        q = upper_first(contact.question.strip().rstrip(". "))
        facts.question = q if q.endswith("?") else q + "?"
    if contact.thanks_for:
        facts.thanks_for = lower_first(second_person(bare(contact.thanks_for), first))
    if other is not None:
        own = contact.intros.get(other.id)
        why = own or other.intros.get(contact.id)
        if own:
            facts.why_meet = sentence(capitalise_names(own.strip()))
        if why:
            facts.why_pair = sentence(capitalise_names(why.strip()))
    if history is not None:
        facts.replied = history.replied
        facts.accepted = history.accepted(platform)
        facts.sent = bool(history.sent)
    if sender is not None:
        facts.offer = match_offer(sender.offers, contact)
        facts.bio_relates = _bio_relates(sender, contact)
    return facts


_BIO_GENERIC = frozenset(stems("data work people team small new build builds who the engineer"))


def _bio_relates(sender: Sender, contact: Contact) -> bool:
    mine = set(stems(" ".join(t for t in (sender.about, sender.role) if t))) - _BIO_GENERIC
    theirs: set[str] = set()
    texts = [*contact.interests, *contact.side_projects, contact.role or "", contact.company or ""]
    texts += [a.title for a in contact.recent_activity]
    for text in texts:
        theirs |= set(stems(text))
    return bool(mine & theirs)


def roster_warnings(contacts: list[Contact]) -> list[str]:
    """Fields that cannot fit their sentence, found when the roster is loaded."""
    out: list[str] = []
    for contact in contacts:
        out.extend(build_facts(contact).warnings)
    return out
