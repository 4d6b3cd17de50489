"""The run plan: a flow's graph flattened once per run into what the flow runner reads.

Each `PlannedTask` knows its position in run (topological) order, its incoming edges
with the *positions* of their upstream tasks, its folded constant inputs, how many
downstream tasks read its state, and whether its state must be kept until the end. The
runner keeps states in a list indexed by position, so running a task never hashes tasks
or walks the graph.
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
    is_final: bool
    #: Whether an upstream task is mapped or an incoming edge is flattened: only then
    #: do upstream states need resolving before the run (see `engine.mapping`).
    reads_mapped_or_flattened: bool


def plan_run(flow: Flow, final_tasks: set[Task]) -> list[PlannedTask]:
    """The flow's tasks in run order; `final_tasks` keep their states to the end."""
    from prefect_core.core.edge import Edge
    from prefect_core.utilities.tasks import as_task

    order = flow.sorted_tasks()
    everything_final = len(final_tasks) == len(order)
    position = {task: index for index, task in enumerate(order)}
    edges_in, edges_out, constants = flow._edges_in, flow._edges_out, flow.constants
    plan = []
    for index, task in enumerate(order):
        edges = edges_in.get(task, ())
        constant_inputs = constants.get(task)
        plan.append(
            PlannedTask(
                task=task,
                index=index,
                upstream=[(edge, position[edge.upstream_task]) for edge in edges],
                constant_edges=[
                    (Edge(as_task(value), task, key=key), value)
                    for key, value in constant_inputs.items()
                ]
                if constant_inputs
                else [],
                readers=len(edges_out.get(task, ())),
                is_mapped=any(edge.mapped for edge in edges),
                is_final=everything_final or task in final_tasks,
                reads_mapped_or_flattened=any(
                    edge.flattened or plan[position[edge.upstream_task]].is_mapped
                    for edge in edges
                ),
            )
        )
    return plan
