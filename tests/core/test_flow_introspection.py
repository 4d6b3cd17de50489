"""`Flow` queries (`get_tasks`, neighbours, edges, `sorted_tasks`), `validate`, `update` and
`replace`."""

import pytest

from prefect_core.core import Edge, Flow, Parameter, Task
from prefect_core.tasks.core.constants import Constant
from prefect_core.utilities.tasks import task

pytestmark = pytest.mark.filterwarnings("error::UserWarning")


@task
def add(x, y=10):
    return x + y


class Echo(Task):
    def run(self, value):
        return value


def named(*names):
    return [Task(name=name) for name in names]


@pytest.fixture
def diamond():
    """`a -> b, a -> c, b -> d, c -> d` (keyless edges) in flow `f`."""
    a, b, c, d = named("a", "b", "c", "d")
    flow = Flow("f", edges=[Edge(a, b), Edge(a, c), Edge(b, d), Edge(c, d)])
    return flow, (a, b, c, d)


# -- get_tasks -----------------------------------------------------------------------------


def test_get_tasks_without_filters_returns_every_task():
    a, b = named("a", "b")
    assert set(Flow("f", tasks=[a, b]).get_tasks()) == {a, b}


def test_get_tasks_filters_by_name():
    a, b = named("a", "b")
    assert Flow("f", tasks=[a, b]).get_tasks(name="b") == [b]


def test_get_tasks_filters_by_the_task_slug_attribute_not_the_flow_slug():
    slugged, plain = Task(slug="s"), Task(name="p")
    flow = Flow("f", tasks=[slugged, plain])
    assert flow.get_tasks(slug="s") == [slugged]
    assert flow.get_tasks(slug="p-1") == []


def test_get_tasks_filters_by_a_superset_of_tags():
    both, one = Task(tags=["x", "y"]), Task(tags=["x"])
    flow = Flow("f", tasks=[both, one])
    assert flow.get_tasks(tags=["x", "y"]) == [both]
    assert set(flow.get_tasks(tags=["x"])) == {both, one}


def test_get_tasks_filters_by_type():
    echo, plain = Echo(), Task()
    assert Flow("f", tasks=[echo, plain]).get_tasks(task_type=Echo) == [echo]


def test_get_tasks_requires_every_filter_to_match():
    match, wrong_name = Echo(name="e", tags=["t"]), Echo(name="other", tags=["t"])
    flow = Flow("f", tasks=[match, wrong_name])
    assert flow.get_tasks(name="e", tags=["t"], task_type=Echo) == [match]
    assert flow.get_tasks(name="e", task_type=Parameter) == []


# -- roots, terminals, parameters ----------------------------------------------------------


def test_root_and_terminal_tasks(diamond):
    flow, (a, b, c, d) = diamond
    assert flow.root_tasks() == {a}
    assert flow.terminal_tasks() == {d}


def test_an_isolated_task_is_both_root_and_terminal(diamond):
    flow, _ = diamond
    lonely = flow.add_task(Task())
    assert lonely in flow.root_tasks()
    assert lonely in flow.terminal_tasks()


def test_roots_and_terminals_follow_graph_changes(diamond):
    flow, (a, b, c, d) = diamond
    assert flow.root_tasks() == {a}
    new_root = Task()
    flow.add_edge(new_root, a)
    assert flow.root_tasks() == {new_root}


def test_parameters_returns_the_parameter_tasks():
    x, y = Parameter("x"), Parameter("y")
    with Flow("f") as flow:
        add(x, y)
    assert flow.parameters() == {x, y}


# -- neighbours and edges ------------------------------------------------------------------


def test_edges_to_and_from_a_task(diamond):
    flow, (a, b, c, d) = diamond
    assert flow.edges_to(d) == {Edge(b, d), Edge(c, d)}
    assert flow.edges_from(a) == {Edge(a, b), Edge(a, c)}
    assert flow.edges_to(a) == set()


def test_upstream_and_downstream_tasks(diamond):
    flow, (a, b, c, d) = diamond
    assert flow.upstream_tasks(d) == {b, c}
    assert flow.downstream_tasks(a) == {b, c}
    assert flow.downstream_tasks(d) == set()


@pytest.mark.parametrize("method", ["edges_to", "edges_from", "upstream_tasks", "downstream_tasks"])
def test_neighbour_queries_reject_a_task_outside_the_flow(diamond, method):
    flow, _ = diamond
    stranger = Task(name="stranger")
    with pytest.raises(ValueError) as raised:
        getattr(flow, method)(stranger)
    assert str(raised.value) == 'Task <Task: stranger> was not found in Flow <Flow: name="f">'


def test_returned_edge_sets_are_copies(diamond):
    flow, (a, b, c, d) = diamond
    flow.edges_to(d).clear()
    flow.edges_from(a).clear()
    flow.upstream_tasks(d).clear()
    assert flow.edges_to(d) == {Edge(b, d), Edge(c, d)}
    assert flow.sorted_tasks() == (a, b, c, d)


