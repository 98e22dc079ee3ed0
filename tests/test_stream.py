"""Streaming `lint` prints what the whole-batch reports print, and forked workers print the same
as one process, in the same order."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from drafter.core.errors import DrafterError
from drafter.core.platforms import load_platforms
from drafter.lint import report, stream
from drafter.lint.engine import Linter
from drafter.lint.inputs import LintContext, expand, load_drafts

MESSAGES = [
    "Hi Sam,\n\nI hope this finds you well. I just wanted to touch base.\n\nAna\n",
    "Hi [First Name],\n\nLoved your post! Let's connect.\n",
    "Dear Priya,\n\nYour Kafka migration talk at PyCon showed how to replay 40 million events"
    " in under an hour. We move our ledger next quarter; could I ask two questions about the"
    " schema registry?\n\nBest,\nSam\n",
    "Thanks!\n",
]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    for i in range(41):
        body = MESSAGES[i % len(MESSAGES)]
        front = "---\nplatform: email\nstage: connect\n---\n" if i % 3 == 0 else ""
        (drafts / f"m{i:03d}.md").write_text(front + body, encoding="utf-8")
    return drafts


def streamed(linter: Linter, files: list[str], fmt: str, jobs: int, color: bool = False) -> str:
    out: list[str] = []
    stream.lint_report(
        files,
        LintContext(),
        sorted(load_platforms()),
        linter,
        fmt=fmt,
        color=color,
        fail_on="error",
        stdin_filename=None,
        jobs=jobs,
        write=out.append,
    )
    return "".join(out)


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Several chunks and workers from a few dozen files."""
    monkeypatch.setattr(stream, "CHUNK", 4)
    monkeypatch.setattr(stream, "PARALLEL_FROM", 8)


@pytest.mark.parametrize("fmt", ["text", "json", "line", "github"])
def test_streamed_report_equals_the_whole_batch_report(
    linter: Linter, folder: Path, fmt: str, small_chunks: None
) -> None:
    files = expand([str(folder)])
    results = linter.lint_many(load_drafts(files, LintContext(), sorted(load_platforms())))
    whole = {
        "text": lambda: report.text_report(results, color=True) + "\n",
        "json": lambda: report.json_report(results) + "\n",
        "line": lambda: report.line_report(results) + "\n",
        "github": lambda: report.github_report(results) + "\n",
    }[fmt]()
    assert streamed(linter, files, fmt, jobs=1, color=True) == whole
    if fmt == "json":
        data = json.loads(whole)
        assert data["summary"]["files"] == 41
        assert [f["path"] for f in data["files"]] == files


@pytest.mark.parametrize("fmt", ["text", "json", "line"])
def test_workers_print_the_same_as_one_process(
    linter: Linter, folder: Path, fmt: str, small_chunks: None
) -> None:
    files = expand([str(folder)])
    assert stream.workers(0, files) >= 1
    assert stream.workers(2, files) == 2
    serial = streamed(linter, files, fmt, jobs=1)
    assert streamed(linter, files, fmt, jobs=2) == serial
    assert streamed(linter, files, fmt, jobs=3) == serial


def test_empty_json_report_is_the_same_document(linter: Linter) -> None:
    tally = stream.Tally()
    assert tally.summary() == report._summary([])
    out: list[str] = []
    stream.lint_report(
        [],
        LintContext(),
        [],
        linter,
        fmt="json",
        color=False,
        fail_on="error",
        stdin_filename=None,
        jobs=1,
        write=out.append,
    )
    assert "".join(out) == report.json_report([]) + "\n"


def test_a_bad_draft_stops_both_at_the_same_place(
    linter: Linter, folder: Path, small_chunks: None
) -> None:
    (folder / "m020.md").write_text("---\nplatform: nowhere\n---\nHi\n", encoding="utf-8")
    files = expand([str(folder)])
    outputs = []
    for jobs in (1, 2):
        out: list[str] = []
        with pytest.raises(DrafterError, match=r"m020\.md") as caught:
            stream.lint_report(
                files,
                LintContext(),
                sorted(load_platforms()),
                linter,
                fmt="line",
                color=False,
                fail_on="error",
                stdin_filename=None,
                jobs=jobs,
                write=out.append,
            )
        outputs.append(("".join(out), caught.value.message))
    assert outputs[0] == outputs[1]
    assert "m016.md" in outputs[0][0]  # chunks before the bad one were printed
    assert "m020.md" not in outputs[0][0] and "m021.md" not in outputs[0][0]


