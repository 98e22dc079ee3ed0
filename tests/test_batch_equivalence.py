"""The batch copy-paste check's fast parts against plain reference versions of the same rule.

covered() works on integer bitmasks, shared keys come from one sorted array and LSH buckets
exist only for shared band keys; each is compared here with the obvious per-word, per-key and
per-band loop on random skeletons, so a change that is faster but different fails.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from drafter.history.duplicates import (
    SHINGLE,
    Buckets,
    Index,
    Masked,
    _shared_keys,
    covered,
    find_clusters,
    mask,
    pack,
)

SETTINGS = settings(max_examples=150, deadline=None)


def reference_covered(item: Masked, shingles: list[object], found: set[object]) -> float:
    """The definition: words (not personal) inside a found shingle, over all words."""
    if not item.tokens or not item.total:
        return 0.0
    inside = [False] * len(item.tokens)
    width = min(SHINGLE, len(item.tokens))
    for i, shingle in enumerate(shingles):
        if shingle in found:
            inside[i : i + width] = [True] * width
    words = sum(
        w for w, c, p in zip(item.weights, inside, item.personal, strict=True) if c and not p
    )
    return words / item.total


WORDS = st.sampled_from(["we", "build", "tools", "for", "teams", "Ana", "Kafka", "3.0", "hi"])
TEXTS = st.lists(WORDS, min_size=0, max_size=30).map(" ".join)


@SETTINGS
@given(TEXTS, TEXTS, st.sampled_from([None, "ana", "kafka"]))
def test_covered_is_the_word_by_word_definition(mine: str, theirs: str, term: str | None) -> None:
    terms = {(term,): "name"} if term else None
    a, b = mask(mine, terms), mask(theirs)
    keys_a, keys_b = Index.keys(a), Index.keys(b)
    expected = reference_covered(a, keys_a, set(keys_b))
    assert covered(a, keys_a, set(keys_b)) == expected
    assert covered(pack(a), keys_a, set(keys_b)) == expected
    assert covered(a, a.shingles(), set(b.shingles())) == reference_covered(
        a, a.shingles(), set(b.shingles())
    )


def test_covered_counts_each_word_once_and_never_personal_ones() -> None:
    item = mask("hi Ana we build tools for teams", {("ana",): "name"})
    keys = Index.keys(item)
    assert covered(item, keys, set(keys)) == 6 / 7  # every word but the name
    assert covered(item, keys, {keys[-1]}) == 3 / 7  # "tools for teams"
    assert covered(item, keys, set()) == 0.0


@SETTINGS
@given(st.lists(st.tuples(st.lists(st.integers(0, 12), max_size=8), st.integers(0, 3)), max_size=8))
def test_shared_keys_are_keys_of_two_owners(units: list[tuple[list[int], int]]) -> None:
    from array import array

    owners: dict[int, set[int]] = {}
    for keys, owner in units:
        for k in keys:
            owners.setdefault(k, set()).add(owner)
    expected = {k for k, who in owners.items() if len(who) > 1}
    assert _shared_keys([(array("Q", keys), {owner}) for keys, owner in units]) == expected


def test_shared_keys_of_one_skeleton_sent_to_two_people() -> None:
    from array import array

    assert _shared_keys([(array("Q", [1, 2]), {0, 1}), (array("Q", [3]), {2})]) == {1, 2}


@SETTINGS
@given(st.lists(st.lists(st.integers(0, 40), min_size=1, max_size=10), min_size=1, max_size=12))
def test_buckets_propose_what_per_band_dicts_propose(key_lists: list[list[int]]) -> None:
    index = Index()
    matrix = index.band_matrix(key_lists)
    buckets = Buckets(matrix)
    plain: list[dict[int, list[int]]] = [{} for _ in range(matrix.shape[1])]
    for row, bands in enumerate(matrix.tolist()):
        expected: set[int] = set()
        for band, key in zip(plain, bands, strict=True):
            expected.update(band.get(key, []))
        assert buckets.query(row) == sorted(expected)
        if row % 2 == 0:  # some rows become leaders
            buckets.insert(row, row)
            for band, key in zip(plain, bands, strict=True):
                band.setdefault(key, []).append(row)


def test_clusters_take_packed_or_masked_skeletons_alike() -> None:
    texts = [
        "Hi Ana, we build data tools for teams like yours. Can we book a call this week?",
        "Hi Tom, we build data tools for teams like yours. Can we book a call this week?",
        "Hi Eve, your Kafka 3.0 talk changed how I plan our migration. Thank you.",
    ]
    items = [mask(t) for t in texts]
    plain, packed = find_clusters(items), find_clusters([pack(m) for m in items])
    assert [c.members for c in plain.clusters] == [c.members for c in packed.clusters] == [[0, 1]]
    assert plain.personal == packed.personal
