"""Contact and sender records, and their loaders for YAML, CSV and JSON.

Contact data is personal and untrusted: it is validated into plain records and never evaluated.
Every error names the file, the row or line, and the field.
"""

from __future__ import annotations

import difflib
import json
import re
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from drafter.core import tables
from drafter.core.errors import DrafterError, DrafterWarning
from drafter.core.files import (
    LineDict,
    LineLoader,
    check_json_text,
    load_yaml,
    parse_failure,
    read_text,
)

ACTIVITY_KINDS = ("post", "talk", "project", "repo", "article", "answer")
LIST_FIELDS = ("common_ground", "interests", "side_projects", "tags")
# reason, question and thanks_for are the sender's own words: why I write, what I want to ask,
# what they did for me. Only the sender knows them, and drafts are built around them.
TEXT_FIELDS = (
    "company",
    "role",
    "location",
    "how_we_met",
    "notes",
    "reason",
    "question",
    "thanks_for",
)
CONTACT_FIELDS = frozenset(
    {"id", "name", "first_name", "last_name", "platforms", "recent_activity", "intros"}
    | {*LIST_FIELDS, *TEXT_FIELDS}
)


@dataclass(frozen=True)
class Activity:
    """Something the contact made or said: the best material for a specific message."""

    kind: str
    title: str
    url: str | None = None
    date: str | None = None
    takeaway: str | None = None  # what in it mattered to the sender, in their words


@dataclass(frozen=True)
class Contact:
    id: str
    name: str
    first_name: str
    last_name: str = ""
    platforms: dict[str, str] = field(default_factory=dict)
    company: str | None = None
    role: str | None = None
    location: str | None = None
    how_we_met: str | None = None
    common_ground: list[str] = field(default_factory=list)
    recent_activity: list[Activity] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)
    side_projects: list[str] = field(default_factory=list)
    notes: str | None = None
    tags: list[str] = field(default_factory=list)
    reason: str | None = None
    question: str | None = None
    thanks_for: str | None = None
    intros: dict[str, str] = field(default_factory=dict)  # other contact id -> why you two
    extra: dict[str, Any] = field(default_factory=dict)
    source: str = ""

    def __getitem__(self, key: str) -> Any:
        """Templates reach unknown roster fields as `contact.<field>`."""
        if key in self.extra:
            return self.extra[key]
        raise KeyError(key)

    def facts(self) -> list[tuple[str, str]]:
        """(field, text) pairs beyond name and company: what makes a message about this person."""
        out: list[tuple[str, str]] = []
        for act in self.recent_activity:
            out.append(("recent_activity", act.title))
        for name in ("common_ground", "side_projects", "interests"):
            out.extend((name, item) for item in getattr(self, name))
        for name in ("how_we_met", "role", "location"):
            value = getattr(self, name)
            if value:
                out.append((name, value))
        return out


@dataclass(frozen=True)
class Offer:
    """Something the sender can give before asking: an article, a review, an introduction."""

    kind: str
    title: str
    url: str | None = None
    topics: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Sender:
    name: str
    first_name: str
    role: str | None = None
    about: str | None = None
    company: str | None = None
    location: str | None = None
    offers: list[Offer] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    source: str = ""

    def __getitem__(self, key: str) -> Any:
        if key in self.extra:
            return self.extra[key]
        raise KeyError(key)


def _where(path: str, row: Mapping[str, Any], index: int, kind: str) -> str:
    if kind == "csv":
        return f"{path}:{row.get('__line__', index + 2)}"
    line = getattr(row, "line", 0)
    return f"{path}:{line}" if line else f"{path}: contact #{index + 1}"


def _text(where: str, name: str, value: Any, *, required: bool = False) -> str | None:
    if value is None or value == "":
        if required:
            raise DrafterError(f"{where}: field '{name}' is missing")
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise DrafterError(f"{where}: field '{name}' must be text, got {_type_name(value)}")
    return str(value).strip()


def _type_name(value: Any) -> str:
    return {dict: "a mapping", list: "a list", bool: "true/false"}.get(
        type(value), type(value).__name__
    )


