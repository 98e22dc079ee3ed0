"""Runs rules over Drafts: one spaCy pass per segment feeds every phrase and pattern rule at once.

Rules arrive validated (their specs were built when their files loaded); each kind's compile step
(drafter/lint/kinds/) turns them into a PhraseMatcher per attribute (drafter's lemma key in NORM,
or LOWER), a gated Matcher per token-pattern rule, and regular expressions. Linting a batch uses
`nlp.pipe`. Findings come back with positions in the file as given.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from drafter.core.config import Config
from drafter.core.drafts import Draft, LineIndex
from drafter.core.errors import DrafterError
from drafter.core.limits import check_draft_size
from drafter.lint.applicability import (
    SAFE,
    UNSAFE,
    deletion_applicability,
    has_substance,
    keeps_content,
    narrow_deletion,
    replacement_is_literal,
)
from drafter.lint.context import Context, Hit
from drafter.lint.findings import CATEGORIES, SEVERITY_RANK, Finding, Fix, LintResult, score
from drafter.lint.kinds import KINDS, CheckSpec, MetricSpec, PatternSpec, PhraseSpec, RegexSpec
from drafter.lint.kinds import check as check_kind
from drafter.lint.kinds import metric as metric_kind
from drafter.lint.kinds import regex as regex_kind
from drafter.lint.kinds.metric import Bounds
from drafter.lint.kinds.pattern import CompiledPattern, word_hashes
from drafter.lint.kinds.phrase import PhraseIndex
from drafter.lint.nlp import blank_pipeline, trained_pipeline
from drafter.lint.rules import Rule, names_rules, rules_for
from drafter.lint.safetext import tokenizable
from drafter.lint.text import TextFeatures

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from drafter.core.platforms import Channel, Platform

_FIELD = re.compile(r"\{(\w+)\}")


def _format(template: str, values: Mapping[str, Any]) -> str:
    return _FIELD.sub(
        lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), template
    )


@dataclass(frozen=True)
class _RuleSet:
    """The rules for one platform, stage and segment, grouped once so linting is a flat loop."""

    by_id: dict[str, Rule]
    regex: tuple[tuple[Rule, RegexSpec], ...]
    metric: tuple[tuple[Rule, MetricSpec, Bounds], ...]
    check: tuple[tuple[Rule, CheckSpec], ...]

    @classmethod
    def of(cls, rules: Iterable[Rule], platform: str | None, stage: str | None) -> _RuleSet:
        rules = list(rules)
        return cls(
            by_id={r.id: r for r in rules},
            regex=tuple((r, r.spec) for r in rules if isinstance(r.spec, RegexSpec)),
            metric=tuple(
                (r, r.spec, r.spec.bounds(platform, stage))
                for r in rules
                if isinstance(r.spec, MetricSpec)
            ),
            check=tuple((r, r.spec) for r in rules if isinstance(r.spec, CheckSpec)),
        )


class Linter:
    """Compiled rules plus the shared pipeline; cheap to call, expensive only to build.

    Every rule arrives validated (its spec was built when its file loaded); here each kind's
    compile step turns the specs into matchers. `known` names every loaded rule, also those the
    config switched off, so a draft's `drafter.disable` is checked against them.
    """

    def __init__(
        self,
        rules: Mapping[str, Rule],
        *,
        platforms: Mapping[str, Platform] | None = None,
        free_account: bool = False,
        accept: Sequence[str] = (),
        model: str | None = None,
        known: Iterable[str] | None = None,
    ) -> None:
        self.rules = dict(rules)
        self.known = frozenset(self.rules if known is None else known) | set(self.rules)
        self.platforms: dict[str, Platform] = dict(platforms or {})
        self.free_account = free_account
        self.accept = tuple(a.lower() for a in accept)
        self.model = model
        self.nlp = blank_pipeline()
        self._trained = trained_pipeline(model) if model else None
        self._phrases = PhraseIndex(self.nlp)
        self._patterns: list[CompiledPattern] = []
        for rule in self.rules.values():
            spec = rule.spec
            if isinstance(spec, PhraseSpec):
                self._phrases.compile(rule.id, spec)
            elif isinstance(spec, PatternSpec):
                self._patterns.append(CompiledPattern(rule.id, spec, self.nlp.vocab))
            elif isinstance(spec, CheckSpec):
                for name, phrases in spec.phrase_lists.items():
                    self._phrases.compile_list(rule.id, name, phrases)
        self._active_cache: dict[tuple[str | None, str | None, str], _RuleSet] = {}

    @classmethod
    def from_config(
        cls,
        config: Config,
        *,
        platforms: Mapping[str, Platform] | None = None,
        free_account: bool | None = None,
        rules: tuple[Mapping[str, Rule], Mapping[str, Rule]] | None = None,
    ) -> Linter:
        """`rules`: (loaded, applied) from rules_for(config), when already read."""
        if platforms is None:
            from drafter.core.platforms import load_platforms

            platforms = load_platforms(list(config.templates))
        loaded, applied = rules_for(config) if rules is None else rules
        return cls(
            applied,
            platforms=platforms,
            free_account=config.free_account if free_account is None else free_account,
            accept=config.accept,
            model=config.model,
            known=loaded,
        )

    # ---- running ----------------------------------------------------------------------

    def _active(
        self, platform: str | None, stage: str | None, target: str, disabled: Sequence[str] = ()
    ) -> _RuleSet:
        key = (platform, stage, target)
        found = self._active_cache.get(key) if not disabled else None
        if found is None:
            found = _RuleSet.of(
                (
                    r
                    for r in self.rules.values()
                    if r.scope.admits(platform, stage)
                    and target in r.applies_to
                    and not _disabled(r.id, disabled)
                ),
                platform,
                stage,
            )
            if not disabled:
                self._active_cache[key] = found
        return found

    def lint(self, draft: Draft) -> LintResult:
        return self.lint_many([draft])[0]

    def lint_many(self, drafts: Iterable[Draft]) -> list[LintResult]:
        drafts = list(drafts)
        for draft in drafts:
            check_draft_size(draft.text, draft.path)
            self._check_context(draft)
        # Tokens come from a same-length copy without pathological runs (linear time); offsets
        # and every rule that reads text still use the draft as given.
        bodies = self.nlp.pipe(tokenizable(d.body) for d in drafts)
        subjects = {i: d.subject for i, d in enumerate(drafts) if d.subject}
        subject_docs = dict(
            zip(subjects, self.nlp.pipe(tokenizable(s) for s in subjects.values()), strict=True)
        )
        entities: list[list[tuple[int, int, str]] | None] = [None] * len(drafts)
        if self._trained is not None:
            for i, doc in enumerate(self._trained.pipe(tokenizable(d.body) for d in drafts)):
                entities[i] = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        results = []
        for i, (draft, doc) in enumerate(zip(drafts, bodies, strict=True)):
            results.append(self._lint_one(draft, doc, subject_docs.get(i), entities[i]))
        return results

    def _check_context(self, draft: Draft) -> None:
        for name in draft.disabled:
            if not names_rules(name, self.known):
                raise DrafterError(
                    f"{draft.path}: front matter drafter.disable: no rule '{name}' "
                    "(see `drafter rules`)"
                )
        if self.platforms and draft.platform and draft.platform not in self.platforms:
            raise DrafterError(
                f"{draft.path}: unknown platform '{draft.platform}'; known: {', '.join(sorted(self.platforms))}"
            )

    def _lint_one(
        self,
        draft: Draft,
        body: Doc,
        subject: Doc | None,
        entities: list[tuple[int, int, str]] | None,
    ) -> LintResult:
        platform = self.platforms.get(draft.platform) if draft.platform else None
        channel = self._channel(draft, platform)
        limit = (
            channel.body_limit(self.free_account or bool(draft.meta.get("free_account")))
            if channel
            else None
        )
        found: list[tuple[Rule, Hit, Context]] = []
        segments: list[tuple[str, str, int | None, Doc]] = [
            ("body", draft.body, draft.body_offset, body)
        ]
        if subject is not None and draft.subject:
            segments.append(("subject", draft.subject, draft.subject_offset, subject))
        for target, text, base, doc in segments:
            ctx = Context(
                draft,
                target,
                text,
                base,
                doc,
                TextFeatures(text),
                platform,
                channel,
                limit,
                entities if target == "body" else None,
            )
            rules = self._active(draft.platform, draft.stage, target, draft.disabled)
            found.extend((r, h, ctx) for r, h in self._run(rules, ctx))
        findings = self._findings(draft, found)
        total, breakdown = score(findings, CATEGORIES)
        return LintResult(draft=draft, findings=findings, score=total, breakdown=breakdown)

    @staticmethod
    def _channel(draft: Draft, platform: Platform | None) -> Channel | None:
        """The stage's channel, or the one the draft names (`channel: reply` on X)."""
        if platform is None:
            return None
        named = draft.meta.get("channel")
        if named is None:
            return platform.channel(draft.stage)
        if named not in platform.channels:
            known = ", ".join(sorted(platform.channels))
            raise DrafterError(
                f"{draft.path}: {platform.label} has no channel '{named}'; known: {known}"
            )
        return platform.channels[str(named)]

    def _run(self, rules: _RuleSet, ctx: Context) -> list[tuple[Rule, Hit]]:
        by_id = rules.by_id
        doc = ctx.doc
        text = ctx.text
        check_spans: dict[str, dict[str, list[tuple[int, int]]]] = {}
        # Per rule, the kept spans: disjoint, so sorted by start they are sorted by end too, and
        # one bisect finds the only neighbour a new hit could overlap (linear in hits, not square).
        seen: dict[str, tuple[list[int], list[int]]] = {}
        out: list[tuple[Rule, Hit]] = []

        opening: list[int] = []

        def opening_end() -> int:
            """Where a message's opening ends: after the first half of its sentences following
            the greeting, and not before the second. A rule `within: opening` counts only hits
            that start before it."""
            if not opening:
                greeting = ctx.features.greeting
                after = greeting.span.end if greeting is not None else 0
                ends = [s.end for s in ctx.features.sentences if s.end > after]
                n = max(2, (len(ends) + 1) // 2)
                opening.append(ends[n - 1] if len(ends) >= n else len(text))
            return opening[0]

        def emit(rule: Rule, hit: Hit) -> None:
            """Keep the first of overlapping hits of one rule."""
            if rule.within == "opening" and hit.start >= opening_end():
                return
            starts, ends = seen.setdefault(rule.id, ([], []))
            i = bisect.bisect_left(starts, hit.end)
            # Kept spans before i start before this hit ends; the last of them ends latest.
            if i and ends[i - 1] > hit.start:
                return
            starts.insert(i, hit.start)
            ends.insert(i, hit.end)
            out.append((rule, hit))

        phrase_hits: list[tuple[Rule, Hit]] = []
        for found in self._phrases.run(doc):
            rule = by_id.get(found.rule_id)
            if rule is None:
                continue
            s, e = found.start, found.end
            if isinstance(rule.spec, CheckSpec):
                check_spans.setdefault(rule.id, {}).setdefault(found.tail, []).append((s, e))
                continue
            hit = Hit(s, e, values={"match": text[s:e]}, suggestion=found.suggestion)
            phrase_hits.append((rule, hit))
        present: set[int] | None = None
        for compiled in self._patterns:
            pattern_rule = by_id.get(compiled.rule_id)
            if pattern_rule is None:
                continue
            if present is None:
                present = word_hashes(doc) if compiled.triggers is not None else set()
            for s, e in compiled.run(doc, present):
                phrase_hits.append((pattern_rule, Hit(s, e, values={"match": text[s:e]})))
        # Longest match first, so "I came across your profile" wins over "came across".
        phrase_hits.sort(key=lambda rh: (rh[1].start, -(rh[1].end - rh[1].start)))
        for rule, hit in phrase_hits:
            emit(rule, hit)
        lowered: list[str] = []

        def lower() -> str:
            if not lowered:
                lowered.append(text.lower())
            return lowered[0]

        for rule, regex_spec in rules.regex:
            for s, e in regex_kind.run(regex_spec, text, lower):
                emit(rule, Hit(s, e, values={"match": text[s:e]}))
        for rule, metric_spec, bounds in rules.metric:
            measured = metric_kind.run(metric_spec, bounds, ctx)
            if measured is not None:
                out.append((rule, measured))
        for rule, check_spec in rules.check:
            for hit in check_kind.run(check_spec, ctx, check_spans.get(rule.id, {})):
                emit(rule, hit)
        return out

    def _findings(self, draft: Draft, found: list[tuple[Rule, Hit, Context]]) -> list[Finding]:
        if not found:
            return []
        index = LineIndex(draft.text)
        out = []
        for rule, hit, ctx in found:
            matched = ctx.text[hit.start : hit.end].lower()
            if (
                self.accept
                and KINDS[rule.kind].matching
                and any(a in matched or matched in a for a in self.accept)
            ):
                continue
            values = dict(hit.values)
            values.setdefault("match", ctx.text[hit.start : hit.end])
            message = _format(rule.message, values)
            suggestion = hit.suggestion
            if suggestion is None and rule.suggest:
                suggestion = (
                    rule.suggest[0] if len(rule.suggest) == 1 else "; or ".join(rule.suggest)
                )
            if suggestion is not None:
                suggestion = _format(suggestion, values)
            if ctx.base is None:
                # The segment is not in the file (a rendered subject): point at the start.
                start = end = 0
                message = f"{ctx.target}: {message}"
                fix = None
            else:
                # Inside the segment and never inverted, whatever a check reported.
                hit_start = min(max(hit.start, 0), len(ctx.text))
                hit_end = min(max(hit.end, hit_start), len(ctx.text))
                start, end = ctx.base + hit_start, ctx.base + hit_end
                fix = self._fix(rule, hit, ctx, suggestion)
            line, column = index.position(start)
            end_line, end_column = index.position(end)
            out.append(
                Finding(
                    rule.id,
                    rule.category,
                    rule.severity,
                    message,
                    suggestion,
                    start,
                    end,
                    line,
                    column,
                    end_line,
                    end_column,
                    fix,
                )
            )
        out.sort(key=lambda f: (f.offset, f.end_offset, -SEVERITY_RANK[f.severity], f.rule))
        # Two phrase-like rules on exactly the same words say the same thing: one squiggle.
        kept: list[Finding] = []
        for f in out:
            if (
                kept
                and (kept[-1].offset, kept[-1].end_offset) == (f.offset, f.end_offset)
                and KINDS[self.rules[f.rule].kind].matching
                and KINDS[self.rules[kept[-1].rule].kind].matching
            ):
                continue
            kept.append(f)
        return kept

    def _fix(self, rule: Rule, hit: Hit, ctx: Context, suggestion: str | None) -> Fix | None:
        # Only body text is edited: a fix inside YAML front matter could break its quoting.
        if rule.fix is None or ctx.base is None or ctx.target != "body":
            return None
        text = ctx.text
        if rule.fix == "replace":
            replacement = hit.replacement
            if replacement is None:
                single = (
                    hit.suggestion
                    if hit.suggestion is not None
                    else (rule.suggest[0] if len(rule.suggest) == 1 else None)
                )
                replacement = single
            if replacement is None:
                return None
            matched = text[hit.start : hit.end]
            if matched[:1].isupper() and replacement[:1].islower():
                replacement = replacement[:1].upper() + replacement[1:]
            how = SAFE if replacement_is_literal(replacement) else UNSAFE
            return Fix(ctx.base + hit.start, ctx.base + hit.end, replacement, how)
        if rule.fix == "delete":
            start, end = hit.start, hit.end
            if end < len(text) and text[end] == " ":
                end += 1
            elif start > 0 and text[start - 1] == " ":
                start -= 1
            how = SAFE if has_substance(text[:start] + text[end:]) else UNSAFE
            return Fix(ctx.base + start, ctx.base + end, "", how)
        # delete-sentence
        for span in ctx.features.sentences:
            if span.start <= hit.start and hit.end <= span.end:
                start, end = span.start, span.end
                while end < len(text) and text[end] in " \t":
                    end += 1
                line_start = text.rfind("\n", 0, start) + 1
                if not text[line_start:start].strip() and (end == len(text) or text[end] == "\n"):
                    # The sentence is a whole line: remove the line, and one of the blank lines
                    # around it, so no double gap is left behind.
                    start = line_start
                    if end < len(text):
                        end += 1
                    if text.startswith("\n", end) and text[max(0, start - 2) : start] == "\n\n":
                        end += 1
                elif end == len(text) or text[end] == "\n":
                    # The last sentence of a line: take the space before it, not the line break.
                    while start > line_start and text[start - 1] in " \t":
                        start -= 1
                how = deletion_applicability(text, start, end, hit.start, hit.end)
                if how == UNSAFE and keeps_content(
                    text[span.start : hit.start] + " " + text[hit.end : span.end]
                ):
                    # The sentence says more than the phrase: remove the phrase and its
                    # connective only, never the rest ("... and loved your talk at PyCon").
                    a, b, replacement = narrow_deletion(
                        text, span.start, span.end, hit.start, hit.end
                    )
                    return Fix(ctx.base + a, ctx.base + b, replacement, UNSAFE)
                return Fix(ctx.base + start, ctx.base + end, "", how)
        return None


def _disabled(rule_id: str, disabled: Sequence[str]) -> bool:
    return any(rule_id == d or rule_id.startswith(d + ".") for d in disabled)
