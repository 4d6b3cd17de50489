"""Executors change where task runs happen, never their outcome: a property-based test.

Hypothesis draws random flows (a DAG of 3 to 12 tasks with random fan-in, behaviours,
triggers, skip settings, maps, chained maps and reduces), and each flow is run with
`LocalExecutor` (the reference), `LocalDaskExecutor("threads")`,
`LocalDaskExecutor("processes")` and a `DaskExecutor` connected to one `LocalCluster`
shared by the module. Every task, and every mapped child, must end in the same state
class with the same result under every executor (messages may differ).

Task behaviour depends only on the task's inputs, its index in the flow and
`context.task_run_count`, so it is the same in any thread or process.
"""

from __future__ import annotations

import logging
import zlib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import distributed
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prefect_core import Flow, Task, context, triggers, unmapped
from prefect_core.engine import signals
from prefect_core.engine.state import Mapped, State
from prefect_core.exceptions import PrefectSignal
from prefect_core.executors import DaskExecutor, LocalDaskExecutor, LocalExecutor

TRIGGERS = {
    "all_successful": triggers.all_successful,
    "all_finished": triggers.all_finished,
    "any_failed": triggers.any_failed,
    "any_successful": triggers.any_successful,
    "all_failed": triggers.all_failed,
}

# "value" returns a value; "raise" raises an error and "skip" raises `SKIP`, always;
# the "_some" variants do so only for some inputs (so mapped children differ);
# "flaky" fails its first attempt and succeeds on its retry. "value" (and below, the
# triggers that usually let a task run) are drawn more often, so that failures and skips
# do not stop most flows before their maps.
BEHAVIOURS = (*("value",) * 4, "raise", "skip", "flaky", "flaky", "raise_some", "skip_some")
TRIGGER_NAMES = (
    *("all_successful", "all_finished") * 2,
    "any_failed",
    "any_successful",
    "all_failed",
)


@dataclass(frozen=True)
class TaskSpec:
    """One generated task: what it does and what it is wired to.

    `inputs` holds `(upstream index, mapped edge?)` pairs. `width` is the length of the
    list that the task returns (a list that later tasks may map over), or None for a
    task returning an integer.
    """

    behaviour: str
    width: int | None
    trigger: str
    skip_on_upstream_skip: bool
    is_mapped: bool
    inputs: tuple[tuple[int, bool], ...]


def digest(value: Any) -> int:
    """A small integer standing for `value`, identical in every process.

    Signals count by type only (their messages are free to differ); other errors by type
    and arguments.
    """
    if value is None:
        return 1
    if isinstance(value, bool):
        return 2 + value
    if isinstance(value, int):
        return value % 1_000_003
    if isinstance(value, str):
        return zlib.crc32(value.encode())
    if isinstance(value, (list, tuple)):
        total = 17
        for item in value:
            total = (total * 31 + digest(item)) % 1_000_003
        return total
    if isinstance(value, PrefectSignal):
        return digest(type(value).__name__)
    if isinstance(value, BaseException):
        return digest([type(value).__name__, *value.args])
    return digest(type(value).__name__)


class GeneratedTask(Task):
    """A task whose outcome is a pure function of its inputs, its salt and the attempt."""

    def __init__(self, behaviour: str, width: int | None, salt: int, **task_kwargs: Any) -> None:
        self.behaviour = behaviour
        self.width = width
        self.salt = salt
        super().__init__(**task_kwargs)

    def run(self, **inputs: Any) -> Any:
        """Return, raise or skip as `behaviour` says, from a digest of the inputs."""
        seed = digest([self.salt, *sorted(inputs.items())])
        behaviour = self.behaviour
        if behaviour == "raise" or (behaviour == "raise_some" and seed % 3 == 0):
            raise ValueError(f"task {self.salt} failed", seed)
        if behaviour == "skip" or (behaviour == "skip_some" and seed % 3 == 0):
            raise signals.SKIP(f"task {self.salt} skipped")
        if behaviour == "flaky" and context.get("task_run_count") == 1:
            raise RuntimeError(f"task {self.salt} failed its first attempt", seed)
        if self.width is not None:
            return [(seed + item) % 97 for item in range(self.width)]
        return seed % 1000


def _can_be_mapped_over(spec: TaskSpec) -> bool:
    return spec.is_mapped or spec.width is not None


