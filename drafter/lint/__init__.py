"""The pre-send linter: rules as data, a spaCy matching engine, findings and scores."""
