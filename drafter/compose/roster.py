"""Drafting a whole roster: one contact's failure never stops the others."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from drafter.compose.render import Renderer
from drafter.core.config import Config, default_me
from drafter.core.contacts import Contact, Sender, load_sender
from drafter.core.drafts import Draft
from drafter.core.errors import DrafterError


@dataclass(frozen=True)
class Failure:
    contact_id: str
    message: str
    skipped: bool = False  # not an error: the contact is not on this platform


def handle_missing(contact: Contact, platform: str) -> str | None:
    """Why a contact is skipped on a platform: no handle or address there to send to."""
    if contact.platforms.get(platform):
        return None
    have = ", ".join(sorted(contact.platforms)) or "none"
    return (
        f"contact '{contact.id}': skipped: no {platform} handle or address in platforms "
        f"(has: {have})"
    )


def resolve_sender(me: Path | None, config: Config) -> Sender:
    path = me or config.me
    if path is None:
        fallback = default_me()
        if not fallback.is_file():
            raise DrafterError(
                f'no sender profile: pass --me FILE, set me = "..." in drafter.toml, or create {fallback}'
            )
        path = fallback
    return load_sender(path)


def draft_all(
    renderer: Renderer,
    contacts: Iterable[Contact],
    sender: Sender,
    platform: str,
    stage: str,
    *,
    variant: str | None = None,
    other: Contact | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[Draft], list[Failure]]:
    drafts: list[Draft] = []
    failures: list[Failure] = []
    info = renderer.catalog.get(platform, stage)  # an unknown platform or stage fails at once
    if variant is not None and variant not in info.variants:
        raise DrafterError(
            f"{info.name} has no variant '{variant}'; it has: {', '.join(info.variants)}"
        )
    for contact in contacts:
        skip = handle_missing(contact, platform)
        if skip:
            failures.append(Failure(contact.id, skip, skipped=True))
            if progress is not None:
                progress(1)
            continue
        try:
            if other is not None and other.id == contact.id:
                raise DrafterError(
                    f"contact '{contact.id}': cannot introduce a contact to themselves"
                )
            drafts.append(
                renderer.render(platform, stage, contact, sender, variant=variant, other=other)
            )
        except DrafterError as exc:
            failures.append(Failure(contact.id, exc.message))
        if progress is not None:
            progress(1)
    return drafts, failures
