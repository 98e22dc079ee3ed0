"""What a rule sees of one draft segment, and what it reports back."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from drafter.core.contacts import Contact
from drafter.core.drafts import Draft
from drafter.core.platforms import Channel, Platform
from drafter.lint.text import TextFeatures

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass
class Context:
    draft: Draft
    target: str  # "body" or "subject"
    text: str
    base: int | None  # where `text` starts in draft.text; None when the text is not in the file
    doc: Doc
    features: TextFeatures
    platform: Platform | None
    channel: Channel | None
    limit: int | None
    entities: list[tuple[int, int, str]] | None = None  # from a trained pipeline, when configured

    @property
    def contact(self) -> Contact | None:
        return self.draft.contact

    @property
    def stage(self) -> str | None:
        return self.draft.stage

    def token_rows(self) -> list[list[int]]:
        """[LIKE_NUM, IS_ALPHA, IDX, LOWER] of every token, read from the doc once per segment
        (one spaCy array instead of one per metric and check that counts tokens)."""
        rows: list[list[int]] | None = self.features.__dict__.get("_token_rows")
        if rows is None:
            rows = self.doc.to_array(_token_attrs()).tolist()
            self.features.__dict__["_token_rows"] = rows
        return rows

    def count(self, text: str) -> int:
        return self.platform.count(text) if self.platform else len(text.strip())


@lru_cache(maxsize=1)
def _token_attrs() -> list[int | str]:
    """spaCy's attribute ids, looked up on first use (loading rules does not import spaCy)."""
    from spacy.attrs import IDX, IS_ALPHA, LIKE_NUM, LOWER

    return [LIKE_NUM, IS_ALPHA, IDX, LOWER]


@dataclass(frozen=True)
class Hit:
    """A rule's finding before it is placed in the file: offsets are relative to Context.text."""

    start: int
    end: int
    values: dict[str, Any] = field(default_factory=dict)
    suggestion: str | None = None
    replacement: str | None = None  # a safe fix: replace [start:end] with this
