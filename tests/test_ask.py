"""`drafter draft --ask`: ask for the sender's own reason, draft again, save it back on a yes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from drafter.cli import cli
from drafter.compose.ask import Answer, run_ask, save_answer
from drafter.compose.catalog import load_catalog
from drafter.compose.render import Renderer
from drafter.core.contacts import Contact, load_roster, load_sender
from drafter.core.errors import DrafterError
from drafter.core.resources import builtin_dir

ROSTER = """\
# my people, newest first
- id: kai  # met him at the fair
  name: Kai Moe
  platforms: {linkedin: kai-moe}
  interests: [tide tables]   # he prints them by hand

- id: liv
  name: Liv Dahl
  platforms: {linkedin: liv-dahl}
  reason: 'I want to learn letterpress.'
"""


@pytest.fixture()
def roster(tmp_path: Path) -> Path:
    path = tmp_path / "people.yaml"
    path.write_text(ROSTER, encoding="utf-8")
    return path


def test_saving_keeps_comments_order_and_quotes(roster: Path) -> None:
    save_answer(roster, "kai", Answer("reason", "I plan tide tables for two fish farms."))
    text = roster.read_text(encoding="utf-8")
    assert text.startswith("# my people, newest first\n- id: kai  # met him at the fair\n")
    assert (
        "  reason: I plan tide tables for two fish farms.\n"
        "  interests: [tide tables]   # he prints them by hand\n\n- id: liv"
    ) in text
    assert "reason: 'I want to learn letterpress.'" in text
    kai = load_roster(roster)[0]
    assert kai.reason == "I plan tide tables for two fish farms."


def test_saving_an_intro_reason_adds_to_intros(roster: Path) -> None:
    save_answer(roster, "kai", Answer("intros", "You both print by hand.", other_id="liv"))
    save_answer(roster, "kai", Answer("intros", "Second.", other_id="ana"))
    assert load_roster(roster)[0].intros == {"liv": "You both print by hand.", "ana": "Second."}


def test_saving_into_csv_or_unknown_id_is_refused(tmp_path: Path, roster: Path) -> None:
    csv_path = tmp_path / "r.csv"
    csv_path.write_text("id,name\nkai,Kai Moe\n", encoding="utf-8")
    with pytest.raises(DrafterError, match="YAML rosters only; add reason: to contact 'kai'"):
        save_answer(csv_path, "kai", Answer("reason", "x"))
    with pytest.raises(DrafterError, match="no contact with id 'nobody'"):
        save_answer(roster, "nobody", Answer("reason", "x"))


def _refusals(renderer: Renderer, contacts: list[Contact]) -> list[tuple[Contact, str]]:
    me = load_sender(builtin_dir("examples") / "me.yaml")
    out = []
    for contact in contacts:
        try:
            renderer.render("linkedin", "connect", contact, me)
        except DrafterError as exc:
            out.append((contact, exc.message))
    return out


@pytest.mark.parametrize("save", [True, False])
def test_run_ask_drafts_with_the_answer_and_saves_only_on_yes(roster: Path, save: bool) -> None:
    renderer = Renderer(load_catalog())
    me = load_sender(builtin_dir("examples") / "me.yaml")
    refused = _refusals(renderer, load_roster(roster))
    assert [c.id for c, _ in refused] == ["kai"]
    asked: list[str] = []

    def prompt(text: str) -> str:
        asked.append(text)
        return "I plan tide tables for two fish farms."

    drafts, left = run_ask(
        lambda c: renderer.render("linkedin", "connect", c, me),
        refused,
        "connect",
        None,
        roster,
        prompt,
        lambda _text: save,
    )
    assert asked == ["Why do you want to connect with Kai? (reason)"]
    assert left == []
    assert "tide tables for two fish farms" in drafts[0].body
    saved = load_roster(roster)[0].reason
    assert saved == ("I plan tide tables for two fish farms." if save else None)
    if not save:
        assert roster.read_text(encoding="utf-8") == ROSTER


def test_an_empty_answer_leaves_the_refusal(roster: Path) -> None:
    renderer = Renderer(load_catalog())
    refused = _refusals(renderer, load_roster(roster))
    drafts, left = run_ask(
        lambda c: c, refused, "connect", None, roster, lambda _t: "  ", lambda _t: True
    )
    assert drafts == [] and [c.id for c, _ in left] == ["kai"]


def test_ask_without_a_terminal_is_a_one_line_error(roster: Path) -> None:
    me = builtin_dir("examples") / "me.yaml"
    result = CliRunner().invoke(
        cli,
        [
            "draft",
            "-p",
            "linkedin",
            "-s",
            "connect",
            "-r",
            str(roster),
            "--me",
            str(me),
            "--ask",
            "--no-lint",
        ],
        obj={},
    )
    assert result.exit_code == 2
    assert "drafter: error: --ask needs a terminal to ask on" in result.output
