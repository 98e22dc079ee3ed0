"""Runs rules over Drafts: one spaCy pass per segment feeds every phrase and pattern rule at once.

Rules are compiled once per Linter into a PhraseMatcher per attribute (drafter's lemma key in
NORM, or LOWER), one Matcher for token patterns, and compiled regular expressions. Linting a
batch uses `nlp.pipe`. Findings come back with positions in the file as given.
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
from drafter.lint.checks import CHECKS
from drafter.lint.context import Context, Hit
from drafter.lint.findings import SEVERITY_RANK, Finding, Fix, LintResult, score
from drafter.lint.lemmas import lemma
from drafter.lint.metrics import METRICS
from drafter.lint.nlp import blank_pipeline, trained_pipeline
from drafter.lint.prefilter import at_boundary, required_literals, strip_leading_boundary
from drafter.lint.rules import CATEGORIES, Rule, configured_rules
from drafter.lint.safetext import tokenizable
from drafter.lint.text import Span, TextFeatures

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from drafter.core.platforms import Channel, Platform

_SEP = "\x1f"
_MATCHING = frozenset({"phrase", "pattern", "regex"})
_FIELD = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class _Compiled:
    regex: dict[str, list[tuple[re.Pattern[str], frozenset[str] | None, bool]]]
    phrase_suggestions: dict[str, str | None]


def _format(template: str, values: Mapping[str, Any]) -> str:
    return _FIELD.sub(
        lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), template
    )


def _lemma_pattern(pattern: Any, where: str) -> list[dict[str, Any]]:
    """Token patterns may use LEMMA: it means drafter's lemma key, which lives in NORM."""
    if not isinstance(pattern, list) or not all(isinstance(t, Mapping) for t in pattern):
        raise DrafterError(f"{where}: each pattern must be a list of token mappings")
    out = []
    for token in pattern:
        converted: dict[str, Any] = {}
        for key, value in token.items():
            if key == "LEMMA":
                if isinstance(value, str):
                    value = lemma(value)
                elif isinstance(value, Mapping):
                    value = {
                        op: [lemma(v) for v in vals] if isinstance(vals, list) else vals
                        for op, vals in value.items()
                    }
                converted["NORM"] = value
            else:
                converted[key] = value
        out.append(converted)
    return out


def _triggers(
    patterns: list[list[dict[str, Any]]], vocab: Any
) -> tuple[tuple[frozenset[int], ...], ...] | None:
    """Per pattern, the word sets (LOWER or NORM hashes) of its required tokens: a doc must hold a
    word of every set for that pattern to match. None means "always run" (some pattern has no
    required token with a plain word constraint)."""
    out: list[tuple[frozenset[int], ...]] = []
    for pattern in patterns:
        groups: list[frozenset[int]] = []
        for token in pattern:
            if token.get("OP") in ("?", "*", "!"):
                continue
            for attr in ("LOWER", "NORM"):
                value = token.get(attr)
                if isinstance(value, str):
                    groups.append(frozenset([vocab.strings.add(value)]))
                elif isinstance(value, Mapping) and set(value) == {"IN"}:
                    groups.append(frozenset(vocab.strings.add(str(w)) for w in value["IN"]))
        if not groups:
            return None
        out.append(tuple(sorted(groups, key=len, reverse=True)))  # big sets fail less often
    return tuple(out)


def _possible(triggers: tuple[tuple[frozenset[int], ...], ...], present: set[int]) -> bool:
    for groups in triggers:
        for group in groups:
            if present.isdisjoint(group):
                break
        else:
            return True
    return False


@dataclass(frozen=True)
class _RuleSet:
    """The rules for one platform, stage and segment, grouped once so linting is a flat loop."""

    by_id: dict[str, Rule]
    regex: tuple[Rule, ...]
    metric: tuple[tuple[Rule, float | None, float | None, float | None], ...]
    check: tuple[Rule, ...]

    @classmethod
    def of(cls, rules: Iterable[Rule], platform: str | None, stage: str | None) -> _RuleSet:
        rules = list(rules)
        return cls(
            by_id={r.id: r for r in rules},
            regex=tuple(r for r in rules if r.kind == "regex"),
            metric=tuple(
                (
                    r,
                    r.threshold("min_words", platform, stage),
                    r.threshold("max", platform, stage),
                    r.threshold("min", platform, stage),
                )
                for r in rules
                if r.kind == "metric"
            ),
            check=tuple(r for r in rules if r.kind == "check"),
        )


