"""Turning what the user says happened (draft files sent, replies, accepts, meetings, a JSONL
export) into Records for the store. An id alone names the person: no roster is needed."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from drafter.core.drafts import Draft, parse_draft
from drafter.core.errors import DrafterError
from drafter.core.files import read_text
from drafter.core.platforms import STAGES
from drafter.core.relationship import EVENT_KINDS, REPLY_KINDS, Event
from drafter.history.store import Record

EXPORT_KEYS: tuple[str, ...] = (
    "contact",
    "kind",
    "at",
    "platform",
    "stage",
    "reply_kind",
    "text",
    "template",
)
EXPORT_KEYS += ("variant", "source")


def parse_date(value: str, what: str = "--at") -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DrafterError(f"{what}: '{value}' is not a date (YYYY-MM-DD)") from None


def sent_text(draft: Draft) -> str:
    """The text as it goes out (and as it is stored): the body, after its subject if any."""
    body = draft.body.strip("\n")
    return f"Subject: {draft.subject}\n\n{body}" if draft.subject else body


def sent_record(
    path: Path,
    *,
    platforms: Iterable[str],
    contact: str | None,
    platform: str | None,
    stage: str | None,
    at: date,
) -> Record:
    """A draft file as sent: options win over its front matter; the body is the text sent."""
    text = read_text(path)
    draft = parse_draft(text, str(path), platforms=platforms, stages=STAGES)
    who = contact or draft.contact_ref or (draft.contact.id if draft.contact else None)
    if not who:
        raise DrafterError(
            f"{path}: who was it sent to? add 'contact: ID' to the front matter or pass --contact"
        )
    where = platform or draft.platform
    if not where:
        raise DrafterError(
            f"{path}: on which platform? add 'platform: NAME' to the front matter or pass --platform"
        )
    body = sent_text(draft)
    if not draft.body.strip():
        raise DrafterError(f"{path}: the draft is empty; nothing was sent")
    event = Event(
        kind="sent",
        at=at,
        platform=where,
        stage=stage or draft.stage,
        text=body,
        template=draft.template,
        variant=draft.variant,
    )
    return with_sketch(Record(who, event, str(path)))


def with_sketch(record: Record) -> Record:
    """A sent message gets its copy-paste sketch when it is logged (see duplicates)."""
    if record.event.kind != "sent" or record.sketch is not None:
        return record
    from drafter.history.duplicates import sketch_bytes

    return replace(record, sketch=sketch_bytes(record.event.text or "", record.contact))


def export_line(record: Record) -> str:
    e = record.event
    values: dict[str, Any] = {
        "contact": record.contact,
        "kind": e.kind,
        "at": e.at.isoformat(),
        "platform": e.platform,
        "stage": e.stage,
        "reply_kind": e.reply_kind,
        "text": e.text,
        "template": e.template,
        "variant": e.variant,
        "source": record.source,
    }
    return json.dumps(values, ensure_ascii=False)


def _text(value: Any, where: str, key: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise DrafterError(f"{where}: '{key}' must be text or null")


def import_line(line: str, where: str) -> Record:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise DrafterError(f"{where}: not JSON: {exc.msg}") from None
    if not isinstance(data, dict):
        raise DrafterError(f"{where}: each line must be a JSON object")
    unknown = set(data) - set(EXPORT_KEYS)
    if unknown:
        raise DrafterError(f"{where}: unknown key '{sorted(unknown)[0]}'")
    contact = data.get("contact")
    if not isinstance(contact, str) or not contact:
        raise DrafterError(f"{where}: 'contact' must be a non-empty id")
    kind = data.get("kind")
    if kind not in EVENT_KINDS:
        raise DrafterError(f"{where}: 'kind' must be one of {', '.join(EVENT_KINDS)}")
    reply_kind = _text(data.get("reply_kind"), where, "reply_kind")
    if reply_kind is not None and reply_kind not in REPLY_KINDS:
        raise DrafterError(f"{where}: 'reply_kind' must be one of {', '.join(REPLY_KINDS)}")
    at = data.get("at")
    if not isinstance(at, str):
        raise DrafterError(f"{where}: 'at' must be a date (YYYY-MM-DD)")
    event = Event(
        kind=kind,
        at=parse_date(at, f"{where}: 'at'"),
        platform=_text(data.get("platform"), where, "platform"),
        stage=_text(data.get("stage"), where, "stage"),
        reply_kind=reply_kind,
        text=_text(data.get("text"), where, "text"),
        template=_text(data.get("template"), where, "template"),
        variant=_text(data.get("variant"), where, "variant"),
    )
    return Record(contact, event, _text(data.get("source"), where, "source"))


def read_export(text: str, name: str) -> list[Record]:
    records = [
        import_line(line, f"{name}:{number}")
        for number, line in enumerate(text.split("\n"), 1)
        if line.strip()
    ]
    return with_sketches(records)


def with_sketches(records: Sequence[Record]) -> list[Record]:
    """with_sketch for many records, the signatures computed in one go."""
    from drafter.history.duplicates import sketches_bytes

    todo = [i for i, r in enumerate(records) if r.event.kind == "sent" and r.sketch is None]
    made = sketches_bytes([(records[i].event.text or "", records[i].contact) for i in todo])
    out = list(records)
    for i, sketch in zip(todo, made, strict=True):
        out[i] = replace(out[i], sketch=sketch)
    return out
