"""The engine's contract: positions, scope, config, suppression, scores, user rule folders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drafter.core.config import Config, RuleSettings
from drafter.core.contacts import contact_from_mapping
from drafter.core.drafts import Draft, parse_draft
from drafter.core.errors import DrafterError
from drafter.lint.engine import Linter
from drafter.lint.findings import PENALTY
from drafter.lint.report import json_report
from drafter.lint.rules import CATEGORIES, configured_rules, load_rules

ANA = {
    "id": "ana",
    "name": "Ana Ribeiro",
    "recent_activity": [{"kind": "talk", "title": "Late events in streaming joins"}],
}


def _rules(findings: list) -> list[str]:  # type: ignore[type-arg]
    return [f.rule for f in findings]


def test_positions_are_in_the_file_as_given_front_matter_included(linter: Linter) -> None:
    text = "---\nplatform: linkedin\nstage: connect\n---\nHi Ana,\n\nI hope this finds you well. Your talk on joins was great.\n"
    draft = parse_draft(text, "d.md", platforms=["linkedin"], stages=["connect"])
    result = linter.lint(draft)
    [opener] = [f for f in result.findings if f.rule == "generic.stock-opener"]
    assert text[opener.offset : opener.end_offset].lower() == "hope this finds you well"
    assert (opener.line, opener.column) == (7, 3)
    assert (opener.end_line, opener.end_column) == (7, 3 + len("hope this finds you well"))


def test_finding_points_at_the_phrase_not_the_message(linter: Linter) -> None:
    text = "Hi Ana, loved your talk on joins at PyCon. Let's touch base next week about Flink."
    result = linter.lint(Draft.from_body(text, platform="linkedin", stage="thanks"))
    [cliche] = [f for f in result.findings if f.rule == "generic.cliche"]
    assert text[cliche.offset : cliche.end_offset] == "touch base"
    assert cliche.suggestion == "catch up"


def test_inflections_and_case_do_not_escape(linter: Linter) -> None:
    for text in (
        "Hi Ana, I AM REACHING OUT about PyCon.",
        "Hi Ana, I'm reaching out about PyCon.",
        "Hi Ana, just reaching out about PyCon.",
    ):
        result = linter.lint(Draft.from_body(text, platform="email", stage="connect"))
        assert "generic.reach-out" in _rules(result.findings), text
    opener = linter.lint(
        Draft.from_body("Hi Ana, HOPING THIS EMAIL FOUND YOU WELL. PyCon was fun.")
    )
    assert "generic.stock-opener" in _rules(opener.findings)


def test_scope_limits_rules_to_stages(linter: Linter) -> None:
    text = "Hi Ana, loved your PyCon talk on joins. Could we hop on a quick call on Friday?"
    first = linter.lint(Draft.from_body(text, platform="linkedin", stage="connect"))
    later = linter.lint(Draft.from_body(text, platform="linkedin", stage="question"))
    assert "pitch.call-ask" in _rules(first.findings)
    assert "pitch.call-ask" not in _rules(later.findings)


def test_front_matter_disable_silences_a_rule_for_that_draft(linter: Linter) -> None:
    body = "Hi Ana, let's touch base about your PyCon talk on joins."
    plain = parse_draft(body, "a.md")
    silenced = parse_draft("---\ndrafter: {disable: [generic.cliche]}\n---\n" + body, "b.md")
    assert "generic.cliche" in _rules(linter.lint(plain).findings)
    assert "generic.cliche" not in _rules(linter.lint(silenced).findings)


def test_accepted_phrases_are_not_reported() -> None:
    linter = Linter(configured_rules(Config()), accept=["touch base"])
    result = linter.lint(
        Draft.from_body("Hi Ana, let's touch base about your PyCon talk on joins.")
    )
    assert "generic.cliche" not in _rules(result.findings)


def test_threshold_and_severity_from_config() -> None:
    long_sentence = "Hi Ana, " + " ".join(["we"] * 20 + ["talked"] * 20) + "."
    strict = Linter(
        configured_rules(
            Config(
                rules={
                    "readability.long-sentence": RuleSettings(params={"max": 10}, severity="error")
                }
            )
        )
    )
    relaxed = Linter(
        configured_rules(
            Config(rules={"readability.long-sentence": RuleSettings(params={"max": 100})})
        )
    )
    found = [
        f
        for f in strict.lint(Draft.from_body(long_sentence)).findings
        if f.rule == "readability.long-sentence"
    ]
    assert found and found[0].severity == "error"
    assert "readability.long-sentence" not in _rules(
        relaxed.lint(Draft.from_body(long_sentence)).findings
    )


def test_score_formula(linter: Linter) -> None:
    result = linter.lint(
        Draft.from_body(
            "Hi Ana, let's touch base. Let's circle back on synergies at PyCon.",
            platform="email",
            stage="thanks",
        )
    )
    lost = sum(PENALTY[f.severity] for f in result.findings)
    assert result.score == max(0, 100 - lost)
    assert set(result.breakdown) == set(CATEGORIES)
    assert result.breakdown["generic"] == max(
        0, 100 - sum(PENALTY[f.severity] for f in result.findings if f.category == "generic")
    )
    assert result.score < 100


def test_one_error_and_two_warnings_score_30(linter: Linter) -> None:
    """The penalties in rules/_scoring.yaml, as literals: 100 - 40 - 15 - 15."""
    ana = contact_from_mapping({"id": "ana", "name": "Ana Ribeiro"}, "t")
    text = (
        "Hi John, your PyCon talk on joins fixed my bug. Let us touch base and circle back in May."
    )
    result = linter.lint(Draft.from_body(text, platform="email", stage="thanks", contact=ana))
    assert [(f.rule, f.severity) for f in result.findings] == [
        ("personalisation.wrong-name", "error"),
        ("generic.cliche", "warning"),
        ("followup.nag", "warning"),
    ]
    assert result.score == 30
    assert result.breakdown == {
        "placeholder": 100,
        "generic": 85,
        "personalisation": 60,
        "pitch": 100,
        "platform": 100,
        "readability": 100,
        "followup": 85,
        "duplicate": 100,
    }
    assert PENALTY == {"error": 40, "warning": 15, "info": 3}


def test_contact_wrong_name_is_an_error_with_a_fix(linter: Linter) -> None:
    contact = contact_from_mapping(ANA, "t")
    text = "Hi John, your talk on late events in streaming joins was great."
    result = linter.lint(
        Draft.from_body(text, platform="linkedin", stage="connect", contact=contact)
    )
    [wrong] = [f for f in result.findings if f.rule == "personalisation.wrong-name"]
    assert wrong.severity == "error"
    assert text[wrong.offset : wrong.end_offset] == "John"
    assert wrong.fix is not None and wrong.fix.replacement == "Ana"


def test_json_report_schema(linter: Linter) -> None:
    result = linter.lint(
        Draft.from_body(
            "Hi [Name], hope this finds you well.", path="a.md", platform="email", stage="connect"
        )
    )
    data = json.loads(json_report([result]))
    assert data["version"] == 1
    [entry] = data["files"]
    assert set(entry) == {"path", "platform", "stage", "score", "breakdown", "findings"}
    finding = entry["findings"][0]
    assert set(finding) >= {
        "rule",
        "category",
        "severity",
        "message",
        "suggestion",
        "line",
        "column",
        "end_line",
        "end_column",
        "offset",
        "end_offset",
    }
    assert data["summary"]["files"] == 1
    assert data["summary"]["errors"] >= 1


def test_batches_give_the_same_findings_as_single_drafts(linter: Linter) -> None:
    texts = [
        "Hi [Name], great post.",
        "Hi Ana, let's touch base.",
        "Hi Ana, your PyCon talk on joins helped me a lot.",
    ]
    drafts = [Draft.from_body(t, platform="email", stage="connect") for t in texts]
    batch = linter.lint_many(drafts)
    singles = [linter.lint(d) for d in drafts]
    assert [[f.to_json() for f in r.findings] for r in batch] == [
        [f.to_json() for f in r.findings] for r in singles
    ]


def test_user_rule_folder_adds_and_overrides(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(
        """
