"""`Flow`: construction, identity, the `with` block, `add_task` and slugs, reference
tasks, `copy` and pickling."""

import collections
import warnings

import cloudpickle
import pytest

from prefect_core.core import Edge, Flow, Parameter, Task
from prefect_core.engine.state import Failed, Success
from prefect_core.tasks.core.constants import Constant
from prefect_core.utilities.context import context
from prefect_core.utilities.tasks import tags, task

pytestmark = pytest.mark.filterwarnings("error::UserWarning")


@task
def add(x, y=10):
    return x + y


# -- constructor ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["", None])
def test_a_flow_needs_a_name(name):
    with pytest.raises(ValueError, match="^A name must be provided for the flow.$"):
        Flow(name)


def test_constructor_stores_the_opaque_settings():
    handler = object()
    flow = Flow(
        "f",
        schedule="s",
        executor="e",
        run_config="rc",
        storage="st",
        result="r",
        terminal_state_handler=handler,
    )
    assert (flow.name, flow.schedule, flow.executor) == ("f", "s", "e")
    assert (flow.run_config, flow.storage, flow.result) == ("rc", "st", "r")
    assert flow.terminal_state_handler is handler


def test_a_new_flow_is_empty():
    flow = Flow("f")
    assert (flow.tasks, flow.edges, flow.slugs) == (set(), set(), {})
    assert isinstance(flow.constants, collections.defaultdict)
    assert flow.constants == {}
    assert flow.schedule is None


def test_flow_logger_is_named_after_the_flow():
    assert Flow("etl").logger.name == "prefect_core.etl"


def test_constructor_adds_the_given_tasks():
    a, b = Task(), Task()
    assert Flow("f", tasks=[a, b]).tasks == {a, b}


def test_constructor_adds_the_given_edges_and_their_tasks():
    a, b = Task(), Task()
    flow = Flow("f", edges=[Edge(a, b, key="x", mapped=True)])
    assert flow.tasks == {a, b}
    assert flow.edges == {Edge(a, b, key="x", mapped=True)}


def test_constructor_sets_reference_tasks_among_the_given_tasks():
    a, b = Task(), Task()
    assert Flow("f", tasks=[a, b], reference_tasks=[a]).reference_tasks() == {a}


def test_reference_tasks_are_set_before_the_edges_are_added():
    a, b = Task(), Task()
    with pytest.raises(ValueError, match="^reference tasks must be part of the flow.$"):
        Flow("f", edges=[Edge(a, b)], reference_tasks=[b])


def test_constructor_validates_edges_when_asked():
    a, b = Task(name="a"), Task(name="b")
    with pytest.raises(ValueError, match="^Cycle found; flows must be acyclic!"):
        Flow("f", edges=[Edge(a, b), Edge(b, a)], validate=True)


def test_constructor_rejects_state_handlers_that_are_not_a_sequence():
    with pytest.raises(TypeError, match="^state_handlers should be iterable.$"):
        Flow("f", state_handlers={print})


def test_flow_state_handlers_default_to_an_empty_list():
    assert Flow("f").state_handlers == []


def test_flow_on_failure_is_appended_as_a_failed_state_callback():
    calls = []
    handlers = []
    flow = Flow("f", state_handlers=handlers, on_failure=lambda f, s: calls.append(s))
    assert flow.state_handlers is handlers
    (handler,) = handlers
    failed = Failed()
    handler(flow, None, Success())
    handler(flow, None, failed)
    assert calls == [failed]


def test_flow_on_failure_with_a_tuple_of_handlers_gives_a_list():
    first = lambda flow, old, new: new  # noqa: E731
    flow = Flow("f", state_handlers=(first,), on_failure=lambda f, s: None)
    assert isinstance(flow.state_handlers, list)
    assert len(flow.state_handlers) == 2


def test_environment_is_not_accepted():
    with pytest.raises(TypeError, match="environment"):
        Flow("f", environment=None)


# -- identity ------------------------------------------------------------------------------


