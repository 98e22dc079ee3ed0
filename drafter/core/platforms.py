"""Platform specs (limits, character counting, greeting and subject conventions), loaded from data.

Built-in platforms are `platforms/<name>.yaml`; a user's template folder may carry
`<platform>/platform.yaml` to add a platform or override single keys of a built-in one.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drafter.core.errors import DrafterError
from drafter.core.files import load_yaml, read_text
from drafter.core.resources import builtin_dir
from drafter.core.textfacts import URL


def _stages() -> tuple[str, ...]:
    path = builtin_dir("platforms") / "_stages.yaml"
    data = load_yaml(read_text(path), str(path))
    if not isinstance(data, dict) or not isinstance(data.get("stages"), list):
        raise DrafterError(f"{path}: expected 'stages', a list of names")
    return tuple(str(s) for s in data["stages"])


STAGES = _stages()  # platforms/_stages.yaml
# Words people type for a stage; `follow-up`, `Follow Up` and `followup` all mean follow_up.
STAGE_ALIASES = {
    "followup": "follow_up",
    "thank_you": "thanks",
    "thankyou": "thanks",
    "introduction": "intro",
    "introduce": "intro",
}


def canonical_stage(name: str) -> str:
    """The stage a user means; an unknown name comes back normalised, for the caller to report."""
    key = re.sub(r"[\s_-]+", "_", name.strip().lower())
    return STAGE_ALIASES.get(key, key)


def canonical_platform(name: str, platforms: Mapping[str, Platform]) -> str:
    """`LinkedIn` -> linkedin, `twitter` -> x (each platform's `aliases`); unknown names unchanged."""
    key = name.strip().lower()
    if key in platforms:
        return key
    for platform in platforms.values():
        if key in platform.aliases or key == platform.label.lower():
            return platform.name
    return name


@dataclass(frozen=True)
class Channel:
    """Where on a platform a message goes (a LinkedIn note, an InMail, an X reply)."""

    name: str
    limit: int | None = None
    free_account_limit: int | None = None
    subject: bool = False
    subject_limit: int | None = None
    greeting: bool = True
    hashtags: bool = False
    links: bool = True
    source: str | None = None

    def body_limit(self, free_account: bool) -> int | None:
        if free_account and self.free_account_limit is not None:
            return self.free_account_limit
        return self.limit


@dataclass(frozen=True)
class StageSpec:
    """Template metadata for one stage: what it is for and which facts it cannot do without."""

    description: str = ""
    channel: str | None = None
    requires: tuple[str, ...] = ()
    requires_any: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Platform:
    name: str
    label: str
    counting: str = "chars"
    default_channel: str = "message"
    channels: dict[str, Channel] = field(default_factory=dict)
    stages: dict[str, StageSpec] = field(default_factory=dict)
    source: str = ""
    aliases: tuple[str, ...] = ()  # other names users type for it: `twitter` for x
    # stages this platform deliberately has no template for, with the reason why
    not_applicable: dict[str, str] = field(default_factory=dict)

    def channel(self, stage: str | None) -> Channel:
        name = self.default_channel
        if stage and stage in self.stages and self.stages[stage].channel:
            name = self.stages[stage].channel or name
        return self.channels.get(name) or Channel(name=name)

    def count(self, text: str) -> int:
        return count_chars(text, self.counting)


# X counts most Latin, punctuation and general symbols as 1 and everything else (CJK, emoji) as 2;
# a link (textfacts.URL) counts as 23 whatever its length, and an emoji sequence (skin tone, ZWJ family, flag,
# keycap) counts 2 as a whole (developer.x.com, "Counting characters"; twitter-text config v3).
_X_LIGHT = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
_EMOJI_SEQ = re.compile(
    "[\U0001f1e6-\U0001f1ff]{2}"
    "|.(?:[\ufe0e\ufe0f\u20e3\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]+(?:\u200d.[\ufe0f\U0001f3fb-\U0001f3ff]*)*"
    "|(?:\u200d.[\ufe0f\U0001f3fb-\U0001f3ff]*)+)",
    re.S,
)


def _x_weight(ch: str) -> int:
    code = ord(ch)
    return 1 if any(lo <= code <= hi for lo, hi in _X_LIGHT) else 2


def _x_text_weight(text: str) -> int:
    """Weight of text without URLs: an emoji sequence is one unit of 2, like X's own counter."""
    total = 0
    pos = 0
    for match in _EMOJI_SEQ.finditer(text):
        total += sum(_x_weight(c) for c in text[pos : match.start()]) + 2
        pos = match.end()
    return total + sum(_x_weight(c) for c in text[pos:])


def count_chars(text: str, method: str = "chars") -> int:
    text = unicodedata.normalize("NFC", text.strip())
    if method == "chars":
        return len(text)
    if method == "x-weighted":
        total = 0
        pos = 0
        for match in URL.finditer(text):
            total += _x_text_weight(text[pos : match.start()]) + 23
            pos = match.end()
        return total + _x_text_weight(text[pos:])
    raise DrafterError(f"unknown character counting '{method}' (use chars or x-weighted)")


def deep_merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def _int(where: str, key: str, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise DrafterError(f"{where}: '{key}' must be a positive whole number")
    return value


def _typed(where: str, key: str, value: Any, kind: type, default: Any) -> Any:
    """A platform.yaml value of the expected type, or the default when absent."""
    if value is None:
        return default
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        names = {str: "text", bool: "true or false"}
        raise DrafterError(f"{where}: '{key}' must be {names.get(kind, kind.__name__)}")
    return value


def _names_list(where: str, key: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DrafterError(f"{where}: '{key}' must be a list of field names")
    return tuple(value)


def platform_from_mapping(name: str, data: Mapping[str, Any], where: str) -> Platform:
    channels: dict[str, Channel] = {}
    raw_channels = data.get("channels") or {}
    if not isinstance(raw_channels, Mapping):
        raise DrafterError(f"{where}: 'channels' must be a mapping")
    for cname, spec in raw_channels.items():
        if not isinstance(spec, Mapping):
            raise DrafterError(f"{where}: channel '{cname}' must be a mapping")
        unknown = set(spec) - {f for f in Channel.__dataclass_fields__ if f != "name"}
        if unknown:
            raise DrafterError(f"{where}: channel '{cname}': unknown key '{sorted(unknown)[0]}'")
        channels[cname] = Channel(
            name=cname,
            limit=_int(where, f"channels.{cname}.limit", spec.get("limit")),
            free_account_limit=_int(
                where, f"channels.{cname}.free_account_limit", spec.get("free_account_limit")
            ),
            subject=_typed(where, f"channels.{cname}.subject", spec.get("subject"), bool, False),
            subject_limit=_int(where, f"channels.{cname}.subject_limit", spec.get("subject_limit")),
            greeting=_typed(where, f"channels.{cname}.greeting", spec.get("greeting"), bool, True),
            hashtags=_typed(where, f"channels.{cname}.hashtags", spec.get("hashtags"), bool, False),
            links=_typed(where, f"channels.{cname}.links", spec.get("links"), bool, True),
            source=_typed(where, f"channels.{cname}.source", spec.get("source"), str, None),
        )
    stages: dict[str, StageSpec] = {}
    raw_stages = data.get("stages") or {}
    if not isinstance(raw_stages, Mapping):
        raise DrafterError(f"{where}: 'stages' must be a mapping")
    for sname, spec in raw_stages.items():
        spec = spec or {}
        if not isinstance(spec, Mapping):
            raise DrafterError(f"{where}: stage '{sname}' must be a mapping")
        channel = _typed(where, f"stages.{sname}.channel", spec.get("channel"), str, None)
        if channel is not None and channel not in channels:
            raise DrafterError(f"{where}: stage '{sname}' uses unknown channel '{channel}'")
        requires_any = spec.get("requires_any") or []
        if not isinstance(requires_any, list):
            raise DrafterError(f"{where}: stages.{sname}.requires_any must be a list of lists")
        stages[sname] = StageSpec(
            description=_typed(
                where, f"stages.{sname}.description", spec.get("description"), str, ""
            ),
            channel=channel,
            requires=_names_list(where, f"stages.{sname}.requires", spec.get("requires")),
            requires_any=tuple(
                _names_list(where, f"stages.{sname}.requires_any", group) for group in requires_any
            ),
        )
    raw_na = data.get("not_applicable") or {}
    if not isinstance(raw_na, Mapping):
        raise DrafterError(f"{where}: 'not_applicable' must be a mapping of stage to reason")
    not_applicable: dict[str, str] = {}
    for sname, reason in raw_na.items():
        if sname not in STAGES:
            raise DrafterError(f"{where}: not_applicable: unknown stage '{sname}'")
        if not isinstance(reason, str) or not reason.strip():
            raise DrafterError(f"{where}: not_applicable.{sname}: give the reason as text")
        if sname in stages:
            raise DrafterError(f"{where}: stage '{sname}' is both a stage and not_applicable")
        not_applicable[str(sname)] = reason.strip()
    label = _typed(where, "label", data.get("label"), str, name)
    counting = str(data.get("counting", "chars"))
    if counting not in ("chars", "x-weighted"):
        raise DrafterError(f"{where}: 'counting' must be chars or x-weighted")
    default_channel = str(data.get("default_channel", next(iter(channels), "message")))
    if channels and default_channel not in channels:
        raise DrafterError(f"{where}: default_channel '{default_channel}' is not a channel")
    aliases = data.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise DrafterError(f"{where}: 'aliases' must be a list of names, e.g. [twitter]")
    return Platform(
        aliases=tuple(a.strip().lower() for a in aliases),
        name=name,
        label=label,
        counting=counting,
        default_channel=default_channel,
        channels=channels,
        stages=stages,
        source=where,
        not_applicable=not_applicable,
    )


_PARSED: dict[tuple[str, int, int], Mapping[str, Any]] = {}


def _spec_mapping(path: Path) -> Mapping[str, Any]:
    # A long-lived process (`drafter server`, the language server) loads the specs for every
    # request: parse each file once per version of it (a copy each time, callers may merge).
    try:
        st = path.stat()
        stamp: tuple[str, int, int] | None = (str(path), st.st_mtime_ns, st.st_size)
    except OSError:
        stamp = None
    if stamp is not None and stamp in _PARSED:
        return copy.deepcopy(_PARSED[stamp])
    data = load_yaml(read_text(path), str(path)) or {}
    if not isinstance(data, Mapping):
        raise DrafterError(f"{path}: expected a mapping")
    if stamp is not None:
        _PARSED[stamp] = copy.deepcopy(data)
    return data


def load_platforms(template_folders: Sequence[Path] = ()) -> dict[str, Platform]:
    """Built-in specs, each merged with `<folder>/<platform>/platform.yaml` from user folders."""
    raw: dict[str, dict[str, Any]] = {}
    sources: dict[str, str] = {}
    for spec_file in sorted(builtin_dir("platforms").glob("[!_]*.yaml")):
        raw[spec_file.stem] = dict(_spec_mapping(spec_file))
        sources[spec_file.stem] = str(spec_file)
    for folder in template_folders:
        for spec_file in sorted(folder.glob("*/platform.yaml")):
            name = spec_file.parent.name
            raw[name] = deep_merge(raw.get(name, {}), _spec_mapping(spec_file))
            sources[name] = str(spec_file)
    return {name: platform_from_mapping(name, data, sources[name]) for name, data in raw.items()}
