"""CSV as spreadsheets write it: any of , ; tab as separator, a BOM, CRLF, a legacy encoding.

Excel in many locales saves semicolon-separated CSV in the Windows code page; Google and LinkedIn
export comma-separated UTF-8. Rosters and imports read both through here, so the first row is
always the header the user sees in their spreadsheet.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import Path

from drafter.core import files
from drafter.core.errors import DrafterError
from drafter.core.files import decode

DELIMITERS = (",", ";", "\t")


def read_bytes(path: Path) -> bytes:
    """A table file's bytes: a regular file only (a FIFO or /dev/zero would never end)."""
    return files.read_bytes(path)


def decode_table(data: bytes, where: str, encoding: str | None = None) -> str:
    """UTF-8 (BOM or not), UTF-16 with a BOM, or the encoding given; else a hint, not mojibake."""
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise DrafterError(f"unknown encoding '{encoding}' (try utf-8 or cp1252)") from None
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise DrafterError(f"{where}:{line}: not valid {encoding} (byte {exc.start})") from None
        text = text.removeprefix("\ufeff")
        return text.replace("\r\n", "\n")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_table(data, where, "utf-16")
    try:
        return decode(data, where)
    except DrafterError as exc:
        try:
            data.decode("cp1252")
        except UnicodeDecodeError:
            raise exc from None
        raise DrafterError(
            f"{exc.message}; it looks like a Windows (cp1252) file, as Excel saves: "
            "re-save it as 'CSV UTF-8' (draft and import also read it with --encoding cp1252)"
        ) from None


def sniff_delimiter(text: str) -> str:
    """The separator that splits the header row most often, counted outside quotes."""
    header = next((line for line in text.split("\n") if line.strip()), "")
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in header:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def records(text: str) -> Iterator[tuple[int, dict[str | None, str | None]]]:
    """(line number, row) pairs; strict, so a stray quote is an error at its line."""
    reader = csv.DictReader(io.StringIO(text), delimiter=sniff_delimiter(text), strict=True)
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise DrafterError(f"{reader.line_num + 1}: invalid CSV: {exc}") from None
        yield reader.line_num, record


def export_hint(text: str) -> str | None:
    """A contacts export given where a roster was expected: say which import reads it."""
    head = text.lstrip("\ufeff")[:2000]
    header = next((line for line in head.split("\n") if line.strip()), "")
    if header.startswith("Notes:") or ("First Name" in head and "Connected On" in head):
        return "this is LinkedIn's Connections.csv; turn it into a roster with `drafter import linkedin FILE`"
    if "E-mail 1 - Value" in header or ("Given Name" in header and "Family Name" in header):
        return "this is a Google Contacts export; turn it into a roster with `drafter import google FILE`"
    return None
