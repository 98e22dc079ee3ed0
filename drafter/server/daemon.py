"""The server process: a warm linter behind a Unix socket, one forked child per request.

Start-up builds the linter for the configuration found from the folder it was started in (or
`--config`), lints one sample so CMUdict and Pyphen are loaded, and only then listens, so a
client never waits on a cold server. Each `run` request is checked (peer is this user, same
drafter build) and answered by a forked child that takes the client's stdin, stdout, stderr and
working folder, and runs the ordinary CLI there: it reads what that command names, exactly as
it would in the client, and its linter is the parent's warm one when the configuration matches
(otherwise the child says "fallback" before reading or writing anything). The parent exits
after `--idle-timeout` seconds without a request, or on `stop`.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import stat
import sys
import time
from pathlib import Path
from typing import Any

from drafter.server.client import MAX_MESSAGE, build_id, code_stamp, peer_uid
from drafter.server.paths import socket_path

SAMPLE = """---
platform: email
stage: connect
subject: Your Kafka talk
---
Hi Priyanka,

I hope this finds you well. Your talk on replaying Kafka events at PyCon changed how my team
plans our ledger cutover next quarter; the shadow consumers were the part we had not thought of.
Would you be open to a short call? I can share what we learn from our own migration in return.

Best,
Ana
"""


class Server:
    def __init__(self, config_path: Path | None, idle_timeout: float) -> None:
        self.config_path = config_path
        self.start_dir = Path.cwd()
        self.idle_timeout = idle_timeout
        self.build = build_id()
        self.code = code_stamp()
        self.started = time.time()
        self.requests = 0
        self.fallbacks = 0
        self.path: Path | None = None
        self._inode = -1

    # ---- the warm linter --------------------------------------------------------------

    def _config(self) -> Any:
        from drafter.core.config import load_config

        return load_config(self.config_path, self.start_dir)

    def warm_up(self) -> None:
        """Build the linter, then run `lint` and `fix` once on a sample, so the lazy parts
        (CMUdict, Pyphen, report modules) are loaded here and not in every forked request."""
        import tempfile

        from drafter.cli import cli
        from drafter.lint import warm

        warm.quiet_start()
        self._refresh()
        with tempfile.TemporaryDirectory() as tmp:
            sample = Path(tmp) / "sample.md"
            sample.write_text(SAMPLE, encoding="utf-8")
            with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
                for args in (
                    ["lint", str(sample), "--format", "json", "--fail-on", "never"],
                    ["lint", str(sample), "--fail-on", "never", "--no-color"],
                    ["fix", str(sample)],
                ):
                    with contextlib.suppress(SystemExit):
                        cli.main(args=args, prog_name="drafter", obj={"config": self._config()})

    def _refresh(self) -> None:
        """Rebuild the warm linter when the config or a rule file changed since last time."""
        from drafter.compose.catalog import load_catalog
        from drafter.lint import warm

        cfg = self._config()
        warm.linter_for(cfg, platforms=load_catalog(list(cfg.templates)).platforms)

    # ---- the socket --------------------------------------------------------------------

    def listen(self) -> socket.socket:
        path = socket_path(create=True)
        if path is None:
            raise OSError("no private runtime folder for the socket")
        self.path = path
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old = os.umask(0o177)
        try:
            sock.bind(str(path))
        finally:
            os.umask(old)
        os.chmod(path, 0o600)
        self._inode = os.stat(path).st_ino
        sock.listen(16)
        sock.settimeout(self.idle_timeout)
        return sock

    def serve_forever(self) -> None:
        signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        sock = self.listen()
        try:
            while True:
                try:
                    conn, _ = sock.accept()
                except TimeoutError:
                    return  # idle
                with conn:
                    if self._handle(conn, sock) == "stop":
                        return
        finally:
            sock.close()
            if self.path is not None:
                with contextlib.suppress(FileNotFoundError):
                    if os.stat(self.path).st_ino == self._inode:  # not a newer server's
                        os.unlink(self.path)

    # ---- requests ----------------------------------------------------------------------

    def _handle(self, conn: socket.socket, listener: socket.socket) -> str | None:
        fds: list[int] = []
        try:
            conn.settimeout(5)
            uid = peer_uid(conn)
            if uid is not None and uid != os.getuid():
                return None
            data, fds, _, _ = socket.recv_fds(conn, 65536, 8)
            while b"\n" not in data:
                chunk = conn.recv(65536)
                if not chunk or len(data) > MAX_MESSAGE:
                    return None
                data += chunk
            message = json.loads(data[: data.index(b"\n")])
            op = message.get("op") if isinstance(message, dict) else None
            if op == "status":
                _send(conn, {"status": self.status()})
            elif op == "stop":
                _send(conn, {"stopped": os.getpid()})
                return "stop"
            elif op == "run":
                if message.get("build") != self.build or len(fds) != 4:
                    _send(conn, {"fallback": "another drafter build"})
                    return None
                if code_stamp() != self.code:
                    _send(conn, {"fallback": "drafter's code changed since the server started"})
                    return "stop"
                with contextlib.suppress(Exception):
                    self._refresh()
                _send(conn, {"accepted": True})
                self.requests += 1
                if _is_batch(message, fds[3]):
                    if os.fork() == 0:
                        listener.close()
                        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                        signal.signal(signal.SIGTERM, signal.SIG_DFL)
                        _reply(conn, _execute(message, fds))
                        os._exit(0)
                else:
                    code = _run_here(message, fds)
                    self.fallbacks += code is None
                    _reply(conn, code)
            return None
        except (OSError, ValueError):
            return None
        finally:
            for fd in fds:
                with contextlib.suppress(OSError):
                    os.close(fd)

    def status(self) -> dict[str, Any]:
        from drafter.lint import warm

        key = warm.warm_key()
        return {
            "pid": os.getpid(),
            "build": self.build,
            "config": str(self.config_path or self._config().path or "(none: defaults)"),
            "folder": str(self.start_dir),
            "socket": str(self.path),
            "idle_timeout": self.idle_timeout,
            "uptime": round(time.time() - self.started, 1),
            "requests": self.requests,
            "fallbacks": self.fallbacks,
            "rule_files": len(key.files) if key else 0,
        }


def _send(conn: socket.socket, message: dict[str, Any]) -> None:
    conn.sendall(json.dumps(message).encode("utf-8") + b"\n")


def _text(fd: int, mode: str, encoding: str) -> Any:
    """A text stream on the client's descriptor, line-buffered on a terminal (as Python's own)."""
    buffering = 1 if mode == "w" and (fd == 2 or os.isatty(fd)) else -1
    return open(fd, mode, encoding=encoding, buffering=buffering, closefd=False)


def _is_batch(message: dict[str, Any], cwd: int) -> bool:
    """A folder or many files: run it in a forked child, so one long batch never holds up the
    quick requests behind it. A single draft runs in the server itself: forking a process of
    this size costs more than linting one message."""
    argv = message.get("argv")
    if not isinstance(argv, list) or len(argv) > 40:
        return True
    for arg in argv:
        if isinstance(arg, str) and not arg.startswith("-"):
            with contextlib.suppress(OSError, ValueError):
                if stat.S_ISDIR(os.stat(arg, dir_fd=cwd).st_mode):
                    return True
    return False


def _reply(conn: socket.socket, code: int | None) -> None:
    with contextlib.suppress(OSError):
        _send(conn, {"fallback": "another configuration"} if code is None else {"exit": code})


def _run_here(message: dict[str, Any], fds: list[int]) -> int | None:
    """Run the request in this process, then put back its stdio, folder and environment."""
    saved_fds = [os.dup(fd) for fd in (0, 1, 2)]
    saved_cwd = os.open(".", os.O_RDONLY)
    saved_env = dict(os.environ)
    saved_streams = (sys.stdin, sys.stdout, sys.stderr)
    try:
        return _execute(message, fds)
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        for target, fd in enumerate(saved_fds):
            os.dup2(fd, target)
            os.close(fd)
        os.fchdir(saved_cwd)
        os.close(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)


def _execute(message: dict[str, Any], fds: list[int]) -> int | None:
    """Become the client's command (its stdio, folder, environment, arguments) and run it: the
    exit status, or None when the warm linter does not fit its configuration."""
    from drafter.cli import cli
    from drafter.lint import warm

    stdin, stdout, stderr, cwd = fds
    for fd, target in ((stdin, 0), (stdout, 1), (stderr, 2)):
        os.dup2(fd, target)
    os.fchdir(cwd)
    env = message.get("env")
    if isinstance(env, dict):
        os.environ.clear()
        os.environ.update({str(k): str(v) for k, v in env.items()})
    encoding = str(message.get("encoding") or "utf-8")
    sys.stdin = _text(0, "r", encoding)
    sys.stdout = _text(1, "w", encoding)
    sys.stderr = _text(2, "w", encoding)
    warm.serving()
    argv = [str(a) for a in message.get("argv", [])]
    code = 1
    try:
        cli.main(args=argv, prog_name="drafter", obj={})
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except warm.Mismatch:
        return None
    except Exception:  # a bug must not take the server down: report it like a crash would
        import traceback

        traceback.print_exc()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    return code


def main(argv: list[str] | None = None) -> None:
    """`python -m drafter.server.daemon [--config PATH] [--idle-timeout S]` (what `start` runs)."""
    import argparse

    parser = argparse.ArgumentParser(prog="drafter server run")
    parser.add_argument("--config", type=Path)
    parser.add_argument("--idle-timeout", type=float, default=1800.0)
    args = parser.parse_args(argv)
    from drafter.core.errors import DrafterError

    server = Server(args.config, args.idle_timeout)
    try:
        server.warm_up()
        server.serve_forever()
    except DrafterError as exc:  # a broken config: `start` shows this line
        print(f"drafter: error: {exc.message}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
