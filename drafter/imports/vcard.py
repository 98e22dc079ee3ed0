"""vCard files (.vcf, versions 2.1 to 4.0) as phones and mail programs export them, via vobject.

vobject handles folding, quoted-printable, escaping and parameters: the parts a hand-written
reader gets wrong. From each card: FN/N, ORG, TITLE, EMAIL, URL, X-SOCIALPROFILE, NOTE, CATEGORIES.
"""

from __future__ import annotations

from typing import Any

import vobject

from drafter.core.errors import DrafterError
from drafter.imports.records import Row, clean, id_from, profile


def _values(card: Any, name: str) -> list[Any]:
    return [line.value for line in card.contents.get(name, [])]


def _text(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(str(v) for v in value if v).strip()
    return str(value or "").strip()


def _socials(card: Any) -> dict[str, str]:
    """X-SOCIALPROFILE;TYPE=twitter:... (Apple, Android) and the older X-TWITTER."""
    out: dict[str, str] = {}
    for line in card.contents.get("x-socialprofile", []):
        value = _text(line.value)
        found = profile(value) if "/" in value else None
        kinds = [k.lower() for k in line.params.get("TYPE", [])]
        if found:
            out.setdefault(*found)
        elif value and kinds:
            platform = {"twitter": "x"}.get(kinds[0], kinds[0])
            out.setdefault(platform, "@" + value.lstrip("@") if platform == "x" else value)
    for line in card.contents.get("x-twitter", []):
        out.setdefault("x", "@" + _text(line.value).lstrip("@"))
    return out


def parse(text: str, where: str) -> list[Row]:
    rows: list[Row] = []
    try:
        cards = list(vobject.readComponents(text, ignoreUnreadable=True))
    except Exception as exc:  # vobject raises ParseError and plain ValueErrors alike
        line = getattr(exc, "lineNumber", None)
        at = f"{where}:{line}" if line else where
        raise DrafterError(f"{at}: not a readable vCard file: {exc}") from None
    for index, card in enumerate(cards, start=1):
        if card.name.upper() != "VCARD":
            continue
        names = _values(card, "n")
        given = _text(getattr(names[0], "given", "")) if names else ""
        family = _text(getattr(names[0], "family", "")) if names else ""
        name = _text(next(iter(_values(card, "fn")), "")) or f"{given} {family}".strip()
        emails = [_text(v) for v in _values(card, "email")]
        if not name and not emails:
            continue
        platforms: dict[str, str] = {}
        websites: list[str] = []
        for url in (_text(v) for v in _values(card, "url")):
            found = profile(url)
            if found:
                platforms.setdefault(*found)
            else:
                websites.append(url)
        for platform, value in _socials(card).items():
            platforms.setdefault(platform, value)
        if emails:
            platforms["email"] = emails[0]
        org = next(iter(_values(card, "org")), "")
        tags: list[str] = []
        for value in _values(card, "categories"):
            tags.extend(_text(v) for v in (value if isinstance(value, list) else [value]))
        row: Row = {
            "id": id_from(name, emails[0].split("@")[0] if emails else ""),
            "name": name or emails[0].split("@")[0],
            "first_name": given if given and name.split()[0] != given else "",
            "company": _text(org[0] if isinstance(org, list) and org else org),
            "role": _text(next(iter(_values(card, "title")), "")),
            "platforms": platforms,
            "website": websites[0] if websites else "",
            "notes": _text(next(iter(_values(card, "note")), "")),
            "tags": tags,
            "__line__": f"card {index}",
        }
        rows.append(clean(row))
    return rows
