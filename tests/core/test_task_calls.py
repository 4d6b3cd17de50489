"""The functional API of `Task`: `copy`, `__call__` and `bind`."""

import warnings

import pytest

from prefect_core.core import Edge, Flow, Task
from prefect_core.engine.result import Result
from prefect_core.tasks.core.constants import Constant
from prefect_core.utilities.context import context
from prefect_core.utilities.edges import mapped
from prefect_core.utilities.tasks import tags, task

pytestmark = pytest.mark.filterwarnings("error::UserWarning")


@task
def add(x, y=10):
    return x + y


@task
def collect(**values):
    return values


class Echo(Task):
    def run(self, value):
        return value


# -- copy ----------------------------------------------------------------------------------


def test_copy_is_a_new_instance_of_the_same_class_with_the_same_attributes():
    original = Echo(name="echo", max_retries=0, tags=["a"])
    copied = original.copy()
    assert copied is not original
    assert type(copied) is Echo
    assert (copied.name, copied.tags, copied.trigger) == ("echo", {"a"}, original.trigger)


def test_copy_shares_lists_but_rebuilds_the_tags_set():
    original = Task(tags=["a"])
    copied = original.copy()
    assert copied.state_handlers is original.state_handlers
    assert copied.tags is not original.tags


def test_copy_sets_the_given_attributes():
    copied = Task(name="a").copy(name="b", max_retries=0)
    assert copied.name == "b"


def test_copy_with_a_new_name_gets_a_logger_of_that_name():
    assert Task(name="a").copy(name="b").logger.name == "prefect_core.b"


def test_copy_rejects_attributes_the_task_does_not_have():
    with pytest.raises(AttributeError, match="^<Task: a> does not have colour as an attribute$"):
        Task(name="a").copy(colour="red")


def test_copy_of_a_slugged_task_gets_a_copy_slug():
    assert Task(slug="x").copy().slug == "x-copy"


def test_copy_keeps_an_explicit_slug():
    assert Task(slug="x").copy(slug="y").slug == "y"


def test_copy_of_an_unslugged_task_stays_unslugged():
    assert Task().copy().slug is None


def test_copy_tags_add_to_the_inherited_tags():
    assert Task(tags=["a"]).copy(tags=["b"]).tags == {"a", "b"}


def test_copy_adds_the_context_tags():
    original = Task(tags=["a"])
    with tags("ctx"):
        copied = original.copy()
    assert copied.tags == {"a", "ctx"}
    assert original.tags == {"a"}


def test_copy_reapplies_a_new_target_to_a_copy_of_the_result():
    result = Result()
    original = Task(result=result)
    copied = original.copy(target="new/{task_name}")
    assert copied.result.location == "new/{task_name}"
    assert result.location is None
    assert original.result is result


def test_copy_of_a_task_with_edges_in_the_active_flow_warns():
    with Flow("f") as flow:
        upstream = Task()
        echo = Echo().bind(value=upstream)
        with pytest.warns(UserWarning, match="copy of a task that has dependencies"):
            copied = echo.copy()
        flow.add_task(copied)
    assert echo in flow.tasks


def test_copy_of_a_task_without_edges_does_not_warn():
    with Flow("f") as flow:
        t = flow.add_task(Task())
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            copied = t.copy()
        flow.add_task(copied)


def test_copy_replaces_the_original_in_the_unused_task_tracker():
    with Flow("f") as flow:
        original = Task()
        copied = original.copy()
        tracker = context.get("_unused_task_tracker")
        assert original not in tracker
        assert copied in tracker
        flow.add_task(copied)


def test_copy_of_a_constant_is_not_tracked():
    with Flow("f"):
        copied = Constant(1).copy()
        assert copied not in context.get("_unused_task_tracker")


# -- __call__ ------------------------------------------------------------------------------


def test_calling_a_task_adds_a_bound_copy_to_the_active_flow():
    with Flow("f") as flow:
        result = add(1, 2)
    assert result is not add
    assert flow.tasks == {result}
    assert add not in flow.tasks


def test_constant_arguments_are_stored_in_flow_constants():
    with Flow("f") as flow:
        result = add(1, y=2)
    assert flow.constants[result] == {"x": 1, "y": 2}
    assert flow.edges == set()


def test_task_arguments_become_keyed_edges():
    with Flow("f") as flow:
        first = add(1)
        second = add(first, y=first)
    assert flow.edges == {Edge(first, second, key="x"), Edge(first, second, key="y")}


def test_defaults_are_not_bound_as_inputs():
    with Flow("f") as flow:
        result = add(1)
    assert flow.constants[result] == {"x": 1}


def test_var_keyword_arguments_are_bound_under_their_own_names():
    with Flow("f") as flow:
        source = add(1)
        result = collect(a=1, b=source)
    assert flow.constants[result] == {"a": 1}
    assert flow.edges_to(result) == {Edge(source, result, key="b")}


def test_unknown_keyword_argument_raises_type_error_naming_the_task():
    with Flow("f"):
        with pytest.raises(TypeError) as raised:
            add(1, z=2)
    assert str(raised.value) == (
        "got an unexpected keyword argument 'z' (binding arguments of task 'add')"
    )


def test_missing_required_argument_raises_type_error_naming_the_task():
    with Flow("f"):
        with pytest.raises(TypeError, match=r"^missing a required argument: 'x' \(.*'add'\)$"):
            add(y=1)


