"""Every finding on the labelled sets, the outside corpus and every rule example, for comparing
two checkouts: a refactoring that changes no behaviour gives identical snapshots.

    python bench/findings_snapshot.py > after.jsonl
    python bench/findings_snapshot.py --compare before.jsonl

Each line is [draft, score, [[rule, offset, end_offset, severity], ...]]; no message text, so
nothing of the outside corpus is copied into the snapshot.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import load_eval_set, load_letr_corpus  # noqa: E402
from eval import corpus_draft, item_draft, make_draft, make_linter  # noqa: E402

from drafter.core.drafts import Draft  # noqa: E402
from drafter.lint.rules import load_rules  # noqa: E402


def drafts() -> list[Draft]:
    out = []
    for name in ("eval", "dev", "heldout"):
        for item in load_eval_set(HERE.parent / "tests" / "data" / name):
            out.append(item_draft(item))
    out += [corpus_draft(row, i) for i, row in enumerate(load_letr_corpus())]
    for rule_id, rule in sorted(load_rules().items()):
        for i, ex in enumerate(rule.bad + rule.good):
            out.append(
                make_draft(
                    ex.text,
                    platform=ex.platform,
                    stage=ex.stage,
                    subject=ex.subject,
                    contact=dict(ex.contact) if ex.contact else None,
                    free_account=ex.free_account,
                    where=f"{rule_id}#{i}",
                )
            )
    return out


def snapshot() -> list[str]:
    results = make_linter().lint_many(drafts())
    return [
        json.dumps(
            [
                r.draft.path,
                r.score,
                [[f.rule, f.offset, f.end_offset, f.severity] for f in r.findings],
            ]
        )
        for r in results
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--compare", type=Path, help="a snapshot to compare with")
    args = parser.parse_args()
    lines = snapshot()
    if args.compare is None:
        print("\n".join(lines))
        return
    before = args.compare.read_text(encoding="utf-8").splitlines()
    differ = [a for a, b in zip(before, lines, strict=False) if a != b]
    print(f"{len(lines)} drafts; {len(differ)} differ; {abs(len(before) - len(lines))} unmatched")
    for line in differ[:20]:
        print("before:", line[:200])
    sys.exit(1 if differ or len(before) != len(lines) else 0)


if __name__ == "__main__":
    main()