rules:
  - id: generic.cliche
    category: generic
    severity: error
    kind: phrase
    phrases: [synergy]
    message: "My own cliche rule: {match}"
    why: Because.
  - id: generic.house-style
    category: generic
    severity: info
    kind: regex
    regex: '\\bHeya\\b'
    message: We do not say Heya.
    why: House style.
""",
        encoding="utf-8",
    )
    rules = load_rules([tmp_path])
    assert rules["generic.cliche"].severity == "error"
    linter = Linter(rules)
    found = _rules(linter.lint(Draft.from_body("Heya Ana, synergy! Also touch base.")).findings)
    assert "generic.house-style" in found
    assert found.count("generic.cliche") == 1  # "touch base" no longer in the overridden rule


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "id: a.b\ncategory: generic\nkind: phrase\nmessage: m\nwhy: w\n",
            "'phrases' must be a non-empty list",
        ),
        (
            "id: a.b\ncategory: nope\nkind: phrase\nmessage: m\nwhy: w\nphrases: [x]\n",
            "'category' must be one of",
        ),
        (
            "id: a.b\ncategory: generic\nkind: regex\nmessage: m\nwhy: w\nregex: '(['\n",
            "invalid regular expression",
        ),
        (
            "id: a.b\ncategory: generic\nkind: metric\nmetric: words\nmessage: m\nwhy: w\n",
            "needs 'max' or 'min'",
        ),
        (
            "id: a.b\ncategory: generic\nkind: check\ncheck: nope\nmessage: m\nwhy: w\n",
            "unknown check",
        ),
        (
            "id: a.b\ncategory: generic\nkind: phrase\nmessage: m\nphrases: [x]\n",
            "'why' is required",
        ),
        (
            "id: a.b\ncategory: generic\nkind: check\ncheck: specific\nparams: {min_detial: 3}\n"
            "message: m\nwhy: w\n",
            "unknown parameter 'min_detial'",
        ),
        (
            "id: a.b\ncategory: generic\nkind: pattern\nmessage: m\nwhy: w\n"
            "patterns: [[{LOWER: x, OP: often}]]\n",
            "invalid token pattern",
        ),
        (
            "id: a.b\ncategory: generic\nkind: phrase\nmessage: m\nwhy: w\nphrases: [x]\ncolour: red\n",
            "unknown key 'colour'",
        ),
        (
            "id: a.b\ncategory: generic\nkind: phrase\nmessage: m\nwhy: w\nphrases: [x]\nwithin: end\n",
            "'within' must be one of anywhere, opening",
        ),
        (
            "id: a.b\ncategory: generic\nkind: pattern\nmessage: m\nwhy: w\npatterns: [[{LOWER: [1]}]]\n",
            "invalid token pattern",
        ),
        (
            "id: a.b\ncategory: generic\nkind: metric\nmetric: words\nmax: lots\nmessage: m\nwhy: w\n",
            "'max' must be a number",
        ),
        (
            "id: a.b\ncategory: generic\nkind: metric\nmetric: words\nmax: {x: lots}\nmessage: m\nwhy: w\n",
            "'max.x' must be a number",
        ),
    ],
)
def test_bad_rule_files_are_one_clear_error(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "bad.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(DrafterError) as info:
        Linter(load_rules([tmp_path], include_builtin=False))
    assert message in info.value.message
    assert "bad.yaml" in info.value.message


def test_unknown_platform_in_front_matter_is_input_error(linter: Linter) -> None:
    draft = parse_draft("---\nplatform: myspace\n---\nHi Ana\n", "d.md")
    with pytest.raises(DrafterError, match="unknown platform 'myspace'"):
        linter.lint(draft)


def test_rendered_subject_findings_point_at_the_start(linter: Linter) -> None:
    draft = Draft.from_body(
        "Hi Ana, your PyCon talk on joins was great.",
        platform="email",
        stage="connect",
        subject="Hi {{first_name}}",
    )
    found = [f for f in linter.lint(draft).findings if f.category == "placeholder"]
    assert found and found[0].message.startswith("subject: ")


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (r"\bour\s+tools?\b", "hour tools, our tool, Our tools; flavour tool"),
        (r"\b\d+x\b", "a 10x b x10x 3x"),
        (r"\bby\s+\d+%", "nearby 5% by 10% by 2%"),
        (r"\b(?:a|b)c", "ac xbc bc"),
        (r"\bTODO\b|\bTBD\b", "TODO xTBD TBD"),
    ],
)
def test_regex_speedups_keep_the_matches(pattern: str, text: str) -> None:
    """Rewriting a pattern (scan.faster) and prefiltering by literals must not change what matches."""
    import re

    from drafter.lint.kinds.regex import RegexSpec, run

    for ignore_case in (False, True):
        flags = re.IGNORECASE if ignore_case else 0
        expected = [m.span() for m in re.finditer(pattern, text, flags)]
        spec = RegexSpec.build({"regex": pattern, "ignore_case": ignore_case}, "test", {})
        assert list(run(spec, text, text.lower)) == expected


def test_same_words_flagged_once() -> None:
    rules = load_rules([], include_builtin=True)
    extra = rules["generic.cliche"]
    from dataclasses import replace

    twin = replace(extra, id="generic.cliche-twin")
    linter = Linter({**rules, twin.id: twin})
    found = [
        f
        for f in linter.lint(Draft.from_body("Hi Ana, let's touch base about PyCon.")).findings
        if f.category == "generic"
    ]
    assert len(found) == 1


def test_a_draft_can_name_its_channel(linter: Linter) -> None:
    body = "Thanks for this thread on heap snapshots, it saved my week. " * 6
    dm = parse_draft("---\nplatform: x\nstage: thanks\n---\n" + body, "d.md")
    reply = parse_draft("---\nplatform: x\nstage: thanks\nchannel: reply\n---\n" + body, "d.md")
    assert "platform.over-limit" not in [f.rule for f in linter.lint(dm).findings]
    assert "platform.over-limit" in [f.rule for f in linter.lint(reply).findings]
    with pytest.raises(DrafterError, match="no channel 'fax'"):
        linter.lint(parse_draft("---\nplatform: x\nchannel: fax\n---\nHi", "d.md"))


def test_within_opening_counts_only_hits_in_the_opening(tmp_path: Path) -> None:
    (tmp_path / "r.yaml").write_text(
        "id: a.b\ncategory: generic\nkind: phrase\nmessage: m\nwhy: w\nphrases: [sunny day]\n"
        "within: opening\n",
        encoding="utf-8",
    )
    linter = Linter(load_rules([tmp_path], include_builtin=False))

    def hits(text: str) -> list[str]:
        result = linter.lint(Draft.from_body(text))
        return [text[f.offset : f.end_offset] for f in result.findings if f.rule == "a.b"]

    # second of four sentences: in the opening; fourth of four: a closing, not counted
    assert hits("Hi Ana,\nIt rained. A sunny day now. We met. Go.") == ["sunny day"]
    assert hits("Hi Ana,\nIt rained. We met. Go. A sunny day now.") == []
