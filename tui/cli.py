"""Margin's command line.

`margin [PATH...]` opens the reader; `margin COMMAND ...` runs a sub-command. Each sub-command is
a module in `tui.commands` with `build_parser()` and `run(args) -> int`; it is imported only when
used, so `margin --help` and the app stay fast.

Global options (`--db PATH`, `--debug`, `--library [DIR]`, `--model NAME`) may come before the
sub-command as well as after it: `margin --db X import FILE` is `margin import --db X FILE`.
Every message that can carry user input (argparse's too) goes through `one_line`, so a file name
holding escape sequences cannot drive the terminal.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback

from tui.commands.common import CliError
from tui.core.text import one_line

COMMANDS = {
    "add": "tui.commands.add",
    "export": "tui.commands.export",
    "analyze": "tui.commands.analyze",
    "import": "tui.commands.import_",
    "annotate": "tui.commands.annotate",
    "feeds": "tui.commands.feeds",
    "fetch": "tui.commands.fetch_feeds",
    "speakers": "tui.commands.speakers",
    "quotes": "tui.commands.quotes",
    "chart": "tui.commands.chart",
    "corrections": "tui.commands.corrections",
}

# Options that may precede the sub-command: name -> how many values it takes ("?" = optional).
GLOBAL_OPTIONS = {"--db": 1, "--model": 1, "--library": "?", "--debug": 0}


def split_command(argv: list[str]) -> tuple[str | None, list[str]]:
    """(sub-command or None, its arguments): global options before the sub-command are moved
    after it (in front of its own arguments)."""
    i = 0
    while i < len(argv):
        token = argv[i]
        if token in COMMANDS:
            return token, argv[:i] + argv[i + 1 :]
        name = token.split("=", 1)[0]
        if name not in GLOBAL_OPTIONS:
            return None, argv
        takes = GLOBAL_OPTIONS[name]
        if "=" in token or takes == 0:
            i += 1
        elif takes == "?":  # `--library add X`: add is the command, not the folder
            i += 1 if i + 1 >= len(argv) or argv[i + 1] in COMMANDS or argv[i + 1].startswith("-") else 2
        else:
            i += 2
    return None, argv


def _safe_error(parser: argparse.ArgumentParser):
    def error(message: str):
        parser.print_usage(sys.stderr)
        parser.exit(2, f"{parser.prog}: error: {one_line(message, 400)}\n")

    return error


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command, rest = split_command(argv)
    module = importlib.import_module(COMMANDS[command] if command else "tui.commands.open")
    parser = module.build_parser()
    parser.error = _safe_error(parser)  # argparse echoes arguments: sanitise them
    if command is not None:
        accepted = _options_of(parser)
        moved = argv[: argv.index(command)]
        for token in moved:
            name = token.split("=", 1)[0]
            if name in GLOBAL_OPTIONS and name not in accepted:
                parser.error(f"{name} does not apply to `margin {command}`")
        rest = _after_the_action(parser, moved, rest)
    args = parser.parse_args(rest)
    status = None
    try:
        status = module.run(args)
        sys.stdout.flush()  # here, not at exit: a closed pipe is then caught below
        return status
    except CliError as exc:
        print(f"margin: error: {one_line(str(exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader of our stdout stopped early (`margin quotes | head -1`): it has what it
        # wanted, so this is success, exit 0, quietly, whatever the output's size. (git exits 141,
        # SIGPIPE, which fails a script run with `set -o pipefail`; 0 does not.) Python's own
        # recipe: point stdout at devnull, so that the flush at exit does not print "Exception
        # ignored … BrokenPipeError".
        _stdout_to_devnull()
        return status or 0  # a command that had finished keeps its own status (1: a damaged file)
    except Exception as exc:  # never a bare traceback in the user's face
        if getattr(args, "debug", False):
            traceback.print_exc()
        else:
            print(f"margin: error: {type(exc).__name__}: {one_line(str(exc))} (run with --debug for details)", file=sys.stderr)
        return 1


def _after_the_action(parser: argparse.ArgumentParser, moved: list[str], rest: list[str]) -> list[str]:
    """`margin --db X chart tags`: global options given before a command that has actions go at
    the end of its arguments (`chart tags --db X`), where the action's own parser reads them (a
    value-less `--library` can then take no positional argument's place)."""
    actions = next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)
    if not moved or actions is None or rest[: len(moved)] != moved:
        return rest
    own = rest[len(moved) :]
    if not any(token in actions.choices for token in own):
        return rest
    return own + moved


def _options_of(parser: argparse.ArgumentParser) -> set[str]:
    """Every option string `parser` or one of its sub-commands' parsers takes (`margin chart tags
    --db`, `margin feeds list --library`)."""
    options = set(parser._option_string_actions)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                options |= _options_of(sub)
    return options


def _stdout_to_devnull() -> None:
    """Send what is left in stdout's buffer (and anything later) to devnull."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # a stdout with no file descriptor (tests capture it)
        pass


if __name__ == "__main__":
    raise SystemExit(main())
