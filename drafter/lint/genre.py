"""What kind of message a draft is, from its stage and its opening: some rules fit only some kinds.

A thank-you note, an answer to their question, or a reply in a thread continues a conversation
the reader started or already knows: it needs no "Hi Name," and no proof that it is personal,
and a reply that thanks them for answering is not a nag about silence.
"""

from __future__ import annotations

import re

from drafter.lint.context import Context

# Stages that answer or thank: the reader knows what the message is about.
REPLY_STAGES = frozenset({"thanks", "question"})
# An opening that answers something they sent or did: "Thanks for your reply", "Thank you for the
# invitation", "Sorry for the slow answer", "Sorry, I was away".
_ANSWERS = re.compile(
    r"\A\W*(?:(?:many\s+)?thanks|thank\s+you)(?:\s+(?:so|very)\s+much)?\s+for\s+(?:your\s+|the\s+)?"
    r"(?:quick\s+|fast\s+|kind\s+)?(?:reply|response|answer|invitation|invite|message|note|email|"
    r"mail|interest|reaching\s+out|getting\s+back|offer|review|feedback|question)"
    r"|\A\W*(?:no\s+worries|sorry|apologies)\b",
    re.I,
)
_THANKS_FOR_ANSWER = re.compile(
    r"\bthanks?\s+(?:you\s+)?(?:so\s+much\s+)?for\s+(?:your|the)\s+(?:quick\s+|fast\s+)?"
    r"(?:reply|response|answer)\b",
    re.I,
)


def answers_them(ctx: Context) -> bool:
    """The message opens by answering or thanking for something they sent."""
    return _ANSWERS.match(ctx.text) is not None or (_THANKS_FOR_ANSWER.search(ctx.text) is not None)


def is_reply(ctx: Context) -> bool:
    """A thank-you, an answer, or a message that opens by answering theirs."""
    return ctx.stage in REPLY_STAGES or answers_them(ctx)
