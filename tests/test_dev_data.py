"""The dev evaluation set in tests/data/dev is well formed and covers what it promises.

The set was written blind to drafter's rules (see tests/data/dev/README.md). Unlike the held-out
set it may be used to tune rules. This test only checks the data; it never runs the linter.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
DEV_DIR = HERE / "data" / "dev"
CORPUS_PY = HERE.parent / "bench" / "corpus.py"

ALL_PLATFORMS = {
    "linkedin",
    "x",
    "facebook",
    "slack",
    "github",
    "quora",
    "behance",
    "email",
    "letter",
}
ALL_STAGES = {"connect", "thanks", "question", "value", "follow_up", "reconnect", "intro"}
ALL_CATEGORIES = {
    "placeholder",
    "generic",
    "personalisation",
    "pitch",
    "platform",
    "readability",
    "followup",
}
GREETED_PLATFORMS = {"linkedin", "email", "slack", "facebook", "letter"}
URL = re.compile(r"https?://\S+")
WORD = re.compile(r"[\w'’-]+")
X_URL_WEIGHT = 23


def _load_corpus_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_corpus", CORPUS_PY)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_corpus", module)
    spec.loader.exec_module(module)
    return module


corpus = _load_corpus_module()


@pytest.fixture(scope="module")
def items() -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = corpus.load_eval_set(DEV_DIR)
    return loaded


def _good(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [it for it in items if it["label"] == "good"]


def _x_length(text: str) -> int:
    return len(URL.sub("x" * X_URL_WEIGHT, text.strip()))


def test_size_and_balance(items: list[dict[str, Any]]) -> None:
    labels = Counter(it["label"] for it in items)
    assert len(items) >= 140
    assert labels["good"] >= 75
    per_category = Counter(c for it in items for c in it["categories"])
    for category in sorted(ALL_CATEGORIES):
        assert per_category[category] >= 10, f"only {per_category[category]} bad {category} items"


def test_tricky_good_items(items: list[dict[str, Any]]) -> None:
    tricky = [it for it in _good(items) if "tricky" in it["id"]]
    assert len(tricky) >= 20


def test_ids_unique_and_prefixed(items: list[dict[str, Any]]) -> None:
    ids = Counter(it["id"] for it in items)
    assert [i for i, n in ids.items() if n > 1] == []
    assert all(i.startswith("dev-") for i in ids)


def test_good_items_cover_every_platform_and_stage(items: list[dict[str, Any]]) -> None:
    good = _good(items)
    assert {it["platform"] for it in good} == ALL_PLATFORMS
    assert {it["stage"] for it in good} == ALL_STAGES


def test_labels_and_categories_consistent(items: list[dict[str, Any]]) -> None:
    for it in items:
        if it["label"] == "good":
            assert it["categories"] == [], it["id"]
        else:
            assert it["categories"], it["id"]
            assert set(it["categories"]) <= ALL_CATEGORIES, it["id"]


def test_good_linkedin_notes_within_limit(items: list[dict[str, Any]]) -> None:
    for it in _good(items):
        if it["platform"] == "linkedin" and it["stage"] == "connect":
            limit = 200 if it["free_account"] else 300
            assert len(it["text"].strip()) <= limit, it["id"]
            assert not URL.search(it["text"]), f"{it['id']}: link in a connection note"


def test_good_x_within_limit(items: list[dict[str, Any]]) -> None:
    for it in _good(items):
        if it["platform"] == "x":
            assert _x_length(it["text"]) <= 280, it["id"]


def test_good_emails_have_short_subject_and_body(items: list[dict[str, Any]]) -> None:
    for it in _good(items):
        if it["platform"] == "email":
            subject = it["subject"]
            assert subject, f"{it['id']}: email without subject"
            assert 3 <= len(subject.split()) <= 7, it["id"]
            words = len(WORD.findall(it["text"]))
            assert 50 <= words <= 150, f"{it['id']}: {words} words"


def test_good_items_greet_their_contact_by_name(items: list[dict[str, Any]]) -> None:
    for it in _good(items):
        contact = it["contact"]
        if contact and it["platform"] in GREETED_PLATFORMS:
            names = contact["name"].split()
            if contact.get("first_name"):
                names.append(contact["first_name"])
            head = it["text"].strip().splitlines()[0]
            assert any(name in head for name in names), it["id"]


def test_bad_platform_items_break_a_limit_or_convention(items: list[dict[str, Any]]) -> None:
    for it in items:
        if "platform" not in it["categories"]:
            continue
        text = it["text"].strip()
        if it["platform"] == "linkedin" and it["stage"] == "connect":
            limit = 200 if it["free_account"] else 300
            broken = len(text) > limit or bool(re.search(r"https?://|#\w|@\w", text))
        elif it["platform"] == "x":
            broken = _x_length(text) > 280
        elif it["platform"] == "email":
            subject = it["subject"] or ""
            broken = len(subject) > 78 or bool(re.search(r"(?<![\w.])[#@]\w", text))
        else:
            broken = True
        assert broken, it["id"]
