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
