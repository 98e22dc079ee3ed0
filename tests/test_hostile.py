"""Hostile and broken input against every command: one line and exit 2 (or a clean result), never
a traceback, a hang, a file outside the output folder, or a changed input file.

Each case writes its files into a fresh folder (also HOME and cwd), runs one command in process,
and checks the exit code, that stderr is one `drafter: error:` line naming the input, and that no
file in the folder changed. Time bounds are generous: the point is linear time, not speed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from drafter.cli import cli

HUGE_INT = "9" * 5000
ROSTER = "- id: ana\n  name: Ana Ribeiro\n  company: Fieldline\n  how_we_met: at PyCon\n"
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
    Case("lint 12000 !", {"d.md": "Hi Ana,\n" + "!" * 12_000}, ["lint", "d.md"], code=0),
    Case("lint 12000 {{", {"d.md": "Hi Ana,\n" + "{{" * 12_000}, ["lint", "d.md"], code=0),
    Case("lint 32000 spaces", {"d.md": "Hi Ana" + " " * 32_000 + "x"}, ["lint", "d.md"], code=0),
    Case(
        "lint x a. run",
        {"d.md": "---\nplatform: x\nstage: connect\n---\n" + "a." * 12_000},
        ["lint", "d.md"],
        code=1,
    ),
    Case("lint emoji run", {"d.md": "Hi Ana, " + "😀" * 12_000}, ["lint", "d.md"], code=0),
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
        _tpl("{% for a in range(9999) %}{% for b in range(9999) %}{% endfor %}{% endfor %}"),
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
