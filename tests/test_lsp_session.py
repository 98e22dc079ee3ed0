"""The language server's Session in process, without pygls: configs per folder, warm linters,
errors as one message, never an exception."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from drafter.lsp.session import Session, doc_path, findings_at, handles, normalise

DRAFT = (
    "---\nplatform: linkedin\nstage: thanks\n---\n"
    "Hi Priya,\n\nI hope this finds you well. Your PyCon talk on joins fixed my bug.\n"
)


def test_pygls_is_not_needed() -> None:
    code = "import sys, drafter.lsp.session; print('pygls' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.strip() == "False"


def test_check_lints_and_fix_all_fixes(tmp_path: Path) -> None:
    session = Session(lambda: tmp_path)
    uri = (tmp_path / "priya.md").as_uri()
    checked = session.check(uri, DRAFT.replace("\n", "\r\n"), 1)
    assert checked.error is None and checked.crash is None and checked.result is not None
    assert "generic.stock-opener" in [f.rule for f in checked.result.findings]
    [opener] = [f for f in checked.result.findings if f.rule == "generic.stock-opener"]
    assert checked.text[opener.offset : opener.end_offset] == "hope this finds you well"
    assert findings_at(checked.result.findings, opener.offset) == [opener]
    fixed = session.fix_all(checked)
    assert fixed is not None and "hope this finds you well" not in fixed


def test_input_errors_are_one_message(tmp_path: Path) -> None:
    session = Session(lambda: tmp_path)
    text = DRAFT.replace("---\nHi", "drafter: {disable: [generic.clichee]}\n---\nHi", 1)
    checked = session.check((tmp_path / "typo.md").as_uri(), text, 1)
    assert checked.result is None and checked.crash is None
    assert checked.error is not None and "no rule 'generic.clichee'" in checked.error


def test_config_is_found_per_folder_and_reloaded(tmp_path: Path) -> None:
    session = Session(lambda: tmp_path)
    (tmp_path / "team").mkdir()
    uri = (tmp_path / "team" / "p.md").as_uri()
    assert "generic.stock-opener" in [f.rule for f in session.check(uri, DRAFT, 1).result.findings]  # type: ignore[union-attr]
    (tmp_path / "team" / "drafter.toml").write_text('disable = ["generic"]\n', encoding="utf-8")
    session.forget_configs()
    rules = [f.rule for f in session.check(uri, DRAFT, 2).result.findings]  # type: ignore[union-attr]
    assert not any(r.startswith("generic.") for r in rules)


def test_documents_and_paths() -> None:
    assert handles("file:///a/b.md", "Hi") and handles("untitled:1", "---\nx: 1\n---\n")
    assert not handles("file:///a/b.py", "print()")
    assert doc_path("file:///tmp/a%20b.md") == "/tmp/a b.md"
    assert doc_path("untitled:1") is None
    assert normalise("a\r\nb\rc") == "a\nb\nc"
