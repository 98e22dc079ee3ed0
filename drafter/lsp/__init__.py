"""The language server: a session that owns config and the Linter, and a thin pygls server."""
