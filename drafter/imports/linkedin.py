"""LinkedIn's data export `Connections.csv`: a few "Notes:" lines, then the header row.

Header: First Name, Last Name, URL, Email Address, Company, Position, Connected On. Connected On
(`02 Oct 2024`) is the day the connection began; it is kept as `connected_on: {linkedin: date}`
so the contact's history can start from it.
"""

from __future__ import annotations

from drafter.core import tables
from drafter.core.errors import DrafterError
from drafter.imports.records import Row, clean, handle_from_url, id_from, iso_date

HEADER = ("First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On")


def _from_header(text: str, where: str) -> tuple[str, int]:
    """The text from the header row on, and how many lines came before it (the notes)."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        for sep in tables.DELIMITERS:  # Excel re-saves it with the locale's separator
            cells = [c.strip().strip('"').lstrip("\ufeff") for c in line.split(sep)]
            if cells[:2] == ["First Name", "Last Name"]:
                return "\n".join(lines[index:]), index
    raise DrafterError(
        f"{where}: no 'First Name,Last Name,URL,...' header row; "
        "is this LinkedIn's Connections.csv (Settings > Data privacy > Get a copy of your data)?"
    )


def parse(text: str, where: str) -> list[Row]:
    body, skipped = _from_header(text, where)
    rows: list[Row] = []
    for line_num, record in tables.records(body):
        get = {str(k).strip(): (v or "").strip() for k, v in record.items() if k is not None}
        first, last = get.get("First Name", ""), get.get("Last Name", "")
        url = get.get("URL", "")
        name = f"{first} {last}".strip()
        if not name and not url:
            continue
        row: Row = {
            "id": id_from(name, handle_from_url(url)),
            "name": name or handle_from_url(url),
            "first_name": first if first and name.split()[0] != first else "",
            "company": get.get("Company", ""),
            "role": get.get("Position", ""),
            "platforms": {"linkedin": url, "email": get.get("Email Address", "")},
            "connected_on": {"linkedin": iso_date(get.get("Connected On", ""))},
            "__line__": skipped + line_num,
        }
        rows.append(clean(row))
    return rows
