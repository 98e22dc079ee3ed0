"""The shared real-outreach corpus, split once and for all into a tune half and a check half.

`real_outreach.yaml` (in /work/shared/corpus, see its README) holds messages other people wrote.
Rules may be tuned on the "tune" part only; the "check" part (about a third) measures whether a
change generalises. The split is by source, so one sender's messages never sit on both sides: a
GitHub repository (owner/name) is one source, a file or thread folder elsewhere is one source,
a web page is one source. Which side a source falls on is a fixed function of its key
(SHA-256), so the split never changes when rows are added or rules move.

The corpus is for measuring only: nothing here copies its text into the project.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml

DEFAULT_REAL_PATH = (
    Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "real_outreach.yaml"
)
SPLITS = ("tune", "check")
_MESSAGE_FILE = re.compile(r"/message\d+\.\w+$")


def source_key(source: str) -> str:
    """The sender-level key of a row's `source`: repository, thread folder or page."""
    source = source.strip().split("#", 1)[0]
    if source.startswith("github:"):
        # github:owner/repo/path/to/file.md; a spam archive keeps one thread per folder.
        return _MESSAGE_FILE.sub("", source)
    url = urlparse(source)
    parts = [p for p in url.path.split("/") if p]
    if url.netloc.lower() in ("github.com", "www.github.com") and len(parts) >= 2:
        return f"github:{parts[0].lower()}/{parts[1].lower()}"
    return f"{url.netloc.lower()}/{'/'.join(parts)}"


def split_of(source: str) -> str:
    """'check' for about one source in three, else 'tune'; fixed by the key's hash."""
    digest = hashlib.sha256(source_key(source).encode("utf-8")).digest()
    return "check" if int.from_bytes(digest[:8], "big") % 3 == 0 else "tune"


def load_real_corpus(path: str | Path = DEFAULT_REAL_PATH) -> list[dict[str, Any]]:
    """The corpus rows with a `split` field added; [] if the file is not there."""
    path = Path(path)
    if not path.is_file():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rows: list[dict[str, Any]] = []
    for row in data.get("messages") or []:
        out = dict(row)
        out["expect"] = list(row.get("expect") or [])
        out["split"] = split_of(str(row["source"]))
        rows.append(out)
    return rows


def as_eval_items(rows: list[dict[str, Any]], split: str) -> list[dict[str, Any]]:
    """One split's rows in the shape of the labelled eval sets (label, categories, ...)."""
    return [
        {
            "id": row["id"],
            "label": "bad" if row["expect"] else "good",
            "categories": row["expect"],
            "platform": row.get("platform"),
            "stage": row.get("stage"),
            "subject": None,
            "contact": None,
            "free_account": False,
            "text": row["text"],
            "source": f"real-{split}",
        }
        for row in rows
        if row["split"] == split
    ]
