"""Throughput, cold start and memory of `drafter lint`, beside proselint and write-good in one run.

    python bench/throughput.py [--messages 5000] [--files 2000] [--big-files 20000] [--runs 5]
                               [--write-good PATH] [--markdown]

The machine is shared and noisy, so every measurement is taken for drafter and its peers in the
same round, rounds are repeated (--runs), and the numbers to read are the medians and the ratios.
Peers: proselint (the `bench` extra, in this venv) and write-good (`npm install write-good` in
any folder; pass its `node_modules/.bin/write-good` with --write-good, or have it on PATH).
Processes are timed with os.wait4, so each has its wall time, CPU time and peak memory (maxrss
of the largest process, as /usr/bin/time reports it). drafter runs with a fresh user cache dir
(XDG_CACHE_HOME) whose first run is reported apart, and, when `drafter server` exists, once more
through a warm server in a private runtime dir (XDG_RUNTIME_DIR).
The corpus is the labelled evaluation set plus the outside cold emails, cycled to the size asked.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import load_eval_set, load_letr_corpus  # noqa: E402

WRITE_GOOD_RATE_JS = """
const writeGood = require(process.argv[1]);
const texts = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
for (const t of texts.slice(0, 200)) writeGood(t);
let best = Infinity;
for (let r = 0; r < 3; r++) {
  const start = process.hrtime.bigint();
  for (const t of texts) writeGood(t);
  best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
}
console.log(texts.length / best);
"""


def corpus_texts() -> list[str]:
    texts = [item["text"] for item in load_eval_set(HERE.parent / "tests" / "data" / "eval")]
    texts += [row["text"] for row in load_letr_corpus()]
    return texts


def cycle(texts: list[str], n: int) -> list[str]:
    return [texts[i % len(texts)] for i in range(n)]


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


# ---- in one process ------------------------------------------------------------------------


def drafter_in_process(messages: list[str]) -> tuple[float, float, float]:
    from drafter.core.config import Config
    from drafter.core.drafts import Draft
    from drafter.lint.engine import Linter

    build = timed(lambda: Linter.from_config(Config()))
    linter = Linter.from_config(Config())
    drafts = [Draft.from_body(t, platform="email", stage="connect") for t in messages]
    linter.lint_many(drafts[:200])  # warm caches: vocabulary, syllables
    batch = min(timed(lambda: linter.lint_many(drafts)) for _ in range(3))
    single = (
        timed(lambda: [linter.lint(d) for d in drafts[:1000]])
        * len(drafts)
        / min(1000, len(drafts))
    )
    return build, len(drafts) / batch, len(drafts) / single


def proselint_in_process(messages: list[str]) -> float:
    from proselint.checks import __register__
    from proselint.registry import CheckRegistry
    from proselint.tools import LintFile

    CheckRegistry().register_many(__register__)
    LintFile("<warm>", messages[0]).lint()
    return len(messages) / timed(lambda: [LintFile("<m>", t).lint() for t in messages])


def write_good_in_process(module: Path, messages: list[str], tmp: Path) -> float:
    data = tmp / "write-good-messages.json"
    data.write_text(json.dumps(messages), encoding="utf-8")
    out = subprocess.run(
        ["node", "-e", WRITE_GOOD_RATE_JS, str(module), str(data)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.strip())


# ---- processes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds
    rss: float  # peak resident MiB of the largest process


TIME = shutil.which("time") or "/usr/bin/time"


def run(args: Sequence[str], *, env: dict[str, str] | None = None, cwd: Path | None = None) -> Run:
    """Wall time from here; CPU and peak memory from GNU time, so the measured process starts
    from a small one (a child forked from this big process would inherit its maxrss)."""
    report = Path(tempfile.mkstemp(prefix="bench-time-")[1])
    use_time = os.access(TIME, os.X_OK)
    prefix = [TIME, "-q", "-f", "%U %S %M", "-o", str(report)] if use_time else []
    start = time.perf_counter()
    proc = subprocess.Popen(
        [*prefix, *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=cwd,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    try:
        if use_time:
            user, system, kib = report.read_text().split()[-3:]
            return Run(wall, float(user) + float(system), int(kib) / 1024)
        return Run(wall, usage.ru_utime + usage.ru_stime, float("nan"))
    finally:
        report.unlink()


@dataclass
class Series:
    """Runs of one command, repeated across rounds."""

    label: str
    runs: list[Run]

    def median(self, field: str) -> float:
        return statistics.median(getattr(r, field) for r in self.runs)


def command(name: str) -> list[str]:
    local = Path(sys.executable).parent / name
    return [str(local)] if local.exists() else [name]


def find_write_good(given: str | None) -> Path | None:
    for candidate in (given, os.environ.get("WRITE_GOOD"), shutil.which("write-good")):
        if candidate and Path(candidate).exists():
            return Path(candidate)
    return None


def has_subcommand(name: str, env: dict[str, str]) -> bool:
    out = subprocess.run(
        [*command("drafter"), name, "--help"], capture_output=True, env=env, check=False
    )
    return out.returncode == 0


def lint_has_option(option: str, env: dict[str, str]) -> bool:
    out = subprocess.run(
        [*command("drafter"), "lint", "--help"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    return option in out.stdout


@contextmanager
def drafter_server(env: dict[str, str], cwd: Path) -> Iterator[None]:
    drafter = command("drafter")
    subprocess.run([*drafter, "server", "start"], env=env, cwd=cwd, check=True, capture_output=True)
    try:
        yield
    finally:
        subprocess.run([*drafter, "server", "stop"], env=env, cwd=cwd, check=False)


def rounds(
    commands: dict[str, tuple[list[str], dict[str, str] | None]], n: int, cwd: Path
) -> dict[str, Series]:
    """Each round runs every command once, in turn, so load on the machine hits all alike."""
    out = {label: Series(label, []) for label in commands}
    for _ in range(n):
        for label, (args, env) in commands.items():
            out[label].runs.append(run(args, env=env, cwd=cwd))
    return out


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "-"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=5000, help="in-process batch size")
    parser.add_argument("--proselint-messages", type=int, default=1000)
    parser.add_argument("--files", type=int, default=2000, help="files in the folder run")
    parser.add_argument(
        "--big-files",
        type=int,
        default=0,
        help="also lint this many files, serial and on all cores",
    )
    parser.add_argument("--runs", type=int, default=5, help="rounds of the process measurements")
    parser.add_argument("--write-good", help="path of the write-good command (npm)")
    parser.add_argument(
        "--before", help="another drafter command (an older build) to time in the same rounds"
    )
    parser.add_argument("--no-in-process", action="store_true", help="skip messages/s")
    parser.add_argument("--markdown", action="store_true", help="also print a README table")
    args = parser.parse_args()
    has_proselint = shutil.which(command("proselint")[0]) is not None
    write_good = find_write_good(args.write_good)
    has_node = shutil.which("node") is not None
    table: list[tuple[str, str, str, str]] = []

    texts = corpus_texts()
    words = statistics.mean(len(t.split()) for t in texts)
    print(f"reproduce: python bench/throughput.py {' '.join(sys.argv[1:])}".rstrip())
    print(
        f"corpus: {len(texts)} distinct messages (mean {words:.0f} words); "
        f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}"
    )
    print(f"peers: proselint {'yes' if has_proselint else 'no'}, write-good {write_good or 'no'}")

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if not args.no_in_process:
            messages = cycle(texts, args.messages)
            build, batch_rate, single_rate = drafter_in_process(messages)
            print(
                f"\nin one process, {len(messages)} messages: drafter {batch_rate:,.0f} messages/s "
                f"(lint_many), {single_rate:,.0f}/s one lint() each; linter built in {build * 1000:.0f} ms"
            )
            peers = []
            if has_proselint:
                rate = proselint_in_process(cycle(texts, args.proselint_messages))
                peers.append(f"proselint {rate:,.0f}/s ({ratio(batch_rate, rate)})")
            if write_good is not None and has_node:
                module = write_good.resolve().parent.parent
                rate = write_good_in_process(module, messages, tmp)
                peers.append(f"write-good {rate:,.0f}/s ({ratio(batch_rate, rate)})")
            if peers:
                print("  peers (drafter's rate / theirs): " + "; ".join(peers))
            table.append(
                (
                    f"lint in one process, {len(messages):,} messages",
                    f"{batch_rate:,.0f} messages/s",
                    "; ".join(peers) or "-",
                    "messages/s, higher is better",
                )
            )

        work = tmp / "work"
        work.mkdir()
        (work / "drafter.toml").write_text("", encoding="utf-8")  # no config from above
        folder = work / "drafts"
        folder.mkdir()
        for i, text in enumerate(cycle(texts, args.files)):
            (folder / f"m{i:05d}.md").write_text(text, encoding="utf-8")
        files = sorted(str(p) for p in folder.iterdir())
        one = files[0]
        env = {
            **os.environ,
            "XDG_CACHE_HOME": str(tmp / "cache"),
            "XDG_RUNTIME_DIR": str(tmp / "run"),
        }
        (tmp / "run").mkdir(mode=0o700)
        drafter = command("drafter")
        first = run([*drafter, "lint", one, "--fail-on", "never"], env=env, cwd=work)
        print(
            f"\nfirst run ever (empty user cache): {first.wall:.2f} s wall, {first.cpu:.2f} s CPU"
        )

        def peers_for(
            paths: list[str], tail: list[str] | None = None
        ) -> dict[str, tuple[list[str], dict[str, str] | None]]:
            """The peers on these files, and the --before drafter with the same arguments."""
            out: dict[str, tuple[list[str], dict[str, str] | None]] = {}
            if args.before and tail is not None:
                out["drafter (before)"] = ([args.before, *tail], env)
            if has_proselint:
                out["proselint"] = ([*command("proselint"), "check", *paths], None)
            if write_good is not None:
                out["write-good"] = ([str(write_good), *paths], None)
            return out

        def report(title: str, series: dict[str, Series], memory: bool = False) -> None:
            base = series["drafter"]
            print(f"\n{title} (medians of {len(base.runs)} rounds)")
            for label, s in series.items():
                line = f"  {label:<22} {s.median('wall'):7.3f} s wall  {s.median('cpu'):7.3f} s CPU"
                if memory:
                    line += f"  {s.median('rss'):6.0f} MiB peak"
                if label != "drafter":
                    line += (
                        f"   drafter/{label}: wall {ratio(base.median('wall'), s.median('wall'))}"
                        f", CPU {ratio(base.median('cpu'), s.median('cpu'))}"
                    )
                print(line)

        def peer_cells(series: dict[str, Series], field: str, unit: str) -> str:
            base = series["drafter"].median(field)
            return "; ".join(
                f"{label} {s.median(field):.2f} {unit} ({ratio(base, s.median(field))})"
                for label, s in series.items()
                if label != "drafter" and not label.startswith("drafter")
            )

        cold = rounds(
            {
                "drafter": ([*drafter, "lint", one, "--fail-on", "never"], env),
                **peers_for([one], ["lint", one, "--fail-on", "never"]),
            },
            args.runs,
            work,
        )
        report("cold start, one message", cold, memory=True)
        table.append(
            (
                "cold `lint` of one message",
                f"{cold['drafter'].median('wall'):.2f} s ({cold['drafter'].median('cpu'):.2f} s CPU)",
                peer_cells(cold, "wall", "s"),
                "wall time, lower is better; ratio is drafter/peer",
            )
        )

        folder_args = ["lint", str(folder), "--format", "json", "--fail-on", "never"]
        whole = rounds(
            {
                "drafter": ([*drafter, *folder_args], env),
                **peers_for(files, folder_args),
            },
            args.runs,
            work,
        )
        report(f"{args.files} files", whole, memory=True)
        table.append(
            (
                f"`lint` over {args.files:,} files",
                f"{whole['drafter'].median('wall'):.2f} s",
                peer_cells(whole, "wall", "s"),
                "wall time",
            )
        )
        table.append(
            (
                f"peak memory, {args.files:,} files",
                f"{whole['drafter'].median('rss'):.0f} MiB",
                peer_cells(whole, "rss", "MiB"),
                "maxrss of the largest process",
            )
        )

        if has_subcommand("server", env):
            with drafter_server(env, work):
                warm = rounds(
                    {
                        "drafter": ([*drafter, "lint", one, "--fail-on", "never"], env),
                        **peers_for([one]),
                    },
                    args.runs * 2,
                    work,
                )
                report("one message, drafter server running", warm)
                warm_files = rounds(
                    {
                        "drafter": (
                            [
                                *drafter,
                                "lint",
                                str(folder),
                                "--format",
                                "json",
                                "--fail-on",
                                "never",
                            ],
                            env,
                        ),
                        **peers_for(files),
                    },
                    args.runs,
                    work,
                )
                report(f"{args.files} files, drafter server running", warm_files, memory=True)
            table.append(
                (
                    "`lint` of one message, `drafter server` running",
                    f"{warm['drafter'].median('wall') * 1000:.0f} ms",
                    peer_cells(warm, "wall", "s"),
                    "wall time",
                )
            )
            table.append(
                (
                    f"`lint` over {args.files:,} files, server running",
                    f"{warm_files['drafter'].median('wall'):.2f} s",
                    peer_cells(warm_files, "wall", "s"),
                    "wall time",
                )
            )

        if args.big_files:
            big = work / "big"
            big.mkdir()
            for i, text in enumerate(cycle(texts, args.big_files)):
                (big / f"m{i:06d}.md").write_text(text, encoding="utf-8")
            base = [*drafter, "lint", str(big), "--format", "line", "--fail-on", "never"]
            commands: dict[str, tuple[list[str], dict[str, str] | None]] = {}
            if lint_has_option("--jobs", env):
                commands["drafter"] = ([*base, "--jobs", "0"], env)
                commands["drafter --jobs 1"] = ([*base, "--jobs", "1"], env)
            else:
                commands["drafter"] = (base, env)
            if write_good is not None:  # the fast peer only: proselint takes minutes here
                commands["write-good"] = ([str(write_good), *sorted(map(str, big.iterdir()))], None)
            scale = rounds(commands, max(1, args.runs // 2), work)
            report(f"{args.big_files} files", scale, memory=True)
            serial = scale.get("drafter --jobs 1")
            table.append(
                (
                    f"`lint` over {args.big_files:,} files",
                    f"{scale['drafter'].median('wall'):.2f} s"
                    + (
                        f" (one core {serial.median('wall'):.2f} s: "
                        f"{ratio(scale['drafter'].median('wall'), serial.median('wall'))})"
                        if serial
                        else ""
                    ),
                    peer_cells(scale, "wall", "s"),
                    "wall time",
                )
            )

    if args.markdown:
        print("\n| what | drafter | peers (drafter/peer) | measure |")
        print("|---|---|---|---|")
        for row in table:
            print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