def test_all_upstream_and_downstream_edges_cover_every_task(diamond):
    flow, (a, b, c, d) = diamond
    assert flow.all_upstream_edges() == {
        a: set(),
        b: {Edge(a, b)},
        c: {Edge(a, c)},
        d: {Edge(b, d), Edge(c, d)},
    }
    assert flow.all_downstream_edges()[a] == {Edge(a, b), Edge(a, c)}
    assert flow.all_downstream_edges()[d] == set()


# -- sorted_tasks --------------------------------------------------------------------------


def test_sorted_tasks_puts_every_task_after_its_upstream_tasks(diamond):
    flow, (a, b, c, d) = diamond
    order = flow.sorted_tasks()
    assert isinstance(order, tuple)
    for edge in flow.edges:
        assert order.index(edge.upstream_task) < order.index(edge.downstream_task)


def test_sorted_tasks_orders_independent_tasks_by_insertion():
    tasks = named("c", "a", "b")
    assert Flow("f", tasks=tasks).sorted_tasks() == tuple(tasks)


def test_sorted_tasks_goes_level_by_level_with_ties_in_insertion_order():
    a, b, c, d = named("a", "b", "c", "d")
    flow = Flow("f", tasks=[a, b, c, d])
    flow.add_edge(a, d)
    flow.add_edge(b, c)
    assert flow.sorted_tasks() == (a, b, c, d)


def test_sorted_tasks_is_deterministic_for_the_same_build():
    def build():
        with Flow("f") as flow:
            first = add(1)
            for _ in range(20):
                add(first, add(2))
        return [flow.slugs[t] for t in flow.sorted_tasks()]

    assert build() == build()


def test_sorted_tasks_is_cached_until_the_graph_changes(diamond):
    flow, _ = diamond
    before = flow.sorted_tasks()
    assert flow.sorted_tasks() is before
    extra = flow.add_task(Task())
    assert extra in flow.sorted_tasks()
    assert extra not in before


def test_sorted_tasks_from_roots_covers_them_and_everything_downstream(diamond):
    flow, (a, b, c, d) = diamond
    assert flow.sorted_tasks(root_tasks=[c]) == (c, d)
    assert flow.sorted_tasks(root_tasks=[b, c]) == (b, c, d)


def test_sorted_tasks_from_roots_ignores_edges_from_outside_the_subset():
    a, b, c = named("a", "b", "c")
    flow = Flow("f", edges=[Edge(a, c), Edge(c, b)])
    flow.add_task(Task())
    assert flow.sorted_tasks(root_tasks=[c]) == (c, b)


def test_sorted_tasks_rejects_roots_outside_the_flow(diamond):
    flow, _ = diamond
    with pytest.raises(ValueError, match=r"^Task <Task: x> was not found in Flow"):
        flow.sorted_tasks(root_tasks=[Task(name="x")])


def test_sorted_tasks_reports_a_cycle_with_its_tasks():
    a, b, c = named("a", "b", "c")
    flow = Flow("f", edges=[Edge(c, a), Edge(a, b), Edge(b, a)])
    with pytest.raises(ValueError) as raised:
        flow.sorted_tasks()
    message = str(raised.value)
    assert message.startswith("Cycle found; flows must be acyclic! Tasks on the cycle: ")
    assert message.endswith(("a -> b -> a", "b -> a -> b"))


# -- validate ------------------------------------------------------------------------------


def test_validate_accepts_a_valid_flow(diamond):
    flow, _ = diamond
    assert flow.validate() is None


def test_validate_rejects_edges_to_tasks_outside_the_flow(diamond):
    flow, (a, b, c, d) = diamond
    flow.edges.add(Edge(d, Task()))
    with pytest.raises(ValueError, match="^Some edges refer to tasks not contained in this flow.$"):
        flow.validate()


def test_validate_rejects_a_cycle():
    a, b = named("a", "b")
    flow = Flow("f", edges=[Edge(a, b), Edge(b, a)])
    with pytest.raises(ValueError, match=r"^Cycle found; flows must be acyclic! Tasks on the"):
        flow.validate()


def test_validate_rejects_reference_tasks_outside_the_flow():
    a, b = Task(), Task()
    flow = Flow("f", tasks=[a, b], reference_tasks=[a])
    flow.tasks.discard(a)
    with pytest.raises(ValueError, match="^Some reference tasks are not contained in this flow.$"):
        flow.validate()


def test_validate_does_not_check_edge_keys_against_signatures():
    a, b = Task(), add.copy()
    flow = Flow("f", edges=[Edge(a, b, key="zz")])
    flow.validate()


# -- update --------------------------------------------------------------------------------


