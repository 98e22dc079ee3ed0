"""The language server's state and work, without the protocol: one Session owns the configs
found for each folder, a warm Linter per configuration, and linting and fixing one document.

Nothing here imports pygls, so it is tested in process (tests/test_lsp_session.py); the server
(server.py) only debounces, converts positions and publishes. All calls into a Session run on
the server's one worker thread, so spaCy is only ever used from that thread.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from urllib.request import url2pathname

from drafter.core.config import Config, discovery_stamp, load_config
from drafter.core.drafts import Draft
from drafter.core.errors import DrafterError
from drafter.core.limits import LSP_MAX_CHARS
from drafter.lint.engine import Linter
from drafter.lint.findings import Finding, LintResult
from drafter.lint.inputs import DRAFT_SUFFIXES, ContactResolver, LintContext, make_draft

CONFIG_NAMES = ("drafter.toml", "pyproject.toml")
_WARMUP = Draft.from_body(
    "Hi Ana,\n\nThanks for your talk on Kafka at PyCon; the replay numbers were new to me.\n",
    platform="linkedin",
    stage="connect",
)


def normalise(text: str) -> str:
    """`\\r\\n` and lone `\\r` become `\\n` (LSP counts all three as line ends; drafter only `\\n`)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def handles(uri: str, text: str) -> bool:
    """Drafts are *.md, *.txt, *.eml (and .markdown, .text), or anything with front matter."""
    path = urlparse(uri).path.lower()
    return path.endswith(DRAFT_SUFFIXES) or text.startswith("---")


def doc_path(uri: str) -> str | None:
    """The file a `file:` URI names; None for unsaved buffers and other schemes."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    return url2pathname(parsed.path)


@dataclass
class Setup:
    """What linting under one configuration needs, built once and kept warm."""

    config: Config
    linter: Linter
    roster_stamp: float | None = None
    resolver: ContactResolver = field(init=False)

    def __post_init__(self) -> None:
        self.resolver = ContactResolver(self.config.roster)

    def fresh_resolver(self) -> ContactResolver:
        stamp = _mtime(self.config.roster)
        if stamp != self.roster_stamp:
            self.roster_stamp = stamp
            self.resolver = ContactResolver(self.config.roster)
        return self.resolver


@dataclass
class Checked:
    """One lint of one version of a document."""

    uri: str
    source: str  # the text as the editor has it
    text: str  # normalised
    version: int | None
    result: LintResult | None = None
    setup: Setup | None = None
    error: str | None = None  # a DrafterError message
    crash: str | None = None  # an unexpected exception, for the log


def _mtime(path: Path | None) -> float | None:
    if path is None:
        return None
    try:
        return path.stat().st_mtime
    except OSError:
        return None


class Session:
    """Configs per folder (reloaded when their file changes) and a warm Linter per config."""

    def __init__(self, root: Callable[[], Path] = Path.cwd) -> None:
        self.root = root  # the workspace folder, for documents that are not files
        self._configs: dict[Path, tuple[Config, tuple[Any, ...]]] = {}
        self._setups: dict[str, Setup] = {}

    def _config_for(self, folder: Path) -> Config:
        # A few stats per check, so a config created nearer the draft (or edited, or deleted)
        # is picked up even when the client sends no didChangeWatchedFiles.
        stamp = discovery_stamp(folder)
        cached = self._configs.get(folder)
        if cached is not None and cached[1] == stamp:
            return cached[0]
        config = load_config(None, start=folder)
        self._configs[folder] = (config, stamp)
        return config

    def _setup_for(self, folder: Path) -> Setup:
        config = self._config_for(folder)
        key = repr(config)
        setup = self._setups.get(key)
        if setup is None:
            setup = Setup(config, Linter.from_config(config))
            self._setups[key] = setup
        return setup

    def forget_configs(self) -> None:
        self._configs.clear()
        self._setups.clear()

    def check(self, uri: str, source: str, version: int | None) -> Checked:
        """Lint one document; never raises."""
        checked = Checked(uri, source, normalise(source), version)
        if len(source) > LSP_MAX_CHARS:
            # A time budget by size (linting is linear): one huge document must not hold up
            # every other document's diagnostics on the single lint thread.
            checked.error = (
                f"{len(source):,} characters is too long to lint as you type "
                f"(limit {LSP_MAX_CHARS:,}); run `drafter lint` on it"
            )
            return checked
        try:
            path = doc_path(uri)
            folder = Path(path).parent if path else self.root()
            setup = self._setup_for(folder)
            checked.setup = setup
            draft = make_draft(
                checked.text,
                path or uri,
                LintContext(),
                setup.linter.platforms,
                setup.fresh_resolver(),
            )
            checked.result = setup.linter.lint(draft)
        except DrafterError as exc:
            checked.error = exc.message
        except Exception:
            checked.crash = traceback.format_exc()
        return checked

    def fix_all(self, checked: Checked) -> str | None:
        from drafter.lint.fixes import fix_text

        setup = checked.setup
        if setup is None or checked.result is None:
            return None
        platforms = setup.linter.platforms
        resolver = setup.fresh_resolver()
        name = doc_path(checked.uri) or checked.uri
        outcome = fix_text(
            checked.text,
            lambda t: make_draft(t, name, LintContext(), platforms, resolver),
            setup.linter,
        )
        return outcome.text if outcome.text != checked.text else None

    def warm_up(self) -> None:
        setup = self._setup_for(self.root())
        setup.linter.lint(_WARMUP)


def hover_markdown(finding: Finding, linter: Linter) -> str:
    rule = linter.rules.get(finding.rule)
    parts = [f"**{finding.severity}** `{finding.rule}`: {finding.message}"]
    if rule is not None and rule.why:
        parts.append(rule.why.strip())
    if finding.suggestion:
        parts.append(f"**Instead:** {finding.suggestion}")
    elif rule is not None and rule.suggest:
        parts.append("**Instead:** " + " / ".join(rule.suggest))
    return "\n\n".join(parts)


def findings_at(findings: Iterable[Finding], offset: int) -> list[Finding]:
    return [
        f
        for f in findings
        if f.offset <= offset < f.end_offset or f.offset == offset == f.end_offset
    ]
