"""Lint with history: findings a single message cannot show, added to the engine's results.

- followup.third-unanswered: the draft would be the third message in a row without a reply.
- followup.repeat: a follow-up that mostly repeats the last message and adds nothing new.
- duplicate.sent-before: nearly the same as a message already sent to someone else.
- duplicate.batch: drafts in this batch that are the same message with the names swapped.

The rules (ids, severities, messages, thresholds) are data in rules/ with kind `history`; this
module runs the ones in force and builds Findings the same way the engine does.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drafter.core.config import Config
from drafter.core.drafts import Draft, LineIndex
from drafter.core.relationship import Event, Relationship
from drafter.history.duplicates import (
    BatchReport,
    Index,
    Masked,
    Packed,
    StoredIndex,
    covered,
    covered_share,
    find_clusters,
    mask,
    pack,
    personal_terms,
    shared_index,
    words,
)
from drafter.history.recording import sent_text, with_sketches
from drafter.history.store import Record, Store
from drafter.lint.findings import SEVERITY_RANK, Finding, LintResult, score
from drafter.lint.kinds.history import HistorySpec
from drafter.lint.rules import CATEGORIES, Rule

if TYPE_CHECKING:
    from drafter.lint.engine import Linter

_FIELD = re.compile(r"\{(\w+)\}")
_URL = re.compile(r"https?://\S+|www\.\S+")
_NUMBER = re.compile(r"\d[\d,.:/-]*\d|\d")


def contact_id(draft: Draft) -> str | None:
    return draft.contact.id if draft.contact is not None else draft.contact_ref


def masked(draft: Draft) -> Masked:
    """The draft's skeleton for the copy-paste check across the batch."""
    return mask(sent_text(draft), personal_terms(draft.contact, contact_id(draft)))


def _pct(value: float) -> str:
    return f"{round(value * 100)}%"


def _param(rule: Rule, name: str, default: float) -> float:
    value = (
        getattr(rule.spec.params, name, default) if isinstance(rule.spec, HistorySpec) else default
    )
    return float(value)


def _finding(rule: Rule, draft: Draft, values: Mapping[str, Any]) -> Finding:
    """A finding on the first line of the body (the whole message is at fault)."""
    start = draft.body_offset + (len(draft.body) - len(draft.body.lstrip()))
    line_end = draft.text.find("\n", start)
    end = len(draft.text.rstrip()) if line_end < 0 else line_end
    end = max(end, start)
    index = LineIndex(draft.text)
    line, column = index.position(start)
    end_line, end_column = index.position(end)

    def fill(template: str) -> str:
        return _FIELD.sub(lambda m: str(values.get(m.group(1), m.group(0))), template)

    suggestion = "; or ".join(rule.suggest) if rule.suggest else None
    return Finding(
        rule.id,
        rule.category,
        rule.severity,
        fill(rule.message),
        suggestion,
        start,
        end,
        line,
        column,
        end_line,
        end_column,
    )


