"""EDITORS.md as written: the Vim recipe run in Vim, byte columns, pre-commit, Neovim if present."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from drafter.cli import cli
from drafter.lint.inputs import DRAFT_SUFFIXES

REPO = Path(__file__).resolve().parent.parent
EDITORS = (REPO / "EDITORS.md").read_text(encoding="utf-8")
DRAFTER = Path(sys.executable).parent / "drafter"
# An accented letter (2 bytes) and an emoji (4 bytes) before the finding: 4 more bytes than chars.
DRAFT = "---\nplatform: email\nstage: connect\n---\nHi Zoë 🎉, I hope this finds you well.\n"


def _block(language: str, needle: str) -> str:
    blocks = re.findall(rf"```{language}\n(.*?)```", EDITORS, re.S)
    found = [b for b in blocks if needle in b]
    assert len(found) == 1, f"one {language} block with {needle!r} in EDITORS.md"
    return found[0]


def test_line_columns_in_bytes_and_chars() -> None:
    args = ["lint", "-", "--format", "line", "--fail-on", "never"]
    chars = CliRunner().invoke(cli, args, obj={}, input=DRAFT).stdout
    data = CliRunner().invoke(cli, [*args, "--columns", "bytes"], obj={}, input=DRAFT).stdout
    assert "<stdin>:5:13: warning: Stock opener" in chars
    assert "<stdin>:5:17: warning: Stock opener" in data
    line = DRAFT.split("\n")[4].encode("utf-8")
    assert line[16:].startswith(b"hope this finds")


@pytest.mark.skipif(shutil.which("vim") is None, reason="vim is not installed")
def test_vim_recipe_puts_findings_on_the_right_bytes(tmp_path: Path) -> None:
    recipe = _block("vim", "DrafterLint").replace("drafter lint", f"{DRAFTER} lint")
    ftplugin = tmp_path / "after" / "ftplugin" / "markdown.vim"
    ftplugin.parent.mkdir(parents=True)
    ftplugin.write_text(recipe, encoding="utf-8")
    draft = tmp_path / "ana.md"
    draft.write_text(DRAFT, encoding="utf-8")
    out = tmp_path / "qf.json"
    script = tmp_path / "run.vim"
    script.write_text(
        "set nomore\n"
        "set errorformat=%m\n"  # a global errorformat that would parse nothing useful
        f"edit {draft}\n"
        f"source {ftplugin}\n"
        "DrafterLint\n"
        "let s:qf = map(getqflist(), {_, v -> [v.lnum, v.col, v.type,"
        " strpart(getbufline(v.bufnr, v.lnum)[0], v.col - 1, 4), v.text]})\n"
        f"call writefile([json_encode(s:qf)], '{out}')\n"
        "qa!\n",
        encoding="utf-8",
    )
    subprocess.run(
        ["vim", "-Nu", "NONE", "-i", "NONE", "-es", "-S", str(script)],
        cwd=tmp_path, capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    entries = json.loads(out.read_text(encoding="utf-8"))
    opener = [e for e in entries if "[generic.stock-opener]" in e[4]]
    assert opener == [[5, 17, "w", "hope", opener[0][4]]]


def test_efm_recipe_ignores_exit_code_and_counts_bytes() -> None:
    config = yaml.safe_load(_block("yaml", "lint-command"))
    tool = config["tools"]["drafter-lint"]
    assert tool["lint-ignore-exit-code"] is True
    assert "--columns bytes" in tool["lint-command"]
    assert "--fail-on never" in tool["lint-command"]


def test_pre_commit_hook_runs_lint_on_draft_files() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks
    assert hook["id"] == "drafter-lint"
    assert hook["entry"] == "drafter lint"
    assert hook["language"] == "python"
    pattern = re.compile(hook["files"])
    for suffix in DRAFT_SUFFIXES:
        assert pattern.search(f"drafts/ana{suffix}"), suffix
    assert not pattern.search("drafter.toml")


def test_shell_completion_as_documented() -> None:
    assert "_DRAFTER_COMPLETE=bash_source drafter" in EDITORS
    done = subprocess.run(
        [str(DRAFTER)],
        env={"_DRAFTER_COMPLETE": "bash_source", "PATH": str(DRAFTER.parent)},
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "_drafter_completion" in done.stdout


def _nvim_version() -> tuple[int, int]:
    if shutil.which("nvim") is None:
        return (0, 0)
    done = subprocess.run(["nvim", "--version"], capture_output=True, text=True, timeout=30)
    found = re.search(r"NVIM v(\d+)\.(\d+)", done.stdout)
    return (int(found.group(1)), int(found.group(2))) if found else (0, 0)


@pytest.mark.skipif(
    _nvim_version() < (0, 11), reason="needs Neovim 0.11+ (vim.lsp.config); not installed here"
)
def test_neovim_recipe_gets_diagnostics(tmp_path: Path) -> None:
    lua = _block("lua", 'vim.lsp.config("drafter"').replace(
        '"drafter", "lsp"', f'"{DRAFTER}", "lsp"'
    )
    init = tmp_path / "init.lua"
    out = tmp_path / "diagnostics.json"
    init.write_text(
        lua
        + "\nvim.api.nvim_create_autocmd('DiagnosticChanged', { callback = function()\n"
        + "  local d = vim.diagnostic.get(0)\n"
        + "  if #d > 0 then\n"
        + f"    vim.fn.writefile({{vim.json.encode(d)}}, '{out}')\n"
        + "    vim.cmd('qa!')\n"
        + "  end\n"
        + "end })\n",
        encoding="utf-8",
    )
    draft = tmp_path / "ana.md"
    draft.write_text(DRAFT, encoding="utf-8")
    subprocess.run(
        ["nvim", "--headless", "-u", str(init), str(draft), "+sleep 20", "+qa!"],
        cwd=tmp_path, capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    diagnostics = json.loads(out.read_text(encoding="utf-8"))
    opener = [d for d in diagnostics if d.get("code") == "generic.stock-opener"]
    assert opener and opener[0]["lnum"] == 4
