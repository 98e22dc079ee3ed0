"""The `drafter` command's first step: hand `lint`/`fix` to a running server when one fits.

This runs before the CLI is imported, so it imports only the standard library (and
platformdirs). The request carries the arguments, the environment and four file descriptors
(stdin, stdout, stderr, the working folder), so the server's forked request reads and writes
exactly what this process would. Anything short of the server's own exit status (no socket,
someone else's socket, another drafter build, another configuration) returns None: the caller
then runs the command in this process, and nothing is printed.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import struct
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the client imports as little as it can: it runs before every command
    from collections.abc import Sequence
    from pathlib import Path
    from typing import IO, Any

COMMANDS = ("lint", "fix")
MAX_MESSAGE = 1 << 20


def command_of(argv: Sequence[str]) -> str | None:
    """The subcommand named by argv, skipping the group's own `--config PATH`."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--config":
            i += 2
            continue
        if arg.startswith("--config="):
            i += 1
            continue
        return None if arg.startswith("-") else arg
    return None


def build_id() -> str:
    """drafter's version and location: a server from another install is never used."""
    from drafter import __version__

    return f"{__version__} {os.path.dirname(os.path.dirname(os.path.realpath(__file__)))}"


def code_stamp() -> int:
    """When drafter's code last changed: a server whose code changed on disk since it started
    (an editable install being worked on) stops serving."""
    root = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    newest = 0
    for folder, _, names in os.walk(root):
        for name in names:
            if name.endswith(".py"):
                newest = max(newest, os.stat(os.path.join(folder, name)).st_mtime_ns)
    return newest


def peer_uid(sock: socket.socket) -> int | None:
    """The uid of the process at the other end (Linux SO_PEERCRED), or None where unknown."""
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return None
    raw = sock.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i"))
    return int(struct.unpack("3i", raw)[1])


def read_message(reader: IO[bytes]) -> dict[str, Any] | None:
    """One JSON line; None at end of stream."""
    line = reader.readline(MAX_MESSAGE)
    if not line.endswith(b"\n"):
        return None
    message = json.loads(line)
    if not isinstance(message, dict):
        raise ValueError("not a message")
    return message


def connect(path: Path, timeout: float = 30.0) -> socket.socket | None:
    """A connection to the server at path, only if both the socket and the process behind it
    belong to this user."""
    try:
        st = os.lstat(path)
        if not stat.S_ISSOCK(st.st_mode) or st.st_uid != os.getuid():
            return None
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(str(path))
    except OSError:
        return None
    try:
        uid = peer_uid(sock)
    except OSError:
        uid = -1
    if uid is not None and uid != os.getuid():
        sock.close()
        return None
    return sock


def request(message: dict[str, Any], fds: Sequence[int] = ()) -> socket.socket | None:
    """Connect and send one request; the open socket, or None when there is no usable server."""
    from drafter.server.paths import socket_path

    path = socket_path()
    if path is None:
        return None
    sock = connect(path)
    if sock is None:
        return None
    data = json.dumps(message).encode("utf-8") + b"\n"
    try:
        if fds:
            socket.send_fds(sock, [data], list(fds))
        else:
            sock.sendall(data)
    except OSError:
        sock.close()
        return None
    return sock


def forward(argv: Sequence[str]) -> int | None:
    """Run `drafter <argv>` in the server: its exit status, or None to run it here."""
    if command_of(argv) not in COMMANDS or os.environ.get("DRAFTER_NO_SERVER"):
        return None
    try:
        cwd = os.open(".", os.O_RDONLY)
    except OSError:
        return None
    try:
        stdio = [fd for fd in (0, 1, 2) if _is_open(fd)]
        if len(stdio) != 3:
            return None
        message = {
            "op": "run",
            "build": build_id(),
            "argv": list(argv),
            "env": dict(os.environ),
            "encoding": getattr(sys.stdout, "encoding", None) or "utf-8",
        }
        sock = request(message, [*stdio, cwd])
    finally:
        os.close(cwd)
    if sock is None:
        return None
    with sock, sock.makefile("rb") as reader:
        try:
            # "accepted", or "fallback" for another build. The wait is long on purpose: a client
            # that gave up while the server was busy, then ran the command itself, could have
            # the server run it too.
            first = read_message(reader)
            if first is None or "accepted" not in first:
                return None
            sock.settimeout(None)  # a big folder takes as long as it takes
            reply = read_message(reader)
        except (OSError, ValueError):
            return None
    if reply is None:
        # Taken but ended without a status (the server was stopped mid-way): output may be
        # partial, so running it again here could print it twice.
        sys.stderr.write("drafter: error: the server ended the request without a result\n")
        return 2
    if isinstance(reply.get("exit"), int):
        return int(reply["exit"])
    return None  # "fallback": the server's linter is for another configuration


def _is_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True
