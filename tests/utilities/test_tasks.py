"""`prefect_core.utilities.tasks`: `task`, `tags`, `as_task`, `apply_map`,
`defaults_from_attrs`, `pause_task`."""

import inspect
from datetime import UTC, datetime, timedelta

import pytest

import prefect_core
from prefect_core.core import Edge, Flow, Parameter, Task
from prefect_core.engine import signals
from prefect_core.engine.state import Skipped
from prefect_core.tasks.control_flow import case, merge
from prefect_core.tasks.control_flow.conditional import CompareValue
from prefect_core.tasks.core.collections import Dict, List, Set, Tuple
from prefect_core.tasks.core.constants import Constant
from prefect_core.tasks.core.function import FunctionTask
from prefect_core.utilities.context import context
from prefect_core.utilities.edges import flatten, mapped, unmapped
from prefect_core.utilities.tasks import (
    apply_map,
    as_task,
    defaults_from_attrs,
    pause_task,
    tags,
    task,
)

pytestmark = pytest.mark.filterwarnings("error::UserWarning")


def double(x):
    return 2 * x


# -- task ----------------------------------------------------------------------------------


def test_bare_decorator_makes_a_function_task():
    decorated = task(double)
    assert isinstance(decorated, FunctionTask)
    assert decorated.name == "double"
    assert decorated.run(2) == 4


def test_decorator_with_arguments_returns_a_decorator():
    decorator = task(name="twice", tags=["math"])
    decorated = decorator(double)
    assert isinstance(decorated, FunctionTask)
    assert (decorated.name, decorated.tags) == ("twice", {"math"})


def test_decorator_called_without_arguments_returns_a_decorator():
    assert isinstance(task()(double), FunctionTask)


def test_function_and_keywords_in_one_call_make_the_task_directly():
    decorated = task(double, max_retries=2, retry_delay=timedelta(seconds=1))
    assert (decorated.max_retries, decorated.retry_delay) == (2, timedelta(seconds=1))


def test_decorator_keywords_are_validated_like_task_options():
    with pytest.raises(ValueError, match="retry_delay"):
        task(max_retries=2)(double)


def test_decorated_functions_are_usable_as_decorators_syntax():
    @task(nout=2)
    def split(value):
        return value, value

    assert split.nout == 2
    assert split.run(1) == (1, 1)


# -- tags ----------------------------------------------------------------------------------


def test_tags_sets_the_context_tags_for_the_block():
    with tags("a", "b"):
        assert context.get("tags") == {"a", "b"}
    assert context.get("tags") is None


def test_nested_tags_blocks_accumulate():
    with tags("outer"):
        with tags("inner"):
            assert context.get("tags") == {"outer", "inner"}
        assert context.get("tags") == {"outer"}


def test_tags_apply_to_tasks_created_in_the_block():
    with tags("io"):
        assert Task().tags == {"io"}


# -- as_task: tasks, annotations, constants ------------------------------------------------


def test_a_task_is_returned_as_is():
    t = Task()
    assert as_task(t) is t


def test_an_annotation_is_unwrapped():
    t = Task()
    assert as_task(unmapped(t)) is t
    assert as_task(mapped(unmapped(t))) is t


@pytest.mark.parametrize(
    "value",
    [5, "text", None, [1, 2], (1, (2, 3)), {1, 2}, {"a": [1, {"b": 2}]}, range(3), iter([1])],
    ids=["int", "str", "none", "list", "nested-tuple", "set", "nested-dict", "range", "iterator"],
)
def test_values_without_tasks_become_constants(value):
    converted = as_task(value)
    assert isinstance(converted, Constant)
    assert converted.value is value
    assert converted.auto_generated is True


def test_an_annotated_constant_becomes_a_constant():
    converted = as_task(unmapped(5))
    assert isinstance(converted, Constant)
    assert converted.value == 5


def test_a_dict_with_a_task_as_key_only_is_a_constant():
    t = Task()
    converted = as_task({t: 1})
    assert isinstance(converted, Constant)


