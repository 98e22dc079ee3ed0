"""`draft --out`: safe file names inside the folder, and reruns that skip and keep edited files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from drafter.cli import cli
from drafter.compose import output
from drafter.core.contacts import Contact
from drafter.core.errors import DrafterError


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), obj={})


def contact(contact_id: str) -> Contact:
    return Contact(id=contact_id, name="Ana Ribeiro", first_name="Ana")


@pytest.mark.parametrize(
    ("contact_id", "why"),
    [
        ("../../escaped", "contains '..'"),
        ("x/../b", "contains '..'"),
        ("/etc/passwd", "is an absolute path"),
        ("C:\\Users\\x", "is an absolute path"),
        ("ana\nbob", "line break"),
        ("ana\x00", "NUL"),
        (" ", "is blank"),
        ("", "is blank"),
        ("...", "is only dots"),
    ],
)
def test_unsafe_ids_are_refused(contact_id: str, why: str) -> None:
    with pytest.raises(DrafterError, match=why):
        output.slug(contact_id)


@pytest.mark.parametrize(
    ("contact_id", "expected"),
    [
        ("ana-ribeiro", "ana-ribeiro"),
        ("Ana Ribeiro", "ana-ribeiro"),
        ("ana/ribeiro", "ana-ribeiro"),
        ("José.Núñez", "jose-nunez"),
        ("o'brien_2", "o-brien_2"),
    ],
)
def test_slug_keeps_letters_digits_dash_underscore(contact_id: str, expected: str) -> None:
    assert output.slug(contact_id) == expected


def test_non_latin_id_gets_a_stable_name() -> None:
    assert output.slug("王芳") == output.slug("王芳")
    assert output.slug("王芳").startswith("contact-")
    assert output.slug("王芳") != output.slug("李娜")


def test_collisions_after_slugging_fail_before_writing(tmp_path: Path) -> None:
    with pytest.raises(DrafterError, match="'Ana Ribeiro' and 'ana-ribeiro' would both write"):
        output.target_paths(
            [contact("Ana Ribeiro"), contact("ana-ribeiro")], tmp_path, "x", "connect"
        )


def test_a_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "ana.x.connect.md").symlink_to(tmp_path / "elsewhere.md")
    with pytest.raises(DrafterError, match="resolves outside"):
        output.target_paths([contact("ana")], out, "x", "connect")


def test_stamp_then_edit_changes_state(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    assert output.state(path) == "new"
    path.write_text(output.stamp("---\nplatform: x\n---\nHello there\n"), encoding="utf-8")
    assert output.HASH_KEY in path.read_text(encoding="utf-8")
    assert output.state(path) == "unchanged"
    path.write_text(path.read_text(encoding="utf-8") + "P.S. edited\n", encoding="utf-8")
    assert output.state(path) == "edited"
    path.write_text("---\nplatform: x\n---\nmine, no hash\n", encoding="utf-8")
    assert output.state(path) == "edited"


def _roster(tmp_path: Path, ids: list[str]) -> Path:
    roster = tmp_path / "roster.yaml"
    roster.write_text(
        "".join(
            f"- id: {i!r}\n  name: Ana Ribeiro\n  interests: [tide gauges]\n"
            f"  how_we_met: at the harbour data day\n"
            f"  reason: I am building tide-gauge dashboards too\n"
            f"  platforms: {{linkedin: ana-{len(i)}}}\n"
            for i in ids
        ),
        encoding="utf-8",
    )
    return roster


def _draft(tmp_path: Path, roster: Path, out: Path, *extra: str) -> Result:
    me = tmp_path / "me.yaml"
    if not me.exists():
        me.write_text("name: Sam Okafor\nrole: Data engineer\n", encoding="utf-8")
    return run(
        "draft", "-p", "linkedin", "-s", "connect", "-r", str(roster), "--me", str(me),
        "--out", str(out), "--no-lint", *extra,
    )  # fmt: skip


def test_escaping_id_writes_nothing_anywhere(tmp_path: Path) -> None:
    out = tmp_path / "deep" / "out"
    result = _draft(tmp_path, _roster(tmp_path, ["ok", "../../escaped"]), out)
    assert result.exit_code == 2
    assert "contains '..'" in result.stderr
    assert not out.exists()
    assert not list(tmp_path.rglob("*escaped*"))


def test_colliding_ids_write_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _draft(tmp_path, _roster(tmp_path, ["ana ribeiro", "ana-ribeiro"]), out)
    assert result.exit_code == 2
    assert "would both write" in result.stderr
    assert not out.exists()


def test_rerun_skips_existing_writes_new_and_force_keeps_edits(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = _draft(tmp_path, _roster(tmp_path, ["ana", "bo"]), out)
    assert first.exit_code == 0, first.output
    ana, bo = out / "ana.linkedin.connect.md", out / "bo.linkedin.connect.md"
    assert ana.is_file() and bo.is_file()
    ana.write_text(ana.read_text(encoding="utf-8") + "My own P.S.\n", encoding="utf-8")
    bo_before = bo.read_bytes()

    again = _draft(tmp_path, _roster(tmp_path, ["ana", "bo", "cy"]), out)
    assert again.exit_code == 0, again.output
    assert f"{ana}: exists, skipped" in again.stderr
    assert f"{bo}: exists, skipped" in again.stderr
    assert f"wrote {out / 'cy.linkedin.connect.md'}" in again.stdout
    assert "My own P.S." in ana.read_text(encoding="utf-8")

    forced = _draft(tmp_path, _roster(tmp_path, ["ana", "bo", "cy"]), out, "--force")
    assert forced.exit_code == 1
    assert f"{ana}: edited since drafter wrote it, kept (--force-edited" in forced.stderr
    assert f"wrote {bo}" in forced.stdout
    assert "My own P.S." in ana.read_text(encoding="utf-8")
    assert output.state(bo) == "unchanged"
    assert bo.read_bytes() == bo_before  # same input, same draft

    edited = _draft(tmp_path, _roster(tmp_path, ["ana", "bo", "cy"]), out, "--force-edited")
    assert edited.exit_code == 0, edited.output
    assert "My own P.S." not in ana.read_text(encoding="utf-8")
    assert output.state(ana) == "unchanged"


def test_lint_on_drafters_own_out_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    roster = _roster(tmp_path, ["ana", "bo"])
    assert _draft(tmp_path, roster, out).exit_code == 0
    (out / "zed.linkedin.connect.md").write_text(
        "---\nplatform: linkedin\nstage: connect\ncontact: zed\n---\nHi Zed, I liked your tide talk.\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    bare = run("lint", "out", "--fail-on", "never")
    assert bare.exit_code == 0, bare.output
    assert "3 drafts checked" in bare.stdout
    assert (
        "out/ana.linkedin.connect.md: note: front matter names contact 'ana' but no roster "
        "was given (--roster FILE, or roster in drafter.toml); linted without the contact's profile"
    ) in bare.stdout

    (tmp_path / "drafter.toml").write_text(f'roster = "{roster.name}"\n', encoding="utf-8")
    configured = run("lint", "out", "--fail-on", "never", "--format", "json")
    assert configured.exit_code == 0, configured.output
    notes = {f["path"]: f.get("notes", []) for f in json.loads(configured.stdout)["files"]}
    assert notes["out/ana.linkedin.connect.md"] == []
    assert notes["out/bo.linkedin.connect.md"] == []
    assert notes["out/zed.linkedin.connect.md"] == [
        f"no contact 'zed' in {roster}; linted without the contact's profile"
    ]
