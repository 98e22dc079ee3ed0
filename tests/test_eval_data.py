"""The eval set's placeholder labels, and the loaders in bench/corpus.py (format errors, the LETR corpus).

Size, balance and limits of all three labelled sets: test_labelled_sets.py."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from bench_loader import load_bench

HERE = Path(__file__).resolve().parent
EVAL_DIR = HERE / "data" / "eval"
CORPUS_PY = HERE.parent / "bench" / "corpus.py"


corpus = load_bench("corpus")

# Anything that looks like an unfilled template field or filler text.
PLACEHOLDER_LIKE = re.compile(
    r"\{\{.*?\}\}"  # {{first_name}}, {{ contact.name }}
    r"|\{[A-Za-z_][\w.]*\}"  # {company}
    r"|\$\{\w+\}"  # ${name}
    r"|\[[^\]\n]{1,60}\]"  # [Name], [TOPIC]
    r"|<[A-Z][A-Za-z _]*>"  # <Company>
    r"|%[A-Z_]+%"  # %FIRSTNAME%
    r"|\*\|[A-Z_]+\|\*"  # *|FNAME|*
    r"|INSERT [A-Z ]+ HERE"
    r"|\bXXX\b"
    r"|(?i:lorem ipsum)"
    r"|\b(?:NAME|FIRST_?NAME|USERNAME|COMPANY)\b"
)


@pytest.fixture(scope="module")
def items() -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = corpus.load_eval_set(EVAL_DIR)
    return loaded


def _good(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [it for it in items if it["label"] == "good"]


def test_good_items_have_no_placeholders(items: list[dict[str, Any]]) -> None:
    # Tricky good items may show braces inside code spans or quote "lorem ipsum" as a topic;
    # they say so in their id.
    for it in _good(items):
        if "tricky" in it["id"]:
            continue
        found = PLACEHOLDER_LIKE.search(it["text"] + "\n" + (it["subject"] or ""))
        assert found is None, f"{it['id']}: {found.group(0) if found else ''}"


def test_bad_placeholder_items_contain_a_placeholder(items: list[dict[str, Any]]) -> None:
    for it in items:
        if "placeholder" in it["categories"]:
            text = it["text"] + "\n" + (it["subject"] or "")
            assert PLACEHOLDER_LIKE.search(text), it["id"]


def _write(folder: Path, name: str, body: str) -> None:
    (folder / name).write_text(body, encoding="utf-8")


ITEM = """
- id: {id}
  label: {label}
  categories: {categories}
  platform: {platform}
  stage: {stage}
  text: hello
"""


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"label": "meh"}, "label"),
        ({"categories": "[spam]"}, "categories"),
        ({"platform": "myspace"}, "platform"),
        ({"stage": "pitch"}, "stage"),
        ({"label": "good", "categories": "[pitch]"}, "good item"),
        ({"categories": "[]"}, "bad item"),
    ],
)
def test_loader_rejects_bad_items(tmp_path: Path, fields: dict[str, str], message: str) -> None:
    values = {
        "id": "x-1",
        "label": "bad",
        "categories": "[pitch]",
        "platform": "email",
        "stage": "connect",
    } | fields
    _write(tmp_path, "a.yaml", ITEM.format(**values))
    with pytest.raises(ValueError, match=message) as err:
        corpus.load_eval_set(tmp_path)
    assert "a.yaml" in str(err.value) and "x-1" in str(err.value)


def test_loader_rejects_duplicate_ids_across_files(tmp_path: Path) -> None:
    values = {"id": "dup", "label": "good", "categories": "[]", "platform": "x", "stage": "thanks"}
    _write(tmp_path, "a.yaml", ITEM.format(**values))
    _write(tmp_path, "b.yaml", ITEM.format(**values))
    with pytest.raises(ValueError, match="duplicate id") as err:
        corpus.load_eval_set(tmp_path)
    assert "b.yaml" in str(err.value) and "dup" in str(err.value)


def test_letr_corpus_missing_file_is_empty(tmp_path: Path) -> None:
    assert corpus.load_letr_corpus(tmp_path / "nope.csv") == []


def test_letr_corpus_fields(tmp_path: Path) -> None:
    path = tmp_path / "tiny.csv"
    path.write_text(
        "EMAIL_CONTENT,SUBJECT_LINE,GOAL,PLATFORM_CONTEXT\n"
        '"Hi [Name], loved your talk.",Hello,advice,email\n'
        '"Our tool saves hours.",Save [X] hours,other,linkedin\n'
        '"Hi Ana, thanks!",Thanks,coffee_chat,email\n',
        encoding="utf-8",
    )
    rows = corpus.load_letr_corpus(path)
    assert [r["has_placeholder"] for r in rows] == [True, True, False]
    assert [r["is_pitch"] for r in rows] == [False, True, False]
    assert rows[1]["platform_context"] == "linkedin"
    assert rows[0]["subject"] == "Hello" and rows[0]["goal"] == "advice"
