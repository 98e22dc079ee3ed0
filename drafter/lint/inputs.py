"""Turning lint arguments (files, folders, stdin) into Drafts with their context resolved."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from drafter.core.contacts import Contact, load_roster
from drafter.core.drafts import Draft, parse_draft
from drafter.core.errors import DrafterError
from drafter.core.files import decode, decode_exact, read_bytes, read_stream
from drafter.core.limits import MAX_DRAFT_BYTES
from drafter.core.platforms import STAGES, canonical_platform, canonical_stage
from drafter.core.sourcemap import SourceMap
from drafter.lint.kinds.check import CheckSpec
from drafter.lint.rules import Rule

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
        found, why = self.find(contact_id)
        if found is None:
            raise DrafterError(f"{where}: {why}")
        return found

    def find(self, contact_id: str) -> tuple[Contact | None, str]:
        """The contact, or None and why not. A broken roster file is still an error."""
        if self.roster is None:
            return None, (
                f"front matter names contact '{contact_id}' but no roster was given "
                "(--roster FILE, or roster in drafter.toml)"
            )
        if self._by_id is None:
            self._by_id = {c.id: c for c in load_roster(self.roster)}
        found = self._by_id.get(contact_id)
        if found is None:
            return None, f"no contact '{contact_id}' in {self.roster}"
        return found, ""


def make_draft(
    text: str,
    path: str,
    ctx: LintContext,
    platforms: Iterable[str],
    resolver: ContactResolver,
) -> Draft:
    draft = parse_draft(text, path, platforms=platforms, stages=STAGES)
    if draft.platform and isinstance(platforms, Mapping):  # `platform: LinkedIn` in front matter
        draft = replace(draft, platform=canonical_platform(draft.platform, platforms))
    if draft.stage:
        draft = replace(draft, stage=canonical_stage(draft.stage))
    contact = ctx.contact or draft.contact
    notes = draft.notes
    if contact is None and draft.contact_ref is not None:
        # One unknown contact must not stop a folder: lint this draft without the profile.
        contact, why = resolver.find(draft.contact_ref)
        if contact is None:
            notes = (*notes, f"{why}; linted without the contact's profile")
    return replace(
        draft,
        platform=ctx.platform or draft.platform,
        stage=ctx.stage or draft.stage,
        contact=contact,
        notes=notes,
    )


def read_raw(path: str, stdin_filename: str | None = None) -> tuple[str, str]:
    """(name, text as read: BOM and line endings kept) of one draft file or `-`, bounded."""
    if path == "-":
        data = read_stream(sys.stdin.buffer, "<stdin>", MAX_DRAFT_BYTES)
        return stdin_filename or "<stdin>", decode_exact(data, "<stdin>")
    if Path(path).is_dir():
        raise DrafterError(f"{path}: is a folder; fix one draft at a time")
    return path, decode_exact(read_bytes(Path(path), MAX_DRAFT_BYTES), path)


def read_draft(
    raw: str,
    ctx: LintContext,
    platforms: Iterable[str],
    resolver: ContactResolver,
    stdin_filename: str | None = None,
) -> Draft:
    """One draft from a path or `-`, bounded in size; the file as read (BOM, CRLF, lone CR) is
    kept beside the text the rules see, so reported offsets and fixes map back to it."""
    if raw == "-":
        name = stdin_filename or "<stdin>"
        data = read_stream(sys.stdin.buffer, "<stdin>", MAX_DRAFT_BYTES)
        source = SourceMap(decode_exact(data, "<stdin>"))
    else:
        name = raw
        source = SourceMap(decode_exact(read_bytes(Path(raw), MAX_DRAFT_BYTES), raw))
    draft = make_draft(source.text, name, ctx, platforms, resolver)
    return replace(draft, source=source) if source.raw != source.text else draft


def load_drafts(
    paths: Sequence[str],
    ctx: LintContext,
    platforms: Iterable[str],
    *,
    stdin_filename: str | None = None,
) -> list[Draft]:
    platforms = platforms if isinstance(platforms, Mapping) else list(platforms)
    resolver = ContactResolver(ctx.roster)
    return [read_draft(raw, ctx, platforms, resolver, stdin_filename) for raw in expand(paths)]


# Checks that measure against a platform's limits or conventions: without one they are silent.
_PLATFORM_CHECKS = frozenset(
    {"over-limit", "near-limit", "subject-limit", "links-not-allowed", "hashtags-not-allowed"}
)


def rules_needing_platform(rules: Mapping[str, Rule]) -> list[str]:
    """Rule ids that say nothing about a draft whose platform is unknown."""
    out = []
    for rule in rules.values():
        spec = rule.spec
        if rule.scope.platforms is not None:
            out.append(rule.id)
        elif isinstance(spec, CheckSpec) and spec.check in _PLATFORM_CHECKS:
            if getattr(spec.params, "without_platform", False):
                continue
            out.append(rule.id)
    return sorted(out)


def missing_platform_note(drafts: Sequence[Draft], rules: Mapping[str, Rule]) -> str | None:
    """For stdin read without a platform: which platform rules could not be applied."""
    if not any(d.platform is None and d.path == "<stdin>" for d in drafts):
        return None
    skipped = rules_needing_platform(rules)
    if not skipped:
        return None
    return (
        "drafter: note: <stdin> has no platform (give --platform, --stdin-filename with a "
        f"platform folder, or platform: in front matter); not applied: {', '.join(skipped)}"
    )
