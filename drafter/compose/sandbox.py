"""Bounds on what a template may cost: the Jinja sandbox stops attribute tricks, not a template
that computes `9 ** (9 ** 9)`, builds a 700 MB string, or loops for hours.

Single operations that could run long inside C (big powers, string repetition, padding to a huge
width) are refused before they run; output is counted as it streams; and the whole render has a
wall-clock budget (RENDER_SECONDS, enforced with a timer signal on the main thread). Every breach
is a RenderLimit, which the renderer turns into a one-line error naming the template.
"""

from __future__ import annotations

import functools
import math
import signal
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import jinja2
from jinja2.environment import TemplateModule
from jinja2.sandbox import SandboxedEnvironment

from drafter.core.limits import MAX_RENDER_CHARS, RENDER_SECONDS

# Bits a power may produce: plenty for any number a message shows, tiny for the CPU.
_MAX_POWER_BITS = 4096


class RenderLimit(BaseException):
    """A template went over a time or size bound. A BaseException, like KeyboardInterrupt: the
    timer can fire inside Jinja code that catches Exception, which must not swallow it."""


def _too_big(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_RENDER_CHARS


def _check_args(args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> None:
    """A width, count or repeat over the output limit can only build an oversized string."""
    if any(_too_big(a) for a in args) or any(_too_big(v) for v in kwargs.values()):
        raise RenderLimit(f"an argument over {MAX_RENDER_CHARS:,} (the output limit)")


def _guard_filter(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        _check_args(args, kwargs)
        return fn(*args, **kwargs)

    return guarded


class LimitedEnvironment(SandboxedEnvironment):
    """The sandbox, plus refusals for operations whose cost is out of proportion to a message."""

    intercepted_binops = frozenset(["**", "*"])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters = {name: _guard_filter(fn) for name, fn in self.filters.items()}

    def call_binop(
        self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any
    ) -> Any:
        if operator == "**" and isinstance(left, int | float) and isinstance(right, int | float):
            base = abs(float(left)) if isinstance(left, float) else abs(left)
            if base > 1 and right > 0 and right * math.log2(base) > _MAX_POWER_BITS:
                raise RenderLimit(f"{left} ** {right} is too large a number")
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                if (
                    isinstance(seq, str | list | tuple)
                    and isinstance(count, int)
                    and len(seq) * count > MAX_RENDER_CHARS
                ):
                    raise RenderLimit(f"a repetition over {MAX_RENDER_CHARS:,} items")
        return super().call_binop(context, operator, left, right)

    def call(
        __self,
        __context: jinja2.runtime.Context,
        __obj: Any,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        _check_args(args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Raise RenderLimit in this thread after `seconds`; a no-op off the main thread."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        yield
        return

    def expired(signum: int, frame: Any) -> None:
        raise RenderLimit(f"rendering took over {seconds:g} seconds")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def render_module(template: jinja2.Template, context: Mapping[str, Any]) -> TemplateModule:
    """`template.make_module(context)`, within the time and output bounds."""
    with _deadline(RENDER_SECONDS):
        ctx = template.new_context(dict(context))
        chunks: list[str] = []
        size = 0
        for chunk in template.root_render_func(ctx):
            size += len(chunk)
            if size > MAX_RENDER_CHARS:
                raise RenderLimit(f"output over {MAX_RENDER_CHARS:,} characters")
            chunks.append(chunk)
        return TemplateModule(template, ctx, chunks)