def test_a_generator_is_a_constant_even_if_it_yields_tasks():
    assert isinstance(as_task(t for t in [Task()]), Constant)


# -- as_task: collections holding tasks ----------------------------------------------------


@pytest.mark.parametrize(
    ("make", "collection_class"),
    [(list, List), (tuple, Tuple)],
    ids=["list", "tuple"],
)
def test_a_sequence_holding_tasks_becomes_a_bound_collection_task(make, collection_class):
    t = Task()
    flow = Flow("f")
    converted = as_task(make([t, 2]), flow=flow)
    assert type(converted) is collection_class
    assert converted.auto_generated is True
    assert flow.edges == {Edge(t, converted, key="arg_1")}
    assert flow.constants[converted] == {"arg_2": 2}


def test_a_set_holding_tasks_becomes_a_set_task():
    t = Task()
    flow = Flow("f")
    converted = as_task({t}, flow=flow)
    assert type(converted) is Set
    assert flow.edges == {Edge(t, converted, key="arg_1")}


def test_a_dict_with_task_values_becomes_a_dict_task():
    t = Task()
    flow = Flow("f")
    converted = as_task({"a": t, "b": 2}, flow=flow)
    assert type(converted) is Dict
    assert converted.auto_generated is True
    assert flow.constants[converted] == {"keys": ["a", "b"]}
    (values_edge,) = flow.edges_to(converted)
    values = values_edge.upstream_task
    assert (type(values), values_edge.key) == (List, "values")
    assert flow.constants[values] == {"arg_2": 2}
    assert flow.edges_to(values) == {Edge(t, values, key="arg_1")}


def test_nested_collections_holding_tasks_are_converted_recursively():
    t = Task()
    flow = Flow("f")
    outer = as_task([1, [t]], flow=flow)
    (inner_edge,) = flow.edges_to(outer)
    inner = inner_edge.upstream_task
    assert type(inner) is List
    assert inner_edge.key == "arg_2"
    assert flow.constants[outer] == {"arg_1": 1}
    assert flow.upstream_tasks(inner) == {t}


def test_an_annotated_task_inside_a_list_keeps_its_annotation():
    t = Task()
    flow = Flow("f")
    converted = as_task([mapped(t)], flow=flow)
    assert flow.edges == {Edge(t, converted, key="arg_1", mapped=True)}


def test_collections_use_the_active_flow():
    t = Task()
    with Flow("f") as flow:
        converted = as_task([t])
    assert converted in flow.tasks


def test_collections_holding_tasks_need_a_flow():
    with pytest.raises(ValueError, match="Could not infer an active Flow context"):
        as_task([Task()])


# -- defaults_from_attrs -------------------------------------------------------------------


class Greet(Task):
    def __init__(self, who=None, punctuation="!", **kwargs):
        self.who = who
        self.punctuation = punctuation
        super().__init__(**kwargs)

    @defaults_from_attrs("who", "punctuation")
    def run(self, who=None, punctuation=None):
        """Say hi."""
        return f"hi {who}{punctuation}"


def test_missing_arguments_are_filled_from_attributes():
    assert Greet(who="a").run() == "hi a!"


def test_passed_arguments_win_over_attributes():
    assert Greet(who="a").run(who="b", punctuation="?") == "hi b?"


def test_an_explicit_none_is_kept():
    assert Greet(who="a").run(who=None) == "hi None!"


def test_the_decorated_run_keeps_its_metadata_and_signature():
    assert Greet.run.__name__ == "run"
    assert Greet.run.__doc__ == "Say hi."
    assert list(inspect.signature(Greet().run).parameters) == ["who", "punctuation"]


# -- pause_task ----------------------------------------------------------------------------


def test_pause_task_raises_a_pause_signal_with_the_default_message():
    message = "^Pause signal raised during task execution.$"
    with pytest.raises(signals.PAUSE, match=message) as raised:
        pause_task()
    assert raised.value.state.start_time is None


