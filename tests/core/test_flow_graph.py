"""`prefect_core.core.flow_graph`: topological order and path search on an adjacency map."""

from types import SimpleNamespace

import pytest

from prefect_core.core.flow_graph import find_path, topological_order

pytestmark = pytest.mark.filterwarnings("error::UserWarning")


def adjacency(*pairs):
    """`{node: [edge-like objects]}` for `(upstream, downstream)` pairs."""
    edges_out = {}
    for upstream, downstream in pairs:
        edges_out.setdefault(upstream, []).append(SimpleNamespace(downstream_task=downstream))
    return edges_out


def test_an_empty_graph_has_an_empty_order():
    assert topological_order([], {}) == ((), None)


def test_nodes_without_edges_keep_their_given_order():
    assert topological_order(["c", "a", "b"], {}) == (("c", "a", "b"), None)


def test_every_node_follows_its_upstream_nodes():
    edges = adjacency(("a", "b"), ("b", "c"), ("c", "d"))
    assert topological_order(["d", "c", "b", "a"], edges) == (("a", "b", "c", "d"), None)


def test_each_level_is_ordered_by_the_given_order():
    edges = adjacency(("a", "d"), ("b", "c"))
    assert topological_order(["a", "b", "c", "d"], edges)[0] == ("a", "b", "c", "d")
    assert topological_order(["b", "a", "d", "c"], edges)[0] == ("b", "a", "d", "c")


def test_a_node_waits_for_its_last_upstream_node():
    edges = adjacency(("a", "b"), ("b", "c"), ("a", "c"))
    assert topological_order(["c", "b", "a"], edges)[0] == ("a", "b", "c")


def test_edges_to_nodes_outside_the_given_ones_are_ignored():
    edges = adjacency(("a", "outside"), ("outside", "b"))
    assert topological_order(["b", "a"], edges) == (("b", "a"), None)


def test_a_cycle_is_reported_with_its_first_node_repeated():
    edges = adjacency(("a", "b"), ("b", "c"), ("c", "a"))
    order, cycle = topological_order(["a", "b", "c"], edges)
    assert order == ()
    assert len(cycle) == 4
    assert cycle[0] == cycle[-1]
    assert set(cycle) == {"a", "b", "c"}


def test_a_cycle_report_names_only_nodes_on_the_cycle():
    edges = adjacency(("root", "a"), ("a", "b"), ("b", "a"), ("b", "leaf"))
    _, cycle = topological_order(["root", "a", "b", "leaf"], edges)
    assert set(cycle) == {"a", "b"}


def test_find_path_follows_edges_from_start_to_goal():
    edges = adjacency(("a", "b"), ("b", "c"), ("a", "x"))
    assert find_path("a", "c", edges) == ["a", "b", "c"]


def test_find_path_from_a_node_to_itself_is_that_node():
    assert find_path("a", "a", {}) == ["a"]


def test_find_path_without_a_route_is_none():
    edges = adjacency(("a", "b"), ("c", "a"))
    assert find_path("a", "c", edges) is None


def test_find_path_terminates_on_cyclic_graphs():
    edges = adjacency(("a", "b"), ("b", "a"))
    assert find_path("a", "z", edges) is None
