"""Rendering a contact into a Draft: the sandboxed strict Jinja environment, variant choice,
required facts, and shortening a draft until it fits its platform's limit.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from drafter.compose.catalog import Catalog, TemplateInfo
from drafter.compose.facts import Facts, build_facts
from drafter.compose.filters import (
    bare,
    first_name,
    join_and,
    lower_first,
    match_offer,
    pick_offer,
    truncate_words,
    with_article,
)
from drafter.compose.sandbox import LimitedEnvironment, RenderLimit, render_module
from drafter.core.contacts import Contact, Sender
from drafter.core.drafts import Draft
from drafter.core.errors import DrafterError
from drafter.core.platforms import Channel, Platform, StageSpec
from drafter.core.relationship import Relationship


class _FactMissing(Exception):
    pass


def _fail(message: str) -> NoReturn:
    raise _FactMissing(message)


def make_environment(folders: Sequence[Path]) -> SandboxedEnvironment:
    """Sandboxed, strict, and literal: data is inserted as text and never evaluated."""
    env = LimitedEnvironment(
        loader=jinja2.FileSystemLoader([str(f) for f in reversed(folders)]),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(
        first_name=first_name,
        join_and=join_and,
        truncate_words=truncate_words,
        lower_first=lower_first,
        bare=bare,
        with_article=with_article,
        pick_offer=pick_offer,
        match_offer=match_offer,
    )
    env.globals["fail"] = _fail
    return env


_BLANKS = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
_SPACES = re.compile(r"(?<=\S)[ \t]{2,}")
_SPACE_PUNCT = re.compile(r"[ \t]+([,.;:!?])")


def tidy(text: str) -> str:
    """Templates that leave out a missing fact leave whitespace behind: fold it."""
    text = "\n".join(line.strip() for line in text.strip().split("\n"))
    text = _BLANKS.sub("\n\n", text)
    text = _SPACES.sub(" ", text)
    return _SPACE_PUNCT.sub(r"\1", text)


def choose_variant(info: TemplateInfo, contact: Contact, requested: str | None) -> str:
    """A requested variant, else a stable choice per contact so reruns give the same draft."""
    if requested:
        if requested not in info.variants:
            raise DrafterError(
                f"{info.name} has no variant '{requested}'; it has: {', '.join(info.variants)}"
            )
        return requested
    names = list(info.variants)
    digest = hashlib.sha256(f"{contact.id}\0{info.name}".encode()).digest()
    return names[int.from_bytes(digest[:4], "big") % len(names)]


def _missing_facts(
    spec: StageSpec, contact: Contact, sender: Sender, other: Contact | None
) -> str | None:
    def present(field_name: str) -> bool:
        if field_name == "other":
            return other is not None
        if field_name.startswith("me."):
            return bool(getattr(sender, field_name[3:], None) or sender.extra.get(field_name[3:]))
        return bool(getattr(contact, field_name, None) or contact.extra.get(field_name))

    for name in spec.requires:
        if not present(name):
            if name == "other":
                return "a second contact to introduce (--with ID)"
            return f"field '{name}'"
    for group in spec.requires_any:
        if not any(present(n) for n in group):
            return f"one of the fields {', '.join(repr(n) for n in group)}"
    return None


def presupposition(stage: str, facts: Facts, history: Relationship | None) -> str | None:
    """What a stage takes for granted that nothing in the roster or history says happened."""
    if stage == "thanks" and not (facts.replied or facts.accepted or facts.thanks_for):
        return (
            "presupposes they accepted or replied, and neither the roster nor the history says "
            "so (add thanks_for: to the contact, or log their reply in the history)"
        )
    if stage == "reconnect" and not (facts.met or (history is not None and history.spoken)):
        return (
            "presupposes we have met or spoken before (add how_we_met: to the contact, "
            "or log the meeting in the history)"
        )
    if stage == "follow_up" and not (facts.sent or facts.met):
        return (
            "presupposes an earlier message or meeting (log the message you sent in the "
            "history, or add how_we_met: to the contact)"
        )
    return None


def missing_reason(stage: str, facts: Facts, other: Contact | None) -> str | None:
    """A connect, question or intro needs the sender's own reason; name the field to fill."""
    if stage == "connect" and not facts.personal:
        return (
            "needs your own reason to write: add reason: (why you want to connect) or a "
            "takeaway: to one of their recent_activity"
        )
    if stage == "question" and not facts.question:
        return "needs the question you want to ask: add question: to the contact"
    if stage == "intro_ask" and other is not None and not facts.why_meet:
        return (
            f"needs why they should meet {other.first_name}, in words to them: add "
            f"intros: {{{other.id}: ...}} to the contact"
        )
    if stage == "intro" and other is not None and not facts.why_pair:
        return (
            f"needs why the two should meet: add intros: {{{other.id}: ...}} to the contact "
            "(or the reverse to the other)"
        )
    return None


# (short, shorter): the full draft, then without optional sentences, then the bare minimum.
_LEVELS = ((False, False), (True, False), (True, True))


def _too_long(
    platform: Platform, channel: Channel, limit: int | None, body: str, subject: str | None
) -> bool:
    if limit is not None and platform.count(body) > limit:
        return True
    return bool(subject and channel.subject_limit and len(subject) > channel.subject_limit)


