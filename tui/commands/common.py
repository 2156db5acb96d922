"""What the sub-commands share: the user-facing error, database options and opening the store."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path


class CliError(Exception):
    """A user-facing failure: printed as one line, exit status 1."""


def add_db_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="annotations database: PATH holds the schema version, PATH.d/ one file per article (default: $MARGIN_DB or the user data dir)",
    )
    add_debug_option(parser)


def add_debug_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--debug", action="store_true", help="show a traceback on errors")


def resolve_db(arg: str | None) -> tuple[Path, bool]:
    """(database path, explicit?) from --db, $MARGIN_DB or the default: `~` expanded and symlinks
    resolved here, once (a symlinked database is its target, for reads, writes and the lock)."""
    from tui.core.paths import default_db_path

    if arg:
        path, explicit = Path(arg), True
    else:
        path, explicit = default_db_path(), bool(os.environ.get("MARGIN_DB"))
    return Path(os.path.realpath(path.expanduser())), explicit


def open_store(arg: str | None, keep_damaged: bool = False, create: bool = True):
    """The annotations database of `--db` (or the default), its notice printed on stderr.
    `keep_damaged` for commands that only read: a damaged article file is skipped and left
    untouched (`report_store_problems` names it); without `create` nothing is created."""
    from tui.core.storage.errors import StoreError  # not tui.core.store: re-anchoring (rapidfuzz) is not needed to open it
    from tui.core.storage.store import AnnotationStore

    path, explicit = resolve_db(arg)
    try:
        store = AnnotationStore.open(path, explicit=explicit, keep_damaged=keep_damaged, create=create)
    except StoreError as exc:
        raise CliError(str(exc)) from None
    if store.notice:
        from tui.core.text import one_line

        print(f"margin: {one_line(store.notice)}", file=sys.stderr)
        store.notice = None  # shown: `report_store_problems` prints only what reading adds
    return store


def open_store_to_read(arg: str | None):
    """The database for a command that only reads annotations (`export`, `chart tags`,
    `corrections export`), opened with `keep_damaged` and never created: a `--db` that does not
    exist (a typo, a dangling symlink) is a CliError; the default database or $MARGIN_DB not
    created yet gives None (nothing to read)."""
    from tui.core.storage.atomic import describe_os_error
    from tui.core.storage.shards import shard_dir_for

    path, _explicit = resolve_db(arg)
    exists = True
    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        exists = False
    except OSError as exc:  # a symlink loop, a folder that cannot be searched
        raise CliError(f"cannot open the annotations database {path}: {describe_os_error(exc)}") from None
    if not exists and not shard_dir_for(path).is_dir():
        if arg:
            raise CliError(f"no database at {path}: nothing was read or created (check the --db path)")
        return None
    return open_store(arg, keep_damaged=True, create=False)


def report_store_problems(store) -> int:
    """Print what reading the store found (damaged records skipped, one line per damaged article
    file left untouched) on stderr; returns the number of damaged files (exit status 1 if any)."""
    from tui.core.text import one_line

    if store is None:  # no database yet: nothing was read
        return 0
    if store.notice:
        print(f"margin: {one_line(store.notice)}", file=sys.stderr)
        store.notice = None
    for path, reason in sorted(store.damaged.items()):
        print(
            f"margin: {one_line(str(path))} is damaged ({one_line(reason, 200)}); it was skipped and left untouched",
            file=sys.stderr,
        )
    return len(store.damaged)


# -- argument types ------------------------------------------------------------------------------
def output_file(value: str) -> str | None:
    """argparse type of `-o FILE`: `-` means stdout (None); an empty name is an error."""
    if value == "-":
        return None
    if not value:
        raise argparse.ArgumentTypeError("the file name is empty (give a file name, or - for stdout)")
    return value


def timeout_seconds(value: str) -> float:
    """argparse type of `--timeout`: a finite number of seconds above 0, at most MAX_TIMEOUT."""
    from tui.core.fetch import timeout_problem

    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds") from None
    problem = timeout_problem(seconds)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return seconds


def positive_int(value: str) -> int:
    """argparse type of a count (`--jobs`): a whole number, 1 or more."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"give 1 or more (not {number})")
    return number


