"""Named word lists (rules/lists/): rules refer to them by name, rule folders extend them."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafter.core.config import load_config
from drafter.core.drafts import Draft
from drafter.core.errors import DrafterError
from drafter.core.lists import builtin_lists, load_lists
from drafter.lint.engine import Linter
from drafter.lint.rules import configured_rules, load_rules


def _folder(tmp_path: Path, lists: str, rules: str = "") -> Path:
    folder = tmp_path / "mine"
    (folder / "lists").mkdir(parents=True)
    (folder / "lists" / "words.yaml").write_text(lists, encoding="utf-8")
    if rules:
        (folder / "house.yaml").write_text(rules, encoding="utf-8")
    (tmp_path / "drafter.toml").write_text('rules = ["mine"]\n', encoding="utf-8")
    return folder


def _rules_found(tmp_path: Path, text: str) -> list[str]:
    linter = Linter.from_config(load_config(tmp_path / "drafter.toml"))
    return [f.rule for f in linter.lint(Draft.from_body(text, platform="email")).findings]


def test_builtin_lists_hold_the_words_checks_use() -> None:
    lists = builtin_lists()
    assert "there" in lists["generic-names"]
    assert "professor" in lists["honorifics"]
    assert {"we", "our"} <= set(lists["plural-self-pronouns"])
    assert "here is" in lists["give-phrases"]


def test_a_rule_folder_extends_a_builtin_list(tmp_path: Path) -> None:
    _folder(tmp_path, "lists:\n  generic-names: [comrade]\n")
    assert "personalisation.nameless-greeting" in _rules_found(
        tmp_path, "Hi Comrade, your PyCon talk on joins fixed my bug."
    )
    assert "personalisation.nameless-greeting" in _rules_found(
        tmp_path, "Hi there, your PyCon talk on joins fixed my bug."
    )
    lists = load_lists([tmp_path / "mine"])
    assert lists["generic-names"][-1] == "comrade"
    assert len(lists["generic-names"]) == len(builtin_lists()["generic-names"]) + 1


def test_a_rule_folder_replaces_a_list(tmp_path: Path) -> None:
    _folder(tmp_path, "lists:\n  generic-names: {replace: [comrade]}\n")
    assert "personalisation.nameless-greeting" not in _rules_found(
        tmp_path, "Hi Team, your PyCon talk on joins fixed my bug."
    )


def test_user_rules_refer_to_lists_by_name(tmp_path: Path) -> None:
    _folder(
        tmp_path,
        "lists:\n  house-words: [frobnicate, wibble wobble]\n",
        "id: generic.house\ncategory: generic\nkind: phrase\n"
        "phrases: [{list: house-words}, grok]\nmessage: '{match}'\nwhy: House style.\n",
    )
    rules = load_rules([tmp_path / "mine"])
    assert "generic.house" in rules  # lists/ is not read as rules
    found = _rules_found(tmp_path, "Hi Ana, we frobnicate the wibble wobble.")
    assert found.count("generic.house") == 2


def test_an_unknown_list_is_an_error_naming_the_rule(tmp_path: Path) -> None:
    _folder(
        tmp_path,
        "lists:\n  house-words: [leverage]\n",
        "id: generic.house\ncategory: generic\nkind: phrase\n"
        "phrases: [{list: house-word}]\nmessage: m\nwhy: w\n",
    )
    with pytest.raises(
        DrafterError, match=r"house\.yaml: rule 'generic\.house'.*no list 'house-word'"
    ):
        configured_rules(load_config(tmp_path / "drafter.toml"))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("generic-names: [x]\n", "a list file holds one mapping, 'lists'"),
        ("lists:\n  generic-names: [1]\n", "list 'generic-names' must be a list of words"),
        ("lists:\n  generic-names: {add: [x]}\n", "only 'replace' may be given"),
    ],
)
def test_bad_list_files_are_one_clear_error(tmp_path: Path, content: str, message: str) -> None:
    _folder(tmp_path, content)
    with pytest.raises(DrafterError, match=message):
        load_lists([tmp_path / "mine"])


def test_config_may_extend_a_check_parameter_with_a_list(tmp_path: Path) -> None:
    (tmp_path / "drafter.toml").write_text(
        '[rule."personalisation.nameless-greeting"]\n'
        'generic_names = [{list = "generic-names"}, "comrade"]\n',
        encoding="utf-8",
    )
    found = _rules_found(tmp_path, "Hi Comrade, your PyCon talk on joins fixed my bug.")
    assert "personalisation.nameless-greeting" in found
    assert "personalisation.nameless-greeting" in _rules_found(
        tmp_path, "Hi Team, your PyCon talk on joins fixed my bug."
    )
