"""`prefect_core.core.flow_graph`: topological order and path search on an adjacency map."""

from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prefect_core.core.flow_graph import find_path, sort_graph, topological_order

pytestmark = pytest.mark.filterwarnings("error::UserWarning")


def edge_maps(*pairs):
    """`({node: [edges in]}, {node: [edges out]})` for `(upstream, downstream)` pairs."""
    edges_in, edges_out = {}, {}
    for upstream, downstream in pairs:
        edge = SimpleNamespace(upstream_task=upstream, downstream_task=downstream)
        edges_in.setdefault(downstream, []).append(edge)
        edges_out.setdefault(upstream, []).append(edge)
    return edges_in, edges_out


def incoming(*pairs):
    return edge_maps(*pairs)[0]


def outgoing(*pairs):
    return edge_maps(*pairs)[1]


def test_an_empty_graph_has_an_empty_order():
    assert topological_order([], {}) == ((), None)


def test_nodes_without_edges_keep_their_given_order():
    assert topological_order(["c", "a", "b"], {}) == (("c", "a", "b"), None)


def test_every_node_follows_its_upstream_nodes():
    edges = incoming(("a", "b"), ("b", "c"), ("c", "d"))
    assert topological_order(["d", "c", "b", "a"], edges) == (("a", "b", "c", "d"), None)


def test_each_level_is_ordered_by_the_given_order():
    edges = incoming(("a", "d"), ("b", "c"))
    assert topological_order(["a", "b", "c", "d"], edges)[0] == ("a", "b", "c", "d")
    assert topological_order(["b", "a", "d", "c"], edges)[0] == ("b", "a", "d", "c")


def test_a_node_waits_for_its_last_upstream_node():
    edges = incoming(("a", "b"), ("b", "c"), ("a", "c"))
    assert topological_order(["c", "b", "a"], edges)[0] == ("a", "b", "c")


def test_edges_to_nodes_outside_the_given_ones_are_ignored():
    edges = incoming(("a", "outside"), ("outside", "b"))
    assert topological_order(["b", "a"], edges) == (("b", "a"), None)


def test_a_cycle_is_reported_with_its_first_node_repeated():
    edges = incoming(("a", "b"), ("b", "c"), ("c", "a"))
    order, cycle = topological_order(["a", "b", "c"], edges)
    assert order == ()
    assert len(cycle) == 4
    assert cycle[0] == cycle[-1]
    assert set(cycle) == {"a", "b", "c"}


def test_a_cycle_report_names_only_nodes_on_the_cycle():
    edges = incoming(("root", "a"), ("a", "b"), ("b", "a"), ("b", "leaf"))
    _, cycle = topological_order(["root", "a", "b", "leaf"], edges)
    assert set(cycle) == {"a", "b"}


def test_sort_graph_indexes_edges_by_position():
    edges_in, _ = edge_maps(("a", "c"), ("b", "c"), ("a", "b"))
    graph = sort_graph(["c", "b", "a"], edges_in)
    assert graph.cycle is None
    assert [graph.tasks[index] for index in graph.order] == ["a", "b", "c"]
    assert graph.position == {"c": 0, "b": 1, "a": 2}
    upstream_of_c = [(edge.upstream_task, source) for edge, source in graph.upstream[0]]
    assert upstream_of_c == [("a", 2), ("b", 1)]
    assert graph.readers == [0, 1, 2]


def test_sort_graph_reports_a_cycle_without_an_order():
    edges_in, _ = edge_maps(("a", "b"), ("b", "a"))
    graph = sort_graph(["a", "b"], edges_in)
    assert graph.order == []
    assert graph.cycle == ["a", "b", "a"]


def test_find_path_follows_edges_from_start_to_goal():
    edges = outgoing(("a", "b"), ("b", "c"), ("a", "x"))
    assert find_path("a", "c", edges) == ["a", "b", "c"]


def test_find_path_from_a_node_to_itself_is_that_node():
    assert find_path("a", "a", {}) == ["a"]


def test_find_path_without_a_route_is_none():
    edges = outgoing(("a", "b"), ("c", "a"))
    assert find_path("a", "c", edges) is None


def test_find_path_terminates_on_cyclic_graphs():
    edges = outgoing(("a", "b"), ("b", "a"))
    assert find_path("a", "z", edges) is None


@given(
    st.integers(min_value=1, max_value=20).flatmap(
        lambda n: st.tuples(
            st.permutations(range(n)),
            st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=50),
        )
    )
)
@settings(max_examples=300, deadline=None)
def test_order_is_by_longest_path_from_a_root_then_by_position(graph):
    tasks, pairs = graph
    edges_in, _ = edge_maps(*((min(a, b), max(a, b)) for a, b in pairs if a != b))
    depth: dict = {}

    def longest_path_to(task):
        if task not in depth:
            depth[task] = max(
                (longest_path_to(edge.upstream_task) + 1 for edge in edges_in.get(task, ())),
                default=0,
            )
        return depth[task]

    expected = sorted(range(len(tasks)), key=lambda index: (longest_path_to(tasks[index]), index))
    assert sort_graph(list(tasks), edges_in).order == expected
