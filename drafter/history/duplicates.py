"""Copy-paste across a batch, seen the way a recipient's inbox would see it.

Each draft's contact-specific words (names, company, the facts used, handles, URLs, numbers) are
masked; what is left is the skeleton. Drafts whose skeletons are mostly the same are clustered:
MinHash LSH (banded signatures, numpy) proposes candidates, an exact shingle check confirms them, and each
cluster is compared with its first member (a leader), so no step compares all pairs.

A draft's *share* is the part of its words (masked words count as personal) that also appears,
as the same run of words, in another draft of its cluster. Its *personal share* is the part of
its words found in no other draft of the batch at all.
"""

from __future__ import annotations

import hashlib
import re
import sys
import zlib
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from drafter.core.contacts import Contact

SHINGLE = 3  # words per shingle: short enough for short notes, long enough to mean phrasing
BANDS, ROWS = 24, 3  # candidates from Jaccard ~0.35 up: generous, the exact check decides
NUM_PERM = BANDS * ROWS
DEFAULT_SHARE = 0.75

_TOKEN = re.compile(
    r"(?P<url>https?://\S+|www\.\S+)"
    r"|(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?P<handle>(?<!\w)@\w+)"
    r"|(?P<num>\d[\d,.:/-]*\d|\d)"
    r"|(?P<word>\w+(?:['’]\w+)*)"
)
_GREETING = {"hi", "hello", "hey", "dear", "hej", "hallo", "hola", "ciao", "morning", "thanks"}
_STOP = frozenset(
    (
        *("a", "an", "and", "the", "of", "in", "on", "at", "to", "for", "with", "from", "by"),
        *("about", "your", "you", "my", "our", "we", "i", "it", "is", "are", "was", "be"),
        *("this", "that", "these", "those", "as", "or", "but", "not", "so", "if", "into"),
        *("out", "up", "how", "what", "why", "when", "who"),
    )
)


@dataclass(frozen=True)
class Masked:
    """A draft as a skeleton: tokens (placeholders like <name> for personal words), each token's
    weight in original words, and whether it is personal."""

    tokens: tuple[str, ...]
    weights: tuple[int, ...]
    personal: tuple[bool, ...]

    @property
    def total(self) -> int:
        return sum(self.weights)

    @property
    def masked_words(self) -> int:
        return sum(w for w, p in zip(self.weights, self.personal, strict=True) if p)

    def shingles(self) -> list[tuple[str, ...]]:
        t = self.tokens
        if len(t) <= SHINGLE:
            return [t] if t else []
        return [t[i : i + SHINGLE] for i in range(len(t) - SHINGLE + 1)]


@dataclass(frozen=True, slots=True)
class Packed:
    """A skeleton as the batch check keeps it: its shingle keys and which tokens are personal,
    not its words. A fraction of a Masked's memory, cheap to send from a worker, and equal
    skeletons share one object, so a big batch holds little per draft."""

    digest: bytes  # the same for the same tokens: identical skeletons are compared once
    keys: array[int]  # 'Q': the ordered shingle keys (Index.keys)
    personal: bytes  # per token: 1 when personal
    total: int  # words in the draft (a personal run of tokens counts all its words)


def pack(item: Masked) -> Packed:
    digest = hashlib.blake2b("\x00".join(item.tokens).encode(), digest_size=16).digest()
    return Packed(digest, array("Q", Index.keys(item)), bytes(item.personal), item.total)


def words(text: str) -> list[str]:
    return [m.group(0).lower() for m in _TOKEN.finditer(text) if m.group("word")]


def personal_terms(
    contact: Contact | None, contact_id: str | None = None
) -> dict[tuple[str, ...], str]:
    """Word sequences to mask for one contact, and the placeholder each becomes."""
    terms: dict[tuple[str, ...], str] = {}

    def add(text: str | None, kind: str) -> None:
        key = tuple(words(text or ""))
        if key:
            terms.setdefault(key, kind)

    if contact_id:
        for part in re.split(r"[-_.\s]+", contact_id):
            add(part, "name")
    if contact is not None:
        for text in (contact.name, contact.first_name, contact.last_name):
            add(text, "name")
            for part in (text or "").split():
                add(part, "name")
        add(contact.company, "company")
        for value in contact.platforms.values():
            add(value, "handle")
        for _field, fact in contact.facts():
            add(fact, "fact")
            for word in words(fact):  # a fact shortened or reworded still masks its words
                if word not in _STOP and len(word) > 2:
                    add(word, "fact")
        for activity in contact.recent_activity:
            add(activity.url, "url")
    return terms


