"""`drafter lint -` and `drafter fix -` as editor filters: the installed command, run as a process.

Each case runs `python -m drafter` in a fresh folder (so no drafter.toml above it leaks in);
one also runs the console script installed next to the interpreter.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

OPENER = "generic.stock-opener"
BODY = (
    "Hi Priya,\n"
    "\n"
    "I hope this finds you well. Thank you for walking me through your Kafka migration at "
    "Monzo on Tuesday. Your point about replaying 40 million events in under an hour changed "
    "how our team will plan the cutover.\n"
    "\n"
    "Best,\n"
    "Sam\n"
)
# Front matter written the way people write it: comments, quotes, odd spacing, unicode.
FRONT = (
    "---\n"
    "# sent after the meetup\n"
    "platform:   linkedin\n"
    "stage: 'thanks'\n"
    'subject: "Kafka — replay"   \n'
    "---\n"
)
DRAFT = FRONT + BODY
FIXED = DRAFT.replace("I hope this finds you well. ", "")
LINE = re.compile(
    r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning|info): (?P<msg>.+) \[(?P<rule>[\w.-]+)\]$"
)
CONSOLE = Path(sys.executable).parent / "drafter"


@dataclass
class Run:
    code: int
    out: str
    err: str


def drafter(
    args: Sequence[str],
    cwd: Path,
    stdin: str | bytes = b"",
    *,
    command: Sequence[str] = (sys.executable, "-m", "drafter"),
) -> Run:
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("DRAFTER_CONFIG", None)
    done = subprocess.run(
        [*command, *args], input=data, cwd=cwd, capture_output=True, timeout=300, env=env
    )
    return Run(done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8"))


def assert_one_line_error(run: Run, *needles: str) -> None:
    assert run.code == 2, run
    assert run.out == "", run
    lines = run.err.splitlines()
    assert len(lines) == 1, run.err
    assert lines[0].startswith("drafter: error: "), run.err
    assert "Traceback" not in run.err
    for needle in needles:
        assert needle in lines[0], run.err


@pytest.fixture
def work(tmp_path: Path) -> Path:
    # A folder with an empty config, so nothing found further up changes the results.
    (tmp_path / "drafter.toml").write_text("", encoding="utf-8")
    return tmp_path


# ---- lint - -----------------------------------------------------------------------------


def test_line_format_is_exact(work: Path) -> None:
    run = drafter(
        ["lint", "-", "--stdin-filename", "drafts/priya.md", "--format", "line"], work, DRAFT
    )
    assert run.code == 0 and run.err == ""
    assert run.out == (
        'drafts/priya.md:9:3: warning: Stock opener: "hope this finds you well" could open a '
        f"message to anyone. [{OPENER}]\n"
    )


@pytest.mark.skipif(not CONSOLE.exists(), reason="no console script next to sys.executable")
def test_console_script_reads_stdin(work: Path) -> None:
    run = drafter(
        ["lint", "-", "--stdin-filename", "drafts/priya.md", "--format", "line"],
        work,
        DRAFT,
        command=[str(CONSOLE)],
    )
    assert run.code == 0 and run.err == ""
    assert [LINE.match(x)["rule"] for x in run.out.splitlines()] == [OPENER]  # type: ignore[index]


def test_stdin_filename_names_the_draft_and_gives_its_context(work: Path) -> None:
    # No front matter: the platform and stage come from the path given for stdin.
    text = (
        "Hi Ana, could we hop on a quick call next week? Loved your PyCon talk on Kafka replay.\n"
    )
    run = drafter(
        ["lint", "-", "--stdin-filename", "drafts/linkedin/connect/ana.md", "--format", "json"],
        work,
        text,
    )
    assert run.err == ""
    (file,) = json.loads(run.out)["files"]
    assert file["path"] == "drafts/linkedin/connect/ana.md"
    assert (file["platform"], file["stage"]) == ("linkedin", "connect")
    assert "pitch.call-ask" in {f["rule"] for f in file["findings"]}  # a connect-only rule
    # Named elsewhere, the same text has no context, so the connect-only rule stays quiet.
    run = drafter(
        ["lint", "-", "--stdin-filename", "drafts/ana.md", "--format", "json"], work, text
    )
    (file,) = json.loads(run.out)["files"]
    assert (file["platform"], file["stage"]) == (None, None)
    assert "pitch.call-ask" not in {f["rule"] for f in file["findings"]}


def test_config_is_found_from_the_stdin_filename_folder(work: Path) -> None:
    team = work / "team"
    team.mkdir()
    (team / "drafter.toml").write_text(f'disable = ["{OPENER}"]\n', encoding="utf-8")
    args = ["lint", "-", "--format", "line", "--fail-on", "warning"]
    inside = drafter([*args, "--stdin-filename", "team/sub/priya.md"], work, DRAFT)
    assert (inside.code, inside.out, inside.err) == (0, "", "")
    outside = drafter([*args, "--stdin-filename", "priya.md"], work, DRAFT)
    assert outside.code == 1
    assert outside.out.startswith("priya.md:9:3: warning:")


def test_github_format(work: Path) -> None:
    run = drafter(
        ["lint", "-", "--stdin-filename", "d/priya.md", "--format", "github"], work, DRAFT
    )
    assert run.code == 0 and run.err == ""
    assert run.out == (
        f"::warning file=d/priya.md,line=9,endLine=9,col=3,endColumn=27,title={OPENER}::"
        'Stock opener: "hope this finds you well" could open a message to anyone. '
        "Suggestion: Open with why you are writing to this person.\n"
    )


def test_json_format_schema(work: Path) -> None:
    run = drafter(["lint", "-", "--stdin-filename", "priya.md", "--format", "json"], work, DRAFT)
    assert run.code == 0 and run.err == ""
    data = json.loads(run.out)
    assert data["version"] == 1
    assert set(data) == {"version", "files", "summary"}
    (file,) = data["files"]
    assert set(file) == {"path", "platform", "stage", "score", "breakdown", "findings"}
    assert file["path"] == "priya.md"
    (finding,) = file["findings"]
    assert set(finding) == {
        "rule",
        "category",
        "severity",
        "message",
        "suggestion",
        "line",
        "column",
        "end_line",
        "end_column",
        "offset",
        "end_offset",
        "fix",
    }
    assert (finding["rule"], finding["severity"]) == (OPENER, "warning")
    assert (finding["line"], finding["column"], finding["end_line"], finding["end_column"]) == (
        9,
        3,
        9,
        27,
    )
    assert DRAFT[finding["offset"] : finding["end_offset"]] == "hope this finds you well"
    fix = finding["fix"]
    assert DRAFT[: fix["offset"]] + fix["replacement"] + DRAFT[fix["end_offset"] :] == FIXED
    assert data["summary"]["files"] == 1 and data["summary"]["warnings"] == 1


@pytest.mark.parametrize(
    ("text", "fail_on", "code"),
    [
        (DRAFT, "error", 0),  # a warning only
        (DRAFT, "warning", 1),
        (FIXED, "warning", 0),  # clean
        (DRAFT.replace("Priya", "[Name]"), "error", 1),  # a placeholder is an error
        (DRAFT.replace("Priya", "[Name]"), "never", 0),
    ],
)
def test_exit_codes(work: Path, text: str, fail_on: str, code: int) -> None:
    run = drafter(["lint", "-", "--format", "line", "--fail-on", fail_on], work, text)
    assert run.code == code, run
    assert run.err == ""  # findings go to stdout, only errors to stderr
    assert all(LINE.match(x) for x in run.out.splitlines()), run.out


# ---- bad input --------------------------------------------------------------------------


def test_invalid_utf8_on_stdin(work: Path) -> None:
    bad = b"Hi Priya,\n\nCaf\xe9 at noon?\n"
    assert_one_line_error(drafter(["lint", "-"], work, bad), "not valid UTF-8")
    assert_one_line_error(drafter(["fix", "-"], work, bad), "not valid UTF-8")


def test_unknown_platform(work: Path) -> None:
    assert_one_line_error(drafter(["lint", "-", "-p", "myspace"], work, BODY), "myspace")
    in_front = DRAFT.replace("platform:   linkedin", "platform: myspace")
    assert_one_line_error(drafter(["lint", "-"], work, in_front), "unknown platform 'myspace'")
    assert_one_line_error(drafter(["fix", "-"], work, in_front), "unknown platform 'myspace'")


def test_broken_front_matter(work: Path) -> None:
    broken = "---\nplatform: [linkedin\n---\n" + BODY
    assert_one_line_error(drafter(["lint", "-"], work, broken), "invalid YAML")
    assert_one_line_error(drafter(["fix", "-"], work, broken), "invalid YAML")


# ---- fix - ------------------------------------------------------------------------------


def test_fix_keeps_front_matter_and_untouched_text_byte_for_byte(work: Path) -> None:
    # Trailing spaces, no final newline and non-ASCII text outside the fix must survive.
    text = DRAFT.replace("Best,\n", "Best,  \n").replace("Sam\n", "Sam — ✉️")
    run = drafter(["fix", "-"], work, text)
    assert run.code == 0 and run.err == ""
    assert run.out == text.replace("I hope this finds you well. ", "")
    assert run.out.startswith(FRONT)


def test_fix_keeps_crlf_line_ends(work: Path) -> None:
    text = DRAFT.replace("\n", "\r\n")
    run = drafter(["fix", "-"], work, text.encode("utf-8"))
    assert run.code == 0
    assert run.out.encode("utf-8") == FIXED.replace("\n", "\r\n").encode("utf-8")


def test_fixed_draft_fixed_again_is_unchanged(work: Path) -> None:
    once = drafter(["fix", "-"], work, DRAFT).out
    assert once == FIXED
    assert drafter(["fix", "-"], work, once).out == once
    lint = drafter(["lint", "-", "--format", "line"], work, once)
    assert lint.out == ""


def test_fix_write_is_atomic(work: Path) -> None:
    draft = work / "priya.md"
    draft.write_text(DRAFT, encoding="utf-8")
    draft.chmod(0o640)
    inode = draft.stat().st_ino
    run = drafter(["fix", "--write", "priya.md"], work)
    assert run.code == 0 and run.out == ""
    assert "1 fixes applied" in run.err
    assert draft.read_text(encoding="utf-8") == FIXED
    # Written to a temporary file and renamed over the old one: a new inode, the same mode,
    # and no temporary file left behind.
    assert draft.stat().st_ino != inode
    assert draft.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in work.iterdir()) == ["drafter.toml", "priya.md"]
    # Nothing to fix: the file is left alone.
    inode = draft.stat().st_ino
    assert drafter(["fix", "--write", "priya.md"], work).code == 0
    assert draft.stat().st_ino == inode


def test_fix_write_refuses_stdin(work: Path) -> None:
    assert_one_line_error(drafter(["fix", "-", "--write"], work, DRAFT), "--write")


def test_fix_diff(work: Path) -> None:
    run = drafter(["fix", "-", "--diff", "--stdin-filename", "drafts/priya.md"], work, DRAFT)
    assert run.code == 0 and run.err == ""
    lines = run.out.splitlines()
    assert lines[:2] == ["--- a/drafts/priya.md", "+++ b/drafts/priya.md"]
    assert lines[2].startswith("@@ ")
    removed = [x[1:] for x in lines if x.startswith("-") and not x.startswith("---")]
    added = [x[1:] for x in lines if x.startswith("+") and not x.startswith("+++")]
    assert removed == [DRAFT.splitlines()[8]]
    assert added == [FIXED.splitlines()[8]]
    # Nothing to fix: an empty diff.
    assert drafter(["fix", "-", "--diff"], work, FIXED).out == ""
