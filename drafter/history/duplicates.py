"""Copy-paste across a batch, seen the way a recipient's inbox would see it.

Each draft's contact-specific words (names, company, the facts used, handles, URLs, numbers) are
masked; what is left is the skeleton. Drafts whose skeletons are mostly the same are clustered:
MinHash LSH (datasketch) proposes candidates, an exact shingle check confirms them, and each
cluster is compared with its first member (a leader), so no step compares all pairs.

A draft's *share* is the part of its words (masked words count as personal) that also appears,
as the same run of words, in another draft of its cluster. Its *personal share* is the part of
its words found in no other draft of the batch at all.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from drafter.core.contacts import Contact

SHINGLE = 3  # words per shingle: short enough for short notes, long enough to mean phrasing
NUM_PERM = 64
LSH_THRESHOLD = 0.3  # Jaccard for candidates: generous, the exact check decides
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
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        raw.append((m.group(0).lower(), None if kind == "word" else kind))
    # A capitalised word right after a greeting is a name even without a roster.
    words_upper = [m.group(0)[:1].isupper() for m in _TOKEN.finditer(text)]
    for i in range(1, len(raw)):
        if raw[i - 1][0] in _GREETING and raw[i][1] is None and words_upper[i]:
            raw[i] = (raw[i][0], "name")
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
            tokens.append(f"<{kind}>")
            weights.append(1)
            personal.append(True)
    return Masked(tuple(tokens), tuple(weights), tuple(personal))


def covered_share(item: Masked, others: Iterable[tuple[str, ...]] | set[tuple[str, ...]]) -> float:
    """The part of a draft's words (personal ones never count) inside shingles found in others."""
    found = others if isinstance(others, set) else set(others)
    if not item.tokens or not item.total:
        return 0.0
    covered = [False] * len(item.tokens)
    for i, shingle in enumerate(item.shingles()):
        if shingle in found:
            for j in range(i, i + len(shingle)):
                covered[j] = True
    shared = sum(
        w for w, c, p in zip(item.weights, covered, item.personal, strict=True) if c and not p
    )
    return shared / item.total


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
    """MinHash LSH over shingle sets, with permutations made once."""

    def __init__(self) -> None:
        from datasketch import MinHash, MinHashLSH

        self._minhash = MinHash
        self._proto = MinHash(num_perm=NUM_PERM, hashfunc=_hash32)
        self.lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)

    def sketch(self, shingles: Sequence[tuple[str, ...]]) -> Any:
        m = self._minhash(
            num_perm=NUM_PERM,
            hashfunc=_hash32,
            permutations=self._proto.permutations,
            scheme=self._proto.scheme,
        )
        m.update_batch(["\x1f".join(s).encode() for s in shingles])
        return m

    def insert(self, key: int, sketch: Any) -> None:
        self.lsh.insert(key, sketch, check_duplication=False)

    def query(self, sketch: Any) -> list[int]:
        return sorted(self.lsh.query(sketch))


def _hash32(data: bytes) -> int:
    return zlib.crc32(data)


def find_clusters(items: Sequence[Masked], share: float = DEFAULT_SHARE) -> BatchReport:
    """Clusters of drafts whose skeletons are mostly shared, and each draft's personal share."""
    # Identical skeletons are one entry: a roster where only names change costs one comparison.
    keyed: dict[tuple[str, ...], list[int]] = {}
    for i, item in enumerate(items):
        keyed.setdefault(item.tokens, []).append(i)
    uniques = list(keyed.values())
    shingle_sets = [set(items[group[0]].shingles()) for group in uniques]

    batch_counts: Counter[tuple[str, ...]] = Counter()
    for group, shingles in zip(uniques, shingle_sets, strict=True):
        for s in shingles:
            batch_counts[s] += len(group)
    personal = [0.0] * len(items)
    for group, shingles in zip(uniques, shingle_sets, strict=True):
        own = len(group)
        others = {s for s in shingles if batch_counts[s] > own or own > 1}
        value = 1.0 - covered_share(items[group[0]], others)
        for i in group:
            personal[i] = value

    index = Index()
    leader_of: dict[int, int] = {}
    followers: dict[int, list[int]] = {}
    for u, shingles in enumerate(shingle_sets):
        if not shingles:
            continue
        sketch = index.sketch(list(shingles))
        joined = None
        for leader in index.query(sketch):
            if covered_share(items[uniques[u][0]], shingle_sets[leader]) >= share:
                joined = leader
                break
        if joined is None:
            index.insert(u, sketch)
            leader_of[u] = u
            followers[u] = [u]
        else:
            leader_of[u] = joined
            followers[joined].append(u)

    clusters: list[Cluster] = []
    cluster_of: dict[int, Cluster] = {}
    for group_ids in followers.values():
        drafts = [i for u in group_ids for i in uniques[u]]
        if len(drafts) < 2:
            continue
        counts: Counter[tuple[str, ...]] = Counter()
        for u in group_ids:
            for s in shingle_sets[u]:
                counts[s] += len(uniques[u])
        cluster = Cluster(sorted(drafts))
        for u in group_ids:
            own = len(uniques[u])
            others = {s for s in shingle_sets[u] if counts[s] > own or own > 1}
            value = covered_share(items[uniques[u][0]], others)
            if value >= share:
                for i in uniques[u]:
                    cluster.shares[i] = value
        if len(cluster.shares) >= 2:
            clusters.append(cluster)
            for i in cluster.shares:
                cluster_of[i] = cluster
    return BatchReport(clusters, personal, cluster_of)
