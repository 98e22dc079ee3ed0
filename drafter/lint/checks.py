"""Named checks: the few rules that need logic, not just a list or a threshold.

Each takes the segment context, the rule and its `params` (data from the rule file, e.g. the
phrase lists that count as an ask or a gift) and yields hits. Phrase lists named `*_phrases` in
a check's params are matched by the engine's PhraseMatcher and handed over as spans.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from drafter.lint.context import Context, Hit
from drafter.lint.lemmas import lemma
from drafter.lint.metrics import _HASHTAG, _MENTION
from drafter.lint.text import Span

PhraseSpans = Mapping[str, list[tuple[int, int]]]
Check = Callable[[Context, Mapping[str, Any], PhraseSpans], Iterable[Hit]]

_GENERIC_NAMES = frozenset(
    {
        "there",
        "all",
        "team",
        "everyone",
        "everybody",
        "folks",
        "friend",
        "friends",
        "sir",
        "madam",
        "sir/madam",
        "hiring manager",
        "hiring",
        "recruiter",
        "colleague",
        "guys",
        "you",
        "y'all",
        "sir or madam",
        "to whom it may concern",
        "whom it may concern",
        "connection",
        "partner",
    }
)
_TITLES = frozenset({"dr", "mr", "mrs", "ms", "mx", "prof", "professor", "dear"})
_STOP: frozenset[str] | None = None
_NOT_SPECIFIC = frozenset(
    {
        "i",
        "linkedin",
        "twitter",
        "x",
        "facebook",
        "slack",
        "github",
        "email",
        "quora",
        "behance",
        "hi",
        "hello",
        "hey",
        "dear",
        "thanks",
        "thank",
        "best",
        "regards",
        "cheers",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "ps",
        "p.s",
        "ok",
    }
)


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


def over_limit(ctx: Context, params: Mapping[str, Any], _: PhraseSpans) -> Iterable[Hit]:
    if ctx.limit is None:
        return
    count = ctx.count(ctx.text)
    if count > ctx.limit:
        start = _limit_index(ctx, ctx.limit)
        yield Hit(start, len(ctx.text.rstrip()), values=_limit_values(ctx, count))


def near_limit(ctx: Context, params: Mapping[str, Any], _: PhraseSpans) -> Iterable[Hit]:
    if ctx.limit is None:
        return
    count = ctx.count(ctx.text)
    ratio = float(params.get("ratio", 0.9))
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


def subject_limit(ctx: Context, params: Mapping[str, Any], _: PhraseSpans) -> Iterable[Hit]:
    limit = ctx.channel.subject_limit if ctx.channel else None
    limit = params.get("max", limit)
    n = len(ctx.text.strip())
    if limit and n > limit:
        yield Hit(
            int(limit),
            len(ctx.text.rstrip()),
            values={"count": n, "limit": limit, "over": n - limit},
        )


def links_not_allowed(ctx: Context, params: Mapping[str, Any], _: PhraseSpans) -> Iterable[Hit]:
    if ctx.channel is None or ctx.channel.links:
        return
    where = f"{ctx.platform.label} {ctx.channel.name}" if ctx.platform else ctx.channel.name
    for m in ctx.features.urls:
        yield Hit(m.start(), m.end(), values={"match": m.group(), "where": where})


def hashtags_not_allowed(ctx: Context, params: Mapping[str, Any], _: PhraseSpans) -> Iterable[Hit]:
    if ctx.channel is not None and ctx.channel.hashtags:
        return
    if ctx.platform is None and not params.get("without_platform", False):
        return
    where = (
        f"{ctx.platform.label} {ctx.channel.name}"
        if ctx.platform and ctx.channel
        else "this message"
    )
    for rx in (_HASHTAG, _MENTION):
        for m in rx.finditer(ctx.text):
            yield Hit(m.start(), m.end(), values={"match": m.group(), "where": where})


# ---- personalisation ----------------------------------------------------------------------


def _expects_greeting(ctx: Context) -> bool:
    return ctx.channel.greeting if ctx.channel is not None else True


def no_greeting(ctx: Context, params: Mapping[str, Any], _: PhraseSpans) -> Iterable[Hit]:
    if not _expects_greeting(ctx) or ctx.features.greeting is not None or not ctx.text.strip():
        return
    first = ctx.features.first_line
    name = ctx.contact.first_name if ctx.contact else None
    yield Hit(
        first.start,
        first.end,
        values={"name": name or "their name"},
        suggestion=f"Hi {name}," if name else None,
    )


def _name_words(name: str) -> list[str]:
    return [
        w for w in re.split(r"[\s.]+", name.lower().replace("’", "'")) if w and w not in _TITLES
    ]


def nameless_greeting(ctx: Context, params: Mapping[str, Any], _: PhraseSpans) -> Iterable[Hit]:
    greeting = ctx.features.greeting
    if greeting is None or not _expects_greeting(ctx):
        return
    name = (greeting.name or "").strip()
    if name and name[:1] in "[{<%*":
        return  # a placeholder: the placeholder rules report it
    if (
        not name
        or name.lower() in _GENERIC_NAMES
        or all(w in _GENERIC_NAMES for w in _name_words(name))
    ):
        who = ctx.contact.first_name if ctx.contact else None
        yield Hit(
            greeting.span.start,
            greeting.span.end,
            values={"match": ctx.text[greeting.span.start : greeting.span.end].strip()},
            suggestion=f"Hi {who}," if who else None,
        )


def wrong_name(ctx: Context, params: Mapping[str, Any], _: PhraseSpans) -> Iterable[Hit]:
    contact = ctx.contact
    greeting = ctx.features.greeting
    if contact is None or greeting is None or not greeting.name or greeting.name_span is None:
        return
    if greeting.name[:1] in "[{<%*":
        return
    words = _name_words(greeting.name)
    if not words or all(w in _GENERIC_NAMES for w in words):
        return
    known = (
        set(_name_words(contact.name))
        | set(_name_words(contact.first_name))
        | set(_name_words(contact.last_name))
    )
    for key in ("nickname", "preferred_name", "aka"):
        value = contact.extra.get(key)
        if isinstance(value, str):
            known |= set(_name_words(value))
    if not known.intersection(words):
        span = greeting.name_span
        yield Hit(
            span.start,
            span.end,
            values={"match": greeting.name, "name": contact.name},
            suggestion=contact.first_name,
            replacement=contact.first_name,
        )


def _content_lemmas(text: str) -> set[str]:
    stop = _stop_words()
    return {
        lemma(w)
        for w in re.findall(r"[A-Za-z0-9][A-Za-z0-9'’+#.-]*[A-Za-z0-9+#]|[A-Za-z0-9]", text)
        if len(w) > 2 and w.lower() not in stop
    } - stop


def _fact_used(fact_words: set[str], draft_words: set[str]) -> bool:
    if not fact_words:
        return False
    needed = 1 if len(fact_words) <= 2 else 2
    return len(fact_words & draft_words) >= needed


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


def specific(ctx: Context, params: Mapping[str, Any], _: PhraseSpans) -> Iterable[Hit]:
    """With a profile: a fact beyond name and company is used. Without: concrete detail."""
    if not ctx.text.strip():
        return
    contact = ctx.contact
    facts = []
    if contact is not None:
        facts = [(k, v) for k, v in contact.facts() if k not in ("role", "location")]
    if facts:
        draft_words = {t.norm_ for t in ctx.doc if not t.is_punct and not t.is_space}
        if any(_fact_used(_content_lemmas(text), draft_words) for _, text in facts):
            return
        kind, text = facts[0]
        yield _hit(
            _message_span(ctx),
            name=contact.first_name if contact else "them",
            hint=_describe(kind, text),
        )
        return
    if _concrete_detail(ctx) >= int(params.get("min_detail", 1)):
        return
    yield _hit(
        _message_span(ctx),
        name=contact.first_name if contact else "them",
        hint="a post, project, place, number or name that only fits them",
    )


def _concrete_detail(ctx: Context) -> int:
    """Proper nouns (not the recipient), numbers, quoted titles, links, and entities if known."""
    text = ctx.text
    feats = ctx.features
    starts = {s.start for s in feats.sentences}
    greeting = feats.greeting
    skip_until = greeting.span.end if greeting else -1
    recipient = set(_name_words(greeting.name)) if greeting and greeting.name else set()
    if ctx.contact is not None:
        recipient |= set(_name_words(ctx.contact.name))
    lines = text.rstrip().rsplit("\n", 1)
    signoff_start = len(text) if len(lines) == 1 or len(lines[1].split()) > 3 else len(lines[0])
    evidence = 0
    for token in ctx.doc:
        i = token.idx
        if i < skip_until or i >= signoff_start or token.is_punct or token.is_space:
            continue
        word = token.text
        lower = word.lower()
        if lower in recipient or lower in _NOT_SPECIFIC:
            continue
        if token.like_num or any(c.isdigit() for c in word) or (word[:1].isupper() and (i not in starts or any(c.isupper() for c in word[1:]))) or token.like_url:
            evidence += 1
    evidence += len(re.findall(r"[\"“][^\"”\n]{6,}[\"”]", text))
    if ctx.entities:
        evidence += sum(
            1
            for s, _e, label in ctx.entities
            if label != "PERSON" or text[s:_e].lower().split()[0] not in recipient
        )
    return evidence


# ---- pitch and follow-up ------------------------------------------------------------------


def ask_before_give(ctx: Context, params: Mapping[str, Any], spans: PhraseSpans) -> Iterable[Hit]:
    asks = spans.get("ask_phrases", [])
    gives = spans.get("give_phrases", [])
    if not asks or gives or ctx.features.urls:
        return
    start, end = asks[0]
    yield Hit(start, end, values={"match": ctx.text[start:end]})


def followup_without_value(
    ctx: Context, params: Mapping[str, Any], spans: PhraseSpans
) -> Iterable[Hit]:
    if "?" in ctx.text or spans.get("give_phrases") or ctx.features.urls:
        return
    span = _message_span(ctx)
    sentences = [s for s in ctx.features.sentences if s.start >= span.end]
    if sentences:
        span = sentences[0]
    yield _hit(span)


CHECKS: dict[str, Check] = {
    "over-limit": over_limit,
    "near-limit": near_limit,
    "subject-limit": subject_limit,
    "links-not-allowed": links_not_allowed,
    "hashtags-not-allowed": hashtags_not_allowed,
    "no-greeting": no_greeting,
    "nameless-greeting": nameless_greeting,
    "wrong-name": wrong_name,
    "specific": specific,
    "ask-before-give": ask_before_give,
    "followup-without-value": followup_without_value,
}