def test_update_adds_the_other_flows_tasks_edges_and_constants():
    with Flow("g") as other:
        result = add(1)
        downstream = add(result)
    flow = Flow("f", tasks=[Task()])
    flow.update(other)
    assert other.tasks <= flow.tasks
    assert other.edges <= flow.edges
    assert flow.constants[result] == {"x": 1}
    assert flow.upstream_tasks(downstream) == {result}


def test_update_with_a_parameter_of_the_same_name_is_rejected(graph_state):
    flow, other = Flow("f"), Flow("g")
    flow.add_task(Parameter("x"))
    other.add_task(Parameter("x"))
    before = graph_state(flow)
    with pytest.raises(ValueError, match='^A task with the slug "x" already exists'):
        flow.update(other)
    assert graph_state(flow) == before


def test_update_merging_parameters_uses_the_other_flows_parameter():
    mine, theirs = Parameter("x"), Parameter("x")
    with Flow("f") as flow:
        mine_user = add(mine)
    with Flow("g") as other:
        theirs_user = add(theirs)
    flow.update(other, merge_parameters=True)
    assert flow.parameters() == {theirs}
    assert flow.upstream_tasks(mine_user) == {theirs}
    assert flow.upstream_tasks(theirs_user) == {theirs}


def test_update_keeps_reference_tasks_unless_asked_to_merge_them():
    a, b = Task(), Task()
    flow = Flow("f", tasks=[a], reference_tasks=[a])
    other = Flow("g", tasks=[b], reference_tasks=[b])
    flow.update(other)
    assert flow.reference_tasks() == {a}
    flow.update(other, merge_reference_tasks=True)
    assert flow.reference_tasks() == {a, b}


def test_update_validates_the_added_edges_when_asked(graph_state):
    a, b = named("a", "b")
    flow = Flow("f", edges=[Edge(a, b)])
    other = Flow("g", edges=[Edge(b, a)])
    before = graph_state(flow)
    with pytest.raises(ValueError, match="Cycle found"):
        flow.update(other, validate=True)
    assert graph_state(flow) == before


# -- replace -------------------------------------------------------------------------------


def test_replace_rejects_a_task_outside_the_flow():
    with pytest.raises(ValueError, match=r'^Task <Task: x> was not found in Flow <Flow: name="f"'):
        Flow("f").replace(Task(name="x"), Task())


def test_replace_moves_every_edge_to_the_new_task(diamond):
    flow, (a, b, c, d) = diamond
    new = Task(name="new")
    flow.replace(b, new)
    assert b not in flow.tasks
    assert b not in flow.slugs
    assert flow.upstream_tasks(new) == {a}
    assert flow.downstream_tasks(new) == {d}
    assert flow.slugs[new] == "new-1"


def test_replace_keeps_edge_keys_and_flags():
    a, b, c = Task(), Task(), Task()
    flow = Flow("f", edges=[Edge(a, b, key="x", mapped=True, flattened=True)])
    flow.replace(a, c)
    assert flow.edges == {Edge(c, b, key="x", mapped=True, flattened=True)}


def test_replace_by_a_constant_folds_its_keyed_edges():
    with Flow("f") as flow:
        source = add(1)
        user = add(source)
    flow.replace(source, 5)
    (constant,) = flow.get_tasks(task_type=Constant)
    assert constant.value == 5
    assert flow.constants[user] == {"x": 5}
    assert flow.edges == set()


def test_replace_updates_explicit_reference_tasks(diamond):
    flow, (a, b, c, d) = diamond
    flow.set_reference_tasks([b])
    new = Task()
    flow.replace(b, new)
    assert flow.reference_tasks() == {new}


def test_replace_carries_constant_inputs_the_new_task_accepts():
    with Flow("f") as flow:
        old = add(1, y=2)
    new = add.copy()
    flow.replace(old, new)
    assert flow.constants[new] == {"x": 1, "y": 2}


def test_replace_drops_constant_inputs_the_new_task_does_not_accept():
    with Flow("f") as flow:
        old = add(1, y=2)
    new = Echo()
    flow.replace(old, new)
    assert flow.constants[new] == {}


def test_replace_closing_a_cycle_is_rejected_and_changes_nothing(graph_state):
    a, b, c = named("a", "b", "c")
    flow = Flow("f", tasks=[a, b, c], edges=[Edge(a, b), Edge(b, c)], reference_tasks=[c])
    before = graph_state(flow)
    with pytest.raises(ValueError, match="Cycle found"):
        flow.replace(c, a)
    assert graph_state(flow) == before
    assert flow.sorted_tasks() == (a, b, c)


def test_replace_without_validation_leaves_the_cycle_for_validate():
    a, b, c = named("a", "b", "c")
    flow = Flow("f", edges=[Edge(a, b), Edge(b, c)])
    flow.replace(c, Task(name="a2"), validate=False)
    flow.validate()
    d = Task(name="d")
    flow.replace(b, d, validate=False)
    assert flow.upstream_tasks(d) == {a}
