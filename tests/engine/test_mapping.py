"""`engine.mapping`: the width of a map and what each child receives."""

import logging

from prefect_core.core.edge import Edge
from prefect_core.core.task import Task
from prefect_core.engine.mapping import (
    flatten_mapped_children,
    flatten_upstream_state,
    map_width,
    state_for_map_index,
    with_children,
)
from prefect_core.engine.results import LocalResult
from prefect_core.engine.state import Failed, Mapped, Pending, Skipped, Success


def mapped_edge(key="x", upstream_name="up"):
    return Edge(Task(name=upstream_name), Task(name="down"), key=key, mapped=True)


def test_the_width_is_the_shortest_successful_mapped_input():
    down = Task(name="down")
    upstream_states = {
        mapped_edge("x"): Success(result=[1, 2, 3]),
        mapped_edge("y"): Mapped(n_map_states=2),
        Edge(Task(), down, key="z"): Success(result=[1]),  # unmapped: no limit
    }
    state = map_width(down, upstream_states)
    assert type(state) is Mapped and state.n_map_states == 2
    assert state.message == "Ready to proceed with mapping."


def test_a_failed_mapped_input_does_not_limit_the_width():
    state = map_width(
        Task(), {mapped_edge("x"): Failed(result=ValueError()), mapped_edge("y"): Success(
            result="abcd")}
    )
    assert state.n_map_states == 4


def test_no_successful_mapped_input_fails_the_parent():
    state = map_width(Task(), {mapped_edge(): Failed(result=ValueError())})
    assert type(state) is Failed
    assert state.message == "No upstream states can be mapped over."


def test_an_empty_input_gives_width_zero():
    state = map_width(Task(), {mapped_edge(): Success(result=[])})
    assert type(state) is Mapped and state.n_map_states == 0


def test_an_unindexable_input_fails_naming_task_argument_and_type():
    state = map_width(Task(name="down"), {mapped_edge("x"): Success(result={1, 2})})
    assert type(state) is Failed
    assert state.message == (
        "At least one upstream state has an unmappable result. Task 'down' cannot map over "
        "argument 'x': its value, of type set, cannot be indexed."
    )


def test_an_unindexable_keyless_input_names_the_upstream_task():
    state = map_width(Task(name="down"), {mapped_edge(None, "source"): Success(result=3)})
    assert "cannot map over upstream task 'source'" in state.message


def test_a_dict_input_is_refused_with_advice():
    state = map_width(Task(name="down"), {mapped_edge("x"): Success(result={"a": 1})})
    assert type(state) is Failed
    assert "cannot map over argument 'x': it is a dict" in state.message
    assert "`list(d.items())`" in state.message


def test_a_child_copy_holds_one_item_and_keeps_the_state_class_and_serializer():
    result = LocalResult(value=[10, 20], location="/tmp/somewhere")
    upstream = Skipped("s", result=result)
    child = state_for_map_index(upstream, 1)
    assert type(child) is Skipped and child.message == "s"
    assert child.result == 20
    assert type(child._result) is LocalResult and child._result.location is None
    assert child._result.serializer is result.serializer
    assert upstream.result == [10, 20]  # the upstream state is untouched


def test_a_child_copy_of_an_unindexable_result_holds_none():
    child = state_for_map_index(Failed(result=ValueError("x")), 0)
    assert type(child) is Failed and child.result is None


def test_flattening_an_upstream_concatenates_one_level():
    flat = flatten_upstream_state(Success(result=[[1], [2, 3], []]))
    assert flat.result == [1, 2, 3]


def test_flattening_a_non_nested_result_leaves_the_state_unchanged():
    state = Success(result=[1, 2])
    assert flatten_upstream_state(state) is state


def test_flattening_children_expands_successful_sequences_only(caplog):
    failed = Failed(result=ValueError())
    skipped = Skipped(result=None)
    pending = Pending()
    children = [Success(result=[1, 2]), failed, skipped, Success(result=5), pending]
    with caplog.at_level(logging.WARNING, logger="prefect_core"):
        expanded = flatten_mapped_children(children)
    assert [state.result for state in expanded[:2]] == [1, 2]
    assert expanded[2] is failed and expanded[3] is skipped
    assert expanded[4].result == 5 and expanded[5] is pending
    assert "did not return an iterable" in caplog.text


def test_with_children_gives_a_reduce_input_without_changing_the_parent():
    parent = Mapped("m", n_map_states=2)
    children = [Success(result=1), Failed(result=ValueError("v"))]
    reduce_input = with_children(parent, children)
    assert type(reduce_input) is Mapped
    assert reduce_input.map_states == children
    assert reduce_input.result[0] == 1 and isinstance(reduce_input.result[1], ValueError)
    assert parent.map_states == [] and parent.result is None
