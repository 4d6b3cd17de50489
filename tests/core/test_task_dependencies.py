"""`Task.map`, the imperative dependency methods, `pipe`, indexing and unpacking."""

from typing import Tuple  # noqa: UP035 - the typing spelling is what users annotate

import pytest

from prefect_core.core import Edge, Flow, Task
from prefect_core.engine.result import Result
from prefect_core.tasks.core.constants import Constant
from prefect_core.tasks.core.operators import GetItem
from prefect_core.utilities.context import context
from prefect_core.utilities.edges import flatten, unmapped
from prefect_core.utilities.tasks import task

pytestmark = pytest.mark.filterwarnings("error::UserWarning")


@task
def add(x, y=10):
    return x + y


@task
def pair() -> Tuple[int, int]:  # noqa: UP006
    return 1, 2


# -- map -----------------------------------------------------------------------------------


def test_map_creates_mapped_edges_from_task_inputs():
    with Flow("f") as flow:
        items = add(1)
        result = add.map(items)
    assert flow.edges == {Edge(items, result, key="x", mapped=True)}


def test_map_over_a_constant_list_adds_a_constant_node_with_a_mapped_edge():
    with Flow("f") as flow:
        result = add.map([1, 2, 3], unmapped(10))
    (edge,) = flow.edges
    assert isinstance(edge.upstream_task, Constant)
    assert edge.upstream_task.name == "Constant[list]"
    assert (edge.key, edge.mapped) == ("x", True)
    assert flow.constants[result] == {"y": 10}


def test_map_keyword_constants_are_mapped_nodes_too():
    with Flow("f") as flow:
        result = add.map(x=[1, 2], y=[3, 4])
    assert {edge.key for edge in flow.edges_to(result) if edge.mapped} == {"x", "y"}
    assert flow.constants[result] == {}


def test_map_rejects_unsubscriptable_positional_arguments():
    with Flow("f"):
        with pytest.raises(TypeError) as raised:
            add.map(1)
    assert str(raised.value) == "Cannot map over unsubscriptable object of type <class 'int'>: 1..."


def test_map_error_truncates_the_repr_to_ten_characters():
    with Flow("f"):
        with pytest.raises(TypeError, match=r": \{1, 2, 3, \.\.\.$"):
            add.map({1, 2, 3, 4, 5})


def test_map_accepts_annotated_unsubscriptable_arguments():
    with Flow("f") as flow:
        items = add(1)
        result = add.map(items, unmapped(5))
    assert flow.constants[result] == {"y": 5}


def test_map_does_not_check_keyword_arguments_at_build_time():
    with Flow("f") as flow:
        result = add.map(x=5)
    assert flow.edges_to(result) != set()


def test_map_resets_nout():
    with Flow("f"):
        mapped_pair = pair.map()
    assert pair.nout == 2
    assert mapped_pair.nout is None


def test_map_keeps_nout_passed_in_task_args():
    with Flow("f"):
        assert pair.map(task_args={"nout": 2}).nout == 2


def test_map_maps_upstream_tasks_unless_unmapped():
    with Flow("f") as flow:
        gate, other = add(1), add(2)
        result = add.map([1], upstream_tasks=[gate, unmapped(other)])
    edges = flow.edges_to(result)
    assert Edge(gate, result, mapped=True) in edges
    assert Edge(other, result, mapped=False) in edges


def test_map_with_every_input_unmapped_has_no_mapped_edge():
    with Flow("f") as flow:
        items = add(1)
        result = add.map(unmapped(items), unmapped(2))
    assert {edge.mapped for edge in flow.edges_to(result)} == {False}


def test_map_inside_a_mapped_context_is_rejected():
    with Flow("f"):
        with context(mapped=True):
            with pytest.raises(ValueError) as raised:
                add.map([1])
    assert str(raised.value) == (
        "Cannot set `mapped=True` when running from inside a mapped context"
    )


def test_unmapped_calls_inside_a_mapped_context_are_fine():
    with Flow("f") as flow:
        with context(mapped=True):
            result = add(1)
    assert result in flow.tasks


def test_flatten_annotation_on_a_mapped_input_makes_a_flattened_edge():
    with Flow("f") as flow:
        nested = add(1)
        result = add.map(flatten(nested))
    assert flow.edges == {Edge(nested, result, key="x", mapped=True, flattened=True)}


def test_map_with_an_explicit_flow_needs_no_context():
    flow = Flow("f")
    result = add.map([1, 2], flow=flow)
    assert result in flow.tasks
    assert {edge.mapped for edge in flow.edges} == {True}


def test_a_call_with_mapped_true_skips_the_subscriptable_check_and_keeps_nout():
    with Flow("f") as flow:
        result = add(1, mapped=True)
        mapped_pair = pair(mapped=True)
    (edge,) = flow.edges_to(result)
    assert isinstance(edge.upstream_task, Constant)
    assert edge.mapped is True
    assert mapped_pair.nout == 2


# -- set_dependencies / set_upstream / set_downstream --------------------------------------


def test_set_dependencies_without_any_flow_is_rejected():
    with pytest.raises(ValueError) as raised:
        Task().set_dependencies(upstream_tasks=[Task()])
    assert str(raised.value) == "No Flow was passed, and could not infer an active Flow context."


def test_set_dependencies_uses_the_active_flow_and_returns_the_task():
    a, b = Task(), Task()
    with Flow("f") as flow:
        assert b.set_dependencies(upstream_tasks=[a]) is b
    assert flow.edges == {Edge(a, b)}


