"""Shared fixtures: one Linter per test session (spaCy loads once), and the example data."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafter.core.config import Config
from drafter.core.resources import builtin_dir
from drafter.lint.engine import Linter

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent


XDG = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR")


@pytest.fixture(autouse=True)
def isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No config, sender profile or roster from outside the test can change its results.

    HOME is the session's temporary base folder, so config discovery from any tmp_path stops
    there; XDG folders and the working folder are fresh for each test.
    """
    monkeypatch.setenv("HOME", str(tmp_path_factory.getbasetemp()))
    xdg = tmp_path_factory.mktemp("xdg")
    for name in XDG:
        monkeypatch.setenv(name, str(xdg / name.lower()))
    monkeypatch.delenv("DRAFTER_CONFIG", raising=False)
    cwd = tmp_path_factory.mktemp("cwd")
    monkeypatch.chdir(cwd)
    return cwd


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


def _hypothesis_profiles() -> None:
    """CI explores the same examples every run (a red CI must mean a regression, not a new
    random draw); locally Hypothesis keeps searching fresh examples."""
    import os

    from hypothesis import settings

    settings.register_profile("ci", derandomize=True, database=None)
    if os.environ.get("CI"):
        settings.load_profile("ci")


_hypothesis_profiles()
