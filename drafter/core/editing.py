"""Edits to a draft's text that keep everything else byte for byte: adding a rule to the front
matter's `drafter.disable` list (a comment in the body would be sent), and the smallest single
replacement between two versions of a text (what editors apply best)."""

from __future__ import annotations

import re
from typing import Any

import yaml

from drafter.core.drafts import FRONT_MATTER, parse_draft
from drafter.core.errors import DrafterError
from drafter.core.files import load_yaml


def _dump_drafter(settings: dict[str, Any]) -> str:
    return yaml.safe_dump(
        {"drafter": settings},
        default_flow_style=None,
        sort_keys=False,
        allow_unicode=True,
        width=1000,
    )


def _top_level_block(yaml_text: str, key: str) -> tuple[int, int] | None:
    """Offsets of a top-level `key:` entry with its indented continuation lines."""
    match = re.search(rf"^{re.escape(key)}[ \t]*:", yaml_text, re.M)
    if match is None:
        return None
    start = match.start()
    end = yaml_text.find("\n", start) + 1 or len(yaml_text)
    last = end
    while end < len(yaml_text):
        nl = yaml_text.find("\n", end)
        line_end = len(yaml_text) if nl < 0 else nl + 1
        line = yaml_text[end:line_end]
        if line.strip() and not line[0].isspace():
            break
        if line.strip():
            last = line_end
        end = line_end
    return start, last


def disable_rule_edit(text: str, rule_id: str) -> tuple[int, int, str] | None:
    """The edit that adds `rule_id` to `drafter: {disable: [...]}` in the front matter.

    Creates front matter when there is none; otherwise leaves every other byte of it alone,
    rewriting only the `drafter:` entry when there is one. None when it cannot be done safely
    (front matter that is not a mapping, or the rule already disabled).
    """
    match = FRONT_MATTER.match(text)
    if match is None:
        return 0, 0, "---\n" + _dump_drafter({"disable": [rule_id]}) + "---\n"
    yaml_text = match.group(1) or ""
    yaml_start = match.start(1) if match.group(1) is not None else text.index("\n") + 1
    try:
        meta = load_yaml(yaml_text, "front matter") or {}
    except DrafterError:
        return None
    if not isinstance(meta, dict):
        return None
    settings = meta.get("drafter")
    if settings is None:
        settings = {}
    if not isinstance(settings, dict):
        return None
    disable = settings.get("disable", [])
    if isinstance(disable, str):
        disable = [disable]
    if not isinstance(disable, list) or rule_id in disable:
        return None
    new_block = _dump_drafter({**settings, "disable": [*disable, rule_id]})
    if "drafter" in meta:
        block = _top_level_block(yaml_text, "drafter")
        if block is None:
            return None
        start, end = yaml_start + block[0], yaml_start + block[1]
        if not text[start:end].endswith("\n"):
            new_block = new_block.rstrip("\n")
    else:
        start = end = yaml_start + len(yaml_text)
    # Check the result reads back as intended before offering it.
    edited = text[:start] + new_block + text[end:]
    try:
        after = parse_draft(edited, "front matter")
    except DrafterError:
        return None
    others_kept = {k: v for k, v in after.meta.items() if k != "drafter"} == {
        k: v for k, v in meta.items() if k != "drafter"
    }
    if rule_id not in after.disabled or not others_kept:
        return None
    return start, end, new_block


def minimal_edit(old: str, new: str) -> tuple[int, int, str]:
    """One replacement turning `old` into `new`, without the common prefix and suffix."""
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]:
        suffix += 1
    return prefix, len(old) - suffix, new[prefix : len(new) - suffix]
