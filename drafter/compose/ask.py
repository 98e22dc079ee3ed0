"""`drafter draft --ask`: ask for the field only the sender knows, draft again, and (when the user
says yes) write it back into a YAML roster with its comments and order kept.

Only the sender can say why they write to someone; drafter never makes that up. On a terminal it
asks instead of refusing, and saves the answer so the next run does not ask again.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from drafter.core.contacts import Contact
from drafter.core.errors import DrafterError
from drafter.core.files import read_text, write_atomic

# stage -> (field, question put to the user)
QUESTIONS = {
    "connect": ("reason", "Why do you want to connect with {name}? (reason)"),
    "question": ("question", "What is the one question you want to ask {name}? (question)"),
    "thanks": ("thanks_for", "What are you thanking {name} for? (thanks_for)"),
    "intro_ask": ("intros", "Why should {name} meet {other}? Say it to {name}. (intros)"),
    "intro": ("intros", "Why should {name} and {other} meet? (intros)"),
}


@dataclass(frozen=True)
class Answer:
    field: str
    value: str
    other_id: str | None = None


def needs_answer(stage: str, message: str) -> bool:
    """Whether a refusal is one the sender can fix by answering a question."""
    if stage not in QUESTIONS:
        return False
    field = QUESTIONS[stage][0]
    return f"add {field}:" in message


def question_for(stage: str, contact: Contact, other: Contact | None) -> str:
    template = QUESTIONS[stage][1]
    return template.format(name=contact.first_name, other=other.first_name if other else "")


def apply(contact: Contact, answer: Answer) -> Contact:
    """The contact with the answer filled in, for drafting again."""
    if answer.field == "intros" and answer.other_id:
        return replace(contact, intros={**contact.intros, answer.other_id: answer.value})
    if answer.field == "reason":
        return replace(contact, reason=answer.value)
    if answer.field == "question":
        return replace(contact, question=answer.value)
    return replace(contact, thanks_for=answer.value)


def ask_for(
    stage: str,
    contact: Contact,
    other: Contact | None,
    prompt: Callable[[str], str],
) -> Answer | None:
    text = prompt(question_for(stage, contact, other)).strip()
    if not text:
        return None
    field = QUESTIONS[stage][0]
    return Answer(field, text, other.id if field == "intros" and other else None)


def _find(data: Any, contact_id: str) -> Any:
    rows = data.get("contacts") if isinstance(data, Mapping) and "contacts" in data else data
    if isinstance(rows, Mapping):
        rows = [rows]
    if isinstance(rows, list):
        for row in rows:
            if isinstance(row, Mapping) and str(row.get("id")) == contact_id:
                return row
    return None


def _add(row: Any, key: str, value: Any) -> None:
    """Set a key; a new key goes last unless the last one carries the blank line that separates
    this contact from the next (ruamel keeps it in that key's comment), then just before it."""
    if key in row or not row:
        row[key] = value
        return
    last = list(row.keys())[-1]
    token = getattr(row, "ca", None) and row.ca.items.get(last)
    trailing = token[2] if token and len(token) > 2 else None
    if trailing is not None and str(getattr(trailing, "value", "")).endswith("\n\n"):
        row.insert(len(row) - 1, key, value)
    else:
        row[key] = value


def save_answer(path: Path, contact_id: str, answer: Answer) -> None:
    """Write one field into a YAML roster: ruamel's round trip keeps comments, key order and
    quoting of everything else; the file is replaced atomically."""
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise DrafterError(
            f"{path}: saving answers back works for YAML rosters only; add "
            f"{answer.field}: to contact '{contact_id}' by hand"
        )
    from ruamel.yaml import YAML  # imported here: only --ask needs it

    yaml = YAML()  # round-trip mode
    yaml.preserve_quotes = True
    yaml.width = 4096
    data = yaml.load(read_text(path))
    row = _find(data, contact_id)
    if row is None:
        raise DrafterError(f"{path}: no contact with id '{contact_id}' to save into")
    if answer.field == "intros" and answer.other_id:
        intros = row.get("intros")
        if intros is None:
            _add(row, "intros", {answer.other_id: answer.value})
        else:
            intros[answer.other_id] = answer.value
    else:
        _add(row, answer.field, answer.value)
    out = io.StringIO()
    yaml.dump(data, out)
    write_atomic(path, out.getvalue(), overwrite=True)


def run_ask(
    retry: Callable[[Contact], Any],
    refused: list[tuple[Contact, str]],
    stage: str,
    other: Contact | None,
    roster: Path | None,
    prompt: Callable[[str], str],
    confirm: Callable[[str], bool],
) -> tuple[list[Any], list[tuple[Contact, str]]]:
    """Ask for each refusal the sender can fix; draft again with the answer; offer to save it.

    `retry` renders one contact (raising DrafterError); returns the new drafts and the refusals
    that remain (unanswered, or still refused)."""
    drafts: list[Any] = []
    left: list[tuple[Contact, str]] = []
    for contact, message in refused:
        if not needs_answer(stage, message):
            left.append((contact, message))
            continue
        answer = ask_for(stage, contact, other, prompt)
        if answer is None:
            left.append((contact, message))
            continue
        try:
            drafts.append(retry(apply(contact, answer)))
        except DrafterError as exc:
            left.append((contact, exc.message))
            continue
        if roster is not None and confirm(
            f"Save {answer.field} for '{contact.id}' into {roster.name}?"
        ):
            save_answer(roster, contact.id, answer)
    return drafts, left
