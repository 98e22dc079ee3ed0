"""Named word lists (`rules/lists/*.yaml`): the words rules and checks reason with, as data.

A list file holds `lists: {name: [words...]}`. The built-in lists load first; a `lists/` folder
inside a user's rule folder extends them (its words are added), or replaces one with
`name: {replace: [words...]}`. Rules refer to a list by name wherever they take a list of words
or phrases: `generic_words: {list: generic-words}`, or an item `- {list: give-phrases}` among
others.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from drafter.core.errors import DrafterError
from drafter.core.files import load_yaml, read_text
from drafter.core.resources import builtin_dir

FOLDER = "lists"
Lists = Mapping[str, tuple[str, ...]]


def _words(where: str, name: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise DrafterError(f"{where}: list '{name}' must be a list of words or phrases")
    return tuple(value)


def _read(path: Path, lists: dict[str, tuple[str, ...]], *, builtin: bool) -> None:
    data = load_yaml(read_text(path), str(path))
    if (
        not isinstance(data, Mapping)
        or set(data) != {"lists"}
        or not isinstance(data["lists"], Mapping)
    ):
        raise DrafterError(f"{path}: a list file holds one mapping, 'lists', of names to words")
    for name, value in data["lists"].items():
        name = str(name)
        if isinstance(value, Mapping):
            if set(value) != {"replace"}:
                raise DrafterError(f"{path}: list '{name}': only 'replace' may be given")
            lists[name] = _words(str(path), name, value["replace"])
        elif builtin and name in lists:
            raise DrafterError(f"{path}: list '{name}' is defined twice")
        else:
            words = _words(str(path), name, value)
            old = lists.get(name, ())
            lists[name] = old + tuple(w for w in words if w not in old)


def load_lists(
    folders: Sequence[Path] = (), *, include_builtin: bool = True
) -> dict[str, tuple[str, ...]]:
    """The built-in lists, then each rule folder's `lists/*.yaml` extending or replacing them."""
    lists: dict[str, tuple[str, ...]] = dict(builtin_lists()) if include_builtin else {}
    for folder in folders:
        for path in sorted((folder / FOLDER).glob("*.y*ml")):
            _read(path, lists, builtin=False)
    return lists


@lru_cache(maxsize=1)
def builtin_lists() -> Lists:
    lists: dict[str, tuple[str, ...]] = {}
    for path in sorted((builtin_dir("rules") / FOLDER).glob("*.yaml")):
        _read(path, lists, builtin=True)
    return lists


def builtin_list(name: str) -> tuple[str, ...]:
    """A built-in list, for text facts fixed when a module loads (greeting words, pronouns)."""
    return builtin_lists()[name]


def expand(where: str, key: str, value: Any, lists: Lists) -> tuple[str, ...]:
    """Words given as a list, one text, `{list: name}`, or a list mixing words and list names."""
    items = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in items:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, Mapping) and set(item) == {"list"} and isinstance(item["list"], str):
            name = item["list"]
            if name not in lists:
                known = ", ".join(sorted(lists)) or "none"
                raise DrafterError(f"{where}: '{key}': no list '{name}' (known: {known})")
            out.extend(lists[name])
        else:
            raise DrafterError(f"{where}: '{key}' must be a list of text or {{list: name}}")
    return tuple(out)
