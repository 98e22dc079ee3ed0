"""The history part of `drafter demo`: a short made-up history in a temporary file (never the
user's), then what `status`, `due` and `draft --next` make of it."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path

from drafter.core.drafts import Draft
from drafter.core.relationship import Event
from drafter.history.due import DEFAULT_SETTINGS, next_step, order
from drafter.history.recording import sent_text, with_sketch
from drafter.history.store import Record, Store


def run_history_demo(
    drafts: Sequence[Draft], echo: Callable[[str], None], today: date | None = None
) -> None:
    """Pretend the LinkedIn connect drafts went out three weeks ago, and some people answered."""
    day = today or date.today()

    def ago(days: int) -> date:
        return day - timedelta(days=days)

    first: dict[str, Draft] = {}
    for d in drafts:
        if d.platform == "linkedin" and d.stage == "connect" and d.contact:
            first.setdefault(d.contact.id, d)
    sent = list(first.values())
    if len(sent) < 4:
        return
    ids = [d.contact.id for d in sent if d.contact is not None]
    records = [
        with_sketch(
            Record(
                cid,
                Event(
                    "sent",
                    ago(21),
                    "linkedin",
                    "connect",
                    text=sent_text(d),
                    template=d.template,
                    variant=d.variant,
                ),
            )
        )
        for cid, d in zip(ids, sent, strict=True)
    ]
    records += [
        Record(ids[0], Event("accepted", ago(19), "linkedin")),
        Record(
            ids[1], Event("reply", ago(18), "linkedin", reply_kind="positive", text="happy to chat")
        ),
        Record(
            ids[2], Event("sent", ago(11), "email", "follow_up", text=f"A second note to {ids[2]}.")
        ),
        Record(ids[3], Event("reply", ago(20), "email", reply_kind="auto")),
    ]
    with (
        tempfile.TemporaryDirectory() as folder,
        Store.open(Path(folder) / "demo.sqlite3") as store,
    ):
        store.add(records)
        rels = store.relationships()
    echo(
        f"\n=== history: {len(sent)} LinkedIn notes logged as sent 3 weeks ago (a temporary file)\n"
    )
    echo(f"$ drafter log sent drafts/*.linkedin.connect.md --at {ago(21).isoformat()}")
    echo(
        f"$ drafter log accepted -c {ids[0]} -p linkedin;  drafter log reply -c {ids[1]} --kind positive"
    )
    echo(f"$ drafter log sent {ids[2]}.email.follow_up.md;  (an out-of-office from {ids[3]})\n")
    echo("$ drafter due")
    for step in order([next_step(r, day, DEFAULT_SETTINGS) for r in rels.values()]):
        echo(f"  {step.action:<10} {step.contact:<16} {step.reason}")
    echo(
        "\n`drafter draft -p linkedin --next` drafts exactly these stages; let-go contacts are skipped."
    )
