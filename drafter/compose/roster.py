"""Drafting a whole roster: one contact's failure never stops the others."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from drafter.compose.render import Renderer
from drafter.core.config import Config, default_me
from drafter.core.contacts import Contact, Sender, load_sender
from drafter.core.drafts import Draft
from drafter.core.errors import DrafterError
from drafter.core.relationship import Relationship


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
    stage: str | None,
    *,
    variant: str | None = None,
    other: Contact | None = None,
    progress: Callable[[int], None] | None = None,
    stages: Mapping[str, str] | None = None,
    histories: Mapping[str, Relationship] | None = None,
) -> tuple[list[Draft], list[Failure]]:
    """`stages` (contact id -> stage) overrides `stage` per contact (`draft --next`);
    `histories` gives each contact's Relationship to the templates."""
    drafts: list[Draft] = []
    failures: list[Failure] = []
    contacts = list(contacts)
    wanted = {stages.get(c.id, stage) if stages else stage for c in contacts} or {stage}
    for one in sorted(s for s in wanted if s is not None):
        info = renderer.catalog.get(platform, one)  # an unknown platform or stage fails at once
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
        this_stage = (stages or {}).get(contact.id, stage)
        try:
            if other is not None and other.id == contact.id:
                raise DrafterError(
                    f"contact '{contact.id}': cannot introduce a contact to themselves"
                )
            if this_stage is None:
                raise DrafterError(f"contact '{contact.id}': no stage to draft")
            drafts.append(
                renderer.render(
                    platform,
                    this_stage,
                    contact,
                    sender,
                    variant=variant,
                    other=other,
                    history=(histories or {}).get(contact.id),
                )
            )
        except DrafterError as exc:
            failures.append(Failure(contact.id, exc.message))
        if progress is not None:
            progress(1)
    return drafts, failures