@dataclass
class HistoryPass:
    """The history rules in force, with the history to check against (None: no history kept)."""

    rules: Mapping[str, Rule]
    store: Store | None = None
    extra: Sequence[Record] = ()  # events given directly (rule examples, tests)
    _index: Any = field(default=None, init=False)
    _rows: list[tuple[int | None, Record | None, bytes]] = field(default_factory=list, init=False)

    def _active(self, check: str, draft: Draft | None = None) -> list[Rule]:
        return [
            r
            for r in self.rules.values()
            if r.kind == "history"
            and isinstance(r.spec, HistorySpec)
            and r.spec.check == check
            and (draft is None or r.scope.admits(draft.platform, draft.stage))
            and not any(
                r.id == d or r.id.startswith(d + ".") for d in (draft.disabled if draft else ())
            )
        ]

    def relationship(self, contact: str) -> Relationship:
        events: list[Event] = []
        if self.store is not None:
            events.extend(self.store.relationship(contact).events)
        events.extend(r.event for r in self.extra if r.contact == contact)
        return Relationship(contact, tuple(sorted(events, key=lambda e: e.at)))

    def run(self, results: Sequence[LintResult]) -> BatchReport | None:
        """Add findings to each result (and rescore); the batch report when there was a batch."""
        added: dict[int, list[Finding]] = {}
        for i, result in enumerate(results):
            added[i] = self._per_draft(result.draft)
        drafts = [r.draft for r in results]
        report = self._batch(drafts, added) if len(drafts) >= 2 else None
        for i, result in enumerate(results):
            if added[i]:
                result.findings.extend(added[i])
                result.findings.sort(
                    key=lambda f: (f.offset, f.end_offset, -SEVERITY_RANK[f.severity], f.rule)
                )
                result.score, result.breakdown = score(result.findings, CATEGORIES)
        return report

    # ---- one draft against its history ------------------------------------------------

    def _per_draft(self, draft: Draft) -> list[Finding]:
        who = contact_id(draft)
        out: list[Finding] = []
        text = sent_text(draft)
        if who is not None and (self.store is not None or self.extra):
            rel = self.relationship(who)
            earlier = [e for e in rel.unanswered if e.text != text]  # linting a logged draft
            for rule in self._active("third-unanswered", draft):
                if len(earlier) >= 2:
                    dates = " and ".join(
                        f"{e.at.isoformat()} on {e.platform or '?'}" for e in earlier[-2:]
                    )
                    out.append(_finding(rule, draft, {"dates": dates}))
            for rule in self._active("repeat-of-last", draft):
                found = self._repeat(rule, draft, rel, text)
                if found is not None:
                    out.append(found)
        for rule in self._active("sent-to-other", draft):
            found = self._sent_before(rule, draft, who, text)
            if found is not None:
                out.append(found)
        return out

    def _repeat(self, rule: Rule, draft: Draft, rel: Relationship, text: str) -> Finding | None:
        previous = [e for e in rel.sent if e.text and e.text != text]
        if not previous:
            return None
        last = previous[-1]
        assert last.text is not None
        terms = personal_terms(draft.contact, rel.contact_id)
        mine, theirs = mask(text, terms), mask(last.text, terms)
        share = covered_share(mine, set(theirs.shingles()))
        gives = (
            getattr(rule.spec.params, "give_phrases", ())
            if isinstance(rule.spec, HistorySpec)
            else ()
        )
        if share < _param(rule, "share", 0.6) or _adds_something(text, last.text, terms, gives):
            return None
        values = {"share": _pct(share), "date": last.at.isoformat(), "platform": last.platform}
        return _finding(rule, draft, values)

    def _sent_index(self) -> Any:
        """Messages already sent, as stored sketches (computed here only for rows without one:
        examples, and files from before schema 4)."""
        if self._index is None:
            rows: list[tuple[int | None, Record | None, bytes]] = []
            if self.store is not None:
                missing: list[int] = []
                for row_id, sketch in self.store.sent_sketches():
                    rows.append((row_id, None, sketch or b""))
                    if sketch is None:
                        missing.append(len(rows) - 1)
                if missing:
                    found = self.store.by_ids(rows[i][0] or 0 for i in missing)
                    made = with_sketches([found[rows[i][0] or 0] for i in missing])
                    for i, record in zip(missing, made, strict=True):
                        rows[i] = (rows[i][0], record, record.sketch or b"")
            extra = with_sketches([r for r in self.extra if r.event.kind == "sent"])
            rows.extend((None, record, record.sketch or b"") for record in extra)
            self._rows = rows
            self._index = StoredIndex([sketch for _, _, sketch in rows])
        return self._index

    def _candidates(self, positions: list[int]) -> list[Record]:
        need = [self._rows[p][0] for p in positions if self._rows[p][1] is None]
        found = self.store.by_ids(i for i in need if i is not None) if need and self.store else {}
        out = []
        for p in positions:
            row_id, record, _ = self._rows[p]
            record = record or found.get(row_id or 0)
            if record is not None:
                out.append(record)
        return out

    def _sent_before(self, rule: Rule, draft: Draft, who: str | None, text: str) -> Finding | None:
        index = self._sent_index()
        if not len(index.rows):
            return None  # nothing sent yet: no need to mask and sketch the draft
        mine = mask(text, personal_terms(draft.contact, who))
        keys = Index.keys(mine)
        if not keys:
            return None
        threshold = _param(rule, "share", 0.85)
        mine_set = set(keys)
        best: tuple[float, Record] | None = None
        bands = shared_index().signatures([keys])[0]
        for record in self._candidates(index.query(bands)):
            if record.contact == who:
                continue
            theirs = mask(record.event.text or "", personal_terms(None, record.contact))
            their_keys = Index.keys(theirs)
            share = min(covered(mine, keys, set(their_keys)), covered(theirs, their_keys, mine_set))
            if share >= threshold and (best is None or share > best[0]):
                best = (share, record)
        if best is None:
            return None
        share, record = best
        values = {
            "share": _pct(share),
            "contact": record.contact,
            "date": record.event.at.isoformat(),
            "platform": record.event.platform,
        }
        return _finding(rule, draft, values)

    # ---- the batch ------------------------------------------------------------------------

    def _batch(
        self,
        drafts: Sequence[Draft],
        added: dict[int, list[Finding]],
    ) -> BatchReport:
        report, hits = self.batch_hits(
            [d.path for d in drafts], [contact_id(d) for d in drafts], [masked(d) for d in drafts]
        )
        for i in hits.flagged:
            added[i].extend(hits.findings(i, drafts[i]))
        return report

    def batch_hits(
        self,
        paths: Sequence[str],
        owners: Sequence[str | None],
        items: Sequence[Masked | Packed],
    ) -> tuple[BatchReport, BatchHits]:
        """Copy-paste clusters in the batch, and which drafts they flag."""
        rules = self._active("batch")
        threshold = _param(rules[0], "share", 0.75) if rules else 0.75
        report = find_clusters(items, threshold, owners)
        hits = BatchHits(rules, list(paths))
        for cluster in report.clusters:
            hits.members.append(cluster.members)
            for i, share in cluster.shares.items():
                hits.flagged[i] = (len(hits.members) - 1, share, report.personal[i])
        return report, hits


