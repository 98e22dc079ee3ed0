"""Throughput and cold start of drafter's linter, beside proselint on the same messages.

    python bench/throughput.py [--messages 5000] [--files 2000] [--runs 5]

Everything runs in this one session on this machine, so the ratios are the numbers to read.
The corpus is the labelled evaluation set plus the outside cold emails, cycled to --messages.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import load_eval_set, load_letr_corpus  # noqa: E402


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


def command(name: str) -> list[str]:
    local = Path(sys.executable).parent / name
    return [str(local)] if local.exists() else [name]


def run_quiet(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def median_run(args: list[str], runs: int) -> float:
    return statistics.median(run_quiet(args) for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--proselint-messages", type=int, default=1000)
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    has_proselint = shutil.which(command("proselint")[0]) is not None

    texts = corpus_texts()
    messages = cycle(texts, args.messages)
    words = statistics.mean(len(t.split()) for t in texts)
    print(
        f"corpus: {len(texts)} distinct messages (mean {words:.0f} words), cycled to {len(messages)}"
    )

    build, batch_rate, single_rate = drafter_in_process(messages)
    print(
        f"drafter, one process: {batch_rate:,.0f} messages/s with lint_many (nlp.pipe); "
        f"{single_rate:,.0f} messages/s one lint() call each; building the linter {build * 1000:.0f} ms"
    )
    if has_proselint:
        prose_rate = proselint_in_process(cycle(texts, args.proselint_messages))
        print(
            f"proselint, one process: {prose_rate:,.0f} messages/s  -> drafter is {batch_rate / prose_rate:.1f}x faster"
        )

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "drafts"
        folder.mkdir()
        for i, text in enumerate(cycle(texts, args.files)):
            (folder / f"m{i:05d}.md").write_text(text, encoding="utf-8")
        one = folder / "m00000.md"
        cold = median_run([*command("drafter"), "lint", str(one), "--fail-on", "never"], args.runs)
        print(
            f"cold start, `drafter lint` on one message: {cold * 1000:.0f} ms (median of {args.runs})"
        )
        if has_proselint:
            cold_p = median_run([*command("proselint"), "check", str(one)], args.runs)
            print(f"cold start, `proselint check` on one message: {cold_p * 1000:.0f} ms")
        whole = median_run(
            [*command("drafter"), "lint", str(folder), "--format", "json", "--fail-on", "never"], 3
        )
        print(f"`drafter lint` over {args.files} files: {whole:.2f} s (median of 3)")
        if has_proselint:
            whole_p = run_quiet([*command("proselint"), "check", str(folder)])
            print(
                f"`proselint check` over {args.files} files: {whole_p:.2f} s  -> drafter is {whole_p / whole:.1f}x faster"
            )
    print(
        "reproduce: python bench/throughput.py "
        f"--messages {args.messages} --files {args.files} --runs {args.runs}"
    )


if __name__ == "__main__":
    main()
