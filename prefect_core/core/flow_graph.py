"""Whole-graph algorithms on a flow's adjacency: topological order and path search.

Both take the flow's `{task: [outgoing edges]}` map, so neither copies the graph's
edge set; networkx does the sorting and finds a cycle to report when there is one.
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
    """
    position = {task: index for index, task in enumerate(tasks)}
    graph = nx.DiGraph()
    graph.add_nodes_from(tasks)
    graph.add_edges_from(
        (task, edge.downstream_task)
        for task in tasks
        for edge in edges_out.get(task, ())
        if edge.downstream_task in position
    )
    try:
        order = tuple(
            task
            for generation in nx.topological_generations(graph)
            for task in sorted(generation, key=position.__getitem__)
        )
        return order, None
    except nx.NetworkXUnfeasible:
        cycle_edges = nx.find_cycle(graph)
        return (), [upstream for upstream, _ in cycle_edges] + [cycle_edges[0][0]]


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