def test_pause_task_uses_the_given_message():
    with pytest.raises(signals.PAUSE, match="^wait for approval$"):
        pause_task("wait for approval")


def test_pause_task_with_a_duration_resumes_after_it():
    before = datetime.now(UTC)
    with pytest.raises(signals.PAUSE) as raised:
        pause_task(duration=timedelta(minutes=5))
    start_time = raised.value.state.start_time
    assert before + timedelta(minutes=5) <= start_time <= datetime.now(UTC) + timedelta(minutes=5)


def test_pause_task_does_nothing_when_resuming():
    with context(resume=True):
        assert pause_task() is None


def test_pause_task_pauses_when_resume_is_false():
    with context(resume=False):
        with pytest.raises(signals.PAUSE):
            pause_task()


# -- apply_map: inputs and the call of func ------------------------------------------------


@task
def inc(x):
    return x + 1


@task
def add(x, y):
    return x + y


@task
def hello():
    return "hello"


@task
def is_even(x):
    return x % 2 == 0


@task
def say(word):
    return word


def named(flow, name):
    (found,) = [t for t in flow.tasks if t.name == name]
    return found


def only_compare(flow):
    (compare,) = [t for t in flow.tasks if isinstance(t, CompareValue)]
    return compare


def test_apply_map_is_exported_at_the_top_level():
    assert prefect_core.apply_map is apply_map
    assert "apply_map" in prefect_core.__all__


def test_apply_map_needs_a_flow():
    with pytest.raises(ValueError, match="^Couldn't infer a flow in the current context$"):
        apply_map(inc, [1, 2])


@pytest.mark.parametrize(
    ("value", "type_name"), [(5, "int"), ({"a": 1}, "dict"), ({1, 2}, "set"), (None, "NoneType")]
)
def test_apply_map_refuses_a_non_sequence_argument(value, type_name):
    with Flow("f"), pytest.raises(TypeError) as raised:
        apply_map(inc, value)
    assert str(raised.value) == f"Cannot map over non-sequence object of type `{type_name}`"


def test_apply_map_checks_keyword_arguments_too():
    with Flow("f"), pytest.raises(TypeError, match="of type `int`"):
        apply_map(inc, x=5)


def test_apply_map_accepts_tasks_annotations_and_sequences():
    inputs = [Parameter("p"), unmapped(3), "ab", (1,), range(2)]
    seen = []
    with Flow("f"):
        apply_map(lambda *converted: seen.extend(converted), *inputs)
    assert len(seen) == len(inputs)
    assert all(isinstance(converted, Task) for converted in seen)


def test_apply_map_returns_what_func_returns():
    with Flow("f"):
        returned = apply_map(lambda x: ("built", inc(x)), [1, 2])
    assert returned[0] == "built"
    assert returned[1].name == "inc"


def test_apply_map_passes_constant_inputs_as_constant_tasks():
    seen = {}

    def record(x, offset):
        seen.update(x=x, offset=offset)

    with Flow("f"):
        apply_map(record, [1, 2], offset=unmapped(10))
    assert isinstance(seen["x"], Constant) and seen["x"].value == [1, 2]
    assert isinstance(seen["offset"], Constant) and seen["offset"].value == 10


def test_apply_map_runs_func_in_a_temporary_mapped_context():
    seen = {}

    def record(x):
        seen.update({key: context.get(key) for key in ("mapped", "case", "resource", "flow")})

    with Flow("f") as flow, case(say("a"), "a"):
        apply_map(record, [1, 2])
    assert seen["mapped"] is True
    assert seen["case"] is None and seen["resource"] is None
    assert isinstance(seen["flow"], Flow) and seen["flow"] is not flow


def test_apply_map_leaves_the_context_as_it_was():
    with Flow("f"):
        apply_map(inc, [1, 2])
        assert "mapped" not in context


