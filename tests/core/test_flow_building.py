"""`Flow.add_edge`, `set_dependencies` and `chain`: constants folding, eager validation and
the atomicity of every build call."""

import pytest

from prefect_core.core import Edge, Flow, Parameter, Task
from prefect_core.tasks.core.collections import List
from prefect_core.tasks.core.constants import Constant
from prefect_core.utilities.configuration import set_temporary_config
from prefect_core.utilities.context import context
from prefect_core.utilities.edges import flatten, mapped, unmapped
from prefect_core.utilities.tasks import task

pytestmark = pytest.mark.filterwarnings("error::UserWarning")

EAGER = {"flows.eager_edge_validation": True}
DUPLICATE_KEY_MESSAGE = (
    'Argument "x" for task <Task: add> has already been assigned in this flow. If you are '
    "trying to call the task again with new arguments, call Task.copy() before adding the "
    "result to this flow."
)


@task
def add(x, y=10):
    return x + y


@task
def collect(**values):
    return values


def named(*names):
    return [Task(name=name) for name in names]


# -- add_edge ------------------------------------------------------------------------------


def test_add_edge_returns_the_edge_and_adds_both_tasks():
    a, b = Task(), Task()
    flow = Flow("f")
    edge = flow.add_edge(a, b, key="x", mapped=True, flattened=True)
    assert (edge.upstream_task, edge.downstream_task) == (a, b)
    assert (edge.key, edge.mapped, edge.flattened) == ("x", True, True)
    assert flow.edges == {edge}
    assert flow.tasks == {a, b}


def test_add_edge_without_a_key_is_a_state_edge():
    a, b = Task(), Task()
    edge = Flow("f").add_edge(a, b)
    assert (edge.key, edge.mapped, edge.flattened) == (None, False, False)


def test_adding_an_equal_edge_again_keeps_one_edge():
    a, b = Task(), Task()
    flow = Flow("f")
    flow.add_edge(a, b, key="x")
    flow.add_edge(a, b, key="x")
    assert len(flow.edges) == 1
    assert len(flow.edges_to(b)) == 1


def test_edges_into_a_parameter_are_rejected(graph_state):
    flow = Flow("f")
    parameter = flow.add_task(Parameter("p"))
    before = graph_state(flow)
    with pytest.raises(ValueError) as raised:
        flow.add_edge(Task(), parameter)
    assert str(raised.value) == (
        "Parameters must be root tasks and can not have upstream dependencies."
    )
    assert graph_state(flow) == before


def test_mapped_edges_inside_a_mapped_context_are_rejected():
    flow = Flow("f")
    with context(mapped=True):
        with pytest.raises(ValueError, match="^Cannot set `mapped=True` when running from"):
            flow.add_edge(Task(), Task(), mapped=True)
        flow.add_edge(Task(), Task())
    assert len(flow.edges) == 1


def test_a_self_edge_is_rejected(graph_state):
    t = Task()
    flow = Flow("f")
    with pytest.raises(ValueError, match="^Edges can not connect a task to itself.$"):
        flow.add_edge(t, t)
    assert flow.tasks == set()


def test_an_invalid_key_is_rejected_and_nothing_is_added():
    flow = Flow("f")
    with pytest.raises(ValueError, match=r'^Key must be a valid identifier \(received "1x"\)$'):
        flow.add_edge(Task(), Task(), key="1x")
    assert (flow.tasks, flow.edges) == (set(), set())


def test_an_invalid_key_for_a_constant_is_rejected():
    flow = Flow("f")
    with pytest.raises(ValueError, match="Key must be a valid identifier"):
        flow.add_edge(1, Task(), key="not valid")
    assert flow.tasks == set()


# -- constants folding ---------------------------------------------------------------------


