"""Every regular expression the linter runs stays linear in the text's length.

A pattern with two unbounded parts that can trade characters (`[^\\n]*[\\s\\S]*?`, or a lazy scan
restarted at every line) is quadratic: invisible on a 50-word message, minutes on a pasted
200 KB one. Each pattern is timed on adversarial shapes at two sizes, 8x apart, in the same run:
linear time grows about 8x, quadratic 64x. The bound (24x) sits between, and a pattern whose
larger run takes under 20 ms is not judged at all, so scheduler noise cannot fail the test.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import time
from collections.abc import Iterator

import pytest

import drafter.lint
from drafter.lint.kinds.regex import RegexSpec
from drafter.lint.rules import load_rules

SMALL = 1_500
GROWTH = 8
BOUND = 24.0
NOISE_FLOOR = 0.020

# Shapes that make a backtracking pattern work hard: one long line after a greeting, many
# greeting lines, runs of one character class, repeated pronouns and sales words.
SHAPES = {
    "greeting then one line": lambda n: "Hi Kevin, " + "word " * n,
    "greeting lines": lambda n: "Hi Kevin,\n" * n,
    "name lines": lambda n: "".join(f"Hi K{i},\n" for i in range(n)),
    "letters": lambda n: "a" * (5 * n),
    "digits": lambda n: "1" * (5 * n),
    "dots": lambda n: "a." * (2 * n),
    "brackets": lambda n: "[{<" * n,
    "capitals": lambda n: "Ab Cd " * n,
    "pronouns": lambda n: "we our you your I my " * (n // 4),
    "sales words": lambda n: "we help companies like yours grow revenue " * (n // 6),
    "spaces then x": lambda n: " " * (5 * n) + "x",
    "urls": lambda n: "http://a.b/" * n,
    "minutes": lambda n: "15 min 20 minutes quick call " * (n // 5),
}


def _compiled(value: object) -> Iterator[re.Pattern[str]]:
    if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _compiled(v)
    elif isinstance(value, tuple | list | frozenset | set):
        for v in value:
            yield from _compiled(v)


def _patterns() -> dict[str, re.Pattern[str]]:
    """The rules' regexes and every module-level compiled pattern in drafter.lint."""
    found: dict[str, re.Pattern[str]] = {}
    for rule in load_rules().values():
        if isinstance(rule.spec, RegexSpec):
            for i, c in enumerate(rule.spec.compiled):
                found[f"{rule.id}[{i}]"] = c.rx
    for info in pkgutil.walk_packages(drafter.lint.__path__, "drafter.lint."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            for i, rx in enumerate(_compiled(value)):
                found.setdefault(f"{info.name}.{name}[{i}]", rx)
    return found


def _seconds(rx: re.Pattern[str], text: str) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _m in rx.finditer(text):
            pass
        best = min(best, time.perf_counter() - start)
    return best


def test_the_collection_sees_rule_and_module_patterns() -> None:
    names = _patterns()
    assert "personalisation.reader-in-third-person[0]" in names
    assert any(name.startswith("drafter.lint.signals.") for name in names)
    assert len(names) > 100


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_pattern_is_linear_on(shape: str) -> None:
    make = SHAPES[shape]
    small, large = make(SMALL), make(SMALL * GROWTH)
    slow = []
    for name, rx in _patterns().items():
        t_large = _seconds(rx, large)
        if t_large < NOISE_FLOOR:
            continue
        t_small = _seconds(rx, small)
        if t_large / max(t_small, 1e-6) > BOUND:
            slow.append(f"{name}: {t_small * 1000:.1f} ms -> {t_large * 1000:.1f} ms")
    assert not slow, "quadratic on " + shape + ": " + "; ".join(slow)
