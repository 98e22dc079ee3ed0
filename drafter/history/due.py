"""What to send next to one person, from what has happened: the stage machine of a relationship.

connect (never contacted) -> thanks (after they accept or reply) -> question / value (after the
thank-you) ... A message without a reply may get one follow-up once the wait has passed; after two
unanswered messages in a row, on any platform, let them go. Any real reply (or an accepted
connection) restarts the count. When nothing has passed either way for N months: reconnect.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from drafter.core.relationship import Event, Relationship

# What to do, first things first: answer people who answered, then follow-ups, then reconnects.
ACTIONS = ("thanks", "follow_up", "question", "value", "connect", "reconnect", "wait", "let_go")
DRAFTABLE = {"connect", "thanks", "question", "value", "follow_up", "reconnect"}


@dataclass(frozen=True)
class DueSettings:
    follow_up_days: Mapping[str, int]
    reconnect_months: int = 6

    def wait(self, platform: str | None) -> int:
        days = self.follow_up_days
        return days.get(platform or "", days.get("default", 10))


DEFAULT_SETTINGS = DueSettings({"default": 10})


@dataclass(frozen=True)
class Step:
    """The next thing to do for one contact, and why."""

    contact: str
    action: str  # one of ACTIONS; a stage to draft when in DRAFTABLE
    reason: str
    platform: str | None = None  # where the last message went, when it matters
    due: date | None = None  # when it became (or becomes) due

    @property
    def stage(self) -> str | None:
        return self.action if self.action in DRAFTABLE else None


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover: 28 always exists


def _describe(events: list[Event]) -> str:
    return ", ".join(f"{e.at.isoformat()} on {e.platform or '?'}" for e in events)


def next_step(rel: Relationship, today: date, settings: DueSettings = DEFAULT_SETTINGS) -> Step:
    who = rel.contact_id
    unanswered = rel.unanswered
    responses = rel.responses
    if len(unanswered) >= 2:
        since = "since their last reply" if rel.replied else "and no reply ever"
        return Step(
            who,
            "let_go",
            f"{len(unanswered)} messages unanswered in a row ({_describe(unanswered[-2:])}) {since}",
            unanswered[-1].platform,
            unanswered[-1].at,
        )
    last = rel.last_contact
    stale = last is not None and add_months(last, settings.reconnect_months) <= today
    if not rel.sent and not responses and not stale:
        reason = "met in person, never written to" if rel.met else "never contacted"
        return Step(who, "connect", reason)
    if last is not None and stale:
        months = settings.reconnect_months
        return Step(
            who,
            "reconnect",
            f"nothing either way since {last.isoformat()} ({months}+ months)",
            rel.last_sent.platform if rel.last_sent else None,
            add_months(last, months),
        )
    if len(unanswered) == 1:
        msg = unanswered[0]
        due = msg.at + timedelta(days=settings.wait(msg.platform))
        if msg.stage == "thanks":
            action, what = "question", "a question or something useful"
        else:
            action, what = "follow_up", "one follow-up"
        if due > today:
            return Step(
                who,
                "wait",
                f"{msg.stage or 'message'} of {msg.at.isoformat()} on {msg.platform or '?'} "
                f"unanswered; {what} due {due.isoformat()}",
                msg.platform,
                due,
            )
        return Step(
            who,
            action,
            f"{msg.stage or 'message'} of {msg.at.isoformat()} on {msg.platform or '?'} "
            f"unanswered for {(today - msg.at).days} days",
            msg.platform,
            due,
        )
    # Everything we sent has been answered (or they reached out first).
    first = responses[0] if responses else None
    latest = responses[-1] if responses else None
    thanked = first is not None and any(e.stage == "thanks" for e in rel.sent_since(first.at))
    if latest is not None and not thanked:
        what = "accepted" if latest.kind in ("accepted", "connected") else "replied"
        return Step(
            who,
            "thanks",
            f"{what} on {latest.at.isoformat()}"
            + (f" ({latest.platform})" if latest.platform else ""),
            latest.platform,
            latest.at,
        )
    asked = [e for e in rel.sent if e.stage in ("question", "value")]
    action = "value" if asked and asked[-1].stage == "question" else "question"
    when = latest.at.isoformat() if latest else "?"
    return Step(
        who,
        action,
        f"in conversation; they last answered on {when}",
        None,
        latest.at if latest else None,
    )


def order(steps: list[Step]) -> list[Step]:
    """What to do first: by action, then the longest overdue first."""
    rank = {a: i for i, a in enumerate(ACTIONS)}
    return sorted(steps, key=lambda s: (rank[s.action], s.due or date.max, s.contact))


def stage_reached(rel: Relationship) -> str:
    """The furthest point of the relationship, for `status`."""
    if rel.replied:
        return "replied"
    if rel.accepted():
        return "accepted"
    if rel.met:
        return "met"
    if rel.sent:
        return "contacted"
    return "none"
