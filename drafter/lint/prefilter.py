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


def strip_leading_boundary(pattern: str, flags: int = 0) -> tuple[str, bool]:
    """`\\bword...` without its `\\b`, which keeps `re` from using its fast literal search.

    The caller checks the word boundary at the start of each match instead (see at_boundary).
    Only a leading `\\b` of the whole pattern qualifies, not one inside a top-level alternation,
    and only when what follows starts with a literal in every branch: `\\b\\d+` kept whole fails
    at once inside a run of digits, but stripped it would scan the rest of the run from every
    position of it, which is quadratic.
    """
    if _p is None or not pattern.startswith("\\b"):
        return pattern, False
    try:
        parsed = list(_p.parse(pattern, flags))
        rest = pattern[2:]
        _p.parse(rest, flags)
    except (re.error, TypeError, ValueError):
        return pattern, False
    if not parsed or parsed[0] != (_c.AT, _c.AT_BOUNDARY) or not rest:
        return pattern, False
    if not _starts_with_literal(parsed[1:]):
        return pattern, False
    return rest, True


def _starts_with_literal(items: list[tuple[Any, Any]]) -> bool:
    """Every way through the sequence begins with one fixed character."""
    if not items:
        return False
    op, av = items[0]
    if op is _c.LITERAL:
        return True
    if op is _c.SUBPATTERN:
        return _starts_with_literal(list(av[-1]))
    if op is _c.BRANCH:
        return all(_starts_with_literal(list(branch)) for branch in av[1])
    return False


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def at_boundary(text: str, index: int) -> bool:
    """What `\\b` tests at `index`: a word character on exactly one side."""
    before = index > 0 and _is_word(text[index - 1])
    after = index < len(text) and _is_word(text[index])
    return before != after
