"""Named checks: the few rules that need logic, not just a list or a threshold.

Each takes the segment context, its typed parameters (a dataclass registered with the check:
the defaults live there, rule files and config override them) and the spans of its phrase
lists, and yields hits. Parameters named `*_phrases` are matched by the engine's PhraseMatcher
and handed over as spans (see drafter.lint.kinds.check).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import drafter.lint.signals  # noqa: F401  # the checks that weigh signals register on import
from drafter.core.contacts import Contact
from drafter.core.textfacts import HONORIFICS, alternation
from drafter.lint.context import Context, Hit
from drafter.lint.genre import answers_them, is_reply, reader_sentences
from drafter.lint.kinds.check import NoParams, PhraseSpans, register
from drafter.lint.kinds.fields import named
from drafter.lint.lemmas import lemma
from drafter.lint.metrics import _HASHTAG, _MENTION
from drafter.lint.signals import (
    EARLIER,
    PRESSURE,
    SILENCE,
    cached_pitch,
    find_silence,
    signals,
)
from drafter.lint.text import Span

_TITLES = frozenset({*HONORIFICS, "dear"})
_STOP: frozenset[str] | None = None


def _stop_words() -> frozenset[str]:
    global _STOP  # a cache of a constant, filled once
    if _STOP is None:
        from spacy.lang.en.stop_words import STOP_WORDS

        _STOP = frozenset(lemma(w) for w in STOP_WORDS) | frozenset(STOP_WORDS)
    return _STOP


def _message_span(ctx: Context) -> Span:
    """Message-level findings mark the greeting, or the first line when there is none."""
    greeting = ctx.features.greeting
    return greeting.span if greeting is not None else ctx.features.first_line


def _hit(span: Span, **values: Any) -> Hit:
    return Hit(span.start, span.end, values=values)


# ---- platform ------------------------------------------------------------------------------


def _limit_index(ctx: Context, limit: int) -> int:
    """The offset of the first character past the limit, in the platform's way of counting."""
    text = ctx.text
    lo, hi = len(text) - len(text.lstrip()), len(text)
    while lo < hi:
        mid = (lo + hi) // 2
        if ctx.count(text[:mid]) > limit:
            hi = mid
        else:
            lo = mid + 1
    return max(0, lo - 1)


def _count(ctx: Context) -> int:
    """The platform's count of the whole segment, computed once for both limit checks."""
    cache = ctx.features.__dict__.setdefault("_counts", {})
    key = ctx.platform.name if ctx.platform else None
    found = cache.get(key)
    if found is None:
        found = cache[key] = ctx.count(ctx.text)
    return int(found)


@register("over-limit")
def over_limit(ctx: Context, params: NoParams, _: PhraseSpans) -> Iterable[Hit]:
    if ctx.limit is None:
        return
    count = _count(ctx)
    if count > ctx.limit:
        start = _limit_index(ctx, ctx.limit)
        yield Hit(start, len(ctx.text.rstrip()), values=_limit_values(ctx, count))


@dataclass(frozen=True)
class NearLimitParams:
    ratio: float = 0.9  # from this share of the limit on


@register("near-limit", NearLimitParams)
def near_limit(ctx: Context, params: NearLimitParams, _: PhraseSpans) -> Iterable[Hit]:
    if ctx.limit is None:
        return
    count = _count(ctx)
    ratio = params.ratio
    if ratio * ctx.limit <= count <= ctx.limit:
        start = _limit_index(ctx, int(ratio * ctx.limit))
        yield Hit(start, len(ctx.text.rstrip()), values=_limit_values(ctx, count))


def _limit_values(ctx: Context, count: int) -> dict[str, Any]:
    assert ctx.limit is not None
    label = (
        f"{ctx.platform.label} {ctx.channel.name}" if ctx.platform and ctx.channel else "platform"
    )
    return {
        "count": count,
        "limit": ctx.limit,
        "over": count - ctx.limit,
        "left": ctx.limit - count,
        "where": label,
    }


@dataclass(frozen=True)
class SubjectLimitParams:
    max: int | None = None  # characters; by default the channel's subject limit


@register("subject-limit", SubjectLimitParams)
def subject_limit(ctx: Context, params: SubjectLimitParams, _: PhraseSpans) -> Iterable[Hit]:
    limit = ctx.channel.subject_limit if ctx.channel else None
    limit = params.max if params.max is not None else limit
    n = len(ctx.text.strip())
    if limit and n > limit:
        yield Hit(
            int(limit),
            len(ctx.text.rstrip()),
            values={"count": n, "limit": limit, "over": n - limit},
        )


