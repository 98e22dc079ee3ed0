"""Validators the rule kinds' constructors share: each failure is one DrafterError naming the
rule and the key, raised while the rule files load (never while linting)."""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from drafter.core.errors import DrafterError
from drafter.core.lists import Lists, expand

T = TypeVar("T")


def fail(where: str, message: str) -> DrafterError:
    return DrafterError(f"{where}: {message}")


def text_list(
    where: str, key: str, value: Any, lists: Lists, *, nonempty: bool = False
) -> tuple[str, ...]:
    """A list of text; one text stands for a list of one; `{list: name}` for a named list."""
    words = expand(where, key, value, lists)
    if nonempty and not words:
        raise fail(where, f"'{key}' must be a non-empty list")
    return words


def _number(value: Any) -> bool:
    return value is None or (isinstance(value, int | float) and not isinstance(value, bool))


@dataclass(frozen=True)
class Threshold:
    """`max: 9`, or `max: {default: 9, linkedin: 10, linkedin/connect: 8, follow_up: 7}`: the most
    specific of platform/stage, platform, stage, default wins; a None switches the bound off."""

    default: float | None = None
    by: Mapping[str, float | None] = dataclasses.field(default_factory=dict)

    @classmethod
    def parse(cls, where: str, key: str, value: Any) -> Threshold | None:
        if value is None:
            return None
        if isinstance(value, Mapping):
            bad = [k for k, v in value.items() if not _number(v)]
            if bad:
                raise fail(where, f"'{key}.{bad[0]}' must be a number")
            by = {str(k): None if v is None else float(v) for k, v in value.items()}
            return cls(default=by.pop("default", None), by=by)
        if not _number(value):
            raise fail(where, f"'{key}' must be a number or a mapping of platform/stage to numbers")
        return cls(default=float(value))

    def describe(self) -> str:
        def num(v: float | None) -> str:
            return "off" if v is None else f"{v:g}"

        more = ", ".join(f"{k} {num(v)}" for k, v in self.by.items())
        return num(self.default) + (f" ({more})" if more else "")

    def at(self, platform: str | None, stage: str | None) -> float | None:
        for candidate in (f"{platform}/{stage}", platform, stage):
            if candidate is not None and candidate in self.by:
                return self.by[candidate]
        return self.default


def _coerce(where: str, key: str, hint: Any, value: Any, lists: Lists) -> Any:
    """One parameter to its declared type: bool, int, float, str, tuple[str, ...] or
    frozenset[str] (words, or `{list: name}`), or an Optional of one of these."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType) and type(None) in args:
        if value is None:
            return None
        inner = [a for a in args if a is not type(None)]
        return _coerce(where, key, inner[0], value, lists)
    if hint is bool:
        if not isinstance(value, bool):
            raise fail(where, f"'{key}' must be true or false")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise fail(where, f"'{key}' must be a whole number")
        return value
    if hint is float:
        if not _number(value) or value is None:
            raise fail(where, f"'{key}' must be a number")
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise fail(where, f"'{key}' must be text")
        return value
    if origin is tuple:
        return text_list(where, key, value, lists)
    if origin is frozenset:
        return frozenset(text_list(where, key, value, lists))
    raise TypeError(f"unsupported parameter type {hint!r}")  # a programming error, not input


def from_mapping(cls: type[T], data: Any, where: str, what: str, lists: Lists) -> T:
    """Build a parameters dataclass from a rule's or config's mapping: unknown keys and wrong
    types are errors, absent keys take the dataclass defaults (so defaults live in one place)."""
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise fail(where, f"'{what}' must be a mapping")
    hints = typing.get_type_hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
    unknown = sorted(set(data) - set(names))
    if unknown:
        known = ", ".join(names) or "none"
        raise fail(where, f"{what}: unknown parameter '{unknown[0]}' (known: {known})")
    values = {k: _coerce(where, f"{what}.{k}", hints[k], v, lists) for k, v in data.items()}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        name = f.metadata.get("list")
        if f.name not in values and name is not None:
            values[f.name] = _coerce(
                where, f"{what}.{f.name}", hints[f.name], {"list": name}, lists
            )
    return cls(**values)


def named(list_name: str) -> Any:
    """A parameter whose default is a named list (rules/lists/), as extended by rule folders:
    `generic_names: frozenset[str] = named("generic-names")`."""
    return dataclasses.field(default=(), metadata={"list": list_name})


def field_names(cls: type[Any]) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))