class Renderer:
    """Renders contacts into Drafts with one shared sandboxed environment."""

    def __init__(self, catalog: Catalog, *, free_account: bool = False) -> None:
        self.catalog = catalog
        self.free_account = free_account
        self.env = make_environment(catalog.folders)
        self._over_limit: dict[str, str] = {}

    def render(
        self,
        platform: str,
        stage: str,
        contact: Contact,
        sender: Sender,
        *,
        variant: str | None = None,
        other: Contact | None = None,
        history: Relationship | None = None,
    ) -> Draft:
        info = self.catalog.get(platform, stage)
        spec = self.catalog.platforms[platform]
        who = f"contact '{contact.id}'"
        missing = _missing_facts(info.spec, contact, sender, other)
        if missing:
            raise DrafterError(f"{who}: {info.name} needs {missing} ({contact.source})")
        facts = build_facts(contact, sender, other=other, history=history, platform=platform)
        problem = presupposition(stage, facts, history) or missing_reason(stage, facts, other)
        if problem:
            raise DrafterError(f"{who}: {info.name} {problem}")
        chosen = choose_variant(info, contact, variant)
        channel = spec.channel(stage)
        limit = channel.body_limit(self.free_account)
        tname = f"{platform}/{stage}/{chosen}.j2"
        args = (tname, who, contact, sender, other, spec, stage, chosen, limit, facts, history)
        for level in _LEVELS:
            # Templates know shorter forms: optional sentences drop out when `short` (and then
            # `shorter`) is set, so a long title does not cost the whole draft.
            body, subject = self._render_one(*args, level=level)
            if not _too_long(spec, channel, limit, body, subject):
                break
        if limit is not None and spec.count(body) > limit:
            over = spec.count(body) - limit
            raise DrafterError(
                f"{who}: {info.name} draft is {spec.count(body)} characters, {over} over "
                f"the {spec.label} {channel.name} limit of {limit}"
            )
        if subject and channel.subject_limit and len(subject) > channel.subject_limit:
            raise DrafterError(
                f"{who}: {info.name} subject is {len(subject)} characters, over the "
                f"{spec.label} limit of {channel.subject_limit}"
            )
        return Draft(
            text=body,
            body=body,
            path=f"{contact.id}.{platform}.{stage}",
            platform=platform,
            stage=stage,
            subject=subject,
            contact=contact,
            template=f"{platform}/{stage}",
            variant=chosen,
            meta={"to": contact.platforms[platform]} if contact.platforms.get(platform) else {},
        )

    def _render_one(
        self,
        tname: str,
        who: str,
        contact: Contact,
        sender: Sender,
        other: Contact | None,
        platform: Platform,
        stage: str,
        variant: str,
        limit: int | None,
        facts: Facts,
        history: Relationship | None,
        level: tuple[bool, bool],
    ) -> tuple[str, str | None]:
        if tname in self._over_limit:
            raise DrafterError(self._over_limit[tname])
        channel = platform.channel(stage)
        context = {
            "contact": contact,
            "me": sender,
            "other": other,
            "platform": platform,
            "channel": channel,
            "stage": stage,
            "variant": variant,
            "limit": limit,
            "short": level[0],
            "shorter": level[1],
            "f": facts,
            "history": history,
            "other_f": build_facts(other) if other is not None else None,
        }
        try:
            template = self.env.get_template(tname)
            module = render_module(template, context)
            body = tidy(str(module))
            subject = getattr(module, "subject", None)
        except _FactMissing as exc:
            raise DrafterError(f"{who}: {tname}: {exc}") from None
        except jinja2.TemplateSyntaxError as exc:
            raise DrafterError(
                f"{exc.filename or tname}:{exc.lineno}: template syntax error: {exc.message}"
            ) from None
        except jinja2.UndefinedError as exc:
            raise DrafterError(f"{who}: {tname}: {exc.message}") from None
        except jinja2.exceptions.SecurityError as exc:
            raise DrafterError(f"{tname}: refused by the template sandbox: {exc}") from None
        except jinja2.TemplateError as exc:
            raise DrafterError(f"{who}: {tname}: {exc}") from None
        except RenderLimit as exc:
            # The template's fault, not the contact's: fail it at once for everyone else.
            self._over_limit[tname] = f"{tname}: stopped: {exc}"
            raise DrafterError(self._over_limit[tname]) from None
        except UnicodeDecodeError as exc:
            raise DrafterError(f"{tname}: not valid UTF-8 text (byte {exc.start})") from None
        except RecursionError:
            raise DrafterError(f"{tname}: stopped: macros call themselves too deeply") from None
        except MemoryError:
            raise DrafterError(f"{tname}: stopped: out of memory") from None
        except (ArithmeticError, LookupError, TypeError, ValueError) as exc:
            # The template's own expression failed (1 // 0, a missing key, "a" + 1).
            raise DrafterError(f"{who}: {tname}: {type(exc).__name__}: {exc}") from None
        if subject is not None:
            subject = tidy(str(subject)) or None
        if channel.subject and not subject:
            raise DrafterError(
                f"{tname}: {platform.label} needs a subject; set one with {{% set subject = ... %}}"
            )
        return body, subject
