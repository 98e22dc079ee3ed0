"""Reading user files with one-line errors, and writing files atomically."""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from pathlib import Path
from typing import Any

import yaml

from drafter.core.errors import DrafterError


def read_bytes(path: Path, max_bytes: int | None = None) -> bytes:
    """A regular file's bytes; a FIFO or device (/dev/zero) would block or never end, so only `-`
    (handled by callers) reads a stream. Over `max_bytes` is refused before reading."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(info.st_mode):
            raise DrafterError(f"{path}: not a regular file (use - to read a stream from stdin)")
        if max_bytes is not None and info.st_size > max_bytes:
            raise DrafterError(f"{path}: {info.st_size:,} bytes is over the limit of {max_bytes:,}")
        return path.read_bytes()
    except FileNotFoundError:
        raise DrafterError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise DrafterError(f"{path}: is a folder, expected a file") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        raise DrafterError(
            f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}"
        ) from None


def read_text(path: Path) -> str:
    return decode(read_bytes(path), str(path))


def decode_exact(data: bytes, where: str) -> str:
    """UTF-8 text exactly as given: BOM and line ends kept (see core/sourcemap.py)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DrafterError(f"{where}:{line}: not valid UTF-8 text (byte {exc.start})") from None


def decode(data: bytes, where: str) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DrafterError(f"{where}:{line}: not valid UTF-8 text (byte {exc.start})") from None
    if "\r" in text:  # CRLF and lone CR are line breaks, as in every editor
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


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


_SURROGATE = re.compile("[\ud800-\udfff]")


def parse_failure(exc: Exception, where: str) -> DrafterError | None:
    """The one-line error for what parsers raise outside their own error types: Python's cap on
    number length (ValueError), and nesting deeper than the stack (RecursionError)."""
    if isinstance(exc, RecursionError):
        return DrafterError(f"{where}: nested too deeply")
    if isinstance(exc, ValueError) and "digits" in str(exc):
        return DrafterError(f"{where}: a number is too long (at most 4,300 digits)")
    return None


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def check_json_text(source: str, data: Any, where: str) -> Any:
    """check_text, skipped when the JSON source has no \\uD800-style escape (the only way a
    surrogate gets in: decoded UTF-8 holds none)."""
    return check_text(data, where) if _SURROGATE_ESCAPE.search(source) else data


def check_text(data: Any, where: str) -> Any:
    """Refuse loaded data holding a lone surrogate (JSON allows "\\ud800"): it cannot be
    printed or written as UTF-8, so it would fail later, far from its source."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                raise DrafterError(f"{where}: text holds a lone surrogate (\\ud800-\\udfff)")
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return data


class LineDict(dict[str, Any]):
    """A mapping that remembers the line it starts on, so errors can point at it."""

    line: int = 0


class LineLoader(_Loader):
    """The same safe YAML, with mappings as LineDicts (keys as text): for rosters."""


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> LineDict:
    mapping = LineDict((str(k), v) for k, v in loader.construct_mapping(node, deep=True).items())
    mapping.line = node.start_mark.line + 1
    return mapping


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(text: str, where: str, line_offset: int = 0, *, lines: bool = False) -> Any:
    """The one YAML loader for rules, platforms, rosters and front matter (`lines`: mappings
    remember their line)."""
    try:
        return yaml.load(text, Loader=LineLoader if lines else _Loader)
    except (ValueError, RecursionError) as exc:
        failure = parse_failure(exc, where)
        if failure is None:
            raise DrafterError(f"{where}: invalid YAML: {exc}") from None
        raise failure from None
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


def rewrite(path: Path, text: str) -> None:
    """Replace a file's text where it really lives: through a symlink to its target (the link
    stays a link), atomically by rename; a file with several hard links is rewritten in place
    instead, so every link sees the change (a rename would split them)."""
    try:
        target = Path(os.path.realpath(path))
        links = target.stat().st_nlink
    except (OSError, ValueError) as exc:
        raise DrafterError(
            f"{path}: cannot write: {getattr(exc, 'strerror', None) or exc}"
        ) from None
    if links <= 1:
        write_atomic(target, text, overwrite=True)
        return
    data = text.encode("utf-8")
    try:
        with open(target, "r+b") as handle:
            handle.write(data)
            handle.truncate(len(data))
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise DrafterError(f"{path}: cannot write: {exc.strerror or exc}") from None


def read_stream(stream: Any, where: str, max_bytes: int) -> bytes:
    """All of a stream (stdin), refusing one longer than `max_bytes` instead of reading forever."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise DrafterError(f"{where}: input is over the limit of {max_bytes:,} bytes")
    return bytes(data)
