"""`drafter import`: LinkedIn, Google and vCard exports in their real layouts, merged safely."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from drafter.cli import cli
from drafter.core.contacts import Contact, load_roster
from drafter.imports import google, linkedin, merge, vcard
from drafter.imports.records import id_from, iso_date, profile

DATA = Path(__file__).resolve().parent / "data" / "imports"


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["import", *args], obj={}, input=input)


def _text(name: str) -> str:
    return (DATA / name).read_bytes().decode("utf-8-sig").replace("\r\n", "\n")


def test_linkedin_export_with_notes_before_the_header() -> None:
    rows = linkedin.parse(_text("Connections.csv"), "Connections.csv")
    assert [r["id"] for r in rows] == ["amara-okoye", "jonas-lind", "mei-tan", "mei-tan"]
    amara = rows[0]
    assert amara["name"] == "Amara Okoye"
    assert amara["company"] == "Inkwell Studio"
    assert amara["role"] == "Art Director, Picture Books"
    assert amara["platforms"] == {"linkedin": "https://www.linkedin.com/in/amara-okoye-illustrates"}
    assert amara["connected_on"] == {"linkedin": "2023-03-14"}
    assert amara["__line__"] == 5
    assert rows[1]["platforms"]["email"] == "jonas@example.org"
    assert "company" not in rows[2]  # empty cells add nothing


def test_linkedin_without_its_header_says_what_it_expected() -> None:
    with pytest.raises(Exception, match=r"no 'First Name,Last Name,URL,\.\.\.' header row"):
        linkedin.parse("id,name\nana,Ana\n", "x.csv")


def test_google_export_new_layout() -> None:
    rows = google.parse(_text("google.csv"), "google.csv")
    rosa, theo = rows
    assert rosa["id"] == "rosa-delgado"
    assert rosa["company"] == "Paper Lantern Press"
    assert rosa["role"] == "Commissioning editor"
    assert rosa["platforms"] == {
        "linkedin": "https://www.linkedin.com/in/rosa-delgado-books",
        "email": "rosa@example.com",
    }
    assert rosa["website"] == "https://rosa.example.com"
    assert rosa["tags"] == ["Publishers"]
    assert rosa["notes"].startswith("Met at the Bologna")
    assert theo["platforms"] == {
        "github": "theomarsh",
        "x": "@theo_draws",
        "email": "theo@example.org",
    }
    assert "tags" not in theo  # only Google's own "* myContacts" label


def test_google_export_old_layout() -> None:
    (priya,) = google.parse(_text("google_old.csv"), "google_old.csv")
    assert priya["name"] == "Priya Raman"
    assert priya["company"] == "Harbour Gallery"
    assert priya["role"] == "Curator"
    assert priya["platforms"] == {"behance": "priyaraman", "email": "priya@example.org"}
    assert priya["tags"] == ["Galleries"]


def test_google_rejects_a_csv_that_is_not_google() -> None:
    with pytest.raises(Exception, match="is this a Google Contacts export"):
        google.parse("id,name\nana,Ana\n", "x.csv")


def test_vcard_versions_2_3_4() -> None:
    amara, luca, jose = vcard.parse(_text("contacts.vcf"), "contacts.vcf")
    assert amara["company"] == "Inkwell Studio"
    assert amara["role"] == "Art Director"
    assert amara["platforms"]["x"] == "@amara_inks"
    assert amara["platforms"]["linkedin"].startswith("https://www.linkedin.com/in/amara-okoye")
    assert amara["notes"] == (
        "Asked about the heron spread, wants to see the final print.\nFollow up in spring."
    )
    assert amara["tags"] == ["clients", "picture books"]
    assert luca["platforms"] == {"instagram": "lucadraws", "email": "luca@example.it"}
    assert luca["website"] == "https://luca-bianchi.example.it"
    assert jose["name"] == "José Núñez"  # quoted-printable UTF-8 in vCard 2.1
    assert jose["id"] == "jose-nunez"


def test_broken_vcard_is_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.vcf"
    path.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Ana\n", encoding="utf-8")
    result = run("vcard", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith("drafter: error: ")
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://twitter.com/ana_streams", ("x", "@ana_streams")),
        ("x.com/ana_streams?lang=en", ("x", "@ana_streams")),
        ("https://github.com/anaribeiro/tides", ("github", "anaribeiro")),
        ("https://www.behance.net/priyaraman", ("behance", "priyaraman")),
        ("https://example.org/ana", None),
        ("https://github.com/", None),
    ],
)
def test_profile_urls(url: str, expected: tuple[str, str] | None) -> None:
    assert profile(url) == expected


def test_ids_and_dates() -> None:
    assert id_from("José Núñez") == "jose-nunez"
    assert id_from("", "ana.r") == "ana-r"
    assert id_from("王芳").startswith("contact-")
    assert id_from("王芳") == id_from("王芳")
    assert iso_date("02 Oct 2024") == "2024-10-02"
    assert iso_date("sometime") == "sometime"


def test_import_prints_a_valid_roster_without_into(tmp_path: Path) -> None:
    result = run("linkedin", str(DATA / "Connections.csv"))
    assert result.exit_code == 0, result.output
    assert "Connections.csv: 4 new, 0 updated" in result.stderr
    roster = tmp_path / "r.yaml"
    roster.write_text(result.stdout, encoding="utf-8")
    contacts = load_roster(roster)
    assert [c.id for c in contacts] == ["amara-okoye", "jonas-lind", "mei-tan", "mei-tan-2"]
    assert contacts[0].extra["connected_on"] == {"linkedin": "2023-03-14"}


USER_ROSTER = """\
# my own notes at the top
- id: amara-okoye
  name: Amara Okoye
  role: Art director at Inkwell  # I wrote this
  interests: [herons, linocut]
