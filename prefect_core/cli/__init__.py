"""The `prefect-core` command line (also `python -m prefect_core`).

Commands, one module each:

- `run` (`cli/run.py`): run a flow locally and report its task states;
- `inspect` (`cli/inspect.py`): list a flow's tasks, parameters and schedule;
- `visualize` (`cli/visualize.py`): draw a flow's graph into a file;
- `config`, `version` (`cli/info.py`).

Shared pieces: `cli/loading.py` finds the flow (`-p/--path`, `-m/--module`, `-n/--name`),
`cli/params.py` reads `--param`, `--param-file` and `--context`, `cli/executors.py` reads
`--executor`, `cli/report.py` and `cli/tables.py` print progress lines and tables.

Exit codes: 0 success, 1 the flow ran and did not succeed, 2 bad usage or bad input
(130 after Ctrl-C, 141 when stdout is closed early, as in `prefect-core config | head`).
Bad usage or input is always one line on stderr, `prefect-core: error: ...`, never a
traceback: argparse's errors are shortened to one line, and the commands raise
`CliError` for bad input.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from prefect_core.cli import info, inspect, run, visualize
from prefect_core.cli.errors import USAGE_ERROR_EXIT_CODE, CliError

INTERRUPTED_EXIT_CODE = 130
BROKEN_PIPE_EXIT_CODE = 141  # 128 + SIGPIPE, what a shell reports for `... | head`


class CommandParser(argparse.ArgumentParser):
    """An `ArgumentParser` whose usage errors are one line on stderr (exit code 2)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(
            USAGE_ERROR_EXIT_CODE,
            f"prefect-core: error: {message} (see '{self.prog} --help')\n",
        )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `prefect-core`, with every command."""
    parser = CommandParser(
        prog="prefect-core",
        description="prefect_core: a fast engine for Prefect 1.x Core flows. Exit codes: 0 "
        "success, 1 the flow ran and did not succeed, 2 bad usage or input.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    run.add_command(commands)
    inspect.add_command(commands)
    visualize.add_command(commands)
    info.add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (see the module docstring)."""
    arguments = build_parser().parse_args(argv)
    saved_path = list(sys.path)  # loading a flow puts its folder first
    try:
        return arguments.handler(arguments)
    except CliError as error:
        print(f"prefect-core: error: {error}", file=sys.stderr)
        return USAGE_ERROR_EXIT_CODE
    except KeyboardInterrupt:
        print("prefect-core: interrupted", file=sys.stderr)
        return INTERRUPTED_EXIT_CODE
    except BrokenPipeError:
        # The reader went away (`prefect-core config | head`): stop quietly, and keep
        # Python from failing again when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return BROKEN_PIPE_EXIT_CODE
    finally:
        sys.path[:] = saved_path
