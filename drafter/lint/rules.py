"""Rule files (YAML in rules/ and the user's folders) validated into Rule records.

A rule is data: an id, a category, a severity, a message and a why, a scope, examples, and one of
five kinds (phrase, pattern, regex, metric, check). The common keys are validated here; the kind's
keys by that kind's one constructor (drafter/lint/kinds/), into the typed `Rule.spec`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from drafter.core.config import SEVERITIES, Config
from drafter.core.errors import DrafterError
from drafter.core.files import load_yaml, read_text
from drafter.core.lists import FOLDER as LIST_FOLDER
from drafter.core.lists import Lists, builtin_lists, load_lists
from drafter.core.platforms import STAGES
from drafter.core.resources import builtin_dir
from drafter.lint.findings import CATEGORIES as CATEGORIES  # re-exported: rule categories
from drafter.lint.kinds import KINDS as KIND_TABLE
from drafter.lint.kinds import CheckSpec, HistorySpec, Spec

KINDS = tuple(KIND_TABLE)
# Categories only history or a batch can show (one message alone never has them): the labelled
# single-message evaluation sets leave them out.
HISTORY_CATEGORIES = ("duplicate",)
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
    "within",
}
# Where in a message a rule's hits count: anywhere, or only in its opening (the first half of
# the sentences after the greeting, at least two): "hope you are doing well" opens mass mail,
# but closes a reply.
WITHIN = ("anywhere", "opening")


@dataclass(frozen=True)
class Example:
    text: str
    platform: str | None = None
    stage: str | None = None
    subject: str | None = None
    contact: Mapping[str, Any] | None = None
    free_account: bool = False
    # Pinned behaviour (textlint-tester style): the exact words the rule marks, in order, and
    # the text after applying the rule's safe fixes.
    match: tuple[str, ...] | None = None
    fixed: str | None = None
    # For history rules: events already recorded, and other drafts linted in the same batch.
    history: tuple[Mapping[str, Any], ...] = ()
    batch: tuple[str, ...] = ()


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
    spec: Spec  # built and validated by the kind's constructor (drafter.lint.kinds)
    suggest: tuple[str, ...] = ()
    scope: Scope = field(default_factory=Scope)
    applies_to: frozenset[str] = frozenset({"body", "subject"})
    fix: str | None = None
    within: str = "anywhere"
    bad: tuple[Example, ...] = ()
    good: tuple[Example, ...] = ()
    source: str = ""
    # The kind's keys as written, so config overrides are rebuilt through the same constructor.
    written: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)


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
                    "match",
                    "fixed",
                    "history",
                    "batch",
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
                        match=_pinned_match(where, key, item.get("match")),
                        fixed=_pinned_text(where, key, item.get("fixed")),
                        history=tuple(item.get("history") or ()),
                        batch=tuple(item.get("batch") or ()),
                    )
                )
            else:
                raise _fail(where, f"examples.{key}: each example is text or a mapping with 'text'")
        out[key] = tuple(parsed)
    return out["bad"], out["good"]


def _pinned_match(where: str, key: str, value: Any) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    if key != "bad" or not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(where, f"examples.{key}: 'match' is the words a bad example marks")
    return tuple(value)


def _pinned_text(where: str, key: str, value: Any) -> str | None:
    if value is None:
        return None
    if key != "bad" or not isinstance(value, str):
        raise _fail(where, f"examples.{key}: 'fixed' is a bad example's text after its fixes")
    return value


def rule_from_mapping(data: Any, where: str, lists: Lists | None = None) -> Rule:
    """One rule, validated whole: the common keys here, the kind's keys by its constructor."""
    if lists is None:
        lists = builtin_lists()
    if not isinstance(data, Mapping):
        raise _fail(where, "a rule must be a mapping")
    rule_id = data.get("id")
    if not isinstance(rule_id, str) or not rule_id:
        raise _fail(where, "rule without an 'id'")
    where = f"{where}: rule '{rule_id}'"
    kind = data.get("kind")
    if kind not in KINDS:
        raise _fail(where, f"'kind' must be one of {', '.join(KINDS)}")
    kind_keys = KIND_TABLE[kind].keys
    unknown = set(data) - _COMMON - kind_keys
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
    within = data.get("within", "anywhere")
    if within not in WITHIN:
        raise _fail(where, f"'within' must be one of {', '.join(WITHIN)}")
    default_targets = list(KIND_TABLE[kind].targets)
    bad, good = _examples(where, data.get("examples"))
    written = {k: v for k, v in data.items() if k in kind_keys}
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
        within=within,
        bad=bad,
        good=good,
        spec=KIND_TABLE[kind].build(written, where, lists),
        source=str(data.get("source", "")) or where.split(": rule")[0],
        written=written,
    )