- id: zoe
  name: Zoe Park
"""


def test_merge_adds_only_missing_fields_and_keeps_the_users(tmp_path: Path) -> None:
    roster = tmp_path / "roster.yaml"
    roster.write_text(USER_ROSTER, encoding="utf-8")
    refused = run("linkedin", str(DATA / "Connections.csv"), "--into", str(roster))
    assert refused.exit_code == 2
    assert "exists; pass --yes" in refused.stderr
    assert roster.read_text(encoding="utf-8") == USER_ROSTER

    dry = run("linkedin", str(DATA / "Connections.csv"), "--into", str(roster), "--dry-run")
    assert dry.exit_code == 0
    assert roster.read_text(encoding="utf-8") == USER_ROSTER
    assert "updated  amara-okoye: added company, platforms, connected_on; kept yours: role" in (
        dry.stdout
    )
    assert "new      jonas-lind (Connections.csv:6)" in dry.stdout
    assert "3 new, 1 updated (3 fields added), 0 already up to date; 1 fields kept" in dry.stdout

    merged = run("linkedin", str(DATA / "Connections.csv"), "--into", str(roster), "--yes")
    assert merged.exit_code == 0, merged.output
    text = roster.read_text(encoding="utf-8")
    assert text.startswith("# my own notes at the top\n")
    assert "role: Art director at Inkwell  # I wrote this" in text
    assert "interests: [herons, linocut]" in text
    contacts = {c.id: c for c in load_roster(roster)}
    assert list(contacts) == ["amara-okoye", "zoe", "jonas-lind", "mei-tan", "mei-tan-2"]
    assert contacts["amara-okoye"].company == "Inkwell Studio"
    assert contacts["amara-okoye"].extra["connected_on"] == {"linkedin": "2023-03-14"}

    again = run("linkedin", str(DATA / "Connections.csv"), "--into", str(roster))
    assert again.exit_code == 0, again.output
    assert "kept     amara-okoye: kept yours: role" in again.stdout
    assert "0 new, 0 updated (0 fields added), 4 already up to date; 1 fields kept" in again.stdout
    assert roster.read_text(encoding="utf-8") == text


def test_merge_matches_by_profile_across_sources(tmp_path: Path) -> None:
    roster = tmp_path / "roster.yaml"
    created = run("linkedin", str(DATA / "Connections.csv"), "--into", str(roster))
    assert created.exit_code == 0, created.output
    assert f"wrote {roster}" in created.stdout
    merged = run("vcard", str(DATA / "contacts.vcf"), "--into", str(roster), "-y")
    assert merged.exit_code == 0, merged.output
    # Same LinkedIn URL (with a trailing slash) is the same person: fields added, no duplicate.
    assert "updated  amara-okoye: added platforms.x, platforms.email, notes, tags" in (
        merged.stdout
    )
    contacts = {c.id: c for c in load_roster(roster)}
    assert "amara-okoye-2" not in contacts
    assert contacts["amara-okoye"].role == "Art Director, Picture Books"  # LinkedIn's came first
    assert contacts["luca-bianchi"].platforms["email"] == "luca@example.it"


def test_merge_refuses_a_broken_roster_and_non_yaml(tmp_path: Path) -> None:
    broken = tmp_path / "roster.yaml"
    broken.write_text("- name: no id here\n", encoding="utf-8")
    result = run("linkedin", str(DATA / "Connections.csv"), "--into", str(broken), "-y")
    assert result.exit_code == 2
    assert "field 'id' is missing" in result.stderr
    csv_into = run("linkedin", str(DATA / "Connections.csv"), "--into", str(tmp_path / "r.csv"))
    assert csv_into.exit_code == 2
    assert "--into must be a YAML roster" in csv_into.stderr


def test_import_reads_excel_semicolons_and_cp1252(tmp_path: Path) -> None:
    export = tmp_path / "Connections.csv"
    text = _text("Connections.csv").replace(",", ";").replace("Art Director; Picture Books", "AD")
    export.write_bytes(text.replace("Okoye", "Okoyé").replace("\n", "\r\n").encode("cp1252"))
    refused = run("linkedin", str(export))
    assert refused.exit_code == 2
    assert "--encoding cp1252" in refused.stderr
    read = run("linkedin", str(export), "--encoding", "cp1252")
    assert read.exit_code == 0, read.output
    data = yaml.safe_load(read.stdout)
    assert data[0]["name"] == "Amara Okoyé"
    assert data[0]["id"] == "amara-okoye"


def test_connected_on_becomes_history_events(tmp_path: Path) -> None:
    from datetime import date

    from drafter.core.relationship import Relationship
    from drafter.imports.history import connected_events

    roster = tmp_path / "r.yaml"
    roster.write_text(run("linkedin", str(DATA / "Connections.csv")).stdout, encoding="utf-8")
    amara = load_roster(roster)[0]
    events = connected_events(amara)
    assert [(e.kind, e.at, e.platform) for e in events] == [
        ("connected", date(2023, 3, 14), "linkedin")
    ]
    assert Relationship("amara-okoye", tuple(events)).accepted("linkedin")
    plain = Contact(id="x", name="X", first_name="X", extra={"connected_on": "last spring"})
    assert connected_events(plain) == []


@pytest.mark.parametrize(
    ("name", "command"),
    [("Connections.csv", "drafter import linkedin"), ("google.csv", "drafter import google")],
)
def test_an_export_given_as_a_roster_says_which_import_reads_it(name: str, command: str) -> None:
    with pytest.raises(Exception, match=f"turn it into a roster with `{command} FILE`"):
        load_roster(DATA / name)


def test_only_new_contacts_are_appended_leaving_every_byte_above(tmp_path: Path) -> None:
    roster = tmp_path / "roster.yaml"
    mine = "# my roster\n- id: zoe   # a friend\n  name: Zoe Park\n  tags: [ 'b', a ]\n"
    roster.write_text(mine, encoding="utf-8")
    result = run("linkedin", str(DATA / "Connections.csv"), "--into", str(roster), "--yes")
    assert result.exit_code == 0, result.output
    text = roster.read_text(encoding="utf-8")
    assert text.startswith(mine)
    assert [c.id for c in load_roster(roster)] == [
        "zoe", "amara-okoye", "jonas-lind", "mei-tan", "mei-tan-2",
    ]  # fmt: skip


@pytest.mark.parametrize(("answer", "written"), [("y\n", True), ("\n", False)])
def test_merging_on_a_terminal_asks_first(tmp_path: Path, answer: str, written: bool) -> None:
    roster = tmp_path / "roster.yaml"
    roster.write_text(USER_ROSTER, encoding="utf-8")
    leader, follower = pty.openpty()
    try:
        os.write(leader, answer.encode())
        done = subprocess.run(
            [sys.executable, "-m", "drafter", "import", "linkedin",
             str(DATA / "Connections.csv"), "--into", str(roster)],
            stdin=follower, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
    finally:
        os.close(follower)
        os.close(leader)
    assert f"Write these changes to {roster}? [y/N]" in done.stderr
    assert (roster.read_text(encoding="utf-8") != USER_ROSTER) is written
    assert done.returncode == (0 if written else 1)


TRICKY_ROSTER = """\
- id: amara-okoye   # from the fair
  name: Amara Okoye
  notes: |
    Heron spread.
    Wants the final print.
  platforms:
    linkedin: https://www.linkedin.com/in/amara-okoye-illustrates/
