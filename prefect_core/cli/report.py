"""What `run` shows about task runs: a progress line per finished task, a summary table.

The progress printer is a task-runner state handler, so it runs wherever the task runs
(a thread, a worker process). It writes to the process's original stdout
(`sys.__stdout__`), never to a task's redirected `sys.stdout`, and only for top-level
task runs (not mapped children) that reach a finished state or `Retrying`. A failed
attempt that will be retried shows as `Failed`, then `Retrying` (the engine decides to
retry after the attempt has failed). The printer is a picklable object of a
module-level class, so process-based executors can ship it to their workers.
"""

from __future__ import annotations

import sys
from collections import Counter
from typing import TYPE_CHECKING, Any

from prefect_core.cli.tables import format_table, shorten, task_labels
from prefect_core.engine.state import Mapped, State
from prefect_core.utilities.context import context

if TYPE_CHECKING:
    from prefect_core.core.flow import Flow

# (success, failure, retrying, anything else) markers, and the ASCII ones for terminals
# that cannot encode the others.
_MARKERS = ("✓", "✗", "↻", "•")
_ASCII_MARKERS = ("+", "x", "r", "-")


def _markers(stream: Any) -> tuple[str, ...]:
    try:
        "".join(_MARKERS).encode(getattr(stream, "encoding", None) or "ascii")
    except (LookupError, UnicodeEncodeError):
        return _ASCII_MARKERS
    return _MARKERS


def state_marker(state: State, markers: tuple[str, ...] = _MARKERS) -> str:
    """The marker of a state: success, failure, retrying, or other (skipped, ...)."""
    if state.is_skipped():
        return markers[3]
    if state.is_successful():
        return markers[0]
    if state.is_failed():
        return markers[1]
    if state.is_retrying():
        return markers[2]
    return markers[3]


class TaskProgress:
    """A task-runner state handler printing `  ✓ extract  Success` when a top-level
    task run finishes (or `  ↻ extract  Retrying` when it will be retried).

    Args:
        name_width: the column width of task names (the longest name of the flow).
    """

    def __init__(self, name_width: int) -> None:
        self.name_width = name_width

    def __call__(self, task_runner: Any, old_state: State, new_state: State) -> State:
        if context.get("map_index") is not None:
            return new_state
        finished = new_state.is_finished() and not new_state.is_looped()
        if (finished and not old_state.is_finished()) or new_state.is_retrying():
            self.print_line(task_runner.task.name, new_state)
        return new_state

    def print_line(self, task_name: str, state: State) -> None:
        """Write one progress line for `task_name` in `state` (one write, so lines from
        several threads never interleave)."""
        stream = sys.__stdout__
        if stream is None:
            return
        detail = type(state).__name__
        if isinstance(state, Mapped):
            detail += f" ({state.n_map_states} children)"
        marker = state_marker(state, _markers(stream))
        stream.write(f"  {marker} {task_name.ljust(self.name_width)}  {detail}\n")
        stream.flush()


def progress_handler(flow: Flow) -> TaskProgress:
    """A `TaskProgress` sized for `flow`'s task names."""
    return TaskProgress(max((len(task.name) for task in flow.tasks), default=0))


def summary_table(flow: Flow, flow_state: State) -> str:
    """A table of every task's final state: task, state class and message; a mapped
    task's message counts its children per state (`4 children: 3 Success, 1 Failed`)."""
    task_states = flow_state.result if isinstance(flow_state.result, dict) else {}
    labels = task_labels(flow)
    rows = []
    for task in flow.sorted_tasks():
        state = task_states.get(task)
        if state is None:
            rows.append([labels[task], "-", "no state"])
            continue
        rows.append([labels[task], type(state).__name__, shorten(_state_message(state))])
    return format_table(["task", "state", "message"], rows)


def _state_message(state: State) -> str:
    children = getattr(state, "map_states", None)
    if isinstance(state, Mapped) and children is not None:
        counts = Counter(type(child).__name__ for child in children)
        described = ", ".join(f"{count} {name}" for name, count in counts.items())
        noun = "child" if len(children) == 1 else "children"
        return f"{len(children)} {noun}: {described}" if children else "0 children"
    return state.message or ""
