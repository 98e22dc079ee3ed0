"""Facts about text that counting, drafting and linting must agree on, defined once.

What a link is decides both X's character count (every link costs 23) and the link rules;
the titles that may stand before a name decide both greeting parsing and name matching.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from drafter.core.lists import builtin_list

# Top-level domains a bare domain is taken as a link on: the common ones and the shorteners'
# (bit.ly, lnkd.in, t.co, goo.gl, is.gd).
_TLDS = "com|org|net|io|dev|co|ai|ly|me|app|gl|gd|in|to|link|page|site|xyz|info|edu|gov|uk|de"
# A link runs to the next space, quote or bracket, but the sentence's own punctuation after it
# ("see bit.ly/x.") is not part of it.
_TAIL = r"[^\s<>\"')\]]*[^\s<>\"')\].,;:!?]"

# Links as people type them: with a scheme, www., or a bare domain on a common or shortener TLD
# (bit.ly/x, lnkd.in/x); not the domain of an email address.
URL = re.compile(
    rf"\bhttps?://{_TAIL}|\bwww\.{_TAIL}"
    rf"|(?<![@\w.-])(?:[a-z0-9-]+\.)+(?:{_TLDS})\b(?:/(?:{_TAIL})?)?(?![\w@-])",
    re.I,
)
# A cheap test that a text may hold a link: the full pattern is slow to fail.
URL_HINT = re.compile(rf"://|www\.|\.(?:{_TLDS})\b", re.I)

# Titles that may stand before a name ("Dear Dr. Ribeiro", "Hi Mrs Ellis"): part of a greeting,
# not a name that must fit the contact. Lowercase, without the full stop (rules/lists/names.yaml).
HONORIFICS = builtin_list("honorifics")


def alternation(phrases: Iterable[str]) -> str:
    """Words or phrases as a regex alternation, longest first; a space matches any blank."""
    ordered = sorted(phrases, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)


def honorific_pattern(*, abbreviated: bool = False) -> str:
    """The honorifics as a regex alternation, longest first; `abbreviated`: only those written
    with a full stop ("Dr.", not "Professor."), where a full stop does not end a sentence."""
    return alternation(h for h in HONORIFICS if not abbreviated or len(h) <= 4)