def test_a_keyed_constant_is_folded_into_flow_constants():
    b = Task()
    flow = Flow("f")
    edge = flow.add_edge(5, b, key="x")
    assert flow.constants[b] == {"x": 5}
    assert flow.tasks == {b}
    assert flow.edges == set()
    assert isinstance(edge.upstream_task, Constant)
    assert edge.upstream_task.value == 5
    assert (edge.downstream_task, edge.key) == (b, "x")


def test_a_keyed_constant_task_is_folded_too():
    b = Task()
    flow = Flow("f")
    flow.add_edge(Constant("v"), b, key="x")
    assert flow.constants[b] == {"x": "v"}
    assert flow.tasks == {b}


def test_a_nested_constant_collection_is_folded_as_one_value():
    b = Task()
    flow = Flow("f")
    flow.add_edge({"a": [1, (2, 3)]}, b, key="x")
    assert flow.constants[b] == {"x": {"a": [1, (2, 3)]}}


def test_an_unmapped_annotated_constant_is_folded():
    b = Task()
    flow = Flow("f")
    flow.add_edge(unmapped(5), b, key="x")
    assert flow.constants[b] == {"x": 5}


def test_a_constant_without_a_key_becomes_a_node():
    b = Task()
    flow = Flow("f")
    edge = flow.add_edge(5, b)
    assert flow.edges == {edge}
    assert flow.tasks == {edge.upstream_task, b}
    assert flow.constants == {}


@pytest.mark.parametrize(
    ("upstream", "flags"),
    [
        (mapped([1, 2]), {"mapped": False}),
        ([1, 2], {"mapped": True}),
        (flatten([[1], [2]]), {}),
        ([[1], [2]], {"flattened": True}),
    ],
    ids=["mapped-annotation", "mapped-flag", "flatten-annotation", "flattened-flag"],
)
def test_mapped_or_flattened_constants_become_nodes(upstream, flags):
    b = Task()
    flow = Flow("f")
    edge = flow.add_edge(upstream, b, key="x", **flags)
    assert isinstance(edge.upstream_task, Constant)
    assert edge in flow.edges
    assert flow.constants[b] == {}


def test_a_list_holding_tasks_becomes_a_list_task():
    a, b = Task(), Task()
    flow = Flow("f")
    edge = flow.add_edge([a, 2], b, key="x")
    collection = edge.upstream_task
    assert isinstance(collection, List)
    assert collection.auto_generated is True
    assert flow.edges == {edge, Edge(a, collection, key="arg_1")}
    assert flow.constants[collection] == {"arg_2": 2}


def test_constants_in_the_spec_example():
    with Flow("c") as flow:
        r = add(1, 2)
        m = add.map([1, 2, 3], unmapped(10))
        s = collect(total=[r, 5])
    (list_task,) = flow.get_tasks(task_type=List)
    assert flow.constants[r] == {"x": 1, "y": 2}
    assert flow.constants[m] == {"y": 10}
    assert flow.constants[list_task] == {"arg_2": 5}
    assert flow.edges_to(list_task) == {Edge(r, list_task, key="arg_1")}
    assert flow.edges_to(s) == {Edge(list_task, s, key="total")}


# -- eager validation ----------------------------------------------------------------------


def test_without_eager_validation_duplicate_keys_and_cycles_are_accepted():
    a, b = Task(), add.copy()
    flow = Flow("f")
    flow.add_edge(a, b, key="x")
    flow.add_edge(Task(), b, key="x")
    flow.add_edge(b, a)
    assert len(flow.edges) == 3


def test_eager_validation_rejects_a_key_assigned_twice(graph_state):
    a, b = Task(), add.copy()
    flow = Flow("f")
    flow.add_edge(a, b, key="x")
    before = graph_state(flow)
    with set_temporary_config(EAGER):
        with pytest.raises(ValueError) as raised:
            flow.add_edge(Task(), b, key="x")
    assert str(raised.value) == DUPLICATE_KEY_MESSAGE
    assert graph_state(flow) == before


