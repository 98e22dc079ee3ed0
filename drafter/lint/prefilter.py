"""Required literals of a regular expression, so a scan that cannot match is skipped.

Python's `re` searches fast only for patterns that begin with a literal; `\\b(?:guarantee)` is
tried at every position. Most messages hold none of the words a regex rule needs, so checking
`literal in text.lower()` first saves most of the regex time. The answer is conservative: a set of
literals of which at least one must occur (compared case-insensitively), or None for "always run".
"""

from __future__ import annotations

import re
from typing import Any

try:  # the parser is internal to `re`; without it every regex simply always runs
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser as _p  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    _p = None

MIN_LITERAL = 2


def _usable(literal: str) -> bool:
    """Two characters, or one rare punctuation mark ("{", "[", "<", "%")."""
    return len(literal) >= MIN_LITERAL or (
        len(literal) == 1
        and not literal.isalnum()
        and not literal.isspace()
        and literal not in ".,'-"
    )


def required_literals(pattern: str, flags: int = 0) -> frozenset[str] | None:
    if _p is None:
        return None
    try:
        parsed = _p.parse(pattern, flags)
    except (re.error, TypeError, ValueError):
        return None
    found = _sequence(list(parsed))
    return frozenset(s.lower() for s in found) if found else None


def _sequence(items: list[tuple[Any, Any]]) -> set[str] | None:
    """The most selective requirement of a sequence: a literal run or a required group, whichever
    has the longest shortest literal (long words are rare words)."""
    candidates: list[set[str]] = []
    run: list[str] = []

    def close_run() -> None:
        if run:
            candidates.append({"".join(run)})
            run.clear()

    for op, av in items:
        if op is _c.LITERAL:
            run.append(chr(av))
            continue
        close_run()
        if op is _c.SUBPATTERN:
            inner = _sequence(list(av[-1]))
            if inner:
                candidates.append(inner)
        elif op is _c.BRANCH:
            alternatives = [_sequence(list(branch)) for branch in av[1]]
            if alternatives and all(alternatives):
                candidates.append(set().union(*alternatives))  # type: ignore[arg-type]
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] >= 1:
            inner = _sequence(list(av[2]))
            if inner:
                candidates.append(inner)
    close_run()
    usable = [c for c in candidates if all(_usable(s) for s in c)]
    if not usable:
        return None
    return max(usable, key=lambda c: (min(len(s) for s in c), -len(c)))