def test_mapping_inside_apply_map_is_refused():
    with Flow("f"), pytest.raises(ValueError) as raised:
        apply_map(lambda x: inc.map(x), [1, 2])
    assert str(raised.value) == (
        "Cannot set `mapped=True` when running from inside a mapped context"
    )


def test_apply_map_with_an_explicit_flow_passes_the_temporary_flow_to_func():
    flow = Flow("f")
    seen = {}

    def build(x, flow):
        seen["flow"] = flow
        return inc.copy().bind(x, flow=flow)

    built = apply_map(build, [1, 2], flow=flow)
    assert seen["flow"] is not flow
    assert built in flow.tasks
    assert Edge(named(flow, "[1, 2]"), built, key="x", mapped=True) in flow.edges


# -- apply_map: merging the temporary flow into the flow -----------------------------------


def test_apply_map_maps_edges_from_mapped_arguments():
    with Flow("f") as flow:
        items = Parameter("items")
        built = apply_map(inc, items)
    assert flow.edges == {Edge(items, built, key="x", mapped=True)}


def test_apply_map_maps_edges_between_the_tasks_func_creates():
    with Flow("f") as flow:
        outer = apply_map(lambda x: inc(inc(x)), Parameter("items"))
    (inner,) = flow.upstream_tasks(outer)
    assert flow.edges_to(outer) == {Edge(inner, outer, key="x", mapped=True)}


def test_apply_map_keeps_unmapped_task_arguments_unmapped():
    with Flow("f") as flow:
        items, offset = Parameter("items"), Parameter("offset")
        built = apply_map(add, items, unmapped(offset))
    assert flow.edges_to(built) == {
        Edge(items, built, key="x", mapped=True),
        Edge(offset, built, key="y", mapped=False),
    }


def test_apply_map_flattens_flattened_arguments():
    with Flow("f") as flow:
        items = Parameter("items")
        built = apply_map(inc, flatten(items))
    assert flow.edges == {Edge(items, built, key="x", mapped=True, flattened=True)}


def test_apply_map_combines_nested_annotations():
    with Flow("f") as flow:
        items, numbers = Parameter("items"), Parameter("numbers")
        built = apply_map(add, unmapped(flatten(items)), numbers)
    assert Edge(items, built, key="x", mapped=False, flattened=True) in flow.edges


def test_a_mapped_constant_argument_becomes_a_constant_task_with_a_mapped_edge():
    numbers = range(3)
    with Flow("f") as flow:
        built = apply_map(inc, numbers)
    (edge,) = flow.edges
    assert isinstance(edge.upstream_task, Constant)
    assert edge.upstream_task.value is numbers
    assert edge == Edge(edge.upstream_task, built, key="x", mapped=True)


def test_an_unmapped_constant_argument_stays_a_constant_input():
    with Flow("f") as flow:
        built = apply_map(add, Parameter("items"), unmapped(10))
    assert flow.constants[built] == {"y": 10}
    assert not any(isinstance(t, Constant) for t in flow.tasks)


def test_constants_bound_inside_func_are_copied_unchanged():
    with Flow("f") as flow:
        built = apply_map(lambda x: add(x, 5), Parameter("items"))
    assert flow.constants[built] == {"y": 5}


def test_roots_without_inputs_are_mapped_over_every_mapped_argument():
    with Flow("f") as flow:
        items = Parameter("items")
        built = apply_map(lambda x, y: hello(), items, [1, 2])
    numbers = named(flow, "[1, 2]")
    assert flow.edges == {Edge(items, built, mapped=True), Edge(numbers, built, mapped=True)}


def test_roots_get_keyless_edges_from_arguments_they_do_not_use():
    with Flow("f") as flow:
        built = apply_map(lambda x, y: add(x, 1), [1, 2, 3], [1, 2])
    assert {(e.upstream_task.name, e.key, e.mapped) for e in flow.edges_to(built)} == {
        ("Constant[list]", "x", True),
        ("[1, 2]", None, True),
    }


