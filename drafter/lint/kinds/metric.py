"""`kind: metric`: a number measured on the text (drafter.lint.metrics), compared with `max`
and `min`, each a number or a table per platform/stage; `min_words` skips short texts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from drafter.core.lists import Lists
from drafter.lint.context import Context, Hit
from drafter.lint.kinds.fields import Threshold, fail
from drafter.lint.metrics import METRICS
from drafter.lint.text import Span

KEYS = frozenset({"metric", "max", "min", "min_words"})


def known_metrics() -> tuple[str, ...]:
    return tuple(sorted(METRICS))


@dataclass(frozen=True)
class Bounds:
    """A metric's thresholds for one platform and stage."""

    min_words: float | None
    high: float | None
    low: float | None


@dataclass(frozen=True)
class MetricSpec:
    metric: str
    max: Threshold | None = None
    min: Threshold | None = None
    min_words: Threshold | None = None

    @classmethod
    def build(cls, data: Mapping[str, Any], where: str, lists: Lists) -> MetricSpec:
        metric = data.get("metric")
        known = known_metrics()
        if metric not in known:
            raise fail(where, f"unknown metric; known: {', '.join(known)}")
        spec = cls(
            metric=str(metric),
            max=Threshold.parse(where, "max", data.get("max")),
            min=Threshold.parse(where, "min", data.get("min")),
            min_words=Threshold.parse(where, "min_words", data.get("min_words")),
        )
        if spec.max is None and spec.min is None:
            raise fail(where, "a metric rule needs 'max' or 'min'")
        return spec

    def bounds(self, platform: str | None, stage: str | None) -> Bounds:
        def at(threshold: Threshold | None) -> float | None:
            return threshold.at(platform, stage) if threshold is not None else None

        return Bounds(at(self.min_words), at(self.max), at(self.min))


def run(spec: MetricSpec, bounds: Bounds, ctx: Context) -> Hit | None:
    """A hit on the span behind the number when it crosses a bound, with {value}, {max}/{min}."""
    if bounds.min_words is not None and ctx.features.word_count < bounds.min_words:
        return None
    value, span = METRICS[spec.metric](ctx)
    if bounds.high is not None and value > bounds.high:
        bound = bounds.high
    elif bounds.low is not None and value < bounds.low:
        bound = bounds.low
    else:
        return None
    if callable(span):
        span = span()
    span = span or Span(0, len(ctx.text.rstrip()))
    fmt = int(value) if float(value).is_integer() else value
    bound_fmt = int(bound) if float(bound).is_integer() else bound
    values = {
        "value": fmt,
        "max": bound_fmt,
        "min": bound_fmt,
        "match": ctx.text[span.start : span.end],
    }
    return Hit(span.start, span.end, values=values)
