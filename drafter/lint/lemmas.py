"""A small rule-based English lemmatiser for matching, not for linguistics.

Rules match on this key so that "reaching out", "reached out" and "reach out" are one phrase
without a trained pipeline. The key only has to be the same for a word's inflections; it need not
be a dictionary word ("profile" and "profiles" both become "profil").
"""

from __future__ import annotations

from functools import lru_cache

# Irregular forms common in outreach messages, mapped to the base form before suffix rules.
_IRREGULAR = {
    "came": "come",
    "met": "meet",
    "sent": "send",
    "wrote": "write",
    "written": "write",
    "got": "get",
    "gotten": "get",
    "made": "make",
    "saw": "see",
    "seen": "see",
    "found": "find",
    "heard": "hear",
    "gave": "give",
    "given": "give",
    "took": "take",
    "taken": "take",
    "thought": "think",
    "said": "say",
    "told": "tell",
    "knew": "know",
    "known": "know",
    "ran": "run",
    "built": "build",
    "led": "lead",
    "felt": "feel",
    "left": "leave",
    "brought": "bring",
    "bought": "buy",
    "caught": "catch",
    "taught": "teach",
    "kept": "keep",
    "spoke": "speak",
    "spoken": "speak",
    "grew": "grow",
    "grown": "grow",
    "shown": "show",
    "began": "begin",
    "begun": "begin",
    "went": "go",
    "gone": "go",
    "did": "do",
    "done": "do",
    "does": "do",
    "has": "have",
    "had": "have",
    "having": "have",
    "was": "be",
    "were": "be",
    "been": "be",
    "being": "be",
    "is": "be",
    "are": "be",
    "am": "be",
    "'m": "be",
    "'re": "be",
    "'s": "'s",
    "'ve": "have",
    "'ll": "will",
    "'d": "would",
    "n't": "not",
    "wo": "will",
    "ca": "can",
    "sold": "sell",
    "paid": "pay",
    "stood": "stand",
    "understood": "understand",
    "won": "win",
    "lost": "lose",
    "meant": "mean",
    "spent": "spend",
    "chose": "choose",
    "chosen": "choose",
    "fell": "fall",
    "forgot": "forget",
    "forgotten": "forget",
    "people": "person",
    "children": "child",
    "men": "man",
    "women": "woman",
    "better": "good",
    "best": "good",
    "bumped": "bump",
}

_KEEP = frozenset(
    {
        "this",
        "his",
        "its",
        "us",
        "was",
        "yes",
        "news",
        "series",
        "business",
        "process",
        "success",
        "access",
        "address",
        "less",
        "across",
        "analysis",
        "basis",
        "thus",
        "plus",
        "bus",
        "always",
        "perhaps",
        "themselves",
        "ourselves",
        "yourselves",
        "sometimes",
        "nothing",
        "something",
        "anything",
        "everything",
        "thing",
        "during",
        "bring",
        "spring",
        "string",
        "morning",
        "evening",
        "king",
        "ring",
        "sing",
        "wing",
        "need",
        "speed",
        "feed",
        "seed",
        "red",
        "bed",
        "shed",
    }
)


@lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    w = word.lower().replace("’", "'")
    if w in _IRREGULAR:
        w = _IRREGULAR[w]
    elif len(w) > 3 and w.isalpha() and w not in _KEEP:
        w = _strip_suffix(w)
    if len(w) > 3 and w.endswith("e") and not w.endswith("ee"):
        w = w[:-1]
    return w


def _strip_suffix(w: str) -> str:
    if w.endswith(("ies", "ied")) and len(w) > 4:
        return w[:-3] + "y"
    for suffix in ("ing", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            stem = w[: -len(suffix)]
            if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "lsfz":
                stem = stem[:-1]  # running -> run, stopped -> stop; not calling -> cal
            return stem
    if w.endswith("es") and w[:-2].endswith(("s", "x", "z", "ch", "sh")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w
