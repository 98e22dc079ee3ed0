"""`lint -` without a platform says on stderr which platform rules it could not apply."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from drafter.cli import cli

DRAFT = "Hi Ana, your Flink 1.18 talk fixed our late joins.\n"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))


def test_stdin_without_platform_names_the_rules_not_applied() -> None:
    result = CliRunner().invoke(cli, ["lint", "-"], obj={}, input=DRAFT)
    assert result.exit_code == 0
    [note] = [line for line in result.stderr.splitlines() if "not applied" in line]
    assert note.startswith("drafter: note: <stdin> has no platform")
    assert "platform.over-limit" in note and "platform.link-in-note" in note
    assert "score 100/100" in result.stdout


def test_stdin_with_a_platform_says_nothing() -> None:
    result = CliRunner().invoke(cli, ["lint", "-p", "linkedin", "-"], obj={}, input=DRAFT)
    assert result.exit_code == 0
    assert result.stderr == ""


def test_stdin_with_platform_front_matter_says_nothing() -> None:
    text = "---\nplatform: email\n---\n" + DRAFT
    result = CliRunner().invoke(cli, ["lint", "-"], obj={}, input=text)
    assert result.stderr == ""


def test_a_file_named_x_md_is_not_an_x_draft(tmp_path: Path) -> None:
    (tmp_path / "x.md").write_text("Hi Ana, " + "your Flink talk was great. " * 12, "utf-8")
    result = CliRunner().invoke(cli, ["lint", "--format", "json", "x.md"], obj={})
    assert '"platform": null' in result.stdout
    assert "platform.over-limit" not in result.stdout
