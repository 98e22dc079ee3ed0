"""Drafts a person would send: no invented events, facts that fit their sentence, offers that fit.

The claim phrases live in drafter/compose/claims.yaml and the defect classes in
tests/data/defects.yaml; both are checked here on every built-in template and variant.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from drafter.compose.catalog import load_catalog
from drafter.compose.claims import support, unsupported_claims
from drafter.compose.facts import (
    build_facts,
    common_sentence,
    job_phrase,
    met_phrase,
    roster_warnings,
    second_person,
)
from drafter.compose.filters import match_offer, with_article
from drafter.compose.render import Renderer
from drafter.core.contacts import Contact, Offer, Sender, contact_from_mapping, load_roster
from drafter.core.contacts import load_sender as _load_sender
from drafter.core.errors import DrafterError
from drafter.core.relationship import Event, Relationship
from drafter.core.resources import builtin_dir

HERE = Path(__file__).parent
VARIED = HERE / "data" / "rosters" / "varied.yaml"
DEFECTS = HERE / "data" / "defects.yaml"
PLATFORMS = ("linkedin", "email", "x", "slack", "github", "quora", "behance", "facebook", "letter")
DAY = date(2026, 11, 1)


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(load_catalog())


@pytest.fixture(scope="module")
def me() -> Sender:
    return _load_sender(builtin_dir("examples") / "me.yaml")


def person(cid: str, **fields: object) -> Contact:
    row = {"id": cid, "name": "Robin Vale", "platforms": {p: "robin" for p in PLATFORMS}}
    row.update(fields)
    return contact_from_mapping(row, f"test:{cid}")


# Facts-minimal and single-fact contacts: each says exactly one thing.
ACTIVITY = [{"kind": "post", "title": "Tide tables by hand", "takeaway": "the paper worksheet"}]
SINGLE = {
    "minimal": {"reason": "I plan tide tables for two farms."},
    "met": {"how_we_met": "at the Tromsø harbour open day", "reason": "I run a farm nearby."},
    "common": {"common_ground": ["both grew up in Bodø"], "reason": "I run a farm nearby."},
    "activity": {"recent_activity": ACTIVITY},
    "interest": {"interests": ["tide tables"], "reason": "I plan tide tables for two farms."},
    "side": {"side_projects": ["a tide clock"], "reason": "I plan tide tables for two farms."},
    "thanks_for": {"thanks_for": "the tide worksheet", "reason": "I plan tide tables."},
    "question": {"question": "Do you print the tables?", "recent_activity": ACTIVITY},
}
HISTORIES: dict[str, Relationship | None] = {
    "none": None,
    "replied": Relationship("x", (Event("reply", DAY, reply_kind="positive"),)),
    "auto-reply": Relationship("x", (Event("reply", DAY, reply_kind="auto"),)),
    "accepted-on-x": Relationship("x", (Event("accepted", DAY, platform="x"),)),
    "met": Relationship("x", (Event("met", DAY),)),
    "sent": Relationship("x", (Event("sent", DAY, stage="connect"),)),
}


def templates() -> list[tuple[str, str, str]]:
    catalog = load_catalog()
    return [(p, s, v) for (p, s), info in catalog.templates.items() for v in info.variants]


# ---- never invent -----------------------------------------------------------------------------


def test_claim_phrases_are_flagged_only_without_support() -> None:
    bare = person("bare")
    met = person("met", how_we_met="at PyCon")
    assert [c.claim for c in unsupported_claims("It was a pleasure to meet you.", bare)] == ["met"]
    assert unsupported_claims("It was a pleasure to meet you.", met) == []
    assert [c.claim for c in unsupported_claims("Thank you for your reply!", bare)] == ["replied"]
    replied = HISTORIES["replied"]
    assert unsupported_claims("Thank you for your reply!", bare, replied) == []
    # an auto-reply is not a reply
    assert unsupported_claims("Thanks for getting back to me.", bare, HISTORIES["auto-reply"])
    assert [c.claim for c in unsupported_claims("Since we last spoke, much changed.", bare)] == [
        "spoke"
    ]
    assert [c.claim for c in unsupported_claims("Thanks for the review.", met, replied)] == [
        "reviewed"
    ]
    assert [c.claim for c in unsupported_claims("Your work there has saved me hours.", met)] == [
        "helped"
    ]
    # accepted on X is not accepted on LinkedIn
    on_x = HISTORIES["accepted-on-x"]
    assert unsupported_claims("Thanks for connecting.", bare, on_x, "x") == []
    assert unsupported_claims("Thanks for connecting.", bare, on_x, "linkedin")


def test_the_users_own_words_may_claim_anything() -> None:
    contact = person("own", thanks_for="your review of my pull request")
    assert unsupported_claims("Thank you for your review of my pull request.", contact) == []
    assert support(contact, None, "github") >= {"replied", "accepted"}


@pytest.mark.parametrize(("platform", "stage", "variant"), templates())
def test_no_template_claims_what_the_facts_do_not_say(
    renderer: Renderer, me: Sender, platform: str, stage: str, variant: str
) -> None:
    other = person("other", name="Kai Moe", intros={"x": "y"})
    invented = []
    for key, fields in SINGLE.items():
        intros = {"intros": {"other": "you both plan tide tables."}}
        contact = person(key, **fields, **intros)
        for hname, history in HISTORIES.items():
            try:
                draft = renderer.render(
                    platform, stage, contact, me, variant=variant, other=other, history=history
                )
            except DrafterError as exc:
                assert "\n" not in exc.message and f"contact '{key}'" in exc.message
                continue
            text = f"{draft.subject or ''}\n{draft.body}"
            for claim in unsupported_claims(text, contact, history, platform):
                invented.append(f"{key}/{hname}: {claim.claim}: {claim.text!r}")
    assert invented == []


@pytest.mark.parametrize(
    ("stage", "fields", "history", "message"),
    [
        ("thanks", SINGLE["activity"], None, "presupposes they accepted or replied"),
        ("thanks", SINGLE["activity"], "sent", "presupposes they accepted or replied"),
        ("reconnect", SINGLE["activity"], None, "presupposes we have met or spoken"),
        (
            "follow_up",
            SINGLE["activity"],
            "auto-reply",
            "presupposes an earlier message or meeting",
        ),
        ("connect", {"interests": ["tides"]}, None, "needs your own reason to write: add reason:"),
        ("question", SINGLE["activity"], None, "add question: to the contact"),
    ],
)
def test_stages_that_presuppose_an_event_refuse_in_one_line(
    renderer: Renderer,
    me: Sender,
    stage: str,
    fields: dict[str, object],
    history: str | None,
    message: str,
) -> None:
    contact = person("c", **fields)
    with pytest.raises(DrafterError) as info:
        renderer.render("linkedin", stage, contact, me, history=HISTORIES.get(history or "none"))
    assert message in info.value.message
    assert info.value.message.startswith(f"contact 'c': linkedin/{stage} ")


def test_the_history_unlocks_thanks_and_follow_up(renderer: Renderer, me: Sender) -> None:
    contact = person("c", **SINGLE["activity"])
    thanks = renderer.render("linkedin", "thanks", contact, me, history=HISTORIES["replied"])
    assert re.search(r"reply|getting back|writing back|answer|note back", thanks.body)
    follow = renderer.render("email", "follow_up", contact, me, history=HISTORIES["sent"])
    assert re.search(r"last (message|note)|earlier (note|message)", follow.body)


def test_intro_needs_the_reason_the_two_should_meet(renderer: Renderer, me: Sender) -> None:
    a = person("a", **SINGLE["activity"])
    b = person("b", name="Kai Moe", role="Harbour master", **SINGLE["activity"])
    with pytest.raises(
        DrafterError, match=r"why they should meet Kai, in words to them: add intros: \{b: \.\.\.\}"
    ):
        renderer.render("email", "intro_ask", a, me, other=b)
    a2 = person("a", **SINGLE["activity"], intros={"b": "Kai keeps the tide records you need."})
    ask = renderer.render("email", "intro_ask", a2, me, other=b, variant="a")
    assert re.search(r"\b(?:introduc\w+|touch|connect|meet)\b[^.?]*\bKai\b[^.]*\?", ask.body)
    # no company: "a", not "the" (the job is an aside after a comma or in brackets)
    assert re.search(r"Kai(?:, | \()a harbour master", ask.body), ask.body
    assert "Kai keeps the tide records you need." in ask.body


# ---- facts that fit the sentence --------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("at sunday softball league", "at the Sunday softball league"),
        ("introduced by Ana Ribeiro", "through Ana Ribeiro"),
        ("at PyCon", "at PyCon"),
        ("through Jess Park", "through Jess Park"),
        ("PyData Tromsø 2025", "at PyData Tromsø 2025"),
        ("science fair in Bergen", "at the science fair in Bergen"),
        ("on the harbour open day", "on the harbour open day"),
        ("worked together at Acme", None),
    ],
)
def test_how_we_met_reads_after_we_met_or_is_refused(raw: str, expected: str | None) -> None:
    assert met_phrase(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("grew up in Accra", "We both grew up in Accra."),
        ("both love sea kayaking", "We both love sea kayaking."),
        ("we both studied at NTNU", "We both studied at NTNU."),
        ("moving to Tromsø this winter", "We're both moving to Tromsø this winter."),
        ("a love of old maps", "We share a love of old maps."),
        ("Luleå University of Technology", None),
    ],
)
def test_common_ground_becomes_a_sentence_or_is_refused(raw: str, expected: str | None) -> None:
    assert common_sentence(raw) == expected


def test_third_person_notes_about_the_reader_become_second_person() -> None:
    assert (
        second_person("coaching his daughter's Little League team", "Kevin")
        == "coaching your daughter's Little League team"
    )
    assert second_person("she runs the open day every June") == "you run the open day every June"
    assert second_person("Kevin's team plays on Sundays", "Kevin") == "Your team plays on Sundays"
    assert second_person("with her") == "with you"


@pytest.mark.parametrize(
    ("role", "company", "expected"),
    [
        ("owner", "Brightside Tutoring", "the owner of Brightside Tutoring"),
        ("Director of Marketing", "Cobalt Coffee", "a Director of Marketing at Cobalt Coffee"),
        ("SRE", "Pallet Cloud", "an SRE at Pallet Cloud"),
        ("MBA student", None, "an MBA student"),
        ("UX designer", "Studio Onda", "a UX designer at Studio Onda"),
        ("user researcher", None, "a user researcher"),
        ("European patent attorney", None, "a European patent attorney"),
        ("Engineering manager", "Freelance", "an engineering manager"),
        ("Head of Data", "Nordic Salmon", "the Head of Data at Nordic Salmon"),
    ],
)
def test_roles_get_the_right_article(role: str, company: str | None, expected: str) -> None:
    assert job_phrase(role, company)[0] == expected


def test_article_before_numbers_and_letters() -> None:
    assert with_article("8th-grade teacher") == "an 8th-grade teacher"
    assert with_article("HR partner") == "an HR partner"
    assert with_article("one-person studio owner") == "a one-person studio owner"


def test_question_title_keeps_its_mark(renderer: Renderer, me: Sender) -> None:
    contact = person(
        "q",
        recent_activity=[
            {"kind": "answer", "title": "Can you patent an algorithm?", "takeaway": "the test"}
        ],
    )
    facts = build_facts(contact)
    assert facts.activity is not None and facts.activity.title == "Can you patent an algorithm?"
    bodies = [renderer.render("linkedin", "connect", contact, me, variant=v).body for v in "abcd"]
    assert any('"Can you patent an algorithm?"' in b for b in bodies)


def test_roster_warnings_name_fields_that_cannot_fit() -> None:
    warnings = roster_warnings(
        [
            person("w", how_we_met="worked together at Acme", common_ground=["Luleå University"]),
            person("ok", how_we_met="at PyCon", common_ground=["both like maps"]),
        ]
    )
    assert warnings == [
        "contact 'w': how_we_met 'worked together at Acme' does not read after \"we met\"; "
        "write it as 'at ...', 'through ...' or 'on ...' (left out)",
        "contact 'w': common_ground 'Luleå University' is not a sentence we can finish; start "
        "it with 'both ...', 'we ...' or a verb like 'grew up in ...' (left out)",
    ]


def load_defects() -> list[dict[str, object]]:
    return list(yaml.safe_load(DEFECTS.read_text(encoding="utf-8"))["defects"])


def defect_hits(text: str, contact: Contact, stage: str) -> list[str]:
    hits = []
    for d in load_defects():
        if stage in (d.get("skip_stages") or []):  # type: ignore[operator]
            continue
        pattern = str(d["pattern"]).replace("{first}", re.escape(contact.first_name))
        if re.search(pattern, text):
            hits.append(str(d["id"]))
    return hits


@pytest.mark.parametrize(
    ("defect", "bad", "good"),
    [
        ("question-title-lost-mark", 'your post "Should brands pay"', 'your post "Should I?"'),
        ("article-before-vowel-sound", "a owner", "an owner"),
        ("article-before-vowel-sound", "a SRE", "an SRE"),
        ("owner-as-one-of-many", "an owner at Bakery", "the owner of Bakery"),
        ("title-case-role-half-lowered", "a director of Marketing", "a Director of Marketing"),
        ("common-ground-fragment", "in common: grew up in Accra", "We both grew up in Accra."),
        ("follow-a-gerund", "Since you follow hiring engineers", "You care about hiring"),
        ("third-person-reader", "coaching his daughter's team", "coaching your team"),
        ("lowercase-proper-noun", "at the sunday league", "at the Sunday league"),
        ("met-fragment", "meet you at introduced by Ana", "meet you through Ana"),
        ("missing-the", "at sunday softball league", "at the softball league"),
        ("doubled-word", "the the talk", "the talk"),
    ],
)
def test_defect_patterns_flag_the_bad_and_pass_the_good(defect: str, bad: str, good: str) -> None:
    kevin = person("k", name="Kevin Osei")
    assert defect in defect_hits(bad, kevin, "connect")
    assert defect not in defect_hits(good, kevin, "connect")


@pytest.mark.parametrize(("platform", "stage", "variant"), templates())
def test_varied_roster_drafts_have_no_grammar_defects(
    renderer: Renderer, me: Sender, platform: str, stage: str, variant: str
) -> None:
    contacts = load_roster(VARIED)
    by_id = {c.id: c for c in contacts}
    full = Relationship(
        "x", (Event("met", DAY), Event("sent", DAY), Event("reply", DAY, reply_kind="positive"))
    )
    found = []
    for contact in contacts:
        other = next((by_id[i] for i in contact.intros if i in by_id), contacts[0])
        for history in (None, full):
            try:
                draft = renderer.render(
                    platform, stage, contact, me, variant=variant, other=other, history=history
                )
            except DrafterError:
                continue
            text = f"{draft.subject or ''}\n{draft.body}"
            hits = defect_hits(text, contact, stage)
            if hits:
                found.append(f"{contact.id}: {hits}: {text!r}")
    assert found == []


# ---- offers that fit --------------------------------------------------------------------------


OFFERS = [
    Offer("review", "a read-through of your docs", topics=["documentation", "read-through"]),
    Offer("review", "notes on pricing an illustration", topics=["pricing illustration"]),
    Offer("article", "our notes on tide gauges", topics=["tide gauges", "tides"]),
    Offer("review", "a palette review", topics=["illustration", "colour palettes"]),
]


def test_offers_match_whole_topics_not_shared_stems() -> None:
    jess = person("j", how_we_met="through Jess Park", interests=["level design"], role="teacher")
    assert match_offer(OFFERS, jess) is None  # "through" is not "read-through"
    game = person(
        "g", role="game developer", recent_activity=[{"kind": "post", "title": "Pricing"}]
    )
    assert match_offer(OFFERS, game) is None  # one word of a two-word topic is no overlap
    tides = person("t", interests=["tide gauges in small harbours"])
    found = match_offer(OFFERS, tides)
    assert found is not None and found.offer.title == "our notes on tide gauges"
    assert found.why == "I thought of you because you are interested in tide gauges."


def test_no_offer_of_the_readers_own_profession() -> None:
    illustrator = person("i", role="Illustrator", interests=["colour palettes"])
    assert match_offer(OFFERS, illustrator) is None
    teacher = person("t", role="Teacher", interests=["colour palettes"])
    found = match_offer(OFFERS, teacher)
    assert found is not None and found.offer.title == "a palette review"


def test_value_draft_says_why_the_offer_fits(renderer: Renderer, me: Sender) -> None:
    ana = next(
        c for c in load_roster(builtin_dir("examples") / "roster.yaml") if c.id == "ana-ribeiro"
    )
    for variant in "abcd":
        body = renderer.render("linkedin", "value", ana, me, variant=variant).body
        assert "because you are interested in stream processing." in body, body


def test_no_url_in_a_linkedin_note(renderer: Renderer, me: Sender) -> None:
    for contact in load_roster(VARIED):
        for variant in "abcd":
            try:
                body = renderer.render("linkedin", "connect", contact, me, variant=variant).body
            except DrafterError:
                continue
            assert not re.search(r"https?://|www\.", body), body


def test_templates_see_the_history_record(tmp_path: Path, me: Sender) -> None:
    folder = tmp_path / "tpl" / "linkedin" / "connect"
    folder.mkdir(parents=True)
    (folder / "h.j2").write_text(
        "Hi {{ contact.first_name }}, replied={{ history.replied if history else 'none' }}, "
        "met={{ f.met }}, {{ f.reason }}",
        encoding="utf-8",
    )
    renderer = Renderer(load_catalog([tmp_path / "tpl"]))
    contact = person("h", **SINGLE["minimal"])
    plain = renderer.render("linkedin", "connect", contact, me, variant="h")
    assert plain.body == "Hi Robin, replied=none, met=False, I plan tide tables for two farms."
    known = renderer.render(
        "linkedin", "connect", contact, me, variant="h", history=HISTORIES["replied"]
    )
    assert known.body == "Hi Robin, replied=True, met=False, I plan tide tables for two farms."


def test_draft_warns_about_fields_that_cannot_fit(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from drafter.cli import cli

    roster = tmp_path / "r.yaml"
    roster.write_text(
        "- id: w\n  name: Wim Roos\n  platforms: {linkedin: wim}\n"
        "  how_we_met: worked together at Acme\n  reason: I met you at Acme.\n",
        encoding="utf-8",
    )
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
            "--no-lint",
        ],
        obj={},
    )
    assert result.exit_code == 0, result.output
    assert (
        "drafter: warning: contact 'w': how_we_met 'worked together at Acme' does not read "
        'after "we met"' in result.stderr
    )
    assert "worked together" not in result.stdout


def test_the_senders_bio_only_where_it_relates(me: Sender) -> None:
    # me.yaml: "a data engineer in northern Norway who builds sensor pipelines for fish farms"
    sensors = person("s", interests=["sensor calibration"])
    poems = person("p", interests=["sonnets"], role="Poet")
    assert build_facts(sensors, me).bio_relates is True
    assert build_facts(poems, me).bio_relates is False


def test_a_role_of_punctuation_is_no_role() -> None:
    """Found by test_properties: role "." crashed rendering (an empty word list)."""
    assert job_phrase(".", None) == ("", "")
    assert job_phrase(" - ", "Acme") == ("at Acme", "Acme")
    assert job_phrase("SRE", "Pallet Cloud") == ("an SRE at Pallet Cloud", "Pallet Cloud")