def mask(text: str, terms: dict[tuple[str, ...], str] | None = None) -> Masked:
    """The skeleton of a text: personal words become one placeholder per run."""
    terms = terms or {}
    longest = max((len(k) for k in terms), default=0)
    raw: list[tuple[str, str | None]] = []  # (lowercased token, kind if personal)
    after_greeting = False
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        token = m.group(0)
        # Interned: a batch's skeletons share one string per distinct word (20,000 drafts hold
        # about 60 MiB less), and equal tokens compare by identity first.
        low = sys.intern(token.lower())
        if kind == "word":
            # A capitalised word right after a greeting is a name even without a roster.
            named = after_greeting and token[:1].isupper()
            raw.append((low, "name" if named else None))
            after_greeting = low in _GREETING
        else:
            raw.append((low, kind))
            after_greeting = False
    i = 0
    kinds: list[str | None] = [k for _, k in raw]
    while i < len(raw) and longest:
        for size in range(min(longest, len(raw) - i), 0, -1):
            key = tuple(t for t, _ in raw[i : i + size])
            kind = terms.get(key)
            if kind is not None:
                for j in range(i, i + size):
                    kinds[j] = kinds[j] or kind
                i += size
                break
        else:
            i += 1
    tokens: list[str] = []
    weights: list[int] = []
    personal: list[bool] = []
    for (token, _), kind in zip(raw, kinds, strict=True):
        if kind is None:
            tokens.append(token)
            weights.append(1)
            personal.append(False)
        elif personal and personal[-1] and tokens[-1] == f"<{kind}>":
            weights[-1] += 1
        else:
            tokens.append(sys.intern(f"<{kind}>"))
            weights.append(1)
            personal.append(True)
    return Masked(tuple(tokens), tuple(weights), tuple(personal))


def covered_share(item: Masked, others: Iterable[tuple[str, ...]] | set[tuple[str, ...]]) -> float:
    """The part of a draft's words (personal ones never count) inside shingles found in others."""
    found = others if isinstance(others, set) else set(others)
    return covered(item, item.shingles(), found)


def covered(item: Masked | Packed, shingles: Sequence[Any], found: set[Any]) -> float:
    """covered_share over shingles in any form (tuples, or the Index's integer keys).

    Positions are bytes of one big integer, so marking each found shingle's words and counting
    the words that are not personal are a few integer operations, not a loop per word (the
    batch check runs this for every candidate pair). A word that is not personal is one token of
    weight 1 (mask() makes them so); personal runs carry their word counts in the total."""
    size = len(item.personal)
    total = item.total
    if not size or not total:
        return 0.0
    hits = int.from_bytes(bytes(map(found.__contains__, shingles)), "little")
    if not hits:
        return 0.0
    spread = hits
    for k in range(1, min(SHINGLE, size)):
        spread |= hits << (8 * k)  # a shingle found at i covers words i .. i + SHINGLE - 1
    personal = item.personal if isinstance(item.personal, bytes) else bytes(item.personal)
    words = int.from_bytes(b"\x01" * size, "little") ^ int.from_bytes(personal, "little")
    return (spread & words).bit_count() / total


@dataclass
class Cluster:
    """Drafts (by index) whose skeletons are mostly the same; share per flagged member."""

    members: list[int]
    shares: dict[int, float] = field(default_factory=dict)


@dataclass
class BatchReport:
    clusters: list[Cluster]
    personal: list[float]  # per draft: the part of its words in no other draft of the batch
    cluster_of: dict[int, Cluster] = field(default_factory=dict)