@dataclass
class BatchHits:
    """The drafts of a batch that are copy-paste, kept small (a big streamed batch holds this
    while its report is written): each flagged draft's cluster and shares. A finding, with the
    names of the other drafts, is made when its draft is reported."""

    rules: Sequence[Rule]  # the batch rules in force
    paths: Sequence[str]
    members: list[list[int]] = field(default_factory=list)  # per cluster: its drafts
    flagged: dict[int, tuple[int, float, float]] = field(default_factory=dict)
    # draft -> (its cluster, its share in it, its personal share)

    def findings(self, i: int, draft: Draft) -> list[Finding]:
        """The batch rules' findings on draft i, for the rules in force on it."""
        if i not in self.flagged:
            return []
        cluster, share, personal = self.flagged[i]
        others = [self.paths[j] for j in self.members[cluster] if j != i]
        names = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
        values = {
            "share": _pct(share),
            "count": len(others),
            "others": f"{len(others)} other draft{'s' if len(others) != 1 else ''}",
            "drafts": names,
            "personal": _pct(personal),
        }
        return [
            _finding(rule, draft, values)
            for rule in self.rules
            if rule.scope.admits(draft.platform, draft.stage)
            and not any(rule.id == d or rule.id.startswith(d + ".") for d in draft.disabled)
        ]


def _adds_something(
    text: str, before: str, terms: Mapping[tuple[str, ...], str], gives: Sequence[str] = ()
) -> bool:
    """A new link, number, offer, or fact about them that the earlier message did not have."""
    low, low_before = text.lower(), before.lower()
    if any(g.lower() in low and g.lower() not in low_before for g in gives):
        return True
    if set(_URL.findall(text)) - set(_URL.findall(before)):
        return True
    if set(_NUMBER.findall(_URL.sub("", text))) - set(_NUMBER.findall(_URL.sub("", before))):
        return True
    facts = {w for words, kind in terms.items() if kind in ("fact", "company") for w in words}
    return bool((set(words(text)) & facts) - set(words(before)))


