"""`drafter import linkedin|google|vcard FILE [--into roster.yaml]`."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import click

from drafter.core import tables
from drafter.core.contacts import load_roster
from drafter.core.errors import DrafterError
from drafter.core.files import load_yaml, read_text, write_atomic

# Readers (and vobject, ruamel.yaml) load only when an import runs, so `drafter --help` stays fast.
READERS = ("linkedin", "google", "vcard")
HELP = {
    "linkedin": "LinkedIn's Connections.csv (Settings > Data privacy > Get a copy of your data).",
    "google": "A Google Contacts export (Export > Google CSV).",
    "vcard": "A .vcf file from a phone, Apple Contacts, Outlook or Thunderbird.",
}


def run_import(
    kind: str, source: Path, into: Path | None, encoding: str | None, yes: bool, dry_run: bool
) -> None:
    from drafter.imports import merge

    reader = importlib.import_module(f"drafter.imports.{kind}")
    text = tables.decode_table(tables.read_bytes(source), str(source), encoding)
    rows = reader.parse(text, str(source))
    if not rows:
        raise DrafterError(f"{source}: no contacts found")
    if into is not None and into.suffix.lower() not in (".yaml", ".yml"):
        raise DrafterError(f"{into}: --into must be a YAML roster (.yaml or .yml)")
    existing = into is not None and into.exists() and into.stat().st_size > 0
    original = ""
    data: Any = None
    contacts: list[Any] = []
    if into is not None and existing:
        load_roster(into)  # a roster with errors is reported as it is, not merged into
        original = read_text(into)
        data = load_yaml(original, str(into))
        found = data.get("contacts") if isinstance(data, dict) else data
        contacts = found if isinstance(found, list) else []
    known = len(contacts)
    # First on plain data (fast); the round-trip editor runs only when a contact gains fields.
    result = merge.Merge(merge.merge(contacts, rows, source.name))
    text_out = None
    if not existing:
        text_out = merge.dump_plain(contacts, header=True)
    elif isinstance(data, list) and merge.appendable(original):
        # Fields and contacts go in as text, so every byte the user wrote stays; the result is
        # checked against the merge on plain data, and the round-trip editor is the fallback.
        merged = {str(c.get("id")): c for c in contacts if isinstance(c, dict)}
        patched = merge.patch_text(original, result.changes, merged)
        if patched is not None:
            tail = merge.dump_plain(contacts[known:], header=False) if len(contacts) > known else ""
            candidate = patched.rstrip("\n") + "\n" + tail
            if load_yaml(candidate, str(into)) == merge.plain(contacts):
                text_out = candidate
    if text_out is None:
        assert into is not None
        document, editable = merge.load_document(into)
        merge.merge(editable, rows, source.name)
        text_out = merge.dump(document, header=False)
    out = sys.stderr if into is None else sys.stdout
    for line in result.lines():
        click.echo(line, file=out)
    click.echo(f"{into or source.name}: {result.summary()}", file=out)
    if into is None:
        click.echo(text_out, nl=False)
        return
    if dry_run or not result.changed:
        return
    if existing and not yes:
        if not sys.stdin.isatty():
            raise DrafterError(
                f"{into}: exists; pass --yes to merge these changes into it "
                "(--dry-run shows them without writing)"
            )
        click.confirm(f"Write these changes to {into}?", abort=True, err=True)
    write_atomic(into, text_out, overwrite=True)
    click.echo(f"wrote {into}")


def _command(kind: str) -> click.Command:
    @click.command(kind, help=f"Contacts from {HELP[kind]}")
    @click.argument("source", type=click.Path(path_type=Path, dir_okay=False))
    @click.option(
        "--into",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Roster (.yaml) to create or merge into; without it the roster is printed.",
    )
    @click.option("--encoding", help="The file's encoding when not UTF-8, e.g. cp1252.")
    @click.option("--yes", "-y", is_flag=True, help="Merge into an existing roster without asking.")
    @click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
    def command(**kw: Any) -> None:
        run_import(kind, kw["source"], kw["into"], kw["encoding"], kw["yes"], kw["dry_run"])

    return command


@click.group("import")
def import_cmd() -> None:
    """Create or update a roster from contacts you already have elsewhere.

    Ids come from names; profile URLs, handles and e-mail go under `platforms`. Merging into a
    roster adds new contacts and missing fields only: what you wrote is never changed.
    """


for _kind in READERS:
    import_cmd.add_command(_command(_kind))