class Index:
    """MinHash signatures and banded LSH buckets (numpy): near-duplicate candidates without
    comparing pairs. BANDS x ROWS = NUM_PERM, so two skeletons with Jaccard similarity 0.5 share
    a bucket with probability 0.96, and at 0.05 with 0.003. Shingles are 64-bit integers from
    token CRCs, so sets and hashes are cheap and the same on every run."""

    def __init__(self) -> None:
        import numpy as np

        self._np = np
        rng = np.random.RandomState(1)
        self.a = rng.randint(1, 1 << 63, NUM_PERM, dtype=np.uint64) | np.uint64(1)  # odd
        self.b = rng.randint(0, 1 << 63, NUM_PERM, dtype=np.uint64)
        self.mix = rng.randint(1, 1 << 62, ROWS, dtype=np.uint64)
        self.buckets: list[dict[int, list[int]]] = [{} for _ in range(BANDS)]

    @staticmethod
    def keys(item: Masked) -> list[int]:
        """The item's shingles as 64-bit integers, the same on every run (stored sketches rely
        on it)."""
        cache = _TOKEN_HASH
        hashes = []
        for token in item.tokens:
            h = cache.get(token)
            if h is None:
                h = cache[token] = zlib.crc32(token.encode()) + 1
            hashes.append(h)
        if len(hashes) <= SHINGLE:
            return [_fold(hashes)] if hashes else []
        return [
            (a * _C1 + b * _C2 + c) & _MASK64
            for a, b, c in zip(hashes, hashes[1:], hashes[2:], strict=False)
        ]

    def signatures(self, key_lists: Sequence[Sequence[int]]) -> Any:
        """One list of band keys per non-empty key list."""
        return self.band_matrix(key_lists).tolist()

    def band_matrix(self, key_lists: Sequence[Sequence[int]]) -> Any:
        """One MinHash row per non-empty key list, computed in chunks; then band keys (an array,
        one row per list)."""
        np = self._np
        lists = [k for k in key_lists if k]
        out = np.empty((len(lists), NUM_PERM), dtype=np.uint64)
        start = 0
        while start < len(lists):
            stop, size = start, 0
            # Chunks of ~2,000 keys keep the (keys x NUM_PERM) array near 1 MB: at 50,000 it
            # and its temporaries took ~60 MB, a third of `drafter lint`'s peak on a big folder.
            while stop < len(lists) and (size < 2_000 or stop == start):
                size += len(lists[stop])
                stop += 1
            chunk = lists[start:stop]
            flat = np.fromiter((k for group in chunk for k in group), dtype=np.uint64, count=size)
            # Multiply-shift hashing: arithmetic wraps at 64 bits, the high 32 bits are the hash.
            values = flat[:, None] * self.a[None, :]
            values += self.b[None, :]
            values >>= np.uint64(32)
            offsets = np.cumsum([0] + [len(g) for g in chunk[:-1]])
            out[start:stop] = np.minimum.reduceat(values, offsets, axis=0)
            start = stop
        bands = out.reshape(len(lists), BANDS, ROWS)
        return (bands * self.mix[None, None, :]).sum(axis=2)

    def insert(self, key: int, bands: Sequence[int]) -> None:
        for band, k in zip(self.buckets, bands, strict=True):
            band.setdefault(k, []).append(key)

    def query(self, bands: Sequence[int]) -> list[int]:
        found: set[int] = set()
        for band, k in zip(self.buckets, bands, strict=True):
            hit = band.get(k)
            if hit:
                found.update(hit)
        return sorted(found)


