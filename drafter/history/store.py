"""The history database: the one module that speaks SQL.

Everything else asks through `Store` (record events, a contact's `Relationship`, outcomes for
stats, export, forget). The file is SQLite from the standard library: created 0600 in the user's
data folder, in WAL mode with a busy timeout so two processes logging at once both land, every
write one transaction. A file that is not ours, is damaged, or comes from a newer drafter is
refused with one line and never written to.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from drafter.core.errors import DrafterError
from drafter.core.relationship import Event, Relationship
from drafter.history.migrations import APPLICATION_ID, LATEST, MIGRATIONS

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 30_000
COLUMNS: tuple[str, ...] = ("contact", "kind", "at", "platform", "stage", "reply_kind", "text")
COLUMNS += ("template", "variant", "digest", "source")


def default_path() -> Path:
    """history.sqlite3 in the user's data folder (XDG_DATA_HOME on Linux)."""
    import platformdirs

    return platformdirs.user_data_path("drafter") / "history.sqlite3"


def digest(contact: str, event: Event) -> str:
    """What makes two log entries the same: a sent message is its text to that person, whatever
    the date; anything else is its kind, date, platform and note."""
    if event.kind == "sent":
        key = ["sent", contact, event.text or ""]
    else:
        key = [event.kind, contact, event.at.isoformat(), event.platform or ""]
        key += [event.reply_kind or "", event.text or ""]
    return hashlib.sha256("\0".join(key).encode()).hexdigest()


@dataclass(frozen=True)
class Record:
    """One event about one contact, as stored."""

    contact: str
    event: Event
    source: str | None = None
    sketch: bytes | None = field(default=None, compare=False, repr=False)  # copy-paste index

    @property
    def digest(self) -> str:
        return digest(self.contact, self.event)


@dataclass(frozen=True)
class Outcome:
    """A sent message and the first real reply to it (None: unanswered), for stats."""

    contact: str
    at: date
    platform: str | None
    stage: str | None
    template: str | None
    variant: str | None
    reply_kind: str | None


