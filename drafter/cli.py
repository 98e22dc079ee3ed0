"""The command line: each command parses options, calls one function, and prints.

Heavy libraries (spaCy, textstat) are imported inside the commands that lint, so `--help`,
`templates` and drafting without linting start fast.
"""

from __future__ import annotations

import json
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from drafter import __version__
from drafter.core.config import Config, load_config
from drafter.core.contacts import Contact, load_roster, select
from drafter.core.drafts import Draft, to_file_text
from drafter.core.errors import DrafterError, DrafterWarning
from drafter.core.files import write_atomic
from drafter.core.platforms import STAGES, canonical_platform, canonical_stage
from drafter.imports.commands import import_cmd
from drafter.lint.findings import LintResult

_python_showwarning = warnings.showwarning


def _show_warning(message: Warning | str, category: type[Warning], *args: Any, **kw: Any) -> None:
    """A DrafterWarning is one line, like errors; other libraries' warnings print as usual."""
    if issubclass(category, DrafterWarning):
        click.echo(f"drafter: warning: {message}", err=True)
    else:
        _python_showwarning(message, category, *args, **kw)


class _OneLineError(click.ClickException):
    """click's usage errors are three lines; the README promises one."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"drafter: error: {self.message}", err=True)


# click 8.2+ answers `drafter` alone with its help, as an error: keep that as it is.
_KEEP: tuple[type[click.ClickException], ...] = (
    _OneLineError,
    *(
        (click.exceptions.NoArgsIsHelpError,)
        if hasattr(click.exceptions, "NoArgsIsHelpError")
        else ()
    ),
)


def _one_line(exc: click.ClickException) -> click.ClickException:
    if isinstance(exc, _KEEP):
        return exc
    message = exc.format_message().rstrip(".")
    if isinstance(exc, click.UsageError) and exc.ctx is not None:
        message += f" (see '{exc.ctx.command_path} --help')"
    return _OneLineError(message)  # bad input is exit 2, whatever click would have used


class _Group(click.Group):
    """Turns DrafterError and usage errors into one line on stderr and exit 2, never a traceback."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except click.ClickException as exc:
            raise _one_line(exc) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("always", DrafterWarning)
                warnings.showwarning = _show_warning
                return super().invoke(ctx)
        except click.ClickException as exc:
            raise _one_line(exc) from None
        except DrafterError as exc:
            click.echo(f"drafter: error: {exc.message}", err=True)
            ctx.exit(2)
        except BrokenPipeError:
            sys.stderr.close()
            ctx.exit(1)


def _set_config_path(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        root = ctx.find_root().ensure_object(dict)
        root["config_path"] = value
        root.pop("config", None)


# `--config` is accepted after the subcommand too: `drafter lint --config x drafts/`.
config_option = click.option(
    "--config",
    type=click.Path(path_type=Path, dir_okay=False),
    expose_value=False,
    is_eager=True,
    callback=_set_config_path,
    help="drafter.toml or pyproject.toml to use instead of searching upward.",
)


def _config(ctx: click.Context) -> Config:
    cfg = ctx.obj.get("config") if ctx.obj else None
    if cfg is None:
        cfg = load_config(ctx.obj.get("config_path") if ctx.obj else None)
        ctx.ensure_object(dict)["config"] = cfg
    return cfg


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="drafter")
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="drafter.toml or pyproject.toml to use instead of searching upward from here.",
)
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None) -> None:
    """Draft personalised networking messages, and lint any draft before it is sent."""
    ctx.ensure_object(dict)["config_path"] = config_path


def _catalog(cfg: Config, templates: Sequence[Path]) -> Any:
    from drafter.compose.catalog import load_catalog

    return load_catalog([*cfg.templates, *templates])


templates_option = click.option(
    "--templates",
    "template_dirs",
    multiple=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Your own template folder (adds or overrides built-ins). Repeatable.",
)


