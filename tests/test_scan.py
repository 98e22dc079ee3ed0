"""drafter.lint.scan: regrouped patterns match exactly what the originals match."""

from __future__ import annotations

import re

import pytest

from drafter.lint.scan import by_first_char, faster, grouped, split_alternation
from drafter.lint.signals import FAMILIES

TEXTS = [
    "we offer seo packages for $299 per month and boost your rankings",
    "our agency can double your traffic: 3x faster growth, usd 500 only",
    "hi ana, i loved your talk on kafka at pycon. could we chat?",
    "the price is 20% lower; save up to 40 hours a week with our platform",
    "a[b|c] (x|y) \\b not a boundary |",
    "",
]


def test_split_keeps_groups_classes_and_escapes_whole() -> None:
    assert split_alternation(r"a(?:b|c)|[|x]|\||d") == ["a(?:b|c)", "[|x]", r"\|", "d"]
    assert split_alternation(r"[]|]|x") == ["[]|]", "x"]
    assert split_alternation(r"[^]|]|x") == ["[^]|]", "x"]
    assert split_alternation("a(b") is None
    assert split_alternation("a)b") is None


def test_grouped_joins_runs_of_boundary_branches_only() -> None:
    parts = [r"[$€]\d", r"\bper\s+month", r"\bboost\w*", r"\d+%", r"\bsave"]
    assert grouped(parts) == r"[$€]\d|\b(?:per\s+month|boost\w*)|\d+%|\bsave"


def test_faster_leaves_patterns_it_cannot_improve() -> None:
    for rx in (
        re.compile(r"\bone|\btwo"),  # `re` already hoists a common \b
        re.compile(r"(?i)\bx|y|\bz|\bw"),  # global flags must stay first
        re.compile(r"\bx | y | \bz | \bw", re.VERBOSE),
        re.compile(r"\b[a-z]+ly"),  # a first character too common to skip ahead to
    ):
        assert faster(rx) is rx


def test_faster_regroups_a_mixed_alternation() -> None:
    rx = re.compile(r"[$€£]\s?\d|\bper\s+(month|year)|\b(?:boost|grow)\w*|\d+x")
    fast = faster(rx)
    assert fast.pattern == r"[$€£]\s?\d|\b(?:per\s+(month|year)|(?:boost|grow)\w*)|\d+x"
    assert fast.groups == rx.groups == 1
    text = "$5 per month, boosting 3x; per year grow"
    assert [(m.span(), m.groups()) for m in fast.finditer(text)] == [
        ((0, 2), (None,)),
        ((3, 12), ("month",)),
        ((14, 22), (None,)),
        ((23, 25), (None,)),
        ((27, 35), ("year",)),
        ((36, 40), (None,)),
    ]
    assert [(m.span(), m.groups()) for m in rx.finditer(text)] == [
        (m.span(), m.groups()) for m in fast.finditer(text)
    ]


@pytest.mark.parametrize("name", [name for name, _ in FAMILIES])
def test_signal_families_find_the_same_spans(name: str) -> None:
    rx = dict(FAMILIES)[name]
    fast = faster(rx)
    for text in TEXTS:
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in rx.finditer(text)]
    if name == "claim":  # the family that mixes \b branches with price patterns
        assert fast is not rx
        assert [m.group() for m in fast.finditer(TEXTS[0])] == [
            "$2",
            "per month",
            "boost your rankings",
        ]


WORDS = "sales|seo|pricing|price[sd]?|plans?|costs?|code|cases?|s"


def test_by_first_char_groups_plain_branches_keeping_their_order() -> None:
    assert by_first_char(WORDS) == "s(?:ales|eo|)|p(?:ricing|rice[sd]?|lans?)|c(?:osts?|ode|ases?)"
    # nested groups too
    assert by_first_char(rf"\b(?:{WORDS})\b|x") == (
        r"\b(?:s(?:ales|eo|)|p(?:ricing|rice[sd]?|lans?)|c(?:osts?|ode|ases?))\b|x"
    )
    # too few branches, or few sharing a letter: not worth another compile
    assert by_first_char("sales|seo|pricing") == "sales|seo|pricing"
    assert by_first_char("a|b|c|d|e|f|g|hh|ha") == "a|b|c|d|e|f|g|hh|ha"
    # a branch that repeats its first letter stops it; a capturing group is not read
    assert by_first_char("a?b|" + WORDS) == "a?b|" + WORDS
    assert by_first_char("(x)|y") is None


def test_faster_skips_case_insensitive_and_grouped_patterns() -> None:
    for rx in (
        re.compile(WORDS, re.IGNORECASE),
        re.compile(f"(sales)|{WORDS}"),
        re.compile(f"(?i:{WORDS})"),
    ):
        assert faster(rx) is rx
    rx = re.compile(rf"\b(?:{WORDS})\b")
    fast = faster(rx)
    assert fast is not rx
    text = "pricing and prices, seo sales, salesforce, code cases s"
    assert [m.group() for m in fast.finditer(text)] == [
        "pricing",
        "prices",
        "seo",
        "sales",
        "code",
        "cases",
        "s",
    ]
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in rx.finditer(text)]


def test_boundary_after_moves_a_leading_boundary_behind_a_rare_first_character() -> None:
    from drafter.lint.scan import boundary_after

    assert boundary_after(r"\b[Aa] (?!x)") == r"[Aa](?<!\w.) (?!x)"
    assert boundary_after(r"\b\d+(?:\.\d+)?x") == r"\d(?<!\w.)\d*(?:\.\d+)?x"
    assert boundary_after(r"\b\d+?x") == r"\d(?<!\w.)\d*?x"
    # repeats it cannot split, and first characters too common to skip ahead to, stay
    for kept in (r"\b\d{2}", r"\b\d*", r"\b\d++x", r"\b[a-z]+", r"\b\w+", r"\b(?:a|b)"):
        assert boundary_after(kept) == kept
    rx = re.compile(r"\b[Aa] (?:[AEIOU][a-z]+)")
    fast = faster(rx)
    assert fast.pattern == r"[Aa](?<!\w.) (?:[AEIOU][a-z]+)"
    text = "A Europe, a Apple, banana Apple, Ca Orange,\na Idea"
    assert [m.group() for m in fast.finditer(text)] == ["A Europe", "a Apple", "a Idea"]
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in rx.finditer(text)]
