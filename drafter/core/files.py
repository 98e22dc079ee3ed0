"""Reading user files with one-line errors, and writing files atomically."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml

from drafter.core.errors import DrafterError


def read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DrafterError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise DrafterError(f"{path}: is a folder, expected a file") from None
    except OSError as exc:
        raise DrafterError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return decode(data, str(path))


def decode(data: bytes, where: str) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DrafterError(f"{where}:{line}: not valid UTF-8 text (byte {exc.start})") from None
    return text.replace("\r\n", "\n") if "\r\n" in text else text


# libyaml parses several times faster than the pure-Python parser; both are safe loaders.
_SafeBase: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeBase):  # type: ignore[misc]  # CSafeLoader or SafeLoader, chosen at import
    """Safe YAML that keeps dates as strings: contact data is text, not Python objects."""


# Dates stay text, and only true/false are booleans: "on", "no" and "yes" are words in rules.
_Loader.yaml_implicit_resolvers = {
    key: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class LineDict(dict[str, Any]):
    """A mapping that remembers the line it starts on, so errors can point at it."""

    line: int = 0


class _LineLoader(_Loader):
    """The same safe YAML, with mappings as LineDicts (keys as text): for rosters."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    mapping = LineDict((str(k), v) for k, v in loader.construct_mapping(node, deep=True).items())
    mapping.line = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(text: str, where: str, line_offset: int = 0, *, lines: bool = False) -> Any:
    """The one YAML loader for rules, platforms, rosters and front matter (`lines`: mappings
    remember their line)."""
    try:
        return yaml.load(text, Loader=_LineLoader if lines else _Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = (mark.line + 1 + line_offset) if mark is not None else "?"
        raise DrafterError(f"{where}:{line}: invalid YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise DrafterError(f"{where}: invalid YAML: {exc}") from None


def write_atomic(path: Path, text: str, *, overwrite: bool) -> None:
    """Write via a temporary file and rename, so a crash never leaves half a file behind."""
    if path.exists() and not overwrite:
        raise DrafterError(f"{path}: exists; use --force to overwrite it")
    directory = path.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise DrafterError(f"{path}: cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            with contextlib.suppress(OSError):
                os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise DrafterError(f"{path}: cannot write: {exc.strerror or exc}") from None
        raise
