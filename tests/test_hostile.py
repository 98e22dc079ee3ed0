"""Hostile and broken input against every command: one line and exit 2 (or a clean result), never
a traceback, a hang, a file outside the output folder, or a changed input file.

Each case writes its files into a fresh folder (also HOME and cwd), runs one command in process,
and checks the exit code, that stderr is one `drafter: error:` line naming the input, and that no
file in the folder changed. Time bounds are generous: the point is linear time, not speed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from drafter.cli import cli

HUGE_INT = "9" * 5000
ROSTER = (
    "- id: ana\n  name: Ana Ribeiro\n  company: Fieldline\n  how_we_met: at PyCon\n"
    "  reason: I build tide-gauge dashboards too\n  platforms: {linkedin: ana-ribeiro}\n"
)
ME = "name: Sam Okafor\nrole: Data engineer\ncompany: Fieldline\n"
DRAFT = "---\nplatform: linkedin\nstage: connect\n---\nHi Ana,\n\nLoved your talk on Kafka.\n"
TEMPLATE_OK = "Hi {{ contact.name | first_name }}, glad we met."


@dataclass(frozen=True)
class Case:
    name: str
    files: dict[str, str | bytes]
    args: list[str]
    code: int = 2
    needle: str = ""  # must appear in the one error line (usually the input's name)
    seconds: float = 30.0
    links: dict[str, str] = field(default_factory=dict)  # name -> target (symlinks)


def _tpl(body: str | bytes) -> dict[str, str | bytes]:
    return {"roster.yaml": ROSTER, "me.yaml": ME, "tpl/linkedin/connect/z.j2": body}


DRAFT_ARGS = ["draft", "-p", "linkedin", "-s", "connect", "-r", "roster.yaml", "--me", "me.yaml"]
TPL_ARGS = [*DRAFT_ARGS, "--templates", "tpl", "--variant", "z", "--no-lint"]

CASES = [
    # ---- rosters ----
    Case(
        "roster json huge int",
        {"r.json": '[{"id": "a", "name": "A B", "n": ' + HUGE_INT + "}]", "me.yaml": ME},
        ["draft", "-p", "linkedin", "-s", "connect", "-r", "r.json", "--me", "me.yaml"],
        needle="r.json",
    ),
    Case(
        "roster json deep nesting",
        {"r.json": "[" * 100_000, "me.yaml": ME},
        ["draft", "-p", "linkedin", "-s", "connect", "-r", "r.json", "--me", "me.yaml"],
        needle="r.json",
    ),
    Case(
        "roster yaml huge int",
        {"r.yaml": ROSTER + "  age: " + HUGE_INT + "\n", "me.yaml": ME},
        ["draft", "-p", "linkedin", "-s", "connect", "-r", "r.yaml", "--me", "me.yaml"],
        needle="r.yaml",
    ),
    Case(
        "roster csv huge field is text",
        {"r.csv": "id,name,how_we_met\nana,Ana Ribeiro,at " + HUGE_INT[:50] + "\n", "me.yaml": ME},
        ["draft", "-p", "x", "-s", "connect", "-r", "r.csv", "--me", "me.yaml", "--no-lint"],
        code=0,
    ),
    Case(
        "roster lone surrogate",
        {"r.json": '[{"id": "a", "name": "Ana \\ud800 B"}]', "me.yaml": ME},
        ["draft", "-p", "linkedin", "-s", "connect", "-r", "r.json", "--me", "me.yaml"],
        needle="r.json",
    ),
    Case(
        "roster is a fifo-like device",
        {"me.yaml": ME},
        ["draft", "-p", "linkedin", "-s", "connect", "-r", "/dev/zero", "--me", "me.yaml"],
        needle="/dev/zero",
    ),
    # ---- drafts ----
    Case(
        "front matter channel list",
        {"d.md": "---\nplatform: x\nstage: connect\nchannel: [note]\n---\nHi Ana, hello.\n"},
        ["lint", "d.md"],
        needle="d.md",
    ),
    Case(
        "front matter huge int",
        {"d.md": "---\nplatform: x\nvariant: " + HUGE_INT + "\n---\nHi Ana.\n"},
        ["lint", "d.md"],
        needle="d.md",
    ),
    Case(
        "front matter deep nesting",
        {"d.md": "---\nx: " + "[" * 5000 + "\n---\nHi Ana.\n"},
        ["lint", "d.md"],
        needle="d.md",
    ),
    Case("lint /dev/zero", {}, ["lint", "/dev/zero"], needle="/dev/zero"),
    Case("fix /dev/zero", {}, ["fix", "/dev/zero"], needle="/dev/zero"),
    Case(
        "lint over the size limit",
        {"big.md": "Hello there. " * 80_000},
        ["lint", "big.md"],
        needle="big.md",
    ),
    Case(
        "fix over the size limit",
        {"big.md": "Hello there. " * 80_000},
        ["fix", "big.md"],
        needle="big.md",
    ),
    Case("lint 12000 !", {"d.md": "Hi Ana,\n" + "!" * 12_000}, ["lint", "d.md"], code=1),
    Case("lint 12000 {{", {"d.md": "Hi Ana,\n" + "{{" * 12_000}, ["lint", "d.md"], code=1),
    Case("lint 32000 spaces", {"d.md": "Hi Ana" + " " * 32_000 + "x"}, ["lint", "d.md"], code=1),
    Case(
        "lint x a. run",
        {"d.md": "---\nplatform: x\nstage: connect\n---\n" + "a." * 12_000},
        ["lint", "d.md"],
        code=1,
    ),
    Case("lint emoji run", {"d.md": "Hi Ana, " + "😀" * 12_000}, ["lint", "d.md"], code=1),
    # one 200 KB line after a greeting, a 200 KB run of digits: quadratic regexes took minutes
    Case(
        "lint greeting + one line", {"d.md": "Hi Kevin, " + "word " * 40_000}, ["lint", "d.md"], 0
    ),
    Case("lint digit run", {"d.md": "Hi Ana,\n" + "1" * 200_000}, ["lint", "d.md"], code=1),
    Case(
        "lint 900 KB lorem",
        {"d.md": "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 16_000},
        ["lint", "d.md"],
        code=1,
        seconds=60,
    ),
    # ---- config ----
    Case("config tool = 1", {"pyproject.toml": "tool = 1\n", "d.md": DRAFT}, ["lint", "d.md"], 0),
    Case(
        "config huge int",
        {"drafter.toml": '[rule."platform.near-limit"]\nratio = ' + HUGE_INT + "\n", "d.md": DRAFT},
        ["lint", "d.md"],
        needle="drafter.toml",
    ),
    Case(
        "config group -1",
        {"drafter.toml": '[rule."placeholder.bracketed"]\ngroup = -1\n', "d.md": DRAFT},
        ["lint", "d.md"],
        needle="drafter.toml",
    ),
    Case(
        "config check param wrong type",
        {"drafter.toml": '[rule."personalisation.nothing-specific"]\nmin_detail = "x"\n'},
        ["rules"],
        needle="min_detail",
    ),
    Case(
        "config ratio wrong type",
        {"drafter.toml": '[rule."platform.near-limit"]\nratio = "abc"\n', "d.md": DRAFT},
        ["lint", "d.md"],
        needle="ratio",
    ),
    Case(
        "pyproject tool = 1 given",
        {"pyproject.toml": "tool = 1\n", "d.md": DRAFT},
        ["--config", "pyproject.toml", "lint", "d.md"],
        code=0,
    ),
    Case(
        "config NUL in path",
        {"drafter.toml": 'roster = "a\\u0000b"\n', "d.md": DRAFT},
        ["lint", "d.md"],
        needle="drafter.toml",
    ),
    Case(
        "config roster wrong type",
        {"drafter.toml": "roster = 5\n", "d.md": DRAFT},
        ["lint", "d.md"],
        needle="drafter.toml",
    ),
    # ---- user rules ----
    Case(
        "rule phrases wrong type",
        {
            "drafter.toml": 'rules = ["myrules"]\n',
            "myrules/x.yaml": "- id: mine.one\n  category: generic\n  severity: warning\n"
            "  kind: phrase\n  message: m\n  why: w\n  phrases: [1, 2]\n",
            "d.md": DRAFT,
        },
        ["lint", "d.md"],
        needle="x.yaml",
    ),
    Case(
        "rule regex wrong type",
        {
            "drafter.toml": 'rules = ["myrules"]\n',
            "myrules/x.yaml": "- id: mine.two\n  category: generic\n  severity: warning\n"
            "  kind: regex\n  message: m\n  why: w\n  regex: {a: 1}\n",
            "d.md": DRAFT,
        },
        ["lint", "d.md"],
        needle="x.yaml",
    ),
    # ---- templates ----
    Case("template divides by zero", _tpl("{{ 1 // 0 }}"), TPL_ARGS, 1, "z.j2"),
    Case(
        "template recursion",
        _tpl("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}"),
        TPL_ARGS,
        1,
        "z.j2",
    ),
    Case("template huge range", _tpl("{% for i in range(10**9) %}x{% endfor %}"), TPL_ARGS, 1),
    Case("template huge power", _tpl("{{ 9 ** (9 ** 9) }}"), TPL_ARGS, 1, "z.j2"),
    Case("template huge string", _tpl("{{ 'x' * 10**9 }}"), TPL_ARGS, 1, "z.j2"),
    Case(
        "template nested loops",
        _tpl(
            "{% for a in range(99999) %}{% for b in range(99999) %}{% for c in range(99) %}"
            "{% endfor %}{% endfor %}{% endfor %}"
        ),
        TPL_ARGS,
        1,
        "z.j2",
    ),
    Case("template not utf-8", _tpl(b"Hi \xff\xfe {{ contact.name }}"), TPL_ARGS, 1, "z.j2"),
    Case(
        "template is a folder",
        {"roster.yaml": ROSTER, "me.yaml": ME, "tpl/linkedin/connect/z.j2/keep": "x"},
        TPL_ARGS,
        needle="z.j2",
    ),
    Case(
        "template dangling symlink",
        {"roster.yaml": ROSTER, "me.yaml": ME, "tpl/linkedin/connect/.keep": ""},
        TPL_ARGS,
        needle="z.j2",
        links={"tpl/linkedin/connect/z.j2": "nowhere.j2"},
    ),
    Case(
        "templates list with broken template folder",
        {"tpl/linkedin/connect/z.j2/keep": "x"},
        ["templates", "--templates", "tpl"],
        needle="z.j2",
    ),
    Case(
        "platform yaml wrong types",
        {
            "tpl/linkedin/platform.yaml": "label: [1]\nstages: {connect: {requires: 5}}\n",
        },
        ["templates", "--templates", "tpl"],
        needle="platform.yaml",
    ),
    Case(
        "platform yaml channel flags wrong type",
        {"tpl/linkedin/platform.yaml": "channels: {note: {subject: [1], greeting: {}}}\n"},
        ["templates", "--templates", "tpl"],
        needle="platform.yaml",
    ),
    Case(
        "templates show not utf-8",
        {"tpl/linkedin/connect/z.j2": b"Hi \xff"},
        ["templates", "--templates", "tpl", "show", "linkedin/connect", "--variant", "z"],
        needle="z.j2",
    ),
    Case(
        "rule check param wrong type",
        {
            "drafter.toml": 'rules = ["myrules"]\n',
            "myrules/x.yaml": "- id: mine.three\n  category: generic\n  severity: warning\n"
            "  kind: check\n  check: specific\n  message: m\n  why: w\n"
            "  params: {min_detail: many}\n",
            "d.md": DRAFT,
        },
        ["lint", "d.md"],
        needle="min_detail",
    ),
    Case("rules explain unknown", {}, ["rules", "explain", "nope\x1b[31m"], needle="nope"),
]


def _write(root: Path, case: Case) -> None:
    for name, content in case.files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    for name, target in case.links.items():
        (root / name).symlink_to(target)


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / ".config"))
    return tmp_path


def run(args: list[str], input: str | bytes | None = None) -> Result:
    return CliRunner().invoke(cli, args, obj={}, input=input)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input(case: Case, home: Path) -> None:
    _write(home, case)
    before = _snapshot(home)
    started = time.monotonic()
    result = run(case.args)
    elapsed = time.monotonic() - started
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
    assert result.exit_code == case.code, result.output
    if case.code == 2:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("drafter: error: ")
        assert case.needle in lines[0]
    elif case.needle:
        assert case.needle in result.stderr
    assert _snapshot(home) == before
    assert elapsed < case.seconds


# ---- the language server over stdio, spoken to byte by byte -------------------------------


def _frame(message: dict[str, Any], delta: int = 0) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % (len(body) + delta) + body


class _Server:
    """`drafter lsp` in a subprocess; every message it sends is collected by a thread."""

    def __init__(self, cwd: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "drafter", "lsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=cwd,
        )
        self.messages: list[dict[str, Any]] = []
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        stream = self.proc.stdout
        while True:
            header = stream.readline()
            if not header:
                return
            if header.lower().startswith(b"content-length:"):
                length = int(header.split(b":")[1])
                while stream.readline().strip():  # Content-Type, then the blank line
                    pass
                self.messages.append(json.loads(stream.read(length)))

    def send(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def wait_for(self, test: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            for message in list(self.messages):
                if test(message):
                    return message
            time.sleep(0.05)
        raise AssertionError(f"no such message; got {self.messages}")

    def finish(self) -> int:
        try:
            return self.proc.wait(60)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()


INIT = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"processId": None, "rootUri": None, "capabilities": {}},
}
INITIALIZED = {"jsonrpc": "2.0", "method": "initialized", "params": {}}


def _request(msg_id: int, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
    message: dict[str, Any] = {"jsonrpc": "2.0", "id": msg_id, "method": method}
    if params is not None:
        message["params"] = params
    return message


def test_server_survives_bad_framing_and_answers_everything(home: Path) -> None:
    uri = (home / "my draft é.md").as_uri()  # percent-encoded: %20 and %C3%A9
    assert "%20" in uri
    server = _Server(home)
    try:
        server.send(_frame(INIT, +3))  # Content-Length 3 bytes too long
        server.wait_for(lambda m: m.get("id") == 1 and "result" in m)
        server.send(_frame(INITIALIZED, -3))  # 3 bytes too short
        server.send(b"Content-Length: 99999999999999\r\n\r\n{}")  # refused, skipped
        opened = {
            "textDocument": {
                "uri": uri,
                "languageId": "markdown",
                "version": 1,
                "text": "Hi Ana,\n\nI hope this message finds you well.\n",
            }
        }
        server.send(_frame({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": opened}))
        published = server.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics")
        assert published["params"]["uri"] == uri
        assert any(d["code"] == "generic.stock-opener" for d in published["params"]["diagnostics"])
        bad = {"textDocument": {"uri": uri}, "position": {"line": -5, "character": 99}}
        server.send(_frame(_request(2, "textDocument/hover", bad)))
        answer = server.wait_for(lambda m: m.get("id") == 2)
        assert answer["error"]["code"] == -32602
        past = {"textDocument": {"uri": uri}, "position": {"line": 9999, "character": 9999}}
        server.send(_frame(_request(3, "textDocument/hover", past)))
        assert server.wait_for(lambda m: m.get("id") == 3)["result"] is None
        server.send(_frame(_request(4, "shutdown")))
        server.wait_for(lambda m: m.get("id") == 4)
        server.send(_frame(_request(5, "textDocument/hover", past)))
        assert server.wait_for(lambda m: m.get("id") == 5)["error"]["code"] == -32600
        server.send(_frame({"jsonrpc": "2.0", "method": "exit"}))
        assert server.finish() == 0
    finally:
        server.finish()


def test_server_exit_without_shutdown_is_status_1(home: Path) -> None:
    server = _Server(home)
    server.send(_frame(INIT))
    server.wait_for(lambda m: m.get("id") == 1)
    server.send(_frame({"jsonrpc": "2.0", "method": "exit"}))
    assert server.finish() == 1


def test_server_refuses_to_lint_a_huge_document_with_one_diagnostic(home: Path) -> None:
    server = _Server(home)
    try:
        server.send(_frame(INIT))
        server.wait_for(lambda m: m.get("id") == 1)
        server.send(_frame(INITIALIZED))
        uri = (home / "big.md").as_uri()
        text = "Hello there. " * 80_000
        opened = {"textDocument": {"uri": uri, "languageId": "md", "version": 1, "text": text}}
        server.send(_frame({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": opened}))
        published = server.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics")
        (diagnostic,) = published["params"]["diagnostics"]
        assert "too long to lint as you type" in diagnostic["message"]
        server.send(_frame(_request(2, "shutdown")))
        server.wait_for(lambda m: m.get("id") == 2)
        server.send(_frame({"jsonrpc": "2.0", "method": "exit"}))
        assert server.finish() == 0
    finally:
        server.finish()


# ---- smaller promises ------------------------------------------------------------------------


def test_endless_stdin_is_refused(home: Path) -> None:
    result = _cli(["lint", "-"], home, input=b"x" * 4_000_001)
    assert result.returncode == 2
    message = result.stderr.decode()
    assert message.startswith("drafter: error: <stdin>: ") and "over the limit" in message


def test_empty_front_matter_does_not_swallow_the_body() -> None:
    from drafter.core.drafts import parse_draft

    draft = parse_draft("---\n---\nHi Ana,\n---\nSam\n")
    assert draft.body == "Hi Ana,\n---\nSam\n"


def test_subject_through_a_yaml_alias_points_inside_the_file(linter: Any) -> None:
    from drafter.core.drafts import parse_draft

    text = "---\nplatform: email\nstage: connect\ns: &s '[Topic] here'\nsubject: *s\n---\nHi Ana,\n"
    draft = parse_draft(text, "d.md", platforms=["email"])
    assert draft.subject == "[Topic] here" and draft.subject_offset is None
    for f in linter.lint(draft).findings:
        assert 0 <= f.offset <= f.end_offset <= len(text)


def test_blank_follow_up_gives_no_inverted_range(linter: Any) -> None:
    from drafter.core.drafts import Draft

    body = " " * 41 + "\n\n  "
    result = linter.lint(Draft.from_body(body, platform="linkedin", stage="follow_up"))
    assert result.findings
    assert all(f.offset <= f.end_offset <= len(body) for f in result.findings)


def test_text_reports_escape_terminal_controls(home: Path) -> None:
    name = "d\x1b[2J.md"
    (home / name).write_text("Hi Ana,\n\nI hope this message finds you well.\n", encoding="utf-8")
    for fmt in ("text", "line", "github"):
        result = run(["lint", "--format", fmt, name])
        assert "\x1b" not in result.output
        assert "d\\x1b[2J.md" in result.output, fmt
    result = run(["rules", "explain", "x\x1b]0;owned\x07"])
    assert result.exit_code == 2 and "\x1b" not in result.stderr


def test_fix_keeps_mixed_line_ends_bom_and_lone_crs(home: Path) -> None:
    cases = {
        "mixed.md": b"---\r\nplatform: linkedin\r\nstage: connect\r\n---\r\nHi Ana,\n\n"
        b"I hope this message finds you well. Loved your Kafka talk at PyCon.\n",
        "crlf-lf.md": b"Hi Ana,\r\n\nI hope this message finds you well. Loved your Kafka talk.\r\n",
        "lone-cr.md": b"Hi Ana,\rI hope this message finds you well.\rThanks for the Kafka talk at PyCon Oslo.\r",
        "bom.md": b"\xef\xbb\xbfHi Ana,\r\n\r\nI hope this message finds you well. Loved your Kafka talk at PyCon.\r\n",
    }
    expected = {
        "mixed.md": b"---\r\nplatform: linkedin\r\nstage: connect\r\n---\r\nHi Ana,\n\n"
        b"Loved your Kafka talk at PyCon.\n",
        "crlf-lf.md": b"Hi Ana,\r\n\nLoved your Kafka talk.\r\n",
        "lone-cr.md": b"Hi Ana,\rThanks for the Kafka talk at PyCon Oslo.\r",
        "bom.md": b"\xef\xbb\xbfHi Ana,\r\n\r\nLoved your Kafka talk at PyCon.\r\n",
    }
    for name, data in cases.items():
        (home / name).write_bytes(data)
        result = run(["fix", "--unsafe-fixes", name])
        assert result.exit_code == 0, result.output
        assert result.stdout_bytes == expected[name], name
        assert (home / name).read_bytes() == data  # not --write: untouched
    # JSON offsets count the file as given (BOM and CRs): applying the fix reproduces `fix`.
    result = run(["lint", "--format", "json", "bom.md"])
    (finding,) = [f for f in json.loads(result.stdout)["files"][0]["findings"] if f["fix"]]
    text = cases["bom.md"].decode("utf-8")
    fix = finding["fix"]
    applied = text[: fix["offset"]] + fix["replacement"] + text[fix["end_offset"] :]
    assert applied.encode("utf-8") == expected["bom.md"]


def test_fix_write_goes_through_symlinks_and_keeps_hard_links(home: Path) -> None:
    data = "Hi Ana,\n\nI hope this message finds you well. Loved your Kafka talk.\n"
    target = home / "real.md"
    target.write_text(data, encoding="utf-8")
    (home / "link.md").symlink_to("real.md")
    (home / "hard.md").hardlink_to(target)
    result = run(["fix", "--write", "link.md"])
    assert result.exit_code == 0, result.output
    assert (home / "link.md").is_symlink()
    assert "I hope" not in target.read_text(encoding="utf-8")
    assert (home / "hard.md").read_text(encoding="utf-8") == target.read_text(encoding="utf-8")
    assert target.stat().st_nlink == 2


def _cli(args: list[str], cwd: Path, **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "drafter", *args],
        cwd=cwd,
        capture_output=True,
        timeout=120,
        **kwargs,
    )


def test_closed_stdout_full_disk_and_ascii_locale_are_one_line(home: Path) -> None:
    (home / "d.md").write_text("Hi Ana,\n\nLoved your talk — thanks ☕.\n", encoding="utf-8")
    closed = subprocess.run(
        [sys.executable, "-m", "drafter", "lint", "d.md"],
        cwd=home,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        timeout=120,
        preexec_fn=lambda: os.close(1),
    )
    assert closed.returncode == 2
    assert closed.stderr.decode() == "drafter: error: standard output is closed\n"
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [sys.executable, "-m", "drafter", "templates"],
            cwd=home,
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=120,
        )
    assert result.returncode == 2
    assert result.stderr.decode().startswith("drafter: error: cannot write output")
    assert len(result.stderr.decode().splitlines()) == 1
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    fixed = _cli(["fix", "d.md"], home, env=env)
    assert fixed.returncode == 0, fixed.stderr
    assert fixed.stdout == (home / "d.md").read_bytes()
    linted = _cli(["lint", "d.md"], home, env=env)
    assert b"Traceback" not in linted.stderr and linted.returncode in (0, 1)


BLOCK_SOCKETS = """
import socket, sys, runpy
def refuse(*args, **kwargs):
    raise RuntimeError("network used")
