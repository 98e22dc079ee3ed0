"""The one error type users see: its message becomes a single line on stderr and exit code 2."""

from __future__ import annotations


class DrafterError(Exception):
    """Bad input or usage. The message must name the file, row or field at fault."""

    def __init__(self, message: str) -> None:
        # One line, always: a newline inside would break the "one clear line" contract.
        super().__init__(" ".join(message.split()))

    @property
    def message(self) -> str:
        return str(self.args[0])


class DrafterWarning(UserWarning):
    """Input that works but is probably a mistake (a misspelled field): one line, keeps going."""
