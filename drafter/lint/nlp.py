"""The one cached spaCy pipeline per process: blank English plus rule-based parts by default.

`NORM` carries drafter's matching lemma (see lemmas.py): it is a lexeme attribute, so it is
computed once per vocabulary entry, not once per token, which keeps linting fast.
A trained pipeline, when configured and installed, is loaded separately and only feeds the checks
that need it (named entities); the rules themselves always run on the same blank pipeline.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar

from drafter.core.errors import DrafterError
from drafter.lint.lemmas import lemma

if TYPE_CHECKING:
    from spacy.language import Language


@lru_cache(maxsize=1)
def blank_pipeline() -> Language:
    """Blank English whose tokenizer is built once with drafter's lemma key already in NORM:
    assigning `tokenizer.rules` afterwards would build all ~2,700 special cases a second time."""
    from spacy.attrs import NORM, ORTH
    from spacy.lang.en import English
    from spacy.vocab import create_vocab

    english: Any = English

    class _Defaults(english.Defaults):  # type: ignore[misc]
        tokenizer_exceptions: ClassVar[dict[str, list[dict[int, Any]]]] = {
            key: [{**t, NORM: lemma(str(t.get(NORM, t[ORTH])))} for t in tokens]
            for key, tokens in english.Defaults.tokenizer_exceptions.items()
        }

    class DrafterEnglish(english):  # type: ignore[misc]
        lang = "en"
        Defaults = _Defaults

    vocab: Any = create_vocab("en", _Defaults)
    vocab.lex_attr_getters[NORM] = lemma  # every lexeme's NORM is drafter's lemma, nothing else
    return DrafterEnglish(vocab=vocab)  # sentences come from text.py (also breaks at newlines)


@lru_cache(maxsize=2)
def trained_pipeline(name: str) -> Language:
    """An optional trained English pipeline (e.g. en_core_web_sm) for entity evidence."""
    import spacy

    try:
        return spacy.load(name, exclude=["lemmatizer"])
    except OSError:
        raise DrafterError(
            f"spaCy pipeline '{name}' is not installed; install it or remove nlp.model from the config"
        ) from None