@register("links-not-allowed")
def links_not_allowed(ctx: Context, params: NoParams, _: PhraseSpans) -> Iterable[Hit]:
    if ctx.channel is None or ctx.channel.links:
        return
    where = f"{ctx.platform.label} {ctx.channel.name}" if ctx.platform else ctx.channel.name
    for m in ctx.features.urls:
        yield Hit(m.start(), m.end(), values={"match": m.group(), "where": where})


@dataclass(frozen=True)
class HashtagParams:
    hashtags_ok: tuple[str, ...] = ()  # platforms where hashtags are native
    mentions_ok: tuple[str, ...] = ()  # platforms where @-mentions are native
    without_platform: bool = False  # check drafts that name no platform too


@register("hashtags-not-allowed", HashtagParams)
def hashtags_not_allowed(ctx: Context, params: HashtagParams, _: PhraseSpans) -> Iterable[Hit]:
    """Hashtags and @-mentions where the platform has no use for them.

    The platform data says whether a channel takes hashtags; `params.hashtags_ok` and
    `params.mentions_ok` name platforms where they are native anyway (a Slack #channel, a GitHub
    @-mention, anything on X).
    """
    if ctx.platform is None and not params.without_platform:
        return
    name = ctx.platform.name if ctx.platform else None
    channel_ok = ctx.channel is not None and ctx.channel.hashtags
    where = (
        f"{ctx.platform.label} {ctx.channel.name}"
        if ctx.platform and ctx.channel
        else "this message"
    )
    if "#" in ctx.text and not channel_ok and name not in params.hashtags_ok:
        for m in _HASHTAG.finditer(ctx.text):
            yield Hit(m.start(), m.end(), values={"match": m.group(), "where": where})
    if "@" in ctx.text and not channel_ok and name not in params.mentions_ok:
        for m in _MENTION.finditer(ctx.text):
            yield Hit(m.start(), m.end(), values={"match": m.group(), "where": where})


# ---- personalisation ----------------------------------------------------------------------


@dataclass(frozen=True)
class DetailParams:
    """What counts as concrete detail (see concrete_detail)."""

    not_specific: frozenset[str] = named("not-specific")  # capitalised words that are not detail
    signoff_words: int = 3  # a last line this short is a sign-off, not detail


@dataclass(frozen=True)
class ReferenceParams:
    """How a piece of the reader's work is named: "your post on moving a ward off spreadsheets",
    "your fourth tip", "great read on locks" (see references_work)."""

    reference_gap: int = 3  # words allowed between "your" and the piece: "your long post on"
    reference_nouns: tuple[str, ...] = named("reference-nouns")
    reference_possessives: tuple[str, ...] = named("reference-possessives")
    reference_ordinals: tuple[str, ...] = named("reference-ordinals")
    reference_adjectives: tuple[str, ...] = named("reference-adjectives")
    reference_prepositions: tuple[str, ...] = named("reference-prepositions")


@dataclass(frozen=True)
class GreetingParams:
    optional_on: tuple[str, ...] = ()  # platforms where people write without a greeting
    optional_in_replies: bool = False  # a thank-you, an answer or a reply needs no greeting


def _expects_greeting(ctx: Context, params: GreetingParams) -> bool:
    """The platform data decides (an X reply takes none); `optional_on` lists more platforms;
    with `optional_in_replies`, a thank-you, an answer or a reply needs none either."""
    if ctx.platform is not None and ctx.platform.name in params.optional_on:
        return False
    if params.optional_in_replies and is_reply(ctx):
        return False
    return ctx.channel.greeting if ctx.channel is not None else True


_VOCATIVE = re.compile(r"(?:,|—|–)[ \t]*(?:@[\w-]+|[A-Z][\w'’-]+)[ \t]*[.!?]")


def _addressed_in_first_sentence(ctx: Context) -> bool:
    """ "Loved your talk, Ana." or "Thanks for merging, @ramon!" address them without a "Hi"."""
    sentences = ctx.features.sentences
    if not sentences:
        return False
    first = ctx.text[sentences[0].start : sentences[0].end + 1]
    if _VOCATIVE.search(first) or re.match(r"\s*@[\w-]", first):
        return True
    contact = ctx.contact
    if contact is None:
        return False
    words = set(_name_words(first))
    return bool(words & _known_names(contact))