class Buckets:
    """The LSH buckets of a batch whose band keys are all known: a band key no other skeleton
    has can never propose a candidate, so only shared ones get a bucket, and each row's shared
    places are one slice of an array. 20,000 distinct drafts then hold a few thousand buckets,
    not 480,000 (24 bands each)."""

    def __init__(self, matrix: Any) -> None:
        import numpy as np

        rows, bands = matrix.shape
        labels = np.empty((rows, bands), dtype=np.int64)
        shared = np.zeros((rows, bands), dtype=bool)
        for b in range(bands):
            _, inverse, counts = np.unique(matrix[:, b], return_inverse=True, return_counts=True)
            labels[:, b] = inverse.reshape(-1)
            shared[:, b] = counts[inverse.reshape(-1)] > 1
        at_row, at_band = np.nonzero(shared)  # row by row
        # A place is (band, label) as one number: band * rows + label.
        self.places = at_band * rows + labels[at_row, at_band]
        self.offsets = np.searchsorted(at_row, np.arange(rows + 1)).tolist()
        self.buckets: dict[int, list[int]] = {}

    def _places(self, row: int) -> list[int]:
        places: list[int] = self.places[self.offsets[row] : self.offsets[row + 1]].tolist()
        return places

    def insert(self, row: int, key: int) -> None:
        for place in self._places(row):
            self.buckets.setdefault(place, []).append(key)

    def query(self, row: int) -> list[int]:
        found: set[int] = set()
        for place in self._places(row):
            hit = self.buckets.get(place)
            if hit:
                found.update(hit)
        return sorted(found)


_TOKEN_HASH: dict[str, int] = {}
_C1, _C2 = 0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F
_MASK64 = (1 << 64) - 1


def _fold(hashes: Sequence[int]) -> int:
    out = 0
    for h in hashes:
        out = (out * _C1 + h) & _MASK64
    return out


def sketch_bytes(text: str, contact: str | None) -> bytes:
    """The LSH band keys of a sent message, stored with it so a history of 100k messages is
    never masked again (empty for a message with no words)."""
    return sketches_bytes([(text, contact)])[0]


def sketches_bytes(messages: Sequence[tuple[str, str | None]]) -> list[bytes]:
    """sketch_bytes for many messages at once (signatures are computed in bulk)."""
    import numpy as np

    index = shared_index()
    keys = [index.keys(mask(text, personal_terms(None, contact))) for text, contact in messages]
    rows = iter(index.signatures(keys))
    return [bytes(np.array(next(rows), dtype=np.uint64).tobytes()) if k else b"" for k in keys]


_INDEX: list[Index] = []


def shared_index() -> Index:
    if not _INDEX:
        _INDEX.append(Index())
    return _INDEX[0]


class StoredIndex:
    """Band keys of many stored messages, searched with sorted arrays (no per-row dicts)."""

    def __init__(self, sketches: Sequence[bytes]) -> None:
        import numpy as np

        self._np = np
        self.sketches = sketches
        rows = [i for i, s in enumerate(sketches) if len(s) == BANDS * 8]
        self.rows = np.array(rows, dtype=np.int64)
        data = b"".join(sketches[i] for i in rows)
        matrix = np.frombuffer(data, dtype=np.uint64).reshape(len(rows), BANDS)
        self.order = np.argsort(matrix, axis=0, kind="stable")
        self.sorted = np.take_along_axis(matrix, self.order, axis=0)

    def query(self, bands: Sequence[int], limit: int = 50) -> list[int]:
        """Positions (in the sketches given) sharing a band with these band keys: of messages
        with the same sketch (copies of one skeleton) only the last, most shared bands first."""
        np = self._np
        if not len(self.rows):
            return []
        hits: Counter[int] = Counter()
        for band, key in enumerate(bands):
            column = self.sorted[:, band]
            lo = int(np.searchsorted(column, np.uint64(key), side="left"))
            hi = int(np.searchsorted(column, np.uint64(key), side="right"))
            if hi > lo:
                hits.update(self.rows[self.order[lo:hi, band]].tolist())
        last: dict[bytes, int] = {}
        for position in sorted(hits):
            last[self.sketches[position]] = position
        ranked = sorted(last.values(), key=lambda p: (-hits[p], -p))
        return ranked[:limit]


