"""The language server re-discovers config by stat: a config created nearer, edited or deleted."""

from __future__ import annotations

import os
from pathlib import Path

from lsprotocol import types as lsp

from drafter.core.config import discovery_stamp
from drafter.lsp.server import Checked, DrafterServer, Positions

OPENER = "generic.stock-opener"
DRAFT = "---\nplatform: email\nstage: connect\n---\nHi Ana,\n\nI hope this finds you well.\n"


def _rules(server: DrafterServer, path: Path) -> set[str]:
    checked = server.session.check(path.as_uri(), DRAFT, 1)
    assert checked.error is None and checked.crash is None, checked
    assert checked.result is not None
    return {f.rule for f in checked.result.findings}


def _diagnostics(server: DrafterServer, checked: Checked) -> list[lsp.Diagnostic]:
    server.positions = Positions  # type: ignore[method-assign]  # no client: UTF-16 positions
    return server.diagnostics(checked)


def _write(path: Path, text: str, ns: int) -> None:
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(ns, ns))  # coarse file-system clocks must not hide an edit


def test_config_created_nearer_then_edited_then_deleted(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    drafts = tmp_path / "drafts" / "clients"
    drafts.mkdir(parents=True)
    draft = drafts / "ana.md"
    server = DrafterServer(debounce_ms=0)
    try:
        assert OPENER in _rules(server, draft)
        nearer = drafts.parent / "drafter.toml"
        _write(nearer, f'disable = ["{OPENER}"]\n', 1_000_000_000)
        assert OPENER not in _rules(server, draft)
        _write(nearer, "disable = []\n", 2_000_000_000)
        assert OPENER in _rules(server, draft)
        _write(nearer, f'disable = ["{OPENER}"]\n', 3_000_000_000)
        assert OPENER not in _rules(server, draft)
        nearer.unlink()
        assert OPENER in _rules(server, draft)
    finally:
        server.worker.shutdown()


def test_stamp_changes_only_for_files_discovery_reads(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    before = discovery_stamp(deep)
    (tmp_path / "a" / "notes.toml").write_text("x = 1\n", encoding="utf-8")
    assert discovery_stamp(deep) == before
    (tmp_path / "a" / "drafter.toml").write_text("", encoding="utf-8")
    assert discovery_stamp(deep) != before


def test_unknown_contact_is_an_information_diagnostic_not_an_error(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    draft = tmp_path / "zed.md"
    text = DRAFT.replace("stage: connect\n", "stage: connect\ncontact: zed\n")
    server = DrafterServer(debounce_ms=0)
    try:
        checked = server.session.check(draft.as_uri(), text, 1)
        assert checked.error is None and checked.result is not None
        notes = [d for d in _diagnostics(server, checked) if d.code == "context"]
        assert [n.message for n in notes] == [
            "front matter names contact 'zed' but no roster was given (--roster FILE, or roster "
            "in drafter.toml); linted without the contact's profile"
        ]
        assert OPENER in {f.rule for f in checked.result.findings}
    finally:
        server.worker.shutdown()
