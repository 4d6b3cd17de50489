"""`FunctionTask`: a task whose `run` is a plain function."""

import functools

import cloudpickle
import pytest

from prefect_core.core import Flow
from prefect_core.tasks.core.function import FunctionTask

pytestmark = pytest.mark.filterwarnings("error::UserWarning")


def add(x, y=1):
    """Add two numbers."""
    return x + y


def test_a_non_callable_is_rejected():
    with pytest.raises(TypeError, match="^`fn` must be callable$"):
        FunctionTask(3)


def test_name_defaults_to_the_function_name():
    assert FunctionTask(add).name == "add"


def test_a_lambda_is_named_lambda():
    assert FunctionTask(lambda: 1).name == "<lambda>"


def test_a_callable_without_a_name_is_named_function_task():
    class Callable:
        def __call__(self, x):
            return x

    assert FunctionTask(Callable()).name == "FunctionTask"


def test_an_explicit_name_wins():
    assert FunctionTask(add, name="plus").name == "plus"


def test_run_calls_the_function_directly():
    assert FunctionTask(add).run(1, 2) == 3
    assert FunctionTask(add).run(x=1) == 2


def test_run_is_the_function_itself():
    assert FunctionTask(add).run is add


def test_the_task_takes_the_function_metadata():
    wrapped = FunctionTask(add)
    assert wrapped.__name__ == "add"
    assert wrapped.__doc__ == "Add two numbers."
    assert wrapped.__module__ == __name__
    assert wrapped.__qualname__ == "add"
    assert wrapped.__wrapped__ is add


def test_function_attributes_are_copied_onto_the_task():
    def marked():
        return 1

    marked.owner = "team-a"
    assert FunctionTask(marked).owner == "team-a"


def test_task_options_are_passed_on():
    wrapped = FunctionTask(add, tags=["math"], nout=None, checkpoint=False)
    assert wrapped.tags == {"math"}
    assert wrapped.checkpoint is False


def test_functions_with_var_positional_arguments_are_rejected():
    with pytest.raises(ValueError, match=r"variable positional arguments \(\*args\)"):
        FunctionTask(lambda *values: values)


def test_functions_with_reserved_argument_names_are_rejected():
    with pytest.raises(ValueError, match="argument names: flow. These are reserved"):
        FunctionTask(lambda flow: flow)


def test_a_builtin_with_positional_only_parameters_is_rejected():
    with pytest.raises(TypeError) as raised:
        FunctionTask(len)
    assert str(raised.value) == (
        "Found positional-only parameters in the function signature for task len: ['obj']. "
        "Prefect passes arguments using keywords and does not support positional-only "
        "parameters."
    )


def test_an_uninspectable_builtin_is_rejected_with_a_hint():
    with pytest.raises(ValueError, match="cannot be inspected"):
        FunctionTask(max)


def test_a_decorated_function_is_checked_through_its_wrapper():
    @functools.wraps(add)
    def wrapper(*args, **kwargs):
        return add(*args, **kwargs)

    assert FunctionTask(wrapper).run(x=1) == 2


def test_a_function_task_round_trips_through_cloudpickle():
    restored = cloudpickle.loads(cloudpickle.dumps(FunctionTask(lambda x: x * 3, name="triple")))
    assert restored.name == "triple"
    assert restored.run(2) == 6


def test_a_bound_copy_round_trips_through_cloudpickle():
    with Flow("f"):
        bound = FunctionTask(add)(1)
    restored = cloudpickle.loads(cloudpickle.dumps(bound))
    assert restored.run(x=1, y=1) == 2
    assert restored.name == "add"
