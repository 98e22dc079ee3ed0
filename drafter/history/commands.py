"""The history commands: `log`, `status`, `due`, `stats` and `history export|import|forget`.

Each parses options, asks the store, and prints. The history file is `--db PATH`, else
`history = "..."` in drafter.toml, else history.sqlite3 in the user's data folder.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

import click

from drafter.core.config import Config, load_config
from drafter.core.errors import DrafterError
from drafter.core.relationship import REPLY_KINDS, Event, Relationship
from drafter.history.due import DueSettings, Step, next_step, order, stage_reached
from drafter.history.recording import export_line, parse_date, read_export, sent_record
from drafter.history.stats import GROUPS, MIN_SENT
from drafter.history.store import Record, Store, default_path


def config_of(ctx: click.Context) -> Config:
    """The config, loaded once per run (the same cache key as drafter.cli)."""
    obj = ctx.find_root().ensure_object(dict)
    cfg = obj.get("config")
    if cfg is None:
        cfg = load_config(obj.get("config_path"))
        obj["config"] = cfg
    assert isinstance(cfg, Config)
    return cfg


def history_path(db: Path | None, cfg: Config) -> Path:
    return db or cfg.history or default_path()


def open_store(ctx: click.Context, db: Path | None) -> Store:
    return Store.open(history_path(db, config_of(ctx)))


def existing_store(db: Path | None, cfg: Config) -> Store | None:
    """The history if it exists: reading it (to lint or draft) never creates one."""
    path = history_path(db, cfg)
    return Store.open(path) if path.exists() else None


def settings_of(cfg: Config) -> DueSettings:
    return DueSettings(dict(cfg.follow_up_days), cfg.reconnect_months)


def db_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db",
        type=click.Path(path_type=Path, dir_okay=False),
        help="History file (default: history in drafter.toml, else your user data folder).",
    )(f)


def _at(value: str | None) -> date:
    return parse_date(value) if value else date.today()


def _today(value: str | None) -> date:
    return parse_date(value, "--today") if value else date.today()


def _platforms(ctx: click.Context) -> list[str]:
    from drafter.core.platforms import load_platforms

    return list(load_platforms(list(config_of(ctx).templates)))


# ---- log ------------------------------------------------------------------------------


@click.group("log")
def log_cmd() -> None:
    """Record what happened: messages sent, replies, accepts, meetings."""


@log_cmd.command("sent")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--contact", "-c", help="Who it went to (else the draft's front matter).")
@click.option("--platform", "-p", help="Where it was sent (else front matter or file name).")
@click.option("--stage", "-s", help="The stage (else front matter or file name).")
@click.option("--at", "at", metavar="DATE", help="When it was sent, YYYY-MM-DD (default today).")
@db_option
@click.pass_context
def log_sent(
    ctx: click.Context,
    paths: tuple[Path, ...],
    contact: str | None,
    platform: str | None,
    stage: str | None,
    at: str | None,
    db: Path | None,
) -> None:
    """Record drafts as sent: `drafter log sent drafts/*.md`. The same file twice counts once."""
    when = _at(at)
    names = _platforms(ctx)
    _known_platform(ctx, platform)
    records = [
        sent_record(p, platforms=names, contact=contact, platform=platform, stage=stage, at=when)
        for p in paths
    ]
    with open_store(ctx, db) as store:
        added = store.add(records)
    for record, new in zip(records, added, strict=True):
        e = record.event
        what = f"{e.stage or 'message'} to {record.contact} on {e.platform}"
        if new:
            click.echo(f"logged {record.source}: {what}, {e.at.isoformat()}")
        else:
            click.echo(f"{record.source}: already logged ({what}); not counted again", err=True)


def _known_platform(ctx: click.Context, platform: str | None) -> None:
    if platform is not None:
        names = _platforms(ctx)
        if platform not in names:
            raise DrafterError(f"unknown platform '{platform}'; known: {', '.join(sorted(names))}")


def _log_one(ctx: click.Context, db: Path | None, contact: str, event: Event) -> None:
    if not contact.strip():
        raise DrafterError("--contact: give the contact's id")
    _known_platform(ctx, event.platform)
    with open_store(ctx, db) as store:
        new = store.add([Record(contact, event)])[0]
    what = event.kind + (f" ({event.reply_kind})" if event.reply_kind else "")
    where = f" on {event.platform}" if event.platform else ""
    if new:
        click.echo(f"logged {what} from {contact}{where}, {event.at.isoformat()}")
    else:
        click.echo(
            f"already logged: {what} from {contact}{where}, {event.at.isoformat()}", err=True
        )


@log_cmd.command("reply")
@click.option("--contact", "-c", required=True, help="Who replied (their id).")
@click.option("--platform", "-p", help="Where they replied.")
@click.option("--at", "at", metavar="DATE", help="When, YYYY-MM-DD (default today).")
@click.option(
    "--kind",
    type=click.Choice(REPLY_KINDS),
    default="neutral",
    show_default=True,
    help="An auto-reply is recorded but never counts as an answer.",
)
@click.option("--note", help="What they replied about (templates may use it).")
@db_option
@click.pass_context
def log_reply(
    ctx: click.Context,
    contact: str,
    platform: str | None,
    at: str | None,
    kind: str,
    note: str | None,
    db: Path | None,
) -> None:
    """Record a reply; any real reply restarts the unanswered count on every platform."""
    _log_one(ctx, db, contact, Event("reply", _at(at), platform, reply_kind=kind, text=note))


@log_cmd.command("accepted")
@click.option("--contact", "-c", required=True, help="Who accepted (their id).")
@click.option("--platform", "-p", required=True, help="Where: linkedin, x (a follow back), ...")
@click.option("--at", "at", metavar="DATE", help="When, YYYY-MM-DD (default today).")
@db_option
@click.pass_context
def log_accepted(
    ctx: click.Context, contact: str, platform: str, at: str | None, db: Path | None
) -> None:
    """Record an accepted connection or a follow back."""
    _log_one(ctx, db, contact, Event("accepted", _at(at), platform))


@log_cmd.command("met")
@click.option("--contact", "-c", required=True, help="Who you met (their id).")
@click.option("--note", required=True, help="Where and what about, e.g. 'at PyCon, on Flink'.")
@click.option("--at", "at", metavar="DATE", help="When, YYYY-MM-DD (default today).")
@db_option
@click.pass_context
def log_met(ctx: click.Context, contact: str, note: str, at: str | None, db: Path | None) -> None:
    """Record meeting someone in person."""
    _log_one(ctx, db, contact, Event("met", _at(at), None, text=note))


# ---- status and due -------------------------------------------------------------------


def _last(event: Event | None) -> str:
    if event is None:
        return "-"
    return f"{event.at.isoformat()} {event.platform or ''}".rstrip()


def status_row(rel: Relationship, step: Step) -> dict[str, Any]:
    last_in = rel.responses[-1] if rel.responses else None
    return {
        "contact": rel.contact_id,
        "reached": stage_reached(rel),
        "last_out": None if rel.last_sent is None else _event_json(rel.last_sent),
        "last_in": None if last_in is None else _event_json(last_in),
        "unanswered": len(rel.unanswered),
        "next": step.action,
        "why": step.reason,
        "due": step.due.isoformat() if step.due else None,
    }


def _event_json(event: Event) -> dict[str, Any]:
    return {"at": event.at.isoformat(), "platform": event.platform, "kind": event.kind}


def _table(rows: Sequence[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(r[:-1], widths, strict=True)) + "  " + r[-1]
        for r in rows
    )


format_option = click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
today_option = click.option(
    "--today", metavar="DATE", help="Judge as if today were DATE (YYYY-MM-DD)."
)


@click.command("status")
@click.argument("contact", required=False)
@format_option
@today_option
@db_option
@click.pass_context
def status_cmd(
    ctx: click.Context, contact: str | None, fmt: str, today: str | None, db: Path | None
) -> None:
    """Where each relationship stands: reached, last out, last in, unanswered, next step."""
    cfg = config_of(ctx)
    day = _today(today)
    with open_store(ctx, db) as store:
        rels = {contact: store.relationship(contact)} if contact else store.relationships()
    if contact and not rels[contact].events:
        raise DrafterError(f"no history for '{contact}'")
    rows = [status_row(r, next_step(r, day, settings_of(cfg))) for r in rels.values()]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo("no history yet: record messages with `drafter log sent FILE...`")
        return
    table = [("CONTACT", "REACHED", "LAST OUT", "LAST IN", "UNANSWERED", "NEXT")]
    for row in rows:
        out, got = row["last_out"], row["last_in"]
        table.append(
            (
                row["contact"],
                row["reached"],
                "-" if out is None else f"{out['at']} {out['platform'] or ''}".rstrip(),
                "-" if got is None else f"{got['at']} {got['platform'] or ''}".rstrip(),
                str(row["unanswered"]),
                f"{row['next']}: {row['why']}",
            )
        )
    click.echo(_table(table))


@click.command("due")
@format_option
@today_option
@db_option
@click.pass_context
def due_cmd(ctx: click.Context, fmt: str, today: str | None, db: Path | None) -> None:
    """What to do now: thank-yous, follow-ups due, reconnects due, and people to let go."""
    cfg = config_of(ctx)
    day = _today(today)
    with open_store(ctx, db) as store:
        rels = store.relationships()
    steps = order(
        [
            s
            for s in (next_step(r, day, settings_of(cfg)) for r in rels.values())
            if s.action not in ("wait", "connect")
        ]
    )
    if fmt == "json":
        items = [
            asdict(s) | {"due": s.due.isoformat() if s.due else None, "stage": s.stage}
            for s in steps
        ]
        click.echo(json.dumps(items, indent=2, ensure_ascii=False))
        return
    if not steps:
        click.echo("nothing due")
        return
    click.echo(
        _table([("ACTION", "CONTACT", "WHY")] + [(s.action, s.contact, s.reason) for s in steps])
    )


# ---- history export | import | forget -------------------------------------------------


@click.group("history")
def history_cmd() -> None:
    """The history file itself: export, import, forget a person."""


@history_cmd.command("export")
@db_option
@click.pass_context
def history_export(ctx: click.Context, db: Path | None) -> None:
    """Every event as JSON lines on stdout, oldest first."""
    with open_store(ctx, db) as store:
        records = store.records()
    out = sys.stdout
    for record in records:
        out.write(export_line(record) + "\n")


@history_cmd.command("import")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True))
@db_option
@click.pass_context
def history_import(ctx: click.Context, path: Path, db: Path | None) -> None:
    """Add events from an export (JSON lines); events already there are skipped."""
    from drafter.core.files import decode, read_text

    if str(path) == "-":
        text, name = decode(sys.stdin.buffer.read(), "<stdin>"), "<stdin>"
    else:
        text, name = read_text(path), str(path)
    records = read_export(text, name)  # all lines checked before anything is written
    with open_store(ctx, db) as store:
        added = store.add(records)
    new = sum(added)
    click.echo(f"imported {new} events ({len(added) - new} already there)")


@history_cmd.command("forget")
@click.argument("contact")
@db_option
@click.pass_context
def history_forget(ctx: click.Context, contact: str, db: Path | None) -> None:
    """Delete everything recorded about one person."""
    with open_store(ctx, db) as store:
        removed = store.forget(contact)
    if not removed:
        raise DrafterError(f"no history for '{contact}'")
    click.echo(f"forgot {contact}: {removed} events deleted")


# ---- stats ----------------------------------------------------------------------------


@click.command("stats")
@click.option(
    "--by", type=click.Choice(GROUPS), help="One row per platform, stage, template or variant."
)
@click.option("--template", help="Only messages from this template, e.g. linkedin/connect.")
@click.option("--compare", nargs=2, metavar="A B", help="Compare two groups (e.g. two variants).")
@click.option(
    "--min",
    "min_sent",
    type=click.IntRange(1),
    default=MIN_SENT,
    show_default=True,
    help="Fewer sent than this: not enough data.",
)
@format_option
@db_option
@click.pass_context
def stats_cmd(
    ctx: click.Context,
    by: str | None,
    template: str | None,
    compare: tuple[str, str] | None,
    min_sent: int,
    fmt: str,
    db: Path | None,
) -> None:
    """Reply rates with a 95% interval; auto-replies do not count as replies."""
    from drafter.history import stats

    with open_store(ctx, db) as store:
        outcomes = store.outcomes()
    if template:
        outcomes = [o for o in outcomes if o.template == template]
    rows = stats.rates(outcomes, by)
    found = {r.group: r for r in rows}
    pair: tuple[stats.Rate, stats.Rate] | None = None
    if compare:
        missing = [g for g in compare if g not in found]
        if missing:
            raise DrafterError(f"--compare: no messages for '{missing[0]}' (--by {by or '...'})")
        pair = (found[compare[0]], found[compare[1]])
    elif by == "variant" and len(rows) == 2:
        pair = (rows[0], rows[1])
    result = stats.compare(*pair, min_sent=min_sent) if pair else None
    if fmt == "json":
        items = [
            {
                by or "group": r.group,
                "sent": r.sent,
                "replied": r.replied,
                "positive": r.positive,
                "reply_rate": round(r.rate, 4) if r.sent >= min_sent else None,
                "interval": [round(x, 4) for x in r.interval()] if r.sent >= min_sent else None,
            }
            for r in rows
        ]
        out: dict[str, Any] = {"rows": items}
        if result is not None:
            out["comparison"] = {
                "a": result.a.group,
                "b": result.b.group,
                "p_a_better": round(result.p_a_better, 4),
                "credible": result.credible,
            }
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo("no messages logged yet: `drafter log sent FILE...`")
        return
    table = [((by or "group").upper(), "SENT", "REPLIED", "POSITIVE", "REPLY RATE (95% interval)")]
    for r in rows:
        if r.sent < min_sent:
            rate = f"not enough data ({r.sent} < {min_sent} sent)"
        else:
            low, high = r.interval()
            rate = f"{r.rate:.0%} ({low:.0%}-{high:.0%})"
        table.append((r.group, str(r.sent), str(r.replied), str(r.positive), rate))
    click.echo(_table(table))
    if result is not None:
        click.echo(result.describe())


COMMANDS = (log_cmd, status_cmd, due_cmd, stats_cmd, history_cmd)
