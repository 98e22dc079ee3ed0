"""`drafter lint` over many files: drafts stream in, the report streams out, workers share big
folders.

Files are read, linted and reported a chunk at a time, so memory stays flat however many there
are; only running totals are kept for the summary. Every format prints exactly what
drafter.lint.report prints for the same results (the JSON report is the same document, written
piece by piece). With `jobs` > 1 and enough files, workers are forked after the linter is
built (they share it, warm, copy-on-write); worker k takes chunks k, k+jobs, ... and the parent
prints chunk 0, 1, 2, ... in turn, so the output is the same as a serial run. A chunk whose
draft cannot be read or linted reports that error in its turn, as a serial run would.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from drafter.core.errors import DrafterError
from drafter.lint import report
from drafter.lint.inputs import (
    ContactResolver,
    LintContext,
    missing_platform_note,
    read_draft,
)
from drafter.lint.jsontext import dumps_indented

if TYPE_CHECKING:
    from drafter.core.platforms import Platform
    from drafter.lint.engine import Linter
    from drafter.lint.findings import LintResult

CHUNK = 64  # files per nlp.pipe batch and per message from a worker
PARALLEL_FROM = 256  # fewer files than this: forking costs more than it saves


@dataclass
class Tally:
    """Running totals for the summary line and the exit status."""

    files: int = 0
    errors: int = 0
    warnings: int = 0
    info: int = 0
    score_sum: int = 0
    failed: bool = False

    def add(self, result: LintResult, fail_on: str) -> None:
        self.files += 1
        for f in result.findings:
            if f.severity == "error":
                self.errors += 1
            elif f.severity == "warning":
                self.warnings += 1
            else:
                self.info += 1
        self.score_sum += result.score
        if fail_on != "never" and result.at_or_above(fail_on):
            self.failed = True

    def merge(self, other: Tally) -> None:
        self.files += other.files
        self.errors += other.errors
        self.warnings += other.warnings
        self.info += other.info
        self.score_sum += other.score_sum
        self.failed = self.failed or other.failed

    def summary(self) -> dict[str, Any]:
        """The same mapping as report._summary over all the results."""
        return {
            "files": self.files,
            "findings": self.errors + self.warnings + self.info,
            "errors": self.errors,
            "warnings": self.warnings,
            "info": self.info,
            "average_score": round(self.score_sum / self.files, 1) if self.files else None,
        }


def _piece(result: LintResult, fmt: str, color: bool, columns: str = "chars") -> str | None:
    """One file's part of the report (None: nothing to print for it)."""
    if fmt == "json":
        text = dumps_indented(report.result_json(result))  # json.dumps(indent=2), faster
        return "\n".join("    " + line for line in text.splitlines())
    if fmt == "line":
        return report.line_report([result], columns=columns) or None
    if fmt == "github":
        return report.github_report([result]) or None
    return report.text_findings(result, color=color)


@dataclass(frozen=True)
class Job:
    """What every chunk needs: the same in the parent and in forked workers."""

    linter: Linter
    ctx: LintContext
    platforms: Mapping[str, Platform] | tuple[str, ...]  # specs, so aliases (Twitter) resolve
    fmt: str
    color: bool
    fail_on: str
    stdin_filename: str | None
    columns: str = "chars"
    # Findings only the history or the whole batch can show, added before a result is reported.
    extra: Callable[[LintResult], None] | None = None

    def run(self, files: Sequence[str], resolver: ContactResolver) -> dict[str, Any]:
        """Lint one chunk: its report pieces and totals, or the first error in it."""
        try:
            drafts = []
            for raw in files:
                drafts.append(
                    read_draft(raw, self.ctx, self.platforms, resolver, self.stdin_filename)
                )
            note = missing_platform_note(drafts, self.linter.rules)
            tally = Tally()
            pieces = []
            for result in self.linter.lint_many(drafts):
                if self.extra is not None:
                    self.extra(result)
                tally.add(result, self.fail_on)
                pieces.append(_piece(result, self.fmt, self.color, self.columns))
        except DrafterError as exc:
            return {"error": exc.message}
        return {"pieces": pieces, "tally": asdict(tally), "note": note}


