"""`drafter draft` as steps: choose contacts and stages, plan the files, render, ask, lint, and
report. The click command only turns options into a DraftRequest and exits with the code this
returns, so each step is a function a test can call.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from drafter.core.config import Config
from drafter.core.contacts import Contact, load_roster, select
from drafter.core.drafts import Draft, to_file_text
from drafter.core.errors import DrafterError
from drafter.core.files import write_atomic
from drafter.core.platforms import canonical_platform, canonical_stage

if TYPE_CHECKING:
    from drafter.compose.catalog import Catalog
    from drafter.compose.output import Plan as Writing
    from drafter.compose.render import Renderer
    from drafter.compose.roster import Failure
    from drafter.history.next import Plan
    from drafter.lint.findings import LintResult

Echo = Callable[..., None]  # click.echo: (message, err=False)


@dataclass(frozen=True)
class DraftRequest:
    """Every option of `drafter draft`, as given."""

    platform: str
    stage: str | None = None
    next_stage: bool = False
    db: Path | None = None
    roster: Path | None = None
    encoding: str | None = None
    contact_ids: tuple[str, ...] = ()
    with_id: str | None = None
    me: Path | None = None
    variant: str | None = None
    out: Path | None = None
    force: bool = False
    force_edited: bool = False
    fmt: str = "text"
    free_account: bool | None = None
    no_lint: bool = False
    ask: bool = False


@dataclass
class DraftRun:
    """What the steps build up, for the report at the end."""

    req: DraftRequest
    cfg: Config
    renderer: Renderer
    platform: str
    stage: str | None
    free: bool
    everyone: list[Contact]
    contacts: list[Contact]
    other: Contact | None
    plan: Plan | None = None
    writing: Writing | None = None
    drafts: list[Draft] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    reports: dict[int, LintResult] = field(default_factory=dict)


def roster_contacts(
    roster: Path | None, cfg: Config, ids: Sequence[str], encoding: str | None = None
) -> list[Contact]:
    path = roster or cfg.roster
    if path is None:
        raise DrafterError(
            "no roster: pass --roster FILE (YAML, CSV or JSON) or set roster in drafter.toml"
        )
    return select(load_roster(path, encoding), list(ids), str(path))


def _header(draft: Draft, limit: int | None, count: int) -> str:
    assert draft.contact is not None
    size = f"{count}/{limit} characters" if limit else f"{count} characters"
    return f"# {draft.contact.id}: {draft.template} variant {draft.variant}, {size}"


def start(req: DraftRequest, cfg: Config, catalog: Catalog, echo: Echo) -> DraftRun:
    """Contacts, the sender and the stage as the user means them; roster warnings printed."""
    from drafter.compose.facts import roster_warnings
    from drafter.compose.render import Renderer

    free = cfg.free_account if req.free_account is None else req.free_account
    renderer = Renderer(catalog, free_account=free)
    platform = canonical_platform(req.platform, catalog.platforms)
    stage = canonical_stage(req.stage) if req.stage is not None else None
    everyone = roster_contacts(req.roster, cfg, [], req.encoding)
    where = str(req.roster or cfg.roster)
    contacts = select(everyone, list(req.contact_ids), where)
    for warning in roster_warnings(contacts):
        echo(f"drafter: warning: {warning}", err=True)
    other = select(everyone, [req.with_id], where)[0] if req.with_id else None
    if stage == "intro" and other is None:
        raise DrafterError("intro needs the contact to introduce them to: --with ID")
    if (stage is None) == (not req.next_stage):
        raise DrafterError("give --stage STAGE, or --next for each contact's next stage")
    return DraftRun(req, cfg, renderer, platform, stage, free, everyone, contacts, other)


def plan_stages(run: DraftRun, echo: Echo) -> None:
    """Each contact's stage (from the history with --next) and, with --out, its file: every
    name is checked before anything is written, and existing files are kept."""
    from drafter.history.next import plan_drafts

    req = run.req
    run.plan = plan_drafts(
        run.cfg, req.db, run.contacts, run.renderer.catalog, run.platform, run.stage
    )
    for skip in run.plan.skipped:
        echo(f"skipped {skip.contact}: {skip.action.replace('_', ' ')}: {skip.reason}", err=True)
    run.contacts = [c for c in run.contacts if c.id in run.plan.stages]
    if req.out is not None:
        from drafter.compose import output

        run.writing = output.plan(
            output.target_paths(run.contacts, req.out, run.platform, run.plan.stages),
            force=req.force or req.force_edited,
            force_edited=req.force_edited,
        )
        for line in output.describe_kept(run.writing):
            echo(line, err=True)
        run.contacts = [c for c in run.contacts if c.id in run.writing.write]


def render(run: DraftRun, progress: Callable[[int], None] | None = None) -> None:
    from drafter.compose.roster import draft_all, resolve_sender

    assert run.plan is not None
    req = run.req
    sender = resolve_sender(req.me, run.cfg)
    run.drafts, run.failures = draft_all(
        run.renderer,
        run.contacts,
        sender,
        run.platform,
        run.stage,
        variant=req.variant,
        other=run.other,
        progress=progress,
        stages=run.plan.stages,
        histories=run.plan.histories,
    )
    if req.ask and run.stage is not None:
        from drafter.compose.ask_cli import ask_on_terminal

        run.drafts, run.failures = ask_on_terminal(
            run.renderer,
            run.drafts,
            run.failures,
            run.everyone,
            sender,
            run.platform,
            run.stage,
            req.variant,
            run.other,
            req.roster or run.cfg.roster,
        )


def lint(run: DraftRun, echo: Echo) -> None:
    """Lint every draft (and the batch, with the history) before anything is written."""
    if run.req.no_lint or not run.drafts:
        return
    from drafter.history.lint import check_with_history
    from drafter.lint.engine import Linter

    linter = Linter.from_config(
        run.cfg, platforms=run.renderer.catalog.platforms, free_account=run.free
    )
    run.reports = dict(enumerate(linter.lint_many(run.drafts)))
    summary = check_with_history(list(run.reports.values()), linter.rules, run.cfg, run.req.db)
    if summary and run.req.fmt == "text":
        echo(summary, err=True)


def _record(item: Draft, result: LintResult | None, count: int, limit: int | None) -> str:
    assert item.contact is not None
    return json.dumps(
        {
            "contact": item.contact.id,
            "platform": item.platform,
            "stage": item.stage,
            "template": item.template,
            "variant": item.variant,
            "to": item.meta.get("to"),
            "subject": item.subject,
            "body": item.body,
            "characters": count,
            "limit": limit,
            "findings": [f.to_json() for f in result.findings] if result else None,
            "score": result.score if result else None,
        },
        ensure_ascii=False,
    )


def emit(run: DraftRun, echo: Echo) -> int:
    """Print or write each draft; the number held back for lint errors."""
    from drafter.compose import output

    req = run.req
    spec = run.renderer.catalog.platforms[run.platform]
    blocked = 0
    for i, item in enumerate(run.drafts):
        result = run.reports.get(i)
        assert item.contact is not None
        limit = spec.channel(item.stage).body_limit(run.free)
        if req.fmt == "jsonl":
            echo(_record(item, result, spec.count(item.body), limit))
        if run.writing is not None:
            target = run.writing.write[item.contact.id]
            if result is not None and result.has_errors and not req.force:
                blocked += 1
                echo(
                    f"{target}: not written: lint errors (use --force to write it anyway)", err=True
                )
            else:
                write_atomic(target, output.stamp(to_file_text(item)), overwrite=True)
                if req.fmt == "text":
                    echo(f"wrote {target}")
        elif req.fmt == "text":
            echo(_header(item, limit, spec.count(item.body)))
            if item.subject:
                echo(f"Subject: {item.subject}\n")
            echo(item.body + "\n")
        if result is not None and result.findings and req.fmt == "text":
            from drafter.lint.report import text_findings

            echo(text_findings(result, color=False), err=req.out is not None)
    return blocked


def summarise(run: DraftRun, blocked: int, echo: Echo) -> int:
    """Skipped and failed contacts, kept files; the exit code (1 when anything was left out)."""
    skipped = [f for f in run.failures if f.skipped]
    failures = [f for f in run.failures if not f.skipped]
    for failure in [*skipped, *failures]:
        echo(f"drafter: {failure.message}", err=True)
    if skipped:
        echo(f"drafter: {len(skipped)} of {len(run.contacts)} contacts skipped", err=True)
    kept = len(run.writing.kept_edited) if run.writing is not None else 0
    if not (failures or blocked or kept):
        return 0
    parts = []
    if kept:
        parts.append(f"{kept} edited files kept (use --force-edited to replace them)")
    if failures:
        parts.append(f"{len(failures)} of {len(run.contacts)} contacts could not be drafted")
    if blocked:
        parts.append(f"{blocked} drafts with lint errors not written")
    echo(f"drafter: {'; '.join(parts)}", err=True)
    return 1


def run_draft(req: DraftRequest, cfg: Config, catalog: Catalog, echo: Echo) -> int:
    """The whole command; a progress bar on stderr for long rosters on a terminal."""
    import click

    run = start(req, cfg, catalog, echo)
    plan_stages(run, echo)
    if sys.stderr.isatty() and len(run.contacts) >= 20:
        with click.progressbar(length=len(run.contacts), label="drafting", file=sys.stderr) as bar:
            render(run, progress=bar.update)
    else:
        render(run)
    lint(run, echo)
    return summarise(run, emit(run, echo), echo)
