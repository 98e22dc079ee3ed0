"""The `drafter` command (and `python -m drafter`): hand `lint`/`fix` to a running
`drafter server` when one fits, before importing the CLI; otherwise run the CLI here."""

import sys


def main() -> None:
    from drafter.server.client import COMMANDS, command_of, forward

    argv = sys.argv[1:]
    code = forward(argv)
    if code is not None:
        sys.exit(code)
    if command_of(argv) in COMMANDS:
        from drafter.lint.warm import quiet_start

        quiet_start()
    from drafter.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
