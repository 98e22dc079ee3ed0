"""Size and time bounds on everything drafter reads or renders, in one place (README: Limits).

Hostile input should fail fast with one line, never hang or exhaust memory: these numbers are the
promise the README makes, and every boundary checks against them.
"""

from __future__ import annotations

from drafter.core.errors import DrafterError

# spaCy refuses texts over 1,000,000 characters (E088); a networking message is a few thousand.
MAX_DRAFT_CHARS = 1_000_000
# Bytes of a draft file or stdin read before the character check (UTF-8 is at most 4 per char).
MAX_DRAFT_BYTES = 4 * MAX_DRAFT_CHARS
# A template may not produce more than this (a message is short; a loop bug is not).
MAX_RENDER_CHARS = 200_000
# Wall-clock seconds one render may take before it is stopped.
RENDER_SECONDS = 5.0
# The language server lints documents up to this size as they are typed (about a second of
# work, since linting is linear); a longer one gets one diagnostic saying so.
LSP_MAX_CHARS = 200_000
# Bytes of one language-server message (Content-Length); larger is refused, not allocated.
MAX_LSP_MESSAGE = 16 * 1024 * 1024
# Digits in a whole number anywhere in user data (Python refuses to parse over 4,300).
MAX_INT_DIGITS = 4_300


def check_draft_size(text: str, where: str) -> None:
    """Refuse a draft longer than spaCy (and any message) can take."""
    if len(text) > MAX_DRAFT_CHARS:
        raise DrafterError(
            f"{where}: {len(text):,} characters is over the limit of {MAX_DRAFT_CHARS:,} per draft"
        )
