"""The Draft record that everything passes around, and its file form (YAML front matter + body)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from drafter.core.contacts import Contact, contact_from_mapping
from drafter.core.errors import DrafterError
from drafter.core.files import load_yaml
from drafter.core.sourcemap import SourceMap

# `??`: an empty block ("---" then "---") is tried first, so it never reaches a later "---".
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)??(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_SUBJECT_LINE = re.compile(r"\A[ \t]*subject:[ \t]*(.*?)[ \t]*(?:\n|\Z)", re.I)


@dataclass
class Draft:
    """A message to check: its body and, where known, the context it will be sent in."""

    text: str  # the whole file as given, front matter included: positions refer to it
    body: str
    body_offset: int = 0
    path: str = "<stdin>"
    platform: str | None = None
    stage: str | None = None
    subject: str | None = None
    subject_offset: int | None = None
    contact: Contact | None = None
    contact_ref: str | None = None
    template: str | None = None
    variant: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    disabled: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # what the report must say about how it was linted
    # The file as read, when it differs from `text` (BOM, CRLF, lone CR): maps offsets back.
    source: SourceMap | None = None

    @classmethod
    def from_body(cls, body: str, **context: Any) -> Draft:
        return cls(text=body, body=body, **context)


class LineIndex:
    """Offsets to 1-based (line, column), counting columns in characters."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    def offset(self, line: int, column: int) -> int:
        return self.starts[line - 1] + column - 1


def split_front_matter(text: str, where: str) -> tuple[dict[str, Any], int]:
    """The front matter mapping and the offset where the body starts."""
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, 0
    meta = load_yaml(match.group(1) or "", where, line_offset=1) or {}
    if not isinstance(meta, dict):
        raise DrafterError(f"{where}:2: front matter must be a mapping of keys to values")
    return meta, match.end()


def _subject_offset_in_front(text: str, end: int) -> int | None:
    match = re.search(r"^subject:[ \t]*['\"]?", text[:end], re.M)
    return match.end() if match else None


def _names_in_path(path: str, names: Iterable[str]) -> str | None:
    """The last platform or stage name in the path. A name of one or two letters ("x") counts
    only as a folder (drafts/x/), not in a file name: x.md or plan-x.md is not an X draft."""
    folder, _, filename = path.lower().replace("\\", "/").rpartition("/")
    wanted = set(names)
    short = {n for n in wanted if len(n) < 3}
    parts = [(p, True) for p in re.split(r"[/.\-\s]+", folder) if p]
    parts += [(p, False) for p in re.split(r"[.\-\s]+", filename) if p]
    for part, in_folder in reversed(parts):
        if part in short and not in_folder:
            continue
        if part in wanted:
            return part
        for sub in reversed(part.split("_")):  # "ana_linkedin_connect", but "follow_up" whole
            if sub in wanted and (in_folder or sub not in short):
                return sub
    return None


def parse_draft(
    text: str,
    path: str = "<stdin>",
    *,
    platforms: Iterable[str] = (),
    stages: Iterable[str] = (),
) -> Draft:
    """Read a draft file: front matter gives the context; the path is the fallback for it."""
    meta, body_offset = split_front_matter(text, path)
    platform = meta.get("platform") or _names_in_path(path, platforms)
    stage = meta.get("stage") or _names_in_path(path, stages)
    for key, value in (("platform", platform), ("stage", stage), ("channel", meta.get("channel"))):
        if value is not None and not isinstance(value, str):
            raise DrafterError(f"{path}: front matter '{key}' must be text")
    subject = meta.get("subject")
    subject_offset = _subject_offset_in_front(text, body_offset) if subject else None
    if subject is not None and not isinstance(subject, str):
        subject = str(subject)
    if subject_offset is not None and not text.startswith(str(subject), subject_offset):
        # Not written out at that place (a YAML alias, escapes, folding): findings in the
        # subject then point at the file's start rather than past its end.
        subject_offset = None
    if subject is None:
        line = _SUBJECT_LINE.match(text[body_offset:])
        if line:
            subject = line.group(1)
            subject_offset = body_offset + line.start(1)
            body_offset += line.end()
            while text.startswith("\n", body_offset):
                body_offset += 1
    contact, contact_ref = _contact(meta.get("contact"), path)
    return Draft(
        text=text,
        body=text[body_offset:],
        body_offset=body_offset,
        path=path,
        platform=platform,
        stage=stage,
        subject=subject or None,
        subject_offset=subject_offset,
        contact=contact,
        contact_ref=contact_ref,
        template=_opt_str(meta.get("template")),
        variant=_opt_str(meta.get("variant")),
        meta=meta,
        disabled=_disabled(meta, path),
    )


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


def _contact(value: Any, path: str) -> tuple[Contact | None, str | None]:
    if value is None:
        return None, None
    if isinstance(value, Mapping):
        return contact_from_mapping(value, f"{path}: front matter 'contact'"), None
    if isinstance(value, str | int):
        return None, str(value)
    raise DrafterError(
        f"{path}: front matter 'contact' must be an id or a mapping of contact fields"
    )


def _disabled(meta: Mapping[str, Any], path: str) -> tuple[str, ...]:
    settings = meta.get("drafter")
    if settings is None:
        return ()
    if not isinstance(settings, Mapping):
        raise DrafterError(
            f"{path}: front matter 'drafter' must be a mapping, e.g. {{disable: [rule-id]}}"
        )
    disable = settings.get("disable", [])
    if isinstance(disable, str):
        disable = [disable]
    if not isinstance(disable, list) or not all(isinstance(d, str) for d in disable):
        raise DrafterError(f"{path}: front matter 'drafter.disable' must be a list of rule ids")
    return tuple(disable)


def front_matter(meta: Mapping[str, Any]) -> str:
    dumped = yaml.safe_dump(dict(meta), sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{dumped}---\n"


def to_file_text(draft: Draft) -> str:
    """A rendered draft as a file whose front matter tells later commands its context."""
    meta: dict[str, Any] = {"platform": draft.platform, "stage": draft.stage}
    if draft.contact is not None:
        meta["contact"] = draft.contact.id
    if draft.template:
        meta["template"] = draft.template
    if draft.variant:
        meta["variant"] = draft.variant
    if draft.meta.get("to"):
        meta["to"] = draft.meta["to"]  # the handle or address to send it to
    if draft.subject:
        meta["subject"] = draft.subject
    body = draft.body if draft.body.endswith("\n") else draft.body + "\n"
    return front_matter(meta) + body