def personal_summary(paths: Sequence[str], report: BatchReport | None) -> str | None:
    """One line: how personal the batch is (the part of each draft found in no other)."""
    if report is None or not paths:
        return None
    shares = sorted(zip(report.personal, paths, strict=True))
    median = shares[len(shares) // 2][0]
    low, where = shares[0]
    flagged = sum(len(c.shares) for c in report.clusters)
    return (
        f"personal share (words in no draft to someone else): median {_pct(median)}, lowest {_pct(low)} "
        f"({where}); {flagged} drafts in {len(report.clusters)} copy-paste clusters"
    )


def check_history(
    results: Sequence[LintResult],
    rules: Mapping[str, Rule],
    store: Store | None,
) -> str | None:
    """Run the history rules over linted drafts; the batch summary line, if any."""
    if not any(r.kind == "history" for r in rules.values()):
        return None
    report = HistoryPass(rules, store).run(results)
    return personal_summary([r.draft.path for r in results], report)


def check_with_history(
    results: Sequence[LintResult], rules: Mapping[str, Rule], cfg: Config, db: Path | None
) -> str | None:
    """`lint` and `draft`: the history rules against the history file, if there is one."""
    from drafter.history.commands import existing_store

    store = existing_store(db, cfg)
    try:
        return check_history(results, rules, store)
    finally:
        if store is not None:
            store.close()


def _rescore(result: LintResult, found: Sequence[Finding]) -> None:
    result.findings.extend(found)
    result.findings.sort(key=lambda f: (f.offset, f.end_offset, -SEVERITY_RANK[f.severity], f.rule))
    result.score, result.breakdown = score(result.findings, CATEGORIES)


@dataclass
class StreamHistory:
    """The history rules for a streamed `lint`: copy-paste across the batch is found before the
    report starts (it needs every draft), each draft's own history as its result goes by. The
    history file is opened lazily in the process that lints, since workers are forked."""

    rules: Mapping[str, Rule]
    path: Path | None  # the history file, if there is one
    batch: BatchHits | None  # copy-paste in the batch
    flagged: dict[str, int]  # draft path -> its place in the batch, for flagged drafts
    summary: str | None
    _pass: HistoryPass | None = field(default=None, init=False)
    _pid: int = field(default=0, init=False)

    def apply(self, result: LintResult) -> None:
        import os

        if self._pass is None or self._pid != os.getpid():
            store = Store.open(self.path) if self.path is not None else None
            self._pass, self._pid = HistoryPass(self.rules, store), os.getpid()
        draft = result.draft
        found = [
            *self._pass._per_draft(draft),
            *self._batch_findings(draft),
        ]
        if found:
            _rescore(result, found)

    def _batch_findings(self, draft: Draft) -> list[Finding]:
        i = self.flagged.get(draft.path)
        return [] if i is None or self.batch is None else self.batch.findings(i, draft)


# Drafts one worker reads and masks (~90 µs each) while the linter builds (~0.4 s cold).
READ_BESIDE_BUILD = 4_000


def linter_and_batch(
    cfg: Config,
    platforms: Mapping[str, Any],
    free_account: bool | None,
    files: Sequence[str],
    ctx: Any,
    db: Path | None,
    jobs: int,
) -> tuple[Linter, StreamHistory | None]:
    """`drafter lint`'s linter and its batch history pass. Cold, a batch that one worker reads
    in about the time the linter takes to build (the parent keeps one core busy with it) is
    read meanwhile; a bigger one after, on all cores; warm, at once."""
    from drafter.lint import warm
    from drafter.lint.rules import rules_for

    linter = warm.warm_linter(cfg, platforms, free_account)
    if linter is None and len(files) <= READ_BESIDE_BUILD:
        rules = rules_for(cfg)
        reading = BatchReading(files, ctx, platforms, rules[1], cfg, db, jobs, beside=True)
        try:
            linter = warm.linter_for(
                cfg, platforms=platforms, free_account=free_account, rules=rules
            )
        except BaseException:
            reading.cancel()
            raise
    else:
        if linter is None:
            linter = warm.linter_for(cfg, platforms=platforms, free_account=free_account)
        reading = BatchReading(files, ctx, platforms, linter.rules, cfg, db, jobs)
    return linter, reading.finish()


class BatchReading:
    """The drafts read once for the batch check (stdin is left to the stream: one draft), in
    `jobs` processes as `drafter lint --jobs` (0: one per core) for a big batch. With
    `beside`, started now and finished later: the worker that reads and masks the drafts needs
    no linter, so `drafter lint` builds its linter (most of its start-up) while it runs;
    cancel() stops it if the command stops first."""

    def __init__(
        self,
        files: Sequence[str],
        ctx: Any,
        platforms: Any,
        rules: Mapping[str, Rule],
        cfg: Config,
        db: Path | None,
        jobs: int = 1,
        beside: bool = False,
    ) -> None:
        """`beside`: the caller keeps one core busy meanwhile (building the linter), so one
        worker fewer is forked, and one is forked even when the batch would have had two."""
        from drafter.lint.stream import Forked, workers

        self.files, self.rules, self.cfg, self.db = files, rules, cfg, db
        self.ctx, self.platforms = ctx, platforms
        self.same: dict[tuple[bytes, bytes, int], Packed] = {}
        self.used = any(r.kind == "history" for r in rules.values())
        # Reading and masking every draft is most of this step: on all cores for a big batch
        # (fork_map in finish()), or started now on the cores the caller leaves free.
        self.jobs = workers(jobs, files) if self.used else 1
        self.forked = (
            Forked(self.read_packed, files, self.jobs - 1, self.shared)
            if beside and self.jobs > 1
            else None
        )

    def read_packed(self, paths: Sequence[str]) -> list[tuple[str, str | None, Packed]]:
        """What the batch check keeps of each draft: its path, its contact and its skeleton's
        keys (not its text), so a big batch holds little and workers send little."""
        from drafter.core.errors import DrafterError
        from drafter.lint.inputs import ContactResolver, read_draft

        resolver = ContactResolver(getattr(self.ctx, "roster", None))
        out = []
        for raw in paths:
            if raw == "-":
                continue
            try:
                draft = read_draft(raw, self.ctx, self.platforms, resolver)
            except DrafterError:
                continue  # the stream reports it in its turn
            out.append((draft.path, contact_id(draft), pack(masked(draft))))
        return out

    def shared(self, row: tuple[str, str | None, Packed]) -> tuple[str, str | None, Packed]:
        """Equal skeletons (a template sent with names swapped) share one object."""
        path, owner, item = row
        key = (item.digest, item.personal, item.total)
        return path, owner, self.same.setdefault(key, item)

    def cancel(self) -> None:
        if self.forked is not None:
            self.forked.cancel()
            self.forked = None

    def finish(self) -> StreamHistory | None:
        from drafter.history.commands import history_path

        if not self.used:
            return None
        from drafter.lint.stream import fork_map

        if self.forked is not None:
            rows = self.forked.collect()
            self.forked = None
        else:
            rows = (
                fork_map(self.read_packed, self.files, self.jobs, self.shared)
                if self.jobs > 1
                else None
            )
        if rows is None:
            rows = [self.shared(row) for row in self.read_packed(self.files)]
        self.same.clear()
        paths = [path for path, _, _ in rows]
        where = history_path(self.db, self.cfg)
        rules = self.rules
        if len(rows) < 2:
            return StreamHistory(rules, where if where.exists() else None, None, {}, None)
        owners, items = [o for _, o, _ in rows], [p for _, _, p in rows]
        del rows
        report, hits = HistoryPass(rules, None).batch_hits(paths, owners, items)
        flagged = {paths[i]: i for i in hits.flagged}
        return StreamHistory(
            rules, where if where.exists() else None, hits, flagged, personal_summary(paths, report)
        )
