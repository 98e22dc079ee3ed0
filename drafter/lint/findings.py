"""Finding and LintResult records, and the score."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from drafter.core.config import SEVERITIES
from drafter.core.drafts import Draft
from drafter.core.errors import DrafterError
from drafter.core.files import load_yaml, read_text
from drafter.core.resources import builtin_dir

SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


def _scoring() -> tuple[tuple[str, ...], dict[str, int]]:
    """The categories and the points one finding takes off the score, from rules/_scoring.yaml."""
    path = builtin_dir("rules") / "_scoring.yaml"
    data = load_yaml(read_text(path), str(path))
    categories = data.get("categories") if isinstance(data, dict) else None
    penalties = data.get("penalties") if isinstance(data, dict) else None
    if (
        not isinstance(categories, list)
        or not isinstance(penalties, dict)
        or set(penalties) != set(SEVERITIES)
        or not all(isinstance(v, int) and v >= 0 for v in penalties.values())
    ):
        raise DrafterError(
            f"{path}: expected 'categories' and whole-number 'penalties' by severity"
        )
    return tuple(str(c) for c in categories), {str(k): int(v) for k, v in penalties.items()}


CATEGORIES, PENALTY = _scoring()


@dataclass(frozen=True)
class Fix:
    """Replace text[offset:end_offset] with `replacement`, marked safe or unsafe to apply."""

    offset: int
    end_offset: int
    replacement: str
    # "safe": `drafter fix` applies it; "unsafe": only with --unsafe-fixes (it may remove
    # more than the flagged words, or leave too little behind).
    applicability: str = "safe"

    @property
    def safe(self) -> bool:
        return self.applicability == "safe"


@dataclass(frozen=True)
class Finding:
    rule: str
    category: str
    severity: str
    message: str
    suggestion: str | None
    offset: int
    end_offset: int
    line: int
    column: int
    end_line: int
    end_column: int
    fix: Fix | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "message": self.message,
            "suggestion": self.suggestion,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "offset": self.offset,
            "end_offset": self.end_offset,
            "fix": None
            if self.fix is None
            else {
                "offset": self.fix.offset,
                "end_offset": self.fix.end_offset,
                "replacement": self.fix.replacement,
                "applicability": self.fix.applicability,
            },
        }


@dataclass
class LintResult:
    draft: Draft
    findings: list[Finding] = field(default_factory=list)
    score: int = 100
    breakdown: dict[str, int] = field(default_factory=dict)

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    def at_or_above(self, severity: str) -> list[Finding]:
        rank = SEVERITY_RANK[severity]
        return [f for f in self.findings if SEVERITY_RANK[f.severity] >= rank]


def score(findings: list[Finding], categories: tuple[str, ...]) -> tuple[int, dict[str, int]]:
    """100 minus the penalties of all findings (floored at 0); each category scored the same way."""
    lost = dict.fromkeys(categories, 0)
    for finding in findings:
        lost[finding.category] = lost.get(finding.category, 0) + PENALTY[finding.severity]
    breakdown = {cat: max(0, 100 - points) for cat, points in lost.items()}
    return max(0, 100 - sum(lost.values())), breakdown
