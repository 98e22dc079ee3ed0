"""Lint with history: the history rules' own examples, masking and the similarity decision,
and the lint command with a history file."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafter.cli import cli
from drafter.core.config import Config
from drafter.core.contacts import contact_from_mapping
from drafter.core.drafts import Draft
from drafter.core.relationship import Event
from drafter.history.duplicates import covered_share, find_clusters, mask, personal_terms
from drafter.history.lint import HistoryPass
from drafter.history.store import Record, Store
from drafter.lint.findings import LintResult
from drafter.lint.rules import Example, Rule, configured_rules

RULES: dict[str, Rule] = {
    k: r for k, r in configured_rules(Config()).items() if r.kind == "history"
}


def _draft(text: str, path: str, contact: str | None = "maya", **kw: str | None) -> Draft:
    return Draft(text=text, body=text, path=path, contact_ref=contact, **kw)  # type: ignore[arg-type]


def _run(example: Example) -> list[str]:
    extra = [
        Record(
            str(ev.get("contact", "maya")),
            Event(
                str(ev["kind"]),
                date.fromisoformat(str(ev["at"])),
                ev.get("platform"),
                reply_kind=ev.get("reply_kind"),
                text=ev.get("text"),
            ),
        )
        for ev in example.history
    ]
    main = _draft(example.text, "main.md", platform=example.platform, stage=example.stage)
    others = [_draft(t, f"other{i}.md", contact=None) for i, t in enumerate(example.batch)]
    results = [LintResult(d) for d in [main, *others]]
    HistoryPass(RULES, extra=extra).run(results)
    return [f.rule for f in results[0].findings]


def _cases(kind: str) -> Iterator[object]:
    for rule_id, rule in sorted(RULES.items()):
        for i, example in enumerate(rule.bad if kind == "bad" else rule.good):
            yield pytest.param(rule_id, example, id=f"{rule_id}-{kind}{i}")


def test_history_rules_exist_with_examples() -> None:
    assert set(RULES) == {
        "followup.third-unanswered",
        "followup.repeat",
        "duplicate.sent-before",
        "duplicate.batch",
    }
    for rule in RULES.values():
        assert len(rule.bad) >= 2 and len(rule.good) >= 2, rule.id


@pytest.mark.parametrize(("rule_id", "example"), list(_cases("bad")))
def test_bad_example_is_caught(rule_id: str, example: Example) -> None:
    assert rule_id in _run(example)


@pytest.mark.parametrize(("rule_id", "example"), list(_cases("good")))
def test_good_example_is_left_alone(rule_id: str, example: Example) -> None:
    assert rule_id not in _run(example)


def test_third_unanswered_names_the_two_dates() -> None:
    extra = [
        Record("maya", Event("sent", date(2026, 10, 1), "linkedin", text="one")),
        Record("maya", Event("sent", date(2026, 10, 14), "email", text="two")),
    ]
    result = LintResult(_draft("Hi Maya, three?", "d.md", stage="follow_up"))
    HistoryPass(RULES, extra=extra).run([result])
    [finding] = [f for f in result.findings if f.rule == "followup.third-unanswered"]
    assert finding.severity == "error" and finding.category == "followup"
    assert finding.message == (
        "This would be the third message without a reply (2026-10-01 on linkedin and 2026-10-14 on email)."
    )
    assert result.score == 60


def test_masking_removes_what_is_about_the_person() -> None:
    ana = contact_from_mapping(
        {
            "id": "ana-ribeiro",
            "name": "Ana Ribeiro",
            "company": "Tidewater Analytics",
            "recent_activity": [{"kind": "talk", "title": "Late events in streaming joins"}],
            "platforms": {"x": "@ana_streams"},
        },
        "test",
    )
    text = "Hi Ana, your talk on late events at Tidewater Analytics (https://x.org/t, 42 slides) was great. @ana_streams"
    masked = mask(text, personal_terms(ana, ana.id))
    assert masked.tokens == (
        "hi",
        "<name>",
        "your",
        "talk",
        "on",
        "<fact>",
        "at",
        "<company>",
        "<url>",
        "<num>",
        "slides",
        "was",
        "great",
        "<handle>",
    )
    assert masked.masked_words == 8


def test_names_only_roster_is_one_cluster_and_personal_content_is_not() -> None:
    names = ["Ana", "Jonas", "Priya", "Kenji"]
    copy = [
        mask(f"Hi {n}, I love what your team is building and would like to connect. Best, Sam")
        for n in names
    ]
    report = find_clusters(copy, 0.75)
    assert [c.members for c in report.clusters] == [[0, 1, 2, 3]]
    assert {round(s, 2) for s in report.clusters[0].shares.values()} == {0.94}
    assert [round(p, 2) for p in report.personal] == [0.06] * 4
    personal = [
        mask(
            "Hi Ana, your talk on late events in Flink changed how I handle watermarks. Would you like to connect?"
        ),
        mask(
            "Hi Jonas, the story-points post made me drop estimates in my own team. Would you like to connect?"
        ),
        mask(
            "Hi Priya, I tried your tide-gauge connector on our harbour data and it worked first time. Would you like to connect?"
        ),
    ]
    report = find_clusters(personal, 0.75)
    assert report.clusters == []
    assert all(p > 0.6 for p in report.personal)


def test_shared_share_counts_only_runs_of_words() -> None:
    a = mask("we should talk about the tide data soon")
    b = mask("soon we should talk about tide models")
    assert round(covered_share(a, set(b.shingles())), 2) == round(4 / 8, 2)


def test_a_template_batch_is_one_cluster_and_others_stay_out() -> None:
    items = [
        mask(f"Hi {i}, I love what your team is building at number {i}. Best, Sam")
        for i in range(300)
    ]
    items += [mask(f"Hello, a note about topic {w} and {w}s") for w in ("alpha", "beta")]
    report = find_clusters(items, 0.75)
    assert [len(c.members) for c in report.clusters] == [300]


def _write(folder: Path, name: str, contact: str, body: str, stage: str = "connect") -> str:
    path = folder / name
    path.write_text(f"---\nplatform: linkedin\nstage: {stage}\ncontact: {contact}\n---\n{body}\n")
    return str(path)


def test_lint_command_uses_the_history_and_the_batch(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    with Store.open(db) as store:
        store.add(
            [
                Record(
                    "maya",
                    Event(
                        "sent",
                        date(2026, 10, 1),
                        "linkedin",
                        "connect",
                        text="Hi Maya, loved the Flink talk.",
                    ),
                ),
                Record(
                    "maya",
                    Event(
                        "sent",
                        date(2026, 10, 14),
                        "email",
                        "follow_up",
                        text="Hi Maya, a notebook for you.",
                    ),
                ),
            ]
        )
    a = _write(
        tmp_path, "a.md", "maya", "Hi Maya, one more question about your Flink talk?", "follow_up"
    )
    b = _write(
        tmp_path,
        "b.md",
        "jonas",
        "Hi Jonas, I love what your team is building and would like to connect. Best, Sam",
    )
    c = _write(
        tmp_path,
        "c.md",
        "priya",
        "Hi Priya, I love what your team is building and would like to connect. Best, Sam",
    )
    result = CliRunner().invoke(cli, ["lint", a, b, c, "--db", str(db), "--format", "line"], obj={})
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert (
        f"{a}:6:1: error: This would be the third message without a reply (2026-10-01 on linkedin and 2026-10-14 on email). [followup.third-unanswered]"
        in lines
    )
    assert any(
        ln.startswith(
            f"{b}:6:1: warning: 94% of this draft is the same as 1 other draft in this batch ({c}); only 6% of it is personal."
        )
        for ln in lines
    )
    text = CliRunner().invoke(cli, ["lint", b, c, "--db", str(db)], obj={})
    assert "personal share (words in no draft to someone else): median 6%, lowest 6%" in text.stdout
    assert "2 drafts in 1 copy-paste clusters" in text.stdout
    off = CliRunner().invoke(
        cli, ["lint", a, "--db", str(tmp_path / "none.sqlite3"), "--format", "line"], obj={}
    )
    assert "followup.third-unanswered" not in off.stdout
    assert not (tmp_path / "none.sqlite3").exists()  # linting never creates a history


def test_drafts_to_the_same_person_are_not_copy_paste() -> None:
    text = "Hi Ana, I love what your team is building and would like to connect. Best, Sam"
    items = [mask(text), mask(text.replace("connect", "talk"))]
    assert find_clusters(items, 0.75, ["ana", "ana"]).clusters == []
    assert [round(p, 2) for p in find_clusters(items, 0.75, ["ana", "ana"]).personal] == [1.0, 1.0]
    assert len(find_clusters(items, 0.75, ["ana", "jonas"]).clusters) == 1


def test_draft_over_a_roster_reports_copy_paste(examples: Path, tmp_path: Path) -> None:
    folder = tmp_path / "tpl" / "linkedin" / "connect"
    folder.mkdir(parents=True)
    (folder / "same.j2").write_text(
        "Hi {{ contact.first_name }}, I love what your team is building and would like to connect. Best, Sam"
    )
    args = ["draft", "-p", "linkedin", "-s", "connect", "-r", str(examples / "roster.yaml")]
    args += [
        "--me",
        str(examples / "me.yaml"),
        "--templates",
        str(tmp_path / "tpl"),
        "--variant",
        "same",
    ]
    result = CliRunner().invoke(cli, [*args, "-c", "ana-ribeiro", "-c", "jonas-lind"], obj={})
    assert result.exit_code == 0, result.output
    assert (
        "warning [duplicate.batch] 88% of this draft is the same as 1 other draft in this batch"
        in result.stdout
    )
    assert "2 drafts in 1 copy-paste clusters" in result.stderr


def test_sent_before_works_on_rows_logged_before_sketches(tmp_path: Path) -> None:
    import sqlite3

    from drafter.history.migrations import APPLICATION_ID, MIGRATIONS

    path = tmp_path / "v3.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    for steps in MIGRATIONS[:3]:
        for statement in steps:
            conn.execute(statement)
    conn.execute("INSERT INTO schema_version VALUES (3)")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(
        "INSERT INTO events (contact, kind, at, platform, text) VALUES ('jonas', 'sent', "
        "'2026-10-01', 'linkedin', 'Hi Jonas, I love what your team is building and would like to connect. Best, Sam')"
    )
    conn.close()
    draft = _draft(
        "Hi Maya, I love what your team is building and would like to connect. Best, Sam", "m.md"
    )
    result = LintResult(draft)
    with Store.open(path) as store:
        HistoryPass(RULES, store).run([result])
    messages = [f.message for f in result.findings if f.rule == "duplicate.sent-before"]
    assert messages == ["Nearly the same (94%) as what you sent to jonas on 2026-10-01 (linkedin)."]
