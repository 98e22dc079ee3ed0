"""drafter's own templates must pass drafter's own linter: no warning or error on any draft."""

from __future__ import annotations

from pathlib import Path

from drafter.compose.catalog import load_catalog
from drafter.compose.render import Renderer
from drafter.core.contacts import load_roster, load_sender
from drafter.core.errors import DrafterError
from drafter.lint.engine import Linter


def test_every_built_in_draft_is_clean(linter: Linter, examples: Path) -> None:
    contacts = load_roster(examples / "roster.yaml")
    sender = load_sender(examples / "me.yaml")
    catalog = load_catalog()
    renderer = Renderer(catalog)
    drafts = []
    for (platform, stage), info in catalog.templates.items():
        for variant in info.variants:
            for contact in contacts:
                other = contacts[0] if contact.id != contacts[0].id else contacts[1]
                try:
                    drafts.append(
                        renderer.render(
                            platform, stage, contact, sender, variant=variant, other=other
                        )
                    )
                except DrafterError:
                    continue  # a stage this contact has no facts for: tested in test_templates
    assert len(drafts) > 200
    problems = [
        f"{d.template}/{d.variant} for {d.contact.id if d.contact else '?'}: [{f.rule}] {f.message}"
        for d, result in zip(drafts, linter.lint_many(drafts), strict=True)
        for f in result.at_or_above("warning")
    ]
    assert problems == []