def chunks_of(files: Sequence[str]) -> list[Sequence[str]]:
    return [files[i : i + CHUNK] for i in range(0, len(files), CHUNK)]


def _serial(job: Job, chunks: list[Sequence[str]]) -> Iterator[dict[str, Any]]:
    resolver = ContactResolver(job.ctx.roster)
    for chunk in chunks:
        yield job.run(chunk, resolver)


def _spawn(jobs: int, count: int, work: Callable[[int], bytes]) -> tuple[list[Any], list[int]]:
    """Fork `jobs` workers; worker k computes work(i) for i = k, k+jobs, ... below `count` and
    sends each result as a length-prefixed frame. The pipes to read, and the workers' pids."""
    readers: list[Any] = []
    pids: list[int] = []
    try:
        for k in range(jobs):
            read_fd, write_fd = os.pipe()
            pid = os.fork()
            if pid == 0:  # the worker
                code = 1
                try:
                    os.close(read_fd)
                    for reader in readers:
                        reader.close()
                    with os.fdopen(write_fd, "wb") as pipe:
                        for i in range(k, count, jobs):
                            data = work(i)
                            pipe.write(len(data).to_bytes(8, "big") + data)
                            pipe.flush()
                    code = 0
                finally:  # an error ends the worker early: the caller sees a short read
                    os._exit(code)
            os.close(write_fd)
            readers.append(os.fdopen(read_fd, "rb"))
            pids.append(pid)
    except BaseException:
        _reap(readers, pids, stop=True)
        raise
    return readers, pids


def _reap(readers: list[Any], pids: list[int], stop: bool) -> None:
    """Close the pipes and wait for the workers; `stop`: they are not wanted any more."""
    for reader in readers:
        reader.close()
    for pid in pids:
        if stop:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)


def _read(readers: list[Any], pids: list[int], count: int) -> Generator[bytes | None, None, None]:
    """The frames of _spawn's workers in the order of i, or None, once, when a worker ended
    early. Workers still running when the caller stops are stopped."""
    done = False
    try:
        jobs = len(readers)
        for i in range(count):
            reader = readers[i % jobs]
            header = reader.read(8)
            size = int.from_bytes(header, "big") if len(header) == 8 else -1
            data = reader.read(size) if size >= 0 else b""
            if size < 0 or len(data) != size:
                yield None
                return
            yield data
        done = True
    finally:
        # stopped early (an error, or a worker failed): the rest is not wanted
        _reap(readers, pids, stop=not done)


def _frames(
    jobs: int, count: int, work: Callable[[int], bytes]
) -> Generator[bytes | None, None, None]:
    """_spawn's workers, read in order (see _read)."""
    readers, pids = _spawn(jobs, count, work)
    yield from _read(readers, pids, count)


def _forked(job: Job, chunks: list[Sequence[str]], jobs: int) -> Iterator[dict[str, Any]]:
    """Worker k lints chunks k, k+jobs, ...; chunks are read back in order."""
    resolvers: list[ContactResolver] = []  # one per worker, made in the worker

    def work(i: int) -> bytes:
        if not resolvers:
            resolvers.append(ContactResolver(job.ctx.roster))
        return json.dumps(job.run(chunks[i], resolvers[0])).encode("utf-8")

    with contextlib.closing(_frames(jobs, len(chunks), work)) as frames:
        for data in frames:
            if data is None:
                raise DrafterError("a lint worker stopped before finishing its files")
            yield json.loads(data)


def _pickling(
    fn: Callable[[Sequence[str]], list[Any]], files: Sequence[str]
) -> tuple[int, Callable[[int], bytes]]:
    """How many chunks, and the work that runs fn on chunk i and pickles the result."""
    import pickle

    chunks = chunks_of(files)

    def work(i: int) -> bytes:
        return pickle.dumps(fn(chunks[i]), protocol=pickle.HIGHEST_PROTOCOL)

    return len(chunks), work


def _unpickled(
    frames: Iterable[bytes | None], each: Callable[[Any], Any] | None
) -> list[Any] | None:
    """The results of the frames in order (through `each`), or None when a worker failed."""
    import pickle

    out: list[Any] = []
    for data in frames:
        if data is None:
            return None
        found = pickle.loads(data)
        out.extend(found if each is None else map(each, found))
    return out