def test_eager_validation_rejects_a_key_the_task_does_not_accept(graph_state):
    b = add.copy()
    flow = Flow("f")
    flow.add_task(b)
    before = graph_state(flow)
    with pytest.raises(TypeError, match="got an unexpected keyword argument 'zz'"):
        flow.add_edge(Task(), b, key="zz", validate=True)
    assert graph_state(flow) == before


def test_eager_validation_accepts_any_key_for_a_var_keyword_task():
    b = collect.copy()
    flow = Flow("f")
    flow.add_edge(Task(), b, key="anything", validate=True)
    assert len(flow.edges) == 1


def test_eager_validation_ignores_keys_given_as_constants():
    with Flow("f") as flow:
        result = add(1)
    flow.add_edge(Task(), result, key="x", validate=True)
    assert flow.constants[result] == {"x": 1}
    assert len(flow.edges_to(result)) == 1


def test_eager_validation_rejects_a_cycle_naming_its_tasks(graph_state):
    a, b = named("a", "b")
    flow = Flow("f", edges=[Edge(a, b)])
    before = graph_state(flow)
    with pytest.raises(ValueError) as raised:
        flow.add_edge(b, a, validate=True)
    assert str(raised.value) == (
        "Cycle found; flows must be acyclic! Tasks on the cycle: b -> a -> b"
    )
    assert graph_state(flow) == before


def test_eager_cycle_message_names_every_task_on_a_longer_cycle():
    a, b, c = named("a", "b", "c")
    flow = Flow("f", edges=[Edge(a, b), Edge(b, c)])
    with set_temporary_config(EAGER):
        with pytest.raises(ValueError, match="Tasks on the cycle: c -> a -> b -> c$"):
            flow.add_edge(c, a)


def test_validate_false_overrides_the_configuration():
    a, b = Task(), Task()
    flow = Flow("f", edges=[Edge(a, b)])
    with set_temporary_config(EAGER):
        flow.add_edge(b, a, validate=False)
    assert len(flow.edges) == 2


def test_eager_validation_applies_to_the_functional_api():
    upstream = Task()
    with set_temporary_config(EAGER):
        with Flow("f") as flow:
            result = add(1)
            with pytest.raises(TypeError, match="unexpected keyword argument 'zz'"):
                flow.add_edge(upstream, result, key="zz")


# -- set_dependencies ----------------------------------------------------------------------


def test_set_dependencies_adds_a_task_without_inputs():
    t = Task()
    flow = Flow("f")
    flow.set_dependencies(t)
    assert flow.tasks == {t}


def test_set_dependencies_adds_upstream_downstream_and_keyword_edges():
    t, up, down, data = Task(), Task(), Task(), Task()
    flow = Flow("f")
    flow.set_dependencies(
        t, upstream_tasks=[up], downstream_tasks=[down], keyword_tasks={"x": data}
    )
    assert flow.edges == {Edge(up, t), Edge(t, down), Edge(data, t, key="x")}


def test_set_dependencies_maps_incoming_edges_but_never_downstream_ones():
    t, up, down, data = Task(), Task(), Task(), Task()
    flow = Flow("f")
    flow.set_dependencies(
        t, upstream_tasks=[up], downstream_tasks=[down], keyword_tasks={"x": data}, mapped=True
    )
    assert flow.edges == {
        Edge(up, t, mapped=True),
        Edge(t, down),
        Edge(data, t, key="x", mapped=True),
    }


def test_set_dependencies_turns_a_constant_task_argument_into_a_node():
    down = Task()
    flow = Flow("f")
    flow.set_dependencies(5, downstream_tasks=[down])
    (edge,) = flow.edges
    assert isinstance(edge.upstream_task, Constant)
    assert edge.downstream_task is down


def test_set_dependencies_mapped_inside_a_mapped_context_is_rejected(graph_state):
    flow = Flow("f")
    with context(mapped=True):
        with pytest.raises(ValueError, match="mapped context"):
            flow.set_dependencies(Task(), keyword_tasks={"x": Task()}, mapped=True)
    assert flow.tasks == set()


