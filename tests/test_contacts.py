"""Roster loaders: YAML, CSV and JSON give the same records; every bad input names file, line, field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drafter.core.contacts import Activity, load_roster, load_sender
from drafter.core.errors import DrafterError
from drafter.core.resources import builtin_dir

DATA = Path(__file__).parent / "data" / "contacts"
EXAMPLES = builtin_dir("examples")


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(DrafterError) as info:
        load_roster(path)
    return info.value.message


# ---- good input -------------------------------------------------------------------------------


def test_example_yaml_roster_loads_with_all_fields() -> None:
    contacts = load_roster(EXAMPLES / "roster.yaml")
    assert 5 <= len(contacts) <= 8
    ana = contacts[0]
    assert ana.id == "ana-ribeiro"
    assert (ana.first_name, ana.last_name) == ("Ana", "Ribeiro")
    assert ana.how_we_met == "at the Arctic Data meetup in March"
    assert ana.recent_activity[0] == Activity(
        kind="talk",
        title="Late events in streaming joins, and what Flink does about them",
        url="https://example.org/talks/late-events",
        date="2026-10-02",
    )
    assert ana.platforms["x"] == "@ana_streams"
    assert ana.source.endswith("roster.yaml:7")


def test_csv_splits_lists_platforms_and_activities() -> None:
    ana = next(c for c in load_roster(EXAMPLES / "roster.csv") if c.id == "ana-ribeiro")
    assert ana.interests == ["stream processing", "mentoring junior engineers"]
    assert ana.platforms == {
        "linkedin": "https://www.linkedin.com/in/ana-ribeiro-example",
        "x": "@ana_streams",
        "email": "ana@example.org",
    }
    assert ana.recent_activity[0].title.startswith("Late events in streaming joins, and")
    noor = next(c for c in load_roster(EXAMPLES / "roster.csv") if c.id == "noor-saleh")
    assert [a.kind for a in noor.recent_activity] == ["post", "article"]
    assert noor.recent_activity[1].url is None
    assert noor.recent_activity[1].date == "2026-05-01"


def test_yaml_csv_and_json_agree_on_shared_contacts() -> None:
    by_format = {
        name: {c.id: c for c in load_roster(EXAMPLES / f"roster.{name}")}
        for name in ("yaml", "csv", "json")
    }
    for other in ("csv", "json"):
        shared = set(by_format["yaml"]) & set(by_format[other])
        assert shared, f"roster.{other} shares no contact with roster.yaml"
        for cid in shared:
            a, b = by_format["yaml"][cid], by_format[other][cid]
            assert (a.name, a.role, a.interests, a.recent_activity[:1]) == (
                b.name,
                b.role,
                b.interests,
                b.recent_activity[:1],
            )


def test_one_contact_as_a_mapping_and_unknown_fields_kept() -> None:
    [solo] = load_roster(DATA / "one.yaml")
    assert solo.id == "solo"
    assert solo.extra == {"favourite_tool": "{{ 7*7 }}"}
    assert solo["favourite_tool"] == "{{ 7*7 }}"


def test_csv_unknown_column_is_kept_and_activity_without_url(tmp_path: Path) -> None:
    [ada] = load_roster(DATA / "rich.csv")
    assert ada.extra == {"shoe_size": "38"}
    assert ada.recent_activity[1] == Activity(kind="talk", title="On numbers")
    assert ada.source.endswith("rich.csv:2")


def test_json_contacts_key_or_bare_list(tmp_path: Path) -> None:
    rows = [{"id": "a", "name": "Al Bo"}, {"id": "b", "first_name": "Cy", "last_name": "Do"}]
    bare = write(tmp_path, "bare.json", json.dumps(rows))
    wrapped = write(tmp_path, "wrapped.json", json.dumps({"contacts": rows}))
    for path in (bare, wrapped):
        contacts = load_roster(path)
        assert [c.name for c in contacts] == ["Al Bo", "Cy Do"]
        assert contacts[1].first_name == "Cy"


def test_sender_profile_with_offers_and_topics() -> None:
    me = load_sender(EXAMPLES / "me.yaml")
    assert me.first_name == "Sam"
    assert me.offers[0].url == "https://example.org/sam/kafka-lag"
    assert "Kafka" in me.offers[0].topics


# ---- bad input: file, line/row and field named ------------------------------------------------


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert error_of(tmp_path / "nope.yaml") == f"{tmp_path / 'nope.yaml'}: no such file"
    folder = tmp_path / "dir.yaml"
    folder.mkdir()
    assert "is a folder" in error_of(folder)


def test_latin1_bytes_name_file_and_line(tmp_path: Path) -> None:
    path = write(
        tmp_path, "latin.yaml", "- id: a\n  name: Ana\n- id: b\n  name: Jos\xe9\n".encode("latin-1")
    )
    assert error_of(path).startswith(f"{path}:4: not valid UTF-8")


def test_invalid_yaml_names_line(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.yaml", "- id: a\n  name: Ana\n- id: [b\n  name: x\n")
    message = error_of(path)
    assert message.startswith(f"{path}:")
    assert "invalid YAML" in message


def test_invalid_json_names_line(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.json", '[\n  {"id": "a", "name": "Ana"},\n  {"id": "b",,}\n]\n')
    assert error_of(path).startswith(f"{path}:3: invalid JSON")


def test_invalid_csv_stray_quote_and_extra_cells(tmp_path: Path) -> None:
    quote = write(tmp_path, "q.csv", 'id,name\na,"Ana\n')
    assert error_of(quote).startswith(f"{quote}:2: invalid CSV")
    extra = write(tmp_path, "x.csv", "id,name\na,Ana\nb,Bo,surplus\n")
    assert error_of(extra) == f"{extra}:3: more cells than columns in the header"


@pytest.mark.parametrize(
    ("name", "text", "where", "field"),
    [
        ("noid.yaml", "- name: Ana\n", ":1", "'id' is missing"),
        ("noname.yaml", "- id: a\n  name: A\n- id: b\n  role: x\n", ":3", "'name' is missing"),
        ("noname.csv", "id,name\na,Ana\nb,\n", ":3", "'name' is missing"),
        ("noid.json", '[{"name": "Ana"}]', ": contact #1", "'id' is missing"),
        ("listname.yaml", "- id: a\n  name: [Ana]\n", ":1", "'name' must be text, got a list"),
        (
            "interests.yaml",
            "- id: a\n  name: A\n  interests: {x: 1}\n",
            ":1",
            "'interests' must be",
        ),
        (
            "kind.yaml",
            "- id: a\n  name: A\n  recent_activity: [{kind: tweet, title: t}]\n",
            ":1",
            "'recent_activity[0].kind' is 'tweet'",
        ),
        (
            "title.json",
            '[{"id": "a", "name": "A", "recent_activity": [{"kind": "post"}]}]',
            ": contact #1",
            "'recent_activity[0].title' is missing",
        ),
        ("platforms.yaml", "- id: a\n  name: A\n  platforms: [x]\n", ":1", "'platforms' must be"),
        ("bool.yaml", "- id: true\n  name: A\n", ":1", "'id' must be text, got true/false"),
        ("scalar.yaml", "- just a string\n", ": contact #1", "must be a mapping, got str"),
    ],
)
def test_bad_fields_name_file_line_and_field(
    tmp_path: Path, name: str, text: str, where: str, field: str
) -> None:
    path = write(tmp_path, name, text)
    message = error_of(path)
    assert message.startswith(f"{path}{where}"), message
    assert field in message


def test_duplicate_ids_name_both_places(tmp_path: Path) -> None:
    path = write(
        tmp_path, "dup.yaml", "- id: a\n  name: A\n- id: b\n  name: B\n- id: a\n  name: C\n"
    )
    message = error_of(path)
    assert message.startswith(f"{path}:5: field 'id': duplicate id 'a'")
    assert f"first at {path}:1" in message
    csv_path = write(tmp_path, "dup.csv", "id,name\na,A\na,B\n")
    assert error_of(csv_path).startswith(f"{csv_path}:3: field 'id': duplicate id 'a'")


def test_empty_roster_and_unknown_format(tmp_path: Path) -> None:
    empty = write(tmp_path, "empty.yaml", "# nobody yet\n")
    assert error_of(empty) == f"{empty}: no contacts in the roster"
    toml = write(tmp_path, "r.toml", "x = 1\n")
    assert "unknown roster format '.toml'" in error_of(toml)


def test_roster_and_front_matter_read_yes_and_no_as_text(tmp_path: Path) -> None:
    """One YAML loader: "No" is a name (and "on" a word) in a roster as in a draft's front matter."""
    from drafter.core.drafts import parse_draft

    path = write(tmp_path, "r.yaml", "- id: no-1\n  name: No\n  company: On\n")
    [contact] = load_roster(path)
    assert (contact.name, contact.company) == ("No", "On")
    draft = parse_draft("---\ncontact: {id: no-1, name: No, company: On}\n---\nHi No,\n", "d.md")
    assert draft.contact is not None
    assert (draft.contact.name, draft.contact.company) == ("No", "On")
