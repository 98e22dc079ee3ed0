"""How alike are drafts to different people, and how many claim or mangle something?

For every platform/stage, render the roster (stable variant choice per contact, as `drafter
draft` does), mask each contact's own facts, and report:
  jaccard   mean pairwise token Jaccard between drafts to different people (hand-written notes
            score about 0.16; the target is <= 0.35)
  repeated  share of masked sentences (4+ words) that appear word for word in another
            recipient's draft (target <= 30%)
  claims    drafts with an event claim the facts do not support (drafter/compose/claims.yaml)
  defects   drafts with a grammar defect from tests/data/defects.yaml
Usage: python bench/sameness.py [--roster FILE] [--me FILE] [--history]
`--history` renders with a Relationship where the contact replied, accepted and met us.
"""

from __future__ import annotations

import argparse
import inspect
import itertools
import re
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from drafter.compose.catalog import load_catalog
from drafter.compose.claims import unsupported_claims
from drafter.compose.render import Renderer
from drafter.core.contacts import Contact, Sender, load_roster, load_sender
from drafter.core.errors import DrafterError
from drafter.core.relationship import Event, Relationship

REPO = Path(__file__).resolve().parents[1]
ROSTER = REPO / "tests" / "data" / "rosters" / "varied.yaml"
ME = REPO / "examples" / "me.yaml"
DEFECTS = REPO / "tests" / "data" / "defects.yaml"
_TOKEN = re.compile(r"<fact>|[^\W_]+(?:'[^\W_]+)?")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass(frozen=True)
class Defect:
    id: str
    pattern: str
    skip_stages: tuple[str, ...] = ()

    def search(self, text: str, contact: Contact, stage: str) -> str | None:
        if stage in self.skip_stages:
            return None
        rx = self.pattern.replace("{first}", re.escape(contact.first_name))
        match = re.search(rx, text)
        return match.group(0) if match else None


def load_defects(path: Path = DEFECTS) -> list[Defect]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Defect(d["id"], d["pattern"], tuple(d.get("skip_stages") or ())) for d in data["defects"]
    ]


@dataclass
class Stats:
    drafts: int = 0
    jaccard: float = 0.0
    repeated: float = 0.0
    claims: int = 0
    defects: int = 0
    refused: int = 0
    examples: list[str] = field(default_factory=list)


def fact_strings(contact: Contact) -> list[str]:
    texts = [contact.name, contact.first_name, contact.last_name]
    texts += [t for t in (contact.company, contact.role, contact.location) if t]
    texts += [t for t in (contact.how_we_met, contact.notes) if t]
    texts += [*contact.common_ground, *contact.side_projects, *contact.interests]
    for act in contact.recent_activity:
        texts.append(act.title)
        texts.extend(t for t in (getattr(act, "takeaway", None), act.url) if t)
    texts.extend(contact.intros.values())
    for name in ("reason", "question", "thanks_for"):
        value = getattr(contact, name, None) or contact.extra.get(name)
        if isinstance(value, str):
            texts.append(value)
    return [t for t in texts if t]


def mask(text: str, contact: Contact, other: Contact | None = None) -> str:
    """Replace the contact's own facts with one token, longest first, ignoring case."""
    facts = fact_strings(contact) + (fact_strings(other) if other else [])
    for fact in sorted({f.strip().rstrip(".!?") for f in facts}, key=len, reverse=True):
        if len(fact) >= 2:
            text = re.sub(re.escape(fact), "<fact>", text, flags=re.I)
        # a fact shortened with an ellipsis, or its first words
        if len(fact) > 30:
            text = re.sub(re.escape(fact[:25]) + r"[^\"\n]*", "<fact>", text, flags=re.I)
    return text


def tokens(text: str) -> set[str]:
    return {t.lower() for t in _TOKEN.findall(text)}


def sentences(text: str) -> list[str]:
    out = []
    for s in _SENTENCE.split(text):
        s = " ".join(s.split())
        if len(_TOKEN.findall(s)) >= 4:
            out.append(s.lower())
    return out


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def full_history(contact: Contact) -> Relationship:
    day = date(2026, 11, 1)
    return Relationship(
        contact.id,
        (
            Event("met", day),
            Event("sent", day, platform=None, stage="connect"),
            Event("accepted", day),
            Event("reply", day, reply_kind="positive"),
        ),
    )