def _rule_files(folder: Path) -> Iterable[Path]:
    """Rule files: YAML anywhere in the folder, except named lists (`lists/`) and settings
    files whose name starts with `_` (`_scoring.yaml`)."""
    return sorted(
        p
        for p in folder.rglob("*")
        if p.suffix in (".yaml", ".yml")
        and p.is_file()
        and not p.name.startswith("_")
        and p.relative_to(folder).parts[0] != LIST_FOLDER
    )


def load_rule_file(path: Path, lists: Lists | None = None) -> list[Rule]:
    data = load_yaml(read_text(path), str(path))
    if isinstance(data, Mapping) and "rules" in data:
        data = data["rules"]
    items = data if isinstance(data, list) else [data]
    return [rule_from_mapping(item, str(path), lists) for item in items]


def load_rules(
    folders: Sequence[Path] = (), *, include_builtin: bool = True, lists: Lists | None = None
) -> dict[str, Rule]:
    """Built-in rules, then each user folder; a later rule with the same id replaces the earlier.
    Named lists are the built-in ones extended by the folders' `lists/` (see core/lists.py)."""
    if lists is None:
        lists = load_lists(folders, include_builtin=True)
    rules: dict[str, Rule] = {}
    origins: dict[str, Path] = {}
    roots = ([builtin_dir("rules")] if include_builtin else []) + list(folders)
    for root in roots:
        if not root.is_dir():
            raise DrafterError(f"{root}: rule folder not found")
        seen_here: dict[str, Path] = {}
        for path in _rule_files(root):
            for rule in load_rule_file(path, lists):
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
    lists = load_lists(config.rules_folders)
    return apply_config(load_rules(config.rules_folders, lists=lists), config, lists)


def apply_config(
    rules: Mapping[str, Rule], config: Config, lists: Lists | None = None
) -> dict[str, Rule]:
    """Rules switched off, re-graded or re-tuned by the config. A tuned rule is rebuilt by its
    kind's constructor, so `max = "lots"` or a misspelled check parameter fails here as it would
    in a rule file."""
    if lists is None:
        lists = load_lists(config.rules_folders)
    for rule_id in [*config.disable, *config.rules]:
        if not names_rules(rule_id, rules):
            raise DrafterError(f"{config.path}: no rule '{rule_id}' (see `drafter rules`)")
    out: dict[str, Rule] = {}
    for rule_id, rule in rules.items():
        if _matches(rule_id, config.disable):
            continue
        settings = config.rules.get(rule_id)
        if settings is not None:
            if settings.enabled is False:
                continue
            rule = retune(rule, settings.params, f"{config.path}: rule '{rule_id}'", lists)
            rule = replace(rule, severity=settings.severity or rule.severity)
        out[rule_id] = rule
    return out


def retune(rule: Rule, settings: Mapping[str, Any], where: str, lists: Lists) -> Rule:
    """The rule with `settings` (thresholds, check parameters) applied through its constructor."""
    if not settings:
        return rule
    written = dict(rule.written)
    if isinstance(rule.spec, CheckSpec | HistorySpec):
        # A check's parameters may be set directly (`min_detail = 2`) or as a `params` table.
        direct = {k: v for k, v in settings.items() if k != "params"}
        table = settings.get("params", {})
        if not isinstance(table, Mapping):
            raise DrafterError(f"{where}: 'params' must be a table")
        unknown = sorted((set(direct) | set(table)) - set(rule.spec.tunable()))
        if unknown:
            known = ", ".join(rule.spec.tunable()) or "none"
            raise DrafterError(f"{where}: cannot set '{unknown[0]}' (known: {known})")
        written["params"] = {**(written.get("params") or {}), **table, **direct}
    else:
        keys = KIND_TABLE[rule.kind].keys
        unknown = sorted(set(settings) - keys)
        if unknown:
            raise DrafterError(
                f"{where}: cannot set '{unknown[0]}' (known: {', '.join(sorted(keys))})"
            )
        written.update(settings)
    return replace(rule, spec=KIND_TABLE[rule.kind].build(written, where, lists), written=written)


def names_rules(name: str, rules: Iterable[str]) -> bool:
    """A rule id, or a category or prefix of ids (`generic`, `generic.stock`)."""
    return any(r == name or r.startswith(name + ".") for r in rules)


def _matches(rule_id: str, patterns: Sequence[str]) -> bool:
    """`generic` disables a whole category, `generic.touch-base` one rule."""
    return any(rule_id == p or rule_id.startswith(p + ".") for p in patterns)


def rules_for(config: Config) -> tuple[dict[str, Rule], dict[str, Rule]]:
    """The rules as loaded and as the configuration applies them; reading them needs no spaCy,
    so a command can start work that needs only the rules while the linter is built."""
    lists = load_lists(config.rules_folders)
    loaded = load_rules(config.rules_folders, lists=lists)
    return loaded, apply_config(loaded, config, lists)
