"""Fixes: apply the edits that rules offer, until none are left; safe ones only, unless asked.

Only the body is edited (fixes never touch front matter), and untouched text is kept byte for
byte. Running it on its own output changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from drafter.core.drafts import Draft
from drafter.core.sourcemap import SourceMap
from drafter.lint.engine import Linter
from drafter.lint.findings import Fix

MAX_PASSES = 5


@dataclass(frozen=True)
class FixOutcome:
    text: str
    applied: int
    remaining: int  # findings left at warning or above
    unsafe_left: int = 0  # unsafe fixes offered but not applied (no --unsafe-fixes)


def _choose(fixes: Sequence[Fix]) -> list[Fix]:
    """Non-overlapping fixes; the earliest wins where two overlap."""
    chosen: list[Fix] = []
    for fix in sorted(fixes, key=lambda f: (f.offset, f.end_offset)):
        if chosen and fix.offset < chosen[-1].end_offset:
            continue
        chosen.append(fix)
    return chosen


def apply_fixes(text: str, fixes: Sequence[Fix]) -> tuple[str, int]:
    """Apply non-overlapping fixes; the earliest wins where two overlap."""
    chosen = _choose(fixes)
    return SourceMap(text).apply((f.offset, f.end_offset, f.replacement) for f in chosen), len(
        chosen
    )


def fix_text(
    raw: str, make_draft: Callable[[str], Draft], linter: Linter, *, unsafe: bool = False
) -> FixOutcome:
    """Fix `raw` (a file's text as read: BOM, CRLF or lone CR kept) with safe fixes only, unless
    `unsafe` (`--unsafe-fixes`). Rules see the normalised text; every edit is mapped back, so
    bytes outside the edits never change."""
    applied = 0
    for _ in range(MAX_PASSES):
        source = SourceMap(raw)
        result = linter.lint(make_draft(source.text))
        offered = [f.fix for f in result.findings if f.fix is not None and (unsafe or f.fix.safe)]
        chosen = _choose(offered)
        if not chosen:
            break
        raw = source.apply((f.offset, f.end_offset, f.replacement) for f in chosen)
        applied += len(chosen)
    result = linter.lint(make_draft(SourceMap(raw).text))
    left = sum(1 for f in result.findings if f.fix is not None and not f.fix.safe)
    return FixOutcome(raw, applied, len(result.at_or_above("warning")), left)


def unified_diff(before: str, after: str, name: str) -> str:
    """`drafter fix --diff`: the edits as a unified diff (a/ and b/ prefixes for relative paths)."""
    import difflib

    old, new = (name, name) if name.startswith("/") else (f"a/{name}", f"b/{name}")
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), old, new
    )
    return "".join(lines)
