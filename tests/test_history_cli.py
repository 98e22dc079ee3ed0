"""The history commands through click's runner, and once as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from drafter.cli import cli


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), obj={}, input=input)


def draft_file(folder: Path, contact: str, stage: str = "connect", body: str | None = None) -> Path:
    path = folder / f"{contact}.linkedin.{stage}.md"
    text = body or f"Hi {contact.title()}, your talk on tide gauges was great."
    path.write_text(
        f"---\nplatform: linkedin\nstage: {stage}\ncontact: {contact}\n"
        f"template: linkedin/{stage}\nvariant: warm\n---\n{text}\n"
    )
    return path


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "history.sqlite3")


def test_log_sent_reads_front_matter_and_counts_a_file_once(tmp_path: Path, db: str) -> None:
    path = draft_file(tmp_path, "maya")
    first = run("log", "sent", str(path), "--at", "2026-11-01", "--db", db)
    assert first.exit_code == 0, first.output
    assert first.stdout == f"logged {path}: connect to maya on linkedin, 2026-11-01\n"
    again = run("log", "sent", str(path), "--db", db)
    assert again.exit_code == 0
    assert "already logged (connect to maya on linkedin); not counted again" in again.stderr
    export = run("history", "export", "--db", db)
    rows = [json.loads(line) for line in export.stdout.splitlines()]
    assert len(rows) == 1
    assert rows[0] | {"source": None} == {
        "contact": "maya",
        "kind": "sent",
        "at": "2026-11-01",
        "platform": "linkedin",
        "stage": "connect",
        "reply_kind": None,
        "text": "Hi Maya, your talk on tide gauges was great.",
        "template": "linkedin/connect",
        "variant": "warm",
        "source": None,
    }


def test_log_sent_without_contact_is_one_line_error(tmp_path: Path, db: str) -> None:
    path = tmp_path / "note.md"
    path.write_text("---\nplatform: linkedin\n---\nHi there\n")
    result = run("log", "sent", str(path), "--db", db)
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"drafter: error: {path}: who was it sent to? add 'contact: ID' to the front matter or pass --contact"
    ]
    ok = run("log", "sent", str(path), "--contact", "ana", "--db", db)
    assert ok.exit_code == 0 and "message to ana on linkedin" in ok.stdout


def test_bad_date_is_one_line_error(db: str) -> None:
    result = run("log", "reply", "-c", "maya", "--at", "01/11/2026", "--db", db)
    assert result.exit_code == 2
    assert "--at: '01/11/2026' is not a date (YYYY-MM-DD)" in result.stderr


def test_status_and_due_follow_the_history(tmp_path: Path, db: str) -> None:
    run("log", "sent", str(draft_file(tmp_path, "maya")), "--at", "2026-11-01", "--db", db)
    run("log", "sent", str(draft_file(tmp_path, "ana")), "--at", "2026-11-01", "--db", db)
    run("log", "accepted", "-c", "ana", "-p", "linkedin", "--at", "2026-11-02", "--db", db)
    run("log", "met", "-c", "ola", "--note", "at PyCon", "--at", "2025-01-10", "--db", db)
    status = run("status", "--today", "2026-11-05", "--db", db)
    assert status.exit_code == 0, status.output
    lines = status.stdout.splitlines()
    assert lines[0].split() == [
        "CONTACT",
        "REACHED",
        "LAST",
        "OUT",
        "LAST",
        "IN",
        "UNANSWERED",
        "NEXT",
    ]
    assert any(ln.startswith("maya") and "wait: connect of 2026-11-01" in ln for ln in lines)
    one = json.loads(
        run("status", "ana", "--format", "json", "--today", "2026-11-05", "--db", db).stdout
    )
    assert one[0]["next"] == "thanks" and one[0]["reached"] == "accepted"
    due = json.loads(run("due", "--format", "json", "--today", "2026-11-20", "--db", db).stdout)
    assert [(d["action"], d["contact"], d["due"]) for d in due] == [
        ("thanks", "ana", "2026-11-02"),
        ("follow_up", "maya", "2026-11-11"),
        ("reconnect", "ola", "2025-07-10"),
    ]
    text = run("due", "--today", "2026-11-05", "--db", db).stdout
    assert "maya" not in text  # the wait has not passed
    assert "thanks" in text and "ana" in text


def test_export_import_round_trip_is_exact(tmp_path: Path, db: str) -> None:
    run(
        "log",
        "sent",
        str(draft_file(tmp_path, "maya", body="Ciao Maya — «café» ✓")),
        "--at",
        "2026-11-01",
        "--db",
        db,
    )
    run(
        "log",
        "reply",
        "-c",
        "maya",
        "-p",
        "email",
        "--kind",
        "auto",
        "--at",
        "2026-11-02",
        "--db",
        db,
    )
    run("log", "reply", "-c", "maya", "--note", "about Flink", "--at", "2026-11-03", "--db", db)
    run("log", "met", "-c", "ana", "--note", "at PyCon", "--at", "2026-10-01", "--db", db)
    first = run("history", "export", "--db", db).stdout
    dump = tmp_path / "dump.jsonl"
    dump.write_text(first, encoding="utf-8")
    other = str(tmp_path / "other.sqlite3")
    imported = run("history", "import", str(dump), "--db", other)
    assert imported.stdout == "imported 4 events (0 already there)\n"
    assert run("history", "export", "--db", other).stdout == first
    again = run("history", "import", str(dump), "--db", other)
    assert again.stdout == "imported 0 events (4 already there)\n"


def test_import_checks_every_line_before_writing(tmp_path: Path, db: str) -> None:
    dump = tmp_path / "dump.jsonl"
    good = '{"contact": "maya", "kind": "met", "at": "2026-11-01"}'
    dump.write_text(good + '\n{"contact": "ana", "kind": "wave", "at": "2026-11-01"}\n')
    result = run("history", "import", str(dump), "--db", db)
    assert result.exit_code == 2
    assert f"{dump}:2: 'kind' must be one of" in result.stderr
    assert run("history", "export", "--db", db).stdout == ""


def test_forget(tmp_path: Path, db: str) -> None:
    run("log", "sent", str(draft_file(tmp_path, "maya")), "--db", db)
    assert run("history", "forget", "maya", "--db", db).stdout == "forgot maya: 1 events deleted\n"
    missing = run("history", "forget", "maya", "--db", db)
    assert missing.exit_code == 2 and "no history for 'maya'" in missing.stderr


def test_history_path_from_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "drafter.toml").write_text(
        'history = "notes/h.sqlite3"\n[due]\nfollow_up_days = {default = 3, email = 5}\n'
    )
    monkeypatch.chdir(tmp_path)
    run("log", "met", "-c", "maya", "--note", "x", "--at", "2026-11-01")
    assert (tmp_path / "notes" / "h.sqlite3").is_file()
    bad = tmp_path / "bad.toml"
    bad.write_text("[due]\nfollow_up_days = 0\n")
    result = run("--config", str(bad), "due")
    assert result.exit_code == 2
    assert "due.follow_up_days must be a whole number of at least 1" in result.stderr


def test_foreign_db_is_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    result = run("status", "--db", str(path))
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"drafter: error: {path}: not a drafter history file (not SQLite); choose another file with --db\n"
    )
    assert path.read_text() == "hello"


def test_installed_command_logs_and_reports(tmp_path: Path) -> None:
    env = dict(os.environ, HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"))
    draft_file(tmp_path, "maya")
    exe = [sys.executable, "-m", "drafter"]
    logged = subprocess.run(
        [*exe, "log", "sent", "maya.linkedin.connect.md", "--at", "2026-11-01"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert logged.returncode == 0, logged.stderr
    assert (tmp_path / "data" / "drafter" / "history.sqlite3").is_file()
    due = subprocess.run(
        [*exe, "due", "--today", "2026-11-20"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert due.returncode == 0
    assert due.stdout.split("\n")[1].split()[:2] == ["follow_up", "maya"]
    for args, expected in (
        (["status", "maya", "--today", "2026-11-20"], "maya     contacted  2026-11-01 linkedin"),
        (
            ["stats", "--by", "stage"],
            "connect  1     0        0         not enough data (1 < 10 sent)",
        ),
        (["history", "export"], '"contact": "maya", "kind": "sent", "at": "2026-11-01"'),
    ):
        done = subprocess.run(
            [*exe, *args], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
        assert expected in done.stdout, done.stdout


def test_demo_shows_a_history_without_touching_the_user_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    result = run("demo")
    assert result.exit_code == 0, result.output
    assert "=== history: 7 LinkedIn notes logged as sent 3 weeks ago" in result.stdout
    assert "  thanks     ana-ribeiro      accepted on " in result.stdout
    assert "  let_go     priya-nair       2 messages unanswered in a row" in result.stdout
    assert list(tmp_path.iterdir()) == []


def test_unknown_platform_is_one_line_error(db: str) -> None:
    result = run("log", "accepted", "-c", "maya", "-p", "linkdin", "--db", db)
    assert result.exit_code == 2
    assert result.stderr.startswith("drafter: error: unknown platform 'linkdin'; known: ")