@cli.group("templates", cls=_Group, invoke_without_command=True)
@templates_option
@config_option
@click.pass_context
def templates_cmd(ctx: click.Context, template_dirs: tuple[Path, ...]) -> None:
    """List templates: platform, stage, variants, required facts, limit."""
    ctx.obj["template_dirs"] = template_dirs
    if ctx.invoked_subcommand is not None:
        return
    cfg = _config(ctx)
    catalog = _catalog(cfg, template_dirs)
    rows = [("TEMPLATE", "VARIANTS", "NEEDS", "LIMIT")]
    for info in catalog.templates.values():
        platform = catalog.platforms[info.platform]
        channel = platform.channel(info.stage)
        limit = channel.body_limit(cfg.free_account)
        needs = [*info.spec.requires, *(" | ".join(g) for g in info.spec.requires_any)]
        limit_text = f"{limit} ({channel.name})" if limit else "-"
        rows.append((info.name, ",".join(info.variants), "; ".join(needs) or "-", limit_text))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for row in rows:
        click.echo(
            "  ".join(cell.ljust(w) for cell, w in zip(row[:3], widths, strict=True))
            + "  "
            + row[3]
        )
    click.echo(f"\n{len(catalog.platforms)} platforms: {', '.join(sorted(catalog.platforms))}")


@templates_cmd.command("show")
@click.argument("name")
@click.option("--variant", help="Only this variant.")
@click.pass_context
def templates_show(ctx: click.Context, name: str, variant: str | None) -> None:
    """Print one template, e.g. `drafter templates show linkedin/connect`."""
    if "/" not in name:
        raise DrafterError(f"'{name}': name a template as platform/stage, e.g. linkedin/connect")
    platform, stage = name.split("/", 1)
    cfg = _config(ctx)
    catalog = _catalog(cfg, ctx.obj.get("template_dirs", ()))
    platform, stage = canonical_platform(platform, catalog.platforms), canonical_stage(stage)
    info = catalog.get(platform, stage)
    spec = catalog.platforms[platform]
    channel = spec.channel(stage)
    click.echo(f"# {info.name}: {info.spec.description or '(no description)'}")
    limit = channel.body_limit(cfg.free_account)
    click.echo(
        f"# channel: {channel.name}; limit: {limit or 'none'}; subject: {'yes' if channel.subject else 'no'}"
    )
    if info.spec.requires or info.spec.requires_any:
        needs = [*info.spec.requires, *("one of " + ", ".join(g) for g in info.spec.requires_any)]
        click.echo(f"# needs: {'; '.join(needs)}")
    for vname, path in info.variants.items():
        if variant and vname != variant:
            continue
        click.echo(f"\n## variant {vname} ({path})\n")
        click.echo(path.read_text(encoding="utf-8").rstrip("\n"))
    if variant and variant not in info.variants:
        raise DrafterError(
            f"{info.name} has no variant '{variant}'; it has: {', '.join(info.variants)}"
        )


