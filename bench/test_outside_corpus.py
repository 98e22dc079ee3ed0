"""Checks on the outside corpus (../shared/corpus), which lives outside the repository: run with
`pytest bench/` on a machine that has it. The suite in tests/ never reads files outside the repo.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus


@pytest.mark.skipif(not corpus.DEFAULT_LETR_PATH.is_file(), reason="outside corpus not present")
def test_letr_corpus_default_path_loads() -> None:
    rows = corpus.load_letr_corpus()
    assert len(rows) > 0
    assert any(r["has_placeholder"] for r in rows)
    assert any(r["is_pitch"] for r in rows)
