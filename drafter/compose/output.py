"""Where `draft --out` writes: safe file names inside the folder, and reruns that keep edits.

A contact id is personal, untrusted text: it becomes a file name only as a slug checked to stay
inside `--out`, and every name is checked before anything is written. A file drafter writes
carries a hash of its own text in the front matter, so a rerun with `--force` can tell its own
untouched files (safe to replace) from files the user has edited since (kept unless
`--force-edited`).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from drafter.core.contacts import Contact
from drafter.core.errors import DrafterError
from drafter.core.files import read_text

HASH_KEY = "drafter_sha256"
_HASH_LINE = re.compile(rf"^{HASH_KEY}:[ \t]*([0-9a-f]{{64}})[ \t]*\n", re.M)
_UNSAFE = re.compile(r"[^a-z0-9_]+")

State = Literal["new", "unchanged", "edited"]


def _bad_id(contact_id: str) -> str | None:
    """Why an id cannot name a file, or None: checked on the id itself, before slugging."""
    if not contact_id.strip():
        return "is blank"
    if "\x00" in contact_id:
        return "contains a NUL character"
    if any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in contact_id):
        return "contains a line break or control character"
    if contact_id.startswith(("/", "\\")) or re.match(r"[A-Za-z]:[\\/]", contact_id):
        return "is an absolute path"
    if ".." in re.split(r"[\\/]", contact_id):
        return "contains '..'"
    if contact_id.strip(". ") == "":
        return "is only dots"
    return None


def slug(contact_id: str) -> str:
    """`Ana Ribeiro`, `ana/ribeiro` -> `ana-ribeiro`: lower-case letters, digits, _ and -."""
    problem = _bad_id(contact_id)
    if problem is not None:
        raise DrafterError(f"contact id {contact_id!r} {problem}; it cannot name a file")
    ascii_text = unicodedata.normalize("NFKD", contact_id).encode("ascii", "ignore").decode()
    text = _UNSAFE.sub("-", ascii_text.lower()).strip("-_")
    if not text:
        # Non-Latin ids keep a stable, readable-enough name instead of failing.
        text = "contact-" + hashlib.sha256(contact_id.encode("utf-8")).hexdigest()[:10]
    return text[:100]


def target_paths(
    contacts: Sequence[Contact], out: Path, platform: str, stage: str | Mapping[str, str]
) -> dict[str, Path]:
    """One file per contact id, all inside `out`; any bad id or collision fails before writing.
    `stage` may be one stage for everyone or each contact's own (`draft --next`)."""
    root = out.resolve()
    by_name: dict[str, str] = {}
    paths: dict[str, Path] = {}
    for contact in contacts:
        this_stage = stage if isinstance(stage, str) else stage[contact.id]
        name = f"{slug(contact.id)}.{platform}.{this_stage}.md"
        if name in by_name:
            raise DrafterError(
                f"contact ids {by_name[name]!r} and {contact.id!r} would both write {out / name}; "
                "make the ids differ in letters or digits"
            )
        target = out / name
        if not target.resolve().is_relative_to(root):
            raise DrafterError(f"{target}: resolves outside {out} (a symbolic link?); not writing")
        by_name[name] = contact.id
        paths[contact.id] = target
    return paths


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def stamp(file_text: str) -> str:
    """Add the hash of the file text as written to the end of its front matter."""
    if not file_text.startswith("---\n"):
        raise ValueError("stamp() needs text that starts with front matter")
    end = file_text.index("\n---\n", 3) + 1
    return f"{file_text[:end]}{HASH_KEY}: {_digest(file_text)}\n{file_text[end:]}"


def state(path: Path) -> State:
    """new: no file; unchanged: drafter wrote it and nobody edited it since; edited: anything else."""
    if not path.exists() and not path.is_symlink():
        return "new"
    try:
        text = read_text(path)
    except DrafterError:
        return "edited"
    match = _HASH_LINE.search(text)
    if match is None or not text.startswith("---\n"):
        return "edited"
    unstamped = text[: match.start()] + text[match.end() :]
    return "unchanged" if _digest(unstamped) == match.group(1) else "edited"


@dataclass(frozen=True)
class Plan:
    """What a run does with each target: write (new or replace) or keep, and why."""

    write: dict[str, Path]
    skipped: dict[str, Path]  # exists; no --force
    kept_edited: dict[str, Path]  # exists and edited (or not drafter's); --force without -edited


def plan(paths: dict[str, Path], *, force: bool, force_edited: bool) -> Plan:
    write: dict[str, Path] = {}
    skipped: dict[str, Path] = {}
    kept: dict[str, Path] = {}
    for contact_id, path in paths.items():
        found = state(path)
        if found == "new" or force_edited or (force and found == "unchanged"):
            write[contact_id] = path
        elif force:
            kept[contact_id] = path
        else:
            skipped[contact_id] = path
    return Plan(write, skipped, kept)


def describe_kept(plan_: Plan) -> Iterable[str]:
    """Lines for stderr: what a rerun left alone, so the user knows nothing was lost."""
    for path in plan_.skipped.values():
        yield f"{path}: exists, skipped (--force replaces files drafter wrote)"
    for path in plan_.kept_edited.values():
        yield f"{path}: edited since drafter wrote it, kept (--force-edited replaces it)"
