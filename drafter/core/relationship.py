"""What has happened between the sender and one contact: the facts a draft may claim.

The history store (drafter.history) builds a `Relationship` from logged events; the roster can
add what the user wrote down by hand (`how_we_met` says we met). Templates and the linter read
only this record, so "never invent" has one source of truth: a sentence that claims an event is
rendered only when a property here says it happened.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

EVENT_KINDS = ("sent", "reply", "accepted", "met", "connected")
REPLY_KINDS = ("positive", "neutral", "negative", "auto", "wrong-person")


@dataclass(frozen=True)
class Event:
    """One thing that happened: a message sent or received, an accept, a meeting."""

    kind: str  # one of EVENT_KINDS
    at: date
    platform: str | None = None
    stage: str | None = None  # for sent messages
    reply_kind: str | None = None  # for replies, one of REPLY_KINDS
    text: str | None = None  # the message sent, or a note (what they replied about, where we met)
    template: str | None = None
    variant: str | None = None


@dataclass(frozen=True)
class Relationship:
    """Events with one contact, oldest first, across every platform."""

    contact_id: str
    events: tuple[Event, ...] = field(default_factory=tuple)

    def _of(self, kind: str) -> list[Event]:
        return [e for e in self.events if e.kind == kind]

    @property
    def sent(self) -> list[Event]:
        return self._of("sent")

    @property
    def replies(self) -> list[Event]:
        """Real replies: an auto-reply is not an answer from the person."""
        return [e for e in self._of("reply") if e.reply_kind != "auto"]

    @property
    def last_sent(self) -> Event | None:
        sent = self.sent
        return sent[-1] if sent else None

    @property
    def last_reply(self) -> Event | None:
        replies = self.replies
        return replies[-1] if replies else None

    @property
    def replied(self) -> bool:
        return bool(self.replies)

    @property
    def met(self) -> bool:
        return bool(self._of("met"))

    def accepted(self, platform: str | None = None) -> bool:
        """A connection accepted or a follow back (on that platform, when one is named)."""
        return any(
            platform is None or e.platform == platform
            for e in self.events
            if e.kind in ("accepted", "connected")
        )

    @property
    def spoken(self) -> bool:
        """We have exchanged messages: they replied, or we met."""
        return self.replied or self.met

    @property
    def unanswered(self) -> list[Event]:
        """Messages sent since their last response on any platform: a real reply, or an accepted
        connection (which answers the request). Events are in order, so a message logged after
        their reply on the same day counts as unanswered."""
        out: list[Event] = []
        for event in self.events:
            if event.kind == "sent":
                out.append(event)
            elif event.kind in ("accepted", "connected") or (
                event.kind == "reply" and event.reply_kind != "auto"
            ):
                out = []
        return out

    @property
    def last_contact(self) -> date | None:
        """The last time anything passed between us, in either direction."""
        dates = [e.at for e in self.events if e.kind in ("sent", "reply", "met")]
        return max(dates) if dates else None

    @property
    def responses(self) -> list[Event]:
        """Real replies and accepted connections: what restarts the unanswered count."""
        return [
            e
            for e in self.events
            if e.kind in ("accepted", "connected") or (e.kind == "reply" and e.reply_kind != "auto")
        ]

    def sent_since(self, when: date | None, stage: str | None = None) -> list[Event]:
        """Messages sent on or after a date (every message when None), of one stage if named."""
        return [
            e
            for e in self.sent
            if (when is None or e.at >= when) and (stage is None or e.stage == stage)
        ]

    @property
    def last_spoken(self) -> Event | None:
        """When and where we last spoke: their latest real reply or our latest meeting."""
        spoken = [e for e in self.events if e.kind == "met" or e in self.replies]
        return spoken[-1] if spoken else None