def test_set_upstream_without_a_key_adds_a_state_edge():
    a, b = Task(), Task()
    flow = Flow("f")
    assert b.set_upstream(a, flow=flow) is b
    assert flow.edges == {Edge(a, b)}


def test_set_upstream_with_a_key_adds_a_data_edge():
    a, echo = Task(), add.copy()
    flow = Flow("f")
    echo.set_upstream(a, key="x", flow=flow)
    assert flow.edges == {Edge(a, echo, key="x")}


def test_set_upstream_with_mapped_adds_a_mapped_edge():
    a, b = Task(), Task()
    flow = Flow("f")
    b.set_upstream(a, key="x", mapped=True, flow=flow)
    assert flow.edges == {Edge(a, b, key="x", mapped=True)}


def test_set_upstream_with_a_constant_and_key_stores_a_constant():
    b = Task()
    flow = Flow("f")
    b.set_upstream(3, key="x", flow=flow)
    assert flow.constants[b] == {"x": 3}
    assert flow.tasks == {b}


def test_set_downstream_returns_the_upstream_task():
    a, b = Task(), Task()
    flow = Flow("f")
    assert a.set_downstream(b, flow=flow) is a
    assert flow.edges == {Edge(a, b)}


def test_set_downstream_with_a_key_and_mapped():
    a, b = Task(), Task()
    flow = Flow("f")
    a.set_downstream(b, key="x", mapped=True, flow=flow)
    assert flow.edges == {Edge(a, b, key="x", mapped=True)}


def test_set_upstream_without_any_flow_is_rejected():
    with pytest.raises(ValueError, match="^No Flow was passed"):
        Task().set_upstream(Task())


# -- pipe ----------------------------------------------------------------------------------


def test_pipe_calls_the_task_with_self_first():
    with Flow("f") as flow:
        start = add(1)
        piped = start.pipe(add, y=2)
    assert piped.name == "add"
    assert flow.edges == {Edge(start, piped, key="x")}
    assert flow.constants[piped] == {"y": 2}


def test_pipe_chains_left_to_right():
    with Flow("f") as flow:
        last = add(1).pipe(add).pipe(add)
    assert [t for t in flow.sorted_tasks()][-1] is last
    assert len(flow.tasks) == 3


def test_pipe_with_an_annotation_class_returns_the_task_itself():
    with Flow("f") as flow:
        start = add(1)
        assert start.pipe(unmapped) is start
    assert flow.tasks == {start}


def test_pipe_rejects_a_self_keyword():
    with pytest.raises(ValueError, match='^You cannot use the keyword argument "self" in .pipe.$'):
        Task().pipe(add, self=1)


# -- indexing ------------------------------------------------------------------------------


def test_indexing_creates_a_get_item_task_named_after_the_key():
    with Flow("f") as flow:
        source = add(1)
        item = source[0]
    assert isinstance(item, GetItem)
    assert item.name == "add[0]"
    assert flow.edges == {Edge(source, item, key="task_result")}
    assert flow.constants[item] == {"key": 0}


def test_indexing_with_a_string_key_shows_its_repr():
    with Flow("f"):
        assert add(1)["a"].name == "add['a']"


def test_indexing_with_a_task_key_uses_the_key_task_name():
    with Flow("f") as flow:
        source, key = add(1), add(2, task_args={"name": "k"})
        item = source[key]
    assert item.name == "add[k]"
    assert flow.edges_to(item) == {
        Edge(source, item, key="task_result"),
        Edge(key, item, key="key"),
    }


def test_get_item_inherits_checkpoint_and_result():
    result = Result()
    source = Task(checkpoint=False, result=result)
    with Flow("f"):
        item = source[1]
    assert item.checkpoint is False
    assert item.result is result


def test_indexing_outside_a_flow_is_rejected():
    with pytest.raises(ValueError, match="Could not infer an active Flow context"):
        Task()[0]


# -- unpacking -----------------------------------------------------------------------------


def test_iterating_a_task_without_nout_is_rejected():
    with pytest.raises(TypeError) as raised:
        iter(Task())
    assert str(raised.value) == (
        "Task is not iterable. If your task returns multiple results, pass `nout` to the "
        "task decorator/constructor, or provide a `Tuple` return-type annotation to your task."
    )


def test_unpacking_a_task_with_nout_creates_one_get_item_per_output():
    with Flow("f") as flow:
        first, second = pair()
    assert (first.name, second.name) == ("pair[0]", "pair[1]")
    assert (first.nout, second.nout) == (None, None)
    assert flow.constants[first] == {"key": 0}
    assert flow.constants[second] == {"key": 1}
    assert len(flow.tasks) == 3


def test_nout_of_one_unpacks_a_single_item():
    with Flow("f"):
        (only,) = Task(nout=1)
    assert only.name == "Task[0]"


def test_nout_of_zero_unpacks_nothing():
    empty = Task(nout=0)
    with Flow("f") as flow:
        assert list(empty) == []
    assert flow.tasks == set()


def test_unpacking_a_mapped_task_indexes_the_reduced_result():
    with Flow("f") as flow:
        mapped_pair = pair.map(task_args={"nout": 2})
        first, _ = mapped_pair
    assert flow.edges_to(first) == {Edge(mapped_pair, first, key="task_result")}
