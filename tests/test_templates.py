"""Built-in templates and the renderer: filters, limits, facts, safety, user folders, variants."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from drafter.compose.catalog import load_catalog
from drafter.compose.filters import (
    bare,
    first_name,
    join_and,
    lower_first,
    pick_offer,
    truncate_words,
    with_article,
)
from drafter.compose.render import Renderer, choose_variant
from drafter.core.contacts import Activity, Contact, Offer, Sender, load_roster, load_sender
from drafter.core.drafts import Draft
from drafter.core.errors import DrafterError
from drafter.core.resources import builtin_dir

HERE = Path(__file__).parent
CONTACTS = HERE / "data" / "contacts"
USER_TEMPLATES = HERE / "data" / "templates" / "user"
EVIL_TEMPLATES = HERE / "data" / "templates" / "evil"
EXAMPLES = builtin_dir("examples")
ROSTERS = ("roster.yaml", "roster.csv", "roster.json")

BANNED = (
    "our product",
    "quick call",
    "15 minutes",
    "pick your brain",
    "hope this finds you well",
    "came across your profile",
    "expand my network",
    "reach out",
    "touch base",
    "just bumping",
    "did you get a chance",
    "circle back",
)


@pytest.fixture(scope="module")
def me() -> Sender:
    return load_sender(EXAMPLES / "me.yaml")


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(load_catalog())


@pytest.fixture(scope="module")
def free_renderer() -> Renderer:
    return Renderer(load_catalog(), free_account=True)


def example_contacts() -> list[Contact]:
    seen: dict[str, Contact] = {}
    for name in ROSTERS:
        for contact in load_roster(EXAMPLES / name):
            seen.setdefault(f"{name}:{contact.id}", contact)
    return list(seen.values())


def by_id(contact_id: str) -> Contact:
    return next(c for c in load_roster(EXAMPLES / "roster.yaml") if c.id == contact_id)


def meets(renderer: Renderer, platform: str, stage: str, contact: Contact, me: Sender) -> bool:
    """Declared requirements, plus the finer ones templates check with fail()."""
    spec = renderer.catalog.get(platform, stage).spec
    facts = {
        "recent_activity": contact.recent_activity,
        "common_ground": contact.common_ground,
        "how_we_met": contact.how_we_met,
        "side_projects": contact.side_projects,
        "interests": contact.interests,
        "me.offers": me.offers,
        "other": True,
    }
    if not all(facts[f] for f in spec.requires):
        return False
    if not all(any(facts[f] for f in group) for group in spec.requires_any):
        return False
    if platform == "github":
        repos = [a for a in contact.recent_activity if a.kind in ("repo", "project")]
        return bool(repos or contact.side_projects)
    if stage == "value":
        return pick_offer(me.offers, contact) is not None
    return True


def fact_texts(contact: Contact) -> list[str]:
    """Text fragments of the contact's facts as they may appear in a draft (titles shortened)."""
    texts = [a.title[:25] for a in contact.recent_activity]
    texts += [*contact.common_ground, *contact.side_projects, *contact.interests]
    texts += [t for t in (contact.how_we_met, contact.role, contact.company) if t]
    out = []
    for text in texts:
        text = bare(text)
        if text.lower().startswith(("both ", "we ")):
            text = text.split(" ", 1)[1]
        out.append(text[:25].lower())
    return out


def check_clean(draft: Draft) -> None:
    text = f"{draft.subject or ''}\n{draft.body}"
    assert "{{" not in text.replace(draft.contact.name if draft.contact else "", "")
    assert not re.search(r"\b(None|Undefined)\b|\[\]|\(\)", text), text
    assert not re.search(r"(Hi|Dear|and) ,|, ,|  |\s[.,;:!?]|\.\.(?!\.)", text), text
    lowered = text.lower()
    for phrase in BANNED:
        assert phrase not in lowered, (phrase, text)


# ---- filters ----------------------------------------------------------------------------------


