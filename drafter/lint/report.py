"""Formats lint results: text for people, line for editors, github for CI, json for machines."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import click

from drafter.core.errors import printable
from drafter.core.sourcemap import SourceMap
from drafter.lint.findings import Finding, LintResult

JSON_VERSION = 1
_COLORS = {"error": "red", "warning": "yellow", "info": "cyan"}


def _summary(results: Sequence[LintResult]) -> dict[str, Any]:
    counts = Counter(f.severity for r in results for f in r.findings)
    scores = [r.score for r in results]
    return {
        "files": len(results),
        "findings": sum(counts.values()),
        "errors": counts["error"],
        "warnings": counts["warning"],
        "info": counts["info"],
        "average_score": round(sum(scores) / len(scores), 1) if scores else None,
    }


def _finding_line(path: str, f: Finding, color: bool) -> str:
    severity = click.style(f.severity, fg=_COLORS[f.severity], bold=True) if color else f.severity
    rule = click.style(f"[{f.rule}]", dim=True) if color else f"[{f.rule}]"
    return f"{printable(path)}:{f.line}:{f.column}: {severity} {rule} {printable(f.message)}"


def text_findings(result: LintResult, *, color: bool) -> str:
    lines = [f"{result.draft.path}: note: {note}" for note in result.draft.notes]
    for f in result.findings:
        lines.append(_finding_line(result.draft.path, f, color))
        if f.suggestion:
            lines.append(f"    suggestion: {printable(f.suggestion)}")
    parts = ", ".join(f"{cat} {points}" for cat, points in result.breakdown.items() if points < 100)
    lines.append(
        f"{printable(result.draft.path)}: score {result.score}/100"
        + (f" ({parts})" if parts else "")
    )
    return "\n".join(lines)


def text_summary(s: Mapping[str, Any]) -> str:
    """The closing line of the text report, from _summary's mapping."""
    plural = "s" if s["files"] != 1 else ""
    errors = f"{s['errors']} error{'s' if s['errors'] != 1 else ''}"
    warnings = f"{s['warnings']} warning{'s' if s['warnings'] != 1 else ''}"
    return (
        f"{s['files']} draft{plural} checked: {errors}, {warnings}, "
        f"{s['info']} info; average score {s['average_score']}"
    )


def text_report(results: Sequence[LintResult], *, color: bool) -> str:
    blocks = [text_findings(r, color=color) for r in results]
    blocks.append(text_summary(_summary(results)))
    return "\n".join(blocks)


def _byte_column(text: str, line: int, column: int) -> int:
    """1-based UTF-8 byte column: what Vim's `%c` and efm-langserver count."""
    lines = text.split("\n")
    prefix = lines[line - 1][: column - 1] if 0 < line <= len(lines) else ""
    return len(prefix.encode("utf-8", "surrogatepass")) + 1


def line_report(results: Sequence[LintResult], *, columns: str = "chars") -> str:
    """`path:line:col: severity: message [rule]`, for Vim errorformat, Emacs and efm-langserver.

    Columns count characters (Emacs) or, with columns="bytes", UTF-8 bytes (Vim, efm), so a
    mark after an emoji or an accented letter lands on the right word.
    """
    out = []
    for r in results:
        for f in r.findings:
            column = (
                _byte_column(r.draft.text, f.line, f.column) if columns == "bytes" else f.column
            )
            out.append(
                f"{printable(r.draft.path)}:{f.line}:{column}: {f.severity}: "
                f"{printable(f.message)} [{f.rule}]"
            )
    return "\n".join(out)


def _gh_escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def github_report(results: Sequence[LintResult]) -> str:
    """GitHub Actions workflow commands: one annotation per finding."""
    level = {"error": "error", "warning": "warning", "info": "notice"}
    out = []
    for r in results:
        for f in r.findings:
            props = (
                f"file={_gh_escape(printable(r.draft.path), prop=True)},line={f.line},endLine={f.end_line},"
                f"col={f.column},endColumn={f.end_column},title={_gh_escape(f.rule, prop=True)}"
            )
            message = f.message + (f" Suggestion: {f.suggestion}" if f.suggestion else "")
            out.append(f"::{level[f.severity]} {props}::{_gh_escape(printable(message))}")
    return "\n".join(out)


def result_json(result: LintResult) -> dict[str, Any]:
    notes = {"notes": list(result.draft.notes)} if result.draft.notes else {}
    return {
        "path": result.draft.path,
        "platform": result.draft.platform,
        "stage": result.draft.stage,
        "score": result.score,
        "breakdown": result.breakdown,
        "findings": [_raw_offsets(f.to_json(), result.draft.source) for f in result.findings],
        **notes,  # only when there is one: how the draft was linted (e.g. without the profile)
    }


def _raw_offsets(data: dict[str, Any], source: SourceMap | None) -> dict[str, Any]:
    """JSON offsets are in the file as given (BOM and CRLF counted), so a fix applies as is."""
    if source is None:
        return data
    data["offset"], data["end_offset"] = (
        source.to_raw(data["offset"]),
        source.to_raw(data["end_offset"]),
    )
    fix = data.get("fix")
    if fix is not None:
        fix["offset"], fix["end_offset"] = (
            source.to_raw(fix["offset"]),
            source.to_raw(fix["end_offset"]),
        )
        if "\n" in fix["replacement"]:
            fix["replacement"] = fix["replacement"].replace("\n", source.eol)
    return data


def json_report(results: Sequence[LintResult]) -> str:
    data = {
        "version": JSON_VERSION,
        "files": [result_json(r) for r in results],
        "summary": _summary(results),
    }
    return json.dumps(data, ensure_ascii=False, indent=2)