@register("no-greeting", GreetingParams)
def no_greeting(ctx: Context, params: GreetingParams, _: PhraseSpans) -> Iterable[Hit]:
    if (
        not _expects_greeting(ctx, params)
        or ctx.features.greeting is not None
        or not ctx.text.strip()
        or _addressed_in_first_sentence(ctx)
    ):
        return
    first = ctx.features.first_line
    name = ctx.contact.first_name if ctx.contact else None
    yield Hit(
        first.start,
        first.end,
        values={"name": name or "their name"},
        suggestion=f"Hi {name}," if name else None,
    )


def _fold(text: str) -> str:
    """Lower case without accents, so "Ramón" and "ramon" are one name."""
    text = text.lower().replace("’", "'")
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _name_words(name: str) -> list[str]:
    return [w for w in re.split(r"[^\w'-]+", _fold(name)) if w and w not in _TITLES]


def _known_names(contact: Contact) -> set[str]:
    known = (
        set(_name_words(contact.name))
        | set(_name_words(contact.first_name))
        | set(_name_words(contact.last_name))
    )
    for key in ("nickname", "preferred_name", "aka"):
        value = contact.extra.get(key)
        if isinstance(value, str):
            known |= set(_name_words(value))
    for handle in contact.platforms.values():
        known |= set(_name_words(handle.lstrip("@")))
    return known


_SLOT = re.compile(r"[\[{<]")


def _is_placeholder(name: str) -> bool:
    """ "[NAME]", "{first}", "NAME", or a merge slot inside ("Chats with [NAME] crew")."""
    return (
        name[:1] in "[{<%*$"
        or (name.isupper() and len(name) > 2 and name.isalpha())
        or _SLOT.search(name) is not None
    )


@dataclass(frozen=True)
class NamelessParams(GreetingParams, ReferenceParams, DetailParams):
    generic_names: frozenset[str] = named("generic-names")  # "Hi there", "Dear Hiring Manager"
    # "Hey, come say hi in #welcome!": a plain "Hi,"/"Hey," on a note this short is how people
    # chat, not the opening of mass mail ("Hello,", "Dear Sir/Madam" and "Hi there" still are).
    chat_greetings: tuple[str, ...] = ("hi", "hey")
    chat_words: int = 0  # generic.bare-greeting sets 20; a cold "hey, quick q" still lacks a name
    short_note: int = 40  # words up to which naming a piece of their work makes up for no name
    placeholder_names: bool = False  # "Hi [NAME]," greets nobody too (placeholder rules see it)


_BARE = frozenset({"hi", "hey", "hello", "hiya", "greetings", "howdy"})  # a greeting and no more


@register("nameless-greeting", NamelessParams)
def nameless_greeting(ctx: Context, params: NamelessParams, _: PhraseSpans) -> Iterable[Hit]:
    greeting = ctx.features.greeting
    if greeting is None or not _expects_greeting(ctx, params):
        return
    name = (greeting.name or "").strip()
    if name and _is_placeholder(name):
        # "Hi [NAME]," is mail merge: the placeholder rules report the slot, and with
        # `placeholder_names` this rule says the message greets nobody.
        if params.placeholder_names:
            yield _greeting_hit(ctx, greeting.span)
        return
    said = _fold(ctx.text[greeting.span.start : greeting.span.end]).strip(" ,.!-\n")
    words = len(ctx.text.split())
    if not name and said in params.chat_greetings and words < params.chat_words:
        return
    if (
        not name
        or _fold(name) in params.generic_names
        or all(w in params.generic_names for w in _name_words(name))
    ) and not (said in _BARE and words <= params.short_note and _written_for_them(ctx, params)):
        # A short note that names a piece of their work ("Hello, your tutorial on async
        # generators made it click") was written for them, though its "Hello," names nobody;
        # "Hi there" and "Dear Sir/Madam" remain the words of mass mail.
        yield _greeting_hit(ctx, greeting.span)


def _greeting_hit(ctx: Context, span: Span) -> Hit:
    who = ctx.contact.first_name if ctx.contact else None
    # the span may take the line break after "Hello"; point at the words only
    raw = ctx.text[span.start : span.end]
    start = span.start + len(raw) - len(raw.lstrip())
    end = max(start, span.start + len(raw.rstrip()))
    return Hit(
        start,
        end,
        values={"match": ctx.text[start:end]},
        suggestion=f"Hi {who}," if who else None,
    )


def _handle_matches(handle: str, known: set[str], shortest: int) -> bool:
    """@ramon-ortiz, @mfischer, @akosua-d: a handle fits when it holds one of their names."""
    flat = re.sub(r"[^a-z]", "", _fold(handle))
    return any(len(k) >= shortest and k in flat for k in known) or any(
        len(p) >= shortest and p in known for p in re.split(r"[^a-z]+", _fold(handle))
    )


