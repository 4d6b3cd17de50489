"""Whole-graph algorithms on a flow's adjacency: topological order and path search.

Both take the flow's `{task: [outgoing edges]}` map, so neither copies the graph's
edge set; networkx finds a cycle to report when there is one.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any

import networkx as nx


def topological_order(
    tasks: Sequence[Hashable], edges_out: Mapping[Any, Iterable[Any]]
) -> tuple[tuple, list | None]:
    """Sort `tasks` so every task follows its upstream tasks among `tasks`.

    Returns `(order, None)`, or `((), cycle)` where `cycle` lists the tasks on a cycle,
    the first repeated at the end. Ties are broken level by level, then by the order of
    `tasks`, so the result is deterministic.

    Kahn's algorithm over task positions: each task and each edge is hashed once, which
    makes sorting a 100,000-task flow several times faster than building a networkx
    graph for it. networkx is only asked for a cycle to report.
    """
    position = {task: index for index, task in enumerate(tasks)}
    downstream: list[list[int]] = [[] for _ in tasks]
    waiting_on = [0] * len(tasks)  # upstream edges not yet satisfied, per position
    for index, task in enumerate(tasks):
        for edge in edges_out.get(task, ()):
            target = position.get(edge.downstream_task)
            if target is not None:
                downstream[index].append(target)
                waiting_on[target] += 1

    order: list[int] = []
    level = [index for index, count in enumerate(waiting_on) if not count]
    while level:
        order.extend(level)
        next_level = []
        for index in level:
            for target in downstream[index]:
                waiting_on[target] -= 1
                if not waiting_on[target]:
                    next_level.append(target)
        next_level.sort()
        level = next_level
    if len(order) == len(tasks):
        return tuple(tasks[index] for index in order), None
    return (), _a_cycle(tasks, edges_out, {tasks[i] for i, n in enumerate(waiting_on) if n})


def _a_cycle(
    tasks: Sequence[Hashable], edges_out: Mapping[Any, Iterable[Any]], blocked: set
) -> list:
    """One cycle among the `blocked` tasks (those Kahn's algorithm could not order)."""
    graph = nx.DiGraph()
    graph.add_edges_from(
        (task, edge.downstream_task)
        for task in tasks
        if task in blocked
        for edge in edges_out.get(task, ())
        if edge.downstream_task in blocked
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
