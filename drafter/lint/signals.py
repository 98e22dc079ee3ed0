"""Verdicts from combined signals, for messages that no single phrase gives away.

A pitch is rarely one phrase. "We offer", "our services", "$499", "book a call" each occur in
honest messages; two or three of them in one or two sentences do not. Each family below is a
general shape (the sender's business as the subject, an offering verb, a commercial noun, a price
or outcome claim, a call to book time), matched by one compiled regular expression over the
lowered text, so a check costs a few regex scans. Findings point at the words that fired and
name their families, so the reader sees why.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from drafter.lint.context import Context, Hit
from drafter.lint.kinds.check import NoParams, PhraseSpans, register
from drafter.lint.scan import faster
from drafter.lint.text import Span

_A = r"(?:an?\s+|the\s+)?"

# The sender's business as the subject: "we provide", "our team", "I'm Ana from Acme",
# "Acme Solutions offers", "on behalf of", "our client".
SELLER = re.compile(
    r"\b(?:our|my)\s+(?:[\w-]+\s+){0,2}?(?:company|agency|firm|clients?|experts?|consultants?|services?|"
    r"solutions?|platform|business|writers?)\b"
    r"|\bwe(?:'re|’re|\s+are)?\s+(?:an?\s+)?(?:\w+\s+){0,2}?(?:offer|provide|build|develop|"
    r"specialis|specializ|help|deliver|create|work\s+with|partner|agency|company|team|"
    r"consultancy|studio|platform|startup|firm)\w*"
    # "I'm Ana from Acme", not "I'm pretty satisfied with" or "I'm a big fan of":
    r"|\b(?:i\s+am|i'm|i’m|this\s+is|my\s+name\s+is)\s+(?!(?:so|very|really|pretty|quite|also|"
    r"just|still|not|currently|happy|glad|satisfied|interested|excited|working|proud|part|one|"
    r"familiar|aware|sure|sorry|grateful|thankful|impressed|curious|new)\b)[a-z]+,?\s+"
    r"(?:\w+\s+){0,3}?"
    r"(?:from|with|at|of)\s+(?!your\b|the\s+(?:team|project)\b)"
    r"|\bi\s+represent\b|\bon\s+behalf\s+of\b"
    r"|\bwe(?:'re|’re|\s+are)\s+(?:an?\s+)?(?:[\w-]+\s+){0,3}?(?:studio|manufacturer|supplier|vendor|"
    r"provider|agency|consultancy|firm|company|startup|marketplace|freelancers?)\b"
    r"|\bwe(?:'re|’re|\s+are)\s+(?:currently\s+)?hiring\b"
    # Staffing: "we place vetted senior developers", "we source designers".
    r"|\bwe\s+(?:place|source|supply)\s+(?:[\w-]+\s+){0,3}?(?:engineers|developers|designers|"
    r"candidates|talent|professionals|staff|freelancers|contractors|specialists|experts|writers)\b"
    # A recruiter's shapes: "the roles we are filling", "found your profile in our database".
    r"|\b(?:roles?|positions?)\s+(?:we(?:'re|’re|\s+are)\s+)(?:filling|hiring\s+for|recruiting\s+for)\b"
    r"|\bour\s+(?:candidate\s+)?database\b"
    # Selling one's own work or product: "I'm a freelance designer", "our bootcamp is $299".
    r"|\bi(?:'m|’m|\s+am)\s+an?\s+(?:\w+\s+)?(?:freelancer|freelance|consultant|contractor)\b"
    r"|\bi\s+(?:run|own|manage)\s+(?:an?\s+)?(?:[\w-]+\s+){0,3}?(?:shop|agency|firm|"
    r"consultancy)\b|\blaunch(?:ing|ed)?\s+(?:my|our)\b"
    r"|\b(?:our|my)\s+(?:new\s+)?(?:course|bootcamp|workshop|product|newsletter|"
    r"masterclass|coaching|membership)\b"
    r"|\bi(?:'m|’m|\s+am)\s+(?:the\s+|a\s+)?(?:co-?)?(?:founder|ceo|cto|owner|head\s+of\s+\w+)\s+(?:of|at)\b"
    r"|\bi\s+help\s+(?:[a-z-]+\s+){0,2}?[a-z]+s\s+(?:get|grow|find|win|land|make|save|sell|"
    r"increase|double|scale|build)\b"
    r"|\bwe(?:'ve|’ve|\s+have)\s+(?:just\s+)?(?:put\s+together|created|built|launched|published)\b"
    r"|\b(?:technical\s+)?recruiter\b|\b(?:solutions|technologies|labs|agency|"
    r"software|studios|media|digital|inc|llc|ltd)\s+(?:offers|provides|helps|delivers|"
    r"specializes|specialises|is\s+a)\b",
)
# Offering something for them to take: "we offer", "I can provide", "help you grow",
# "would love to share how", "we're acquiring", "feature you".
OFFER = re.compile(
    r"\b(?:offer(?:s|ing)?|provid(?:e|es|ing)|deliver(?:s|ing)?|specializ\w*|specialis\w*|"
    r"acquir(?:e|es|ing)|monetiz\w*|monetis\w*|outsourc\w*|showcase|sponsor\s+(?:a|your)|"
    r"purchase|buy(?:ing)?)\b"
    r"|\b(?:can|could|will|would\s+love\s+to|(?:happy|glad|delighted)\s+to|able\s+to)\s+(?:help|assist|support|take\s+over|"
    r"build|design|develop|create|fix|boost|increase|improve|grow|get\s+you|take\s+care|write|"
    r"redesign|manage|handle)\b"
    r"|\bhelp(?:s|ing)?\s+(?:you|your|businesses|companies|brands|startups|teams|"
    r"organi[sz]ations|clients|founders|people)\b"
    r"|\b(?:share|show)\s+(?:you\s+)?how\s+(?:we|our|i)\b"
    r"|\binvite\s+you\s+to\s+(?:advertise|sponsor|partner|try|join\s+our)\b|\badverti[sz]\w*"
    r"|\bbecome\s+your\s+(?:supplier|vendor|partner|provider)\b|\bfree\s+(?:access|trial|month)\b"
    r"|\bcheck\s+out\s+(?:my|our)\s+(?:new\s+)?(?:course|product|app|book|tool|service|offer)\b"
    r"|\bwe(?:'ll|’ll|\s+will|\s+can|\s+would)?\s+pay\b|\bfeature\s+you\b|\b(?:to|and)\s+sell\b|\b(?:ordering|to\s+order|place\s+an\s+order)\b"
    # A job on offer: "I have a couple of Rails positions", "we have an opening"
    r"|\b(?:i|we)\s+have\s+(?:an?\s+|a\s+couple\s+of\s+|a\s+few\s+|several\s+|some\s+)?"
    r"(?:[\w-]+\s+){0,4}?(?:positions?|roles?|openings?|vacanc\w+)\b"
    # Proposing to work for or with them, or to place something of ours with them: "I'd like to
    # introduce our", "wanna work with you", "pitch you a story", "write a guest post for you".
    r"|\b(?:like|love|want|wanna)\s+to\s+(?:introduce\s+(?:you\s+to\s+)?our|pitch|propose|"
    r"work\s+(?:with|for)\s+you|partner\s+with|collaborate\s+with\s+you|contribute\s+an?\s+"
    r"(?:article|guest))\b"
    r"|\bwrite\s+(?:a\s+|an\s+)?(?:guest\s+post|article|sponsored)\b"
    # A story offered to an editor; asking who decides on buying.
    r"|\bstory\s+(?:idea|pitch|angle)\b"
    r"|\bwho\s+(?:handles|is\s+in\s+charge\s+of|is\s+responsible\s+for|makes\s+(?:the\s+)?decisions)\b",
)
# Commercial nouns: what is being sold, bought or measured.
COMMERCIAL = re.compile(
    r"\b(?:services?|solutions?|pricing|price[sd]?|costs?|rates?|quotes?|proposal|"
    r"subscriptions?|plans?|clients?|customers?|leads|traffic|rankings?|seo|"
    r"backlinks?|guest\s+posts?|sponsored|link\s+placement|revenue|roi|sales|marketing|"
    r"conversions?|visibility|partnership|investment|database|email\s+list|contacts|"
    r"monetization|monetisation|income|agency|vendor|outsourcing|development\s+company|"
    r"business\s+development|growth|audience|codebases?|acquisition|deal|discount|"
    r"budget|fee|fees|trial|demo|product|platform|offer|marketplace|premium|listing|payment|"
    r"relocation|sponsorship|link\s+back|backlink|press\s+release|affiliate|commission|"
    r"salary|compensation|webinar|white[- ]label|collaboration|investors?|commercial\s+potential|"
    r"prizes?|freelance\s+work|contract\s+work|contractors?)\b"
    r"|\blink\s+to\s+(?:our|my)\s+(?:guide|site|website|page|article|post|tool|resource)",
)
# A price or an outcome claim: "$299", "USD 800", "30%", "per month", "boost your rankings".
CLAIM = re.compile(
    # Prices and percentages start with a symbol or a digit, so `re` can skip ahead to them.
    r"[$€£]\s?\d|\d(?<![\w.]\d)[\d,.]*\s?(?:usd|eur|gbp|dollars|euros|%)"
    r"|usd\s?\d"
    r"|\bper\s+(?:month|year|hour|record|user|seat|contact)\b"
    r"|\b(?:boost|increase|double|triple|grow|maximi[sz]e|skyrocket)\w*\s+(?:your\s+)?\w+"
    r"|\bsave\s+(?:you\s+)?(?:time|money|hours|\d)|\bcompetitive\s+(?:rates?|prices?|pricing)"
    r"|\b(?:rates?|prices?|pricing|fees?)\s+(?:are|is)\s+(?:very\s+|quite\s+|really\s+)?"
    r"(?:competitive|affordable|reasonable|low|flexible)\b"
    # An outcome promised to them: "help your team ship faster", "get you more leads".
    r"|\bhelp\s+(?:you|your\s+\w+)\s+(?:\w+\s+){0,2}?(?:faster|quicker|cheaper|better|more\s+\w+)\b"
    r"|\b(?:affordable|cost[- ]effective|high[- ]quality|result[- ]driven|guaranteed?|"
    r"top[- ]rated|best[- ]in[- ]class|world[- ]class|cutting[- ]edge|ai[- ]powered|"
    r"limited\s+(?:spots|time|offer|seats)|passive\s+income|free\s+of\s+charge|no\s+cost|"
    r"low\s+(?:price|cost|rates?)|leading)\b"
    r"|\b\d+\s+(?:new\s+)?(?:clients|customers|leads|sales|users|subscribers|bookings)\b"
    r"|\b(?:earn|make|save)\s+up\s+to\b|\b\d+x\s+(?:faster|more|better|cheaper)\b"
    r"|\b\d+\s+(?:engineers|developers|designers|writers|experts|specialists)\b"
    r"|\b(?:million|billion)[- ]dollar\b|\b(?:six|seven|\d)[- ]figures?\b"
    r"|\byour\s+(?:readers|audience|listeners|viewers|followers|subscribers|users)\s+(?:will|would)\s+"
    r"(?:love|enjoy|benefit)"
    # Speed and vetting promised: "in under two weeks", "pre-vetted", "no upfront fee".
    r"|\bin\s+(?:under|less\s+than)\s+(?:\w+\s+)?(?:hours?|days?|weeks?|months?)\b"
    r"|\b(?:pre-?)?vetted\b|\bno\s+(?:upfront\s+|hidden\s+)?fees?\b"
    r"|\b(?:exciting|incredible|amazing|unique|exclusive|lucrative)\s+(?:\w+\s+)?"
    r"(?:opportunit(?:y|ies)|offer|deal|chance)\b",
)
# A call to book time or to buy: "schedule a call", "15 minutes", "discovery call", "if you
# are interested".
BOOK = re.compile(
    r"\b(?:schedule|book|set\s+up|arrange|hop\s+on|jump\s+on|have|get\s+on)\s+(?:a\s+|an\s+)?"
    r"(?:quick\s+|short\s+|brief\s+|free\s+|discovery\s+|intro\w*\s+|\d+[- ]?min\w*\s+)?"
    r"(?:call|chat|meeting|demo|zoom|session|consultation)\b"
    r"|\b\d+\s?(?:-\s?)?(?:minutes?|mins?)\b|\bcalendly\b|\bdiscovery\s+call\b"
    r"|\b(?:let\s+me\s+know\s+if|if)\s+you(?:'re|’re|\s+are)?\s+(?:would\s+be\s+)?interested\b"
    r"|\b(?:are|would)\s+you\s+(?:be\s+)?(?:interested|open)\s+(?:in|to)\b"
    r"|\bworth\s+a\s+(?:chat|call|look|conversation)\b"
    r"|\bconsider\s+selling\b|\bopen\s+to\s+offers\b|\bmake\s+(?:you\s+)?an\s+offer\b"
    r"|\bto\s+participate\b|\bavailable\s+for\s+(?:freelance|contract|consulting)\b|\binterested\s*\?|\bsee\s+it\s+in\s+action\b"
    # Scarcity and deadlines push to buy now: "three slots are left", "early-bird price ends".
    r"|\b(?:slots?|spots?|seats?|places?)\s+(?:are\s+|is\s+)?(?:left|remaining|available)\b"
    r"|\bearly[- ]bird\b|\breserve\s+(?:yours|your\s+(?:spot|seat|place)|a\s+(?:spot|seat|place))\b"
    r"|\b(?:a\s+good|the\s+best)\s+time\s+(?:to|for)\s+(?:a\s+)?(?:talk|chat|call|connect|meet)"
    r"|\blet\s+me\s+know\s+(?:a|what)\s+(?:good\s+)?time\b"
    r"|\bnext\s+week\s+for\s+a\b"
    r"|\bsign\s+up\s+(?:here|now|today|for\s+(?:a|the|our))\b|\bregister\s+(?:here|now|today)\b"
    r"|\b(?:would|does)\s+(?:it|this|that)\s+make\s+sense\b"
    r"|\b(?:would|will)\s+you\s+consider\s+(?:an?\s+)?(?:offer|selling|partnering)\b"
    r"|\bon\s+(?:your|their|his|her)\s+calendar\b"
    r"|\bopen\s+to\s+(?:a\s+)?(?:quick\s+|short\s+|brief\s+)?(?:call|chat|conversation|meeting)\b"
    # The reader asked to hear the sender out ("open to hearing more?"), not the sender asking
    # to hear about the reader's work ("I'd love to hear more about your talk").
    r"|\b(?:open|interested|keen)\s+(?:to|in)\s+(?:hearing|learning)\s+more\b"
    r"|\b(?:want|like)\s+to\s+(?:hear|learn)\s+more\s*\?",
)

FAMILIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("seller", SELLER),
    ("offer", OFFER),
    ("commercial", COMMERCIAL),
    ("claim", CLAIM),
    ("booking", BOOK),
)
_BY_NAME = dict(FAMILIES)
FAMILY_NAMES = tuple(_BY_NAME)
LABELS = {
    "seller": "your business as the subject",
    "offer": "an offer",
    "commercial": "a commercial word",
    "claim": "a price or outcome claim",
    "booking": "a call to book time",
}


@dataclass(frozen=True)
class Signal:
    family: str
    start: int
    end: int


def signals(lowered: str, families: Sequence[str] | None = None) -> list[Signal]:
    """Every match of the named families (default: all) in the lowered text, in text order."""
    out: list[Signal] = []
    for name in FAMILY_NAMES if families is None else families:
        rx = faster(_BY_NAME[name])  # the same matches, found sooner (drafter.lint.scan)
        out.extend(Signal(name, m.start(), m.end()) for m in rx.finditer(lowered))
    out.sort(key=lambda s: s.start)
    return out


@dataclass(frozen=True)
class Window:
    span: Span
    found: tuple[Signal, ...]

    @property
    def families(self) -> frozenset[str]:
        return frozenset(s.family for s in self.found)


def windows(found: Sequence[Signal], sentences: Sequence[Span], width: int = 2) -> list[Window]:
    """Each run of `width` consecutive sentences that holds a signal, with its signals."""
    out: list[Window] = []
    for i in range(len(sentences)):
        lo = sentences[i].start
        hi = sentences[min(i + width, len(sentences)) - 1].end
        inside = tuple(s for s in found if lo <= s.start < hi)
        if inside:
            out.append(Window(Span(lo, hi), inside))
    return out


def _sells(families: frozenset[str], enough: int) -> bool:
    return len(families) >= enough or (
        len(families) >= 2 and bool(families & _ACTORS) and bool(families & _OBJECTS)
    )


def pitch_verdict(
    lowered: str,
    sentences: Sequence[Span],
    *,
    window_families: int = 3,
    message_families: int = 4,
    width: int = 3,  # a pitch often spreads over three sentences: who, what, the ask
) -> Window | None:
    """A pitch when up to `width` sentences hold `window_families` families (or an actor and an
    object of a sale), or the whole message holds `message_families` of them.

    Every verdict needs an object of sale (a commercial word, a claim, a booking) and either an
    actor or all three objects, so the cheap families run first and most messages stop early."""
    found = signals(lowered, ("seller", "offer"))
    if found:
        found += signals(lowered, ("booking", "commercial", "claim"))
        if all(s.family in _ACTORS for s in found):
            return None
    else:
        if window_families > len(_OBJECTS):
            return None
        for name in ("booking", "commercial", "claim"):
            more = signals(lowered, (name,))
            if not more:
                return None
            found += more
    found = _one_per_span(found)
    candidates = windows(found, sentences, width)
    if not candidates:
        return None
    for window in candidates:
        if _sells(window.families, window_families):
            return window
    everywhere = frozenset(s.family for s in found)
    if len(everywhere) >= message_families:
        return max(candidates, key=lambda w: len(w.families))
    return None


def _one_per_span(found: list[Signal]) -> list[Signal]:
    """A word counts for one family only: "offer" is an offering verb or a commercial noun,
    never both; the family listed first wins."""
    rank = {name: i for i, name in enumerate(FAMILY_NAMES)}
    found.sort(key=lambda s: (s.start, rank[s.family]))
    kept: list[Signal] = []
    for signal in found:
        if kept and (kept[-1].start, kept[-1].end) == (signal.start, signal.end):
            continue
        kept.append(signal)
    return kept


def cached_pitch(
    ctx: Context, window_families: int = 3, message_families: int = 4
) -> Window | None:
    """pitch_verdict once per segment: pitch.combined and generic.mass-pitch both ask."""
    cache = ctx.features.__dict__.setdefault("_pitch", {})
    key = (window_families, message_families)
    if key not in cache:
        cache[key] = pitch_verdict(
            ctx.features.lower,
            ctx.features.sentences,
            window_families=window_families,
            message_families=message_families,
        )
    found: Window | None = cache[key]
    return found


# Two families suffice when someone sells (the sender's business, an offer) something
# (a commercial word, a price or claim, a booking); a price next to a noun is just a fact.
_ACTORS = frozenset({"seller", "offer"})
_OBJECTS = frozenset({"commercial", "claim", "booking"})


def describe(window: Window, text: str, limit: int = 3) -> str:
    """'"our services" (a commercial word), "$499" (a price or outcome claim)'."""
    seen: dict[str, Signal] = {}
    for s in window.found:
        seen.setdefault(s.family, s)
    parts = [f'"{text[s.start : s.end].strip()}" ({LABELS[s.family]})' for s in seen.values()]
    return ", ".join(parts[:limit])


def merged(found: Iterable[Signal]) -> list[tuple[int, int]]:
    spans = sorted((s.start, s.end) for s in found)
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def as_mapping(window: Window, text: str) -> Mapping[str, str]:
    return {"signals": describe(window, text), "match": text[window.span.start : window.span.end]}


@dataclass(frozen=True)
class PitchParams:
    window_families: int = 3  # families in one or two sentences that make a pitch
    message_families: int = 4  # families in the whole message that make a pitch


@register("pitch-signals", PitchParams)
def pitch_check(ctx: Context, params: PitchParams, _: PhraseSpans) -> Iterable[Hit]:
    """The first one or two sentences that sell, named by the signals that fired."""
    window = cached_pitch(ctx, params.window_families, params.message_families)
    if window is not None:
        yield Hit(window.span.start, window.span.end, values=dict(as_mapping(window, ctx.text)))


# ---- follow-ups that nag -------------------------------------------------------------------

# Pointing at silence: "haven't heard back", "no response yet", "any updates?", "still waiting".
SILENCE = re.compile(
    r"\b(?:have\s*n[o']t|haven[’']t|has\s*n[o']t|hasn[’']t|did\s*n[o']t|didn[’']t|not\s+yet)\s+"
    r"(?:\w+\s+)?(?:heard|received|got(?:ten)?|had|seen)\s+(?:back|anything|a\s+word|from\s+you|a\s+(?:reply|"
    r"response|answer)|any\s+(?:reply|response|feedback|answer|word|update|comment|"
    r"acknowledge?ment|confirmation))"
    r"|\bno\s+(?:reply|response|answer|feedback|word)\s+(?:yet|so\s+far|from\s+you)"
    r"|\b(?:no|without)\s+(?:a\s+|any\s+)?(?:response|reply|answer|comment)s?\s+(?:from|since|for|in)"
    r"|\bwithout\s+(?:a\s+|any\s+)?(?:response|reply|answer)\b"
    r"|\b(?:any|some)\s+updates?\s*(?:on\s+this\s*)?\?"
    r"|\bstill\s+(?:waiting|no\s+(?:reply|response|word))\b"
    r"|\b(?:awaiting|anticipating)\s+(?:your\s+)?(?:\w+\s+)?(?:reply|response|feedback|answer)"
    r"|\bhope\s+you\s+(?:have\s+)?received\s+my\b"
    r"|\bemailing\s+again\b|\bwriting\s+(?:again|once\s+more|one\s+more\s+time)\b|\basking\s+again\b"
    r"|\bany\s+news\s*\?"
    # Asking where things stand: "any progress on this?", "any ETA for the fix?"
    # Only about the thread itself: "any progress on the Rust port?" is curiosity about theirs.
    r"|\bany\s+(?:progress|movement|eta|news|updates?)\s*(?:(?:on|for|with|about)\s+(?:this|that|"
    r"it|my|our|the\s+(?:fix|pr|issue|request|merge|release|review))\b[^.!?\n]{0,30})?\?"
    # How long their part has waited: "it's been open for two weeks".
    r"|\bbeen\s+(?:open|waiting|pending|sitting|unanswered|ignored)\s+(?:here\s+|there\s+|around\s+|"
    r"untouched\s+|idle\s+)?(?:for\s+)?(?:over\s+|almost\s+|"
    r"about\s+|more\s+than\s+)?(?:\d+|a|an|one|two|three|four|five|six|several|a\s+few|many)\s+"
    r"(?:days?|weeks?|months?)\b"
    r"|\b(?:ping(?:ing)?|bump(?:ing)?|nudg(?:e|ing)|remind(?:ing)?)\s+you\s+again\b"
    # Time spent waiting, or what they have not done yet: "waiting since May", "been waiting
    # three weeks", "you have not yet opened the invoice".
    r"|\bwaiting\s+(?:since|for\s+(?:over\s+|about\s+|almost\s+)?(?:\w+\s+)?(?:days|weeks|months))\b"
    r"|\byou\s+(?:have\s+not|haven[’']t|did\s*n[o'’]t)\s+(?:yet\s+)?(?:checked|opened|replied|"
    r"responded|answered|read|seen|looked|signed|paid|reviewed)\b",
)
# The sender's own earlier message and how long ago: "I sent you a message two weeks ago",
# "my previous email", "the PR I submitted 8 days ago".
EARLIER = re.compile(
    r"\b(?:i|we)\s+(?:have\s+|had\s+)?(?:sent|emailed|messaged|wrote|written|reached\s+out|"
    r"contacted|dropped|popped|submitted|made|opened|pinged|left)\b[^.?!\n]{0,60}?"
    r"\b(?:ago|back|earlier|before|previously|last\s+(?:week|month))\b"
    r"|\bmy\s+(?:previous|earlier|last|prior|first)\s+(?:e-?mails?|messages?|notes?|requests?|"
    r"comments?|letters?)\b"
    r"|\b(?:wanted|want|writing|just)\s+to\s+follow\s+up\b",
)
# Pressing for an answer or a meeting: "at your earliest convenience", "can we schedule a call".
PRESSURE = re.compile(
    r"\bat\s+your\s+earliest\s+convenience\b|\basap\b|\burgent(?:ly)?\b"
    r"|\bplease\s+(?:respond|reply|check|get\s+back|confirm|advise)\b"
    r"|\b(?:can|could)\s+(?:we|you)\s+(?:please\s+)?(?:schedule|set\s+up|book|arrange|hop\s+on|"
    r"jump\s+on|have\s+a\s+call)\b"
    r"|\b(?:swift|earliest|prompt|quick)\s+(?:response|reply)\b|\bshame\s+on\b"
    r"|\b(?:any|an)\s+update\b|\bis\s+(?:there\s+)?(?:any|some)one\s+(?:there|here)\b"
    # Asking them to act on the earlier thing: "can anyone confirm", "could you please check".
    r"|\b(?:can|could)\s+(?:you|anyone|someone|somebody)\s+(?:please\s+)?(?:confirm|check|"
    r"merge|review|respond|reply|process|approve|take\s+a\s+look)\b"
    # Asking when their part will be done: "any chance this could get merged soon?"
    r"|\bany\s+chance\s+(?:this|it|that)\s+(?:could|can|will|might)\s+(?:get|be)\s+(?:merged|"
    r"reviewed|released|looked\s+at)\b|\bblocking\s+(?:our|my|the)\s+(?:release|launch|deploy\w*|work)\b"
    r"|\b(?:do\s*n[o'’]t|not)\s+want\s+you\s+to\s+miss\b"
    # A deadline on their answer: "let me know either way by Friday", "reply by end of day".
    r"|\blet\s+me\s+know\s+either\s+way\b"
    r"|\b(?:let\s+me\s+know|reply|respond|get\s+back\s+to\s+me|confirm|decide)\b[^.?!\n]{0,25}?"
    r"\bby\s+(?:end\s+of\s+(?:the\s+)?(?:day|week)|eod|eow|tomorrow|tonight|(?:this\s+|next\s+)?"
    r"(?:monday|tuesday|wednesday|thursday|friday))\b",
)


# A lone "Hello?" or "Anyone?" on a line calls into silence. Kept out of SILENCE: a branch that
# can start at any line makes `re` try the whole alternation at every position (8x slower).
_LONE_CALL = re.compile(r"\A[ \t]*(?:hello|hi|hey|anyone|anybody)[ \t]*\?")
_LONE_CALL_LINE = re.compile(r"\n[ \t]*(?:hello|hi|hey|anyone|anybody)[ \t]*\?")


def find_silence(lowered: str) -> tuple[int, int] | None:
    """The first words that point at their silence, as a span of the lowered text."""
    found = SILENCE.search(lowered)
    if found is not None:
        return found.span()
    lone = _LONE_CALL.match(lowered)
    if lone is not None:
        return lone.span()
    line = _LONE_CALL_LINE.search(lowered)
    return (line.start() + 1, line.end()) if line is not None else None


def nag_verdict(lowered: str) -> tuple[int, int, str] | None:
    """(start, end, why) of the first words that nag, or None.

    Pointing at their silence nags on its own; mentioning your earlier message nags when the
    same message presses for an answer or a meeting."""
    found = find_silence(lowered)
    if found is not None:
        return found[0], found[1], "points at their silence"
    earlier = EARLIER.search(lowered)
    if earlier is not None:
        pressed = PRESSURE.search(lowered)
        if pressed is not None:
            return earlier.start(), earlier.end(), f'then presses: "{pressed.group()}"'
    return None


@register("nag-signals", NoParams)
def nag_check(ctx: Context, params: NoParams, _: PhraseSpans) -> Iterable[Hit]:
    verdict = nag_verdict(ctx.features.lower)
    if verdict is not None:
        start, end, why = verdict
        yield Hit(start, end, values={"match": ctx.text[start:end], "why": why})


# ---- empty drafts --------------------------------------------------------------------------

_SIGN_OFF = re.compile(
    r"\A\W*(?:thanks|thank\s+you|best|regards|cheers|sincerely|kind\s+regards|best\s+regards|"
    r"warm\s+regards|all\s+the\s+best|yours)\b[\w\s,.!]{0,30}\Z",
    re.I,
)
_WORD = re.compile(r"[^\W_][\w'’-]*")


def substance_words(text: str, greeting_end: int = 0) -> int:
    """Words after the greeting, not counting a sign-off on the last line(s)."""
    lines = text[greeting_end:].strip().split("\n")
    lines = [line for line in lines if line.strip()]
    if len(lines) >= 2 and len(lines[-1].split()) <= 2 and _SIGN_OFF.match(lines[-2]):
        del lines[-2:]  # "Best,\nSam"
    elif len(lines) > 1 and _SIGN_OFF.match(lines[-1]):
        lines.pop()
    return len(_WORD.findall("\n".join(lines)))


@dataclass(frozen=True)
class EmptyParams:
    min_words: int = 2  # fewer words than this besides greeting and sign-off: nothing to send


@register("empty", EmptyParams)
def empty_check(ctx: Context, params: EmptyParams, _: PhraseSpans) -> Iterable[Hit]:
    """Nothing to send: no words at all, or only a greeting and a sign-off."""
    if ctx.target != "body":
        return
    minimum = params.min_words
    if ctx.features.word_count > minimum + 12:
        return  # more than any greeting and sign-off can hold
    greeting = ctx.features.greeting
    words = substance_words(ctx.text, greeting.span.end if greeting else 0)
    if words < minimum:
        end = len(ctx.text.rstrip())
        yield Hit(0, end, values={"words": words, "min": minimum})


# ---- pitches that could go to anyone --------------------------------------------------------

# The reader as a category: "your website", "your business needs", "your audience".
_CATEGORY_YOU = re.compile(
    r"\byour\s+(?:\w+\s+)?(?:website|site|business|company|brand|audience|organi[sz]ation|"
    r"industry|extension|app|store|shop|customers|clients|niche|online\s+presence|needs)\b",
)
_NAMELESS = frozenset({"there", "all", "team", "sir", "madam", "sir/madam", "owner", "friend"})


@register("mass-pitch", NoParams)
def mass_pitch_check(ctx: Context, params: NoParams, _: PhraseSpans) -> Iterable[Hit]:
    """A pitch that names nobody: no greeting by name, or the reader only as "your website"."""
    window = cached_pitch(ctx)
    if window is None:
        return
    category = _CATEGORY_YOU.search(ctx.features.lower)
    if category is not None:
        yield Hit(category.start(), category.end(), values={"why": "speaks of the reader only as"})
        return
    greeting = ctx.features.greeting
    name = (greeting.name or "").strip().lower() if greeting else ""
    if not name or name in _NAMELESS or name.split()[-1] in ("team", "group", "owner"):
        span = greeting.span if greeting else window.span
        yield Hit(span.start, span.end, values={"why": "greets nobody by name in"})
