"""The command line: each command parses options, calls one function, and prints.

Heavy libraries (spaCy, textstat) are imported inside the commands that lint, so `--help`,
`templates` and drafting without linting start fast.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from drafter import __version__
from drafter.core.config import Config, load_config
from drafter.core.contacts import Contact, load_roster, select
from drafter.core.drafts import Draft, to_file_text
from drafter.core.errors import DrafterError
from drafter.core.files import read_text, write_atomic
from drafter.core.platforms import STAGES
from drafter.lint.findings import LintResult


class _Group(click.Group):
    """Turns DrafterError into one line on stderr and exit 2, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DrafterError as exc:
            click.echo(f"drafter: error: {exc.message}", err=True)
            ctx.exit(2)
        except BrokenPipeError:
            sys.stderr.close()
            ctx.exit(1)


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
        click.echo(read_text(path).rstrip("\n"))
    if variant and variant not in info.variants:
        raise DrafterError(
            f"{info.name} has no variant '{variant}'; it has: {', '.join(info.variants)}"
        )


def _contacts(roster: Path | None, cfg: Config, ids: Sequence[str]) -> list[Contact]:
    path = roster or cfg.roster
    if path is None:
        raise DrafterError(
            "no roster: pass --roster FILE (YAML, CSV or JSON) or set roster in drafter.toml"
        )
    return select(load_roster(path), list(ids), str(path))


def _header(draft: Draft, limit: int | None, count: int) -> str:
    assert draft.contact is not None
    size = f"{count}/{limit} characters" if limit else f"{count} characters"
    return f"# {draft.contact.id}: {draft.template} variant {draft.variant}, {size}"


@cli.command()
@click.option(
    "--platform", "-p", required=True, help="linkedin, x, email, ... (see `drafter templates`)."
)
@click.option("--stage", "-s", required=True, help=f"One of: {', '.join(STAGES)}.")
@click.option(
    "--roster",
    "-r",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Contacts: YAML, CSV or JSON.",
)
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
    "--force", is_flag=True, help="Overwrite existing files; write drafts that have lint errors."
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
@templates_option
@click.pass_context
def draft(
    ctx: click.Context,
    platform: str,
    stage: str,
    roster: Path | None,
    contact_ids: tuple[str, ...],
    with_id: str | None,
    me: Path | None,
    variant: str | None,
    out: Path | None,
    force: bool,
    fmt: str,
    free_account: bool | None,
    no_lint: bool,
    template_dirs: tuple[Path, ...],
) -> None:
    """Render personalised drafts for contacts in a roster."""
    from drafter.compose.render import Renderer
    from drafter.compose.roster import draft_all, resolve_sender

    cfg = _config(ctx)
    free = cfg.free_account if free_account is None else free_account
    renderer = Renderer(_catalog(cfg, template_dirs), free_account=free)
    sender = resolve_sender(me, cfg)
    everyone = _contacts(roster, cfg, [])
    contacts = select(everyone, list(contact_ids), str(roster or cfg.roster))
    other = select(everyone, [with_id], str(roster or cfg.roster))[0] if with_id else None
    if stage == "intro" and other is None:
        raise DrafterError("intro needs the contact to introduce them to: --with ID")
    if out is not None and not force:
        # Refuse before writing anything, so a rerun never leaves a half-updated folder.
        for contact in contacts:
            target = out / f"{contact.id}.{platform}.{stage}.md"
            if target.exists():
                raise DrafterError(f"{target}: exists; use --force to overwrite it")
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
            )
    else:
        drafts, failures = draft_all(
            renderer, contacts, sender, platform, stage, variant=variant, other=other
        )
    spec = renderer.catalog.platforms[platform]
    limit = spec.channel(stage).body_limit(free)
    reports: dict[int, LintResult] = {}
    if not no_lint and drafts:
        from drafter.lint.engine import Linter

        linter = Linter.from_config(cfg, platforms=renderer.catalog.platforms, free_account=free)
        reports = dict(enumerate(linter.lint_many(drafts)))
    blocked = 0
    for i, item in enumerate(drafts):
        result = reports.get(i)
        has_errors = result is not None and result.has_errors
        assert item.contact is not None
        if fmt == "jsonl":
            record = {
                "contact": item.contact.id,
                "platform": item.platform,
                "stage": item.stage,
                "template": item.template,
                "variant": item.variant,
                "subject": item.subject,
                "body": item.body,
                "characters": spec.count(item.body),
                "limit": limit,
                "findings": [f.to_json() for f in result.findings] if result else None,
                "score": result.score if result else None,
            }
            click.echo(json.dumps(record, ensure_ascii=False))
        if out is not None:
            target = out / f"{item.contact.id}.{platform}.{stage}.md"
            if has_errors and not force:
                blocked += 1
                click.echo(
                    f"{target}: not written: lint errors (use --force to write it anyway)", err=True
                )
            else:
                write_atomic(target, to_file_text(item), overwrite=force)
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
    for failure in failures:
        click.echo(f"drafter: {failure.message}", err=True)
    if failures or blocked:
        parts = []
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