@dataclass(frozen=True)
class WrongNameParams:
    generic_names: frozenset[str] = named("generic-names")  # a role is not a wrong name
    min_handle_part: int = 3  # letters a name must have to count inside an @handle


@register("wrong-name", WrongNameParams)
def wrong_name(ctx: Context, params: WrongNameParams, _: PhraseSpans) -> Iterable[Hit]:
    contact = ctx.contact
    greeting = ctx.features.greeting
    if contact is None or greeting is None or not greeting.name or greeting.name_span is None:
        return
    if _is_placeholder(greeting.name):
        return
    words = _name_words(greeting.name)
    if not words or all(w in params.generic_names for w in words):
        return
    known = _known_names(contact)
    if greeting.name.startswith("@"):
        if _handle_matches(greeting.name, known, params.min_handle_part):
            return
    elif known.intersection(words) or any(
        w.replace("-", "") in known or any(p in known for p in w.split("-")) for w in words
    ):
        return
    span = greeting.name_span
    yield Hit(
        span.start,
        span.end,
        values={"match": greeting.name, "name": contact.name},
        suggestion=contact.first_name,
        replacement=contact.first_name,
    )


_WORDS = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’+#]*")


def _content_lemmas(text: str) -> frozenset[str]:
    """Content words of a fact or a draft as lemma keys; hyphenated words count by their parts."""
    stop = _stop_words()
    words = {w for w in _WORDS.findall(text.lower()) if len(w) > 2} - stop
    return frozenset(lemma(w) for w in words) - stop


