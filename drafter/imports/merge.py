"""Adding imported contacts to a roster file without touching anything the user wrote.

The merge runs on plain data; the additions then go into the roster file as text (patch_text),
checked by reading the result back, so comments, order, quoting and every field the user set
survive byte for byte. Layouts the text patch does not handle fall back to a ruamel.yaml
round-trip edit, which keeps comments and order too. An imported contact is the same person as a roster contact
when they share a profile URL, handle or e-mail, or when their ids match and no profile disagrees.
For a known person only missing fields are added; a different value in the roster is kept and
reported, never replaced.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from drafter.core.errors import DrafterError
from drafter.core.files import read_text
from drafter.imports.records import Row

_FastDumper: Any = getattr(pyyaml, "CSafeDumper", pyyaml.SafeDumper)
NEW_ROSTER_HEADER = (
    "# Contacts imported by `drafter import`. Edit freely: importing again only adds\n"
    "# contacts and fields that are missing here, and never changes what you wrote.\n"
)


@dataclass
class Change:
    contact_id: str
    source: str
    new: bool = False
    added: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # the roster's value differs: theirs stays


@dataclass
class Merge:
    changes: list[Change]

    @property
    def new(self) -> list[Change]:
        return [c for c in self.changes if c.new]

    @property
    def updated(self) -> list[Change]:
        return [c for c in self.changes if not c.new and c.added]

    @property
    def changed(self) -> bool:
        return bool(self.new or self.updated)

    def lines(self) -> Iterable[str]:
        for c in self.changes:
            if c.new:
                yield f"new      {c.contact_id} ({c.source})"
            elif c.added or c.kept:
                parts = [f"added {', '.join(c.added)}"] if c.added else []
                if c.kept:
                    parts.append(f"kept yours: {', '.join(c.kept)}")
                yield f"{'updated' if c.added else 'kept   '}  {c.contact_id}: {'; '.join(parts)}"

    def summary(self) -> str:
        added = sum(len(c.added) for c in self.updated)
        kept = sum(len(c.kept) for c in self.changes)
        same = sum(1 for c in self.changes if not c.new and not c.added)
        return (
            f"{len(self.new)} new, {len(self.updated)} updated ({added} fields added), "
            f"{same} already up to date; {kept} fields kept as you had them"
        )


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=2, offset=0)
    yaml.width = 4096
    yaml.preserve_quotes = True
    return yaml


def new_roster() -> CommentedSeq:
    return CommentedSeq()


def load_document(path: Path) -> tuple[Any, CommentedSeq]:
    """The whole YAML document and the list of contacts inside it (a new list for a new file)."""
    if not path.exists():
        seq = CommentedSeq()
        return seq, seq
    text = read_text(path)
    try:
        document = _yaml().load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise DrafterError(f"{path}{line}: invalid YAML: {getattr(exc, 'problem', exc)}") from None
    if document is None:
        seq = CommentedSeq()
        return seq, seq
    if isinstance(document, MutableMapping) and isinstance(document.get("contacts"), list):
        return document, document["contacts"]
    if isinstance(document, CommentedSeq):
        return document, document
    raise DrafterError(
        f"{path}: to merge into it, the roster must be a list of contacts (or 'contacts:' holding one)"
    )


def plain(value: Any) -> Any:
    """ruamel's commented containers as plain dicts and lists, for PyYAML's fast C emitter."""
    if isinstance(value, MutableMapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def dump_plain(contacts: list[Any], *, header: bool) -> str:
    """New rosters and appended contacts: PyYAML is ~50x faster than a round-trip dump."""
    text = pyyaml.dump(
        plain(contacts),
        Dumper=_FastDumper,
        sort_keys=False,
        allow_unicode=True,
        width=4096,
        default_flow_style=False,
    )
    return (NEW_ROSTER_HEADER if header else "") + text


def appendable(text: str) -> bool:
    """A top-level block list in one document: new contacts can go on the end, as text."""
    lines = [ln for ln in text.split("\n") if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines or not re.match(r"-(\s|$)", lines[0]):
        return False
    return not any(ln.startswith(("---", "...")) for ln in lines)


def dump(document: Any, *, header: bool) -> str:
    stream = io.StringIO()
    _yaml().dump(document, stream)
    return (NEW_ROSTER_HEADER if header else "") + stream.getvalue()


def _norm(value: Any) -> str:
    text = str(value).strip().lower()
    text = re.sub(r"^(https?://)?(www\.|m\.)?", "", text)
    return text.rstrip("/").lstrip("@")


def _keys(contact: Any) -> set[tuple[str, str]]:
    platforms = contact.get("platforms") if isinstance(contact, MutableMapping) else None
    if not isinstance(platforms, MutableMapping):
        return set()
    return {(str(k), _norm(v)) for k, v in platforms.items() if v}


def _disagrees(existing: Any, row: Row) -> bool:
    """Both have a profile on the same platform (e-mail aside) and they differ: two people."""
    mine = dict(_keys(existing))
    return any(
        platform != "email" and platform in mine and mine[platform] != _norm(value)
        for platform, value in row.get("platforms", {}).items()
    )


def _commented(value: Any) -> Any:
    if isinstance(value, dict):
        out = CommentedMap()
        for key, item in value.items():
            out[key] = _commented(item)
        return out
    if isinstance(value, list):
        return CommentedSeq(_commented(v) for v in value)
    return value


def _fill(existing: MutableMapping[str, Any], row: Row, change: Change, prefix: str = "") -> None:
    """Add what is missing; where both have a value and they differ, keep the roster's."""
    for key, value in row.items():
        if key == "id" and not prefix:
            continue
        name = f"{prefix}{key}"
        current = existing.get(key)
        if current in (None, "", [], {}):
            existing[key] = _commented(value)
            change.added.append(name)
        elif isinstance(value, dict) and isinstance(current, MutableMapping):
            _fill(current, value, change, f"{name}.")
        elif (_norm(current) != _norm(value) and not isinstance(value, list | dict)) or (
            isinstance(value, dict | list) and not isinstance(current, type(value))
        ):
            change.kept.append(name)


