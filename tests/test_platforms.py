"""Character counting (plain and X-weighted) and the built-in platform limits."""

from __future__ import annotations

import pytest

from drafter.compose.catalog import load_catalog
from drafter.core.errors import DrafterError
from drafter.core.platforms import count_chars, platform_from_mapping


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hello", 5),
        ("café", 4),
        ("https://example.org/a/very/long/path/that/is/long", 23),
        ("see https://example.org/a/very/long/path.", 4 + 23 + 1),
        ("(see example.org)", 1 + 4 + 23 + 1),
        ("www.example.com/abc", 23),
        ("node.js rocks", 13),
        ("日本語", 6),
        ("😀", 2),
        ("👍🏽", 2),
        ("👨\u200d👩\u200d👧", 2),
        ("🇳🇴", 2),
        ("❤️", 2),
        ("hi 😀 https://x.org", 3 + 2 + 1 + 23),
        ("  padded  ", 6),
    ],
)
def test_x_weighted_counting(text: str, expected: int) -> None:
    assert count_chars(text, "x-weighted") == expected


def test_plain_counting_counts_characters_not_bytes() -> None:
    assert count_chars("Luleå 日本", "chars") == 8
    assert count_chars("e\u0301", "chars") == 1  # NFC: é typed as e + combining accent


def test_unknown_counting_is_an_error() -> None:
    with pytest.raises(DrafterError, match="unknown character counting 'bytes'"):
        count_chars("x", "bytes")


def test_builtin_limits_match_the_facts() -> None:
    platforms = load_catalog().platforms
    linkedin = platforms["linkedin"]
    note = linkedin.channel("connect")
    assert (note.name, note.limit, note.body_limit(True), note.links) == ("note", 300, 200, False)
    assert linkedin.channel("follow_up").limit == 8000
    assert (linkedin.channels["inmail"].limit, linkedin.channels["inmail"].subject_limit) == (
        1900,
        200,
    )
    x = platforms["x"]
    assert x.counting == "x-weighted"
    reply = x.channel("connect")
    assert (reply.limit, reply.greeting) == (280, False)
    assert x.channel("follow_up").limit == 10000
    assert platforms["facebook"].channel("connect").limit == 2000
    assert platforms["slack"].channel("connect").limit == 4000
    assert platforms["github"].channel("connect").limit == 65536
    email = platforms["email"].channel("connect")
    assert (email.subject, email.subject_limit, email.limit) == (True, 78, None)
    assert platforms["letter"].channel("connect").limit is None
    for name in ("quora", "behance"):
        channel = platforms[name].channel("connect")
        assert channel.limit is None
        assert "no public" in (channel.source or "").lower()


def test_every_channel_cites_a_source_and_every_platform_has_connect_and_follow_up() -> None:
    catalog = load_catalog()
    assert set(catalog.platforms) >= {
        "linkedin",
        "x",
        "facebook",
        "slack",
        "github",
        "quora",
        "behance",
        "email",
        "letter",
    }
    for name, platform in catalog.platforms.items():
        for channel in platform.channels.values():
            assert channel.source, f"{name}/{channel.name} has no source"
        stages = {s for p, s in catalog.templates if p == name}
        assert {"connect", "follow_up"} <= stages, name
    for name in ("linkedin", "email"):
        assert {s for p, s in catalog.templates if p == name} == {
            "connect",
            "thanks",
            "question",
            "value",
            "follow_up",
            "reconnect",
            "intro",
        }


def test_platform_yaml_errors_name_the_key() -> None:
    with pytest.raises(
        DrafterError, match=r"'channels\.note\.limit' must be a positive whole number"
    ):
        platform_from_mapping("p", {"channels": {"note": {"limit": -3}}}, "p.yaml")
    with pytest.raises(DrafterError, match="channel 'note': unknown key 'limt'"):
        platform_from_mapping("p", {"channels": {"note": {"limt": 3}}}, "p.yaml")
    with pytest.raises(DrafterError, match="stage 'connect' uses unknown channel 'dm'"):
        platform_from_mapping(
            "p", {"channels": {"note": {}}, "stages": {"connect": {"channel": "dm"}}}, "p.yaml"
        )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bit.ly/abc", 23),
        ("see bit.ly/abc.", 4 + 23 + 1),
        ("lnkd.in/xyz and more", 23 + 9),
        ("mail ana@acme.com", 5 + 12),
    ],
)
def test_x_counts_every_link_the_linter_sees_as_23(text: str, expected: int) -> None:
    """One link pattern for the X counter and the link rules: shorteners count 23 too."""
    from drafter.core.textfacts import URL

    assert count_chars(text, "x-weighted") == expected
    links = [m.group() for m in URL.finditer(text)]
    assert all("@" not in link and not link.endswith(".") for link in links)
    assert len(links) == (0 if "@" in text else 1)
