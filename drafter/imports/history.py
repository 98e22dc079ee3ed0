"""Imported facts the contact history can start from: `connected_on` as "connected" Events.

`drafter import linkedin` stores LinkedIn's "Connected On" in the roster as
`connected_on: {linkedin: 2024-10-02}` (one date per platform). The history store can add these
Events to a contact's Relationship, so `accepted("linkedin")` is true for an imported
connection without the user logging it by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from drafter.core.contacts import Contact
from drafter.core.relationship import Event


def connected_events(contact: Contact) -> list[Event]:
    """One "connected" Event per platform with an ISO date; other values are left alone."""
    value = contact.extra.get("connected_on")
    if not isinstance(value, Mapping):
        return []
    events = []
    for platform, when in value.items():
        try:
            day = date.fromisoformat(str(when))
        except ValueError:
            continue
        events.append(Event(kind="connected", at=day, platform=str(platform)))
    return sorted(events, key=lambda e: (e.at, e.platform or ""))
