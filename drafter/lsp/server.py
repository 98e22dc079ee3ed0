"""`drafter lsp`: a language server over stdin/stdout, for editors (see EDITORS.md).

It lints drafts as they are typed and offers the same fixes as `drafter fix`:

- diagnostics on open, save and change (changes are debounced: DEBOUNCE_MS by default, or
  `initializationOptions.debounceMs`, or the DRAFTER_LSP_DEBOUNCE_MS environment variable);
- code actions: a quick fix per finding that has a fix, labelled safe or unsafe (only safe
  ones are preferred), "Disable <rule> in this file"
  (edits the YAML front matter: messages are sent, so the body never gets comments), and the
  source action "Fix all safe problems";
- hover over a finding shows why the rule exists and what to write instead.

Documents handled: `*.md`, `*.txt`, `*.eml` (and `.markdown`, `.text`), and any document whose
text starts with `---` (YAML front matter). Others get nothing published.

Configuration, the warm Linters and linting itself belong to a Session (session.py), which runs
on one worker thread; this module is the protocol: debouncing, positions, publishing, handlers.
A config created, changed or deleted on the way up from a document is noticed by a few stats
per check (and on workspace/didChangeWatchedFiles where the client offers it).

Positions: drafter counts offsets in characters over text with `\\n` line ends; LSP counts
0-based lines and columns in the negotiated encoding (UTF-16 code units unless the client offers
better), converted by pygls' own PositionCodec. Documents are normalised to `\\n` before
linting; since that keeps every line's content, a (line, column) is the same in both texts.
"""

from __future__ import annotations

import asyncio
import logging
import os
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote, urlparse

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams, JsonRpcInvalidRequest
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.workspace import PositionCodec

from drafter import __version__
from drafter.core.drafts import LineIndex
from drafter.core.editing import disable_rule_edit, minimal_edit
from drafter.core.errors import DrafterError
from drafter.lint.findings import Finding
from drafter.lsp.session import (
    CONFIG_NAMES,
    Checked,
    Session,
    findings_at,
    handles,
    hover_markdown,
)

log = logging.getLogger(__name__)

DEBOUNCE_MS = 75
SOURCE = "drafter"
_SEVERITY = {
    "error": lsp.DiagnosticSeverity.Error,
    "warning": lsp.DiagnosticSeverity.Warning,
    "info": lsp.DiagnosticSeverity.Information,
}
T = TypeVar("T")


# ---- text and positions ------------------------------------------------------------------


