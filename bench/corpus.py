"""Loaders for the evaluation data: our hand-written labelled set and the outside LETR corpus.

`load_eval_set` reads tests/data/eval/*.yaml (see tests/data/eval/README.md for the format) and
validates every item, raising ValueError that names the file and the item id.
`load_letr_corpus` reads the public cold-email CSV in /work/shared/corpus (see its README); it is
for measuring only, and returns [] when the file is absent so benchmarks run without it.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import yaml

LABELS = frozenset({"good", "bad"})
CATEGORIES = frozenset(
    {"placeholder", "generic", "personalisation", "pitch", "platform", "readability", "followup"}
)
PLATFORMS = frozenset(
    {"linkedin", "x", "facebook", "slack", "github", "quora", "behance", "email", "letter"}
)
STAGES = frozenset({"connect", "thanks", "question", "value", "follow_up", "reconnect", "intro"})
ACTIVITY_KINDS = frozenset({"post", "talk", "project", "repo", "article", "answer"})
ITEM_KEYS = frozenset(
    {
        "id",
        "label",
        "categories",
        "platform",
        "stage",
        "subject",
        "free_account",
        "contact",
        "text",
        "note",
    }
)
REQUIRED_KEYS = ("id", "label", "platform", "stage", "text")

DEFAULT_EVAL_DIR = Path(__file__).resolve().parents[1] / "tests" / "data" / "eval"
DEFAULT_LETR_PATH = (
    Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "letr_cold_email_dataset.csv"
)

_PLACEHOLDER = re.compile(r"\[[^\]\n]{1,60}\]")
_PITCH_GOALS = frozenset({"other", "referral"})


def _check_item(item: Any, where: str, seen: dict[str, str]) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ValueError(f"{where}: each item must be a mapping, got {type(item).__name__}")
    item_id = item.get("id")
    if not isinstance(item_id, str) or not item_id.strip():
        raise ValueError(f"{where}: an item has no string id")
    at = f"{where}: item {item_id!r}"
    if item_id in seen:
        raise ValueError(f"{at}: duplicate id (first seen in {seen[item_id]})")
    for key in REQUIRED_KEYS:
        if key not in item:
            raise ValueError(f"{at}: missing field {key!r}")
    unknown = sorted(set(item) - ITEM_KEYS)
    if unknown:
        raise ValueError(f"{at}: unknown field(s) {', '.join(unknown)}")
    label = item["label"]
    if label not in LABELS:
        raise ValueError(f"{at}: label must be one of {sorted(LABELS)}, got {label!r}")
    categories = item.get("categories") or []
    if not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
        raise ValueError(f"{at}: categories must be a list of names")
    bad_cats = sorted(set(categories) - CATEGORIES)
    if bad_cats:
        raise ValueError(f"{at}: unknown categories {bad_cats}; allowed {sorted(CATEGORIES)}")
    if len(set(categories)) != len(categories):
        raise ValueError(f"{at}: repeated category")
    if label == "good" and categories:
        raise ValueError(f"{at}: a good item must have no categories")
    if label == "bad" and not categories:
        raise ValueError(f"{at}: a bad item must name at least one category")
    if item["platform"] not in PLATFORMS:
        raise ValueError(f"{at}: platform must be one of {sorted(PLATFORMS)}")
    if item["stage"] not in STAGES:
        raise ValueError(f"{at}: stage must be one of {sorted(STAGES)}")
    text = item["text"]
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"{at}: text must be a non-empty string")
    subject = item.get("subject")
    if subject is not None and not isinstance(subject, str):
        raise ValueError(f"{at}: subject must be a string or null")
    free = item.get("free_account", False)
    if not isinstance(free, bool):
        raise ValueError(f"{at}: free_account must be true or false")
    contact = item.get("contact")
    if contact is not None:
        _check_contact(contact, at)
    out = dict(item)
    out["categories"] = list(categories)
    out["subject"] = subject
    out["free_account"] = free
    out["contact"] = contact
    out["note"] = item.get("note") or ""
    out["source"] = where
    seen[item_id] = where
    return out


def _check_contact(contact: Any, at: str) -> None:
    if not isinstance(contact, dict):
        raise ValueError(f"{at}: contact must be a mapping")
    for key in ("id", "name"):
        if not isinstance(contact.get(key), str) or not contact[key].strip():
            raise ValueError(f"{at}: contact needs a string {key!r}")
    for act in contact.get("recent_activity") or []:
        if (
            not isinstance(act, dict)
            or act.get("kind") not in ACTIVITY_KINDS
            or not act.get("title")
        ):
            raise ValueError(
                f"{at}: contact recent_activity entries need kind ({sorted(ACTIVITY_KINDS)}) "
                "and title"
            )
    for key in ("common_ground", "interests", "side_projects", "tags"):
        value = contact.get(key)
        if value is not None and not isinstance(value, list):
            raise ValueError(f"{at}: contact {key} must be a list")


def load_eval_set(folder: str | Path = DEFAULT_EVAL_DIR) -> list[dict[str, Any]]:
    """Every item of every *.yaml file in `folder`, validated, in file then list order.

    Each returned dict has the item's fields with defaults filled in (categories [], subject
    None, free_account False, contact None, note "") plus `source`, the file name.
    """
    folder = Path(folder)
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise ValueError(f"{folder}: no *.yaml files")
    seen: dict[str, str] = {}
    items: list[dict[str, Any]] = []
    for path in files:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise ValueError(f"{path.name}: not valid YAML: {exc}") from exc
        if data is None:
            continue
        if not isinstance(data, list):
            raise ValueError(f"{path.name}: must be a YAML list of items")
        for item in data:
            items.append(_check_item(item, path.name, seen))
    return items


def load_letr_corpus(path: str | Path = DEFAULT_LETR_PATH) -> list[dict[str, Any]]:
    """Rows of the LETR cold-email CSV as dicts; [] if the file is not there.

    Fields: text, subject, goal, platform_context, has_placeholder (a `[...]` left in the text
    or subject), is_pitch (GOAL is `other` or `referral`, the sales-like rows).
    """
    path = Path(path)
    if not path.is_file():
        return []
    rows: list[dict[str, Any]] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            text = row.get("EMAIL_CONTENT") or ""
            subject = row.get("SUBJECT_LINE") or ""
            goal = (row.get("GOAL") or "").strip()
            rows.append(
                {
                    "text": text,
                    "subject": subject,
                    "goal": goal,
                    "platform_context": (row.get("PLATFORM_CONTEXT") or "").strip(),
                    "has_placeholder": bool(_PLACEHOLDER.search(text + subject)),
                    "is_pitch": goal in _PITCH_GOALS,
                }
            )
    return rows
