"""drafter.lint.jsontext writes exactly what json.dumps(ensure_ascii=False, indent=2) writes."""

from __future__ import annotations

import json
import math
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from drafter.lint.jsontext import dumps_indented

LEAVES = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
)
TREES = st.recursive(
    LEAVES,
    lambda inner: (
        st.lists(inner)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text() | st.integers(), inner)
    ),
    max_leaves=30,
)


def _stdlib(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2)


@given(TREES)
def test_same_text_as_the_standard_library(obj: Any) -> None:
    assert dumps_indented(obj) == _stdlib(obj)


def test_a_finding_shaped_document() -> None:
    doc = {
        "path": "drafts/ana.md",
        "platform": None,
        "score": 85,
        "breakdown": {"generic": 85},
        "findings": [
            {"rule": "generic.cliche", "message": "“touch base” — say why", "fix": None},
            {"rule": "x", "ratio": 0.5, "ok": True, "spans": [], "extra": {}},
        ],
    }
    assert dumps_indented(doc) == _stdlib(doc)
    assert dumps_indented(doc).splitlines()[:3] == [
        "{",
        '  "path": "drafts/ana.md",',
        '  "platform": null,',
    ]


def test_special_numbers_and_other_keys() -> None:
    for value in (math.nan, math.inf, -math.inf, -0.0, 1e300, True, 2**70):
        assert dumps_indented([value]) == _stdlib([value])
    assert dumps_indented({1: "a", None: "b"}) == _stdlib({1: "a", None: "b"})  # handed over