def _eol(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


class Positions:
    """Offsets in a `\\n`-normalised text to LSP positions and back, through pygls' codec."""

    def __init__(self, text: str, encoding: str = lsp.PositionEncodingKind.Utf16) -> None:
        self.text = text
        self.encoding = encoding
        self.codec = PositionCodec(encoding)
        self.index = LineIndex(text)
        self.lines = text.split("\n")

    def position(self, offset: int) -> lsp.Position:
        offset = max(0, min(offset, len(self.text)))
        line, column = self.index.position(offset)  # 1-based, characters
        return self.codec.position_to_client_units(
            self.lines, lsp.Position(line=line - 1, character=column - 1)
        )

    def range(self, start: int, end: int) -> lsp.Range:
        return lsp.Range(start=self.position(start), end=self.position(end))

    def offset(self, position: lsp.Position) -> int:
        if position.line >= len(self.lines):
            return len(self.text)
        line = self.lines[position.line]
        # A copy within the line: the codec clamps (and changes) positions past the end.
        units = min(position.character, self.codec.client_num_units(line))
        found = self.codec.position_from_client_units(
            self.lines, lsp.Position(line=position.line, character=units)
        )
        return self.index.starts[position.line] + found.character

    def units(self, text: str) -> int:
        return int(self.codec.client_num_units(text))


# ---- the server -------------------------------------------------------------------------


class _Protocol(LanguageServerProtocol):  # type: ignore[misc]
    """pygls, plus an answer to every request: after `shutdown` (InvalidRequest, as the spec
    says) and when its parameters do not parse (an invalid position), instead of silence."""

    def structure_message(self, data: Any) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            if isinstance(data, dict) and "id" in data and "method" in data:
                error = exc if isinstance(exc, JsonRpcInvalidParams) else JsonRpcInvalidParams()
                self._send_response(data["id"], None, error.to_response_error())
            raise

    def handle_message(self, message: Any) -> None:
        method = getattr(message, "method", None)
        if self._shutdown and method not in (None, lsp.EXIT) and hasattr(message, "id"):
            error = JsonRpcInvalidRequest(message="the server is shutting down")
            self._send_response(message.id, None, error.to_response_error())
            return
        super().handle_message(message)


class DrafterServer(LanguageServer):
    def __init__(self, debounce_ms: float | None = None) -> None:
        super().__init__(
            "drafter",
            __version__,
            protocol_cls=_Protocol,
            text_document_sync_kind=lsp.TextDocumentSyncKind.Full,
        )
        env = os.environ.get("DRAFTER_LSP_DEBOUNCE_MS")
        self.debounce_ms: float = DEBOUNCE_MS
        if debounce_ms is not None:
            self.debounce_ms = debounce_ms
        elif env:
            try:
                self.debounce_ms = max(0.0, float(env))
            except ValueError:
                log.warning(
                    "DRAFTER_LSP_DEBOUNCE_MS=%r is not a number; using %s", env, DEBOUNCE_MS
                )
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="drafter-lint")
        self.session = Session(self._root)  # touched only on the worker thread
        # Touched only on the event loop:
        self._pending: dict[str, asyncio.Task[None]] = {}
        self._checked: dict[str, Checked] = {}
        self._published: set[str] = set()
        # pygls keys documents by the percent-decoded URI; the client knows the one it sent.
        self._sent_uris: dict[str, str] = {}

    def _root(self) -> Path:
        root = self.workspace.root_path if self._workspace_ready() else None
        return Path(root) if root else Path.cwd()

    def _workspace_ready(self) -> bool:
        try:
            self.workspace  # noqa: B018 - raises before `initialize`
        except RuntimeError:
            return False
        return True

    def document(self, uri: str) -> Any:
        """The open document, looked up the way pygls stores it (percent-decoded)."""
        return self.workspace.text_documents.get(unquote(uri))

    # -- event loop --------------------------------------------------------------------

    async def on_worker(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self.worker, fn, *args)

    def positions(self, text: str) -> Positions:
        encoding = self.workspace.position_encoding or lsp.PositionEncodingKind.Utf16
        return Positions(text, str(encoding))

    def diagnostic(self, finding: Finding, pos: Positions) -> lsp.Diagnostic:
        message = finding.message
        if finding.suggestion:
            message += f"\nSuggestion: {finding.suggestion}"
        return lsp.Diagnostic(
            range=pos.range(finding.offset, finding.end_offset),
            message=message,
            severity=_SEVERITY[finding.severity],
            code=finding.rule,
            source=SOURCE,
        )

    def diagnostics(self, checked: Checked) -> list[lsp.Diagnostic]:
        pos = self.positions(checked.text)
        if checked.error is not None:
            first = checked.text.split("\n", 1)[0]
            end = lsp.Position(line=0, character=pos.units(first))
            return [
                lsp.Diagnostic(
                    range=lsp.Range(start=lsp.Position(line=0, character=0), end=end),
                    message=checked.error,
                    severity=lsp.DiagnosticSeverity.Error,
                    code="input",
                    source=SOURCE,
                )
            ]
        if checked.result is None:
            return []
        found = [self.diagnostic(f, pos) for f in checked.result.findings]
        first = checked.text.split("\n", 1)[0]
        start = lsp.Position(line=0, character=0)
        end = lsp.Position(line=0, character=pos.units(first))
        for note in checked.result.draft.notes:  # e.g. linted without the contact's profile
            found.append(
                lsp.Diagnostic(
                    range=lsp.Range(start=start, end=end),
                    message=note,
                    severity=lsp.DiagnosticSeverity.Information,
                    code="context",
                    source=SOURCE,
                )
            )
        return found

    def publish(self, uri: str, version: int | None, diagnostics: list[lsp.Diagnostic]) -> None:
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, version=version, diagnostics=diagnostics)
        )
        if diagnostics:
            self._published.add(uri)

    def log_crash(self, uri: str, crash: str) -> None:
        self.window_log_message(
            lsp.LogMessageParams(
                type=lsp.MessageType.Error,
                message=f"drafter: unexpected error linting {uri}:\n{crash}",
            )
        )

    def schedule(self, uri: str, delay_ms: float) -> None:
        """Lint `uri` after `delay_ms`, cancelling a pending (now stale) lint of it."""
        old = self._pending.pop(uri, None)
        if old is not None:
            old.cancel()
        self._pending[uri] = asyncio.get_running_loop().create_task(self._lint_later(uri, delay_ms))

    async def _lint_later(self, uri: str, delay_ms: float) -> None:
        task = asyncio.current_task()
        try:
            if delay_ms > 0:
                await asyncio.sleep(delay_ms / 1000)
            doc = self.document(uri)
            if doc is None:
                return
            source, version = doc.source, doc.version
            if not handles(uri, source):
                if uri in self._published:
                    self._published.discard(uri)
                    self.publish(uri, version, [])
                return
            checked = await self.on_worker(self.session.check, uri, source, version)
            self._checked[uri] = checked
            if checked.crash is not None:
                self.log_crash(uri, checked.crash)
                return
            self.publish(uri, version, self.diagnostics(checked))
        except asyncio.CancelledError:
            raise
        except Exception:
            self.log_crash(uri, traceback.format_exc())
        finally:
            if self._pending.get(uri) is task:
                del self._pending[uri]

    async def current(self, uri: str) -> Checked | None:
        """The lint of the document as it is now (reused when it is up to date)."""
        doc = self.document(uri)
        if doc is None or not handles(uri, doc.source):
            return None
        checked = self._checked.get(uri)
        if checked is None or checked.source != doc.source:
            checked = await self.on_worker(self.session.check, uri, doc.source, doc.version)
        return checked

    def relint_all(self) -> None:
        for key in list(self.workspace.text_documents):
            self.schedule(self._sent_uris.get(key, key), 0)

    def closed(self, uri: str) -> None:
        self._sent_uris.pop(unquote(uri), None)
        task = self._pending.pop(uri, None)
        if task is not None:
            task.cancel()
        self._checked.pop(uri, None)
        if uri in self._published:
            self._published.discard(uri)
            self.publish(uri, None, [])