def test_too_many_positional_arguments_raise_type_error():
    with Flow("f"):
        with pytest.raises(TypeError, match="too many positional arguments"):
            add(1, 2, 3)


def test_an_argument_given_twice_raises_type_error():
    with Flow("f"):
        with pytest.raises(TypeError, match="multiple values for argument 'x'"):
            add(1, x=2)


def test_a_failed_call_does_not_report_its_copy_as_unused():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with Flow("f") as flow:
            with pytest.raises(TypeError):
                add(1, z=2)
    assert flow.tasks == set()


def test_task_args_configure_the_copy():
    with Flow("f"):
        result = add(1, task_args={"name": "plus", "tags": ["t"]})
    assert result.name == "plus"
    assert result.tags == {"t"}
    assert add.name == "add"


def test_unknown_task_args_raise_attribute_error():
    with Flow("f"):
        with pytest.raises(AttributeError, match="does not have colour as an attribute"):
            add(1, task_args={"colour": "red"})


def test_upstream_tasks_add_keyless_edges():
    with Flow("f") as flow:
        first = add(1)
        second = add(2, upstream_tasks=[first])
    assert flow.edges == {Edge(first, second)}


def test_constant_upstream_tasks_become_constant_nodes():
    with Flow("f") as flow:
        result = add(2, upstream_tasks=[7])
    (edge,) = flow.edges
    assert isinstance(edge.upstream_task, Constant)
    assert edge.upstream_task.value == 7
    assert edge.key is None
    assert flow.tasks == {edge.upstream_task, result}


def test_mapped_call_maps_data_and_upstream_edges():
    with Flow("f") as flow:
        items = add(1)
        gate = add(2)
        result = add(items, upstream_tasks=[gate], mapped=True)
    assert {edge.mapped for edge in flow.edges_to(result)} == {True}


def test_call_with_an_explicit_flow_needs_no_context():
    flow = Flow("f")
    result = add(1, flow=flow)
    assert flow.tasks == {result}


def test_call_without_a_flow_explains_how_to_run_a_function_task():
    with pytest.raises(ValueError) as raised:
        add(1)
    message = str(raised.value)
    assert message.startswith(
        "Could not infer an active Flow context while creating edge to <Task: add>."
    )
    assert "called a task outside a `with Flow(...)` block" in message
    assert message.endswith("you need to call `add.run(...)`")


def test_call_without_a_flow_names_a_task_class_with_an_ellipsis():
    with pytest.raises(ValueError, match=r"you need to call `Echo\(\.\.\.\)\.run\(\.\.\.\)`$"):
        Echo()(1)


def test_positional_only_run_found_at_call_time_is_rejected():
    t = Task()
    t.run = lambda x, /: x
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the failed copy is not reported as unused
        with Flow("f"):
            with pytest.raises(TypeError) as raised:
                t(1)
    assert str(raised.value) == (
        "Prefect passes arguments to task as keyword arguments. Positional-Only "
        "arguments found : ['x']"
    )


def test_call_inside_a_tags_block_tags_the_copy():
    with Flow("f"):
        with tags("io"):
            result = add(1)
    assert result.tags == {"io"}
    assert add.tags == set()


def test_calling_a_slugged_task_twice_collides_on_the_copy_slug():
    slugged = Echo(slug="x")
    with Flow("f") as flow:
        first = slugged(1)
        with pytest.raises(ValueError, match='^A task with the slug "x-copy" already exists'):
            slugged(2)
    assert flow.slugs[first] == "x-copy"


# -- bind ----------------------------------------------------------------------------------


def test_bind_adds_the_task_itself_and_returns_it():
    echo = Echo()
    with Flow("f") as flow:
        assert echo.bind(value=1) is echo
    assert flow.tasks == {echo}
    assert flow.constants[echo] == {"value": 1}


def test_bind_connects_task_inputs():
    with Flow("f") as flow:
        source = Task()
        echo = Echo().bind(source)
    assert flow.edges == {Edge(source, echo, key="value")}


def test_binding_an_instance_twice_adds_more_edges():
    with Flow("f") as flow:
        first, second = Task(), Task()
        echo = Echo()
        echo.bind(value=first)
        echo.bind(value=second)
    assert flow.upstream_tasks(echo) == {first, second}


def test_binding_a_constant_twice_overwrites_the_constant():
    with Flow("f") as flow:
        echo = Echo()
        echo.bind(value=1)
        echo.bind(value=2)
    assert flow.constants[echo] == {"value": 2}


def test_bind_adds_the_context_tags():
    echo = Echo()
    with Flow("f"):
        with tags("late"):
            echo.bind(value=1)
    assert echo.tags == {"late"}


def test_bind_with_an_explicit_flow():
    flow = Flow("f")
    echo = Echo().bind(value=1, flow=flow)
    assert flow.tasks == {echo}


def test_bind_without_a_flow_raises_value_error():
    with pytest.raises(ValueError, match="^Could not infer an active Flow context"):
        Echo().bind(value=1)


def test_bind_checks_arguments_before_looking_for_a_flow():
    with pytest.raises(TypeError, match="unexpected keyword argument 'other'"):
        Echo().bind(value=1, other=1)


def test_bind_respects_edge_annotations():
    with Flow("f") as flow:
        source = Task()
        echo = Echo().bind(value=mapped(source))
    assert flow.edges == {Edge(source, echo, key="value", mapped=True)}