def _shared_keys(units: Sequence[tuple[array[int], set[int]]]) -> set[int]:
    """Shingle keys found in the drafts of two or more owners, from (keys, owners) per skeleton.
    Words shared only among drafts to the same person are not copy-paste.

    Each owner's keys are made distinct, then all of them are sorted in one array: a key seen
    twice there belongs to two owners. No Python object per key, and about one 8-byte slot per
    key at the peak (20,000 distinct drafts have a million and a half keys)."""
    import numpy as np

    shared: set[int] = set()
    by_owner: dict[int, list[array[int]]] = {}
    for found, who in units:
        if not found:
            continue
        if len(who) > 1:  # one skeleton sent to two people: all of it is shared
            shared.update(found)
        else:
            by_owner.setdefault(next(iter(who)), []).append(found)
    if len(by_owner) < 2:
        return shared
    pieces = []
    for founds in by_owner.values():
        if len(founds) == 1 and len(set(founds[0])) == len(founds[0]):
            pieces.append(np.frombuffer(founds[0], dtype=np.uint64))
        else:  # a phrase used twice in one draft, or one person's drafts: each key once
            pieces.append(np.unique(np.concatenate([np.frombuffer(f, np.uint64) for f in founds])))
    flat = np.concatenate(pieces)
    del pieces
    flat.sort()
    twice = flat[1:][flat[1:] == flat[:-1]]  # sorted, so equal keys are neighbours
    if len(twice):
        distinct = np.ones(len(twice), dtype=bool)
        distinct[1:] = twice[1:] != twice[:-1]
        shared.update(twice[distinct].tolist())
    return shared


def find_clusters(
    items: Sequence[Masked | Packed],
    share: float = DEFAULT_SHARE,
    owners: Sequence[str | None] | None = None,
) -> BatchReport:
    """Clusters of drafts whose skeletons are mostly shared with drafts to other people, and
    each draft's personal share. `owners` names each draft's contact (None: its own)."""
    packed = [item if isinstance(item, Packed) else pack(item) for item in items]
    names: dict[str, int] = {}
    who = [
        names.setdefault(
            (owners[i] if owners is not None and owners[i] is not None else f"#{i}") or f"#{i}",
            len(names),
        )
        for i in range(len(packed))
    ]
    # Identical skeletons are one entry: a roster where only names change costs one comparison.
    keyed: dict[bytes, list[int]] = {}
    for i, item in enumerate(packed):
        keyed.setdefault(item.digest, []).append(i)
    uniques = list(keyed.values())
    keys_of = [packed[group[0]].keys for group in uniques]
    whose = [{who[i] for i in group} for group in uniques]
    multi = _shared_keys(list(zip(keys_of, whose, strict=True)))
    personal = [0.0] * len(packed)
    done: dict[int, float] = {}  # a personal share depends on the skeleton only
    for group, keys in zip(uniques, keys_of, strict=True):
        for i in group:
            value = done.get(id(packed[i]))
            if value is None:
                value = done[id(packed[i])] = 1.0 - covered(packed[i], keys, multi)
            personal[i] = value

    followers: dict[int, list[int]] = {}
    buckets = Buckets(Index().band_matrix(keys_of))
    row = -1
    for u, ordered_keys in enumerate(keys_of):
        if not ordered_keys:
            continue
        row += 1  # band_matrix has rows for non-empty key lists only
        mine = whose[u]
        joined = None
        own: set[int] | None = None
        for leader in buckets.query(row):
            if len(mine) == 1 and mine == whose[leader]:
                continue  # the same person's drafts: followup.repeat's business, not copy-paste
            own = set(ordered_keys) if own is None else own
            # Only this draft's shingles are looked up: its keys the leader also has will do.
            found = own.intersection(keys_of[leader])
            if covered(packed[uniques[u][0]], ordered_keys, found) >= share:
                joined = leader
                break
        if joined is None:
            buckets.insert(row, u)
            followers[u] = [u]
        else:
            followers[joined].append(u)

    clusters: list[Cluster] = []
    cluster_of: dict[int, Cluster] = {}
    for group_ids in followers.values():
        drafts = [i for u in group_ids for i in uniques[u]]
        if len({who[i] for i in drafts}) < 2:
            continue
        local = _shared_keys([(keys_of[u], whose[u]) for u in group_ids])
        cluster = Cluster(sorted(drafts))
        for u in group_ids:
            for i in uniques[u]:
                value = covered(packed[i], keys_of[u], local)
                if value >= share:
                    cluster.shares[i] = value
        if len(cluster.shares) >= 2:
            clusters.append(cluster)
            for i in cluster.shares:
                cluster_of[i] = cluster
    return BatchReport(clusters, personal, cluster_of)