def test_stdin_and_small_batches_stay_in_one_process() -> None:
    assert stream.workers(0, ["-", *[f"f{i}" for i in range(1000)]]) == 1
    assert stream.workers(0, ["a.md", "b.md"]) == 1
    assert stream.workers(1, [f"f{i}" for i in range(1000)]) == 1


def _upper(chunk: Sequence[str]) -> list[str]:
    return [p.upper() for p in chunk]


def _fails_on_m7(chunk: Sequence[str]) -> list[str]:
    if "m7" in chunk:
        raise RuntimeError("a worker that breaks")
    return list(chunk)


def test_fork_map_returns_results_in_file_order(small_chunks: None) -> None:
    files = [f"m{i}" for i in range(19)]  # five chunks of four over two and three workers
    expected = [f"M{i}" for i in range(19)]
    assert stream.fork_map(_upper, files, 2) == expected
    assert stream.fork_map(_upper, files, 3) == expected
    assert stream.fork_map(_fails_on_m7, files, 2) is None  # the caller then runs it itself


def test_batch_check_reads_drafts_in_workers_with_the_same_findings(
    folder: Path, small_chunks: None
) -> None:
    from drafter.core.config import Config
    from drafter.history.lint import BatchReading
    from drafter.lint.rules import load_rules

    files = expand([str(folder)])
    rules = load_rules()
    args = (files, LintContext(), sorted(load_platforms()), rules, Config(), None)
    serial = BatchReading(*args, jobs=1).finish()
    forked = BatchReading(*args, jobs=2).finish()
    assert serial is not None and forked is not None
    assert forked.batch == serial.batch and forked.flagged == serial.flagged
    assert forked.summary == serial.summary
    assert serial.summary is not None and "copy-paste clusters" in serial.summary
    assert serial.flagged
    drafts = {d.path: d for d in load_drafts(files, LintContext(), sorted(load_platforms()))}
    found = [f.rule for path in serial.flagged for f in serial._batch_findings(drafts[path])]
    assert found and set(found) == {"duplicate.batch"}


def test_a_batch_read_beside_other_work_finds_the_same(folder: Path, small_chunks: None) -> None:
    from drafter.core.config import Config
    from drafter.history.lint import BatchReading
    from drafter.lint.rules import load_rules

    files = expand([str(folder)])
    args = (files, LintContext(), sorted(load_platforms()), load_rules(), Config(), None)
    serial = BatchReading(*args, jobs=1).finish()
    reading = BatchReading(*args, jobs=2, beside=True)
    assert reading.forked is not None  # one worker, forked while the caller works
    beside = reading.finish()
    assert serial is not None and beside is not None
    assert (beside.batch, beside.flagged, beside.summary) == (
        serial.batch,
        serial.flagged,
        serial.summary,
    )


def test_cancelled_workers_are_stopped_and_reaped(small_chunks: None) -> None:
    import os

    forked = stream.Forked(_slow_upper, [f"m{i}" for i in range(40)], 2)
    pids = list(forked._pids)
    forked.cancel()
    assert forked.collect() is None
    for pid in pids:  # reaped: no such child any more
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def _slow_upper(chunk: Sequence[str]) -> list[str]:
    import time

    time.sleep(5)
    return [s.upper() for s in chunk]


def test_cold_lint_of_a_big_folder_prints_what_one_process_prints(
    folder: Path, small_chunks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from drafter import cli
    from drafter.lint import warm

    runner = CliRunner()
    outputs = []
    for jobs in ("1", "0"):
        monkeypatch.setattr(warm, "_warm", None)  # cold: the batch is read while it builds
        result = runner.invoke(
            cli.cli, ["lint", str(folder), "--format", "json", "--fail-on", "never", "-j", jobs]
        )
        assert result.exit_code == 0, result.output
        outputs.append(result.output)
    assert outputs[0] == outputs[1]
    assert '"duplicate.batch"' in outputs[0]
