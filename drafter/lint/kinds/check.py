"""`kind: check`: a named piece of logic (drafter.lint.checks) with typed parameters.

Each check registers a parameters dataclass with its defaults; a rule's `params:` and the
config's `[rule."<id>"]` overrides are both built through it, so a misspelled parameter is an
error wherever it is written. Parameters named `*_phrases` are phrase lists: the engine matches
them with the phrase rules' PhraseMatcher and hands the check their spans.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from drafter.core.lists import Lists
from drafter.lint.context import Context, Hit
from drafter.lint.kinds.fields import fail, field_names, from_mapping

KEYS = frozenset({"check", "params"})
PhraseSpans = Mapping[str, list[tuple[int, int]]]
CheckFn = Callable[[Context, Any, PhraseSpans], Iterable[Hit]]
F = TypeVar("F", bound=Callable[..., Iterable[Hit]])


@dataclass(frozen=True)
class NoParams:
    """For checks that take no parameters."""


@dataclass(frozen=True)
class CheckDef:
    name: str
    fn: CheckFn
    params: type[Any]


REGISTRY: dict[str, CheckDef] = {}


def register(name: str, params: type[Any] = NoParams) -> Callable[[F], F]:
    """`@register("specific", SpecificParams)` above a check function makes it a named check."""

    def add(fn: F) -> F:
        if name in REGISTRY:
            raise ValueError(f"check '{name}' registered twice")
        REGISTRY[name] = CheckDef(name, fn, params)
        return fn

    return add


def known_checks() -> dict[str, CheckDef]:
    import drafter.lint.checks  # noqa: F401  # the built-in checks register on import

    return REGISTRY


@dataclass(frozen=True)
class CheckSpec:
    check: str
    params: Any  # an instance of the check's parameters dataclass

    @classmethod
    def build(cls, data: Mapping[str, Any], where: str, lists: Lists) -> CheckSpec:
        checks = known_checks()
        name = data.get("check")
        if name not in checks:
            raise fail(where, f"unknown check; known: {', '.join(sorted(checks))}")
        params = from_mapping(checks[name].params, data.get("params"), where, "params", lists)
        return cls(str(name), params)

    @property
    def phrase_lists(self) -> dict[str, tuple[str, ...]]:
        return {
            f.name: getattr(self.params, f.name)
            for f in dataclasses.fields(self.params)
            if f.name.endswith("_phrases")
        }

    def tunable(self) -> tuple[str, ...]:
        return field_names(type(self.params))


def run(spec: CheckSpec, ctx: Context, spans: PhraseSpans) -> Iterable[Hit]:
    return REGISTRY[spec.check].fn(ctx, spec.params, spans)
