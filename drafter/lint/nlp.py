"""The one cached spaCy pipeline per process: blank English plus rule-based parts by default.

`NORM` carries drafter's matching lemma (see lemmas.py): it is a lexeme attribute, so it is
computed once per vocabulary entry, not once per token, which keeps linting fast.
A trained pipeline, when configured and installed, is loaded separately and only feeds the checks
that need it (named entities); the rules themselves always run on the same blank pipeline.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from drafter.core.errors import DrafterError
from drafter.lint.lemmas import lemma

if TYPE_CHECKING:
    from spacy.language import Language


@lru_cache(maxsize=1)
def blank_pipeline() -> Language:
    import spacy
    from spacy.attrs import NORM, ORTH

    nlp = spacy.blank("en")
    vocab: Any = nlp.vocab
    vocab.lex_attr_getters[NORM] = lemma
    for lexeme in vocab:
        lexeme.norm_ = lemma(lexeme.orth_)
    tokenizer: Any = nlp.tokenizer
    rules: dict[str, list[dict[int, Any]]] = {}
    for key, tokens in tokenizer.rules.items():
        rules[key] = [{**t, NORM: lemma(str(t.get(NORM, t[ORTH])))} for t in tokens]
    tokenizer.rules = rules
    return nlp  # sentences come from text.py, which also breaks them at newlines


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