class Linter:
    """Compiled rules plus the shared pipeline; cheap to call, expensive only to build."""

    def __init__(
        self,
        rules: Mapping[str, Rule],
        *,
        platforms: Mapping[str, Platform] | None = None,
        free_account: bool = False,
        accept: Sequence[str] = (),
        model: str | None = None,
    ) -> None:
        from spacy.matcher import Matcher, PhraseMatcher

        self.rules = dict(rules)
        self.platforms: dict[str, Platform] = dict(platforms or {})
        self.free_account = free_account
        self.accept = tuple(a.lower() for a in accept)
        self.model = model
        self.nlp = blank_pipeline()
        self._trained = trained_pipeline(model) if model else None
        vocab = self.nlp.vocab
        self._phrases = {
            "NORM": PhraseMatcher(vocab, attr="NORM"),
            "LOWER": PhraseMatcher(vocab, attr="LOWER"),
        }
        # One Matcher per pattern rule, run only when the doc holds the words a pattern needs:
        # spaCy's Matcher tries every pattern at every token, which dominated lint time.
        self._matchers: list[tuple[str, Any, tuple[tuple[frozenset[int], ...], ...] | None]] = []
        from spacy.attrs import LOWER, NORM

        self._anchor_attrs = [LOWER, NORM]
        regex: dict[str, list[tuple[re.Pattern[str], frozenset[str] | None, bool]]] = {}
        suggestions: dict[str, str | None] = {}
        for rule in self.rules.values():
            where = f"{rule.source}: rule '{rule.id}'"
            if rule.kind == "phrase":
                attr = "LOWER" if rule.params.get("match") == "lower" else "NORM"
                items = rule.params.get("phrases") or []
                if not isinstance(items, list) or not items:
                    raise DrafterError(f"{where}: 'phrases' must be a non-empty list")
                for i, item in enumerate(items):
                    phrase, suggestion = self._phrase_item(item, where)
                    key = f"{rule.id}{_SEP}{i}"
                    suggestions[key] = suggestion
                    self._phrases[attr].add(key, [self.nlp.make_doc(phrase)])
            elif rule.kind == "pattern":
                patterns = rule.params.get("patterns")
                if not isinstance(patterns, list) or not patterns:
                    raise DrafterError(f"{where}: 'patterns' must be a non-empty list")
                try:
                    compiled = [_lemma_pattern(p, where) for p in patterns]
                    matcher = Matcher(vocab)
                    matcher.add(rule.id, compiled, greedy="LONGEST")
                    self._matchers.append((rule.id, matcher, _triggers(compiled, vocab)))
                except (ValueError, KeyError, TypeError) as exc:
                    detail = [ln.strip("- ") for ln in str(exc).splitlines() if ln.startswith("- ")]
                    raise DrafterError(
                        f"{where}: invalid token pattern: {detail[0] if detail else exc}"
                    ) from None
            elif rule.kind == "regex":
                raw = rule.params.get("regex")
                items = [raw] if isinstance(raw, str) else raw
                if (
                    not isinstance(items, list)
                    or not items
                    or not all(isinstance(r, str) for r in items)
                ):
                    raise DrafterError(f"{where}: 'regex' must be a pattern or a list of patterns")
                group = rule.params.get("group", 0)
                if not isinstance(group, str) and not (
                    isinstance(group, int) and not isinstance(group, bool) and group >= 0
                ):
                    raise DrafterError(f"{where}: 'group' must be a group name or a number >= 0")
                flags = re.IGNORECASE if rule.params.get("ignore_case") else 0
                try:
                    compiled_rx = []
                    for r in items:
                        re.compile(r, flags | re.MULTILINE)  # errors name the pattern as written
                        fast, boundary = strip_leading_boundary(r, flags)
                        rx = re.compile(fast, flags | re.MULTILINE)
                        compiled_rx.append((rx, required_literals(r, flags), boundary))
                    regex[rule.id] = compiled_rx
                except re.error as exc:
                    raise DrafterError(f"{where}: invalid regular expression: {exc}") from None
            elif rule.kind == "metric":
                if rule.params.get("metric") not in METRICS:
                    raise DrafterError(
                        f"{where}: unknown metric; known: {', '.join(sorted(METRICS))}"
                    )
                if rule.params.get("max") is None and rule.params.get("min") is None:
                    raise DrafterError(f"{where}: a metric rule needs 'max' or 'min'")
            elif rule.kind == "check":
                if rule.params.get("check") not in CHECKS:
                    raise DrafterError(
                        f"{where}: unknown check; known: {', '.join(sorted(CHECKS))}"
                    )
                params = rule.params.get("params") or {}
                if not isinstance(params, Mapping):
                    raise DrafterError(f"{where}: 'params' must be a mapping")
                for pname, values in params.items():
                    numeric = pname in ("ratio", "max", "min") or pname.startswith(("min_", "max_"))
                    if numeric and (
                        not isinstance(values, int | float)
                        or isinstance(values, bool)
                        or values < 0
                    ):
                        raise DrafterError(f"{where}: params.{pname} must be a number >= 0")
                    if pname.endswith("_phrases"):
                        if not isinstance(values, list) or not all(
                            isinstance(v, str) for v in values
                        ):
                            raise DrafterError(f"{where}: params.{pname} must be a list of phrases")
                        self._phrases["NORM"].add(
                            f"{rule.id}{_SEP}{pname}", [self.nlp.make_doc(v) for v in values]
                        )
        self._compiled = _Compiled(regex=regex, phrase_suggestions=suggestions)
        self._active_cache: dict[tuple[str | None, str | None, str], _RuleSet] = {}

    @staticmethod
    def _phrase_item(item: Any, where: str) -> tuple[str, str | None]:
        if isinstance(item, str):
            return item, None
        if isinstance(item, Mapping) and isinstance(item.get("phrase"), str):
            suggestion = item.get("suggest")
            return item["phrase"], None if suggestion is None else str(suggestion)
        raise DrafterError(f"{where}: each phrase is text or a mapping with 'phrase' and 'suggest'")

    @classmethod
    def from_config(
        cls,
        config: Config,
        *,
        platforms: Mapping[str, Platform] | None = None,
        free_account: bool | None = None,
    ) -> Linter:
        if platforms is None:
            from drafter.core.platforms import load_platforms

            platforms = load_platforms(list(config.templates))
        return cls(
            configured_rules(config),
            platforms=platforms,
            free_account=config.free_account if free_account is None else free_account,
            accept=config.accept,
            model=config.model,
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

        def emit(rule: Rule, hit: Hit) -> None:
            """Keep the first of overlapping hits of one rule."""
            starts, ends = seen.setdefault(rule.id, ([], []))
            i = bisect.bisect_left(starts, hit.end)
            # Kept spans before i start before this hit ends; the last of them ends latest.
            if i and ends[i - 1] > hit.start:
                return
            starts.insert(i, hit.start)
            ends.insert(i, hit.end)
            out.append((rule, hit))

        phrase_hits: list[tuple[Rule, Hit]] = []
        strings = self.nlp.vocab.strings
        suggestions = self._compiled.phrase_suggestions
        for matcher in self._phrases.values():
            for match_id, start, end in matcher(doc):
                key = strings[match_id]
                rule_id, _, tail = key.partition(_SEP)
                rule = by_id.get(rule_id)
                if rule is None:
                    continue
                s, e = doc[start].idx, doc[end - 1].idx + len(doc[end - 1])
                if rule.kind == "check":
                    check_spans.setdefault(rule_id, {}).setdefault(tail, []).append((s, e))
                    continue
                hit = Hit(s, e, values={"match": text[s:e]}, suggestion=suggestions.get(key))
                phrase_hits.append((rule, hit))
        present: set[int] | None = None
        for rule_id, matcher, trigger in self._matchers:
            pattern_rule = by_id.get(rule_id)
            if pattern_rule is None:
                continue
            if trigger is not None:
                if present is None:
                    hashes: Any = doc.to_array(self._anchor_attrs).ravel().tolist()
                    present = set(hashes)
                if not _possible(trigger, present):
                    continue
            for _match_id, start, end in matcher(doc):
                s, e = doc[start].idx, doc[end - 1].idx + len(doc[end - 1])
                phrase_hits.append((pattern_rule, Hit(s, e, values={"match": text[s:e]})))
        # Longest match first, so "I came across your profile" wins over "came across".
        phrase_hits.sort(key=lambda rh: (rh[1].start, -(rh[1].end - rh[1].start)))
        for rule, hit in phrase_hits:
            emit(rule, hit)
        lowered: str | None = None
        for rule in rules.regex:
            group = rule.params.get("group", 0)
            for rx, literals, boundary in self._compiled.regex[rule.id]:
                if literals is not None:
                    if lowered is None:
                        lowered = text.lower()
                    for lit in literals:
                        if lit in lowered:
                            break
                    else:
                        continue
                for m in _finditer(rx, text, boundary):
                    g = (
                        group
                        if group in rx.groupindex or (isinstance(group, int) and group <= rx.groups)
                        else 0
                    )
                    s, e = m.span(g) if m.group(g) is not None else m.span()
                    if e > s:
                        emit(rule, Hit(s, e, values={"match": text[s:e]}))
        for rule, min_words, high, low in rules.metric:
            measured = self._metric(rule, ctx, min_words, high, low)
            if measured is not None:
                out.append((rule, measured))
        for rule in rules.check:
            params = rule.params.get("params") or {}
            for hit in CHECKS[rule.params["check"]](ctx, params, check_spans.get(rule.id, {})):
                emit(rule, hit)
        return out

    def _metric(
        self,
        rule: Rule,
        ctx: Context,
        min_words: float | None,
        high: float | None,
        low: float | None,
    ) -> Hit | None:
        if min_words is not None and ctx.features.word_count < min_words:
            return None
        value, span = METRICS[rule.params["metric"]](ctx)
        if high is not None and value > high:
            bound = high
        elif low is not None and value < low:
            bound = low
        else:
            return None
        if callable(span):
            span = span()
        span = span or Span(0, len(ctx.text.rstrip()))
        fmt = int(value) if float(value).is_integer() else value
        bound_fmt = int(bound) if float(bound).is_integer() else bound
        values = {
            "value": fmt,
            "max": bound_fmt,
            "min": bound_fmt,
            "match": ctx.text[span.start : span.end],
        }
        return Hit(span.start, span.end, values=values)

    def _findings(self, draft: Draft, found: list[tuple[Rule, Hit, Context]]) -> list[Finding]:
        if not found:
            return []
        index = LineIndex(draft.text)
        out = []
        for rule, hit, ctx in found:
            matched = ctx.text[hit.start : hit.end].lower()
            if (
                self.accept
                and rule.kind in ("phrase", "pattern", "regex")
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
                and self.rules[f.rule].kind in _MATCHING
                and self.rules[kept[-1].rule].kind in _MATCHING
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
            return Fix(ctx.base + hit.start, ctx.base + hit.end, replacement)
        if rule.fix == "delete":
            start, end = hit.start, hit.end
            if end < len(text) and text[end] == " ":
                end += 1
            elif start > 0 and text[start - 1] == " ":
                start -= 1
            return Fix(ctx.base + start, ctx.base + end, "")
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
                return Fix(ctx.base + start, ctx.base + end, "")
        return None


def _finditer(rx: re.Pattern[str], text: str, boundary: bool) -> Iterable[re.Match[str]]:
    """finditer, or, for a pattern whose leading \\b was stripped, the matches that start at a
    word boundary, searching again one character later after a rejected one (as re would)."""
    if not boundary:
        yield from rx.finditer(text)
        return
    pos = 0
    while pos <= len(text):
        m = rx.search(text, pos)
        if m is None:
            return
        if at_boundary(text, m.start()):
            yield m
            pos = m.end() if m.end() > m.start() else m.start() + 1
        else:
            pos = m.start() + 1


def _disabled(rule_id: str, disabled: Sequence[str]) -> bool:
    return any(rule_id == d or rule_id.startswith(d + ".") for d in disabled)