def _contacts(
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


@cli.command()
@click.option(
    "--platform", "-p", required=True, help="linkedin, x, email, ... (see `drafter templates`)."
)
@click.option("--stage", "-s", help=f"One of: {', '.join(STAGES)} (or --next).")
@click.option(
    "--next",
    "next_stage",
    is_flag=True,
    help="Each contact's next stage from the history (see `drafter due`).",
)
@click.option("--db", type=click.Path(path_type=Path, dir_okay=False), help="History file.")
@click.option(
    "--roster",
    "-r",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Contacts: YAML, CSV or JSON.",
)
@click.option("--encoding", help="The roster's encoding when not UTF-8, e.g. cp1252.")
@click.option(
    "--contact", "-c", "contact_ids", multiple=True, help="Only this contact id. Repeatable."
)
@click.option("--with", "with_id", help="For intro: the contact to introduce them to.")
@click.option(
    "--me", type=click.Path(path_type=Path, dir_okay=False), help="Your own profile (me.yaml)."
)
@click.option("--variant", help="Use this template variant for everyone (A/B trials).")
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Write one file per contact here.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace files drafter wrote (unless edited since); write drafts with lint errors.",
)
@click.option(
    "--force-edited",
    is_flag=True,
    help="With --out: also overwrite files edited since drafter wrote them.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True
)
@click.option(
    "--free-account",
    is_flag=True,
    default=None,
    help="Use free-account limits (LinkedIn note: 200).",
)
@click.option("--no-lint", is_flag=True, help="Skip linting the drafts (faster; no spaCy).")
@click.option(
    "--ask", is_flag=True, help="On a terminal, ask for a missing reason/question and save it."
)
@templates_option
@config_option
@click.pass_context
def draft(
    ctx: click.Context,
    platform: str,
    stage: str | None,
    next_stage: bool,
    db: Path | None,
    roster: Path | None,
    encoding: str | None,
    contact_ids: tuple[str, ...],
    with_id: str | None,
    me: Path | None,
    variant: str | None,
    out: Path | None,
    force: bool,
    force_edited: bool,
    fmt: str,
    free_account: bool | None,
    no_lint: bool,
    ask: bool,
    template_dirs: tuple[Path, ...],
) -> None:
    """Render personalised drafts for contacts in a roster."""
    from drafter.compose.render import Renderer
    from drafter.compose.roster import draft_all, resolve_sender

    cfg = _config(ctx)
    free = cfg.free_account if free_account is None else free_account
    renderer = Renderer(_catalog(cfg, template_dirs), free_account=free)
    platform = canonical_platform(platform, renderer.catalog.platforms)
    stage = canonical_stage(stage) if stage is not None else None
    sender = resolve_sender(me, cfg)
    everyone = _contacts(roster, cfg, [], encoding)
    contacts = select(everyone, list(contact_ids), str(roster or cfg.roster))
    from drafter.compose.facts import roster_warnings

    for warning in roster_warnings(contacts):
        click.echo(f"drafter: warning: {warning}", err=True)
    other = select(everyone, [with_id], str(roster or cfg.roster))[0] if with_id else None
    if stage == "intro" and other is None:
        raise DrafterError("intro needs the contact to introduce them to: --with ID")
    if (stage is None) == (not next_stage):
        raise DrafterError("give --stage STAGE, or --next for each contact's next stage")
    from drafter.history.next import plan_drafts

    plan = plan_drafts(cfg, db, contacts, renderer.catalog, platform, stage)
    for skip in plan.skipped:
        click.echo(
            f"skipped {skip.contact}: {skip.action.replace('_', ' ')}: {skip.reason}", err=True
        )
    contacts = [c for c in contacts if c.id in plan.stages]
    writing = None
    if out is not None:
        from drafter.compose import output

        # Every file name is checked before anything is written; existing files are kept.
        writing = output.plan(
            output.target_paths(contacts, out, platform, plan.stages),
            force=force or force_edited,
            force_edited=force_edited,
        )
        for line in output.describe_kept(writing):
            click.echo(line, err=True)
        contacts = [c for c in contacts if c.id in writing.write]
    show_progress = sys.stderr.isatty() and len(contacts) >= 20
    if show_progress:
        with click.progressbar(length=len(contacts), label="drafting", file=sys.stderr) as bar:
            drafts, failures = draft_all(
                renderer,
                contacts,
                sender,
                platform,
                stage,
                variant=variant,
                other=other,
                progress=bar.update,
                stages=plan.stages,
                histories=plan.histories,
            )
    else:
        drafts, failures = draft_all(
            renderer,
            contacts,
            sender,
            platform,
            stage,
            variant=variant,
            other=other,
            stages=plan.stages,
            histories=plan.histories,
        )
    if ask and stage is not None:
        from drafter.compose.ask_cli import ask_on_terminal

        drafts, failures = ask_on_terminal(
            renderer,
            drafts,
            failures,
            everyone,
            sender,
            platform,
            stage,
            variant,
            other,
            roster or cfg.roster,
        )
    spec = renderer.catalog.platforms[platform]
    reports: dict[int, LintResult] = {}
    if not no_lint and drafts:
        from drafter.lint.engine import Linter

        linter = Linter.from_config(cfg, platforms=renderer.catalog.platforms, free_account=free)
        reports = dict(enumerate(linter.lint_many(drafts)))
        from drafter.history.lint import check_with_history

        batch_summary = check_with_history(list(reports.values()), linter.rules, cfg, db)
        if batch_summary and fmt == "text":
            click.echo(batch_summary, err=True)
    blocked = 0
    for i, item in enumerate(drafts):
        result = reports.get(i)
        has_errors = result is not None and result.has_errors
        assert item.contact is not None
        limit = spec.channel(item.stage).body_limit(free)
        if fmt == "jsonl":
            record = {
                "contact": item.contact.id,
                "platform": item.platform,
                "stage": item.stage,
                "template": item.template,
                "variant": item.variant,
                "to": item.meta.get("to"),
                "subject": item.subject,
                "body": item.body,
                "characters": spec.count(item.body),
                "limit": limit,
                "findings": [f.to_json() for f in result.findings] if result else None,
                "score": result.score if result else None,
            }
            click.echo(json.dumps(record, ensure_ascii=False))
        if writing is not None:
            target = writing.write[item.contact.id]
            if has_errors and not force:
                blocked += 1
                click.echo(
                    f"{target}: not written: lint errors (use --force to write it anyway)", err=True
                )
            else:
                write_atomic(target, output.stamp(to_file_text(item)), overwrite=True)
                if fmt == "text":
                    click.echo(f"wrote {target}")
        elif fmt == "text":
            click.echo(_header(item, limit, spec.count(item.body)))
            if item.subject:
                click.echo(f"Subject: {item.subject}\n")
            click.echo(item.body + "\n")
        if result is not None and result.findings and fmt == "text":
            from drafter.lint.report import text_findings

            click.echo(text_findings(result, color=False), err=out is not None)
    skipped = [f for f in failures if f.skipped]
    failures = [f for f in failures if not f.skipped]
    for failure in [*skipped, *failures]:
        click.echo(f"drafter: {failure.message}", err=True)
    if skipped:
        click.echo(f"drafter: {len(skipped)} of {len(contacts)} contacts skipped", err=True)
    kept = len(writing.kept_edited) if writing is not None else 0
    if failures or blocked or kept:
        parts = []
        if kept:
            parts.append(f"{kept} edited files kept (use --force-edited to replace them)")
        if failures:
            parts.append(f"{len(failures)} of {len(contacts)} contacts could not be drafted")
        if blocked:
            parts.append(f"{blocked} drafts with lint errors not written")
        click.echo(f"drafter: {'; '.join(parts)}", err=True)
        ctx.exit(1)


