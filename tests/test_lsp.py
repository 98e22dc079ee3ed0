"""End to end: pytest-lsp drives the real `drafter lsp` over stdio, as an editor would.

Waiting is by document version with a generous deadline; nothing here asserts on timing.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

from drafter.core.config import Config
from drafter.core.editing import disable_rule_edit, minimal_edit
from drafter.lint.rules import configured_rules
from drafter.lsp.server import Positions

WAIT = 60.0  # seconds: a deadline for a slow machine, not a latency check
OPENER = "generic.stock-opener"

GOOD_BODY = (
    "Hi Priya,\n"
    "\n"
    "I hope this finds you well. Thank you for walking me through your Kafka migration at "
    "Monzo on Tuesday. Your point about replaying 40 million events in under an hour changed "
    "how our team will plan the cutover.\n"
    "\n"
    "Best,\n"
    "Sam\n"
)
FRONT = "---\nplatform: linkedin\nstage: thanks\n---\n"
DRAFT = FRONT + GOOD_BODY
FIXED = DRAFT.replace("I hope this finds you well. ", "")


class Client(LanguageClient):
    """The pytest-lsp client, also keeping every publishDiagnostics with its version."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.published: dict[str, list[lsp.PublishDiagnosticsParams]] = {}


def _on_publish(client: Client, params: lsp.PublishDiagnosticsParams) -> None:
    client.diagnostics[params.uri] = params.diagnostics
    client.published.setdefault(params.uri, []).append(params)


def _on_register(client: Client, params: lsp.RegistrationParams) -> None:
    """Accept the server's file watchers, as VS Code does."""


def make_client() -> Client:
    client = Client(converter_factory=default_converter)
    register_lsp_features(
        client,
        {
            **DEFAULT_CLIENT_FEATURES,
            lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: _on_publish,
            lsp.CLIENT_REGISTER_CAPABILITY: _on_register,
        },
    )
    return client


SERVER = ClientServerConfig(
    server_command=[sys.executable, "-m", "drafter", "lsp"], client_factory=make_client
)


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: Client, tmp_path: Path) -> AsyncIterator[None]:
    await lsp_client.initialize_session(
        lsp.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=tmp_path.as_uri(),
            workspace_folders=[lsp.WorkspaceFolder(uri=tmp_path.as_uri(), name="drafts")],
        )
    )
    yield
    await lsp_client.shutdown_session()


# ---- helpers ----------------------------------------------------------------------------