def library_hint(library: str | None) -> str:
    """The command that opens the library `--library DIR` named (DIR shell-quoted), or the default one."""
    import shlex

    return f"margin --library {shlex.quote(str(Path(library).expanduser()))}" if library else "margin --library"


# -- what commands print -------------------------------------------------------------------------
def shown_path(path: str) -> str:
    """`path` for a CSV or text output, unambiguously (the quote tables' form: `quote_table.shown_path`)."""
    from tui.core.quote_table import shown_path as tables_form  # not at start-up: the app imports this module

    return tables_form(path)


# Lone surrogates: how Python keeps the bytes of a file name that are not UTF-8 (U+DC80..U+DCFF
# for bytes 0x80..0xFF); they cannot be written as UTF-8.
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def json_text(document: object, indent: int | None = None) -> str:
    """`document` as JSON text for stdout: non-ASCII text as it is, but C1 controls and bidi
    overrides (`terminal_safe_json`) and a file name's bytes that are not UTF-8 written as \\u
    escapes ("caf\\udce9.txt", as `margin export` writes them): valid UTF-8 whatever the
    names, and `json.loads` gives back the exact path (`os.fsencode` its bytes)."""
    import json

    from tui.core.text import terminal_safe_json

    text = json.dumps(document, ensure_ascii=False, indent=indent)
    return terminal_safe_json(_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


# -- output files --------------------------------------------------------------------------------
def check_output(output: str | None, force: bool, db: str | None = None) -> None:
    """Before any work, refuse an `-o FILE` that cannot be written: a file of the annotations
    database (`--db`, the default one, or one opened), a folder, a block device or socket, or an
    existing file without `force`. A terminal or pipe (/dev/stdout) is fine: it is written into."""
    if output is None:
        return
    from tui.core.output import (
        DatabaseFileError,
        NotRegularFileError,
        check_not_database,
        is_stream,
        own_descriptor,
        resolve_output,
    )

    try:
        check_not_database(Path(output), [resolve_db(db)[0]])
        if own_descriptor(Path(output)) is not None:
            return  # /dev/stdout and the like: what the shell opened is written into, never replaced
        target = resolve_output(Path(output), streams=True)
    except (NotRegularFileError, IsADirectoryError, DatabaseFileError) as exc:
        raise CliError(str(exc)) from None
    if os.path.lexists(target) and not force and not is_stream(target):
        raise CliError(f"{Path(output).expanduser()} already exists (use --force to overwrite it)")


def is_terminal(output: str) -> bool:
    """Whether `-o FILE` names a terminal (/dev/tty, or /dev/stdout on one): it is then written
    what a terminal may be shown, as stdout is."""
    import stat

    from tui.core.output import is_stream, own_descriptor

    fd = own_descriptor(Path(output))
    if fd is not None:
        return os.isatty(fd)
    if not is_stream(Path(output)):
        return False
    try:
        if stat.S_ISFIFO(os.stat(output).st_mode):
            return False  # opening it to ask would end the reader's input
    except OSError:
        return False
    try:
        fd = os.open(output, os.O_WRONLY | os.O_NOCTTY | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        return os.isatty(fd)
    finally:
        os.close(fd)


def write_output_file(output: str, payload: str, force: bool, db: str | None = None) -> None:
    """Write `payload` to `-o FILE` (`tui.core.output.write_output`: atomically, or straight into
    a terminal or pipe); every failure is a CliError. A closed pipe (BrokenPipeError) is left to
    `tui.cli.main`."""
    from tui.core.output import write_output
    from tui.core.storage.atomic import describe_os_error
    from tui.core.text import one_line

    try:
        write_output(Path(output), payload, force=force, streams=True, databases=[resolve_db(db)[0]])
    except BrokenPipeError:
        raise
    except (FileExistsError, FileNotFoundError, IsADirectoryError) as exc:
        raise CliError(str(exc).strip()) from None
    except OSError as exc:
        if exc.errno is None:  # ours (a database file, a device): the message says it all
            raise CliError(str(exc).strip()) from None
        raise CliError(f"cannot write {one_line(output)}: {describe_os_error(exc)}") from None