@st.composite
def flow_specs(draw: st.DrawFn) -> tuple[TaskSpec, ...]:
    """3 to 12 tasks, each of one of four kinds, wired to earlier tasks by keyword:

    - "plain" and "list" (returns a list of 0 to 4 items) read up to three earlier tasks;
    - "map" maps over an earlier list task or mapped task (a chained map), maybe over a
      second one too, and may read one more earlier task `unmapped` (for a mapped task:
      a reduce inside each child);
    - "reduce" is a plain task reading a mapped task whole, maybe with another input.
    A kind whose source is missing (no earlier list or mapped task) becomes "plain".
    """
    specs: list[TaskSpec] = []
    for index in range(draw(st.integers(3, 12))):
        earlier = list(range(index))
        sources = [upstream for upstream in earlier if _can_be_mapped_over(specs[upstream])]
        maps = [upstream for upstream in earlier if specs[upstream].is_mapped]
        kind = draw(st.sampled_from(("plain", "list", "list", "map", "map", "map", "reduce")))
        if (kind == "map" and not sources) or (kind == "reduce" and not maps):
            kind = "plain"
        inputs: dict[int, bool] = {}
        if kind == "map":
            for source in draw(st.lists(st.sampled_from(sources), min_size=1, max_size=2)):
                inputs[source] = True
        if kind == "reduce":
            inputs[draw(st.sampled_from(maps))] = False
        extra_inputs = 1 if kind in ("map", "reduce") else 3
        if earlier:
            for upstream in draw(st.lists(st.sampled_from(earlier), max_size=extra_inputs)):
                inputs.setdefault(upstream, False)
        specs.append(
            TaskSpec(
                behaviour=draw(st.sampled_from(BEHAVIOURS)),
                width=draw(st.sampled_from((2, 3, 1, 4, 0))) if kind == "list" else None,
                trigger=draw(st.sampled_from(TRIGGER_NAMES)),
                skip_on_upstream_skip=draw(st.booleans()),
                is_mapped=kind == "map",
                inputs=tuple(inputs.items()),
            )
        )
    return tuple(specs)


def build_flow(specs: tuple[TaskSpec, ...]) -> tuple[Flow, list[Task]]:
    """The flow described by `specs`, and its tasks in spec order."""
    flow = Flow("equivalence")
    tasks: list[Task] = []
    with flow:
        for index, spec in enumerate(specs):
            retries = (
                {"max_retries": 1, "retry_delay": timedelta(0)} if spec.behaviour == "flaky" else {}
            )
            template = GeneratedTask(
                behaviour=spec.behaviour,
                width=spec.width,
                salt=index,
                name=f"t{index}",
                trigger=TRIGGERS[spec.trigger],
                skip_on_upstream_skip=spec.skip_on_upstream_skip,
                **retries,
            )
            inputs = {
                f"x{upstream}": tasks[upstream] if is_mapped_edge else unmapped(tasks[upstream])
                for upstream, is_mapped_edge in spec.inputs
            }
            tasks.append(template.map(**inputs) if spec.is_mapped else template(**inputs))
    return flow, tasks


def comparable(value: Any) -> Any:
    """`value` in a form that compares equal across executors and processes."""
    if isinstance(value, PrefectSignal):
        return ("signal", type(value))
    if isinstance(value, BaseException):
        return ("error", type(value), tuple(comparable(arg) for arg in value.args))
    if isinstance(value, (list, tuple)):
        return [comparable(item) for item in value]
    return value


def outcome(state: State) -> tuple:
    """A state's class and result, with its mapped children's outcomes."""
    if isinstance(state, Mapped):
        children = tuple(outcome(child) for child in state.map_states)
        return (type(state), children)
    return (type(state), comparable(state.result))


def run_outcomes(flow: Flow, tasks: list[Task], executor: Any) -> dict[str, tuple]:
    """Run `flow` on `executor`; the outcome of the flow and of every task, by name."""
    flow_state = flow.run(executor=executor)
    outcomes = {"<flow>": (type(flow_state),)}
    for task in tasks:
        outcomes[task.name] = outcome(flow_state.result[task])
    return outcomes


@pytest.fixture(scope="module")
def dask_cluster():
    """One two-process `LocalCluster` for the whole module."""
    # The scheduler serves HTTP even without a dashboard; port 0 keeps it off 8787, where
    # another cluster would make it warn.
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        scheduler_kwargs={"dashboard": False},
        silence_logs=logging.CRITICAL,
    ) as cluster:
        yield cluster


@pytest.mark.timeout(300)
@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=False,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(specs=flow_specs())
def test_every_executor_gives_the_same_states_as_the_local_executor(dask_cluster, specs):
    flow, tasks = build_flow(specs)
    expected = run_outcomes(flow, tasks, LocalExecutor())
    executors = {
        "LocalDaskExecutor(threads)": LocalDaskExecutor("threads"),
        "LocalDaskExecutor(processes)": LocalDaskExecutor("processes", num_workers=2),
        "DaskExecutor": DaskExecutor(address=dask_cluster.scheduler_address),
    }
    for label, executor in executors.items():
        actual = run_outcomes(flow, tasks, executor)
        differing = {
            name: {"LocalExecutor": expected[name], label: actual[name]}
            for name in expected
            if actual[name] != expected[name]
        }
        assert not differing, f"{label} disagrees with LocalExecutor on {specs}: {differing}"
