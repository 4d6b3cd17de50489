"""`prefect_core.utilities.tasks`: `task`, `tags`, `as_task`, `defaults_from_attrs`,
`pause_task`."""

import inspect
from datetime import UTC, datetime, timedelta

import pytest

from prefect_core.core import Edge, Flow, Task
from prefect_core.engine import signals
from prefect_core.tasks.core.collections import Dict, List, Set, Tuple
from prefect_core.tasks.core.constants import Constant
from prefect_core.tasks.core.function import FunctionTask
from prefect_core.utilities.context import context
from prefect_core.utilities.edges import mapped, unmapped
from prefect_core.utilities.tasks import as_task, defaults_from_attrs, pause_task, tags, task

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