def test_filters() -> None:
    assert first_name("  Ana  Ribeiro ") == "Ana"
    assert first_name("") == ""
    assert join_and(["a"]) == "a"
    assert join_and(["a", "b", "c"]) == "a, b and c"
    assert join_and(["a", " ", "b"], "or") == "a or b"
    assert truncate_words("Late events in streaming joins", 18) == "Late events in…"
    assert truncate_words("short", 18) == "short"
    assert lower_first("Staff data engineer") == "staff data engineer"
    assert lower_first("API design") == "API design"
    assert lower_first("PyCon talks") == "PyCon talks"
    assert lower_first("Luleå University of Technology") == "Luleå University of Technology"
    assert lower_first("I'd be glad") == "I'd be glad"
    assert bare("Done!. ") == "Done"
    assert with_article("Engineering manager") == "an engineering manager"
    assert with_article("Data analyst") == "a data analyst"
    assert with_article("UX designer") == "a UX designer"
    assert with_article("SRE") == "an SRE"
    assert with_article("university lecturer") == "a university lecturer"
    assert with_article("hourly consultant") == "an hourly consultant"


def test_pick_offer_matches_topics_and_says_nothing_when_unrelated(me: Sender) -> None:
    assert pick_offer(me.offers, by_id("ana-ribeiro")).title.startswith("a write-up of how we cut")
    assert "colour-blind" in pick_offer(me.offers, by_id("priya-nair")).title
    assert pick_offer(me.offers, by_id("tomas-berg")) is None
    code = pick_offer(me.offers, by_id("diego-alvarez"), ["code"])
    assert code is not None and code.kind == "code"


# ---- every built-in template, every example contact -------------------------------------------


def matrix() -> list[tuple[str, str, str]]:
    catalog = load_catalog()
    return [(p, s, v) for (p, s), info in catalog.templates.items() for v in info.variants]


@pytest.mark.parametrize(("platform", "stage", "variant"), matrix())
def test_builtin_template_renders_for_every_example_contact(
    renderer: Renderer, me: Sender, platform: str, stage: str, variant: str
) -> None:
    contacts = example_contacts()
    spec = renderer.catalog.platforms[platform]
    channel = spec.channel(stage)
    rendered = 0
    for contact in contacts:
        other = next(c for c in contacts if c.id != contact.id) if stage == "intro" else None
        if not meets(renderer, platform, stage, contact, me):
            with pytest.raises(DrafterError) as info:
                renderer.render(platform, stage, contact, me, variant=variant, other=other)
            assert f"contact '{contact.id}'" in info.value.message
            continue
        draft = renderer.render(platform, stage, contact, me, variant=variant, other=other)
        rendered += 1
        check_clean(draft)
        if channel.limit is not None:
            assert spec.count(draft.body) <= channel.limit
        if channel.subject:
            assert draft.subject and len(draft.subject) <= (channel.subject_limit or 998)
        else:
            assert draft.subject is None
        body = draft.body.lower()
        if channel.greeting:
            assert contact.first_name.lower() in body
            assert draft.body.rstrip().endswith(me.first_name) or me.name in draft.body
        assert any(fact in body for fact in fact_texts(contact)), draft.body
        words = len(draft.body.split())
        if platform in ("linkedin", "x", "slack", "facebook"):
            assert words <= 90, draft.body
        if platform == "email":
            assert 25 <= words <= 125, draft.body
        if platform == "letter":
            assert 35 <= words <= 100, draft.body
    assert rendered >= 2, f"{platform}/{stage}/{variant} rendered for fewer than 2 examples"


@pytest.mark.parametrize("variant", ["a", "b"])
def test_linkedin_connect_fits_the_free_account_limit(
    free_renderer: Renderer, me: Sender, variant: str
) -> None:
    for contact in example_contacts():
        draft = free_renderer.render("linkedin", "connect", contact, me, variant=variant)
        assert len(draft.body) <= 200, draft.body
        assert contact.first_name in draft.body
        assert any(fact in draft.body.lower() for fact in fact_texts(contact))


def test_long_title_gets_the_short_form(free_renderer: Renderer, me: Sender) -> None:
    long_title = "An extremely long talk title " + "about streaming joins " * 8
    contact = replace(
        by_id("ana-ribeiro"), recent_activity=[Activity(kind="talk", title=long_title)]
    )
    draft = free_renderer.render("linkedin", "connect", contact, me, variant="a")
    assert len(draft.body) <= 200
    assert "…" in draft.body
    assert "northern Norway" not in draft.body  # the optional sentence about me dropped out
    full = Renderer(load_catalog()).render(
        "linkedin", "connect", by_id("jonas-lind"), me, variant="a"
    )
    assert "…" not in full.body  # no truncation when there is room


def test_example_contacts_draft_for_demo_and_follow_up(renderer: Renderer, me: Sender) -> None:
    for contact in example_contacts():
        for platform, stage in (
            ("linkedin", "connect"),
            ("email", "connect"),
            ("x", "connect"),
            ("linkedin", "follow_up"),
            ("email", "follow_up"),
        ):
            assert renderer.render(platform, stage, contact, me).body


