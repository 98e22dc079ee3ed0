"""Built-in templates and the renderer: filters, limits, facts, safety, user folders, variants."""

from __future__ import annotations

import re
from datetime import date
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
from drafter.compose.render import Renderer
from drafter.core.contacts import Contact, Sender, load_roster, load_sender
from drafter.core.drafts import Draft
from drafter.core.errors import DrafterError
from drafter.core.relationship import Event, Relationship
from drafter.core.resources import builtin_dir

HERE = Path(__file__).parent
VARIED = HERE / "data" / "rosters" / "varied.yaml"
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


def full_history(contact: Contact) -> Relationship:
    day = date(2026, 11, 1)
    events = (
        Event("met", day),
        Event("sent", day, stage="connect"),
        Event("accepted", day),
        Event("reply", day, reply_kind="positive"),
    )
    return Relationship(contact.id, events)


def partner(contacts: list[Contact], contact: Contact) -> Contact:
    by_id = {c.id: c for c in contacts}
    for other_id in contact.intros:
        if other_id in by_id:
            return by_id[other_id]
    return next(c for c in contacts if c.id != contact.id)


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
    # Priya is an illustrator: a palette review is her own profession, so it is never offered
    assert pick_offer(me.offers, by_id("priya-nair")) is None
    assert pick_offer(me.offers, by_id("tomas-berg")) is None
    code = pick_offer(me.offers, by_id("diego-alvarez"), ["code"])
    assert code is not None and code.kind == "code"


# ---- every built-in template, every example contact -------------------------------------------


def matrix() -> list[tuple[str, str, str]]:
    catalog = load_catalog()
    return [(p, s, v) for (p, s), info in catalog.templates.items() for v in info.variants]


@pytest.mark.parametrize(("platform", "stage", "variant"), matrix())
def test_builtin_template_renders_cleanly_or_refuses_by_name(
    renderer: Renderer, me: Sender, platform: str, stage: str, variant: str
) -> None:
    """Every template x variant, every example and varied contact, with and without a history:
    a clean draft within the limit, or a one-line refusal naming the contact."""
    contacts = example_contacts()  # the varied roster is rendered in test_fit.py
    spec = renderer.catalog.platforms[platform]
    channel = spec.channel(stage)
    rendered = 0
    for contact in contacts:
        other = partner(contacts, contact) if stage.startswith("intro") else None
        for history in (None, full_history(contact)):
            try:
                draft = renderer.render(
                    platform, stage, contact, me, variant=variant, other=other, history=history
                )
            except DrafterError as exc:
                assert f"contact '{contact.id}'" in exc.message
                assert "\n" not in exc.message
                continue
            rendered += 1
            check_clean(draft)
            if channel.limit is not None:
                assert spec.count(draft.body) <= channel.limit
            if channel.subject:
                assert draft.subject and len(draft.subject) <= (channel.subject_limit or 998)
            else:
                assert draft.subject is None
            if channel.greeting and not stage.startswith("intro"):
                assert contact.first_name.lower() in draft.body.lower()
    assert rendered >= 1, f"{platform}/{stage}/{variant} rendered for no contact"


def test_email_subject_and_greeting(renderer: Renderer, me: Sender) -> None:
    draft = renderer.render("email", "connect", by_id("jonas-lind"), me, variant="a")
    assert draft.subject == "Your post: Why our team stopped estimating in story points"
    assert draft.body.startswith(("Hi Jonas,\n\n", "Hello Jonas,\n\n"))
    assert draft.body.endswith("Best,\nSam")


def test_template_syntax_in_contact_data_appears_literally(renderer: Renderer, me: Sender) -> None:
    [zed] = load_roster(CONTACTS / "injection.yaml")
    drafts = [renderer.render("linkedin", "connect", zed, me, variant=v).body for v in "abcd"] + [
        renderer.render("email", "question", zed, me, variant=v).body for v in "abcd"
    ]
    text = "\n".join(drafts)
    assert "We both write {{ config }} in our notes." in text
    assert "the {{ 7*7 }} example" in text
    assert "I also write {{ config }} by hand" in text
    assert "Do you ever type {% if %} by mistake?" in text
    assert "{% raw %}{{ self.__init__ }}{% endraw %}" in text
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


def test_requested_variant_is_used_and_unknown_is_an_error(renderer: Renderer, me: Sender) -> None:
    ana = by_id("ana-ribeiro")
    a = renderer.render("linkedin", "connect", ana, me, variant="a")
    b = renderer.render("linkedin", "connect", ana, me, variant="b")
    assert (a.variant, b.variant) == ("a", "b")
    assert a.body != b.body
    assert a.body.startswith("Hi Ana,\n")
    with pytest.raises(
        DrafterError, match="linkedin/connect has no variant 'z'; it has: a, b, c, d"
    ):
        renderer.render("linkedin", "connect", ana, me, variant="z")
