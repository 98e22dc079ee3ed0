"""The command line: each command parses options, calls one function, and prints.

Heavy libraries (spaCy, textstat) are imported inside the commands that lint, so `--help`,
`templates` and drafting without linting start fast.
"""

from __future__ import annotations

import contextlib
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from drafter import __version__
from drafter.compose.command import roster_contacts
from drafter.core.config import Config, load_config
from drafter.core.contacts import Contact, load_roster
from drafter.core.errors import DrafterError, DrafterWarning
from drafter.core.files import read_text
from drafter.core.platforms import STAGES, canonical_platform, canonical_stage
from drafter.imports.commands import import_cmd

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
        click.echo(read_text(path).rstrip("\n"))
    if variant and variant not in info.variants:
        raise DrafterError(
            f"{info.name} has no variant '{variant}'; it has: {', '.join(info.variants)}"
        )


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
    from drafter.compose.command import DraftRequest, run_draft

    cfg = _config(ctx)
    request = DraftRequest(
        platform, stage, next_stage, db, roster, encoding, contact_ids, with_id, me, variant,
        out, force, force_edited, fmt, free_account, no_lint, ask,
    )  # fmt: skip
    code = run_draft(request, cfg, _catalog(cfg, template_dirs), click.echo)
    if code:
        ctx.exit(code)


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
    return roster_contacts(roster, cfg, [value])[0]


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
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Processes for big folders (0: one per core; from 256 files). Output order is kept.",
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
    columns: str,
    free_account: bool | None,
    color: bool | None,
    db: Path | None,
    jobs: int,
    template_dirs: tuple[Path, ...],
) -> None:
    """Check drafts before sending: files, folders, or - for stdin.

    Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or input error.
    """
    from drafter.lint import stream, warm
    from drafter.lint.inputs import expand

    if not paths:
        raise DrafterError("no drafts given: pass files, folders, or - to read stdin")
    if paths.count("-") > 1:
        raise DrafterError("stdin (-) can be read only once")
    cfg, catalog, lint_ctx = _draft_context(
        ctx, platform, stage, contact, roster, stdin_filename, template_dirs
    )
    warm.require(cfg, catalog.platforms, free_account)  # in `drafter server`: this config?
    files = expand(paths)
    use_color = fmt == "text" and (sys.stdout.isatty() if color is None else color)
    from drafter.history.lint import linter_and_batch

    # The history rules: copy-paste across the whole batch is found before the report streams.
    linter, history = linter_and_batch(
        cfg, catalog.platforms, free_account, files, lint_ctx, db, jobs
    )
    failed = stream.lint_report(
        files,
        lint_ctx,
        catalog.platforms,
        linter,
        fmt=fmt,
        color=use_color,
        fail_on=fail_on,
        stdin_filename=stdin_filename,
        jobs=jobs,
        write=lambda text: click.echo(text, nl=False, color=use_color),
        note=lambda text: click.echo(text, err=True),
        columns=columns,
        extra=history.apply if history is not None else None,
    )
    if history is not None and fmt == "text" and history.summary:
        click.echo(history.summary)
    if failed:
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
    from drafter.core.files import rewrite
    from drafter.lint import warm
    from drafter.lint.fixes import fix_text, unified_diff
    from drafter.lint.inputs import ContactResolver, make_draft, read_raw

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
    warm.require(cfg, catalog.platforms)  # in `drafter server`: this config?
    name, before = read_raw(path, stdin_filename)
    resolver = ContactResolver(lint_ctx.roster)
    # The text as read (BOM, CRLF, lone CRs) is kept; fixes are mapped onto it.
    outcome = fix_text(
        before,
        lambda t: make_draft(t, name, lint_ctx, catalog.platforms, resolver),
        warm.linter_for(cfg, platforms=catalog.platforms),
        unsafe=unsafe_fixes,
    )
    if diff:
        _write_stdout(unified_diff(before, outcome.text, name))
    elif write:
        if outcome.text != before:
            rewrite(Path(path), outcome.text)
        click.echo(
            f"{name}: {outcome.applied} fixes applied, {outcome.remaining} findings left", err=True
        )
    else:
        _write_stdout(outcome.text)
    if outcome.unsafe_left:
        n = outcome.unsafe_left
        click.echo(
            f"{name}: {n} unsafe {'fix' if n == 1 else 'fixes'} not applied (use --unsafe-fixes)",
            err=True,
        )


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
from drafter.server.commands import server_group  # noqa: E402

cli.add_command(server_group)


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