class Blocked(socket.socket):
    def __init__(self, *args, **kwargs):
        refuse()
socket.socket = Blocked
socket.create_connection = refuse
socket.getaddrinfo = refuse
sys.argv = ["drafter", *sys.argv[1:]]
runpy.run_module("drafter", run_name="__main__")
"""


def test_everything_works_with_sockets_blocked(home: Path, examples: Path) -> None:
    (home / "out").mkdir()
    draft = [
        "draft",
        "-p",
        "linkedin",
        "-s",
        "connect",
        "-r",
        str(examples / "roster.yaml"),
        "--me",
        str(examples / "me.yaml"),
        "--out",
        "out",
    ]
    roster = ["-r", str(examples / "roster.yaml")]
    fix = ["fix", "out/ana-ribeiro.linkedin.connect.md", *roster]
    for args in (draft, ["lint", "out", *roster], fix, ["rules"]):
        result = subprocess.run(
            [sys.executable, "-c", BLOCK_SOCKETS, *args],
            cwd=home,
            capture_output=True,
            timeout=180,
        )
        assert b"network used" not in result.stderr, args
        assert b"Traceback" not in result.stderr, result.stderr
        assert result.returncode in (0, 1), (args, result.stderr)
    written = sorted(p.name for p in (home / "out").iterdir())
    assert written and all(name.endswith(".linkedin.connect.md") for name in written)


def test_yaml_roster_items_parse_one_at_a_time_with_true_line_numbers(home: Path) -> None:
    from drafter.core.contacts import load_roster
    from drafter.core.errors import DrafterError

    rows = "".join(f"- id: p{i}\n  name: Person {i}\n" for i in range(3))
    path = home / "r.yaml"
    path.write_text("# people\n" + rows + "- id: bad\n  name: [1]\n", encoding="utf-8")
    with pytest.raises(DrafterError, match=r"r\.yaml:8: .*name"):
        load_roster(path)
    path.write_text("# people\n" + rows, encoding="utf-8")
    assert [c.source.rsplit(":", 1)[1] for c in load_roster(path)] == ["2", "4", "6"]
    # Anchors and aliases cross items: the whole document is parsed instead, same result.
    path.write_text(
        "- id: a\n  name: Ana B\n  company: &co Fieldline\n- id: b\n  name: Bo C\n  company: *co\n",
        encoding="utf-8",
    )
    assert [c.company for c in load_roster(path)] == ["Fieldline", "Fieldline"]
