"""Reply rates: Wilson intervals, not enough data below a minimum, auto-replies not counted, and
whether one variant credibly beats another."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from click.testing import CliRunner

from drafter.cli import cli
from drafter.core.relationship import Event
from drafter.history.stats import Rate, compare, wilson
from drafter.history.store import Record, Store

DAY = date(2026, 9, 1)


def test_wilson_interval_values() -> None:
    assert [round(x, 4) for x in wilson(0, 10)] == [0.0, 0.2775]
    assert [round(x, 4) for x in wilson(5, 10)] == [0.2366, 0.7634]
    assert [round(x, 4) for x in wilson(10, 10)] == [0.7225, 1.0]


def test_comparison_needs_data_and_a_clear_difference() -> None:
    assert compare(Rate("a", 30, 15, 5), Rate("b", 30, 3, 1)).credible
    close = compare(Rate("a", 30, 10, 5), Rate("b", 30, 8, 1))
    assert not close.credible and 0.6 < close.p_a_better < 0.9
    tiny = compare(Rate("a", 3, 3, 3), Rate("b", 3, 0, 0))
    assert not tiny.credible
    assert tiny.describe() == (
        "a vs b: 100% vs 0% replied; not enough data (each needs 10 sent) to call a winner"
    )


def _fill(db: Path) -> None:
    records = []
    for variant, total, replies in (("warm", 20, 10), ("short", 20, 2)):
        for i in range(total):
            who = f"{variant}-{i}"
            at = DAY + timedelta(days=i)
            records.append(
                Record(
                    who,
                    Event(
                        "sent",
                        at,
                        "linkedin",
                        "connect",
                        text=who,
                        template="linkedin/connect",
                        variant=variant,
                    ),
                )
            )
            if i < replies:
                kind = "positive" if i % 2 == 0 else "neutral"
                records.append(
                    Record(who, Event("reply", at + timedelta(days=1), "email", reply_kind=kind))
                )
            elif i == replies:  # an out-of-office is not an answer
                records.append(
                    Record(who, Event("reply", at + timedelta(days=1), "email", reply_kind="auto"))
                )
    records.append(
        Record(
            "solo",
            Event("sent", DAY, "x", "connect", text="hey", template="x/connect", variant="warm"),
        )
    )
    with Store.open(db) as store:
        store.add(records)


def test_stats_by_variant_with_comparison(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    _fill(db)
    result = CliRunner().invoke(
        cli, ["stats", "--by", "variant", "--template", "linkedin/connect", "--db", str(db)], obj={}
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1].split() == ["short", "20", "2", "1", "10%", "(3%-30%)"]
    assert lines[2].split() == ["warm", "20", "10", "5", "50%", "(30%-70%)"]
    assert lines[3].startswith("short vs warm: 10% vs 50% replied; warm better with probability ")
    assert lines[3].endswith(": credible")


def test_stats_not_enough_data_and_json(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    _fill(db)
    text = CliRunner().invoke(cli, ["stats", "--by", "platform", "--db", str(db)], obj={})
    assert "x         1     0        0         not enough data (1 < 10 sent)" in text.stdout
    data = json.loads(
        CliRunner()
        .invoke(cli, ["stats", "--by", "platform", "--format", "json", "--db", str(db)], obj={})
        .stdout
    )
    assert data["rows"][0] == {
        "platform": "linkedin",
        "sent": 40,
        "replied": 12,
        "positive": 6,
        "reply_rate": 0.3,
        "interval": [0.1807, 0.4543],
    }
    assert data["rows"][1]["reply_rate"] is None
    bad = CliRunner().invoke(
        cli, ["stats", "--by", "variant", "--compare", "warm", "cold", "--db", str(db)], obj={}
    )
    assert bad.exit_code == 2 and "--compare: no messages for 'cold'" in bad.stderr
