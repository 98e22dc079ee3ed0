"""Never invent: which event-claiming phrases a draft contains, and whether the facts support them.

The phrases are data (claims.yaml next to this module); the support comes from the roster
(`how_we_met`, `thanks_for`) and the shared history record (drafter.core.relationship). Text the
user wrote into the roster is masked first: their own words may say what they like.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from drafter.core.contacts import Contact
from drafter.core.relationship import Relationship

CLAIMS_FILE = Path(__file__).with_name("claims.yaml")
NEEDS = ("met", "spoke", "replied", "accepted", "sent", "never")


@dataclass(frozen=True)
class Claim:
    id: str
    needs: str
    patterns: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class Invented:
    """A phrase in a draft that claims an event nothing in the data supports."""

    claim: str
    needs: str
    text: str


@cache
def load_claims() -> tuple[Claim, ...]:
    data = yaml.safe_load(CLAIMS_FILE.read_text(encoding="utf-8"))
    out = []
    for item in data["claims"]:
        if item["needs"] not in NEEDS:
            raise ValueError(f"{CLAIMS_FILE}: claim {item['id']}: unknown needs {item['needs']}")
        patterns = tuple(re.compile(p, re.I) for p in item["patterns"])
        out.append(Claim(item["id"], item["needs"], patterns))
    return tuple(out)


def support(contact: Contact, history: Relationship | None, platform: str | None) -> set[str]:
    """The kinds of event the roster and the history say happened with this contact."""
    thanks_for = bool(contact.extra.get("thanks_for") or getattr(contact, "thanks_for", None))
    met = bool(contact.how_we_met) or bool(history and history.met)
    replied = bool(history and history.replied) or thanks_for
    accepted = bool(history and history.accepted(platform)) or thanks_for
    sent = bool(history and history.sent)
    have = {
        "met": met,
        "spoke": met or bool(history and history.spoken),
        "replied": replied,
        "accepted": accepted,
        "sent": sent,
    }
    return {k for k, v in have.items() if v}


def _own_words(contact: Contact) -> list[str]:
    texts: list[str] = []
    for name in ("how_we_met", "notes", "reason", "question", "thanks_for"):
        value = getattr(contact, name, None) or contact.extra.get(name)
        if isinstance(value, str):
            texts.append(value)
    texts += contact.common_ground
    for act in contact.recent_activity:
        texts.append(act.title)
        takeaway = getattr(act, "takeaway", None)
        if takeaway:
            texts.append(takeaway)
    return texts


def mask_own_words(text: str, contact: Contact) -> str:
    for own in sorted(_own_words(contact), key=len, reverse=True):
        core = own.strip().rstrip(".!?;:, ")
        if len(core) >= 8:
            text = re.sub(re.escape(core), "<own words>", text, flags=re.I)
    return text


def unsupported_claims(
    text: str, contact: Contact, history: Relationship | None = None, platform: str | None = None
) -> list[Invented]:
    have = support(contact, history, platform)
    masked = mask_own_words(text, contact)
    found = []
    for claim in load_claims():
        if claim.needs in have:
            continue
        for pattern in claim.patterns:
            match = pattern.search(masked)
            if match:
                found.append(Invented(claim.id, claim.needs, match.group(0)))
                break
    return found
