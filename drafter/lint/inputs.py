"""Turning lint arguments (files, folders, stdin) into Drafts with their context resolved."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from drafter.core.contacts import Contact, load_roster
from drafter.core.drafts import Draft, parse_draft
from drafter.core.errors import DrafterError
from drafter.core.files import decode, decode_exact, read_bytes, read_stream
from drafter.core.limits import MAX_DRAFT_BYTES
from drafter.core.platforms import STAGES
from drafter.core.sourcemap import SourceMap

DRAFT_SUFFIXES = (".md", ".txt", ".eml", ".markdown", ".text")


@dataclass(frozen=True)
class LintContext:
    """What the command line says about every draft: explicit values win over front matter."""

    platform: str | None = None
    stage: str | None = None
    contact: Contact | None = None
    roster: Path | None = None


def expand(paths: Sequence[str]) -> list[str]:
    out: list[str] = []
    for raw in paths:
        if raw == "-":
            out.append(raw)
            continue
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                str(p)
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in DRAFT_SUFFIXES and not p.name.startswith(".")
            )
            if not found:
                raise DrafterError(f"{raw}: no drafts (*.md, *.txt, *.eml) in this folder")
            out.extend(found)
        elif path.exists():
            out.append(raw)
        else:
            raise DrafterError(f"{raw}: no such file or folder")
    return out


def read_stdin() -> str:
    return decode(sys.stdin.buffer.read(), "<stdin>")


class ContactResolver:
    """Loads a roster once, on first need, to resolve `contact: id` in front matter."""

    def __init__(self, roster: Path | None) -> None:
        self.roster = roster
        self._by_id: dict[str, Contact] | None = None

    def get(self, contact_id: str, where: str) -> Contact:
        if self.roster is None:
            raise DrafterError(
                f"{where}: front matter names contact '{contact_id}' but no roster was given "
                "(--roster FILE, or roster in drafter.toml)"
            )
        if self._by_id is None:
            self._by_id = {c.id: c for c in load_roster(self.roster)}
        found = self._by_id.get(contact_id)
        if found is None:
            raise DrafterError(f"{where}: no contact '{contact_id}' in {self.roster}")
        return found


def make_draft(
    text: str,
    path: str,
    ctx: LintContext,
    platforms: Iterable[str],
    resolver: ContactResolver,
) -> Draft:
    draft = parse_draft(text, path, platforms=platforms, stages=STAGES)
    contact = ctx.contact or draft.contact
    if contact is None and draft.contact_ref is not None:
        contact = resolver.get(draft.contact_ref, path)
    return replace(
        draft,
        platform=ctx.platform or draft.platform,
        stage=ctx.stage or draft.stage,
        contact=contact,
    )


def load_drafts(
    paths: Sequence[str],
    ctx: LintContext,
    platforms: Iterable[str],
    *,
    stdin_filename: str | None = None,
) -> list[Draft]:
    platforms = list(platforms)
    resolver = ContactResolver(ctx.roster)
    drafts = []
    for raw in expand(paths):
        if raw == "-":
            name = stdin_filename or "<stdin>"
            data = read_stream(sys.stdin.buffer, "<stdin>", MAX_DRAFT_BYTES)
            source = SourceMap(decode_exact(data, "<stdin>"))
        else:
            name = raw
            source = SourceMap(decode_exact(read_bytes(Path(raw), MAX_DRAFT_BYTES), raw))
        draft = make_draft(source.text, name, ctx, platforms, resolver)
        drafts.append(replace(draft, source=source) if source.raw != source.text else draft)
    return drafts
