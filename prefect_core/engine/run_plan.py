"""The run plan: a flow's graph flattened once per run into what the flow runner reads.

Each `PlannedTask` knows its position in run (topological) order, its incoming edges
with the *positions* of their upstream tasks, its folded constant inputs, how many
downstream tasks read its state, and whether it is mapped. The runner keeps states in a
list indexed by position, so running a task never hashes tasks or walks the graph. The
plan depends only on the graph, so it is cached with the flow's sorted order and rebuilt
only after the graph changes.
"""

from __future__ import annotations

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
    index: int
    upstream: list[tuple[Edge, int]]
    constant_edges: list[tuple[Edge, Any]]
    readers: int
    is_mapped: bool
    #: Whether an upstream task is mapped or an incoming edge is flattened: only then
    #: do upstream states need resolving before the run (see `engine.mapping`).
    reads_mapped_or_flattened: bool


def plan_run(flow: Flow) -> list[PlannedTask]:
    """The flow's tasks in run order, planned once per version of the flow's graph."""
    return flow._cached("run_plan", lambda: _plan(flow))


def _plan(flow: Flow) -> list[PlannedTask]:
    from prefect_core.core.edge import Edge
    from prefect_core.utilities.tasks import as_task

    order = flow.sorted_tasks()
    position = {task: index for index, task in enumerate(order)}
    edges_in, edges_out, constants = flow._edges_in, flow._edges_out, flow.constants
    plan: list[PlannedTask] = []
    for index, task in enumerate(order):
        edges = edges_in.get(task, ())
        upstream = [(edge, position[edge.upstream_task]) for edge in edges]
        is_mapped = reads_mapped_or_flattened = False
        for edge, upstream_index in upstream:
            is_mapped = is_mapped or edge.mapped
            reads_mapped_or_flattened = (
                reads_mapped_or_flattened or edge.flattened or plan[upstream_index].is_mapped
            )
        constant_inputs = constants.get(task)
        plan.append(
            PlannedTask(
                task=task,
                index=index,
                upstream=upstream,
                constant_edges=[
                    (Edge(as_task(value), task, key=key), value)
                    for key, value in constant_inputs.items()
                ]
                if constant_inputs
                else [],
                readers=len(edges_out.get(task, ())),
                is_mapped=is_mapped,
                reads_mapped_or_flattened=reads_mapped_or_flattened,
            )
        )
    return plan