async def published(
    client: Client, uri: str, *, version: int | None = None, after: int = 0
) -> list[lsp.Diagnostic]:
    """Diagnostics published for `uri` (for `version`, or the first one after `after` others)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT
    while True:
        got = client.published.get(uri, [])[after:]
        for params in got:
            if version is None or params.version == version:
                return list(params.diagnostics)
        if loop.time() > deadline:
            seen = [(p.version, len(p.diagnostics)) for p in client.published.get(uri, [])]
            raise AssertionError(f"no diagnostics for {uri} version {version}; got {seen}")
        await asyncio.sleep(0.01)


def open_doc(client: Client, path: Path, text: str, version: int = 1) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(
                uri=uri, language_id="markdown", version=version, text=text
            )
        )
    )
    return uri


def change_doc(client: Client, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def utf16_offset(text: str, position: lsp.Position) -> int:
    """A client's own conversion, independent of the server's: UTF-16 units to an index."""
    lines = text.split("\n")
    offset = sum(len(line) + 1 for line in lines[: position.line])
    units = 0
    for i, char in enumerate(lines[position.line] if position.line < len(lines) else ""):
        if units >= position.character:
            return offset + i
        units += 2 if ord(char) > 0xFFFF else 1
    return offset + (len(lines[position.line]) if position.line < len(lines) else 0)


def apply_edits(text: str, edits: Sequence[lsp.TextEdit]) -> str:
    spans = sorted(
        ((utf16_offset(text, e.range.start), utf16_offset(text, e.range.end), e.new_text))
        for e in edits
    )
    for start, end, new in reversed(spans):
        text = text[:start] + new + text[end:]
    return text


def edits_for(action: lsp.CodeAction, uri: str) -> list[lsp.TextEdit]:
    assert action.edit is not None and action.edit.changes is not None
    return list(action.edit.changes[uri])


async def actions(
    client: Client,
    uri: str,
    rng: lsp.Range,
    diagnostics: Sequence[lsp.Diagnostic] = (),
    only: list[lsp.CodeActionKind] | None = None,
) -> list[lsp.CodeAction]:
    result = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=rng,
            context=lsp.CodeActionContext(diagnostics=list(diagnostics), only=only),
        )
    )
    return [a for a in result or [] if isinstance(a, lsp.CodeAction)]


def one(diagnostics: Sequence[lsp.Diagnostic], code: str) -> lsp.Diagnostic:
    found = [d for d in diagnostics if d.code == code]
    assert len(found) == 1, diagnostics
    return found[0]


# ---- tests ------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_stock_opener_diagnostic_and_quick_fix(client: Client, tmp_path: Path) -> None:
    uri = open_doc(client, tmp_path / "priya.md", DRAFT)
    diagnostics = await published(client, uri, version=1)
    assert len(diagnostics) == 1, diagnostics
    diag = diagnostics[0]
    assert diag.code == OPENER
    assert diag.source == "drafter"
    assert diag.severity == lsp.DiagnosticSeverity.Warning
    # "hope this finds you well" is on file line 7 (0-based 6), after "I ".
    assert diag.range == lsp.Range(
        start=lsp.Position(line=6, character=2), end=lsp.Position(line=6, character=26)
    )
    assert "Open with why you are writing" in diag.message

    found = await actions(client, uri, diag.range, diagnostics, [lsp.CodeActionKind.QuickFix])
    fixes = [a for a in found if a.is_preferred]
    assert len(fixes) == 1, [a.title for a in found]
    assert fixes[0].kind == lsp.CodeActionKind.QuickFix
    assert fixes[0].diagnostics and fixes[0].diagnostics[0].code == OPENER
    new_text = apply_edits(DRAFT, edits_for(fixes[0], uri))
    assert new_text == FIXED

    change_doc(client, uri, new_text, 2)
    assert await published(client, uri, version=2) == []


@pytest.mark.asyncio
async def test_unsafe_fix_is_offered_labelled_and_not_preferred(
    client: Client, tmp_path: Path
) -> None:
    """The opener shares its sentence with the Kafka talk: deleting it is offered, as unsafe."""
    text = FRONT + "Hi Priya, your Kafka talk at Monzo was great, hope this finds you well.\n"
    uri = open_doc(client, tmp_path / "shared.md", text)
    diagnostics = await published(client, uri, version=1)
    [diag] = [d for d in diagnostics if d.code == OPENER]
    found = await actions(client, uri, diag.range, [diag], [lsp.CodeActionKind.QuickFix])
    removes = [a for a in found if a.title.startswith("Remove")]
    assert len(removes) == 1, [a.title for a in found]
    assert removes[0].title.endswith(f"({OPENER}, unsafe)")
    assert not removes[0].is_preferred


@pytest.mark.asyncio
async def test_fix_all_source_action(client: Client, tmp_path: Path) -> None:
    text = DRAFT.replace(
        "I hope this finds you well. ", "I hope this finds you well. I just wanted to reach out. "
    )
    uri = open_doc(client, tmp_path / "two.md", text)
    diagnostics = await published(client, uri, version=1)
    assert {d.code for d in diagnostics} == {OPENER, "generic.reach-out"}
    whole = lsp.Range(
        start=lsp.Position(line=0, character=0), end=lsp.Position(line=9, character=0)
    )
    found = await actions(client, uri, whole, only=[lsp.CodeActionKind.SourceFixAll])
    assert [a.kind for a in found] == [lsp.CodeActionKind.SourceFixAll]
    assert found[0].title.startswith("Fix all safe problems")
    new_text = apply_edits(text, edits_for(found[0], uri))
    assert new_text == FIXED
    change_doc(client, uri, new_text, 2)
    assert await published(client, uri, version=2) == []


@pytest.mark.asyncio
async def test_disable_rule_in_front_matter(client: Client, tmp_path: Path) -> None:
    uri = open_doc(client, tmp_path / "priya.md", DRAFT)
    diag = one(await published(client, uri, version=1), OPENER)
    found = await actions(client, uri, diag.range, [diag])
    titles = [a.title for a in found]
    assert f"Disable {OPENER} in this file" in titles
    action = found[titles.index(f"Disable {OPENER} in this file")]
    new_text = apply_edits(DRAFT, edits_for(action, uri))
    assert new_text == (
        "---\nplatform: linkedin\nstage: thanks\n"
        f"drafter:\n  disable: [{OPENER}]\n---\n" + GOOD_BODY
    )
    change_doc(client, uri, new_text, 2)
    assert await published(client, uri, version=2) == []


@pytest.mark.asyncio
async def test_disable_rule_creates_front_matter(client: Client, tmp_path: Path) -> None:
    # No front matter: platform and stage come from the path.
    path = tmp_path / "drafts/linkedin/thanks/priya.md"
    uri = open_doc(client, path, GOOD_BODY)
    diag = one(await published(client, uri, version=1), OPENER)
    found = await actions(client, uri, diag.range, [diag])
    action = next(a for a in found if a.title == f"Disable {OPENER} in this file")
    new_text = apply_edits(GOOD_BODY, edits_for(action, uri))
    assert new_text == f"---\ndrafter:\n  disable: [{OPENER}]\n---\n" + GOOD_BODY
    change_doc(client, uri, new_text, 2)
    assert await published(client, uri, version=2) == []


@pytest.mark.asyncio
async def test_hover_shows_why_and_suggestion(client: Client, tmp_path: Path) -> None:
    uri = open_doc(client, tmp_path / "priya.md", DRAFT)
    diag = one(await published(client, uri, version=1), OPENER)
    hover = await client.text_document_hover_async(
        lsp.HoverParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            position=lsp.Position(line=6, character=10),
        )
    )
    assert hover is not None
    assert isinstance(hover.contents, lsp.MarkupContent)
    assert hover.contents.kind == lsp.MarkupKind.Markdown
    why = configured_rules(Config())[OPENER].why.strip()
    assert why in hover.contents.value
    assert "Open with why you are writing to this person." in hover.contents.value
    assert hover.range == diag.range
    # Off the finding: nothing.
    nothing = await client.text_document_hover_async(
        lsp.HoverParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            position=lsp.Position(line=9, character=1),
        )
    )
    assert nothing is None


@pytest.mark.asyncio
async def test_broken_front_matter_is_one_diagnostic(client: Client, tmp_path: Path) -> None:
    broken = (
        "---\nplatform: [linkedin\nstage: thanks\n---\nHi Priya,\n\nI hope this finds you well.\n"
    )
    bad_uri = open_doc(client, tmp_path / "broken.md", broken)
    diagnostics = await published(client, bad_uri, version=1)
    assert len(diagnostics) == 1, diagnostics
    assert diagnostics[0].severity == lsp.DiagnosticSeverity.Error
    assert diagnostics[0].range.start == lsp.Position(line=0, character=0)
    assert diagnostics[0].range.end.line == 0
    assert "invalid YAML" in diagnostics[0].message
    # Code actions and hover on it answer, with nothing.
    assert await actions(client, bad_uri, diagnostics[0].range, diagnostics) == []
    # The server keeps serving: another document, and the broken one once mended.
    uri = open_doc(client, tmp_path / "priya.md", DRAFT)
    assert one(await published(client, uri, version=1), OPENER)
    change_doc(client, bad_uri, broken.replace("[linkedin", "linkedin"), 2)
    assert OPENER in {d.code for d in await published(client, bad_uri, version=2)}


@pytest.mark.asyncio
async def test_unknown_platform_is_one_diagnostic(client: Client, tmp_path: Path) -> None:
    text = DRAFT.replace("platform: linkedin", "platform: myspace")
    uri = open_doc(client, tmp_path / "odd.md", text)
    diagnostics = await published(client, uri, version=1)
    assert len(diagnostics) == 1
    assert "unknown platform 'myspace'" in diagnostics[0].message


@pytest.mark.asyncio
async def test_misspelled_rule_in_front_matter_disable_is_one_diagnostic(
    client: Client, tmp_path: Path
) -> None:
    text = DRAFT.replace("---\nHi", "drafter: {disable: [generic.clichee]}\n---\nHi", 1)
    assert "generic.clichee" in text
    uri = open_doc(client, tmp_path / "typo.md", text)
    diagnostics = await published(client, uri, version=1)
    assert len(diagnostics) == 1, diagnostics
    assert "no rule 'generic.clichee'" in diagnostics[0].message


@pytest.mark.asyncio
async def test_workspace_config_is_honoured_and_reloaded(client: Client, tmp_path: Path) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    config = folder / "drafter.toml"
    config.write_text(f'disable = ["{OPENER}"]\n', encoding="utf-8")
    uri = open_doc(client, folder / "priya.md", DRAFT)
    assert await published(client, uri, version=1) == []
    # The same draft outside that folder still gets the finding.
    other = open_doc(client, tmp_path / "priya.md", DRAFT)
    assert one(await published(client, other, version=1), OPENER)

    # Editing drafter.toml (the editor reports it as a watched file) re-lints open drafts.
    before = len(client.published[uri])
    config.write_text("", encoding="utf-8")
    client.workspace_did_change_watched_files(
        lsp.DidChangeWatchedFilesParams(
            changes=[lsp.FileEvent(uri=config.as_uri(), type=lsp.FileChangeType.Changed)]
        )
    )
    assert one(await published(client, uri, after=before), OPENER)


@pytest.mark.asyncio
async def test_bad_workspace_config_is_one_diagnostic(client: Client, tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "drafter.toml").write_text("disable = [\n", encoding="utf-8")
    uri = open_doc(client, folder / "priya.md", DRAFT)
    diagnostics = await published(client, uri, version=1)
    assert len(diagnostics) == 1
    assert "invalid TOML" in diagnostics[0].message


@pytest.mark.asyncio
async def test_utf16_ranges_after_emoji(client: Client, tmp_path: Path) -> None:
    text = DRAFT.replace("I hope this", "Congrats on the launch 🎉🎉. I hope this")
    uri = open_doc(client, tmp_path / "emoji.md", text)
    diag = one(await published(client, uri, version=1), OPENER)
    # Before "hope": "Congrats on the launch 🎉🎉. I" is 29 characters (drafter's column 30)
    # but 31 UTF-16 code units, since each emoji is a surrogate pair.
    assert diag.range == lsp.Range(
        start=lsp.Position(line=6, character=31), end=lsp.Position(line=6, character=55)
    )
    found = await actions(client, uri, diag.range, [diag], [lsp.CodeActionKind.QuickFix])
    fix = next(a for a in found if a.is_preferred)
    expected = FIXED.replace("Thank you", "Congrats on the launch 🎉🎉. Thank you")
    assert apply_edits(text, edits_for(fix, uri)) == expected
    # Hover finds it by the UTF-16 position too.
    hover = await client.text_document_hover_async(
        lsp.HoverParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            position=lsp.Position(line=6, character=31),
        )
    )
    assert hover is not None and hover.range == diag.range


@pytest.mark.asyncio
async def test_other_files_are_ignored(client: Client, tmp_path: Path) -> None:
    py = open_doc(client, tmp_path / "notes.py", GOOD_BODY)
    # A document with front matter is a draft whatever its name.
    named = open_doc(client, tmp_path / "linkedin-thanks", DRAFT)
    assert one(await published(client, named, version=1), OPENER)
    # Both were opened in order; the draft's diagnostics came back, the .py got nothing.
    assert py not in client.published


@pytest.mark.asyncio
async def test_rapid_changes_publish_the_latest(client: Client, tmp_path: Path) -> None:
    uri = open_doc(client, tmp_path / "priya.md", DRAFT)
    await published(client, uri, version=1)
    for version in range(2, 7):
        change_doc(client, uri, DRAFT if version % 2 else FIXED, version)
    assert await published(client, uri, version=6) == []
    versions = [p.version for p in client.published[uri]]
    assert versions == sorted(versions), versions  # never a stale result after a newer one


# ---- the pure parts, in process -----------------------------------------------------------


def test_positions_round_trip_utf16_and_utf8() -> None:
    text = "a😀b\nxé€\n"
    pos = Positions(text)
    assert pos.position(2) == lsp.Position(line=0, character=3)
    assert pos.offset(lsp.Position(line=0, character=3)) == 2
    assert pos.position(7) == lsp.Position(line=1, character=3)
    utf8 = Positions(text, lsp.PositionEncodingKind.Utf8)
    assert utf8.position(7) == lsp.Position(line=1, character=6)
    assert utf8.offset(lsp.Position(line=1, character=3)) == 6


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "---\nplatform: linkedin\n---\nHi\n",
            "---\nplatform: linkedin\ndrafter:\n  disable: [x.y]\n---\nHi\n",
        ),
        (
            "---\ndrafter: {disable: [a.b]}\nstage: thanks # keep\n---\nHi\n",
            "---\ndrafter:\n  disable: [a.b, x.y]\nstage: thanks # keep\n---\nHi\n",
        ),
        (
            "---\n# note\ndrafter:\n  disable:\n    - a.b\n\nplatform: x\n---\nHi\n",
            "---\n# note\ndrafter:\n  disable: [a.b, x.y]\n\nplatform: x\n---\nHi\n",
        ),
        ("---\n---\nHi\n", "---\ndrafter:\n  disable: [x.y]\n---\nHi\n"),
        ("Hi\n", "---\ndrafter:\n  disable: [x.y]\n---\nHi\n"),
    ],
)
def test_disable_rule_edit(text: str, expected: str) -> None:
    edit = disable_rule_edit(text, "x.y")
    assert edit is not None
    start, end, new = edit
    assert text[:start] + new + text[end:] == expected


def test_disable_rule_edit_refuses_when_unsafe() -> None:
    assert disable_rule_edit("---\ndrafter: {disable: [x.y]}\n---\nHi\n", "x.y") is None
    assert disable_rule_edit("---\n- a list\n---\nHi\n", "x.y") is None
    assert disable_rule_edit("---\ndrafter: 3\n---\nHi\n", "x.y") is None


def test_minimal_edit() -> None:
    old, new = "abc hello xyz", "abc xyz"
    start, end, text = minimal_edit(old, new)
    assert old[:start] + text + old[end:] == new
    assert (start, end) != (0, len(old))


@pytest_lsp.fixture(config=SERVER)
async def client_utf8(lsp_client: Client, tmp_path: Path) -> AsyncIterator[None]:
    capabilities = client_capabilities("neovim")
    capabilities.general = lsp.GeneralClientCapabilities(
        position_encodings=[lsp.PositionEncodingKind.Utf8, lsp.PositionEncodingKind.Utf16]
    )
    result = await lsp_client.initialize_session(
        lsp.InitializeParams(capabilities=capabilities, root_uri=tmp_path.as_uri())
    )
    assert result.capabilities.position_encoding == lsp.PositionEncodingKind.Utf8
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_utf8_ranges_when_the_client_prefers_them(
    client_utf8: Client, tmp_path: Path
) -> None:
    text = DRAFT.replace("I hope this", "Congrats on the launch 🎉🎉. I hope this")
    uri = open_doc(client_utf8, tmp_path / "emoji.md", text)
    diag = one(await published(client_utf8, uri, version=1), OPENER)
    # 29 characters before "hope", two of them 4-byte emoji: 35 UTF-8 bytes.
    assert diag.range == lsp.Range(
        start=lsp.Position(line=6, character=35), end=lsp.Position(line=6, character=59)
    )


# A server with a fault injected: linting any text containing BOOM raises an unexpected error.
_FAULTY = """
import drafter.lsp.server as server
import drafter.lsp.session as session
real = session.make_draft
def make_draft(text, *args):
    if "BOOM" in text:
        raise RuntimeError("injected fault")
    return real(text, *args)
session.make_draft = make_draft
server.serve()
"""


@pytest_lsp.fixture(
    config=ClientServerConfig(
        server_command=[sys.executable, "-c", _FAULTY], client_factory=make_client
    )
)
async def faulty(lsp_client: Client, tmp_path: Path) -> AsyncIterator[None]:
    await lsp_client.initialize_session(
        lsp.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"), root_uri=tmp_path.as_uri()
        )
    )
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_unexpected_error_is_logged_and_the_server_carries_on(
    faulty: Client, tmp_path: Path
) -> None:
    bad = open_doc(faulty, tmp_path / "boom.md", DRAFT + "BOOM\n")
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT
    while not any("injected fault" in m.message for m in faulty.log_messages):
        assert loop.time() < deadline, faulty.log_messages
        await asyncio.sleep(0.01)
    logged = next(m for m in faulty.log_messages if "injected fault" in m.message)
    assert logged.type == lsp.MessageType.Error
    assert bad in logged.message
    uri = open_doc(faulty, tmp_path / "priya.md", DRAFT)
    assert one(await published(faulty, uri, version=1), OPENER)
    assert bad not in faulty.published
