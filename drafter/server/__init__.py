"""`drafter server`: a warm linter for the command line, on a socket private to the user.

Kept import-light: the `drafter` command imports drafter.server.client before anything else.
"""
