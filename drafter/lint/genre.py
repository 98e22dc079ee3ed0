"""What kind of message a draft is, from its stage and its opening: some rules fit only some kinds.

A thank-you note, an answer to their question, or a reply in a thread continues a conversation
the reader started or already knows: it needs no "Hi Name," and no proof that it is personal,
and a reply that thanks them for answering is not a nag about silence.
"""

from __future__ import annotations

import re

from drafter.lint.context import Context
from drafter.lint.text import Span

# Stages that answer or thank: the reader knows what the message is about.
REPLY_STAGES = frozenset({"thanks", "question"})
# An opening that answers something they sent or did: "Thanks for your reply", "Thank you for the
# invitation", "Sorry for the slow answer", "Sorry, I was away".
_ANSWERS = re.compile(
    r"\A\W*(?:(?:many\s+)?thanks|thank\s+you)(?:\s+(?:so|very)\s+much)?\s+for\s+(?:your\s+|the\s+)?"
    r"(?:quick\s+|fast\s+|kind\s+)?(?:reply|response|answer|invitation|invite|message|note|email|"
    r"mail|interest|reaching\s+out|getting\s+back|offer|review|feedback|question)"
    r"|\A\W*(?:no\s+worries|welcome\s+(?:aboard|to|back))\b"
    # A response particle opens a turn in a conversation: "Well, why not ...", "Sure, happy to".
    r"|\A\W*(?:well|sure|yes|yeah|yep|nope|okay|ok|of\s+course|absolutely|agreed|"
    r"sounds\s+(?:good|great)|haha|fair\s+enough)\s*[,!.]",
    re.I,
)
# A thank-you note: thanks for something they did ("Thanks for merging this", "Thank you for the
# recommendation letter") in a message that asks nothing back. Thanks for their time or
# attention, or for their work in general, is how cold mail opens and closes; thanks followed by
# a request is a request.
_THANKS_FOR = re.compile(
    r"\A\W*(?:(?:many\s+)?thanks|thank\s+you)(?:\s+(?:so|very)\s+much|\s+(?:all|everyone|both|"
    r"again|a\s+lot|a\s+ton|heaps))?\s+for\s+(?!(?:your\s+|the\s+)?(?:time|consideration|"
    r"attention|reading|considering|taking\s+the\s+time|looking|checking|your\s+help\s+in\s+advance)|"
    r"(?:all\s+)?(?:the|your)\s+(?:[\w-]+\s+){0,2}?work\b|(?:this|the|your)\s+(?:[\w-]+\s+)?"
    r"(?:project|repo|repository|library|tool|app|package|software)\b)",
    re.I,
)
_ASKS = re.compile(r"\?|\b(?:can|could|would|will)\s+you\b|\bplease\b|\blet\s+me\s+know\b", re.I)
_THANKS_FOR_ANSWER = re.compile(
    r"\bthanks?\s+(?:you\s+)?(?:so\s+much\s+)?for\s+(?:your|the)\s+(?:quick\s+|fast\s+)?"
    r"(?:reply|response|answer)\b",
    re.I,
)


# The first sentence after the greeting apologises for a delay or declines with thanks: "I'm
# sorry I've been away", "Super sorry this slipped", "Thanks, but I don't take guest posts".
_OPENS_REPLY = re.compile(
    r"\b(?:sorry|apologies|apologi[sz]e)\b[^.!?\n]{0,40}?\b(?:delay|late|slow|away|busy|"
    r"travel\w*|holiday|vacation|slipped|missed|lost|buried|only\s+now|just\s+now|get\s+back)"
    r"|\A\W*(?:thanks|thank\s+you)\W+but\b",
    re.I,
)


def answers_them(ctx: Context) -> bool:
    """The message opens by answering or thanking for something they sent (once per segment:
    the greeting, specific-detail and follow-up checks all ask)."""
    cache = ctx.features.__dict__
    found = cache.get("_answers_them")
    if found is None:
        found = cache["_answers_them"] = _answers_them(ctx)
    return bool(found)


