"""The pre-send linter: rules as data, a spaCy matching engine, findings and scores."""

from drafter.lint import spacy_import

spacy_import.install()  # before any module of this package imports spaCy
