"""Where the server's socket lives: the user's runtime dir, in a folder only the user can enter."""

from __future__ import annotations

import os
import stat
from pathlib import Path

SOCKET_NAME = "server.sock"


def runtime_dir() -> Path:
    """platformdirs' user runtime dir (e.g. $XDG_RUNTIME_DIR/drafter), or a private folder in
    the temp dir where that cannot be created (a container with no /run/user)."""
    import warnings

    try:
        from platformdirs import user_runtime_dir
    except ImportError:  # an install that predates the dependency: the XDG rule, else temp
        base = os.environ.get("XDG_RUNTIME_DIR", "").strip()
        return Path(base) / "drafter" if base else _fallback_dir()
    with warnings.catch_warnings():  # no XDG_RUNTIME_DIR: it warns, then uses /tmp/runtime-UID
        warnings.simplefilter("ignore")
        return Path(user_runtime_dir("drafter", appauthor=False))


def _fallback_dir() -> Path:
    import tempfile

    uid = os.getuid() if hasattr(os, "getuid") else 0
    return Path(tempfile.gettempdir()) / f"drafter-{uid}"


def is_private_dir(path: Path) -> bool:
    """Ours, a real folder (not a link), and closed to everyone else."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode) or st.st_mode & 0o077:
        return False
    return not hasattr(os, "getuid") or st.st_uid == os.getuid()


def socket_path(*, create: bool = False) -> Path | None:
    """For the server (create=True): the socket path in the first folder that is or can be
    made private (0700). For a client: the first private folder's socket that exists."""
    for folder in (runtime_dir(), _fallback_dir()):
        if create:
            try:
                folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            except OSError:
                continue
        if is_private_dir(folder) and (create or (folder / SOCKET_NAME).exists()):
            return folder / SOCKET_NAME
    return None