@lru_cache(maxsize=64)
def _generic_lemmas(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(lemma(w) for w in words)


@lru_cache(maxsize=4096)
def _fact_lemmas(text: str) -> frozenset[str]:
    """Profile facts repeat across a batch (one contact, many drafts): computed once each."""
    return _content_lemmas(text)


def _describe(kind: str, text: str) -> str:
    labels = {
        "recent_activity": "their",
        "common_ground": "what you share:",
        "side_projects": "their side project",
        "how_we_met": "where you met:",
        "interests": "their interest in",
    }
    if kind == "recent_activity":
        return f'their "{text}"'
    return f"{labels.get(kind, kind)} {text}"


def _fact_used(
    fact: frozenset[str], draft: frozenset[str], generic: frozenset[str], enough: int
) -> bool:
    """`enough` (2) shared content words, or one that is not a stock word ("thread", "work");
    a fact of fewer words needs one."""
    shared = fact & draft
    needed = 1 if len(fact) < enough else enough
    return len(shared) >= needed or any(len(w) > 2 and w not in generic for w in shared)


@dataclass(frozen=True)
class SpecificParams(DetailParams, ReferenceParams):
    min_detail: int = 1  # pieces of concrete detail that make a message specific
    fact_words: int = 2  # content words a draft shares with a profile fact to have used it
    generic_words: tuple[str, ...] = named("generic-words")  # shared by a fact and stock text
    # Without a profile, messages at these stages (thank-yous, answers, notes in a thread) need
    # not prove they are personal, unless they call themselves a cold first contact:
    reply_stages: tuple[str, ...] = ("thanks", "question", "value", "follow_up")
    cold_phrases: tuple[str, ...] = (
        "came across your profile",
        "came across your page",
        "touch base",
        "great to be connected",
        "glad to be connected",
        "pick your brain",
        "introduce myself",
        "my name is",
        "finds you well",
        # praise or interest aimed at nothing in particular, the mark of a message that could
        # go to anyone whatever its stage: "I liked your project", "interested in your research"
        "like your project",
        "love your project",
        "interested in your project",
        "interested in your research",
        "interested in your work",
        "admire your work",
        "your work is amazing",
        "your work is great",
        "your work is awesome",
        "your work is inspiring",
        "enjoy your content",
        "love your content",
        "follow your content",
        "saw your profile",
        "a lot in common",
        "be my mentor",
        "looking for a mentor",
        "tell me more about it",
        # asks that could go to any maintainer: "can you help me with my project?"
        "help me with my project",
        "help me with my code",
        "assign me an issue",
        "assign this issue to me",
        "want to contribute to open source",
        "how can I contribute",
        "how do I contribute",
    )
    # Something given to them outside the sentences that sell ("here are the slides", "I put
    # together a benchmark") is a reason that fits them, as is a shared moment (_SHARED).
    give_phrases: tuple[str, ...] = named("give-phrases")
    offer_phrases: tuple[str, ...] = (
        "here are",
        "I put together",
        "might be useful",
        "might be helpful",
        "happy to review",
        "happy to test",
    )
    # Only detail in sentences about the reader counts: the sender's own company, product and
    # links ("I'm Ana from Acme", "our site is acme.io"), the sentences that sell, placeholders
    # and contact details say nothing about them.
    reader_detail_only: bool = True
    # Without a profile, a note shorter than this many words ("Long time no see!") has no room
    # for a reason that fits only them; the greeting rules judge it instead.
    min_words: int = 0


@register("specific", SpecificParams)
def specific(ctx: Context, params: SpecificParams, spans: PhraseSpans) -> Iterable[Hit]:
    """A fact from their profile is used, or the text holds concrete detail only they fit."""
    if not ctx.text.strip():
        return
    contact = ctx.contact
    facts = []
    if contact is not None:
        facts = [(k, v) for k, v in contact.facts() if k not in ("role", "location")]
    if (
        not facts
        and (ctx.stage in params.reply_stages or answers_them(ctx))
        and not spans.get("cold_phrases")
    ):
        return  # a thank-you, an answer or a note in a thread is about what came before
    if not facts and len(ctx.text.split()) < params.min_words:
        return
    if facts:
        generic = _generic_lemmas(params.generic_words)
        draft_words = _content_lemmas(ctx.text)
        enough = params.fact_words
        if any(_fact_used(_fact_lemmas(t), draft_words, generic, enough) for _, t in facts):
            return
    needed = params.min_detail
    within = reader_sentences(ctx) if params.reader_detail_only else None
    if concrete_detail(ctx, needed, params, within) >= needed:
        return
    if references_work(ctx, params) or technical_reference(ctx):
        return
    if _gives_or_shares(ctx, spans):
        return
    if facts:
        kind, text = facts[0]
        hint = _describe(kind, text)
    else:
        hint = "a post, project, place, number or name that only fits them"
    yield _hit(_message_span(ctx), name=contact.first_name if contact else "them", hint=hint)


# Each pattern starts with a character class and checks what precedes it afterwards, so `re`
# can skip ahead instead of trying a lookbehind at every position.
_CAPITALISED = re.compile(r"[A-Z](?<![\w@#'’][A-Z])[A-Za-z'’-]*")
_INNER_CAPS = re.compile(r"\b[a-z]+[A-Z]\w*")
# Code and identifiers: close(), functools.cache, snake_case, a @mention of someone.
_CODE = re.compile(r"\w\(\)|\b[a-z]+_[a-z_]+\b|\b[a-z]+\.[a-z_]+\(|(?<![\w.])@[A-Za-z][\w-]{1,38}")
_DIGITS = re.compile(r"\d(?<![\w@#/]\d)[\d.,:%]*")
_QUOTED = re.compile(r"[\"“][^\"”\n]{6,}[\"”]|`[^`\n]{2,}`")


@lru_cache(maxsize=8)
def _reference_pattern(
    nouns: tuple[str, ...],
    possessives: tuple[str, ...],
    ordinals: tuple[str, ...],
    adjectives: tuple[str, ...],
    prepositions: tuple[str, ...],
    gap: int,
) -> re.Pattern[str] | None:
    if not nouns or not possessives:
        return None
    words, whose = alternation(nouns), alternation(possessives)
    branches = [
        rf"\b(?:{whose})\s+(?:[\w'’-]+\s+){{0,{gap}}}?(?:{words})s?\s+"
        rf"(?:{alternation(prepositions)})\s+\w+"
    ]
    if ordinals:
        branches.append(rf"\b(?:{whose})\s+(?:{alternation(ordinals)})\s+(?:{words})s?\b")
    if adjectives:
        branches.append(rf"\b(?:{alternation(adjectives)})\s+(?:{words})s?\s+(?:on|about)\s+\w+")
    # A piece pinned to when it happened: "great talk yesterday", "the episode last week".
    branches.append(rf"\b(?:{words})s?\s+{_WHEN}")
    return re.compile("|".join(branches), re.I)


_WHEN = (
    r"(?:yesterday|today|tonight|this\s+(?:morning|week)|last\s+(?:night|week|month|year|spring|"
    r"summer|autumn|fall|winter)|on\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b"
)


def references_work(ctx: Context, params: ReferenceParams) -> bool:
    """A named piece of the reader's work and its topic: "your post on moving a ward off
    spreadsheets", "your fourth tip", "great read on advisory locks", or a piece described by
    what they did: "the exhibit you curated", "the fix you shipped in May"."""
    pattern = _reference_pattern(
        params.reference_nouns,
        params.reference_possessives,
        params.reference_ordinals,
        params.reference_adjectives,
        params.reference_prepositions,
        params.reference_gap,
    )
    if pattern is not None and pattern.search(ctx.text) is not None:
        return True
    return _THEIR_DOING.search(ctx.text) is not None


# "the exhibit you curated", "that thread you started": a thing defined by what they did. A verb
# in the past (an -ed form or a common irregular one), so "the time you have" does not count.
_THEIR_DOING = re.compile(
    r"\b(?:the|that|this|those|these)\s+(?:[\w-]+\s+){0,2}?[\w-]+\s+(?:you|you've|you’ve)\s+"
    r"(?:just\s+|recently\s+|once\s+)?(?!(?:need|needed|wanted|expected|deserved|received|"
    r"requested|asked|signed|subscribed|registered|opted|liked|used|tried)\b)(?:[a-z]+ed|wrote|written|built|gave|given|made|ran|"
    r"drew|drawn|sang|taught|led|won|began|begun|shot|spoke|found|did|done|sent|shared|took|"
    r"taken|threw|held|put|set|read|brought|started|showed|shown)\b",
    re.I,
)
# References to a technical artefact of theirs, which say which one even in a sentence about
# the writer ("I hit the crash on 2.4.1", "since #4312 the build fails"): versions, issue and
# PR numbers, identifiers in CONSTANT_CASE or snake_case, calls, backticked code.
_TECHNICAL = re.compile(
    # "v2.1", "3.11.4", "the 2.0 branch", "Python 3.12"; not "2.5 years"
    r"(?<![\w.])(?:v\d+(?:\.\d+)+|\d+\.\d+\.\d+)\b"
    r"|(?<![\w.])\d+\.\d+(?=\s+(?:branch|release|version|build|beta|alpha|rc)\b)"
    r"|\b(?i:version|release|python|node|java|ruby|rust|php|ios|android|macos|windows|ubuntu|"
    r"debian|fedora)\s+\d+(?:\.\d+)*\b"
    r"|(?<![\w&])#\d{2,}\b|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b"
    r"|\b[a-z]+_[a-z_]+\b|\w\(\)|`[^`\n]{2,}`"
)


_TECH_HINT = re.compile(r"[\d_(`]")


def technical_reference(ctx: Context) -> bool:
    """A version, an issue number or a piece of code outside the sentences that sell, or a
    link shared in a sentence that is not about the writer's own things ("here's the article I
    mentioned: <url>", not "our site: <url>")."""
    outside = _outside_pitch(ctx)
    # Every branch of _TECHNICAL needs a digit, "_", "(" or "`": most messages have none.
    if _TECH_HINT.search(ctx.text) is not None and any(
        outside(m.start()) for m in _TECHNICAL.finditer(ctx.text)
    ):
        return True
    for m in ctx.features.urls:
        piece = _sentence_at(ctx, m.start())
        if outside(m.start()) and _OWN.search(piece) is None and not signals(piece):
            return True  # not a booking link or an offer ("book a call: <url>")
    return False


def _outside_pitch(ctx: Context) -> Callable[[int], bool]:
    """Whether a position lies outside the sentences that sell (signals.cached_pitch)."""
    pitch = cached_pitch(ctx)
    if pitch is None:
        return lambda _: True
    start, end = pitch.span.start, pitch.span.end
    return lambda pos: not start <= pos < end


def _sentence_at(ctx: Context, pos: int) -> str:
    """The lowered sentence holding `pos` ("" outside every sentence)."""
    for span in ctx.features.sentences:
        if span.start <= pos < span.end:
            return ctx.features.lower[span.start : span.end]
    return ""


# The writer's own things or doings: "my site", "our repo", "I'm proposing this to <url>".
_OWN = re.compile(r"\b(?:my|our|mine|ours|me|us|we|i'm|i’m|i\s+am|we're|we’re)\b")


# A moment shared with them, in the past tense on purpose ("could we talk?" is no shared past).
_SHARED = re.compile(
    r"\bwe\s+(?:met|talked|spoke|chatted)\b|\bour\s+(?:chat|call|conversation)\b"
    r"|\byou\s+(?:mentioned|told\s+me|suggested|recommended)\b"
    # A past together: "since we worked together at Lumen", "we were teammates".
    r"|\bwe\s+(?:worked|studied|volunteered)\s+together\b"
    r"|\bwe\s+were\s+(?:colleagues|classmates|teammates|coworkers|co-workers)\b"
    r"|\bsince\s+we\s+(?:last\s+)?(?:spoke|talked|met|worked|caught\s+up)\b"
)


def _gives_or_shares(ctx: Context, spans: PhraseSpans) -> bool:
    """Something given outside the sentences that sell and not the writer's own ("here are the
    slides", not "here is my extension"), or a moment shared with them ("we met at")."""
    outside = _outside_pitch(ctx)
    if any(outside(m.start()) for m in _SHARED.finditer(ctx.features.lower)):
        return True
    for name in ("give_phrases", "offer_phrases"):
        for start, _ in spans.get(name, ()):
            piece = _sentence_at(ctx, start)
            if outside(start) and _OWN.search(piece) is None:
                return True
    return False


def _written_for_them(ctx: Context, params: NamelessParams) -> bool:
    """Named work of theirs, a technical reference, or detail in the sentences about them."""
    return (
        references_work(ctx, params)
        or technical_reference(ctx)
        or concrete_detail(ctx, 1, params, reader_sentences(ctx)) >= 1
    )


@lru_cache(maxsize=1)
def _number_attrs() -> tuple[list[int | str], int]:
    """spaCy's LIKE_NUM, IS_ALPHA, IDX and LOWER ids, and the hash of "one" ("one question" is
    not a number worth counting), looked up on first use so loading rules does not import spaCy."""
    from spacy.attrs import IDX, IS_ALPHA, LIKE_NUM, LOWER
    from spacy.strings import hash_string  # type: ignore[attr-defined]  # a Cython function

    return [LIKE_NUM, IS_ALPHA, IDX, LOWER], int(hash_string("one"))


def concrete_detail(
    ctx: Context, enough: int | None, params: DetailParams, within: Sequence[Span] | None = None
) -> int:
    """Pieces of detail that fit few messages: proper nouns that do not open a sentence (and are
    not the recipient), numbers, quoted titles, inline code, links, and entities when a trained
    pipeline is configured. Regex passes over the text, no per-token loop; with `enough`, it
    stops counting once that much is found. With `within`, only detail inside those spans counts
    (the sentences about the reader, not the sender's own company, product and links)."""
    ok = _inside(within)
    text = ctx.text
    feats = ctx.features
    greeting = feats.greeting
    skip_until = greeting.span.end if greeting else -1
    lines = text.rstrip().rsplit("\n", 1)
    short = params.signoff_words
    signoff_start = len(text) if len(lines) == 1 or len(lines[1].split()) > short else len(lines[0])
    # Numbers in digits ("3 rounds", "under-12s"), and in words ("twenty-five") from LIKE_NUM.
    evidence = sum(1 for m in _DIGITS.finditer(text, 0, signoff_start) if ok(m.start()))
    _, one = _number_attrs()
    numbers = ctx.token_rows()  # LIKE_NUM, IS_ALPHA, IDX, LOWER: read once per segment
    evidence += sum(
        1
        for like, alpha, idx, low in numbers
        if like and alpha and idx < signoff_start and low != one and ok(idx)
    )
    evidence += sum(1 for m in feats.urls if ok(m.start()))
    evidence += sum(1 for m in _QUOTED.finditer(text) if ok(m.start()))
    if enough is not None and evidence >= enough:
        return evidence
    evidence += sum(1 for m in _INNER_CAPS.finditer(text, 0, signoff_start) if ok(m.start()))
    if "(" in text or "_" in text or "@" in text:
        evidence += sum(
            1
            for m in _CODE.finditer(text, 0, signoff_start)
            if ok(m.start())
            and not (
                greeting and greeting.name and m.group().lstrip("@") == greeting.name.lstrip("@")
            )
        )
    if enough is not None and evidence >= enough:
        return evidence
    caps = [
        m
        for m in _CAPITALISED.finditer(text, 0, signoff_start)
        if m.start() >= skip_until and ok(m.start())
    ]
    if caps:
        starts = {s.start for s in feats.sentences}
        recipient = set(_name_words(greeting.name)) if greeting and greeting.name else set()
        if ctx.contact is not None:
            recipient |= set(_name_words(ctx.contact.name))
        for m in caps:
            word = m.group()
            lower = _fold(word).rstrip("s")
            folded = _fold(word)
            if (
                lower in recipient
                or lower in params.not_specific
                or folded in params.not_specific
                or folded in recipient
                or folded.split("'")[0] == "i"
            ):
                continue
            if m.start() in starts and not any(c.isupper() for c in word[1:]):
                continue
            evidence += 1
            if enough is not None and evidence >= enough:
                return evidence
    if ctx.entities:
        evidence += sum(
            1
            for s, e, label in ctx.entities
            if ok(s) and (label != "PERSON" or _fold(text[s:e]).split()[0] not in recipient)
        )
    return evidence


def _inside(spans: Sequence[Span] | None) -> Callable[[int], bool]:
    if spans is None:
        return lambda _: True
    starts = [s.start for s in spans]

    def ok(pos: int) -> bool:
        i = bisect.bisect_right(starts, pos) - 1
        return i >= 0 and pos < spans[i].end

    return ok


# ---- pitch and follow-up ------------------------------------------------------------------


@dataclass(frozen=True)
class AskParams:
    ask_phrases: tuple[str, ...] = ()
    give_phrases: tuple[str, ...] = named("give-phrases")
    self_phrases: tuple[str, ...] = ()  # "happy to send [my resume]": a give that is not one
    self_window: int = 25  # characters after a give in which a self phrase cancels it


@register("ask-before-give", AskParams)
def ask_before_give(ctx: Context, params: AskParams, spans: PhraseSpans) -> Iterable[Hit]:
    """An ask (referral, intro, review) with nothing given. "Happy to send my resume" is not a
    gift: a give followed closely by one of `self_phrases` does not count."""
    asks = spans.get("ask_phrases", [])
    if not asks or ctx.features.urls or answers_them(ctx):
        return  # a thank-you ("thanks for the intro; he'll review my draft") asks nothing
    if _SHARED.search(ctx.features.lower) is not None:
        return  # a past with them ("since we worked together"): no stranger is being asked
    selfish = spans.get("self_phrases", [])
    gives = [
        (s, e)
        for s, e in spans.get("give_phrases", [])
        if not any(e <= x < e + params.self_window for x, _ in selfish)
    ]
    if gives:
        return
    start, end = asks[0]
    yield Hit(start, end, values={"match": ctx.text[start:end]})


@dataclass(frozen=True)
class FollowupParams(DetailParams):
    min_detail: int = 2  # pieces of new detail that make a follow-up worth reading
    give_phrases: tuple[str, ...] = named("give-phrases")
    # What makes a follow-up a reminder: it points back at the sender's own earlier message or
    # ask ("checking in", "my last email", "bumping this"). A thank-you, a compliment or a fix
    # sent at the follow-up stage is not one, however little detail it holds.
    reminder_phrases: tuple[str, ...] = ()
    bare_words: int = 3  # a follow-up this short is nothing but a reminder
    # A bare reminder is short; a follow-up this long carries an update of its own.
    max_words: int = 60


def _overlaps(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s < end and e > start for s, e in spans)


def _asks_something(ctx: Context, reminders: Sequence[tuple[int, int]]) -> bool:
    """A question that is more than a nudge: "Did you also try it with Kafka Streams?", not
    "Any update?" or "Can you let me know either way by Friday?" (a reminder phrase, pressure or
    a pointer at their silence inside the question)."""
    text, lowered = ctx.text, ctx.features.lower
    for sentence in ctx.features.sentences:
        start, end = sentence.start, sentence.end
        if "?" not in text[start:end]:
            continue
        if _overlaps(start, end, reminders):
            continue
        if PRESSURE.search(lowered, start, end) or SILENCE.search(lowered, start, end):
            continue
        return True
    return False


@register("followup-without-value", FollowupParams)
def followup_without_value(
    ctx: Context, params: FollowupParams, spans: PhraseSpans
) -> Iterable[Hit]:
    """A reminder (it points back at the sender's earlier message) with no real question,
    nothing offered, and too little new detail (numbers, names, code, links)."""
    reminders = spans.get("reminder_phrases", [])
    # "Any update on ..." asks for news; it gives none ("update on" is a give phrase).
    gives = [(s, e) for s, e in spans.get("give_phrases", []) if not _overlaps(s, e, reminders)]
    if gives or ctx.features.urls or answers_them(ctx):
        return
    if "?" in ctx.text and _asks_something(ctx, reminders):
        return
    lowered = ctx.features.lower
    if not (
        reminders
        or EARLIER.search(lowered) is not None
        or find_silence(lowered) is not None
        or PRESSURE.search(lowered) is not None
        or len(ctx.text.split()) <= params.bare_words  # "Waiting", "Hi @ana please look"
    ):
        return
    if len(ctx.text.split()) > params.max_words:
        return
    needed = params.min_detail
    if concrete_detail(ctx, needed, params) >= needed:
        return
    span = _message_span(ctx)
    sentences = [s for s in ctx.features.sentences if s.start >= span.end]
    if sentences:
        span = sentences[0]
    yield _hit(span)
