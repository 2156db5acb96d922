"""Margin's command line.

`margin [PATH...]` opens the reader; `margin COMMAND ...` runs a sub-command. Each sub-command is
a module in `tui.commands` with `build_parser()` and `run(args) -> int`; it is imported only when
used, so `margin --help` and the app stay fast.
"""

from __future__ import annotations

import importlib
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
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in COMMANDS:
        module = importlib.import_module(COMMANDS[argv[0]])
        rest = argv[1:]
    else:
        module = importlib.import_module("tui.commands.open")
        rest = argv
    args = module.build_parser().parse_args(rest)
    try:
        return module.run(args)
    except CliError as exc:
        print(f"margin: error: {one_line(str(exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 1
    except Exception as exc:  # never a bare traceback in the user's face
        if getattr(args, "debug", False):
            traceback.print_exc()
        else:
            print(f"margin: error: {type(exc).__name__}: {one_line(str(exc))} (run with --debug for details)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