def test_repr_shows_the_class_and_name():
    class MyFlow(Flow):
        pass

    assert repr(Flow("etl")) == '<Flow: name="etl">'
    assert repr(MyFlow("etl")) == '<MyFlow: name="etl">'


def test_flows_with_the_same_graph_are_equal():
    a, b = Task(), Task()
    assert Flow("f", edges=[Edge(a, b)]) == Flow("f", edges=[Edge(a, b)])


@pytest.mark.parametrize(
    "other",
    [lambda a, b: Flow("g", edges=[Edge(a, b)]), lambda a, b: Flow("f", tasks=[a, b])],
    ids=["different-name", "different-edges"],
)
def test_flows_with_a_different_graph_are_not_equal(other):
    a, b = Task(), Task()
    assert Flow("f", edges=[Edge(a, b)]) != other(a, b)


def test_flows_with_different_reference_tasks_are_not_equal():
    a, b = Task(), Task()
    assert Flow("f", tasks=[a, b], reference_tasks=[a]) != Flow("f", tasks=[a, b])


def test_a_flow_is_not_equal_to_other_objects():
    assert Flow("f") != "f"


def test_flows_are_unhashable():
    with pytest.raises(TypeError):
        hash(Flow("f"))


def test_iterating_a_flow_yields_its_sorted_tasks():
    a, b, c = Task(), Task(), Task()
    flow = Flow("f", edges=[Edge(b, c), Edge(a, b)])
    assert list(flow) == [a, b, c]
    assert b in flow
    assert Task() not in flow


def test_len_of_a_flow_is_not_defined():
    with pytest.raises(TypeError):
        len(Flow("f"))


# -- the with block ------------------------------------------------------------------------


def test_with_block_returns_the_flow_and_makes_it_active():
    flow = Flow("f")
    with flow as entered:
        assert entered is flow
        assert context.get("flow") is flow
        assert context.get("_unused_task_tracker") == set()
    assert context.get("flow") is None
    assert context.get("_unused_task_tracker") is None


def test_nested_blocks_restore_the_outer_flow():
    with Flow("outer") as outer:
        first = add(1)
        with Flow("inner") as inner:
            second = add(2)
        third = add(3)
    assert outer.tasks == {first, third}
    assert inner.tasks == {second}


def test_a_flow_can_be_entered_again_to_add_tasks():
    with Flow("f") as flow:
        first = add(1)
    with flow:
        second = add(first)
    assert flow.tasks == {first, second}


def test_tasks_created_but_not_added_trigger_a_warning_on_exit():
    with pytest.warns(UserWarning) as caught:
        with Flow("f"):
            orphan = Task(name="orphan")
    (warning,) = caught
    message = str(warning.message)
    assert message.startswith(f"Tasks were created but not added to the flow: {{{orphan!r}}}.")
    assert "instantiated inside a `with flow:` block but not added to the flow" in message


def test_unused_parameters_trigger_the_warning():
    with pytest.warns(UserWarning, match=r"not added to the flow: \{<Parameter: p>\}"):
        with Flow("f"):
            Parameter("p")


def test_tasks_added_explicitly_do_not_trigger_the_warning():
    with Flow("f") as flow:
        flow.add_task(Task())


def test_a_failing_block_propagates_without_the_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(KeyError):
            with Flow("f"):
                Task()
                raise KeyError("boom")
    assert context.get("flow") is None


def test_unused_inner_tasks_are_reported_by_the_inner_block_only():
    with Flow("outer") as outer:
        outer.add_task(Task())
        with pytest.warns(UserWarning, match="Tasks were created but not added"):
            with Flow("inner"):
                Task()


# -- add_task and slugs --------------------------------------------------------------------


def test_add_task_rejects_non_tasks():
    with pytest.raises(TypeError) as raised:
        Flow("f").add_task(1)
    assert str(raised.value) == "Tasks must be Task instances (received <class 'int'>)"


def test_add_task_returns_the_task():
    t = Task()
    flow = Flow("f")
    assert flow.add_task(t) is t
    assert flow.tasks == {t}