def test_different_facts_give_visibly_different_drafts(renderer: Renderer, me: Sender) -> None:
    ana = renderer.render("linkedin", "connect", by_id("ana-ribeiro"), me, variant="a").body
    jonas = renderer.render("linkedin", "connect", by_id("jonas-lind"), me, variant="a").body
    assert "Late events in streaming joins" in ana
    assert "story points" in jonas and "We both studied at Luleå University of Technology." in jonas
    ana_lines = set(ana.replace("Ana", "X").splitlines())
    jonas_lines = set(jonas.replace("Jonas", "X").splitlines())
    assert len(ana_lines ^ jonas_lines) >= 2


def test_common_ground_reads_as_a_sentence(renderer: Renderer, me: Sender) -> None:
    ana = renderer.render("linkedin", "connect", by_id("ana-ribeiro"), me, variant="b").body
    assert "We have something in common: moving to a small town and working remotely." in ana
    leila = renderer.render("linkedin", "connect", by_id("leila-haddad"), me, variant="b").body
    assert "We both moved from physics research into data work." in leila
    assert "share both" not in ana + leila


def test_email_subject_and_greeting(renderer: Renderer, me: Sender) -> None:
    draft = renderer.render("email", "connect", by_id("jonas-lind"), me, variant="a")
    assert draft.subject == "Your post: Why our team stopped estimating in story points"
    assert draft.body.startswith("Hi Jonas,\n\n")
    assert draft.body.endswith("Best,\nSam")


def test_x_reply_has_no_greeting_and_is_weighted(renderer: Renderer, me: Sender) -> None:
    kenji = by_id("kenji-watanabe")
    draft = renderer.render("x", "connect", kenji, me, variant="b")
    assert not draft.body.startswith("Hi")
    assert "漁獲データ" in draft.body
    x = renderer.catalog.platforms["x"]
    cjk = sum(1 for ch in draft.body if ord(ch) > 0x3000)
    url = "https://example.org/sam/sensor-calibration"
    assert url in draft.body
    assert x.count(draft.body) == len(draft.body) + cjk - len(url) + 23


# ---- untrusted data -------------------------------------------------------------------------


def test_template_syntax_in_contact_data_appears_literally(renderer: Renderer, me: Sender) -> None:
    [zed] = load_roster(CONTACTS / "injection.yaml")
    no_post = replace(zed, recent_activity=[])
    drafts = [
        renderer.render("linkedin", "connect", no_post, me, variant="b").body,
        renderer.render("linkedin", "connect", zed, me, variant="a").body,
        renderer.render("email", "question", zed, me).body,
        renderer.render("linkedin", "follow_up", zed, me, variant="b").body,
    ]
    text = "\n".join(drafts)
    assert "We both write {{ config }} in our notes." in text
    assert "{{ 7*7 }}" in text
    assert "{% for x in y %}" in drafts[0]
    assert "{% raw %}{{ self.__init__ }}{% endraw %}" in drafts[1]
    assert "49" not in text


def test_unknown_field_reachable_and_user_override(me: Sender) -> None:
    renderer = Renderer(load_catalog([USER_TEMPLATES]))
    [solo] = load_roster(CONTACTS / "one.yaml")
    draft = renderer.render("linkedin", "connect", solo, me, variant="a")
    assert draft.body == "USER OVERRIDE for Ines, who likes {{ 7*7 }}."
    ana = renderer.render("linkedin", "connect", by_id("ana-ribeiro"), me, variant="a")
    assert ana.body == "USER OVERRIDE for Ana."
    built_in_b = renderer.render("linkedin", "connect", solo, me, variant="b")
    assert built_in_b.body.startswith("Hi Ines,")
    info = renderer.catalog.get("linkedin", "connect")
    assert info.variants["a"].is_relative_to(USER_TEMPLATES)
    assert info.variants["b"].is_relative_to(builtin_dir("templates"))


def test_user_folder_adds_a_platform(me: Sender) -> None:
    renderer = Renderer(load_catalog([USER_TEMPLATES]))
    draft = renderer.render("mastodon", "connect", by_id("ana-ribeiro"), me)
    assert (
        draft.body
        == "Glad to find another fan of stream processing and mentoring junior engineers, Ana."
    )
    with pytest.raises(DrafterError, match="mastodon/connect needs field 'interests'"):
        renderer.render(
            "mastodon",
            "connect",
            by_id("priya-nair").__class__(id="p", name="P Q", first_name="P"),
            me,
        )
    assert "mastodon" not in load_catalog().platforms