def test_set_dependencies_forwards_validate():
    a, b = Task(), Task()
    flow = Flow("f", edges=[Edge(a, b)])
    with pytest.raises(ValueError, match="Cycle found"):
        flow.set_dependencies(a, upstream_tasks=[b], validate=True)


# -- chain ---------------------------------------------------------------------------------


def test_chain_links_consecutive_tasks_with_state_edges():
    a, b, c = Task(), Task(), Task()
    flow = Flow("f")
    edges = flow.chain(a, b, c)
    assert edges == [Edge(a, b), Edge(b, c)]
    assert flow.edges == set(edges)


@pytest.mark.parametrize("count", [0, 1])
def test_chain_of_fewer_than_two_tasks_adds_nothing(count):
    flow = Flow("f")
    assert flow.chain(*[Task() for _ in range(count)]) == []
    assert flow.tasks == set()


def test_chain_turns_constants_into_nodes():
    t = Task()
    flow = Flow("f")
    (edge,) = flow.chain(1, t)
    assert isinstance(edge.upstream_task, Constant)
    assert edge.upstream_task in flow.tasks


def test_a_chain_closing_a_cycle_under_validation_adds_nothing(graph_state):
    a, b, c = named("a", "b", "c")
    flow = Flow("f", edges=[Edge(c, a)])
    before = graph_state(flow)
    with pytest.raises(ValueError, match="Cycle found"):
        flow.chain(a, b, c, validate=True)
    assert graph_state(flow) == before


# -- atomicity of build calls --------------------------------------------------------------


def test_a_call_with_a_duplicate_parameter_name_changes_nothing(graph_state):
    first, second = Parameter("p"), Parameter("p")
    with Flow("f") as flow:
        add(1)
        before = graph_state(flow)
        with pytest.raises(ValueError, match='^A task with the slug "p" already exists'):
            add(first, second)
    assert graph_state(flow) == before


def test_a_duplicate_parameter_inside_a_collection_changes_nothing(graph_state):
    parameters = [Parameter("q"), Parameter("q")]
    with Flow("f") as flow:
        first = add(1)
        before = graph_state(flow)
        with pytest.raises(ValueError, match='slug "q" already exists'):
            add(first, parameters)
    assert graph_state(flow) == before
    assert flow.get_tasks(task_type=List) == []


@pytest.mark.parametrize(
    "call", [lambda t: add(t, zz=1), lambda t: add(y=t)], ids=["unknown", "missing"]
)
def test_a_call_with_bad_arguments_changes_nothing(graph_state, call):
    with Flow("f") as flow:
        first = add(1)
        before = graph_state(flow)
        with pytest.raises(TypeError):
            call(first)
    assert graph_state(flow) == before


def test_a_failing_eager_validation_undoes_the_whole_call(graph_state):
    with Flow("f") as flow:
        first = add(1)
        second = add(first)
        before = graph_state(flow)
        with set_temporary_config(EAGER):
            with pytest.raises(ValueError, match="Cycle found"):
                flow.set_dependencies(first, keyword_tasks={"y": 3, "x": second})
    assert graph_state(flow) == before


def test_a_bad_key_undoes_the_constants_set_before_it(graph_state):
    t = Task()
    flow = Flow("f")
    flow.add_task(t)
    before = graph_state(flow)
    with pytest.raises(ValueError, match="Key must be a valid identifier"):
        flow.set_dependencies(Task(), keyword_tasks={"ok": 1, "bad key": 2}, upstream_tasks=[t])
    assert graph_state(flow) == before


def test_a_failed_call_does_not_use_up_slug_numbers():
    parameters = Parameter("p"), Parameter("p")
    with Flow("f") as flow:
        add(1)
        with pytest.raises(ValueError):
            add(*parameters)
        later = add(2)
    assert flow.slugs[later] == "add-2"
