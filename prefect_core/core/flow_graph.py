"""Whole-graph algorithms on a flow's adjacency: topological order and path search.

They take the flow's own `{task: [edges]}` maps, so none copies the graph's edge set;
networkx is only asked for a cycle to report.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

import networkx as nx


class SortedGraph(NamedTuple):
    """What sorting a graph learns, by *position* (index into the sorted `tasks`).

    The run plan is built from it without hashing a task again.
    """

    #: The tasks sorted, as given: positions index into it.
    tasks: Sequence[Any]
    #: Positions in topological order; empty when there is a cycle.
    order: list[int]
    #: Per position: `(edge, upstream position)` for each of its incoming edges.
    upstream: list[list[tuple[Any, int]]]
    #: Per position: how many edges leave it (to tasks among the sorted ones).
    readers: list[int]
    #: `{task: position}`.
    position: dict[Any, int]
    #: The tasks on a cycle, the first repeated at the end; `None` without one.
    cycle: list | None


def sort_graph(tasks: Sequence[Hashable], edges_in: Mapping[Any, Iterable[Any]]) -> SortedGraph:
    """Sort `tasks` so every task follows its upstream tasks among `tasks`.

    Ties are broken level by level, then by the order of `tasks`, so the result is
    deterministic. Edges from tasks outside `tasks` are ignored.

    Kahn's algorithm over positions: each task and each edge is hashed once, which makes
    sorting a 100,000-task flow several times faster than building a networkx graph.
    """
    position = {task: index for index, task in enumerate(tasks)}
    upstream: list[list[tuple[Any, int]]] = []
    downstream: list[list[int]] = [[] for _ in tasks]
    waiting_on = []  # upstream edges not yet satisfied, per position
    for index, task in enumerate(tasks):
        incoming = []
        for edge in edges_in.get(task, ()):
            source = position.get(edge.upstream_task)
            if source is not None:
                incoming.append((edge, source))
                downstream[source].append(index)
        upstream.append(incoming)
        waiting_on.append(len(incoming))

    # First-in first-out Kahn: tasks leave the queue in order of depth (longest path
    # from a root), because a task is queued when its deepest upstream task leaves it.
    queue = [index for index, count in enumerate(waiting_on) if not count]
    depth = [0] * len(tasks)
    for index in queue:  # the queue grows while it is read
        for target in downstream[index]:
            waiting_on[target] -= 1
            if not waiting_on[target]:
                depth[target] = depth[index] + 1
                queue.append(target)
    readers = [len(targets) for targets in downstream]
    if len(queue) == len(tasks):
        order = sorted(range(len(tasks)), key=depth.__getitem__)  # stable: ties by position
        return SortedGraph(tasks, order, upstream, readers, position, None)
    blocked = [tasks[index] for index, count in enumerate(waiting_on) if count]
    return SortedGraph(tasks, [], upstream, readers, position, _a_cycle(edges_in, blocked))


def topological_order(
    tasks: Sequence[Hashable], edges_in: Mapping[Any, Iterable[Any]]
) -> tuple[tuple, list | None]:
    """`(tasks in topological order, None)`, or `((), cycle)` (see `sort_graph`)."""
    graph = sort_graph(tasks, edges_in)
    if graph.cycle is not None:
        return (), graph.cycle
    return tuple(tasks[index] for index in graph.order), None


def _a_cycle(edges_in: Mapping[Any, Iterable[Any]], blocked: list) -> list:
    """One cycle among the `blocked` tasks (those Kahn's algorithm could not order)."""
    on_cycles = set(blocked)
    graph = nx.DiGraph()
    graph.add_nodes_from(blocked)  # the search, so the report, starts at the earliest task
    graph.add_edges_from(
        (edge.upstream_task, task)
        for task in blocked
        for edge in edges_in.get(task, ())
        if edge.upstream_task in on_cycles
    )
    cycle_edges = nx.find_cycle(graph)
    return [upstream for upstream, _ in cycle_edges] + [cycle_edges[0][0]]


def find_path(
    start: Hashable, goal: Hashable, edges_out: Mapping[Any, Iterable[Any]]
) -> list | None:
    """A list of tasks leading from `start` to `goal` along edges, or `None`."""
    previous: dict = {start: None}
    frontier = [start]
    while frontier:
        task = frontier.pop()
        if task is goal:
            path = []
            while task is not None:
                path.append(task)
                task = previous[task]
            return path[::-1]
        for edge in edges_out.get(task, ()):
            if edge.downstream_task not in previous:
                previous[edge.downstream_task] = task
                frontier.append(edge.downstream_task)
    return None
