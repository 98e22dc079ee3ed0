"""A small on-disk cache of data that is slow to derive at every cold start (CMUdict's syllable
counts, parsed rule files), so one `drafter lint` does not rebuild them each time.

Safe by construction: values are JSON (data, never code); the folder is the user's own cache
dir (platformdirs), one subfolder per drafter version, created 0700, and files are written 0600
by atomic rename; a folder or file that is not owned by this user, or that others can write,
is ignored. Every entry stores the key it was made from (drafter version plus a fingerprint of
its sources, e.g. a file's hash or a package's version) and is used only when the key matches.
Any problem (read-only disk, corrupt file) means "not cached": the caller computes as before.
Set DRAFTER_NO_CACHE=1 to turn it off.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

from drafter import __version__

_ENTRY_VERSION = 1


def cache_dir() -> Path | None:
    """This drafter version's private cache folder, or None when caching is off."""
    if os.environ.get("DRAFTER_NO_CACHE"):
        return None
    try:
        from platformdirs import user_cache_dir
    except ImportError:  # pragma: no cover - a dependency, but the cache is optional
        return None
    return Path(user_cache_dir("drafter", appauthor=False)) / f"v{__version__}"


def _make_private_dir(folder: Path) -> bool:
    """Create the folder and its parent 0700 if missing; True when it is ours alone."""
    try:
        for part in (folder.parent, folder):
            part.mkdir(mode=0o700, parents=True, exist_ok=True)
        return _private(os.lstat(folder), directory=True)
    except OSError:
        return False


def _private(st: os.stat_result, *, directory: bool) -> bool:
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return False
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return False
    return stat.S_ISDIR(st.st_mode) if directory else stat.S_ISREG(st.st_mode)


def fingerprint(*parts: str | bytes) -> str:
    """A short stable key from the things a cached value was derived from."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def _path(name: str) -> Path | None:
    folder = cache_dir()
    if folder is None or not name.replace("-", "").replace("_", "").isalnum():
        return None
    return folder / f"{name}.json"


def load(name: str, key: str) -> Any | None:
    """The value stored under `name` if it was made from `key`; else None."""
    path = _path(name)
    if path is None:
        return None
    try:
        if not _private(os.lstat(path.parent), directory=True):
            return None
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            if not _private(os.fstat(handle.fileno()), directory=False):
                return None
            entry = json.loads(handle.read())
    except (OSError, ValueError):
        return None
    if (
        not isinstance(entry, dict)
        or entry.get("format") != _ENTRY_VERSION
        or entry.get("drafter") != __version__
        or entry.get("key") != key
    ):
        return None
    return entry.get("value")


def store(name: str, key: str, value: Any) -> None:
    """Write `value` (JSON data) under `name`, best effort: failures are ignored."""
    path = _path(name)
    if path is None:
        return
    entry = {"format": _ENTRY_VERSION, "drafter": __version__, "key": key, "value": value}
    try:
        data = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        if not _make_private_dir(path.parent):
            return
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except (OSError, TypeError, ValueError):
        return
    try:
        with os.fdopen(fd, "wb") as handle:  # mkstemp creates the file 0600
            handle.write(data)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
