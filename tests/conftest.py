"""Shared fixtures: one Linter per test session (spaCy loads once), and the example data."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafter.core.config import Config
from drafter.core.resources import builtin_dir
from drafter.lint.engine import Linter

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent


@pytest.fixture(scope="session")
def linter() -> Linter:
    return Linter.from_config(Config())


@pytest.fixture(scope="session")
def examples() -> Path:
    return builtin_dir("examples")


@pytest.fixture(autouse=True)
def _private_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test ever reads or writes the real user's history: the data folder is a temp dir."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data")))