# between contacts
- id: jonas-lind
  name: Jonas Lind
  platforms: {linkedin: "https://www.linkedin.com/in/jonas-lind-example"}"""


def test_added_fields_go_in_as_text_and_odd_layouts_still_merge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    roster = tmp_path / "roster.yaml"
    roster.write_text(TRICKY_ROSTER, encoding="utf-8")  # no newline at the end, either
    with monkeypatch.context() as patch:  # the text path must not need the round-trip editor
        patch.setattr(merge, "load_document", None)
        result = run("vcard", str(DATA / "contacts.vcf"), "--into", str(roster), "-y")
    assert result.exit_code == 0, result.output
    text = roster.read_text(encoding="utf-8")
    lines = text.splitlines()
    # Every line the user wrote is still there, in order (the fields went in between them).
    mine = iter(lines)
    assert all(any(line == got for got in mine) for line in TRICKY_ROSTER.splitlines())
    assert "    x: '@amara_inks'\n    email: amara@example.org\n  company: Inkwell Studio\n" in text
    contacts = {c.id: c for c in load_roster(roster)}
    assert contacts["amara-okoye"].notes == "Heron spread.\nWants the final print."
    assert contacts["amara-okoye"].platforms["email"] == "amara@example.org"
    assert contacts["jonas-lind"].platforms == {
        "linkedin": "https://www.linkedin.com/in/jonas-lind-example"
    }

    flow = tmp_path / "flow.yaml"
    flow.write_text(TRICKY_ROSTER, encoding="utf-8")
    linked = run("linkedin", str(DATA / "Connections.csv"), "--into", str(flow), "-y")
    assert linked.exit_code == 0, linked.output
    # Jonas's platforms are flow style: the round-trip editor adds his e-mail there instead.
    jonas = {c.id: c for c in load_roster(flow)}["jonas-lind"]
    assert jonas.platforms["email"] == "jonas@example.org"
    assert jonas.company == "Nordhavn Robotics"
    assert "# between contacts" in flow.read_text(encoding="utf-8")