def fork_map(
    fn: Callable[[Sequence[str]], list[Any]],
    files: Sequence[str],
    jobs: int,
    each: Callable[[Any], Any] | None = None,
) -> list[Any] | None:
    """fn over the files a chunk at a time in `jobs` forked processes (worker k takes chunks k,
    k+jobs, ...), the results concatenated in file order, sent back pickled (and passed through
    `each` as they are read). None when a worker failed in any way: the caller then runs fn
    itself, where the error shows as usual."""
    count, work = _pickling(fn, files)
    with contextlib.closing(_frames(jobs, count, work)) as frames:
        return _unpickled(frames, each)


class Forked:
    """fork_map started now and collected later, so the caller can do other work meanwhile
    (`drafter lint` builds its linter while a worker reads the batch). A thread keeps the pipes
    drained, or the workers would stop at the first full pipe. cancel() stops workers not
    collected."""

    def __init__(
        self,
        fn: Callable[[Sequence[str]], list[Any]],
        files: Sequence[str],
        jobs: int,
        each: Callable[[Any], Any] | None = None,
    ) -> None:
        import threading

        count, work = _pickling(fn, files)
        self._each = each
        self._frames: list[bytes | None] = []
        readers, self._pids = _spawn(jobs, count, work)

        def drain() -> None:
            self._frames.extend(_read(readers, self._pids, count))

        self._thread: threading.Thread | None = threading.Thread(target=drain, daemon=True)
        self._thread.start()

    def collect(self) -> list[Any] | None:
        if self._thread is None:
            return None
        self._thread.join()
        self._thread = None
        out = _unpickled(self._frames, self._each)
        self._frames.clear()
        return out

    def cancel(self) -> None:
        if self._thread is not None:
            for pid in self._pids:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGTERM)
            self._thread.join()
            self._thread = None


def workers(jobs: int, files: Sequence[str]) -> int:
    """How many processes to use: `jobs` (0 = one per core) for a big batch without stdin."""
    if jobs == 1 or len(files) < PARALLEL_FROM or "-" in files or not hasattr(os, "fork"):
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    wanted = jobs if jobs > 0 else (cores or 1)
    return max(1, min(wanted, len(chunks_of(files))))


def lint_report(
    files: Sequence[str],
    ctx: LintContext,
    platforms: Mapping[str, Platform] | Sequence[str],
    linter: Linter,
    *,
    fmt: str,
    color: bool,
    fail_on: str,
    stdin_filename: str | None,
    jobs: int,
    write: Callable[[str], None],
    note: Callable[[str], None] | None = None,
    columns: str = "chars",
    extra: Callable[[LintResult], None] | None = None,
) -> bool:
    """Lint `files` (already expanded) and write the report as it goes; True when a finding
    is at or above fail_on. DrafterError from a draft stops the report at that draft."""
    specs = dict(platforms) if isinstance(platforms, Mapping) else tuple(platforms)
    job = Job(linter, ctx, specs, fmt, color, fail_on, stdin_filename, columns, extra)
    chunks = chunks_of(files)
    n = workers(jobs, files)
    results = _serial(job, chunks) if n == 1 else _forked(job, chunks, n)
    tally = Tally()
    first = True
    if fmt == "json":
        write(f'{{\n  "version": {report.JSON_VERSION},\n  "files": [')
    for part in results:
        if "error" in part:
            raise DrafterError(str(part["error"]))
        if part.get("note") and note is not None:
            note(str(part["note"]))
        tally.merge(Tally(**part["tally"]))
        for piece in part["pieces"]:
            if piece is None:
                continue
            if fmt == "json":
                write(("\n" if first else ",\n") + piece)
            else:
                write(piece + "\n")
            first = False
    if fmt == "json":
        summary = json.dumps(tally.summary(), ensure_ascii=False, indent=2).replace("\n", "\n  ")
        write(("]" if first else "\n  ]") + f',\n  "summary": {summary}\n}}\n')
    elif fmt == "text":
        write(report.text_summary(tally.summary()) + "\n")
    return tally.failed