def _lint_contact(value: str | None, roster: Path | None, cfg: Config) -> Contact | None:
    """`--contact` is a profile file, or an id in the roster."""
    if value is None:
        return None
    path = Path(value)
    if path.suffix.lower() in (".yaml", ".yml", ".json", ".csv") and path.is_file():
        found = load_roster(path)
        if len(found) != 1:
            raise DrafterError(
                f"{value}: --contact FILE must hold one contact; use --roster with --contact ID"
            )
        return found[0]
    return _contacts(roster, cfg, [value])[0]


class _StageChoice(click.Choice[str]):
    """`follow-up` and `Follow Up` are follow_up: the stage the user obviously means."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        return super().convert(canonical_stage(str(value)), param, ctx)


def draft_context_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """What `lint` and `fix` need to know about a draft that its file may not say."""
    options = [
        click.option("--platform", "-p", help="Platform (else front matter or path)."),
        click.option(
            "--stage", "-s", type=_StageChoice(STAGES), help="Stage (else front matter or path)."
        ),
        click.option(
            "--contact",
            "-c",
            "contact",
            help="The recipient: a profile file, or an id in --roster.",
        ),
        click.option(
            "--roster",
            "-r",
            type=click.Path(path_type=Path, dir_okay=False),
            help="Roster to resolve contact ids.",
        ),
        click.option(
            "--stdin-filename",
            help="Name for the draft read from stdin (`-`): for reports, config and context.",
        ),
        templates_option,
        config_option,
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _draft_context(
    ctx: click.Context,
    platform: str | None,
    stage: str | None,
    contact: str | None,
    roster: Path | None,
    stdin_filename: str | None,
    template_dirs: Sequence[Path],
) -> tuple[Config, Any, Any]:
    """Config (found from the stdin file name's folder when given), catalog, and LintContext."""
    from drafter.lint.inputs import LintContext

    if stdin_filename and ctx.obj.get("config_path") is None and "config" not in ctx.obj:
        ctx.obj["config"] = load_config(None, Path(stdin_filename).resolve().parent)
    cfg = _config(ctx)
    catalog = _catalog(cfg, template_dirs)
    if platform is not None:
        platform = canonical_platform(platform, catalog.platforms)
    if platform is not None and platform not in catalog.platforms:
        raise DrafterError(
            f"unknown platform '{platform}'; known: {', '.join(sorted(catalog.platforms))}"
        )
    roster = roster or cfg.roster
    return cfg, catalog, LintContext(platform, stage, _lint_contact(contact, roster, cfg), roster)


@cli.command()
@click.argument("paths", nargs=-1)
@draft_context_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "line", "github"]),
    default="text",
    show_default=True,
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "never"]),
    default="error",
    show_default=True,
    help="Exit 1 when a finding is at or above this severity.",
)
@click.option(
    "--columns",
    type=click.Choice(["chars", "bytes"]),
    default="chars",
    show_default=True,
    help="How --format line counts columns: bytes for Vim and efm-langserver.",
)
@click.option(
    "--free-account", is_flag=True, default=None, help="Free-account limits (LinkedIn note: 200)."
)
@click.option(
    "--color/--no-color", default=None, help="Colour the text report (default: on a terminal)."
)
@click.option("--db", type=click.Path(path_type=Path, dir_okay=False), help="History file.")
@click.pass_context
def lint(
    ctx: click.Context,
    paths: tuple[str, ...],
    platform: str | None,
    stage: str | None,
    contact: str | None,
    roster: Path | None,
    fmt: str,
    fail_on: str,
    stdin_filename: str | None,
    columns: str,
    free_account: bool | None,
    color: bool | None,
    db: Path | None,
    template_dirs: tuple[Path, ...],
) -> None:
    """Check drafts before sending: files, folders, or - for stdin.

    Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or input error.
    """
    from drafter.lint import report
    from drafter.lint.engine import Linter
    from drafter.lint.inputs import load_drafts, missing_platform_note

    if not paths:
        raise DrafterError("no drafts given: pass files, folders, or - to read stdin")
    if paths.count("-") > 1:
        raise DrafterError("stdin (-) can be read only once")
    cfg, catalog, lint_ctx = _draft_context(
        ctx, platform, stage, contact, roster, stdin_filename, template_dirs
    )
    drafts = load_drafts(paths, lint_ctx, catalog.platforms, stdin_filename=stdin_filename)
    linter = Linter.from_config(cfg, platforms=catalog.platforms, free_account=free_account)
    results = linter.lint_many(drafts)
    note = missing_platform_note(drafts, linter.rules)
    if note:
        click.echo(note, err=True)
    from drafter.history.lint import check_with_history

    batch_summary = check_with_history(results, linter.rules, cfg, db)
    if fmt == "json":
        click.echo(report.json_report(results))
    elif fmt == "line":
        out = report.line_report(results, columns=columns)
        if out:
            click.echo(out)
    elif fmt == "github":
        out = report.github_report(results)
        if out:
            click.echo(out)
    else:
        use_color = sys.stdout.isatty() if color is None else color
        click.echo(report.text_report(results, color=use_color), color=use_color)
        if batch_summary:
            click.echo(batch_summary)
    if fail_on != "never" and any(r.at_or_above(fail_on) for r in results):
        ctx.exit(1)