def _partner(contacts: list[Contact], contact: Contact) -> Contact:
    """The contact this one has an intro reason for, else the next one in the roster."""
    by_id = {c.id: c for c in contacts}
    for other_id in contact.intros:
        if other_id in by_id:
            return by_id[other_id]
    for other in contacts:
        if contact.id in other.intros:
            return other
    return contacts[(contacts.index(contact) + 1) % len(contacts)]


def render(
    renderer: Renderer,
    platform: str,
    stage: str,
    contact: Contact,
    sender: Sender,
    other: Contact | None,
    history: Relationship | None,
) -> Any:
    kwargs: dict[str, Any] = {"other": other}
    if "history" in inspect.signature(renderer.render).parameters:
        kwargs["history"] = history
    return renderer.render(platform, stage, contact, sender, **kwargs)


def measure(
    contacts: list[Contact], sender: Sender, *, with_history: bool = False
) -> dict[tuple[str, str], Stats]:
    catalog = load_catalog()
    renderer = Renderer(catalog)
    defects = load_defects()
    out: dict[tuple[str, str], Stats] = {}
    for platform, stage in sorted(catalog.templates):
        stats = Stats()
        masked: list[tuple[str, str]] = []
        pairs_seen: set[frozenset[str]] = set()
        for contact in contacts:
            other = _partner(contacts, contact) if stage.startswith("intro") else None
            if stage == "intro" and other is not None:
                pair = frozenset((contact.id, other.id))
                if pair in pairs_seen:
                    continue  # one message to both: (A, B) and (B, A) are the same draft
                pairs_seen.add(pair)
            history = full_history(contact) if with_history else None
            try:
                draft = render(renderer, platform, stage, contact, sender, other, history)
            except DrafterError:
                stats.refused += 1
                continue
            text = f"{draft.subject or ''}\n{draft.body}"
            stats.drafts += 1
            if unsupported_claims(text, contact, history, platform):
                stats.claims += 1
            hits = [d.id for d in defects if d.search(text, contact, stage)]
            if hits:
                stats.defects += 1
                stats.examples.append(f"{contact.id}: {', '.join(hits)}")
            masked.append((contact.id, mask(text, contact, other)))
        pairs = list(itertools.combinations(masked, 2))
        if pairs:
            stats.jaccard = sum(jaccard(tokens(a), tokens(b)) for (_, a), (_, b) in pairs) / len(
                pairs
            )
        seen: dict[str, set[str]] = {}
        for cid, text in masked:
            for s in sentences(text):
                seen.setdefault(s, set()).add(cid)
        total = sum(len(sentences(text)) for _, text in masked)
        repeated = sum(1 for _, text in masked for s in sentences(text) if len(seen[s]) > 1)
        stats.repeated = repeated / total if total else 0.0
        out[(platform, stage)] = stats
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roster", type=Path, default=ROSTER)
    parser.add_argument("--me", type=Path, default=ME)
    parser.add_argument("--history", action="store_true")
    parser.add_argument("--verbose", "-v", action="store_true")
    args = parser.parse_args(argv)
    contacts = load_roster(args.roster)
    sender = load_sender(args.me)
    results = measure(contacts, sender, with_history=args.history)
    print(
        f"{'template':22} {'drafts':>6} {'refused':>7} {'jaccard':>7} {'repeat':>6} "
        f"{'claims':>6} {'defects':>7}"
    )
    for (platform, stage), s in results.items():
        print(
            f"{platform + '/' + stage:22} {s.drafts:6d} {s.refused:7d} {s.jaccard:7.2f} "
            f"{s.repeated:6.0%} {s.claims:6d} {s.defects:7d}"
        )
        if args.verbose:
            for ex in s.examples:
                print(f"    {ex}")
    rows = [s for s in results.values() if s.drafts >= 2]
    drafts = sum(s.drafts for s in results.values())
    mean_j = sum(s.jaccard * s.drafts for s in rows) / max(1, sum(s.drafts for s in rows))
    mean_r = sum(s.repeated * s.drafts for s in rows) / max(1, sum(s.drafts for s in rows))
    worst_j = max((s.jaccard for s in rows), default=0.0)
    worst_r = max((s.repeated for s in rows), default=0.0)
    print(
        f"\n{drafts} drafts, {sum(s.refused for s in results.values())} refused; "
        f"weighted jaccard {mean_j:.2f} (worst {worst_j:.2f}), "
        f"repeated sentences {mean_r:.0%} (worst {worst_r:.0%}); "
        f"drafts with invented claims {sum(s.claims for s in results.values())}, "
        f"with grammar defects {sum(s.defects for s in results.values())}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
