"""`drafter.toml` or `[tool.drafter]` in pyproject.toml, found upward from a folder or given."""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drafter.core.errors import DrafterError

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
    # The relationship history (drafter.history): its file, and when follow-ups and reconnects
    # fall due. follow_up_days maps "default" and platform names to days.
    history: Path | None = None
    follow_up_days: dict[str, int] = field(default_factory=lambda: {"default": 10})
    reconnect_months: int = 6


def default_me() -> Path:
    """The sender profile when none is given: `me.yaml` in drafter's config folder
    ($XDG_CONFIG_HOME/drafter, else ~/.config/drafter, on Linux)."""
    from platformdirs import user_config_path

    return user_config_path("drafter", appauthor=False) / "me.yaml"


def _home() -> Path | None:
    try:
        return Path.home().resolve()
    except (RuntimeError, KeyError, OSError):  # no HOME and no passwd entry
        return None


def find_config(start: Path) -> tuple[Path, Mapping[str, Any]] | None:
    """The nearest config, looking no further than the project's root (the first folder with
    `.git`, `pyproject.toml` or `drafter.toml`) and never above the home folder: a stray
    `drafter.toml` in a shared parent folder must not change anyone's results."""
    start = start.resolve()
    home = _home()
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
        if (folder / ".git").exists() or folder == home:
            return None
    return None


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_mtime_ns, found.st_size


def discovery_stamp(start: Path) -> tuple[Any, ...]:
    """What `find_config(start)` depends on, from a few stats: equal stamps, same config.

    A long-running process (the language server) compares stamps instead of re-reading TOML,
    so a config created nearer a draft, edited or deleted is noticed on the next check.
    """
    start = start.resolve()
    home = _home()
    stamp: list[Any] = []
    for folder in (start, *start.parents):
        toml, pyproject = _stat(folder / "drafter.toml"), _stat(folder / "pyproject.toml")
        git = (folder / ".git").exists()
        stamp.append((toml, pyproject, git))
        if toml or pyproject or git or folder == home:
            break
    return tuple(stamp)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise DrafterError(f"{path}: invalid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DrafterError(f"{path}: cannot read: {exc}") from None


def load_config(explicit: Path | None = None, start: Path | None = None) -> Config:
    if explicit is not None:
        if not explicit.is_file():
            raise DrafterError(f"{explicit}: config file not found")
        data: Mapping[str, Any] = _read_toml(explicit)
        if explicit.name == "pyproject.toml":
            data = data.get("tool", {}).get("drafter", {})
        return parse_config(data, explicit)
    found = find_config(start or Path.cwd())
    if found is None:
        return Config()
    return parse_config(found[1], found[0])


_KNOWN = {"me", "roster", "templates", "rules", "free_account", "disable", "accept", "rule", "nlp"}
_KNOWN |= {"history", "due"}  # drafter.history


def _paths(where: str, key: str, value: Any, base: Path) -> tuple[Path, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DrafterError(f"{where}: '{key}' must be a path or a list of paths")
    return tuple((base / v).resolve() for v in value)


def _strings(where: str, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DrafterError(f"{where}: '{key}' must be a list of strings")
    return tuple(value)


def parse_config(data: Mapping[str, Any], path: Path) -> Config:
    where = str(path)
    unknown = set(data) - _KNOWN
    if unknown:
        name = sorted(unknown)[0]
        close = difflib.get_close_matches(name, sorted(_KNOWN), n=1, cutoff=0.75)
        hint = f"; did you mean {close[0]}?" if close else ""
        raise DrafterError(f"{where}: unknown setting '{name}'{hint}")
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
        **_history_settings(data, where, base),
    )


def _history_settings(data: Mapping[str, Any], where: str, base: Path) -> dict[str, Any]:
    """`history = "path"` and `[due] follow_up_days = 10 | {default = 10, email = 7}`,
    `reconnect_months = 6`."""
    out: dict[str, Any] = {}
    if "history" in data:
        value = data["history"]
        if not isinstance(value, str) or not value:
            raise DrafterError(f"{where}: 'history' must be the path of the history file")
        out["history"] = (base / Path(value).expanduser()).resolve()
    due = data.get("due", {})
    if not isinstance(due, Mapping):
        raise DrafterError(f"{where}: [due] must be a table")
    unknown = set(due) - {"follow_up_days", "reconnect_months"}
    if unknown:
        raise DrafterError(f"{where}: [due]: unknown setting '{sorted(unknown)[0]}'")

    def days(key: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise DrafterError(f"{where}: due.{key} must be a whole number of at least 1")
        return value

    wait = due.get("follow_up_days", 10)
    if isinstance(wait, Mapping):
        out["follow_up_days"] = {"default": 10} | {
            str(k): days(f"follow_up_days.{k}", v) for k, v in wait.items()
        }
    else:
        out["follow_up_days"] = {"default": days("follow_up_days", wait)}
    out["reconnect_months"] = days("reconnect_months", due.get("reconnect_months", 6))
    return out
