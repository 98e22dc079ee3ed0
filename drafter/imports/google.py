"""Google Contacts' CSV export, in both layouts Google has used.

New (2024-): First Name, Middle Name, Last Name, Organization Name, Organization Title, Notes,
Labels, "E-mail 1 - Value", "Website 1 - Value". Old: Name, Given Name, Family Name,
"Organization 1 - Name", "Organization 1 - Title", Notes, Group Membership. Several values in
one cell are joined with " ::: ".
"""

from __future__ import annotations

import re

from drafter.core import tables
from drafter.core.errors import DrafterError
from drafter.imports.records import Row, clean, id_from, profile

_SYSTEM_LABELS = {"* myContacts", "* starred", "* other", "* friends", "* family", "* coworkers"}


def _first(get: dict[str, str], *names: str) -> str:
    for name in names:
        value = get.get(name, "")
        if value:
            return value.split(" ::: ")[0].strip()
    return ""


def _numbered(get: dict[str, str], kind: str) -> list[str]:
    """Every value of `E-mail 1 - Value`, `Website 2 - Value`, ... in column order."""
    pattern = re.compile(rf"^{kind} \d+ - Value$")
    out: list[str] = []
    for key, value in get.items():
        if pattern.match(key) and value:
            out.extend(v.strip() for v in value.split(" ::: ") if v.strip())
    return out


def parse(text: str, where: str) -> list[Row]:
    rows: list[Row] = []
    header_seen = False
    for line_num, record in tables.records(text):
        get = {str(k).strip(): (v or "").strip() for k, v in record.items() if k is not None}
        if not header_seen:
            header_seen = True
            if not ({"First Name", "Given Name", "Name"} & set(get)):
                raise DrafterError(
                    f"{where}: no 'First Name' or 'Given Name' column; is this a Google Contacts "
                    "export (Export > Google CSV)?"
                )
        first = _first(get, "First Name", "Given Name")
        last = _first(get, "Last Name", "Family Name")
        name = _first(get, "Name") or " ".join(p for p in (first, last) if p)
        emails = _numbered(get, "E-mail")
        if not name and not emails:
            continue
        platforms: dict[str, str] = {}
        websites: list[str] = []
        for url in _numbered(get, "Website"):
            found = profile(url)
            if found and found[0] not in platforms:
                platforms[found[0]] = found[1]
            elif not found:
                websites.append(url)
        if emails:
            platforms["email"] = emails[0]
        labels = get.get("Labels") or get.get("Group Membership") or ""
        tags = [t.strip() for t in labels.split(" ::: ") if t.strip() not in _SYSTEM_LABELS]
        row: Row = {
            "id": id_from(name, emails[0].split("@")[0] if emails else ""),
            "name": name or emails[0].split("@")[0],
            "first_name": first if first and name.split()[0] != first else "",
            "company": _first(get, "Organization Name", "Organization 1 - Name"),
            "role": _first(get, "Organization Title", "Organization 1 - Title"),
            "platforms": platforms,
            "website": websites[0] if websites else "",
            "notes": get.get("Notes", ""),
            "tags": tags,
            "__line__": line_num,
        }
        rows.append(clean(row))
    return rows
