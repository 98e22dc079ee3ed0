"""Copy-paste detection at scale: MinHash LSH + exact check against the all-pairs baseline.

    python bench/duplicates.py            # 1k and 10k drafts, then a batch against 100k sent

Drafts are synthetic (made-up words, no corpus text): a third are copies of a few skeletons with
the name, company and a number swapped; the rest are personal sentences over a shared greeting
and sign-off. The all-pairs baseline runs the same exact check on every pair; past 1k drafts it
is timed on a sample of pairs and extrapolated (said so in the output).
"""

from __future__ import annotations

import random
import re
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from drafter.core.config import Config
from drafter.core.drafts import Draft
from drafter.core.relationship import Event
from drafter.history.duplicates import Masked, covered_share, find_clusters, mask
from drafter.history.lint import HistoryPass
from drafter.history.recording import with_sketches
from drafter.history.store import Record, Store
from drafter.lint.findings import LintResult
from drafter.lint.rules import configured_rules

SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pa", "do", "ge", "hu", "ji"]
NAMES = ["Ana", "Jonas", "Priya", "Kenji", "Leila", "Diego", "Tomas", "Maya", "Ola", "Sara"]


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(word(rng) for _ in range(n)).capitalize() + "."


def make_drafts(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    skeletons = [" ".join(sentence(rng, rng.randint(8, 14)) for _ in range(3)) for _ in range(5)]
    out = []
    for i in range(count):
        name = rng.choice(NAMES)
        if i % 3 == 0:
            skeleton = skeletons[i % len(skeletons)]
            out.append(f"Hi {name}, {skeleton} See you at {rng.randint(1, 99)} Main St. Best, Sam")
        else:
            body = " ".join(sentence(rng, rng.randint(7, 15)) for _ in range(3))
            out.append(f"Hi {name}, {body} Would you like to connect? Best, Sam")
    return out


def all_pairs(
    items: list[Masked], share: float, limit_pairs: int | None = None
) -> tuple[float, int]:
    """Seconds for the exact check over every pair (or a sample, extrapolated), and flagged."""
    sets = [set(m.shingles()) for m in items]
    n = len(items)
    total = n * (n - 1) // 2
    start = time.perf_counter()
    done = flagged = 0
    for i in range(n):
        for j in range(i + 1, n):
            if covered_share(items[i], sets[j]) >= share:
                flagged += 1
            done += 1
            if limit_pairs is not None and done >= limit_pairs:
                elapsed = time.perf_counter() - start
                return elapsed * total / done, -1
    return time.perf_counter() - start, flagged


def run_batch(count: int) -> None:
    texts = make_drafts(count)
    start = time.perf_counter()
    items = [mask(t) for t in texts]
    report = find_clusters(items, 0.75)
    indexed = time.perf_counter() - start
    flagged = sum(len(c.shares) for c in report.clusters)
    exact = count <= 1000
    base, _ = all_pairs(items, 0.75, None if exact else 2_000_000)
    how = "measured" if exact else "extrapolated from 2M pairs"
    print(
        f"{count:>6} drafts: LSH + exact check {indexed:6.2f} s ({len(report.clusters)} clusters, "
        f"{flagged} drafts flagged); all pairs {base:8.1f} s ({how}); {base / indexed:,.0f}x"
    )


def run_history(sent: int, batch: int) -> None:
    """A new batch against a history file holding `sent` messages, through the real store."""
    history = make_drafts(sent, seed=11)
    drafts = make_drafts(batch, seed=12)
    # Ten of the new drafts are old messages with another name: they must be found.
    drafts[:10] = [re.sub(r"^Hi \w+", "Hi Zed", t) for t in history[1:20:2]]
    rules = {k: r for k, r in configured_rules(Config()).items() if r.id == "duplicate.sent-before"}
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        records = with_sketches(
            [
                Record(f"c{i}", Event("sent", date(2026, 1, 1), "linkedin", text=t))
                for i, t in enumerate(history)
            ]
        )
        with Store.open(Path(folder) / "h.sqlite3") as store:
            store.add(records)
            logged = time.perf_counter() - start
            start = time.perf_counter()
            results = [
                LintResult(Draft(text=t, body=t, path=f"d{i}", contact_ref="new"))
                for i, t in enumerate(drafts)
            ]
            HistoryPass(rules, store).run(results)
            checked = time.perf_counter() - start
    hits = sum(1 for r in results if r.findings)
    masked = [mask(t) for t in history[:2000]]
    sets = [set(m.shingles()) for m in masked]
    start = time.perf_counter()
    mine = [mask(t) for t in drafts[:50]]
    for m in mine:
        for other in sets:
            covered_share(m, other)
    base = (time.perf_counter() - start) * (sent * batch) / (len(mine) * len(sets))
    print(
        f"{batch} new drafts vs {sent:,} sent (history file): checked in {checked:.2f} s "
        f"({hits} near copies found, 10 planted); all pairs {base:,.0f} s (extrapolated); "
        f"logging the {sent:,} with their sketches took {logged:.1f} s once"
    )


def main() -> None:
    for count in (1000, 10_000):
        run_batch(count)
    run_history(100_000, 100)
    run_history(100_000, 1000)


if __name__ == "__main__":
    main()
