"""Fixes: apply the edits that rules offer, until none are left; safe ones only, unless asked.

Only the body is edited (fixes never touch front matter), and untouched text is kept byte for
byte. Running it on its own output changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from drafter.core.drafts import Draft
from drafter.lint.engine import Linter
from drafter.lint.findings import Fix

MAX_PASSES = 5


@dataclass(frozen=True)
class FixOutcome:
    text: str
    applied: int
    remaining: int  # findings left at warning or above
    unsafe_left: int = 0  # unsafe fixes offered but not applied (no --unsafe-fixes)


def apply_fixes(text: str, fixes: Sequence[Fix]) -> tuple[str, int]:
    """Apply non-overlapping fixes; the earliest wins where two overlap."""
    chosen: list[Fix] = []
    for fix in sorted(fixes, key=lambda f: (f.offset, f.end_offset)):
        if chosen and fix.offset < chosen[-1].end_offset:
            continue
        chosen.append(fix)
    for fix in reversed(chosen):
        text = text[: fix.offset] + fix.replacement + text[fix.end_offset :]
    return text, len(chosen)


def fix_text(
    text: str, make_draft: Callable[[str], Draft], linter: Linter, *, unsafe: bool = False
) -> FixOutcome:
    """Safe fixes only, unless `unsafe` (then every fix offered, as `--unsafe-fixes`)."""
    applied = 0
    for _ in range(MAX_PASSES):
        result = linter.lint(make_draft(text))
        fixes = [f.fix for f in result.findings if f.fix is not None and (unsafe or f.fix.safe)]
        if not fixes:
            break
        text, n = apply_fixes(text, fixes)
        applied += n
    result = linter.lint(make_draft(text))
    left = sum(1 for f in result.findings if f.fix is not None and not f.fix.safe)
    return FixOutcome(text, applied, len(result.at_or_above("warning")), left)
