"""`drafter server`: a real server process in a temp runtime dir, and lint/fix through it."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from drafter.server import client, daemon
from drafter.server.paths import SOCKET_NAME, socket_path

pytestmark = pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="Unix sockets only")

DRAFT = """---
platform: email
stage: connect
---
Hi Sam,

I hope this finds you well. I just wanted to touch base about your Kafka talk.

Ana
"""


def env_for(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "DRAFTER_"))}
    run = home / "run"
    run.mkdir(mode=0o700, exist_ok=True)
    env.update(HOME=str(home), XDG_RUNTIME_DIR=str(run), XDG_CACHE_HOME=str(home / "cache"))
    return env


def drafter(
    args: list[str], env: dict[str, str], cwd: Path, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "drafter", *args],
        env=env,
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


def status(env: dict[str, str], cwd: Path) -> dict[str, str]:
    """`drafter server status` as a mapping (empty when not running)."""
    out = drafter(["server", "status"], env, cwd)
    if out.returncode != 0:
        return {}
    pairs = (line.strip().split(": ", 1) for line in out.stdout.splitlines()[1:])
    return {k: v for k, v in pairs}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, str], Path]]:
    home = tmp_path_factory.mktemp("server-home")
    project = home / "project"
    project.mkdir()
    (project / "drafter.toml").write_text("", encoding="utf-8")
    (project / "sam.md").write_text(DRAFT, encoding="utf-8")
    env = env_for(home)
    started = drafter(["server", "start", "--idle-timeout", "120"], env, project)
    assert started.returncode == 0, started.stderr
    assert "drafter server: started" in started.stdout
    yield env, project
    drafter(["server", "stop"], env, project)


def test_status_reports_the_running_server_and_this_build(
    served: tuple[dict[str, str], Path],
) -> None:
    env, project = served
    info = status(env, project)
    assert info["this build"] == "yes"
    assert info["started in"] == str(project)
    assert info["config"] == str(project / "drafter.toml")
    assert info["idle timeout"] == "120 s"


def test_socket_is_private_to_the_user(served: tuple[dict[str, str], Path]) -> None:
    env, project = served
    sock = Path(status(env, project)["socket"])
    assert sock.name == SOCKET_NAME
    assert sock.parent == Path(env["XDG_RUNTIME_DIR"]) / "drafter"
    assert stat.S_ISSOCK(sock.lstat().st_mode)
    assert stat.S_IMODE(sock.lstat().st_mode) == 0o600
    assert stat.S_IMODE(sock.parent.lstat().st_mode) == 0o700


def test_lint_and_fix_through_the_server_match_in_process(
    served: tuple[dict[str, str], Path],
) -> None:
    env, project = served
    before = int(status(env, project)["requests"])
    alone = {**env, "DRAFTER_NO_SERVER": "1"}
    for args, stdin in (
        (["lint", "sam.md"], None),
        (["lint", "sam.md", "--format", "json"], None),
        (["lint", "-", "--stdin-filename", "sam.md", "--format", "line"], DRAFT),
        (["fix", "-"], DRAFT),
        (["lint", "missing.md"], None),
    ):
        via = drafter(args, env, project, stdin)
        here = drafter(args, alone, project, stdin)
        assert (via.returncode, via.stdout, via.stderr) == (
            here.returncode,
            here.stdout,
            here.stderr,
        ), args
    assert "generic.stock-opener" in drafter(["lint", "sam.md"], env, project).stdout
    assert "I hope this finds you well" not in drafter(["fix", "-"], env, project, DRAFT).stdout
    assert int(status(env, project)["requests"]) == before + 7


def test_another_configuration_runs_in_process(
    served: tuple[dict[str, str], Path], tmp_path: Path
) -> None:
    env, project = served
    other = tmp_path / "other"
    other.mkdir()
    (other / "drafter.toml").write_text('disable = ["generic"]\n', encoding="utf-8")
    (other / "sam.md").write_text(DRAFT, encoding="utf-8")
    before = int(status(env, project)["fallbacks"])
    out = drafter(["lint", "sam.md", "--format", "line"], env, other)
    assert out.returncode == 0, out.stderr
    assert "generic." not in out.stdout  # the other folder's config was applied
    assert int(status(env, project)["fallbacks"]) == before + 1


def test_another_build_is_told_to_fall_back(served: tuple[dict[str, str], Path]) -> None:
    env, _ = served
    old = dict(os.environ)
    os.environ["XDG_RUNTIME_DIR"] = env["XDG_RUNTIME_DIR"]
    try:
        sock = client.request({"op": "run", "build": "0.0.0 /elsewhere", "argv": ["lint", "x"]})
    finally:
        os.environ.clear()
        os.environ.update(old)
    assert sock is not None
    with sock, sock.makefile("rb") as reader:
        assert client.read_message(reader) == {"fallback": "another drafter build"}


def test_no_socket_or_a_shared_folder_means_no_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))
    assert socket_path() is None
    folder = tmp_path / "drafter"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(str(folder / SOCKET_NAME))
        assert socket_path() is None  # others may enter the folder: not ours alone
        folder.chmod(0o700)
        assert socket_path() == folder / SOCKET_NAME
    monkeypatch.setenv("DRAFTER_NO_SERVER", "1")
    assert client.forward(["lint", "x.md"]) is None


def test_a_peer_of_another_user_gets_no_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = daemon.Server(None, 5)
    monkeypatch.setattr(daemon, "peer_uid", lambda sock: os.getuid() + 1)
    ours, theirs = socket.socketpair()
    with ours, theirs:
        theirs.sendall(json.dumps({"op": "status"}).encode() + b"\n")
        assert server._handle(ours, ours) is None
        ours.close()
        try:
            answer = theirs.recv(100)
        except ConnectionResetError:  # closed with the request unread
            answer = b""
        assert answer == b""
    left, right = socket.socketpair()
    with left, right:
        assert client.peer_uid(left) == os.getuid()


def test_command_of_skips_the_config_option() -> None:
    assert client.command_of(["lint", "a.md"]) == "lint"
    assert client.command_of(["--config", "x.toml", "fix", "-"]) == "fix"
    assert client.command_of(["--config=x.toml", "lint"]) == "lint"
    assert client.command_of(["--help"]) is None
    assert client.command_of([]) is None


def test_idle_server_exits_and_removes_its_socket(tmp_path: Path) -> None:
    env = env_for(tmp_path)
    (tmp_path / "drafter.toml").write_text("", encoding="utf-8")
    started = drafter(["server", "start", "--idle-timeout", "0.5"], env, tmp_path)
    assert started.returncode == 0, started.stderr
    sock = Path(env["XDG_RUNTIME_DIR"]) / "drafter" / SOCKET_NAME
    deadline = time.monotonic() + 60
    while sock.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not sock.exists()
    out = drafter(["server", "status"], env, tmp_path)
    assert out.returncode == 1
    assert out.stdout.strip() == "drafter server: not running"


def test_stop_when_none_runs(tmp_path: Path) -> None:
    out = drafter(["server", "stop"], env_for(tmp_path), tmp_path)
    assert out.returncode == 0
    assert out.stdout.strip() == "drafter server: not running"


def test_start_with_a_broken_config_is_one_error_line(tmp_path: Path) -> None:
    (tmp_path / "drafter.toml").write_text("disable = [\n", encoding="utf-8")
    out = drafter(["server", "start"], env_for(tmp_path), tmp_path)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert lines[0].startswith("drafter: error: the server did not start: ")
    assert "drafter.toml" in lines[0]
