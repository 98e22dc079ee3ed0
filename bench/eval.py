"""How well drafter's rules do on the labelled eval set and on the outside LETR corpus.

    python bench/eval.py [--json] [--details]

Eval set (tests/data/eval): per-category recall on bad items (an item labelled with category C
is caught when at least one warning or error of category C is reported) and the false-alarm rate
on good items (the share of good items with any warning or error at all).
Real corpus (/work/shared/corpus/real_outreach.yaml): the same measures on its tune and check
halves (bench/real_corpus.py splits it by source; only the tune half may guide rule changes).
LETR corpus (/work/shared/corpus): how many rows still hold a `[placeholder]` and how many of
those drafter reports in the placeholder category; how many sales rows (GOAL other/referral) and
how many of those drafter flags in the pitch category; and what fires on the corpus, per rule.
The corpus is for measuring only: rules are never tuned to its rows.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpus import load_eval_set, load_letr_corpus
from real_corpus import SPLITS, as_eval_items, load_real_corpus

from drafter.core.config import Config
from drafter.core.contacts import contact_from_mapping
from drafter.core.drafts import Draft
from drafter.lint.engine import Linter
from drafter.lint.findings import LintResult
from drafter.lint.rules import CATEGORIES

FLAGGING = frozenset({"warning", "error"})


def make_linter() -> Linter:
    return Linter.from_config(Config())


def make_draft(
    text: str,
    *,
    platform: str | None = None,
    stage: str | None = None,
    subject: str | None = None,
    contact: dict[str, Any] | None = None,
    free_account: bool = False,
    where: str = "<eval>",
) -> Draft:
    return Draft(
        text=text,
        body=text,
        path=where,
        platform=platform,
        stage=stage,
        subject=subject or None,
        contact=contact_from_mapping(contact, where) if contact else None,
        meta={"free_account": free_account},
    )


def flagged_categories(result: LintResult) -> set[str]:
    return {f.category for f in result.findings if f.severity in FLAGGING}


@dataclass
class EvalReport:
    recall: dict[str, float]
    caught: dict[str, int]
    total: dict[str, int]
    good_total: int
    false_alarms: int
    misses: list[dict[str, Any]] = field(default_factory=list)
    alarms: list[dict[str, Any]] = field(default_factory=list)
    # Per rule, how many good items it flags (warning or error): where false alarms come from.
    alarm_rules: dict[str, int] = field(default_factory=dict)

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.good_total if self.good_total else 0.0


@dataclass
class CorpusReport:
    rows: int
    placeholder_rows: int
    placeholder_caught: int
    pitch_rows: int
    pitch_flagged: int
    rule_counts: dict[str, int]
    missed_placeholder: list[int] = field(default_factory=list)
    missed_pitch: list[int] = field(default_factory=list)


def _describe(result: LintResult) -> list[str]:
    return [
        f"{f.severity} {f.rule}: {f.message}" for f in result.findings if f.severity in FLAGGING
    ]


def item_draft(item: dict[str, Any]) -> Draft:
    """A labelled item as the Draft the linter sees."""
    return make_draft(
        item["text"],
        platform=item["platform"],
        stage=item["stage"],
        subject=item["subject"],
        contact=item["contact"],
        free_account=item["free_account"],
        where=f"{item['source']}:{item['id']}",
    )


def evaluate_set(linter: Linter, items: Sequence[dict[str, Any]] | None = None) -> EvalReport:
    items = list(load_eval_set() if items is None else items)
    drafts = [item_draft(item) for item in items]
    results = linter.lint_many(drafts)
    caught: Counter[str] = Counter()
    total: Counter[str] = Counter()
    misses: list[dict[str, Any]] = []
    alarms: list[dict[str, Any]] = []
    good_total = false_alarms = 0
    alarm_rules: Counter[str] = Counter()
    for item, result in zip(items, results, strict=True):
        flagged = flagged_categories(result)
        if item["label"] == "bad":
            for category in item["categories"]:
                total[category] += 1
                if category in flagged:
                    caught[category] += 1
                else:
                    misses.append(
                        {
                            "id": item["id"],
                            "source": item["source"],
                            "category": category,
                            "findings": _describe(result),
                            "text": item["text"],
                        }
                    )
        else:
            good_total += 1
            if flagged:
                false_alarms += 1
                alarm_rules.update({f.rule for f in result.findings if f.severity in FLAGGING})
                alarms.append(
                    {
                        "id": item["id"],
                        "source": item["source"],
                        "findings": _describe(result),
                        "text": item["text"],
                    }
                )
    recall = {c: caught[c] / total[c] for c in CATEGORIES if total[c]}
    return EvalReport(
        recall=recall,
        caught={c: caught[c] for c in CATEGORIES if total[c]},
        total={c: total[c] for c in CATEGORIES if total[c]},
        good_total=good_total,
        false_alarms=false_alarms,
        misses=misses,
        alarms=alarms,
        alarm_rules=dict(sorted(alarm_rules.items(), key=lambda kv: (-kv[1], kv[0]))),
    )


def corpus_draft(row: dict[str, Any], index: int) -> Draft:
    platform = "linkedin" if "linkedin" in row["platform_context"].lower() else "email"
    return make_draft(
        row["text"],
        platform=platform,
        stage="connect",
        subject=row["subject"],
        where=f"letr:{index + 2}",
    )


def evaluate_corpus(linter: Linter, rows: Sequence[dict[str, Any]] | None = None) -> CorpusReport:
    rows = list(load_letr_corpus() if rows is None else rows)
    results = linter.lint_many(corpus_draft(row, i) for i, row in enumerate(rows))
    counts: Counter[str] = Counter()
    report = CorpusReport(len(rows), 0, 0, 0, 0, {})
    for i, (row, result) in enumerate(zip(rows, results, strict=True)):
        counts.update({f.rule for f in result.findings})
        flagged = flagged_categories(result)
        if row["has_placeholder"]:
            report.placeholder_rows += 1
            if "placeholder" in flagged:
                report.placeholder_caught += 1
            else:
                report.missed_placeholder.append(i)
        if row["is_pitch"]:
            report.pitch_rows += 1
            if "pitch" in flagged:
                report.pitch_flagged += 1
            else:
                report.missed_pitch.append(i)
    report.rule_counts = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return report


DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
HELDOUT = DATA / "heldout"
DEV = DATA / "dev"
SHAPES = DATA / "shapes"  # real-outreach shapes written here (tests/data/shapes/README.md)


def evaluate_folder(linter: Linter, folder: Path) -> EvalReport | None:
    """The dev set may be tuned on; the held-out set is measured here and never tuned on."""
    if not folder.is_dir():
        return None
    return evaluate_set(linter, load_eval_set(folder))


def evaluate_real(linter: Linter) -> dict[str, EvalReport]:
    """The shared real corpus, per split (tune: may be tuned on; check: measure only)."""
    rows = load_real_corpus()
    if not rows:
        return {}
    return {split: evaluate_set(linter, as_eval_items(rows, split)) for split in SPLITS}


def _print_items(prefix: str, ev: EvalReport) -> None:
    """Misses and false alarms with their text and what was found, for tuning by hand."""
    items = [(f"MISS {m['category']}", m) for m in ev.misses] + [
        ("FALSE ALARM", a) for a in ev.alarms
    ]
    for label, item in items:
        print(f"\n{prefix}{label}: {item['source']} {item['id']}")
        print("  " + item["text"].strip().replace("\n", "\n  "))
        for line in item["findings"]:
            print(f"    - {line}")


def _print_recall(title: str, ev: EvalReport) -> None:
    print(title)
    for category, value in ev.recall.items():
        print(f"  {category:<16} {value:5.2f}  ({ev.caught[category]}/{ev.total[category]})")
    print(
        f"False alarms on good items: {ev.false_alarm_rate:.3f} "
        f"({ev.false_alarms}/{ev.good_total} with a warning or error)"
    )
    if ev.alarm_rules:
        print("  false alarms per rule (good items it flags):")
        for rule, n in ev.alarm_rules.items():
            print(f"    {n:3d}  {rule}")


def _print_text(
    ev: EvalReport,
    co: CorpusReport,
    details: bool,
    heldout: EvalReport | None = None,
    dev: EvalReport | None = None,
    real: dict[str, EvalReport] | None = None,
    shapes: EvalReport | None = None,
) -> None:
    _print_recall("Eval set (rules were tuned on it): recall on bad items, per category", ev)
    if details:
        _print_items("", ev)
    print()
    if dev is not None:
        _print_recall("Dev set (written blind to the rules; may be tuned on):", dev)
        if details:
            _print_items("DEV ", dev)
        print()
    if heldout is not None:
        _print_recall("Held-out set (written blind to the rules, never tuned on):", heldout)
        print()
    if shapes is not None:
        _print_recall("Shapes set (real-outreach shapes written here; tuned on):", shapes)
        if details:
            _print_items("SHAPES ", shapes)
        print()
    for split, report in (real or {}).items():
        how = "may be tuned on" if split == "tune" else "measure only, never tuned on"
        _print_recall(f"Real corpus, {split} half ({how}):", report)
        if details and split == "tune":
            _print_items("REAL ", report)
        print()
    if not co.rows:
        print("LETR corpus: not found, skipped")
        return
    print(f"LETR corpus: {co.rows} rows")
    print(f"  rows with a [placeholder]: {co.placeholder_rows}, caught: {co.placeholder_caught}")
    print(f"  pitch rows (GOAL other/referral): {co.pitch_rows}, flagged: {co.pitch_flagged}")
    if details:
        if co.missed_placeholder:
            print(f"  placeholder rows missed (0-based): {co.missed_placeholder}")
        if co.missed_pitch:
            print(f"  pitch rows missed (0-based): {co.missed_pitch}")
    print("  findings per rule (rows where it fires):")
    for rule, n in co.rule_counts.items():
        print(f"    {n:3d}  {rule}")


def _summary_json(report: EvalReport | None) -> dict[str, Any] | None:
    if report is None:
        return None
    return {
        "recall": report.recall,
        "caught": report.caught,
        "total": report.total,
        "false_alarm_rate": report.false_alarm_rate,
        "false_alarms": report.false_alarms,
        "good_total": report.good_total,
        "alarm_rules": report.alarm_rules,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--details", action="store_true", help="list misses and false alarms")
    args = parser.parse_args(argv)
    linter = make_linter()
    ev = evaluate_set(linter)
    co = evaluate_corpus(linter)
    ho = evaluate_folder(linter, HELDOUT)
    dv = evaluate_folder(linter, DEV)
    real = evaluate_real(linter)
    sh = evaluate_folder(linter, SHAPES)
    if args.json:
        out: dict[str, Any] = {
            "eval": _summary_json(ev),
            "dev": _summary_json(dv),
            "heldout": _summary_json(ho),
            "shapes": _summary_json(sh),
            **{f"real_{split}": _summary_json(rep) for split, rep in real.items()},
            "corpus": {
                "rows": co.rows,
                "placeholder_rows": co.placeholder_rows,
                "placeholder_caught": co.placeholder_caught,
                "pitch_rows": co.pitch_rows,
                "pitch_flagged": co.pitch_flagged,
                "rule_counts": co.rule_counts,
            },
        }
        if args.details:
            out["eval"]["misses"] = ev.misses
            out["eval"]["alarms"] = ev.alarms
            out["corpus"]["missed_placeholder"] = co.missed_placeholder
            out["corpus"]["missed_pitch"] = co.missed_pitch
        print(json.dumps(out, indent=2))
    else:
        _print_text(ev, co, args.details, ho, dv, real, sh)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
