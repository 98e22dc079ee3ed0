"""The stage machine: what to send next, follow-up waits, let-go across platforms, reconnects,
and `drafter draft --next` using it."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafter.cli import cli
from drafter.core.relationship import Event, Relationship
from drafter.history.due import DueSettings, add_months, next_step
from drafter.history.store import Record, Store

TODAY = date(2026, 12, 1)


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def sent(n: int, platform: str = "linkedin", stage: str = "connect") -> Event:
    return Event("sent", days_ago(n), platform, stage=stage, text=f"{stage} {n}")


def reply(n: int, kind: str = "neutral", platform: str = "linkedin") -> Event:
    return Event("reply", days_ago(n), platform, reply_kind=kind)


def step(*events: Event, settings: DueSettings | None = None) -> tuple[str, str]:
    s = next_step(
        Relationship("maya", tuple(events)), TODAY, settings or DueSettings({"default": 10})
    )
    return s.action, s.reason


def test_never_contacted_is_connect() -> None:
    assert step() == ("connect", "never contacted")
    assert step(Event("met", days_ago(3), text="at PyCon")) == (
        "connect",
        "met in person, never written to",
    )


def test_one_unanswered_waits_then_follows_up() -> None:
    assert step(sent(4)) == (
        "wait",
        "connect of 2026-11-27 on linkedin unanswered; one follow-up due 2026-12-07",
    )
    assert step(sent(10)) == (
        "follow_up",
        "connect of 2026-11-21 on linkedin unanswered for 10 days",
    )


def test_wait_is_per_platform() -> None:
    settings = DueSettings({"default": 10, "email": 3})
    assert step(sent(4, "email"), settings=settings)[0] == "follow_up"
    assert step(sent(4, "linkedin"), settings=settings)[0] == "wait"


def test_two_unanswered_across_platforms_is_let_go() -> None:
    action, reason = step(sent(30, "linkedin"), sent(15, "email", "follow_up"))
    assert action == "let_go"
    assert reason == (
        "2 messages unanswered in a row (2026-11-01 on linkedin, 2026-11-16 on email) and no reply ever"
    )


def test_a_reply_on_any_platform_restarts_the_count() -> None:
    events = (
        sent(60),
        sent(50, "email", "follow_up"),
        reply(45, platform="x"),
        sent(30, stage="question"),
    )
    assert step(*events)[0] == "follow_up"
    assert len(Relationship("maya", events).unanswered) == 1


def test_auto_reply_does_not_count() -> None:
    assert step(sent(30), reply(29, "auto", "email"), sent(15, "email", "follow_up"))[0] == "let_go"


def test_accept_or_reply_leads_to_thanks_then_question_then_value() -> None:
    accepted = Event("accepted", days_ago(20), "linkedin")
    assert step(sent(21), accepted) == ("thanks", "accepted on 2026-11-11 (linkedin)")
    assert step(sent(21), reply(20)) == ("thanks", "replied on 2026-11-11 (linkedin)")
    thanked = (sent(21), accepted, sent(5, stage="thanks"))
    assert step(*thanked)[0] == "wait"  # a thank-you needs no reply, but give it time
    assert (
        step(sent(40), Event("accepted", days_ago(39), "linkedin"), sent(38, stage="thanks"))[0]
        == "question"
    )
    conversation = (*thanked, reply(4), sent(3, stage="question"), reply(2))
    assert step(*conversation)[0] == "value"
    assert step(*conversation, sent(1, stage="value"), reply(0))[0] == "question"


def test_reconnect_after_months_of_silence() -> None:
    old = TODAY - timedelta(days=200)
    events = (
        Event("sent", old, "linkedin", stage="connect"),
        Event("reply", old, "linkedin", reply_kind="positive"),
    )
    action, reason = step(*events)
    assert action == "reconnect"
    assert reason == "nothing either way since 2026-05-15 (6+ months)"
    assert step(*events, settings=DueSettings({"default": 10}, reconnect_months=12))[0] == "thanks"


def test_add_months_clamps_the_day() -> None:
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2026, 1, 15), 6) == date(2026, 7, 15)


@pytest.fixture
def history(tmp_path: Path) -> str:
    db = tmp_path / "h.sqlite3"
    today = date.today()
    ago = lambda n: today - timedelta(days=n)  # noqa: E731
    with Store.open(db) as store:
        store.add(
            [
                Record("ana-ribeiro", Event("sent", ago(30), "linkedin", "connect", text="a")),
                Record("ana-ribeiro", Event("accepted", ago(28), "linkedin")),
                Record("jonas-lind", Event("sent", ago(30), "linkedin", "connect", text="b")),
                Record("jonas-lind", Event("sent", ago(15), "email", "follow_up", text="c")),
                Record("priya-nair", Event("sent", ago(3), "linkedin", "connect", text="d")),
            ]
        )
    return str(db)


def test_draft_next_picks_each_contacts_stage(examples: Path, history: str) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "draft",
            "-p",
            "linkedin",
            "--next",
            "-r",
            str(examples / "roster.yaml"),
            "--me",
            str(examples / "me.yaml"),
            "-c",
            "ana-ribeiro",
            "-c",
            "jonas-lind",
            "-c",
            "priya-nair",
            "-c",
            "tomas-berg",
            "--db",
            history,
            "--no-lint",
        ],
        obj={},
    )
    assert result.exit_code == 0, result.output
    headers = [ln.split(" variant")[0] for ln in result.stdout.splitlines() if ln.startswith("# ")]
    assert headers == ["# ana-ribeiro: linkedin/thanks", "# tomas-berg: linkedin/connect"]
    assert "skipped jonas-lind: let go: 2 messages unanswered in a row" in result.stderr
    assert "skipped priya-nair: wait: connect of" in result.stderr


def test_draft_needs_stage_or_next(examples: Path) -> None:
    args = [
        "draft",
        "-p",
        "linkedin",
        "-r",
        str(examples / "roster.yaml"),
        "--me",
        str(examples / "me.yaml"),
    ]
    for extra in ([], ["--stage", "connect", "--next"]):
        result = CliRunner().invoke(cli, [*args, *extra], obj={})
        assert result.exit_code == 2
        assert "give --stage STAGE, or --next for each contact's next stage" in result.stderr


def test_templates_receive_the_history(examples: Path, history: str, tmp_path: Path) -> None:
    folder = tmp_path / "tpl" / "linkedin" / "thanks"
    folder.mkdir(parents=True)
    (folder / "plain.j2").write_text(
        "Hi {{ contact.first_name }}, thanks for accepting"
        "{% if history and history.accepted('linkedin') %} on {{ history.events[-1].at }}{% endif %}."
    )
    result = CliRunner().invoke(
        cli,
        [
            "draft",
            "-p",
            "linkedin",
            "-s",
            "thanks",
            "-r",
            str(examples / "roster.yaml"),
            "--me",
            str(examples / "me.yaml"),
            "-c",
            "ana-ribeiro",
            "--templates",
            str(tmp_path / "tpl"),
            "--variant",
            "plain",
            "--db",
            history,
            "--no-lint",
        ],
        obj={},
    )
    assert result.exit_code == 0, result.output
    assert f"Hi Ana, thanks for accepting on {date.today() - timedelta(days=28)}." in result.stdout


def test_relationship_says_when_we_last_spoke() -> None:
    met = Event("met", days_ago(40), text="at PyCon")
    rel = Relationship("maya", (met, sent(30), reply(20, "auto"), reply(10, "positive", "email")))
    assert rel.last_spoken == reply(10, "positive", "email")
    assert Relationship("maya", (met, sent(30))).last_spoken == met
    assert Relationship("maya", (sent(30),)).last_spoken is None
