"""The history store: migrations from every older version, refusal of foreign, damaged and newer
files (never overwritten), private file mode, concurrent writers in real processes."""

from __future__ import annotations

import multiprocessing
import sqlite3
import stat
from datetime import date
from pathlib import Path

import pytest

from drafter.core.errors import DrafterError
from drafter.core.relationship import Event
from drafter.history import store as store_mod
from drafter.history.migrations import APPLICATION_ID, LATEST, MIGRATIONS
from drafter.history.store import Record, Store

D1 = date(2026, 10, 1)


def sent(contact: str, text: str, at: date = D1, platform: str = "linkedin") -> Record:
    return Record(contact, Event("sent", at, platform, stage="connect", text=text))


def test_new_file_is_private_and_at_latest_version(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "h.db"
    with Store.open(path) as store:
        assert store.version == LATEST
        assert store.add([sent("maya", "Hi Maya")]) == [True]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with Store.open(path) as store:
        assert [r.contact for r in store.records()] == ["maya"]


def test_default_path_is_in_the_user_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert store_mod.default_path() == tmp_path / "drafter" / "history.sqlite3"


def test_same_message_twice_is_recorded_once(tmp_path: Path) -> None:
    with Store.open(tmp_path / "h.db") as store:
        assert store.add([sent("maya", "Hi"), sent("maya", "Hi", date(2026, 10, 5))]) == [
            True,
            False,
        ]
        assert store.add([sent("ana", "Hi")]) == [True]  # same words to someone else: a new event
        assert store.count() == 2


def _build_at(path: Path, version: int) -> None:
    """A file exactly as drafter left it at an older schema version, with one event."""
    conn = sqlite3.connect(path, isolation_level=None)
    for number in range(1, version + 1):
        for statement in MIGRATIONS[number - 1]:
            conn.execute(statement)
    conn.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))
    conn.execute("INSERT INTO drafter_meta VALUES ('application', 'drafter')")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(
        "INSERT INTO events (contact, kind, at, platform, stage, text) "
        "VALUES ('maya', 'sent', '2026-09-01', 'email', 'connect', 'Hello Maya')"
    )
    conn.close()


@pytest.mark.parametrize("version", range(1, LATEST))
def test_migrates_from_every_older_version(tmp_path: Path, version: int) -> None:
    path = tmp_path / "old.db"
    _build_at(path, version)
    with Store.open(path) as store:
        assert store.version == LATEST
        rel = store.relationship("maya")
        assert [(e.kind, e.at, e.platform, e.text) for e in rel.events] == [
            ("sent", date(2026, 9, 1), "email", "Hello Maya")
        ]
        assert store.add([sent("maya", "Second note")]) == [True]
    conn = sqlite3.connect(path)
    indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    conn.close()
    assert {"events_digest", "events_contact"} <= indexes


def _refused(path: Path, *needles: str) -> None:
    before = path.read_bytes()
    with pytest.raises(DrafterError) as info:
        Store.open(path)
    for needle in needles:
        assert needle in info.value.message
    assert "\n" not in info.value.message
    assert path.read_bytes() == before, "a refused file must never be written"


def test_text_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("my notes\n")
    _refused(path, "not a drafter history file (not SQLite)")


def test_foreign_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (id INTEGER)")
    conn.commit()
    conn.close()
    _refused(path, "not a drafter history file (it holds other tables)")


def test_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE schema_version SET version = ?", (LATEST + 1,))
    conn.commit()
    conn.close()
    _refused(path, f"schema {LATEST + 1}", "upgrade drafter")


def test_damaged_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    with Store.open(path) as store:
        store.add([sent(f"c{i}", "x" * 500 + str(i)) for i in range(50)])
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema page, past the header
    path.write_bytes(bytes(data))
    _refused(path, "history file is damaged")


def test_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    with Store.open(path) as store:
        store.add([sent("maya", "one")])

        class Boom(Exception):
            pass

        def records() -> object:
            yield sent("maya", "two")
            raise Boom

        with pytest.raises(Boom):
            store.add(records())  # type: ignore[arg-type]
        assert [r.event.text for r in store.records()] == ["one"]


def _writer(path: str, name: str, count: int) -> None:
    with Store.open(Path(path)) as store:
        for i in range(count):
            store.add([sent(name, f"message {i} from {name}")])


def test_two_processes_logging_at_once_both_land(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(path), n, 40)) for n in ("ana", "ben")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    with Store.open(path) as store:
        assert store.count() == 80
        assert len(store.relationship("ana").sent) == 40
        assert len(store.relationship("ben").sent) == 40


def test_forget_removes_only_that_person_and_their_words_from_disk(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    with Store.open(path) as store:
        store.add([sent("maya", "maya-secret-words " * 20), sent("ana", "b")])
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        assert b"maya-secret-words" in path.read_bytes()
        assert store.forget("maya") == 1
        assert [r.contact for r in store.records()] == ["ana"]
        files = [p for p in tmp_path.iterdir() if p.name.startswith("h.db")]
        assert all(b"maya-secret-words" not in p.read_bytes() for p in files)


def test_outcomes_pair_each_message_with_its_reply(tmp_path: Path) -> None:
    with Store.open(tmp_path / "h.db") as store:
        store.add(
            [
                sent("maya", "first", date(2026, 10, 1)),
                sent("maya", "second", date(2026, 10, 12), "email"),
                Record("maya", Event("reply", date(2026, 10, 13), "email", reply_kind="auto")),
                Record("maya", Event("reply", date(2026, 10, 14), "x", reply_kind="positive")),
                sent("ana", "hello", date(2026, 10, 2)),
            ]
        )
        found = [(o.contact, o.platform, o.reply_kind) for o in store.outcomes()]
    assert found == [
        ("maya", "linkedin", None),
        ("ana", "linkedin", None),
        ("maya", "email", "positive"),
    ]


def _crash_mid_write(path: str) -> None:
    """Start a transaction, write, and die without committing (as a killed process would)."""
    import os

    store = Store.open(Path(path))
    store.conn.execute("BEGIN IMMEDIATE")
    store.conn.execute(
        "INSERT INTO events (contact, kind, at, text) VALUES ('ghost', 'sent', '2026-10-01', 'x')"
    )
    os._exit(1)


def test_a_crash_mid_write_leaves_the_file_consistent(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    with Store.open(path) as store:
        store.add([sent("maya", "kept")])
    proc = multiprocessing.get_context("spawn").Process(target=_crash_mid_write, args=(str(path),))
    proc.start()
    proc.join(60)
    assert proc.exitcode == 1
    with Store.open(path) as store:
        assert [r.contact for r in store.records()] == ["maya"]
        assert store.add([sent("ana", "after the crash")]) == [True]
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
