"""Equivalent regular expressions that Python's `re` runs faster.

`re` searches a pattern with no literal start by trying it at every position. When every
top-level branch begins with `\\b`, its parser hoists the common `\\b` out (`\\b(?:a|b|c)`): one
boundary test per position, then each branch is skipped by its first character. One branch
without `\\b` (a price pattern starting with `[$€£]`) defeats that, and every `\\b` branch is
then entered at every position: 2.5x slower on a typical message. `faster` regroups consecutive
`\\b` branches under one `\\b(?:...)`. Ordered choice is associative, so matches, groups and
their numbers are exactly as before.
"""

from __future__ import annotations

import re
from functools import lru_cache

_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")


def split_alternation(pattern: str) -> list[str] | None:
    """The top-level branches of a pattern (None when it cannot be read lexically)."""
    parts: list[str] = []
    depth = 0
    in_class = False
    start = 0
    i = 0
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
            # "[]...]" and "[^]...]" hold a literal "]"
            j = i + 1
            if j < n and pattern[j] == "^":
                j += 1
            if j < n and pattern[j] == "]":
                i = j
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth < 0:
                return None
        elif c == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    if depth or in_class:
        return None
    parts.append(pattern[start:])
    return parts


def grouped(parts: list[str]) -> str:
    """The branches joined again, each run of two or more that begin with `\\b` as one
    `\\b(?:...)`."""
    out: list[str] = []
    run: list[str] = []

    def close() -> None:
        if len(run) > 1:
            out.append("\\b(?:" + "|".join(p[2:] for p in run) + ")")
        else:
            out.extend(run)
        run.clear()

    for part in parts:
        if part.startswith("\\b") and len(part) > 2:
            run.append(part)
        else:
            close()
            out.append(part)
    close()
    return "|".join(out)


@lru_cache(maxsize=1024)  # patterns of the rules and modules: a few hundred
def faster(rx: re.Pattern[str]) -> re.Pattern[str]:
    """An equivalent pattern that `re` runs faster, or rx itself (built once per pattern)."""
    if rx.flags & re.VERBOSE or _GLOBAL_FLAGS.match(rx.pattern):
        return rx  # comments and whitespace, or flags that must stay first: leave it alone
    parts = split_alternation(rx.pattern)
    if parts is None or all(p.startswith("\\b") for p in parts):
        return rx  # one branch, or `re` hoists the common \b itself
    pattern = grouped(parts)
    if pattern == rx.pattern:
        return rx
    try:
        return re.compile(pattern, rx.flags)
    except re.error:  # pragma: no cover - a branch the lexical split misread: keep the original
        return rx
