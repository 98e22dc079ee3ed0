"""`drafter draft --next`: each contact's next stage from the history, and who is skipped why.

Without --next the same plan carries the one stage asked for, plus each contact's history, so
templates can say only what happened (`history` in the template context).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from drafter.compose.catalog import Catalog
from drafter.core.config import Config
from drafter.core.contacts import Contact
from drafter.core.relationship import Relationship
from drafter.history.due import Step, next_step


@dataclass
class Plan:
    stages: dict[str, str] = field(default_factory=dict)  # contact id -> stage to draft
    histories: dict[str, Relationship] = field(default_factory=dict)
    skipped: list[Step] = field(default_factory=list)


def load_histories(db: Path | None, cfg: Config, ids: Sequence[str]) -> dict[str, Relationship]:
    """The relationships of these contacts; empty when there is no history file yet."""
    from drafter.history.commands import existing_store

    store = existing_store(db, cfg)
    if store is None:
        return {}
    with store:
        return {i: store.relationship(i) for i in ids}


def plan_drafts(
    cfg: Config,
    db: Path | None,
    contacts: Sequence[Contact],
    catalog: Catalog,
    platform: str,
    stage: str | None,
    today: date | None = None,
) -> Plan:
    """The stage for each contact: the one given, or (stage None) the next one in the history."""
    from drafter.history.commands import settings_of

    histories = load_histories(db, cfg, [c.id for c in contacts])
    plan = Plan(histories=histories)
    day = today or date.today()
    for contact in contacts:
        if stage is not None:
            plan.stages[contact.id] = stage
            continue
        rel = histories.get(contact.id) or Relationship(contact.id)
        step = next_step(rel, day, settings_of(cfg))
        if step.stage is None:
            plan.skipped.append(step)
        elif (platform, step.stage) not in catalog.templates:
            plan.skipped.append(
                Step(contact.id, step.action, f"{step.reason}; no {platform}/{step.stage} template")
            )
        else:
            plan.stages[contact.id] = step.stage
    return plan