def test_sandbox_refuses_attribute_escape(me: Sender) -> None:
    renderer = Renderer(load_catalog([EVIL_TEMPLATES]))
    with pytest.raises(DrafterError, match="refused by the template sandbox"):
        renderer.render("linkedin", "connect", by_id("ana-ribeiro"), me, variant="a")


# ---- requirements ---------------------------------------------------------------------------


def test_requirements_name_the_missing_field(renderer: Renderer, me: Sender) -> None:
    tomas = by_id("tomas-berg")
    bare_contact = Contact(id="bare", name="Bo Bare", first_name="Bo", source="r.yaml:9")
    with pytest.raises(DrafterError) as info:
        renderer.render("linkedin", "connect", bare_contact, me)
    assert info.value.message == (
        "contact 'bare': linkedin/connect needs one of the fields 'recent_activity', "
        "'common_ground', 'how_we_met', 'side_projects', 'interests' (r.yaml:9)"
    )
    with pytest.raises(
        DrafterError, match="linkedin/reconnect needs one of the fields 'how_we_met'"
    ):
        renderer.render("linkedin", "reconnect", replace(tomas, how_we_met=None), me)
    no_offers = replace(me, offers=[])
    with pytest.raises(DrafterError, match=r"email/value needs field 'me\.offers'"):
        renderer.render("email", "value", by_id("ana-ribeiro"), no_offers)
    with pytest.raises(DrafterError, match="needs a second contact to introduce"):
        renderer.render("email", "intro", by_id("ana-ribeiro"), me)
    with pytest.raises(DrafterError, match=r"none of me\.offers relates to this contact"):
        renderer.render("linkedin", "value", tomas, me)
    with pytest.raises(DrafterError, match="github/connect needs a recent_activity of kind repo"):
        renderer.render("github", "connect", by_id("kenji-watanabe"), me)


def test_intro_names_both_people(renderer: Renderer, me: Sender) -> None:
    draft = renderer.render("email", "intro", by_id("jonas-lind"), me, other=by_id("tomas-berg"))
    assert draft.subject == "Introduction: Jonas and Tomas"
    assert "Jonas is an engineering manager at Nordhavn Robotics" in draft.body
    assert "Tomas is a backend developer and cares about Postgres internals." in draft.body


def test_sender_without_about_falls_back_to_role(renderer: Renderer) -> None:
    sender = Sender(name="Kim Lee", first_name="Kim", role="Product designer", company="Ovo")
    draft = renderer.render("linkedin", "connect", by_id("priya-nair"), sender, variant="a")
    assert "I'm a product designer at Ovo." in draft.body
    assert draft.body.endswith("\nKim")


# ---- variants -------------------------------------------------------------------------------


def test_variant_choice_is_stable_and_spread(renderer: Renderer, me: Sender) -> None:
    info = renderer.catalog.get("linkedin", "connect")
    contacts = load_roster(EXAMPLES / "roster.yaml")
    first = [choose_variant(info, c, None) for c in contacts]
    assert first == [choose_variant(info, c, None) for c in contacts]
    assert set(first) == {"a", "b"}
    drafts = [renderer.render("linkedin", "connect", c, me) for c in contacts]
    assert [d.variant for d in drafts] == first


def test_requested_variant_is_used_and_unknown_is_an_error(renderer: Renderer, me: Sender) -> None:
    ana = by_id("ana-ribeiro")
    a = renderer.render("linkedin", "connect", ana, me, variant="a")
    b = renderer.render("linkedin", "connect", ana, me, variant="b")
    assert (a.variant, b.variant) == ("a", "b")
    assert a.body != b.body
    assert a.body.startswith("Hi Ana,\nI enjoyed your talk")
    with pytest.raises(DrafterError, match="linkedin/connect has no variant 'z'; it has: a, b"):
        renderer.render("linkedin", "connect", ana, me, variant="z")


def test_offer_without_url_is_offered_in_words(renderer: Renderer) -> None:
    sender = Sender(
        name="Sam Okafor",
        first_name="Sam",
        offers=[Offer(kind="review", title="a review of your palette", topics=["palettes"])],
    )
    draft = renderer.render("linkedin", "value", by_id("priya-nair"), sender)
    assert "I'd be glad to offer a review of your palette, if that would help." in draft.body
    assert "http" not in draft.body