def draft_context_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """What `lint` and `fix` need to know about a draft that its file may not say."""
    options = [
        click.option("--platform", "-p", help="Platform (else front matter or path)."),
        click.option(
            "--stage", "-s", type=click.Choice(STAGES), help="Stage (else front matter or path)."
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
    "--free-account", is_flag=True, default=None, help="Free-account limits (LinkedIn note: 200)."
)
@click.option(
    "--color/--no-color", default=None, help="Colour the text report (default: on a terminal)."
)
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
    free_account: bool | None,
    color: bool | None,
    template_dirs: tuple[Path, ...],
) -> None:
    """Check drafts before sending: files, folders, or - for stdin.

    Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or input error.
    """
    from drafter.lint import report
    from drafter.lint.engine import Linter
    from drafter.lint.inputs import load_drafts

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
    if fmt == "json":
        click.echo(report.json_report(results))
    elif fmt == "line":
        out = report.line_report(results)
        if out:
            click.echo(out)
    elif fmt == "github":
        out = report.github_report(results)
        if out:
            click.echo(out)
    else:
        use_color = sys.stdout.isatty() if color is None else color
        click.echo(report.text_report(results, color=use_color), color=use_color)
    if fail_on != "never" and any(r.at_or_above(fail_on) for r in results):
        ctx.exit(1)


@cli.command()
@click.argument("path", default="-")
@click.option("--write", "-w", is_flag=True, help="Fix the file in place (atomically).")
@click.option("--diff", is_flag=True, help="Show the fixes as a unified diff instead.")
@draft_context_options
@click.pass_context
def fix(
    ctx: click.Context,
    path: str,
    write: bool,
    diff: bool,
    platform: str | None,
    stage: str | None,
    contact: str | None,
    roster: Path | None,
    stdin_filename: str | None,
    template_dirs: tuple[Path, ...],
) -> None:
    """Apply safe fixes and print the whole fixed draft (`:%!drafter fix -`).

    Only unambiguous edits are made (a stock opener sentence removed, a wrong name replaced);
    front matter and untouched text are kept byte for byte.
    """
    import difflib

    from drafter.core.files import decode_exact, read_bytes, read_stream, rewrite
    from drafter.core.limits import MAX_DRAFT_BYTES
    from drafter.lint.engine import Linter
    from drafter.lint.fixes import fix_text
    from drafter.lint.inputs import ContactResolver, make_draft

    if write and path == "-":
        raise DrafterError("--write needs a file, not stdin")
    if write and diff:
        raise DrafterError("use --write or --diff, not both")
    cfg, catalog, lint_ctx = _draft_context(
        ctx, platform, stage, contact, roster, stdin_filename, template_dirs
    )
    if path == "-":
        name = stdin_filename or "<stdin>"
        before = decode_exact(read_stream(sys.stdin.buffer, "<stdin>", MAX_DRAFT_BYTES), "<stdin>")
    else:
        if Path(path).is_dir():
            raise DrafterError(f"{path}: is a folder; fix one draft at a time")
        name = path
        before = decode_exact(read_bytes(Path(path), MAX_DRAFT_BYTES), path)
    resolver = ContactResolver(lint_ctx.roster)
    linter = Linter.from_config(cfg, platforms=catalog.platforms)
    # The text as read (BOM, CRLF, lone CRs) is kept; fixes are mapped onto it.
    outcome = fix_text(
        before, lambda t: make_draft(t, name, lint_ctx, catalog.platforms, resolver), linter
    )
    after = outcome.text
    if diff:
        lines = difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            name if name.startswith("/") else f"a/{name}",
            name if name.startswith("/") else f"b/{name}",
        )
        _write_stdout("".join(lines))
    elif write:
        if after != before:
            rewrite(Path(path), after)
        click.echo(
            f"{name}: {outcome.applied} fixes applied, {outcome.remaining} findings left", err=True
        )
    else:
        _write_stdout(after)


def _write_stdout(text: str) -> None:
    """Drafts go out as the UTF-8 they were read as, whatever the locale's encoding."""
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()


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
@click.pass_context
def demo(ctx: click.Context) -> None:
    """Draft the bundled example roster on a few platforms, then lint the drafts."""
    from drafter.demo import run_demo

    run_demo(_config(ctx), echo=click.echo)


def main() -> None:
    """The console entry: the streams are checked and made safe here, once, for every command."""
    if sys.stdout is None:  # started with stdout closed (`drafter lint x >&-`)
        if sys.stderr is not None:
            sys.stderr.write("drafter: error: standard output is closed\n")
        sys.exit(2)
    for stream in (sys.stdout, sys.stderr):
        # A locale that cannot spell a finding's text (PYTHONIOENCODING=ascii) gets escapes, not
        # a UnicodeEncodeError; drafts themselves are written as UTF-8 bytes (see `fix`).
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    try:
        try:
            cli(obj={})
        finally:
            with contextlib.suppress(ValueError):  # already closed (the language server's exit)
                sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(1)
    except OSError as exc:  # /dev/full, a vanished disk
        _silence_stdout()
        sys.stderr.write(f"drafter: error: cannot write output: {exc.strerror or exc}\n")
        sys.exit(2)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
