"""The one error type users see: its message becomes a single line on stderr and exit code 2."""

from __future__ import annotations

import re

# C0/C1 controls (a raw ESC would drive the terminal) and the bidirectional overrides that can
# make printed text read differently from what it is.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text from the input made safe to print on a terminal: controls become \\x1b escapes."""
    return _UNPRINTABLE.sub(lambda m: ascii(m.group())[1:-1], text)


class DrafterError(Exception):
    """Bad input or usage. The message must name the file, row or field at fault."""

    def __init__(self, message: str) -> None:
        # One line, always: a newline inside would break the "one clear line" contract.
        super().__init__(printable(" ".join(message.split())))

    @property
    def message(self) -> str:
        return str(self.args[0])


class DrafterWarning(UserWarning):
    """Input that works but is probably a mistake (a misspelled field): one line, keeps going."""
