"""What the import readers share: ids from names, platforms from profile URLs, ISO dates."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

Row = dict[str, Any]

# Profile hosts drafter has templates for, and how each roster stores the handle.
_PROFILE_HOSTS = {
    "linkedin.com": "linkedin",
    "x.com": "x",
    "twitter.com": "x",
    "github.com": "github",
    "behance.net": "behance",
    "quora.com": "quora",
    "facebook.com": "facebook",
}


def id_from(*candidates: str | None) -> str:
    """A readable, stable id: the first candidate that leaves letters or digits when slugged."""
    for text in candidates:
        if not text:
            continue
        ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
        if slug:
            return slug[:60].rstrip("-")
    # Names in non-Latin scripts: stable and unique enough; the user may rename it.
    seed = next((t for t in candidates if t), "")
    return "contact-" + hashlib.sha256(seed.encode("utf-8")).hexdigest()[:8] if seed else ""


def profile(url: str) -> tuple[str, str] | None:
    """(platform, value) for a profile URL drafter knows: full URLs for linkedin/facebook/quora
    (what the user clicks), `@handle` for X, the user name for GitHub and Behance."""
    text = url.strip()
    if not re.match(r"https?://", text, re.I):
        text = "https://" + text
    parts = urlsplit(text)
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    platform = _PROFILE_HOSTS.get(host)
    path = [p for p in parts.path.split("/") if p]
    if platform is None or not path:
        return None
    if platform == "x":
        return platform, "@" + path[0].lstrip("@")
    if platform in ("github", "behance"):
        return platform, path[0]
    return platform, url.strip()


def handle_from_url(url: str) -> str:
    """The last path segment of a profile URL: `.../in/ana-ribeiro-1a2b/` -> `ana-ribeiro-1a2b`."""
    path = [p for p in urlsplit(url.strip()).path.split("/") if p]
    return path[-1] if path else ""


def iso_date(text: str) -> str:
    """`02 Oct 2024` (LinkedIn) -> `2024-10-02`; anything unrecognised is kept as written."""
    value = text.strip()
    for fmt in ("%d %b %Y", "%d %B %Y", "%Y-%m-%d", "%m/%d/%Y", "%Y%m%d"):
        try:
            return datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    return value


def clean(row: Row) -> Row:
    """Drop empty values, so a merge never 'adds' a blank field."""
    out: Row = {}
    for key, value in row.items():
        if isinstance(value, dict):
            value = clean(value)
        elif isinstance(value, list):
            value = [v for v in value if v not in ("", None)]
        elif isinstance(value, str):
            value = value.strip()
        if value not in ("", None, [], {}):
            out[key] = value
    return out
