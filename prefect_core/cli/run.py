"""`prefect-core run`: load a flow, run it locally, report how it went.

Output (stdout; `-q/--quiet` keeps only the logs):

    Retrieving local flow... Done
    Configured local flow run              (only with parameters or context)
    └── Parameters: {'n': 3}
    └── Context: {'env': 'dev'}
    Running flow locally...
    └── 12:00:01 | INFO    | Beginning Flow run for 'etl'      (the logs)
      ✓ extract  Success                   (progress lines, on a terminal only)
    TASK     STATE    MESSAGE              (the summary table)
    extract  Success  Task run succeeded.
    Flow run succeeded!                    (or "Flow run failed!")

Exit codes: 0 the flow run succeeded, 1 it ran and did not succeed, 2 bad usage or input.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from prefect_core.cli.errors import CliError
from prefect_core.cli.executors import (
    EXECUTOR_CHOICES,
    executor_from_option,
    runs_in_this_terminal,
)
from prefect_core.cli.loading import add_location_arguments, check_location, load_flow
from prefect_core.cli.params import (
    check_parameters,
    merge_parameters,
    parse_key_values,
    read_parameter_file,
)
from prefect_core.cli.report import progress_handler, summary_table
from prefect_core.utilities.context import context
from prefect_core.utilities.logging import temporary_logger_config

if TYPE_CHECKING:
    from prefect_core.core.flow import Flow
    from prefect_core.engine.state import State
    from prefect_core.executors import Executor

LOG_FORMAT = "└── %(asctime)s | %(levelname)-7s | %(message)s"
LOG_DATE_FORMAT = "%H:%M:%S"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# Options of Prefect 1.4.1's `prefect run` that need a backend: (flags, takes a value).
BACKEND_OPTIONS = {
    "backend_id": (("--id", "-i"), True),
    "project": (("--project",), True),
    "label": (("--label",), True),
    "idempotency_key": (("--idempotency-key",), True),
    "execute": (("--execute",), False),
    "watch": (("--watch", "-w"), False),
}


def add_command(commands: Any) -> None:
    """Register `run` on the `prefect-core` subcommands."""
    parser = commands.add_parser(
        "run",
        help="run a flow locally",
        description="Run a flow from a Python file or module, locally, and report its task "
        "states. Exit code 0: the flow run succeeded; 1: it ran and did not succeed; "
        "2: bad usage or input.",
    )
    add_location_arguments(parser)
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a parameter value, read as JSON or else as a string (repeatable)",
    )
    parser.add_argument(
        "--param-file", metavar="FILE", help="a JSON file of parameter values (--param wins)"
    )
    parser.add_argument(
        "--context",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a context value for the run, read like --param (repeatable)",
    )
    parser.add_argument(
        "--executor", metavar="EXECUTOR", help=f"where tasks run: {EXECUTOR_CHOICES}"
    )
    parser.add_argument(
        "--log-level",
        type=str.upper,
        choices=LOG_LEVELS,
        metavar="LEVEL",
        help="the log level for the run: " + ", ".join(LOG_LEVELS),
    )
    parser.add_argument("--no-logs", action="store_true", help="print no log lines")
    parser.add_argument(
        "-s",
        "--schedule",
        action="store_true",
        help="follow the flow's schedule (run after run); by default it runs once, now",
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="print only the logs, not prefect-core's lines"
    )
    parser.add_argument("--run-name", metavar="NAME", help="the flow run's name")
    for destination, (flags, takes_value) in BACKEND_OPTIONS.items():
        action = "store" if takes_value else "store_true"
        parser.add_argument(*flags, dest=destination, action=action, help=argparse.SUPPRESS)
    parser.set_defaults(handler=run_command)


def run_command(arguments: argparse.Namespace) -> int:
    """Run the flow the arguments name; returns the exit code (0 or 1; 2 via CliError).

    Every option is checked before the flow file runs, and the parameters before the
    flow does, so bad input never starts a run.
    """
    _refuse_backend_options(arguments)
    check_location(arguments)
    say = _printer(quiet=arguments.quiet)
    executor = executor_from_option(arguments.executor)
    cli_parameters = parse_key_values(arguments.param, "parameter")
    file_parameters = read_parameter_file(arguments.param_file) if arguments.param_file else {}
    context_values = parse_key_values(arguments.context, "context")

    say("Retrieving local flow...", end="")
    try:
        flow = load_flow(arguments, purpose="run")
    except CliError:
        say(" Error")
        raise
    say(" Done")
    parameters = merge_parameters(file_parameters, cli_parameters, say)
    check_parameters(flow, parameters)
    if arguments.schedule and flow.schedule is not None and not flow.schedule.next(1):
        raise CliError(f"Flow {flow.name!r} has no more scheduled runs (its schedule ended).")
    if parameters or context_values:
        say("Configured local flow run")
        if parameters:
            say(f"└── Parameters: {parameters}")
        if context_values:
            say(f"└── Context: {context_values}")

    say("Running flow locally...")
    level = logging.CRITICAL + 1 if arguments.no_logs else arguments.log_level
    with _run_logging(level), context(**context_values):
        try:
            flow_state = flow.run(
                parameters=parameters,
                run_on_schedule=arguments.schedule,
                **_run_options(arguments, flow, executor),
            )
        except Exception:
            # Not bad input (that was checked above): an error of the engine or of the
            # flow's own code outside its tasks, so the traceback is worth showing.
            print("Flow runner encountered an exception!", file=sys.stderr)
            print(_indented(traceback.format_exc()), file=sys.stderr, flush=True)
            say("Flow run failed!")
            return 1
    return _report(flow, flow_state, say)


def _refuse_backend_options(arguments: argparse.Namespace) -> None:
    for destination, (flags, _) in BACKEND_OPTIONS.items():
        if getattr(arguments, destination):
            raise CliError(
                f"{flags[0]} needs a Prefect backend (Server or Cloud); prefect-core runs flows "
                "locally from -p/--path or -m/--module."
            )


def _run_options(
    arguments: argparse.Namespace, flow: Flow, executor: Executor | None
) -> dict[str, Any]:
    """The keyword arguments for `flow.run` besides parameters and schedule."""
    options: dict[str, Any] = {}
    if executor is not None:
        options["executor"] = executor
    if arguments.run_name is not None:
        options["flow_run_name"] = arguments.run_name
    if (
        not arguments.quiet
        and sys.stdout.isatty()
        and runs_in_this_terminal(executor or flow.executor)
    ):
        options["task_runner_state_handlers"] = [progress_handler(flow)]
    return options


def _report(flow: Flow, flow_state: State | None, say: Any) -> int:
    """Print the summary table and the verdict line; returns the exit code."""
    if flow.tasks and flow_state is not None and isinstance(flow_state.result, dict):
        say(summary_table(flow, flow_state))
    if flow_state is not None and flow_state.is_successful():
        say("Flow run succeeded!")
        return 0
    if flow_state is None or flow_state.is_failed():
        say("Flow run failed!")
    else:
        say(f"Flow run did not finish: {type(flow_state).__name__}: {flow_state.message}")
    return 1


def _printer(quiet: bool) -> Any:
    """A `print` that prints nothing when `quiet` (and always flushes, so its lines and
    the log lines keep their order)."""

    def say(text: str, end: str = "\n") -> None:
        if not quiet:
            print(text, end=end, flush=True)

    return say


@contextmanager
def _run_logging(level: int | str | None) -> Iterator[None]:
    """The run's log format and level (`level=None` keeps the configured level).

    The level is set on the `prefect_core` logger and on its handlers: records that Dask
    workers send back are handled without the logger's level check, and the workers of
    an existing cluster log at their own level. It is also put in the environment
    (`PREFECT_CORE__LOGGING__LEVEL`) for the run, so worker processes started for it (a
    temporary Dask cluster) log at that level too.
    """
    variable = "PREFECT_CORE__LOGGING__LEVEL"
    previous = os.environ.get(variable)
    if level is not None:
        os.environ[variable] = str(level)
    try:
        with temporary_logger_config(
            level=level, stream_fmt=LOG_FORMAT, stream_datefmt=LOG_DATE_FORMAT
        ) as logger:
            handler_levels = [(handler, handler.level) for handler in logger.handlers]
            for handler, _ in handler_levels:
                if level is not None:
                    handler.setLevel(level)
                handler.handleError = _ignoring_broken_pipes(handler.handleError)
            try:
                yield
            finally:
                for handler, handler_level in handler_levels:
                    handler.setLevel(handler_level)
                    del handler.handleError  # the class's method again
    finally:
        if previous is None:
            os.environ.pop(variable, None)
        else:
            os.environ[variable] = previous


def _ignoring_broken_pipes(handle_error: Any) -> Any:
    """A handler's `handleError` that ignores a closed stdout (`prefect-core run | head`):
    otherwise every later record prints a "Logging error" traceback on stderr."""

    def handle(record: logging.LogRecord) -> None:
        if not isinstance(sys.exc_info()[1], BrokenPipeError):
            handle_error(record)

    return handle


def _indented(text: str) -> str:
    return "\n".join("    " + line for line in text.rstrip().splitlines())
