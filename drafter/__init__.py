"""drafter: personalised networking drafts, and a linter that catches spam-like phrasing before sending."""

__version__ = "0.1.0"