def _answers_them(ctx: Context) -> bool:
    text = ctx.text
    greeting = ctx.features.greeting
    start = greeting.span.end if greeting is not None else 0
    first = next((s for s in ctx.features.sentences if s.end > start), None)
    opening = text[max(start, first.start) : first.end] if first is not None else ""
    return (
        _ANSWERS.match(opening) is not None
        or (_THANKS_FOR.match(opening) is not None and _ASKS.search(text) is None)
        or _OPENS_REPLY.search(opening) is not None
        or _THANKS_FOR_ANSWER.search(text) is not None
    )


def is_reply(ctx: Context) -> bool:
    """A thank-you, an answer, or a message that opens by answering theirs."""
    return ctx.stage in REPLY_STAGES or answers_them(ctx)


_FIRST_PERSON = re.compile(
    r"\b(?:i|i'm|i’m|i've|i’ve|i'd|i’d|me|my|mine|we|we're|we’re|our|ours|us)\b"
)
_SECOND_PERSON = re.compile(r"\b(?:you|your|yours|you're|you’re|you've|you’ve)\b|@[a-z0-9]")


# Text that is never detail about the reader: slots left to fill, the sender's own contact
# details, an @mention that only addresses them ("@ana can you ..."), a short greeting line.
_HOLES = re.compile(
    # Each branch starts with a literal character, so `re` skips ahead to the candidates.
    r"\[[^\]\n]{1,60}\]|\{[^}\n]{1,60}\}|<[A-Za-z][^>\n]{0,30}>"
    r"|\((?i:fill|insert|add|enter|your|their|whatever)\b[^()\n]{0,50}\)"
    r"|[+(\d][\d ().-]{7,}\d"
)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")  # starts a run: linear
_STAND_IN = re.compile(
    r"\b(?i:company|product|person|firm|client|brand|city|school|team|project)\s+(?:X|Y|Z|XYZ|ABC)\b"
)
_ADDRESS = re.compile(r"\A\W*@[\w-]+|@[\w-]+\W*\Z")


def reader_sentences(ctx: Context) -> list[Span]:
    """The parts of the message that can show it was written for this reader: sentences not
    only about the sender ("I'm Ana from Acme", "our site is x.com" hold detail, but about the
    writer), outside the sentences that sell (see signals.cached_pitch), without placeholders,
    contact details, an addressing @mention or a short greeting line."""
    from drafter.lint.signals import cached_pitch  # signals imports this module's neighbours

    lowered = ctx.features.lower
    pitch = cached_pitch(ctx)
    text = ctx.text
    holes = [(m.start(), m.end()) for m in _HOLES.finditer(text)]
    if "@" in text:
        holes += [(m.start(), m.end()) for m in _EMAIL.finditer(text)]
    if " X" in text or " Y" in text or " Z" in text or " ABC" in text:
        holes += [(m.start(), m.end()) for m in _STAND_IN.finditer(text)]
    holes += [(m.start(), m.end()) for m in _ADDRESS.finditer(ctx.text)]
    first = ctx.features.first_line
    if len(ctx.text[first.start : first.end].split()) <= 3:
        holes.append((first.start, first.end))
    if pitch is not None:
        holes.append((pitch.span.start, pitch.span.end))
    out: list[Span] = []
    for span in ctx.features.sentences:
        piece = lowered[span.start : span.end]
        if _FIRST_PERSON.search(piece) and not _SECOND_PERSON.search(piece):
            continue
        out.extend(_minus(span, holes))
    return out


def _minus(span: Span, holes: list[tuple[int, int]]) -> list[Span]:
    """`span` with the holes cut out, as sorted pieces."""
    pieces = [span]
    for start, end in sorted(holes):
        last = pieces[-1]
        if end <= last.start or start >= last.end:
            continue
        pieces.pop()
        if start > last.start:
            pieces.append(Span(last.start, start))
        if end < last.end:
            pieces.append(Span(end, last.end))
        if not pieces:
            break
    return [p for p in pieces if p.end > p.start]