def test_adding_a_task_twice_is_a_no_op():
    t = Task()
    flow = Flow("f")
    flow.add_task(t)
    flow.add_task(t)
    assert flow.tasks == {t}
    assert flow.slugs == {t: "Task-1"}


def test_generated_slugs_count_per_name():
    flow = Flow("f")
    first, second, other = Task(name="add"), Task(name="add"), Task(name="mul")
    for t in (first, second, other):
        flow.add_task(t)
    assert flow.slugs == {first: "add-1", second: "add-2", other: "mul-1"}


def test_generated_slugs_include_the_sorted_tags():
    flow = Flow("f")
    t = flow.add_task(Task(name="f", tags=["t2", "t1"]))
    assert flow.slugs[t] == "f-t1-t2-1"


def test_generated_slug_does_not_change_the_task_slug():
    t = Task()
    Flow("f").add_task(t)
    assert t.slug is None


def test_an_explicit_slug_is_used_as_is():
    t = Task(slug="load-step")
    flow = Flow("f")
    flow.add_task(t)
    assert flow.slugs[t] == "load-step"


def test_a_duplicate_explicit_slug_is_rejected():
    flow = Flow("f")
    flow.add_task(Task(slug="s"))
    with pytest.raises(ValueError) as raised:
        flow.add_task(Task(slug="s"))
    assert str(raised.value) == 'A task with the slug "s" already exists in this flow.'


def test_an_explicit_slug_equal_to_a_generated_one_is_rejected():
    flow = Flow("f")
    flow.add_task(Task(name="add"))
    with pytest.raises(ValueError, match='slug "add-1" already exists'):
        flow.add_task(Task(slug="add-1"))


def test_generated_slugs_skip_slugs_already_taken():
    flow = Flow("f")
    flow.add_task(Task(slug="add-1"))
    t = flow.add_task(Task(name="add"))
    assert flow.slugs[t] == "add-2"


def test_slug_counters_never_rewind_after_a_replace():
    flow = Flow("f")
    first = flow.add_task(Task(name="add"))
    flow.add_task(Task(name="add"))
    replacement = Task(name="add")
    flow.replace(first, replacement)
    assert flow.slugs[replacement] == "add-3"


def test_constant_nodes_get_slugs_from_their_names():
    flow = Flow("f")
    flow.add_task(Constant([1, 2, 3]))
    assert list(flow.slugs.values()) == ["Constant[list]-1"]


def test_slugs_of_tasks_in_a_tags_block_include_the_tags():
    with Flow("f") as flow:
        with tags("io", "db"):
            t = add(1)
    assert flow.slugs[t] == "add-db-io-1"


def test_added_tasks_are_handed_to_an_open_case_and_resource_block(recording_block):
    t = Task()
    flow = Flow("f")
    with context(case=recording_block, resource=recording_block):
        flow.add_task(t)
    assert recording_block.added == [(t, flow), (t, flow)]


def test_parameters_and_constants_are_not_handed_to_open_blocks(recording_block):
    flow = Flow("f")
    with context(case=recording_block, resource=recording_block):
        flow.add_task(Parameter("p"))
        flow.add_task(Constant(1))
    assert recording_block.added == []


# -- reference tasks -----------------------------------------------------------------------


def test_reference_tasks_default_to_the_terminal_tasks():
    a, b, c = Task(), Task(), Task()
    flow = Flow("f", edges=[Edge(a, b)], tasks=[c])
    assert flow.reference_tasks() == {b, c}


def test_set_reference_tasks_replaces_the_default():
    a, b = Task(), Task()
    flow = Flow("f", edges=[Edge(a, b)])
    flow.set_reference_tasks([a])
    assert flow.reference_tasks() == {a}


def test_reference_tasks_must_be_in_the_flow():
    a = Task()
    flow = Flow("f", tasks=[a], reference_tasks=[a])
    with pytest.raises(ValueError, match="^reference tasks must be part of the flow.$"):
        flow.set_reference_tasks([a, Task()])
    assert flow.reference_tasks() == {a}