def merge(contacts: list[Any], rows: Iterable[Row], source: str) -> list[Change]:
    by_key: dict[tuple[str, str], Any] = {}
    by_id: dict[str, Any] = {}

    def remember(contact: Any) -> None:
        for key in _keys(contact):
            by_key.setdefault(key, contact)
        if isinstance(contact, MutableMapping) and contact.get("id") is not None:
            by_id.setdefault(str(contact["id"]), contact)

    for contact in contacts:
        remember(contact)
    changes: list[Change] = []
    for raw in rows:
        row = dict(raw)
        where = f"{source}:{row.pop('__line__', '?')}"
        keys = {(str(k), _norm(v)) for k, v in row.get("platforms", {}).items()}
        match = next((by_key[k] for k in sorted(keys) if k in by_key), None)
        if match is None and row["id"] in by_id and not _disagrees(by_id[row["id"]], row):
            match = by_id[row["id"]]
        if match is None:
            base, n = row["id"], 2
            while row["id"] in by_id:
                row["id"] = f"{base}-{n}"
                n += 1
            new = _commented(row)
            contacts.append(new)
            remember(new)
            changes.append(Change(row["id"], where, new=True))
        else:
            change = Change(str(match.get("id")), where)
            _fill(match, row, change)
            remember(match)
            changes.append(change)
    return changes


_FastLoader: Any = getattr(pyyaml, "CSafeLoader", pyyaml.SafeLoader)


def _last_line_end(text: str, node: Any) -> int:
    """Where the line holding the end of `node` ends: new keys go right after it."""
    while (
        isinstance(node, pyyaml.CollectionNode) and not node.flow_style and node.value
    ):  # descend into block collections to their last scalar or flow collection
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    end: int = node.end_mark.index
    if end > 0 and text[end - 1] == "\n":  # block scalars end at the next line's start
        return end
    newline = text.find("\n", end)
    return len(text) if newline == -1 else newline + 1


def _key_node(mapping: Any, key: str) -> Any:
    for k, v in mapping.value:
        if isinstance(k, pyyaml.ScalarNode) and k.value == key:
            return v
    return None


def _block(key: str, value: Any, indent: int) -> str:
    text = pyyaml.dump(
        {key: plain(value)},
        Dumper=_FastDumper,
        sort_keys=False,
        allow_unicode=True,
        width=4096,
        default_flow_style=False,
    )
    return "".join(" " * indent + line for line in text.splitlines(keepends=True))


def patch_text(original: str, changes: list[Change], merged: dict[str, Any]) -> str | None:
    """Add the fields `changes` list to the roster as text, leaving every other byte alone.

    Works for the usual layout (a top-level block list of block mappings); anything else, such
    as a key present with an empty value or flow-style platforms, returns None so the caller
    uses the round-trip editor instead. `merged` maps contact ids to their merged records.
    """
    try:
        root = pyyaml.compose(original, Loader=_FastLoader)
    except pyyaml.YAMLError:
        return None
    if not isinstance(root, pyyaml.SequenceNode) or root.flow_style:
        return None
    by_id: dict[str, Any] = {}
    for item in root.value:
        if isinstance(item, pyyaml.MappingNode) and not item.flow_style:
            id_node = _key_node(item, "id")
            if isinstance(id_node, pyyaml.ScalarNode):
                by_id[id_node.value] = item
    inserts: dict[int, list[tuple[int, str]]] = {}
    for change in changes:
        node = by_id.get(change.contact_id)
        if change.new or not change.added:
            continue
        if node is None:
            return None
        for path in change.added:
            parts = path.split(".")
            target = node
            if len(parts) == 2:
                target = _key_node(node, parts[0])
            if (
                len(parts) > 2
                or not isinstance(target, pyyaml.MappingNode)
                or target.flow_style
                or not target.value
                or _key_node(target, parts[-1]) is not None
            ):
                return None
            value = merged[change.contact_id]
            for part in parts:
                value = value[part]
            indent = target.value[0][0].start_mark.column
            at = _last_line_end(original, target)
            inserts.setdefault(at, []).append((indent, _block(parts[-1], value, indent)))
    out = original
    for at in sorted(inserts, reverse=True):
        lead = "\n" if at == len(out) and not out.endswith("\n") else ""
        # Where a nested mapping ends with its parent, its keys go first (deeper indent).
        texts = [t for _, t in sorted(inserts[at], key=lambda it: -it[0])]
        out = out[:at] + lead + "".join(texts) + out[at:]
    return out