# ---- features ---------------------------------------------------------------------------


def _overlaps(finding: Finding, start: int, end: int) -> bool:
    return finding.offset <= end and start <= finding.end_offset


def _kind_wanted(kind: str, only: Sequence[str] | None) -> bool:
    return only is None or any(kind == k or kind.startswith(k + ".") for k in only)


def _text_edit(pos: Positions, start: int, end: int, new: str, eol: str) -> lsp.TextEdit:
    return lsp.TextEdit(range=pos.range(start, end), new_text=new.replace("\n", eol))


def code_actions(
    server: DrafterServer, checked: Checked, params: lsp.CodeActionParams
) -> list[lsp.CodeAction]:
    if checked.result is None:
        return []
    pos = server.positions(checked.text)
    eol = _eol(checked.source)
    uri = checked.uri
    start, end = pos.offset(params.range.start), pos.offset(params.range.end)
    only = [str(k) for k in params.context.only] if params.context.only else None
    actions: list[lsp.CodeAction] = []
    here = [f for f in checked.result.findings if _overlaps(f, start, end)]
    if _kind_wanted(lsp.CodeActionKind.QuickFix, only):
        for f in here:
            if f.fix is None:
                continue
            removed = checked.text[f.fix.offset : f.fix.end_offset].strip()
            title = (
                f"Replace with “{f.fix.replacement}”"
                if f.fix.replacement
                else f"Remove “{_short(removed)}”"
            )
            actions.append(
                lsp.CodeAction(
                    title=f"{title} ({f.rule}, {f.fix.applicability})",
                    kind=lsp.CodeActionKind.QuickFix,
                    diagnostics=[server.diagnostic(f, pos)],
                    is_preferred=f.fix.safe,
                    edit=lsp.WorkspaceEdit(
                        changes={
                            uri: [
                                _text_edit(
                                    pos, f.fix.offset, f.fix.end_offset, f.fix.replacement, eol
                                )
                            ]
                        }
                    ),
                )
            )
        seen: set[str] = set()
        for f in here:
            if f.rule in seen:
                continue
            seen.add(f.rule)
            edit = disable_rule_edit(checked.text, f.rule)
            if edit is None:
                continue
            actions.append(
                lsp.CodeAction(
                    title=f"Disable {f.rule} in this file",
                    kind=lsp.CodeActionKind.QuickFix,
                    diagnostics=[server.diagnostic(g, pos) for g in here if g.rule == f.rule],
                    edit=lsp.WorkspaceEdit(changes={uri: [_text_edit(pos, *edit, eol)]}),
                )
            )
    return actions


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def create_server(debounce_ms: float | None = None) -> DrafterServer:
    server = DrafterServer(debounce_ms)

    @server.feature(lsp.INITIALIZE)
    def initialize(ls: DrafterServer, params: lsp.InitializeParams) -> None:
        options = params.initialization_options
        if isinstance(options, dict) and "debounceMs" in options:
            value = options["debounceMs"]
            if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
                ls.debounce_ms = float(value)
            else:
                log.warning("initializationOptions.debounceMs must be a number >= 0")

    @server.feature(lsp.INITIALIZED)
    async def initialized(ls: DrafterServer, params: lsp.InitializedParams) -> None:
        caps = ls.client_capabilities.workspace
        watched = caps.did_change_watched_files if caps else None
        if watched is not None and watched.dynamic_registration:
            asyncio.get_running_loop().create_task(_watch_configs(ls))
        try:
            await ls.on_worker(ls.session.warm_up)
        except DrafterError as exc:
            ls.window_log_message(
                lsp.LogMessageParams(
                    type=lsp.MessageType.Warning, message=f"drafter: {exc.message}"
                )
            )
        except Exception:
            ls.log_crash("(warm-up)", traceback.format_exc())

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: DrafterServer, params: lsp.DidOpenTextDocumentParams) -> None:
        ls._sent_uris[unquote(params.text_document.uri)] = params.text_document.uri
        ls.schedule(params.text_document.uri, 0)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: DrafterServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, ls.debounce_ms)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: DrafterServer, params: lsp.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if urlparse(uri).path.rsplit("/", 1)[-1] in CONFIG_NAMES:
            await ls.on_worker(ls.session.forget_configs)
            ls.relint_all()
        else:
            ls.schedule(uri, 0)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: DrafterServer, params: lsp.DidCloseTextDocumentParams) -> None:
        ls.closed(params.text_document.uri)

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def watched(ls: DrafterServer, params: lsp.DidChangeWatchedFilesParams) -> None:
        if any(c.uri.rsplit("/", 1)[-1] in CONFIG_NAMES for c in params.changes):
            await ls.on_worker(ls.session.forget_configs)
            ls.relint_all()

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(
            code_action_kinds=[lsp.CodeActionKind.QuickFix, lsp.CodeActionKind.SourceFixAll]
        ),
    )
    async def code_action(ls: DrafterServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        uri = params.text_document.uri
        checked = await ls.current(uri)
        if checked is None or checked.result is None:
            return []
        actions = code_actions(ls, checked, params)
        only = [str(k) for k in params.context.only] if params.context.only else None
        fixable = any(f.fix is not None for f in checked.result.findings)
        if fixable and _kind_wanted(lsp.CodeActionKind.SourceFixAll, only):
            fixed = await ls.on_worker(ls.session.fix_all, checked)
            if fixed is not None:
                pos = ls.positions(checked.text)
                edit = _text_edit(pos, *minimal_edit(checked.text, fixed), _eol(checked.source))
                actions.append(
                    lsp.CodeAction(
                        title="Fix all safe problems (drafter)",
                        kind=lsp.CodeActionKind.SourceFixAll,
                        edit=lsp.WorkspaceEdit(changes={uri: [edit]}),
                    )
                )
        return actions

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    async def hover(ls: DrafterServer, params: lsp.HoverParams) -> lsp.Hover | None:
        checked = await ls.current(params.text_document.uri)
        if checked is None or checked.result is None or checked.setup is None:
            return None
        pos = ls.positions(checked.text)
        found = findings_at(checked.result.findings, pos.offset(params.position))
        if not found:
            return None
        text = "\n\n---\n\n".join(hover_markdown(f, checked.setup.linter) for f in found)
        first = found[0]
        return lsp.Hover(
            contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text),
            range=pos.range(first.offset, first.end_offset),
        )

    @server.feature(lsp.SHUTDOWN)
    def shutdown(ls: DrafterServer, params: None) -> None:
        for task in ls._pending.values():
            task.cancel()
        ls._pending.clear()

    return server


async def _watch_configs(ls: DrafterServer) -> None:
    watchers = [lsp.FileSystemWatcher(glob_pattern=f"**/{name}") for name in CONFIG_NAMES]
    try:
        await ls.client_register_capability_async(
            lsp.RegistrationParams(
                registrations=[
                    lsp.Registration(
                        id="drafter-config-watch",
                        method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                        register_options=lsp.DidChangeWatchedFilesRegistrationOptions(
                            watchers=watchers
                        ),
                    )
                ]
            )
        )
    except Exception as exc:  # the client said no: configs still reload on save or mtime
        log.info("could not watch drafter.toml: %s", exc)


def serve() -> None:
    """Run the language server on stdin/stdout until the client says exit: exit status 0 after
    `shutdown`, 1 when the client exits (or the input ends) without it, as the spec says."""
    import sys

    from drafter.lsp.framing import FramedStdin

    server = create_server()
    server.start_io(stdin=FramedStdin(sys.stdin.buffer))  # type: ignore[arg-type]
    sys.exit(0 if server.protocol._shutdown else 1)
