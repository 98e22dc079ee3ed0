"""Text as the tokenizer sees it: same length and offsets, without the shapes that make it slow.

spaCy's tokenizer strips prefixes and suffixes one character at a time and rescans the rest, so a
long run of punctuation or emoji ("!!!!…", "{{{{…", "😀😀…") or any very long whitespace-free
chunk costs time quadratic in its length (12,000 "!" took 39 s). Replacing the middle of such runs
with spaces, character for character, keeps every offset the same, so findings still point at the
original text, and makes tokenizing linear. Rules that read the text itself (regexes, checks) still
see the original; only the tokens of garbage runs change.
"""

from __future__ import annotations

import re

# A run of symbols (punctuation, emoji, underscores) longer than this keeps its ends only.
_RUN_KEEP = 8
_SYMBOL_RUN = re.compile(r"(?:[^\w\s]|_){" + str(2 * _RUN_KEEP + 1) + ",}")
# Any whitespace-free chunk gets a space every this many characters (no word is this long).
_CHUNK = 200
_LONG = re.compile(r"\S{" + str(_CHUNK) + ",}")


def _blank_middle(match: re.Match[str]) -> str:
    run = match.group()
    return run[:_RUN_KEEP] + " " * (len(run) - 2 * _RUN_KEEP) + run[-_RUN_KEEP:]


def _break_chunk(match: re.Match[str]) -> str:
    chunk = list(match.group())
    chunk[_CHUNK - 1 :: _CHUNK] = " " * len(chunk[_CHUNK - 1 :: _CHUNK])
    return "".join(chunk)


def tokenizable(text: str) -> str:
    """`text` with pathological runs blanked; always the same length as `text`."""
    out = _SYMBOL_RUN.sub(_blank_middle, text)
    return _LONG.sub(_break_chunk, out)
