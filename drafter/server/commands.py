"""`drafter server start|stop|status`: keep a warm linter for `drafter lint` and `drafter fix`."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import click

from drafter.core.errors import DrafterError
from drafter.server.client import build_id, read_message, request
from drafter.server.paths import socket_path


def ask(op: str) -> dict[str, Any] | None:
    """Send one control request to the running server; its reply, or None if none runs."""
    sock = request({"op": op})
    if sock is None:
        return None
    with sock, sock.makefile("rb") as reader:
        try:
            return read_message(reader)
        except (OSError, ValueError):
            return None


@click.group("server")
def server_group() -> None:
    """A warm linter for `lint` and `fix`: one message in tens of milliseconds.

    The server listens on a socket only you can use (in your runtime folder), builds the
    linter for the configuration found where it was started (or --config), and exits after
    --idle-timeout seconds without a request. `lint` and `fix` use it whenever it runs with the
    same drafter build and configuration, and otherwise run as usual without it.
    """


@server_group.command("start")
@click.option(
    "--idle-timeout",
    type=click.FloatRange(min=0.1),
    default=1800.0,
    show_default=True,
    help="Exit after this many seconds without a request.",
)
@click.option(
    "--wait",
    type=click.FloatRange(min=0.1),
    default=120.0,
    show_default=True,
    help="Seconds to wait for the server to be ready.",
)
@click.pass_context
def start(ctx: click.Context, idle_timeout: float, wait: float) -> None:
    """Start the server in the background (replacing one from another drafter build)."""
    running = ask("status")
    status = running.get("status") if running else None
    if isinstance(status, dict):
        if status.get("build") == build_id():
            click.echo(f"drafter server: already running (pid {status.get('pid')})")
            return
        ask("stop")
        _wait_gone(10.0)
    path = socket_path(create=True)
    if path is None:
        raise DrafterError("no private runtime folder for the server's socket")
    log = path.parent / "server.log"
    config_path = ctx.obj.get("config_path") if ctx.obj else None
    args = [sys.executable, "-m", "drafter.server.daemon", "--idle-timeout", str(idle_timeout)]
    if config_path is not None:
        args += ["--config", str(Path(config_path).resolve())]
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        proc = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=fd,
            stderr=fd,
            start_new_session=True,
            close_fds=True,
        )
    finally:
        os.close(fd)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        reply = ask("status")
        if reply and isinstance(reply.get("status"), dict):
            info = reply["status"]
            click.echo(
                f"drafter server: started (pid {info['pid']}; config {info['config']}; "
                f"idle timeout {info['idle_timeout']:g} s)"
            )
            return
        if proc.poll() is not None:
            tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-1:]
            reason = tail[0].removeprefix("drafter: error: ") if tail else f"see {log}"
            raise DrafterError(f"the server did not start: {reason}")
        time.sleep(0.05)
    raise DrafterError(f"the server was not ready after {wait:g} s (see {log})")


@server_group.command("stop")
def stop() -> None:
    """Stop the running server."""
    reply = ask("stop")
    if reply is None:
        click.echo("drafter server: not running")
        return
    _wait_gone(10.0)
    click.echo(f"drafter server: stopped (pid {reply.get('stopped')})")


@server_group.command("status")
def status() -> None:
    """Show the running server; exit 1 when none runs."""
    reply = ask("status")
    info = reply.get("status") if reply else None
    if not isinstance(info, dict):
        click.echo("drafter server: not running")
        sys.exit(1)
    current = "yes" if info.get("build") == build_id() else "no (another drafter build)"
    click.echo(f"drafter server: running (pid {info.get('pid')})")
    for label, value in (
        ("config", info.get("config")),
        ("started in", info.get("folder")),
        ("socket", info.get("socket")),
        ("idle timeout", f"{info.get('idle_timeout'):g} s"),
        ("uptime", f"{info.get('uptime')} s"),
        ("requests", info.get("requests")),
        ("fallbacks", info.get("fallbacks")),
        ("this build", current),
    ):
        click.echo(f"  {label}: {value}")


def _wait_gone(seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and socket_path() is not None:
        time.sleep(0.05)
