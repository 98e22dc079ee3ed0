from __future__ import annotations

import pytest

from drafter.core.drafts import Draft, LineIndex, parse_draft, to_file_text
from drafter.core.errors import DrafterError
from drafter.core.platforms import STAGES

PLATFORMS = ["linkedin", "email", "x", "github"]


def test_front_matter_gives_context_and_body_offset() -> None:
    text = "---\nplatform: linkedin\nstage: thanks\ncontact: ana\n---\nHi Ana,\nThanks!\n"
    draft = parse_draft(text, "d.md", platforms=PLATFORMS, stages=STAGES)
    assert (draft.platform, draft.stage, draft.contact_ref) == ("linkedin", "thanks", "ana")
    assert draft.body == "Hi Ana,\nThanks!\n"
    assert text[draft.body_offset :] == draft.body


def test_inline_contact_mapping_in_front_matter() -> None:
    text = "---\ncontact: {id: ana, name: Ana Ribeiro, common_ground: [chess]}\n---\nHi Ana\n"
    draft = parse_draft(text, "d.md")
    assert draft.contact is not None
    assert draft.contact.first_name == "Ana"
    assert draft.contact.common_ground == ["chess"]


def test_platform_and_stage_inferred_from_path() -> None:
    draft = parse_draft(
        "Hi Ana", "drafts/linkedin/follow_up/ana.md", platforms=PLATFORMS, stages=STAGES
    )
    assert (draft.platform, draft.stage) == ("linkedin", "follow_up")
    draft = parse_draft("Hi Ana", "ana.email.connect.txt", platforms=PLATFORMS, stages=STAGES)
    assert (draft.platform, draft.stage) == ("email", "connect")


def test_subject_line_in_body_is_split_off() -> None:
    text = "Subject: Your talk on joins\n\nHi Ana,\nLoved it.\n"
    draft = parse_draft(text, "mail.eml")
    assert draft.subject == "Your talk on joins"
    assert draft.subject_offset == text.index("Your talk")
    assert draft.body == "Hi Ana,\nLoved it.\n"


def test_subject_in_front_matter_has_its_offset() -> None:
    text = "---\nplatform: email\nsubject: Hello there\n---\nHi Ana\n"
    draft = parse_draft(text, "m.md")
    assert draft.subject == "Hello there"
    assert draft.subject_offset is not None
    assert text[draft.subject_offset :].startswith("Hello there")


def test_disable_list_read_from_front_matter() -> None:
    text = "---\ndrafter: {disable: [generic.cliche, pitch]}\n---\nHi\n"
    assert parse_draft(text, "d.md").disabled == ("generic.cliche", "pitch")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("---\nplatform: [a\n---\nHi\n", "invalid YAML"),
        ("---\n- a\n- b\n---\nHi\n", "front matter must be a mapping"),
        ("---\ndrafter: {disable: 3}\n---\nHi\n", "drafter.disable"),
        ("---\ncontact: [1, 2]\n---\nHi\n", "front matter 'contact'"),
    ],
)
def test_bad_front_matter_is_one_clear_error(text: str, message: str) -> None:
    with pytest.raises(DrafterError) as info:
        parse_draft(text, "d.md")
    assert message in info.value.message
    assert "\n" not in info.value.message


def test_line_index_round_trip() -> None:
    text = "ab\ncd\n\nef"
    index = LineIndex(text)
    assert index.position(0) == (1, 1)
    assert index.position(4) == (2, 2)
    assert index.position(text.index("ef")) == (4, 1)
    assert index.offset(4, 2) == text.index("f")


def test_file_text_round_trips_through_the_parser() -> None:
    draft = Draft.from_body(
        "Hi Ana,\nGreat talk.", platform="email", stage="connect", subject="Your talk"
    )
    text = to_file_text(draft)
    back = parse_draft(text, "x.md")
    assert (back.platform, back.stage, back.subject) == ("email", "connect", "Your talk")
    assert back.body == "Hi Ana,\nGreat talk.\n"


@pytest.mark.parametrize(
    ("path", "platform"),
    [
        ("x.md", None),
        ("notes/plan-x.md", None),
        ("ana_x_reply.md", None),
        ("drafts/x/reply.md", "x"),
        ("drafts\\x\\reply.md", "x"),
        ("linkedin-thanks.md", "linkedin"),
        ("drafts/github/ana.md", "github"),
    ],
)
def test_platform_from_path_needs_a_folder_for_one_letter_names(
    path: str, platform: str | None
) -> None:
    """A file named x.md is not an X draft; a folder named x/ says it is."""
    assert parse_draft("Hi Ana, thanks for the review.", path, platforms=PLATFORMS).platform == (
        platform
    )


def test_front_matter_makes_x_md_an_x_draft() -> None:
    text = "---\nplatform: x\n---\nLoved the thread on Flink joins."
    assert parse_draft(text, "x.md", platforms=PLATFORMS).platform == "x"
