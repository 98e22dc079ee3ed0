"""One warm Linter per process, reused while its configuration and rule files are unchanged.

`drafter lint` and `fix` ask for their linter here. In a one-shot command this just builds it;
in `drafter server` the linter is built once and every forked request reuses it, and
`require()` tells a request whose configuration differs to go back to the client, which then
lints in its own process. A short-lived command also runs its start-up (imports, building the
linter) with the garbage collector off, then freezes what start-up made: the collector's full
passes over spaCy's objects cost about a seventh of a cold start and find nothing to free.
"""

from __future__ import annotations

import gc
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drafter.core.config import Config
from drafter.core.resources import builtin_dir

if TYPE_CHECKING:
    from drafter.core.platforms import Platform
    from drafter.lint.engine import Linter
    from drafter.lint.rules import Rule


class Mismatch(Exception):
    """Raised in a server's request when its warm linter was built for another configuration."""


@dataclass(frozen=True)
class LinterKey:
    """Everything a Linter is built from: equal keys, interchangeable linters."""

    config: tuple[Any, ...]
    platforms: tuple[tuple[str, Any], ...]
    free_account: bool
    files: tuple[tuple[str, int, int], ...]


_warm: tuple[LinterKey, Linter] | None = None
_serving = False  # set in a server's forked request: a different key means Mismatch
_quiet_gc = False


def quiet_start() -> None:
    """Turn the collector off for start-up; the first linter built turns it back on."""
    global _quiet_gc
    if gc.isenabled():
        gc.disable()
        _quiet_gc = True


def _settle() -> None:
    global _quiet_gc
    if _quiet_gc:
        gc.freeze()  # start-up objects live for the whole process: never scan them again
        gc.enable()
        _quiet_gc = False


def _stamp(root: Path, pattern: str) -> list[tuple[str, int, int]]:
    out = []
    if root.is_dir():
        for path in sorted(root.glob(pattern)):
            try:
                st = path.stat()
            except OSError:
                continue
            out.append((str(path), st.st_mtime_ns, st.st_size))
    return out


def key_for(
    config: Config, platforms: Mapping[str, Platform], free_account: bool | None
) -> LinterKey:
    """The key of the linter `Linter.from_config` would build now (rule files by mtime/size)."""
    files: list[tuple[str, int, int]] = []
    for root in (builtin_dir("rules"), *config.rules_folders):
        files += _stamp(root, "**/*")
    files += _stamp(builtin_dir("platforms"), "*.yaml")
    for folder in config.templates:
        files += _stamp(folder, "*/platform.yaml")
    return LinterKey(
        config=(
            config.templates,
            config.rules_folders,
            config.disable,
            config.accept,
            tuple(sorted((k, repr(v)) for k, v in config.rules.items())),
            config.model,
        ),
        platforms=tuple(sorted((name, p) for name, p in platforms.items())),
        free_account=config.free_account if free_account is None else free_account,
        files=tuple(files),
    )


def require(
    config: Config, platforms: Mapping[str, Platform], free_account: bool | None = None
) -> None:
    """In a server's request: raise Mismatch unless the warm linter fits this configuration.
    Elsewhere, nothing: called before the command reads stdin or writes anything."""
    if _serving and (_warm is None or _warm[0] != key_for(config, platforms, free_account)):
        raise Mismatch("the server's linter was built for another configuration")


def warm_linter(
    config: Config, platforms: Mapping[str, Platform], free_account: bool | None = None
) -> Linter | None:
    """The warm linter when it fits this configuration, else None (nothing is built)."""
    if _warm is not None and _warm[0] == key_for(config, platforms, free_account):
        return _warm[1]
    return None


def linter_for(
    config: Config,
    *,
    platforms: Mapping[str, Platform],
    free_account: bool | None = None,
    rules: tuple[Mapping[str, Rule], Mapping[str, Rule]] | None = None,
) -> Linter:
    """The warm linter when it fits, else a new one (which becomes the warm one); `rules`, the
    rules already read for this configuration (drafter.lint.rules.rules_for), saves reading
    them again."""
    global _warm
    key = key_for(config, platforms, free_account)  # before building: files may change meanwhile
    if _warm is not None and _warm[0] == key:
        return _warm[1]
    from drafter.lint.engine import Linter

    linter = Linter.from_config(config, platforms=platforms, free_account=free_account, rules=rules)
    _warm = (key, linter)
    _settle()
    return linter


def warm_key() -> LinterKey | None:
    return None if _warm is None else _warm[0]


def current() -> tuple[LinterKey, Linter]:
    if _warm is None:
        raise LookupError("no linter built yet")
    return _warm


def serving() -> None:
    """Mark this process as a server's request (see require)."""
    global _serving
    _serving = True
