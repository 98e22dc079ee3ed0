"""`drafter.toml` or `[tool.drafter]` in pyproject.toml, found upward from a folder or given."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drafter.core.errors import DrafterError
from drafter.core.files import parse_failure

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class RuleSettings:
    """A user's change to one rule: on/off, severity, or a threshold parameter."""

    enabled: bool | None = None
    severity: str | None = None
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    me: Path | None = None
    roster: Path | None = None
    templates: tuple[Path, ...] = ()
    rules_folders: tuple[Path, ...] = ()
    free_account: bool = False
    disable: tuple[str, ...] = ()
    accept: tuple[str, ...] = ()
    rules: dict[str, RuleSettings] = field(default_factory=dict)
    model: str | None = None


def default_me() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "drafter" / "me.yaml"


def find_config(start: Path) -> tuple[Path, Mapping[str, Any]] | None:
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / "drafter.toml"
        if candidate.is_file():
            return candidate, _read_toml(candidate)
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            tool = _read_toml(pyproject).get("tool", {})
            if isinstance(tool, Mapping) and isinstance(tool.get("drafter"), Mapping):
                return pyproject, tool["drafter"]
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise DrafterError(f"{path}: invalid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DrafterError(f"{path}: cannot read: {exc}") from None
    except (ValueError, RecursionError) as exc:
        raise (parse_failure(exc, str(path)) or DrafterError(f"{path}: {exc}")) from None


def load_config(explicit: Path | None = None, start: Path | None = None) -> Config:
    if explicit is not None:
        if not explicit.is_file():
            raise DrafterError(f"{explicit}: config file not found")
        data: Mapping[str, Any] = _read_toml(explicit)
        if explicit.name == "pyproject.toml":
            tool = data.get("tool", {})
            data = tool.get("drafter", {}) if isinstance(tool, Mapping) else {}
            if not isinstance(data, Mapping):
                raise DrafterError(f"{explicit}: [tool.drafter] must be a table")
        return parse_config(data, explicit)
    found = find_config(start or Path.cwd())
    if found is None:
        return Config()
    return parse_config(found[1], found[0])


_KNOWN = {"me", "roster", "templates", "rules", "free_account", "disable", "accept", "rule", "nlp"}


def _paths(where: str, key: str, value: Any, base: Path) -> tuple[Path, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DrafterError(f"{where}: '{key}' must be a path or a list of paths")
    if any("\x00" in v for v in value):
        raise DrafterError(f"{where}: '{key}' holds a NUL character, which no path can")
    return tuple((base / v).resolve() for v in value)


def _strings(where: str, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DrafterError(f"{where}: '{key}' must be a list of strings")
    return tuple(value)


def parse_config(data: Mapping[str, Any], path: Path) -> Config:
    where = str(path)
    unknown = set(data) - _KNOWN
    if unknown:
        raise DrafterError(f"{where}: unknown setting '{sorted(unknown)[0]}'")
    base = path.parent
    rules: dict[str, RuleSettings] = {}
    raw_rules = data.get("rule", {})
    if not isinstance(raw_rules, Mapping):
        raise DrafterError(f"{where}: [rule.<id>] tables expected")
    for rule_id, settings in raw_rules.items():
        if not isinstance(settings, Mapping):
            raise DrafterError(f'{where}: [rule."{rule_id}"] must be a table')
        severity = settings.get("severity")
        if severity is not None and severity not in SEVERITIES:
            raise DrafterError(
                f"{where}: rule '{rule_id}': severity must be one of {', '.join(SEVERITIES)}"
            )
        enabled = settings.get("enabled")
        if enabled is not None and not isinstance(enabled, bool):
            raise DrafterError(f"{where}: rule '{rule_id}': enabled must be true or false")
        params = {k: v for k, v in settings.items() if k not in ("severity", "enabled")}
        rules[str(rule_id)] = RuleSettings(enabled=enabled, severity=severity, params=params)
    nlp = data.get("nlp", {})
    if not isinstance(nlp, Mapping):
        raise DrafterError(f"{where}: [nlp] must be a table")
    model = nlp.get("model")
    if model is not None and not isinstance(model, str):
        raise DrafterError(f"{where}: nlp.model must be the name of an installed spaCy pipeline")
    free = data.get("free_account", False)
    if not isinstance(free, bool):
        raise DrafterError(f"{where}: free_account must be true or false")
    return Config(
        path=path,
        me=_paths(where, "me", data["me"], base)[0] if "me" in data else None,
        roster=_paths(where, "roster", data["roster"], base)[0] if "roster" in data else None,
        templates=_paths(where, "templates", data.get("templates", []), base),
        rules_folders=_paths(where, "rules", data.get("rules", []), base),
        free_account=free,
        disable=_strings(where, "disable", data.get("disable", [])),
        accept=_strings(where, "accept", data.get("accept", [])),
        rules=rules,
        model=model,
    )
