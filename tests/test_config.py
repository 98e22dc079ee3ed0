from __future__ import annotations

from pathlib import Path

import pytest

from drafter.core.config import find_config, load_config
from drafter.core.errors import DrafterError
from drafter.lint.rules import configured_rules


def test_found_upward_and_paths_resolved(tmp_path: Path) -> None:
    (tmp_path / "drafter.toml").write_text(
        'me = "me.yaml"\nrules = ["myrules"]\ndisable = ["generic.cliche"]\naccept = ["touch base"]\n'
        '[rule."readability.grade"]\nmax = 14\nseverity = "info"\n',
        encoding="utf-8",
    )
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    cfg = load_config(None, deep)
    assert cfg.path == tmp_path / "drafter.toml"
    assert cfg.me == (tmp_path / "me.yaml").resolve()
    assert cfg.rules_folders == ((tmp_path / "myrules").resolve(),)
    assert cfg.disable == ("generic.cliche",)
    assert cfg.rules["readability.grade"].params == {"max": 14}
    assert cfg.rules["readability.grade"].severity == "info"


def test_pyproject_tool_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.drafter]\nfree_account = true\n", encoding="utf-8"
    )
    found = find_config(tmp_path)
    assert found is not None and found[0].name == "pyproject.toml"
    assert load_config(None, tmp_path).free_account is True


def test_pyproject_without_table_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname='x'\n", encoding="utf-8")
    assert find_config(tmp_path) is None or find_config(tmp_path)[0] != tmp_path / "pyproject.toml"  # type: ignore[index]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("colour = 1\n", "unknown setting 'colour'"),
        ("free_account = 'yes'\n", "free_account must be true or false"),
        ('[rule."generic.cliche"]\nseverity = "fatal"\n', "severity must be one of"),
        ("disable = 'generic'\n", "'disable' must be a list"),
        ("me = [1]\n", "'me' must be a path"),
        ("x = \n", "invalid TOML"),
    ],
)
def test_bad_config_is_one_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "drafter.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DrafterError) as info:
        load_config(path)
    assert message in info.value.message


def test_config_changes_rules_in_force(tmp_path: Path) -> None:
    path = tmp_path / "drafter.toml"
    path.write_text(
        'disable = ["pitch"]\n[rule."readability.grade"]\nmax = 14\n[rule."generic.cliche"]\nseverity = "error"\n',
        encoding="utf-8",
    )
    rules = configured_rules(load_config(path))
    assert not any(r.startswith("pitch.") for r in rules)
    assert rules["readability.grade"].spec.bounds("email", "connect").high == 14  # type: ignore[union-attr]
    assert rules["generic.cliche"].severity == "error"


def test_config_naming_an_unknown_rule_fails(tmp_path: Path) -> None:
    path = tmp_path / "drafter.toml"
    path.write_text('disable = ["generic.no-such-rule"]\n', encoding="utf-8")
    with pytest.raises(DrafterError, match=r"no rule 'generic\.no-such-rule'"):
        configured_rules(load_config(path))


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('[rule."personalisation.nothing-specific"]\nmin_detial = 3\n', "cannot set 'min_detial'"),
        ('[rule."personalisation.nothing-specific"]\nmin_detail = "lots"\n', "whole number"),
        ('[rule."readability.grade"]\nmaxx = 3\n', "cannot set 'maxx'"),
        ('[rule."readability.grade"]\nmax = "lots"\n', "'max' must be a number"),
        ('[rule."generic.cliche"]\nphrases = []\n', "'phrases' must be a non-empty list"),
    ],
)
def test_config_overrides_are_validated_like_rule_files(
    tmp_path: Path, table: str, message: str
) -> None:
    """Check parameters, thresholds and kind keys go through the kind's one constructor."""
    path = tmp_path / "drafter.toml"
    path.write_text(table, encoding="utf-8")
    with pytest.raises(DrafterError) as info:
        configured_rules(load_config(path))
    assert message in info.value.message
    assert str(path) in info.value.message


def test_config_tunes_a_check_parameter(tmp_path: Path) -> None:
    path = tmp_path / "drafter.toml"
    path.write_text('[rule."personalisation.nothing-specific"]\nmin_detail = 3\n', encoding="utf-8")
    rule = configured_rules(load_config(path))["personalisation.nothing-specific"]
    assert rule.spec.params.min_detail == 3  # type: ignore[union-attr]
    assert "gift" not in rule.spec.params.generic_words  # type: ignore[union-attr]
    assert "work" in rule.spec.params.generic_words  # type: ignore[union-attr]


def test_default_profile_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from drafter.core.config import default_me

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert default_me() == tmp_path / "xdg" / "drafter" / "me.yaml"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_me() == tmp_path / "home" / ".config" / "drafter" / "me.yaml"
