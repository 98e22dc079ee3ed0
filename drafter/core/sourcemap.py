"""The text as read and the text as linted, and offsets between them.

Drafts are linted as `\\n`-separated text without a byte order mark, but a file may have CRLF
line ends (or only in its front matter), lone CRs, or a BOM. `fix` must keep every byte it does
not edit, and JSON offsets are promised "in the file as given": both go through this map.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

_BREAK = re.compile(r"\r\n?")


@dataclass(frozen=True)
class SourceMap:
    """`raw` is the decoded file (BOM and line ends as given); `text` is what rules see."""

    raw: str
    text: str = field(init=False)
    # At linted offset `_at[i]` and after, raw offsets are `_shift[i]` larger.
    _at: list[int] = field(init=False, repr=False)
    _shift: list[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        at: list[int] = [0]
        shift: list[int] = [0]
        pieces: list[str] = []
        pos = 0
        removed = 0
        if self.raw.startswith("\ufeff"):
            pos = removed = 1
            shift[0] = 1
        for match in _BREAK.finditer(self.raw, pos):
            pieces.append(self.raw[pos : match.start()])
            pieces.append("\n")
            pos = match.end()
            if match.end() - match.start() == 2:
                removed += 1
                at.append(match.end() - removed)  # the linted offset just after this "\n"
                shift.append(removed)
        pieces.append(self.raw[pos:])
        object.__setattr__(self, "text", "".join(pieces))
        object.__setattr__(self, "_at", at)
        object.__setattr__(self, "_shift", shift)

    @property
    def eol(self) -> str:
        return "\r\n" if "\r\n" in self.raw else "\n"

    def to_raw(self, offset: int) -> int:
        """A boundary in the linted text as a boundary in the raw text."""
        return offset + self._shift[bisect.bisect_right(self._at, offset) - 1]

    def apply(self, edits: Iterable[tuple[int, int, str]]) -> str:
        """The raw text with non-overlapping edits (in linted offsets) made; new line breaks in a
        replacement take the file's line ending, and nothing outside the edits changes."""
        out: list[str] = []
        pos = 0
        for start, end, replacement in sorted(edits):
            raw_start, raw_end = self.to_raw(start), self.to_raw(end)
            out.append(self.raw[pos:raw_start])
            out.append(replacement.replace("\n", self.eol) if "\n" in replacement else replacement)
            pos = raw_end
        out.append(self.raw[pos:])
        return "".join(out)
