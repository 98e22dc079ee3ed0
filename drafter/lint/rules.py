"""Rule files (YAML in rules/ and the user's folders) validated into Rule records.

A rule is data: an id, a category, a severity, a message and a why, a scope, examples, and one of
five kinds (phrase, pattern, regex, metric, check) whose engine piece does the matching.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from drafter.core.config import SEVERITIES, Config
from drafter.core.errors import DrafterError
from drafter.core.files import load_yaml, read_text
from drafter.core.platforms import STAGES
from drafter.core.resources import builtin_dir

CATEGORIES = (
    "placeholder",
    "generic",
    "personalisation",
    "pitch",
    "platform",
    "readability",
    "followup",
)
KINDS = ("phrase", "pattern", "regex", "metric", "check")
FIXES = ("delete-sentence", "delete", "replace")
_COMMON = {
    "id",
    "category",
    "severity",
    "kind",
    "message",
    "why",
    "suggest",
    "scope",
    "examples",
    "applies_to",
    "fix",
    "source",
}
_KIND_KEYS: dict[str, set[str]] = {
    "phrase": {"phrases", "match"},
    "pattern": {"patterns"},
    "regex": {"regex", "ignore_case", "group"},
    "metric": {"metric", "max", "min", "min_words"},
    "check": {"check", "params"},
}


@dataclass(frozen=True)
class Example:
    text: str
    platform: str | None = None
    stage: str | None = None
    subject: str | None = None
    contact: Mapping[str, Any] | None = None
    free_account: bool = False


@dataclass(frozen=True)
class Scope:
    platforms: frozenset[str] | None = None
    stages: frozenset[str] | None = None
    except_platforms: frozenset[str] = frozenset()
    except_stages: frozenset[str] = frozenset()

    def admits(self, platform: str | None, stage: str | None) -> bool:
        if self.platforms is not None and platform not in self.platforms:
            return False
        if self.stages is not None and stage not in self.stages:
            return False
        return platform not in self.except_platforms and stage not in self.except_stages

    def describe(self) -> str:
        parts = []
        if self.platforms is not None:
            parts.append("platforms " + ",".join(sorted(self.platforms)))
        if self.stages is not None:
            parts.append("stages " + ",".join(sorted(self.stages)))
        if self.except_platforms:
            parts.append("not " + ",".join(sorted(self.except_platforms)))
        if self.except_stages:
            parts.append("not " + ",".join(sorted(self.except_stages)))
        return "; ".join(parts) or "all"


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    severity: str
    kind: str
    message: str
    why: str
    suggest: tuple[str, ...] = ()
    scope: Scope = field(default_factory=Scope)
    applies_to: frozenset[str] = frozenset({"body", "subject"})
    fix: str | None = None
    bad: tuple[Example, ...] = ()
    good: tuple[Example, ...] = ()
    params: Mapping[str, Any] = field(default_factory=dict)
    source: str = ""

    def threshold(self, key: str, platform: str | None, stage: str | None) -> float | None:
        """`max: 9` or `max: {default: 9, linkedin: 10, linkedin/connect: 8, follow_up: 7}`."""
        value = self.params.get(key)
        if value is None or isinstance(value, int | float):
            return value
        for candidate in (f"{platform}/{stage}", platform, stage, "default"):
            if candidate in value:
                found = value[candidate]
                return None if found is None else float(found)
        return None


def _fail(where: str, message: str) -> DrafterError:
    return DrafterError(f"{where}: {message}")


def _str_set(
    where: str, key: str, value: Any, allowed: Sequence[str] | None = None
) -> frozenset[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(where, f"'{key}' must be a list of names")
    if allowed is not None:
        for v in value:
            if v not in allowed:
                raise _fail(where, f"'{key}': unknown '{v}' (expected one of {', '.join(allowed)})")
    return frozenset(value)


def _scope(where: str, data: Any) -> Scope:
    if data is None:
        return Scope()
    if not isinstance(data, Mapping):
        raise _fail(where, "'scope' must be a mapping")
    unknown = set(data) - {"platforms", "stages", "except_platforms", "except_stages"}
    if unknown:
        raise _fail(where, f"scope: unknown key '{sorted(unknown)[0]}'")
    return Scope(
        platforms=_str_set(where, "scope.platforms", data["platforms"])
        if "platforms" in data
        else None,
        stages=_str_set(where, "scope.stages", data["stages"], STAGES)
        if "stages" in data
        else None,
        except_platforms=_str_set(
            where, "scope.except_platforms", data.get("except_platforms", [])
        ),
        except_stages=_str_set(where, "scope.except_stages", data.get("except_stages", []), STAGES),
    )


def _examples(where: str, data: Any) -> tuple[tuple[Example, ...], tuple[Example, ...]]:
    if data is None:
        return (), ()
    if not isinstance(data, Mapping) or set(data) - {"bad", "good"}:
        raise _fail(where, "'examples' must be a mapping with 'bad' and 'good' lists")
    out: dict[str, tuple[Example, ...]] = {}
    for key in ("bad", "good"):
        items = data.get(key) or []
        if not isinstance(items, list):
            raise _fail(where, f"examples.{key} must be a list")
        parsed = []
        for item in items:
            if isinstance(item, str):
                parsed.append(Example(text=item))
            elif isinstance(item, Mapping) and isinstance(item.get("text"), str):
                unknown = set(item) - {
                    "text",
                    "platform",
                    "stage",
                    "subject",
                    "contact",
                    "free_account",
                }
                if unknown:
                    raise _fail(where, f"examples.{key}: unknown key '{sorted(unknown)[0]}'")
                parsed.append(
                    Example(
                        text=item["text"],
                        platform=item.get("platform"),
                        stage=item.get("stage"),
                        subject=item.get("subject"),
                        contact=item.get("contact"),
                        free_account=bool(item.get("free_account", False)),
                    )
                )
            else:
                raise _fail(where, f"examples.{key}: each example is text or a mapping with 'text'")
        out[key] = tuple(parsed)
    return out["bad"], out["good"]


def _check_threshold(where: str, key: str, value: Any) -> None:
    """A number, or a mapping of default / platform / stage / platform/stage to numbers."""

    def number(v: Any) -> bool:
        return v is None or (isinstance(v, int | float) and not isinstance(v, bool))

    if isinstance(value, Mapping):
        bad = [k for k, v in value.items() if not number(v)]
        if bad:
            raise _fail(where, f"'{key}.{bad[0]}' must be a number")
    elif not number(value):
        raise _fail(where, f"'{key}' must be a number or a mapping of platform/stage to numbers")


def rule_from_mapping(data: Any, where: str) -> Rule:
    if not isinstance(data, Mapping):
        raise _fail(where, "a rule must be a mapping")
    rule_id = data.get("id")
    if not isinstance(rule_id, str) or not rule_id:
        raise _fail(where, "rule without an 'id'")
    where = f"{where}: rule '{rule_id}'"
    kind = data.get("kind")
    if kind not in KINDS:
        raise _fail(where, f"'kind' must be one of {', '.join(KINDS)}")
    unknown = set(data) - _COMMON - _KIND_KEYS[kind]
    if unknown:
        raise _fail(where, f"unknown key '{sorted(unknown)[0]}' for a {kind} rule")
    category = data.get("category")
    if category not in CATEGORIES:
        raise _fail(where, f"'category' must be one of {', '.join(CATEGORIES)}")
    severity = data.get("severity", "warning")
    if severity not in SEVERITIES:
        raise _fail(where, f"'severity' must be one of {', '.join(SEVERITIES)}")
    for key in ("message", "why"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise _fail(where, f"'{key}' is required text")
    suggest = data.get("suggest") or []
    if isinstance(suggest, str):
        suggest = [suggest]
    if not isinstance(suggest, list) or not all(isinstance(s, str) for s in suggest):
        raise _fail(where, "'suggest' must be text or a list of text")
    fix = data.get("fix")
    if fix is not None and fix not in FIXES:
        raise _fail(where, f"'fix' must be one of {', '.join(FIXES)}")
    default_targets = ["body"] if kind in ("metric", "check") else ["body", "subject"]
    bad, good = _examples(where, data.get("examples"))
    params = {k: v for k, v in data.items() if k in _KIND_KEYS[kind]}
    for key in ("max", "min", "min_words"):
        if key in params:
            _check_threshold(where, key, params[key])
    return Rule(
        id=rule_id,
        category=category,
        severity=severity,
        kind=kind,
        message=" ".join(data["message"].split()),
        why=" ".join(data["why"].split()),
        suggest=tuple(suggest),
        scope=_scope(where, data.get("scope")),
        applies_to=_str_set(
            where, "applies_to", data.get("applies_to", default_targets), ("body", "subject")
        ),
        fix=fix,
        bad=bad,
        good=good,
        params=params,
        source=str(data.get("source", "")) or where.split(": rule")[0],
    )


def _rule_files(folder: Path) -> Iterable[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def load_rule_file(path: Path) -> list[Rule]:
    data = load_yaml(read_text(path), str(path))
    if isinstance(data, Mapping) and "rules" in data:
        data = data["rules"]
    items = data if isinstance(data, list) else [data]
    return [rule_from_mapping(item, str(path)) for item in items]


def load_rules(folders: Sequence[Path] = (), *, include_builtin: bool = True) -> dict[str, Rule]:
    """Built-in rules, then each user folder; a later rule with the same id replaces the earlier."""
    rules: dict[str, Rule] = {}
    origins: dict[str, Path] = {}
    roots = ([builtin_dir("rules")] if include_builtin else []) + list(folders)
    for root in roots:
        if not root.is_dir():
            raise DrafterError(f"{root}: rule folder not found")
        seen_here: dict[str, Path] = {}
        for path in _rule_files(root):
            for rule in load_rule_file(path):
                if rule.id in seen_here:
                    raise DrafterError(
                        f"{path}: rule '{rule.id}' is also defined in {seen_here[rule.id]}"
                    )
                seen_here[rule.id] = path
                rules[rule.id] = rule
                origins[rule.id] = path
    return rules


def configured_rules(config: Config) -> dict[str, Rule]:
    """The rules in force: loaded, then switched off, re-graded or re-tuned by the config."""
    rules = load_rules(config.rules_folders)
    for rule_id in [*config.disable, *config.rules]:
        if rule_id not in rules and not any(r.startswith(rule_id + ".") for r in rules):
            raise DrafterError(f"{config.path}: no rule '{rule_id}' (see `drafter rules`)")
    out: dict[str, Rule] = {}
    for rule_id, rule in rules.items():
        if _matches(rule_id, config.disable):
            continue
        settings = config.rules.get(rule_id)
        if settings is not None:
            if settings.enabled is False:
                continue
            unknown = set(settings.params) - set(_KIND_KEYS[rule.kind])
            if rule.kind == "check":
                unknown = set()  # a check's parameters live under params; allow direct keys too
            if unknown:
                raise DrafterError(
                    f"{config.path}: rule '{rule_id}': cannot set '{sorted(unknown)[0]}'"
                )
            for key in ("max", "min", "min_words"):
                if key in settings.params:
                    _check_threshold(f"{config.path}: rule '{rule_id}'", key, settings.params[key])
            _check_override_types(f"{config.path}: rule '{rule_id}'", rule, settings.params)
            params = dict(rule.params)
            if rule.kind == "check":
                params["params"] = {**(rule.params.get("params") or {}), **settings.params}
            else:
                params.update(settings.params)
            rule = replace(rule, severity=settings.severity or rule.severity, params=params)
        out[rule_id] = rule
    return out


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


def _check_override_types(where: str, rule: Rule, params: Mapping[str, Any]) -> None:
    """A config value must have the type the rule uses: a wrong one would fail mid-lint."""
    for key, value in params.items():
        if key == "group":
            if not (isinstance(value, str) or (_is_number(value) and int(value) == value >= 0)):
                raise DrafterError(f"{where}: 'group' must be a group name or a number >= 0")
            continue
        default = (rule.params.get("params") or {}).get(key, rule.params.get(key))
        numeric = key in ("ratio", "max", "min", "min_words") or key.startswith(("min_", "max_"))
        if (numeric or _is_number(default)) and not isinstance(value, Mapping):
            if not _is_number(value) or value < 0:
                raise DrafterError(f"{where}: '{key}' must be a number >= 0")
        elif isinstance(default, bool) and not isinstance(value, bool):
            raise DrafterError(f"{where}: '{key}' must be true or false")
        elif isinstance(default, list) and not (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        ):
            raise DrafterError(f"{where}: '{key}' must be a list of text")
        elif isinstance(default, str) and not isinstance(value, str):
            raise DrafterError(f"{where}: '{key}' must be text")


def _matches(rule_id: str, patterns: Sequence[str]) -> bool:
    """`generic` disables a whole category, `generic.touch-base` one rule."""
    return any(rule_id == p or rule_id.startswith(p + ".") for p in patterns)
