"""The terminal side of `drafter draft --ask`: click prompts around drafter.compose.ask."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from drafter.compose.ask import run_ask
from drafter.compose.render import Renderer
from drafter.compose.roster import Failure
from drafter.core.contacts import Contact, Sender
from drafter.core.drafts import Draft
from drafter.core.errors import DrafterError


def ask_on_terminal(
    renderer: Renderer,
    drafts: list[Draft],
    failures: list[Failure],
    everyone: list[Contact],
    sender: Sender,
    platform: str,
    stage: str,
    variant: str | None,
    other: Contact | None,
    roster: Path | None,
) -> tuple[list[Draft], list[Failure]]:
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        raise DrafterError(
            "--ask needs a terminal to ask on; fill the fields in the roster instead"
        )
    by_id = {c.id: c for c in everyone}
    refused = [(by_id[f.contact_id], f.message) for f in failures if not f.skipped]

    def retry(contact: Contact) -> Draft:
        return renderer.render(platform, stage, contact, sender, variant=variant, other=other)

    def prompt(text: str) -> str:
        return str(click.prompt(text, default="", show_default=False, err=True))

    def confirm(text: str) -> bool:
        return click.confirm(text, default=False, err=True)

    more, left = run_ask(retry, refused, stage, other, roster, prompt, confirm)
    kept = [f for f in failures if f.skipped]
    kept += [Failure(c.id, m) for c, m in left]
    return [*drafts, *more], kept