def _when_free(step: Callable[[], None]) -> None:
    """Run `step`, waiting while another process holds the file: switching a new file to WAL
    answers "locked" at once instead of calling SQLite's busy handler, so two processes
    creating the history together would otherwise fail."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    pause = 0.02
    while True:
        try:
            step()
            return
        except sqlite3.OperationalError as exc:
            busy = "locked" in str(exc) or "busy" in str(exc)
            if not busy or time.monotonic() > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.5)


class Store:
    """An open history file. Use `Store.open(path)`, and close it (or use `with`)."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path

    # ---- opening --------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path) -> Store:
        path = path.expanduser()
        _create_private(path)
        _check_header(path)
        try:
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except sqlite3.Error as exc:
            raise DrafterError(f"{path}: cannot open the history: {exc}") from None
        store = cls(conn, path)
        try:
            with store._guard():
                conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                _when_free(lambda: store._setup())
        except BaseException:
            conn.close()
            raise
        return store

    def _setup(self) -> None:
        version = self._version()
        # Only a file that is ours (or empty) gets migrated; WAL lets readers and a writer share.
        self.conn.execute("PRAGMA journal_mode = WAL")
        if version is None or version < LATEST:
            self._migrate()

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        """sqlite3 errors become one line naming the file; the file itself is left alone."""
        try:
            yield
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise DrafterError(
                    f"{self.path}: history is busy (another drafter is writing); try again"
                ) from None
            raise DrafterError(f"{self.path}: cannot use the history: {exc}") from None
        except sqlite3.DatabaseError as exc:
            raise DrafterError(
                f"{self.path}: history file is damaged ({exc}); it was left untouched"
            ) from None

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction, taken for writing at once so concurrent writers queue, not fail."""
        with self._guard():
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def _tables(self) -> set[str]:
        rows = self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {str(r[0]) for r in rows}

    def _version(self) -> int | None:
        """The schema version, None for an empty file; refuses foreign and newer files."""
        tables = self._tables()
        if not tables:
            return None
        app = self.conn.execute("PRAGMA application_id").fetchone()[0]
        if "schema_version" not in tables or "events" not in tables or app != APPLICATION_ID:
            raise DrafterError(
                f"{self.path}: not a drafter history file (it holds other tables); "
                "choose another file with --db"
            )
        row = self.conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
        version = int(row[0] or 0)
        if version > LATEST:
            raise DrafterError(
                f"{self.path}: history was written by a newer drafter (schema {version}, this "
                f"drafter knows up to {LATEST}); upgrade drafter"
            )
        return version

    def _migrate(self) -> None:
        with self._write() as conn:
            version = self._version() or 0  # again, inside the lock: another process may have won
            for number in range(version + 1, LATEST + 1):
                for statement in MIGRATIONS[number - 1]:
                    conn.execute(statement)
                conn.execute("DELETE FROM schema_version")
                conn.execute("INSERT INTO schema_version (version) VALUES (?)", (number,))
            if version == 0:
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                conn.execute(
                    "INSERT INTO drafter_meta (name, value) VALUES ('application', 'drafter')"
                )

    @property
    def version(self) -> int:
        with self._guard():
            return self._version() or 0

    # ---- writing ----------------------------------------------------------------------

    def add(self, records: Iterable[Record]) -> list[bool]:
        """Record events in one transaction; False for each one already recorded."""
        added: list[bool] = []
        with self._write() as conn:
            for record in records:
                key = record.digest
                if conn.execute("SELECT 1 FROM events WHERE digest = ?", (key,)).fetchone():
                    added.append(False)
                    continue
                e = record.event
                conn.execute(
                    f"INSERT INTO events ({', '.join(COLUMNS)}, sketch) "
                    f"VALUES ({', '.join('?' * (len(COLUMNS) + 1))})",
                    (
                        record.contact,
                        e.kind,
                        e.at.isoformat(),
                        e.platform,
                        e.stage,
                        e.reply_kind,
                        e.text,
                        e.template,
                        e.variant,
                        key,
                        record.source,
                        record.sketch,
                    ),
                )
                added.append(True)
        return added

    def forget(self, contact: str) -> int:
        """Delete everything about one person; the number of events removed. Their text is
        overwritten on disk too (secure_delete, then the log is folded back into the file)."""
        with self._guard():
            self.conn.execute("PRAGMA secure_delete = ON")
        with self._write() as conn:
            cursor = conn.execute("DELETE FROM events WHERE contact = ?", (contact,))
            removed = int(cursor.rowcount)
        with self._guard():
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return removed

    # ---- reading ----------------------------------------------------------------------

    def _rows(self, where: str = "", params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._guard():
            sql = f"SELECT {', '.join(COLUMNS)} FROM events {where} ORDER BY at, id"
            return list(self.conn.execute(sql, params))

    def records(self, contact: str | None = None) -> list[Record]:
        """Every event, oldest first (logging order within a day)."""
        rows = self._rows("WHERE contact = ?", (contact,)) if contact else self._rows()
        return [_record(row) for row in rows]

    def relationship(self, contact: str) -> Relationship:
        return Relationship(contact, tuple(r.event for r in self.records(contact)))

    def relationships(self) -> dict[str, Relationship]:
        """Everyone in the history, each with their events."""
        events: dict[str, list[Event]] = {}
        for record in self.records():
            events.setdefault(record.contact, []).append(record.event)
        return {c: Relationship(c, tuple(evs)) for c, evs in sorted(events.items())}

    def sent(self, exclude_contact: str | None = None) -> list[Record]:
        """Messages sent (to everyone but one person), for the copy-paste checks."""
        if exclude_contact is None:
            rows = self._rows("WHERE kind = 'sent'")
        else:
            rows = self._rows("WHERE kind = 'sent' AND contact <> ?", (exclude_contact,))
        return [_record(row) for row in rows]

    def sent_sketches(self, exclude_contact: str | None = None) -> list[tuple[int, bytes | None]]:
        """(row id, sketch) of every message sent to anyone but one person: the copy-paste
        index reads these, and only the few candidate texts (`by_ids`)."""
        sql = "SELECT id, sketch FROM events WHERE kind = 'sent'"
        params: tuple[Any, ...] = ()
        if exclude_contact is not None:
            sql += " AND contact <> ?"
            params = (exclude_contact,)
        with self._guard():
            return [(int(r[0]), r[1]) for r in self.conn.execute(sql + " ORDER BY id", params)]

    def by_ids(self, ids: Iterable[int]) -> dict[int, Record]:
        wanted = sorted(set(ids))
        out: dict[int, Record] = {}
        with self._guard():
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                sql = (
                    f"SELECT id, {', '.join(COLUMNS)} FROM events "
                    f"WHERE id IN ({', '.join('?' * len(chunk))})"
                )
                for row in self.conn.execute(sql, tuple(chunk)):
                    out[int(row[0])] = _record(row[1:])
        return out

    def count(self) -> int:
        with self._guard():
            return int(self.conn.execute("SELECT COUNT(*) FROM events").fetchone()[0])

    def outcomes(self) -> list[Outcome]:
        """Each sent message with the kind of the first real reply from that person on or after
        it and before the next message to them (auto-replies are not replies)."""
        sql = """
            SELECT s.contact, s.at, s.platform, s.stage, s.template, s.variant,
              (SELECT r.reply_kind FROM events r
                WHERE r.contact = s.contact AND r.kind = 'reply'
                  AND (r.reply_kind IS NULL OR r.reply_kind <> 'auto')
                  AND (r.at > s.at OR (r.at = s.at AND r.id > s.id))
                  AND NOT EXISTS (
                    SELECT 1 FROM events n
                     WHERE n.contact = s.contact AND n.kind = 'sent'
                       AND (n.at > s.at OR (n.at = s.at AND n.id > s.id))
                       AND (n.at < r.at OR (n.at = r.at AND n.id < r.id)))
                ORDER BY r.at, r.id LIMIT 1) AS reply_kind
            FROM events s
            WHERE s.kind = 'sent'
            ORDER BY s.at, s.id
        """
        with self._guard():
            rows = list(self.conn.execute(sql))
        return [Outcome(r[0], date.fromisoformat(r[1]), r[2], r[3], r[4], r[5], r[6]) for r in rows]


def _record(row: tuple[Any, ...]) -> Record:
    contact, kind, at, platform, stage, reply_kind, text, template, variant, _digest, source = row
    event = Event(
        kind=kind,
        at=date.fromisoformat(at),
        platform=platform,
        stage=stage,
        reply_kind=reply_kind,
        text=text,
        template=template,
        variant=variant,
    )
    return Record(contact, event, source)


def _create_private(path: Path) -> None:
    """Create the file 0600 (and its folder 0700) before SQLite sees it: contact data is private."""
    if path.is_dir():
        raise DrafterError(f"{path}: is a folder; --db needs a file")
    if path.exists():
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
    except FileExistsError:
        pass  # another process created it first
    except OSError as exc:
        raise DrafterError(f"{path}: cannot create the history: {exc.strerror or exc}") from None


def _check_header(path: Path) -> None:
    """Refuse a file that is not SQLite before SQLite can touch it."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise DrafterError(f"{path}: cannot read the history: {exc.strerror or exc}") from None
    if head and head != SQLITE_HEADER:
        raise DrafterError(
            f"{path}: not a drafter history file (not SQLite); choose another file with --db"
        )