@cli.command()
@click.argument("path", required=False)
@click.option("--write", "-w", is_flag=True, help="Fix the file in place (atomically).")
@click.option("--diff", is_flag=True, help="Show the fixes as a unified diff instead.")
@click.option(
    "--unsafe-fixes",
    is_flag=True,
    help="Also apply unsafe fixes (they may remove more than the flagged words).",
)
@draft_context_options
@click.pass_context
def fix(
    ctx: click.Context,
    path: str | None,
    write: bool,
    diff: bool,
    unsafe_fixes: bool,
    platform: str | None,
    stage: str | None,
    contact: str | None,
    roster: Path | None,
    stdin_filename: str | None,
    template_dirs: tuple[Path, ...],
) -> None:
    """Apply safe fixes and print the whole fixed draft (`:%!drafter fix -`).

    Safe fixes only remove the flagged words and their connectives, or put in literal text (a
    wrong name replaced), and always leave a sentence of substance; --unsafe-fixes also applies
    the rest. Front matter and untouched text are kept byte for byte.
    """
    import difflib

    from drafter.core.files import decode, read_text
    from drafter.lint.engine import Linter
    from drafter.lint.fixes import fix_text
    from drafter.lint.inputs import ContactResolver, make_draft

    if path is None:
        if sys.stdin.isatty():  # nothing piped in: say how to use it instead of waiting
            raise click.UsageError("no draft given: pass a file, or - to read stdin", ctx)
        path = "-"
    if write and path == "-":
        raise DrafterError("--write needs a file, not stdin")
    if write and diff:
        raise DrafterError("use --write or --diff, not both")
    cfg, catalog, lint_ctx = _draft_context(
        ctx, platform, stage, contact, roster, stdin_filename, template_dirs
    )
    if path == "-":
        raw = sys.stdin.buffer.read()
        text, name = decode(raw, "<stdin>"), stdin_filename or "<stdin>"
    else:
        if Path(path).is_dir():
            raise DrafterError(f"{path}: is a folder; fix one draft at a time")
        text, name = read_text(Path(path)), path
        raw = Path(path).read_bytes()
    resolver = ContactResolver(lint_ctx.roster)
    linter = Linter.from_config(cfg, platforms=catalog.platforms)
    outcome = fix_text(
        text,
        lambda t: make_draft(t, name, lint_ctx, catalog.platforms, resolver),
        linter,
        unsafe=unsafe_fixes,
    )
    before, after = _as_read(raw, text), _as_read(raw, outcome.text)
    if diff:
        lines = difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            name if name.startswith("/") else f"a/{name}",
            name if name.startswith("/") else f"b/{name}",
        )
        sys.stdout.write("".join(lines))
    elif write:
        if outcome.text != text:
            write_atomic(Path(path), after, overwrite=True)
        click.echo(
            f"{name}: {outcome.applied} fixes applied, {outcome.remaining} findings left", err=True
        )
    else:
        sys.stdout.write(after)
    if outcome.unsafe_left:
        click.echo(
            f"{name}: {outcome.unsafe_left} unsafe "
            f"{'fix' if outcome.unsafe_left == 1 else 'fixes'} not applied (use --unsafe-fixes)",
            err=True,
        )


