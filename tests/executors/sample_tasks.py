"""Functions, tasks and flows shared by the executor tests.

They live in a module of their own so that Dask worker processes can import them (a task
run travels to a worker as a reference to its module and name).
"""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path

import distributed

import prefect_core
from prefect_core import Flow, task
from prefect_core.engine import signals
from prefect_core.engine.state import Mapped, State
from prefect_core.triggers import always_run, any_failed
from prefect_core.utilities.logging import get_logger


def extra_context(name: str = "inc", index: int | None = None, tags: set | None = None) -> dict:
    """The `extra_context` the flow runner passes with each task run."""
    return {"task_name": name, "task_tags": tags or set(), "task_index": index}


def inc(x: int) -> int:
    """x + 1."""
    return x + 1


def add(x: int, y: int) -> int:
    """x + y."""
    return x + y


def count_call(path: str, value: int) -> int:
    """Append a line to `path` (a call counter that works across processes)."""
    with open(path, "a") as calls:
        calls.write("call\n")
    return value


def calls_in(path: Path) -> int:
    """How many calls `count_call` counted in `path`."""
    return len(path.read_text().splitlines()) if path.exists() else 0


@task
def counted_numbers(path: str) -> list[int]:
    """[1, 2, 3], counting its runs in the file at `path`."""
    count_call(path, 0)
    return [1, 2, 3]


# -- tasks of the flows run on every executor ---------------------------------------------


@task
def numbers() -> list[int]:
    """The list mapped over."""
    return [1, 2, 3, 4]


@task(max_retries=1, retry_delay=timedelta(seconds=0))
def flaky_double(x: int) -> int:
    """Fails the first run of item 2, like a network hiccup; the retry succeeds."""
    if x == 2 and prefect_core.context.get("task_run_count") == 1:
        raise ConnectionError("the first try of item 2 fails")
    return 2 * x


@task
def keep_even(x: int) -> int:
    """x, or SKIP when x is odd."""
    if x % 2:
        raise signals.SKIP(f"{x} is odd")
    return x


@task
def square(x: int) -> int:
    """x * x."""
    return x * x


@task
def reject_three(x: int) -> int:
    """x, failing for 3."""
    if x == 3:
        raise ValueError("three is rejected")
    return x


@task
def total(values: list[int]) -> int:
    """A reduce: the sum."""
    return sum(values)


@task(trigger=any_failed)
def alert(values: list) -> str:
    """Runs only when an upstream run failed."""
    return "on-call paged"


@task(trigger=always_run, skip_on_upstream_skip=False)
def cleanup() -> str:
    """Runs whatever happened upstream."""
    return "cleaned up"


def equivalence_flow() -> Flow:
    """Mapping, a mapped retry, skips, a failure, triggers and reduces in one flow."""
    with Flow("equivalence") as flow:
        items = numbers()
        doubled = flaky_double.map(items)
        summed = total(doubled)
        evens = keep_even.map(items)
        squared = square.map(evens)
        checked = reject_three.map(items)
        checked_total = total(checked)
        alert(checked)
        cleaned = cleanup(upstream_tasks=[summed, checked_total, squared])
    flow.set_reference_tasks([summed, checked_total, cleaned])
    return flow


def describe(state: State) -> tuple:
    """What must be identical whatever the executor: class, message, result, children."""
    if isinstance(state, Mapped):
        return ("Mapped", state.message, tuple(describe(child) for child in state.map_states))
    return (type(state).__name__, state.message, repr(state.result))


def describe_run(flow: Flow, executor) -> dict:
    """The flow's state and each task's `describe`, by task slug."""
    state = flow.run(executor=executor)
    return {
        "flow": (type(state).__name__, state.message),
        **{flow.slugs[task_]: describe(task_state) for task_, task_state in state.result.items()},
    }


@task
def current_dask_key(x: int) -> str:
    """The key of the Dask task running this task run."""
    return distributed.get_worker().get_current_task()


@task(tags=["dask-resource:GPU=1"])
def resources_of_this_run() -> dict:
    """The resources Dask reserved for the Dask task running this task run."""
    worker = distributed.get_worker()
    return dict(worker.state.tasks[worker.get_current_task()].resource_restrictions)


@task
def warn_from_worker(x: int) -> int:
    """Logs a warning through the task's logger."""
    prefect_core.context.logger.warning("hello from worker %s", x)
    return x


def log_once(message: str) -> None:
    """Logs `message` once, on `prefect_core.worker`."""
    get_logger("worker").warning(message)


@task(timeout=1)
def sleepy() -> str:
    """Sleeps well past its 1 s timeout."""
    time.sleep(5)
    return "woke up"


@task
def timed_first(seconds: float) -> tuple[float, float]:
    """Sleep `seconds`; return (start, end) wall times."""
    start = time.time()
    time.sleep(seconds)
    return start, time.time()


@task
def timed_second(span: tuple[float, float]) -> float:
    """The wall time this run started."""
    return time.time()


class ClientTrackedList(list):
    """A list that, when unpickled in the process whose pid is `watched_pid`, appends a
    line to `marker`: proof that it travelled to that process."""

    def __init__(self, items, watched_pid: int, marker: str) -> None:
        super().__init__(items)
        self.watched_pid = watched_pid
        self.marker = marker

    def __reduce__(self):
        return _rebuild_tracked, (list(self), self.watched_pid, self.marker)


def _rebuild_tracked(items, watched_pid, marker):
    if os.getpid() == watched_pid:
        with open(marker, "a") as record:
            record.write("unpickled in the watched process\n")
    return ClientTrackedList(items, watched_pid, marker)


@task
def tracked_items(count: int, watched_pid: int, marker: str) -> ClientTrackedList:
    return ClientTrackedList(range(count), watched_pid, marker)