def _text_list(where: str, name: str, value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if not isinstance(value, list):
        raise DrafterError(
            f"{where}: field '{name}' must be a list of text, got {_type_name(value)}"
        )
    out = []
    for item in value:
        text = _text(where, f"{name}[]", item)
        if text:
            out.append(text)
    return out


def _activities(where: str, value: Any) -> list[Activity]:
    if value is None or value == "":
        return []
    if isinstance(value, Mapping):
        value = [value]
    if not isinstance(value, list):
        raise DrafterError(
            f"{where}: field 'recent_activity' must be a list, got {_type_name(value)}"
        )
    out = []
    for i, item in enumerate(value):
        name = f"recent_activity[{i}]"
        if not isinstance(item, Mapping):
            raise DrafterError(f"{where}: field '{name}' must be a mapping with kind and title")
        kind = _text(where, f"{name}.kind", item.get("kind"), required=True) or ""
        if kind not in ACTIVITY_KINDS:
            raise DrafterError(
                f"{where}: field '{name}.kind' is '{kind}', "
                f"expected one of {', '.join(ACTIVITY_KINDS)}"
            )
        title = _text(where, f"{name}.title", item.get("title"), required=True) or ""
        out.append(
            Activity(
                kind=kind,
                title=title,
                url=_text(where, f"{name}.url", item.get("url")),
                date=_text(where, f"{name}.date", item.get("date")),
                takeaway=_text(where, f"{name}.takeaway", item.get("takeaway")),
            )
        )
    return out


def _platforms(where: str, value: Any, name: str = "platforms") -> dict[str, str]:
    if value is None or value == "":
        return {}
    if not isinstance(value, Mapping):
        what = "platform to handle" if name == "platforms" else "contact id to text"
        raise DrafterError(f"{where}: field '{name}' must be a mapping of {what}")
    out = {}
    for key, handle in value.items():
        text = _text(where, f"{name}.{key}", handle)
        if text:
            out[str(key)] = text
    return out


def _names(where: str, row: Mapping[str, Any]) -> tuple[str, str, str]:
    name = _text(where, "name", row.get("name"))
    first = _text(where, "first_name", row.get("first_name", row.get("first")))
    last = _text(where, "last_name", row.get("last_name", row.get("last")))
    if not name and not first:
        raise DrafterError(f"{where}: field 'name' is missing (give name, or first_name/last_name)")
    if not name:
        name = f"{first} {last}".strip() if last else first
    if not first:
        first = name.split()[0] if name else ""
    if not last and name and " " in name:
        last = name.split()[-1]
    return name or "", first or "", last or ""


def contact_from_mapping(row: Mapping[str, Any], where: str) -> Contact:
    if not isinstance(row, Mapping):
        raise DrafterError(f"{where}: a contact must be a mapping, got {_type_name(row)}")
    contact_id = _text(where, "id", row.get("id"), required=True) or ""
    name, first, last = _names(where, row)
    extra = {
        str(k): v
        for k, v in row.items()
        if k not in CONTACT_FIELDS and k not in ("first", "last", "__line__")
    }
    return Contact(
        id=contact_id,
        name=name,
        first_name=first,
        last_name=last,
        platforms=_platforms(where, row.get("platforms")),
        common_ground=_text_list(where, "common_ground", row.get("common_ground")),
        recent_activity=_activities(where, row.get("recent_activity")),
        interests=_text_list(where, "interests", row.get("interests")),
        side_projects=_text_list(where, "side_projects", row.get("side_projects")),
        tags=_text_list(where, "tags", row.get("tags")),
        intros=_platforms(where, row.get("intros"), "intros"),
        extra=extra,
        source=where,
        **{f: _text(where, f, row.get(f)) for f in TEXT_FIELDS},  # type: ignore[arg-type]
    )


def _csv_key(header: str) -> str:
    """Spreadsheet headers as people write them: `First Name`, `ID`, `Platforms.LinkedIn`."""
    key = header.strip()
    snake = "_".join(key.lower().replace("-", " ").split())
    if snake in CONTACT_FIELDS or snake in ("first", "last"):
        return snake
    if snake.startswith("platforms."):
        return "platforms." + snake.split(".", 1)[1].strip("_")
    return key


def _csv_rows(text: str) -> Iterator[dict[str, Any]]:
    for line_num, record in tables.records(text):  # , ; or tab, as the header row shows
        row: dict[str, Any] = {"__line__": line_num}
        platforms: dict[str, str] = {}
        for key, value in record.items():
            if key is None:
                raise DrafterError(f"{line_num}: more cells than columns in the header")
            key = _csv_key(key)
            value = (value or "").strip()
            if not value:
                continue
            if key.startswith("platforms."):
                platforms[key.split(".", 1)[1]] = value
            elif key.startswith("intros."):
                row.setdefault("intros", {})[key.split(".", 1)[1]] = value
            elif key in LIST_FIELDS:
                row[key] = [part.strip() for part in value.split(";") if part.strip()]
            elif key == "recent_activity":
                row[key] = [_csv_activity(part) for part in value.split(";") if part.strip()]
            else:
                row[key] = value
        if platforms:
            row["platforms"] = platforms
        yield row


def _csv_activity(cell: str) -> dict[str, str]:
    """`kind|title|url|date|takeaway` in one CSV cell; only kind and title are required."""
    parts = [p.strip() for p in cell.split("|")]
    keys = ("kind", "title", "url", "date", "takeaway")
    return {k: v for k, v in zip(keys, parts, strict=False) if v}


_ITEM = re.compile(r"^-(?=[ \t\r\n]|\Z)", re.M)
_NOT_ITEMS = re.compile(r"^(?:---|\.\.\.)|(?:^|[\s\[{,])[&*][^\s,\]}]", re.M)


def _yaml_items(path: Path, text: str) -> Iterator[Any] | None:
    """A root block sequence ("- id: ..." at column 0), parsed one item at a time, so a
    100,000-row roster never holds its whole node graph (1.7 GB) in memory. None when the text
    is anything else, or uses anchors, aliases or several documents: then it is parsed whole."""
    starts = [m.start() for m in _ITEM.finditer(text)]
    if len(starts) < 2 or _NOT_ITEMS.search(text):
        return None
    head = text[: starts[0]]
    if any(ln.strip() and not ln.lstrip().startswith("#") for ln in head.splitlines()):
        return None

    def items() -> Iterator[Any]:
        line = head.count("\n")
        for i, start in enumerate(starts):
            chunk = text[start : starts[i + 1] if i + 1 < len(starts) else len(text)]
            try:
                data = yaml.load(chunk, Loader=LineLoader)
            except yaml.MarkedYAMLError as exc:
                at = exc.problem_mark.line + 1 + line if exc.problem_mark else "?"
                raise DrafterError(f"{path}:{at}: invalid YAML: {exc.problem}") from None
            except yaml.YAMLError as exc:
                raise DrafterError(f"{path}: invalid YAML: {exc}") from None
            except (ValueError, RecursionError) as exc:
                raise (
                    parse_failure(exc, f"{path}:{line + 1}") or DrafterError(f"{path}: {exc}")
                ) from None
            for item in data or [None]:
                if isinstance(item, LineDict):
                    item.line += line
                yield item
            line += chunk.count("\n")

    return items()


def _parse(path: Path, text: str) -> tuple[list[Any] | Iterator[Any], str]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        try:
            return list(_csv_rows(text)), "csv"
        except DrafterError as exc:
            raise DrafterError(f"{path}:{exc.message}") from None
    if suffix == ".json":
        try:
            data = check_json_text(text, json.loads(text), str(path))
        except json.JSONDecodeError as exc:
            raise DrafterError(f"{path}:{exc.lineno}: invalid JSON: {exc.msg}") from None
        except (ValueError, RecursionError) as exc:
            raise (parse_failure(exc, str(path)) or DrafterError(f"{path}: {exc}")) from None
        kind = "json"
    elif suffix in (".yaml", ".yml"):
        items = _yaml_items(path, text)
        if items is not None:
            return items, "yaml"
        data = load_yaml(text, str(path), lines=True)
        kind = "yaml"
    else:
        raise DrafterError(
            f"{path}: unknown roster format '{suffix}'; use .yaml, .yml, .csv or .json"
        )
    if isinstance(data, Mapping) and "contacts" in data:
        data = data["contacts"]
    if isinstance(data, Mapping):
        data = [data]
    if data is None:
        data = []
    if not isinstance(data, list):
        raise DrafterError(f"{path}: expected a list of contacts or one contact")
    return data, kind


_KNOWN_KEYS = (*sorted(CONTACT_FIELDS), "first", "last")


def _warn_typos(where: str, row: Mapping[str, Any], seen: set[str]) -> None:
    """An unknown field one typo away from a known one is almost always that field.

    Each unknown field is compared once per roster (`seen`), and warned about at its first row.
    """
    for key in row:
        if key in CONTACT_FIELDS or key in seen or not isinstance(key, str):
            continue
        seen.add(key)
        close = difflib.get_close_matches(key, _KNOWN_KEYS, n=1, cutoff=0.8)
        if close:
            warnings.warn(
                f"{where}: unknown field '{key}' (kept as contact.{key}); did you mean {close[0]}?",
                DrafterWarning,
                stacklevel=2,
            )


def load_roster(path: Path, encoding: str | None = None) -> list[Contact]:
    text = tables.decode_table(tables.read_bytes(path), str(path), encoding)
    hint = tables.export_hint(text) if path.suffix.lower() == ".csv" else None
    if hint is not None:
        raise DrafterError(f"{path}: {hint}")
    rows, kind = _parse(path, text)
    contacts: list[Contact] = []
    seen: dict[str, str] = {}
    warned: set[str] = set()
    for index, row in enumerate(rows):
        if isinstance(rows, list):
            rows[index] = None  # each parsed row is freed as its Contact is built
        where = _where(str(path), row if isinstance(row, Mapping) else {}, index, kind)
        if isinstance(row, Mapping):
            _warn_typos(where, row, warned)
        contact = contact_from_mapping(row, where)
        if contact.id in seen:
            raise DrafterError(
                f"{where}: field 'id': duplicate id '{contact.id}' (first at {seen[contact.id]})"
            )
        seen[contact.id] = where
        contacts.append(contact)
    if not contacts:
        raise DrafterError(f"{path}: no contacts in the roster")
    return contacts


def select(contacts: list[Contact], ids: list[str], source: str) -> list[Contact]:
    if not ids:
        return contacts
    by_id = {c.id: c for c in contacts}
    missing = [i for i in ids if i not in by_id]
    if missing:
        raise DrafterError(f"{source}: no contact with id {', '.join(repr(m) for m in missing)}")
    return [by_id[i] for i in ids]


def _offers(where: str, value: Any) -> list[Offer]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise DrafterError(f"{where}: field 'offers' must be a list")
    out = []
    for i, item in enumerate(value):
        if isinstance(item, str):
            out.append(Offer(kind="other", title=item.strip()))
        elif isinstance(item, Mapping):
            title = _text(where, f"offers[{i}].title", item.get("title"), required=True) or ""
            out.append(
                Offer(
                    kind=_text(where, f"offers[{i}].kind", item.get("kind")) or "other",
                    title=title,
                    url=_text(where, f"offers[{i}].url", item.get("url")),
                    topics=_text_list(where, f"offers[{i}].topics", item.get("topics")),
                )
            )
        else:
            raise DrafterError(f"{where}: field 'offers[{i}]' must be text or a mapping")
    return out


SENDER_FIELDS = frozenset(
    ("name", "first_name", "last_name", "role", "about", "company", "location", "offers")
)


def load_sender(path: Path) -> Sender:
    parsed, kind = _parse(path, read_text(path))
    rows = list(parsed)
    if len(rows) != 1 or not isinstance(rows[0], Mapping):
        raise DrafterError(
            f"{path}: expected one profile (a mapping with name, role, about, offers)"
        )
    row = rows[0]
    where = _where(str(path), row, 0, kind)
    name, first, _last = _names(where, row)
    return Sender(
        name=name,
        first_name=first,
        role=_text(where, "role", row.get("role")),
        about=_text(where, "about", row.get("about")),
        company=_text(where, "company", row.get("company")),
        location=_text(where, "location", row.get("location")),
        offers=_offers(where, row.get("offers")),
        extra={str(k): v for k, v in row.items() if k not in SENDER_FIELDS},
        source=str(path),
    )
