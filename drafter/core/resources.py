"""Where the built-in templates, rules and examples live, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def builtin_dir(name: str) -> Path:
    """A wheel carries the folders inside the package; a checkout keeps them at the top level."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"drafter is installed without its {name}/ folder")