def _as_read(raw: bytes, text: str) -> str:
    """decode() drops a BOM and turns CRLF into LF; put them back, so untouched bytes stay."""
    if b"\r\n" in raw and raw.count(b"\r\n") == raw.count(b"\n"):
        text = text.replace("\n", "\r\n")
    if raw.startswith(b"\xef\xbb\xbf"):
        text = "\ufeff" + text
    return text


@cli.command()
def lsp() -> None:
    """Run the language server over stdio (for editors; see EDITORS.md)."""
    try:
        from drafter.lsp.server import serve
    except ImportError as exc:
        raise DrafterError(
            f"the language server needs pygls, a dependency of drafter ({exc})"
        ) from None
    serve()


@cli.group("rules", cls=_Group, invoke_without_command=True)
@config_option
@click.pass_context
def rules_cmd(ctx: click.Context) -> None:
    """List the rules in force: id, category, severity, scope."""
    if ctx.invoked_subcommand is not None:
        return
    from drafter.lint.rules import configured_rules

    rules = configured_rules(_config(ctx))
    width = max(len(r.id) for r in rules.values())
    for rule in sorted(rules.values(), key=lambda r: (r.category, r.id)):
        click.echo(
            f"{rule.id.ljust(width)}  {rule.category:<15} {rule.severity:<8} {rule.kind:<8} {rule.scope.describe()}"
        )
    click.echo(f"\n{len(rules)} rules; `drafter rules explain ID` shows why and examples.")


@rules_cmd.command("explain")
@click.argument("rule_id")
@click.pass_context
def rules_explain(ctx: click.Context, rule_id: str) -> None:
    """Why a rule exists, and the examples it must and must not flag."""
    from drafter.lint.rules import load_rules

    cfg = _config(ctx)
    rules = load_rules(cfg.rules_folders)
    rule = rules.get(rule_id)
    if rule is None:
        close = [r for r in rules if rule_id in r]
        hint = f"; did you mean {', '.join(close[:3])}?" if close else ""
        raise DrafterError(f"no rule '{rule_id}'{hint}")
    click.echo(
        f"{rule.id} ({rule.category}, {rule.severity}, {rule.kind}; scope: {rule.scope.describe()})"
    )
    click.echo(f"source: {rule.source}\n")
    from drafter.lint.kinds import describe

    if describe(rule.spec):
        click.echo(f"parameters: {describe(rule.spec)}\n")
    click.echo(f"{rule.why}\n")
    if rule.suggest:
        click.echo("Instead: " + " / ".join(rule.suggest) + "\n")
    for label, examples in (("Flags", rule.bad), ("Leaves alone", rule.good)):
        if examples:
            click.echo(f"{label}:")
            for ex in examples:
                context = ", ".join(x for x in (ex.platform, ex.stage) if x)
                click.echo(f"  - {ex.text!r}" + (f"  ({context})" if context else ""))


@cli.command()
@config_option
@click.pass_context
def demo(ctx: click.Context) -> None:
    """Draft the bundled example roster on a few platforms, then lint the drafts."""
    from drafter.demo import run_demo

    run_demo(_config(ctx), echo=click.echo)


cli.add_command(import_cmd)
from drafter.history.commands import COMMANDS as _HISTORY_COMMANDS  # noqa: E402

for _command in _HISTORY_COMMANDS:
    cli.add_command(_command)


def main() -> None:
    cli(obj={})