def test_empty_reference_tasks_restore_the_default():
    a, b = Task(), Task()
    flow = Flow("f", tasks=[a, b], edges=[Edge(a, b)], reference_tasks=[a])
    flow.set_reference_tasks([])
    assert flow.reference_tasks() == {b}


def test_reference_tasks_returns_a_copy():
    a = Task()
    flow = Flow("f", tasks=[a], reference_tasks=[a])
    flow.reference_tasks().clear()
    flow.terminal_tasks().clear()
    assert flow.reference_tasks() == {a}


def test_default_reference_tasks_follow_graph_changes():
    a, b = Task(), Task()
    flow = Flow("f", tasks=[a])
    assert flow.reference_tasks() == {a}
    flow.add_edge(a, b)
    assert flow.reference_tasks() == {b}


# -- copy ----------------------------------------------------------------------------------


def test_copy_is_equal_but_has_its_own_containers():
    a, b = Task(), Task()
    flow = Flow("f", tasks=[a, b], edges=[Edge(a, b)], reference_tasks=[b])
    copied = flow.copy()
    assert copied == flow
    assert copied.tasks is not flow.tasks
    assert copied.edges is not flow.edges
    assert copied.slugs is not flow.slugs
    assert copied.constants is not flow.constants
    copied.add_edge(b, Task())
    assert len(flow.tasks) == 2
    assert len(flow.edges) == 1
    assert flow.downstream_tasks(b) == set()


def test_copy_shares_the_task_objects_and_inner_constant_dicts():
    with Flow("f") as flow:
        result = add(1)
    copied = flow.copy()
    assert copied.tasks == {result}
    assert copied.constants[result] is flow.constants[result]


def test_copy_keeps_the_reference_tasks_and_slugs():
    a, b = Task(), Task()
    flow = Flow("f", tasks=[a, b], edges=[Edge(a, b)], reference_tasks=[a])
    copied = flow.copy()
    assert copied.reference_tasks() == {a}
    assert copied.slugs == flow.slugs


def test_copy_shares_the_slug_counters_with_the_original():
    flow = Flow("f")
    flow.add_task(Task(name="add"))
    copied = flow.copy()
    in_copy, in_original = Task(name="add"), Task(name="add")
    copied.add_task(in_copy)
    flow.add_task(in_original)
    assert copied.slugs[in_copy] == "add-2"
    assert flow.slugs[in_original] == "add-3"


def test_copy_starts_with_a_fresh_cache():
    a = Task()
    flow = Flow("f", tasks=[a])
    assert flow.sorted_tasks() == (a,)
    copied = flow.copy()
    b = copied.add_task(Task())
    assert copied.sorted_tasks() == (a, b)
    assert flow.sorted_tasks() == (a,)


# -- pickling and out-of-scope methods -----------------------------------------------------


def test_a_flow_round_trips_through_cloudpickle():
    with Flow("etl") as flow:
        x = Parameter("x")
        total = add(x, y=2)
        add.map([1, 2], total)
    restored = cloudpickle.loads(cloudpickle.dumps(flow))
    assert restored.name == "etl"
    assert sorted(restored.slugs.values()) == sorted(flow.slugs.values())
    assert [t.name for t in restored.sorted_tasks()] == [t.name for t in flow.sorted_tasks()]
    assert len(restored.edges) == len(flow.edges) == 3
    restored_total = next(t for t, slug in restored.slugs.items() if slug == flow.slugs[total])
    assert restored.constants[restored_total] == {"y": 2}
    assert restored_total.run(x=1, y=2) == 3


def test_an_unpickled_flow_keeps_building():
    with Flow("f") as flow:
        add(1)
    restored = cloudpickle.loads(cloudpickle.dumps(flow))
    with restored:
        later = add(2)
    assert restored.slugs[later] == "add-2"
    assert restored.upstream_tasks(later) == set()


def test_register_and_run_agent_are_not_supported():
    for method in (Flow("f").register, Flow("f").run_agent):
        with pytest.raises(NotImplementedError, match="not supported by prefect_core: no backend"):
            method()
