"""Variety floors: drafts to different people must not be the same note with the names swapped.

bench/sameness.py measures masked pairwise token Jaccard and the share of repeated sentences per
platform/stage over tests/data/rosters/varied.yaml. The issue's target is Jaccard <= 0.35 and
repeated sentences <= 30% for every template; these floors hold what is reached so far (see the
README) so that no change makes drafts more alike again.
"""

from __future__ import annotations

import pytest
from bench_loader import load_bench

from drafter.compose.catalog import load_catalog
from drafter.compose.facts import Facts
from drafter.core.contacts import load_roster, load_sender

sameness = load_bench("sameness")

# (mean Jaccard, mean repeated, worst Jaccard, worst repeated), with and without a history;
# reached on 3 Dec: 0.245, 12%, 0.33, 29% with history and 0.256, 11%, 0.34, 29% without
# (every template within the target of 0.35 and 30%).
FLOORS = {True: (0.25, 0.13, 0.34, 0.29), False: (0.26, 0.11, 0.34, 0.29)}
MANY_VARIANTS = ("connect", "thanks", "question", "follow_up", "value")


@pytest.mark.parametrize("with_history", [True, False])
def test_drafts_to_different_people_stay_different(with_history: bool) -> None:
    contacts = load_roster(sameness.ROSTER)
    sender = load_sender(sameness.ME)
    results = sameness.measure(contacts, sender, with_history=with_history)
    mean_jaccard, mean_repeated, worst_jaccard, worst_repeated = FLOORS[with_history]
    rows = [s for s in results.values() if s.drafts >= 2]
    weight = sum(s.drafts for s in rows)
    mean_j = sum(s.jaccard * s.drafts for s in rows) / weight
    mean_r = sum(s.repeated * s.drafts for s in rows) / weight
    assert mean_j <= mean_jaccard
    assert mean_r <= mean_repeated
    worst = {f"{p}/{st}": round(s.jaccard, 2) for (p, st), s in results.items() if s.drafts >= 2}
    assert max(worst.values()) <= worst_jaccard, worst
    repeated = {
        f"{p}/{st}": round(s.repeated, 2) for (p, st), s in results.items() if s.drafts >= 2
    }
    assert max(repeated.values()) <= worst_repeated, repeated
    assert sum(s.claims for s in results.values()) == 0
    assert sum(s.defects for s in results.values()) == 0


def test_identical_drafts_score_one_and_disjoint_score_zero() -> None:
    assert sameness.jaccard({"a", "b"}, {"a", "b"}) == 1.0
    assert sameness.jaccard({"a"}, {"b"}) == 0.0
    contacts = load_roster(sameness.ROSTER)
    kevin = contacts[0]
    masked = sameness.mask("Hi Kevin, how is Brightside Tutoring?", kevin)
    assert masked == "Hi <fact>, how is <fact>?"


def test_enough_variants_per_platform_and_stage() -> None:
    catalog = load_catalog()
    few = [
        f"{p}/{s}: {len(info.variants)}"
        for (p, s), info in catalog.templates.items()
        if len(info.variants) < (4 if p in ("linkedin", "email") and s in MANY_VARIANTS else 2)
    ]
    assert few == []


def test_pick_is_stable_per_contact_and_independent_per_slot() -> None:
    pool = ["a", "b", "c", "d", "e", "f"]
    kevin = Facts(first="Kevin", seed=12345)
    assert kevin.pick(pool, "lead") == Facts(first="Kevin", seed=12345).pick(pool, "lead")
    assert kevin.pick([], "lead") == ""
    # with the old `seed % len(pool)` every slot of a contact got the same index
    same = [Facts(first="x", seed=s) for s in range(40)]
    agree = sum(f.pick(pool, "lead") == f.pick(pool, "tail") for f in same)
    assert agree < 20
    assert len({f.pick(pool, "lead") for f in same}) == len(pool)
