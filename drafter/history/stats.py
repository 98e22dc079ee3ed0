"""Which messages work: reply rates per platform, stage, template or variant, with honest error
bars, and whether one variant really beats another.

A sent message counts as replied when the first real reply from that person came before the
next message to them (store.outcomes); auto-replies and wrong-person answers are not replies.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from drafter.history.store import Outcome

GROUPS = ("platform", "stage", "template", "variant")
REPLIED = ("positive", "neutral", "negative")
MIN_SENT = 10  # below this a rate is "not enough data" (a winner on 3 messages is noise)
Z95 = 1.959963984540054


@dataclass(frozen=True)
class Rate:
    group: str
    sent: int
    replied: int
    positive: int

    @property
    def rate(self) -> float:
        return self.replied / self.sent if self.sent else 0.0

    def interval(self) -> tuple[float, float]:
        return wilson(self.replied, self.sent)


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval: sensible at 0, at n, and for small n (unlike rate ± 2 SE)."""
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    denominator = 1 + z * z / n
    return max(0.0, (centre - spread) / denominator), min(1.0, (centre + spread) / denominator)


def rates(outcomes: Sequence[Outcome], by: str | None) -> list[Rate]:
    """One Rate per group (or one for everything), most sent first."""
    groups: dict[str, list[Outcome]] = {}
    for o in outcomes:
        key = "all" if by is None else (getattr(o, by) or "(none)")
        groups.setdefault(key, []).append(o)
    out = [
        Rate(
            key,
            len(items),
            sum(1 for o in items if o.reply_kind in REPLIED),
            sum(1 for o in items if o.reply_kind == "positive"),
        )
        for key, items in groups.items()
    ]
    return sorted(out, key=lambda r: (-r.sent, r.group))


@dataclass(frozen=True)
class Comparison:
    a: Rate
    b: Rate
    p_a_better: float  # posterior probability that a's reply rate is higher
    enough: bool
    min_sent: int = MIN_SENT

    @property
    def credible(self) -> bool:
        return self.enough and (self.p_a_better >= 0.95 or self.p_a_better <= 0.05)

    def describe(self) -> str:
        a, b = self.a, self.b
        head = f"{a.group} vs {b.group}: {a.rate:.0%} vs {b.rate:.0%} replied"
        if not self.enough:
            return f"{head}; not enough data (each needs {self.min_sent} sent) to call a winner"
        leader, p = (a, self.p_a_better) if self.p_a_better >= 0.5 else (b, 1 - self.p_a_better)
        verdict = "credible" if self.credible else "not credible yet: could be chance"
        return f"{head}; {leader.group} better with probability {p:.2f}: {verdict}"


def compare(
    a: Rate, b: Rate, *, min_sent: int = MIN_SENT, draws: int = 20_000, seed: int = 0
) -> Comparison:
    """P(rate a > rate b) under uniform Beta(1, 1) priors, by seeded sampling (reproducible)."""
    rng = random.Random(seed)
    wins = 0
    for _ in range(draws):
        pa = rng.betavariate(1 + a.replied, 1 + a.sent - a.replied)
        pb = rng.betavariate(1 + b.replied, 1 + b.sent - b.replied)
        wins += pa > pb
    enough = a.sent >= min_sent and b.sent >= min_sent
    return Comparison(a, b, wins / draws, enough, min_sent)
