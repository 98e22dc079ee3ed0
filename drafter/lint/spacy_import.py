"""Import spaCy without its command-line package.

`import spacy` runs `from .cli.info import info`, which loads spacy.cli and with it typer,
weasel, requests, httpx, rich and jinja2: a fifth of a cold `drafter lint`, for commands that
linting never runs. While spacy/__init__ runs for the first time, `spacy.cli` and
`spacy.cli.info` resolve to a stand-in whose `info` loads the real one when called; as soon as
spacy/__init__ has run the stand-ins are dropped, so any later `import spacy.cli` (a trained
pipeline's loader, `python -m spacy`) imports the real package as usual. If spaCy was imported
before drafter, nothing changes.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
import types
from collections.abc import Sequence
from typing import Any


def _info(*args: Any, **kwargs: Any) -> Any:
    """spacy.info, imported on first call."""
    from spacy.cli.info import info

    return info(*args, **kwargs)


class _Loader(importlib.abc.Loader):
    """Runs spacy/__init__ with the stand-ins in place, then removes them."""

    def __init__(self, inner: importlib.abc.Loader) -> None:
        self.inner = inner

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType | None:
        return self.inner.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        cli = types.ModuleType("spacy.cli", "stand-in while spaCy is imported by drafter")
        if module.__spec__ is not None and module.__spec__.submodule_search_locations:
            # Submodules (spacy.cli._util, should spaCy import one) still load from the real folder.
            cli.__path__ = [
                os.path.join(p, "cli") for p in module.__spec__.submodule_search_locations
            ]
        info = types.ModuleType("spacy.cli.info")
        info.info = _info  # type: ignore[attr-defined]
        cli.info = info  # type: ignore[attr-defined]
        stand_ins = {"spacy.cli": cli, "spacy.cli.info": info}
        for name, stand_in in stand_ins.items():
            sys.modules.setdefault(name, stand_in)
        if module.__spec__ is not None:
            module.__spec__.loader = self.inner
        module.__loader__ = self.inner
        try:
            self.inner.exec_module(module)
        finally:
            for name, stand_in in stand_ins.items():
                if sys.modules.get(name) is stand_in:
                    del sys.modules[name]
            if getattr(module, "cli", None) is cli:
                delattr(module, "cli")


class _Finder(importlib.abc.MetaPathFinder):
    """Wraps the loader of the top-level `spacy` package, once."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: types.ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != "spacy":
            return None
        uninstall()
        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        spec.loader = _Loader(spec.loader)
        return spec


def install() -> None:
    """Take effect on the first `import spacy` of this process, if it has not happened yet."""
    if "spacy" in sys.modules or any(isinstance(f, _Finder) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _Finder())


def uninstall() -> None:
    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, _Finder)]
