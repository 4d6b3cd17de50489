"""The run plan: a flow's graph flattened once per run into what the flow runner reads.

Tasks are known by *position* (their index in the flow's insertion order). The plan
lists the tasks in run (topological) order; each `PlannedTask` knows its position, its
incoming edges with their upstream positions, its folded constant inputs, and whether
it is mapped; the plan also counts how many downstream tasks read each task's state.
The runner keeps states in a list indexed by position, so running a task never hashes
tasks or walks the graph. The plan is made from the flow's sorted graph
(`core.flow_graph.sort_graph`) without hashing a task again, and is cached with it until
the graph changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from prefect_core.core.edge import Edge
    from prefect_core.core.flow import Flow
    from prefect_core.core.task import Task


@dataclass(slots=True)
class PlannedTask:
    """One task of the plan."""

    task: Task
    #: The task's position in `RunPlan.tasks`: its slot in the runner's list of states.
    index: int
    #: `(edge, upstream position)` for each incoming edge.
    upstream: list[tuple[Edge, int]]
    constant_edges: list[tuple[Edge, Any]]
    is_mapped: bool
    #: Whether an upstream task is mapped or an incoming edge is flattened: only then
    #: do upstream states need resolving before the run (see `engine.mapping`).
    reads_mapped_or_flattened: bool


@dataclass(slots=True)
class RunPlan:
    """A flow's run plan (treat it as read-only: it is cached with the flow)."""

    #: The flow's tasks by position (insertion order).
    tasks: Sequence[Task]
    #: The planned tasks in run (topological) order.
    steps: list[PlannedTask]
    #: By position: how many downstream tasks read the task's state.
    readers: list[int]


def plan_run(flow: Flow) -> RunPlan:
    """The flow's run plan, made once per version of the flow's graph."""
    return flow._cached("run_plan", lambda: _plan(flow))


def _plan(flow: Flow) -> RunPlan:
    from prefect_core.core.edge import Edge
    from prefect_core.utilities.tasks import as_task

    graph = flow._sorted_graph()
    constant_edges: dict[int, list[tuple[Edge, Any]]] = {}
    for task, inputs in flow.constants.items():
        if inputs:
            constant_edges[graph.position[task]] = [
                (Edge(as_task(value), task, key=key), value) for key, value in inputs.items()
            ]
    tasks, upstream_of = graph.tasks, graph.upstream
    mapped = [False] * len(tasks)  # by position, filled in run order
    steps: list[PlannedTask] = []
    for index in graph.order:
        upstream = upstream_of[index]
        is_mapped = reads_mapped_or_flattened = False
        for edge, source in upstream:
            is_mapped = is_mapped or edge.mapped
            reads_mapped_or_flattened = (
                reads_mapped_or_flattened or edge.flattened or mapped[source]
            )
        mapped[index] = is_mapped
        steps.append(
            PlannedTask(
                tasks[index],
                index,
                upstream,
                constant_edges.get(index, []),
                is_mapped,
                reads_mapped_or_flattened,
            )
        )
    return RunPlan(tasks, steps, graph.readers)
