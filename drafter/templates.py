"""Template discovery (built-in folder, then the user's folders), the sandboxed Jinja environment,
its filters, and rendering a contact into a Draft.

Layout: `<folder>/<platform>/platform.yaml` and `<folder>/<platform>/<stage>/<variant>.j2`, plus
shared macros in `<folder>/_macros.j2`. A later folder adds variants and overrides same-named ones.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from drafter.contacts import Contact, Offer, Sender
from drafter.drafts import Draft
from drafter.errors import DrafterError
from drafter.files import load_yaml, read_text
from drafter.platforms import Channel, Platform, StageSpec, deep_merge, platform_from_mapping
from drafter.resources import builtin_dir


@dataclass(frozen=True)
class TemplateInfo:
    platform: str
    stage: str
    variants: dict[str, Path]
    spec: StageSpec

    @property
    def name(self) -> str:
        return f"{self.platform}/{self.stage}"


@dataclass
class Catalog:
    """Every platform and template visible from the configured folders."""

    folders: list[Path]
    platforms: dict[str, Platform] = field(default_factory=dict)
    templates: dict[tuple[str, str], TemplateInfo] = field(default_factory=dict)

    def get(self, platform: str, stage: str) -> TemplateInfo:
        if platform not in self.platforms:
            raise DrafterError(
                f"unknown platform '{platform}'; known: {', '.join(sorted(self.platforms))}"
            )
        info = self.templates.get((platform, stage))
        if info is None:
            stages = sorted(s for p, s in self.templates if p == platform)
            raise DrafterError(
                f"no template for {platform}/{stage}; {platform} has: {', '.join(stages)}"
            )
        return info


def load_catalog(user_folders: Sequence[Path] = ()) -> Catalog:
    folders = [builtin_dir("templates"), *user_folders]
    for folder in user_folders:
        if not folder.is_dir():
            raise DrafterError(f"{folder}: template folder not found")
    raw: dict[str, dict[str, Any]] = {}
    sources: dict[str, str] = {}
    variants: dict[tuple[str, str], dict[str, Path]] = {}
    for folder in folders:
        for pdir in sorted(
            p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("_")
        ):
            spec_file = pdir / "platform.yaml"
            if spec_file.is_file():
                data = load_yaml(read_text(spec_file), str(spec_file)) or {}
                if not isinstance(data, Mapping):
                    raise DrafterError(f"{spec_file}: expected a mapping")
                raw[pdir.name] = deep_merge(raw.get(pdir.name, {}), data)
                sources[pdir.name] = str(spec_file)
            for sdir in sorted(s for s in pdir.iterdir() if s.is_dir()):
                for tfile in sorted(sdir.glob("*.j2")):
                    variants.setdefault((pdir.name, sdir.name), {})[tfile.stem] = tfile
    catalog = Catalog(folders=folders)
    for name, data in raw.items():
        catalog.platforms[name] = platform_from_mapping(name, data, sources[name])
    for (pname, stage), found in sorted(variants.items()):
        platform = catalog.platforms.get(pname)
        if platform is None:
            where = next(iter(found.values())).parent.parent
            raise DrafterError(f"{where}: templates without a platform.yaml")
        catalog.templates[(pname, stage)] = TemplateInfo(
            platform=pname,
            stage=stage,
            variants=dict(sorted(found.items())),
            spec=platform.stages.get(stage, StageSpec()),
        )
    return catalog


# ---- filters -------------------------------------------------------------------------------


def first_name(name: str) -> str:
    return str(name).split()[0] if str(name).split() else ""


def join_and(items: Iterable[Any], conjunction: str = "and") -> str:
    words = [str(i) for i in items if str(i).strip()]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def truncate_words(text: str, limit: int, ellipsis: str = "…") -> str:
    """Shorten at a word boundary so a title never ends mid-word."""
    text = str(text).strip()
    if len(text) <= limit:
        return text
    cut = text[: max(0, limit - len(ellipsis))]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-") + ellipsis


def lower_first(text: str) -> str:
    """For a fact used mid-sentence; keeps acronyms and proper names ("API", "PyCon",
    "Luleå University") intact."""
    text = str(text).strip()
    words = text.split(" ", 2)
    first = words[0]
    if len(first) > 1 and (first.isupper() or any(c.isupper() for c in first[1:])):
        return text
    if first == "I" or first.startswith(("I'", "I’")):
        return text
    if len(words) > 1 and words[1][:1].isupper():
        return text
    return text[:1].lower() + text[1:]


_AN_EXCEPTIONS = ("uni", "use", "usu", "eu", "one", "once")
_AN_SILENT_H = ("hour", "honest", "honou", "heir")


def with_article(text: str) -> str:
    """Roles are free text placed after "as": "a data engineer", "an engineering manager"."""
    text = lower_first(text)
    word = text.split(" ", 1)[0].lower() if text else ""
    if not word or word in ("a", "an", "the") or word.endswith("'s"):
        return text
    if text.split(" ", 1)[0].isupper() and len(word) > 1:
        vowel = word[0] in "aefhilmnorsx"  # an API, an SRE, an MBA: the letter's name
    else:
        vowel = word[0] in "aeiou" and not word.startswith(_AN_EXCEPTIONS)
        vowel = vowel or word.startswith(_AN_SILENT_H)
    return f"{'an' if vowel else 'a'} {text}"


_WORD = re.compile(r"[^\W\d_]{4,}")


_COMMON = frozenset(
    {"about", "also", "both", "data", "from", "have", "into", "like", "more", "over", "some"}
    | {"that", "their", "them", "they", "this", "what", "when", "where", "which", "with", "your"}
)


def _stems(texts: Iterable[str]) -> set[str]:
    words = (w.lower() for t in texts for w in _WORD.findall(str(t)))
    return {w[:5] for w in words if w not in _COMMON}


def pick_offer(
    offers: Sequence[Offer], contact: Contact, kinds: Sequence[str] = ()
) -> Offer | None:
    """The sender's offer that shares the most words with the contact's facts, so an illustrator
    is not sent a Kafka article; None when nothing relates (templates then say nothing)."""
    pool = [o for o in offers if not kinds or o.kind in kinds]
    facts = _stems(text for _field, text in contact.facts())
    best: tuple[int, int] = (0, 0)
    chosen: Offer | None = None
    for index, offer in enumerate(pool):
        score = len(facts & _stems([offer.title, *offer.topics]))
        if score > best[0] or (score == best[0] and chosen is None and score > 0):
            best, chosen = (score, index), offer
    return chosen


def bare(text: str) -> str:
    """Drop trailing punctuation so a fact can sit inside a sentence."""
    return str(text).strip().rstrip(".!?;:, ")


class _FactMissing(Exception):
    pass


def _fail(message: str) -> NoReturn:
    raise _FactMissing(message)


def make_environment(folders: Sequence[Path]) -> SandboxedEnvironment:
    """Sandboxed, strict, and literal: data is inserted as text and never evaluated."""
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader([str(f) for f in reversed(folders)]),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(
        first_name=first_name,
        join_and=join_and,
        truncate_words=truncate_words,
        lower_first=lower_first,
        bare=bare,
        with_article=with_article,
        pick_offer=pick_offer,
    )
    env.globals["fail"] = _fail
    return env


_BLANKS = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
_SPACES = re.compile(r"(?<=\S)[ \t]{2,}")
_SPACE_PUNCT = re.compile(r"[ \t]+([,.;:!?])")


def tidy(text: str) -> str:
    """Templates that leave out a missing fact leave whitespace behind: fold it."""
    text = "\n".join(line.rstrip() for line in text.strip().split("\n"))
    text = _BLANKS.sub("\n\n", text)
    text = _SPACES.sub(" ", text)
    return _SPACE_PUNCT.sub(r"\1", text)


def choose_variant(info: TemplateInfo, contact: Contact, requested: str | None) -> str:
    """A requested variant, else a stable choice per contact so reruns give the same draft."""
    if requested:
        if requested not in info.variants:
            raise DrafterError(
                f"{info.name} has no variant '{requested}'; it has: {', '.join(info.variants)}"
            )
        return requested
    names = list(info.variants)
    digest = hashlib.sha256(f"{contact.id}\0{info.name}".encode()).digest()
    return names[int.from_bytes(digest[:4], "big") % len(names)]


def _missing_facts(
    spec: StageSpec, contact: Contact, sender: Sender, other: Contact | None
) -> str | None:
    def present(field_name: str) -> bool:
        if field_name == "other":
            return other is not None
        if field_name.startswith("me."):
            return bool(getattr(sender, field_name[3:], None) or sender.extra.get(field_name[3:]))
        return bool(getattr(contact, field_name, None) or contact.extra.get(field_name))

    for name in spec.requires:
        if not present(name):
            if name == "other":
                return "a second contact to introduce (--with ID)"
            return f"field '{name}'"
    for group in spec.requires_any:
        if not any(present(n) for n in group):
            return f"one of the fields {', '.join(repr(n) for n in group)}"
    return None


# (short, shorter): the full draft, then without optional sentences, then the bare minimum.
_LEVELS = ((False, False), (True, False), (True, True))


def _too_long(
    platform: Platform, channel: Channel, limit: int | None, body: str, subject: str | None
) -> bool:
    if limit is not None and platform.count(body) > limit:
        return True
    return bool(subject and channel.subject_limit and len(subject) > channel.subject_limit)


class Renderer:
    """Renders contacts into Drafts with one shared sandboxed environment."""

    def __init__(self, catalog: Catalog, *, free_account: bool = False) -> None:
        self.catalog = catalog
        self.free_account = free_account
        self.env = make_environment(catalog.folders)

    def render(
        self,
        platform: str,
        stage: str,
        contact: Contact,
        sender: Sender,
        *,
        variant: str | None = None,
        other: Contact | None = None,
    ) -> Draft:
        info = self.catalog.get(platform, stage)
        spec = self.catalog.platforms[platform]
        who = f"contact '{contact.id}'"
        missing = _missing_facts(info.spec, contact, sender, other)
        if missing:
            raise DrafterError(f"{who}: {info.name} needs {missing} ({contact.source})")
        chosen = choose_variant(info, contact, variant)
        channel = spec.channel(stage)
        limit = channel.body_limit(self.free_account)
        tname = f"{platform}/{stage}/{chosen}.j2"
        args = (tname, who, contact, sender, other, spec, stage, chosen, limit)
        for level in _LEVELS:
            # Templates know shorter forms: optional sentences drop out when `short` (and then
            # `shorter`) is set, so a long title does not cost the whole draft.
            body, subject = self._render_one(*args, level)
            if not _too_long(spec, channel, limit, body, subject):
                break
        if limit is not None and spec.count(body) > limit:
            over = spec.count(body) - limit
            raise DrafterError(
                f"{who}: {info.name} draft is {spec.count(body)} characters, {over} over "
                f"the {spec.label} {channel.name} limit of {limit}"
            )
        if subject and channel.subject_limit and len(subject) > channel.subject_limit:
            raise DrafterError(
                f"{who}: {info.name} subject is {len(subject)} characters, over the "
                f"{spec.label} limit of {channel.subject_limit}"
            )
        return Draft(
            text=body,
            body=body,
            path=f"{contact.id}.{platform}.{stage}",
            platform=platform,
            stage=stage,
            subject=subject,
            contact=contact,
            template=f"{platform}/{stage}",
            variant=chosen,
        )

    def _render_one(
        self,
        tname: str,
        who: str,
        contact: Contact,
        sender: Sender,
        other: Contact | None,
        platform: Platform,
        stage: str,
        variant: str,
        limit: int | None,
        level: tuple[bool, bool],
    ) -> tuple[str, str | None]:
        channel = platform.channel(stage)
        context = {
            "contact": contact,
            "me": sender,
            "other": other,
            "platform": platform,
            "channel": channel,
            "stage": stage,
            "variant": variant,
            "limit": limit,
            "short": level[0],
            "shorter": level[1],
        }
        try:
            template = self.env.get_template(tname)
            module = template.make_module(context)
            body = tidy(str(module))
            subject = getattr(module, "subject", None)
        except _FactMissing as exc:
            raise DrafterError(f"{who}: {tname}: {exc}") from None
        except jinja2.TemplateSyntaxError as exc:
            raise DrafterError(
                f"{exc.filename or tname}:{exc.lineno}: template syntax error: {exc.message}"
            ) from None
        except jinja2.UndefinedError as exc:
            raise DrafterError(f"{who}: {tname}: {exc.message}") from None
        except jinja2.exceptions.SecurityError as exc:
            raise DrafterError(f"{tname}: refused by the template sandbox: {exc}") from None
        except jinja2.TemplateError as exc:
            raise DrafterError(f"{who}: {tname}: {exc}") from None
        if subject is not None:
            subject = tidy(str(subject)) or None
        if channel.subject and not subject:
            raise DrafterError(
                f"{tname}: {platform.label} needs a subject; set one with {{% set subject = ... %}}"
            )
        return body, subject