def test_roots_get_unmapped_keyless_edges_from_unmapped_task_arguments():
    with Flow("f") as flow:
        offset = Parameter("offset")
        built = apply_map(lambda x, y: hello(), Parameter("items"), unmapped(offset))
    assert Edge(offset, built, mapped=False) in flow.edges


def test_roots_get_no_edge_from_unmapped_constant_arguments():
    with Flow("f") as flow:
        items = Parameter("items")
        built = apply_map(lambda x, y: hello(), items, unmapped(10))
    assert flow.edges == {Edge(items, built, mapped=True)}
    assert flow.tasks == {items, built}


def test_tasks_downstream_of_new_tasks_get_no_keyless_edges():
    with Flow("f") as flow:
        items = Parameter("items")
        outer = apply_map(lambda x: inc(hello()), items)
    (root,) = flow.upstream_tasks(outer)
    assert flow.edges_to(outer) == {Edge(root, outer, key="x", mapped=True)}
    assert flow.edges_to(root) == {Edge(items, root, mapped=True)}


def test_a_case_inside_func_is_mapped():
    def inc_if_even(x):
        with case(is_even(x), True):
            incremented = inc(x)
        return incremented

    with Flow("f") as flow:
        items = Parameter("items")
        incremented = apply_map(inc_if_even, items)
    check, compare = named(flow, "is_even"), named(flow, "case(True)")
    assert Edge(check, compare, key="value", mapped=True) in flow.edges
    assert Edge(compare, incremented, mapped=True) in flow.edges
    assert Edge(items, incremented, key="x", mapped=True) in flow.edges


def test_apply_map_tasks_join_an_enclosing_case():
    with Flow("f") as flow:
        condition = say("a")
        with case(condition, "a"):
            built = apply_map(inc, [1, 2])
    compare = only_compare(flow)
    assert flow.upstream_tasks(compare) == {condition}
    assert Edge(compare, built, mapped=False) in flow.edges


def test_a_failed_apply_map_leaves_the_flow_unchanged():
    existing, items = Task(slug="taken"), Parameter("items")
    with Flow("f") as flow:
        flow.add_task(existing)
        with pytest.raises(ValueError, match='slug "taken" already exists'):
            apply_map(lambda x: Task(slug="taken").bind(upstream_tasks=[x]), items)
    assert flow.tasks == {existing}
    assert flow.edges == set()


# -- apply_map: at run time ----------------------------------------------------------------


def test_apply_map_runs_the_pipeline_once_per_element():
    def inc_if_even(x, offset):
        with case(is_even(x), True):
            x2 = inc(x)
        return merge(add(x2, offset), x)

    with Flow("am") as flow:
        out = apply_map(inc_if_even, range(5), unmapped(10))
    assert flow.run().result[out].result == [11, 1, 13, 3, 15]


def test_apply_map_runs_for_the_shortest_input():
    with Flow("f") as flow:
        out = apply_map(lambda x, y: add(x, 1), [1, 2, 3], [1, 2])
    assert flow.run().result[out].result == [2, 3]


def test_input_less_tasks_in_apply_map_run_once_per_element():
    with Flow("f") as flow:
        out = apply_map(lambda x: hello(), [1, 2, 3])
    assert flow.run().result[out].result == ["hello", "hello", "hello"]


def test_apply_map_over_a_flattened_argument_maps_over_the_flat_list():
    with Flow("f") as flow:
        out = apply_map(inc, flatten([[1], [2, 3]]))
    assert flow.run().result[out].result == [2, 3, 4]


def test_apply_map_in_a_matching_case_runs():
    with Flow("f") as flow:
        with case(say("a"), "a"):
            out = apply_map(inc, [1, 2])
    assert flow.run().result[out].result == [2, 3]


def test_apply_map_in_a_skipped_case_is_skipped():
    with Flow("f") as flow:
        with case(say("b"), "a"):
            out = apply_map(inc, [1, 2])
    state = flow.run()
    assert state.is_successful()
    assert isinstance(state.result[out], Skipped)
