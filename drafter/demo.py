"""`drafter demo`: the main job end to end on the bundled example data."""

from __future__ import annotations

from collections.abc import Callable

from drafter.compose.catalog import load_catalog
from drafter.compose.render import Renderer
from drafter.compose.roster import draft_all
from drafter.core.config import Config
from drafter.core.contacts import load_roster, load_sender
from drafter.core.drafts import Draft
from drafter.core.files import read_text
from drafter.core.resources import builtin_dir
from drafter.lint.inputs import ContactResolver, LintContext, make_draft
from drafter.lint.report import text_report

DEMO_TEMPLATES = (
    ("linkedin", "connect"),
    ("email", "connect"),
    ("x", "connect"),
    ("linkedin", "value"),
)


def run_demo(config: Config, echo: Callable[[str], None]) -> None:
    examples = builtin_dir("examples")
    roster_path = examples / "roster.yaml"
    contacts = load_roster(roster_path)
    sender = load_sender(examples / "me.yaml")
    catalog = load_catalog(list(config.templates))
    renderer = Renderer(catalog, free_account=config.free_account)
    drafts: list[Draft] = []
    for platform, stage in DEMO_TEMPLATES:
        if (platform, stage) not in catalog.templates:
            continue
        made, failures = draft_all(renderer, contacts, sender, platform, stage)
        echo(f"=== {platform}/{stage}: {len(made)} drafts from {roster_path.name}\n")
        for draft in made:
            assert draft.contact is not None
            echo(f"--- to {draft.contact.name} (variant {draft.variant})")
            if draft.subject:
                echo(f"Subject: {draft.subject}\n")
            echo(draft.body + "\n")
        for failure in failures:
            echo(f"(not drafted: {failure.message})")
        drafts.extend(made)
    handwritten = sorted((examples / "drafts").glob("*.md"))
    resolver = ContactResolver(roster_path)
    for path in handwritten:
        drafts.append(
            make_draft(
                read_text(path),
                f"examples/drafts/{path.name}",
                LintContext(),
                catalog.platforms,
                resolver,
            )
        )
    from drafter.lint.engine import Linter

    linter = Linter.from_config(config, platforms=catalog.platforms)
    results = linter.lint_many(drafts)
    echo(f"=== lint report: {len(drafts)} drafts ({len(handwritten)} typed by hand)\n")
    echo(text_report(results, color=False))
    from drafter.history.demo import run_history_demo

    run_history_demo(drafts, echo)
