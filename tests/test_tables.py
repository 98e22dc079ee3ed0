"""Rosters as spreadsheets save them (separators, BOM, CRLF, cp1252), and typo warnings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafter.cli import cli
from drafter.core.contacts import load_roster
from drafter.core.errors import DrafterError, DrafterWarning
from drafter.core.tables import decode_table, sniff_delimiter

ROWS = [
    ["id", "name", "company", "interests"],
    ["ana-ribeiro", "Ana Ribeiro", "Tidewater; Analytics", "tide gauges"],
    ["bo-lund", "Bo Lund", "Nordhavn", "GIS"],
]


def _csv(sep: str) -> str:
    def cell(value: str) -> str:
        return f'"{value}"' if sep in value else value

    return "".join(sep.join(cell(c) for c in row) + "\r\n" for row in ROWS)


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_excel_csv_with_bom_and_crlf_loads(tmp_path: Path, sep: str) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes(b"\xef\xbb\xbf" + _csv(sep).encode("utf-8"))
    contacts = load_roster(path)
    assert [c.id for c in contacts] == ["ana-ribeiro", "bo-lund"]
    assert contacts[0].company == "Tidewater; Analytics"
    assert contacts[1].name == "Bo Lund"


def test_sniffing_ignores_separators_inside_quotes() -> None:
    assert sniff_delimiter('"a,b,c";d;e\n1;2;3\n') == ";"
    assert sniff_delimiter("id,name\n") == ","
    assert sniff_delimiter("id\n") == ","


def test_cp1252_gets_a_resave_hint(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes("id;name\r\njose;José Núñez\r\n".encode("cp1252"))
    with pytest.raises(DrafterError) as info:
        load_roster(path)
    assert "roster.csv:2: not valid UTF-8" in info.value.message
    assert "re-save it as 'CSV UTF-8' (draft and import also read it with --encoding cp1252)" in (
        info.value.message
    )
    assert load_roster(path, "cp1252")[0].name == "José Núñez"


def test_draft_reads_cp1252_with_encoding_option(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_bytes(
        "id;name;interests;question;platforms.x\r\n"
        "jose;José Núñez;tide gauges;How do you calibrate the gauges?;@jose\r\n".encode("cp1252")
    )
    me = tmp_path / "me.yaml"
    me.write_text("name: Sam Okafor\n", encoding="utf-8")
    args = ["draft", "-p", "x", "-s", "question", "-r", str(roster), "--me", str(me), "--no-lint"]
    refused = CliRunner().invoke(cli, args, obj={})
    assert refused.exit_code == 2
    assert "--encoding cp1252" in refused.stderr
    read = CliRunner().invoke(cli, [*args, "--encoding", "cp1252"], obj={})
    assert read.exit_code == 0, read.output
    assert "José" in read.stdout
    unknown = CliRunner().invoke(cli, [*args, "--encoding", "klingon"], obj={})
    assert unknown.exit_code == 2
    assert "unknown encoding 'klingon'" in unknown.stderr


def test_utf16_with_bom_is_read() -> None:
    assert decode_table("id\tname\r\n".encode("utf-16"), "x.csv") == "id\tname\n"


def test_bytes_that_are_not_cp1252_either_get_no_hint() -> None:
    with pytest.raises(DrafterError) as info:
        decode_table(b"id\n\x81\x8d\x8f", "x.csv")  # undefined in cp1252
    assert "cp1252" not in info.value.message


def test_misspelled_field_warns_with_the_field_it_means(tmp_path: Path) -> None:
    path = tmp_path / "roster.yaml"
    path.write_text(
        "- id: ana\n  name: Ana\n  recent_activty: [{kind: post, title: Tides}]\n"
        "- id: bo\n  name: Bo\n  recent_activty: []\n  comon_ground: [sailing]\n"
        "  favourite_tool: QGIS\n",
        encoding="utf-8",
    )
    with pytest.warns(DrafterWarning) as record:
        contacts = load_roster(path)
    messages = [str(w.message) for w in record]
    assert messages == [
        f"{path}:1: unknown field 'recent_activty' (kept as contact.recent_activty); "
        "did you mean recent_activity?",
        f"{path}:4: unknown field 'comon_ground' (kept as contact.comon_ground); "
        "did you mean common_ground?",
    ]
    assert contacts[1].extra["favourite_tool"] == "QGIS"  # far from every field: no warning


def test_cli_prints_the_warning_as_one_line(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,intrests\nana,Ana Ribeiro,tide gauges\n", encoding="utf-8")
    me = tmp_path / "me.yaml"
    me.write_text("name: Sam Okafor\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        ["draft", "-p", "x", "-s", "question", "-r", str(roster), "--me", str(me), "--no-lint"],
        obj={},
    )
    assert (
        f"drafter: warning: {roster}:2: unknown field 'intrests' (kept as contact.intrests); "
        "did you mean interests?"
    ) in result.stderr


@pytest.mark.parametrize(
    ("platform", "stage"),
    [("LinkedIn", "follow-up"), ("twitter", "Follow Up"), ("X", "followup")],
)
def test_platform_and_stage_spelled_as_people_type_them(
    tmp_path: Path, platform: str, stage: str
) -> None:
    roster = tmp_path / "roster.yaml"
    roster.write_text(
        "- id: ana\n  name: Ana Ribeiro\n  interests: [tide gauges]\n"
        "  how_we_met: at the harbour data day\n"
        "  platforms: {linkedin: ana-ribeiro, x: '@ana'}\n"
        "  recent_activity: [{kind: post, title: Tide gauges on a budget}]\n",
        encoding="utf-8",
    )
    me = tmp_path / "me.yaml"
    me.write_text("name: Sam Okafor\n", encoding="utf-8")
    args = ["draft", "-p", platform, "-s", stage, "-r", str(roster), "--me", str(me)]
    result = CliRunner().invoke(cli, [*args, "--no-lint", "--format", "jsonl"], obj={})
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["stage"] == "follow_up"
    assert record["platform"] == ("linkedin" if platform == "LinkedIn" else "x")
    lint = CliRunner().invoke(
        cli, ["lint", "-", "-p", platform, "-s", stage, "--format", "json"], obj={},
        input="Hi Ana, thanks for the tide gauge post.\n",
    )  # fmt: skip
    assert lint.exit_code in (0, 1), lint.output
    assert json.loads(lint.stdout)["files"][0]["stage"] == "follow_up"


def test_unknown_platform_still_fails_with_the_list() -> None:
    result = CliRunner().invoke(cli, ["lint", "-", "-p", "myspace"], obj={}, input="Hi\n")
    assert result.exit_code == 2
    assert "unknown platform 'myspace'; known: behance" in result.stderr


def test_front_matter_platform_and_stage_aliases(tmp_path: Path) -> None:
    draft = tmp_path / "d.md"
    draft.write_text("---\nplatform: Twitter\nstage: follow-up\n---\nGreat thread on tides.\n")
    result = CliRunner().invoke(cli, ["lint", str(draft), "--format", "json"], obj={})
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.stdout)["files"][0]
    assert (data["platform"], data["stage"]) == ("x", "follow_up")


def test_spreadsheet_headers_as_people_write_them(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(
        "ID;First Name;Last Name;Company;Platforms.LinkedIn;How We Met\n"
        "ana;Ana;Ribeiro;Tidewater;https://www.linkedin.com/in/ana;at the fair\n",
        encoding="utf-8",
    )
    (ana,) = load_roster(path)
    assert (ana.id, ana.name, ana.company) == ("ana", "Ana Ribeiro", "Tidewater")
    assert ana.platforms == {"linkedin": "https://www.linkedin.com/in/ana"}
    assert ana.how_we_met == "at the fair"


def test_misspelled_config_setting_says_what_it_means(tmp_path: Path) -> None:
    from drafter.core.config import load_config

    path = tmp_path / "drafter.toml"
    path.write_text('rosterr = "r.yaml"\n', encoding="utf-8")
    with pytest.raises(DrafterError, match="unknown setting 'rosterr'; did you mean roster\\?"):
        load_config(path)
