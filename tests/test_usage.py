"""Usage errors are one line and exit 2; options work after the subcommand; fix never hangs."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from drafter.cli import cli


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), obj={}, input=input)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["lint", "--nope"], "No such option '--nope' (see 'cli lint --help')"),
        (["draft"], "Missing option '--platform' / '-p' (see 'cli draft --help')"),
        (["bogus"], "No such command 'bogus' (see 'cli --help')"),
        (["--bogus"], "No such option '--bogus' (see 'cli --help')"),
        (["templates", "show"], "Missing argument 'NAME' (see 'cli templates show --help')"),
        (["import", "vcard"], "Missing argument 'SOURCE' (see 'cli import vcard --help')"),
        (["lint", "-", "--fail-on", "x"], "Invalid value for '--fail-on'"),
        (["lint", "-", "-s", "nostage"], "'nostage' is not one of 'connect'"),
    ],
)
def test_usage_errors_are_one_line(args: list[str], message: str) -> None:
    result = run(*args, input="")
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("drafter: error: ")
    assert message in lines[0]


def test_config_after_the_subcommand(tmp_path: Path) -> None:
    config = tmp_path / "elsewhere.toml"
    config.write_text('disable = ["generic.stock-opener"]\n', encoding="utf-8")
    text = "Hi Ana, I hope this finds you well. Your tide gauge post was great.\n"
    plain = run("lint", "-", "-p", "email", "-s", "connect", "--format", "line", input=text)
    assert "generic.stock-opener" in plain.stdout
    for args in (["--config", str(config), "lint"], ["lint", "--config", str(config)]):
        result = run(*args, "-", "-p", "email", "-s", "connect", "--format", "line", input=text)
        assert "generic.stock-opener" not in result.stdout, args
    missing = run("rules", "--config", str(tmp_path / "nope.toml"))
    assert missing.exit_code == 2
    assert "nope.toml: config file not found" in missing.stderr


def test_fix_without_a_file_on_a_terminal_prints_usage(tmp_path: Path) -> None:
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "drafter", "fix"],
            stdin=follower,
            capture_output=True,
            text=True,
            timeout=60,
            cwd=tmp_path,
        )
    finally:
        os.close(follower)
        os.close(leader)
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "drafter: error: no draft given: pass a file, or - to read stdin "
        "(see 'python -m drafter fix --help')"
    )


def test_fix_reads_piped_stdin_without_a_dash() -> None:
    body = "Your talk on tide gauges at PyData Oslo showed me how to calibrate my own sensors."
    result = run("fix", input=f"Hi Ana,\n\nI hope this finds you well. {body}\n")
    assert result.exit_code == 0, result.output
    assert "hope this finds" not in result.stdout
    assert body in result.stdout


def test_drafter_alone_prints_its_help() -> None:
    result = run()
    assert "Usage: " in result.output
    assert "drafter: error:" not in result.output
    assert "import" in result.output and "lint" in result.output
