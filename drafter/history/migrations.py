"""The history schema as ordered migrations: version N is reached by running steps 1..N in order.

Only append: a released step never changes, so a file written by any older drafter upgrades by
running the steps it lacks. Plain portable SQL (no SQLite-only types), so a second backend can
follow.
"""

from __future__ import annotations

# Identifies a drafter history file to `file(1)` and to drafter itself ("DRFT").
APPLICATION_ID = 0x44524654

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: one table of events, one row per thing that happened.
    (
        "CREATE TABLE schema_version (version INTEGER NOT NULL)",
        "CREATE TABLE drafter_meta (name VARCHAR(64) PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            contact VARCHAR(200) NOT NULL,
            kind VARCHAR(20) NOT NULL,
            at VARCHAR(10) NOT NULL,
            platform VARCHAR(40),
            stage VARCHAR(40),
            reply_kind VARCHAR(20),
            text TEXT,
            template VARCHAR(200),
            variant VARCHAR(100)
        )""",
    ),
    # 2: the same message logged twice is recognised by its digest (contact + exact text).
    (
        "ALTER TABLE events ADD COLUMN digest VARCHAR(64)",
        "ALTER TABLE events ADD COLUMN source TEXT",
        "CREATE UNIQUE INDEX events_digest ON events (digest)",
    ),
    # 3: status and due read one contact's events in order.
    ("CREATE INDEX events_contact ON events (contact, at, id)",),
    # 4: a sent message's copy-paste sketch (LSH band keys of its masked words), made once when
    # it is logged, so checking a draft against 100k sent messages never re-reads their text.
    ("ALTER TABLE events ADD COLUMN sketch BLOB",),
)

LATEST = len(MIGRATIONS)
