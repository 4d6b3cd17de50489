"""`Task` class-level checks, dunder basics, `run`, introspection helpers and `nout`."""

import functools
import inspect
import typing
import warnings
from typing import Any, Tuple  # noqa: UP035 - the typing spellings are what users annotate

import pytest

from prefect_core.core import Task
from prefect_core.core.task import NoDefault, TaskMetaclass
from prefect_core.tasks.core.function import FunctionTask
from prefect_core.utilities.tasks import task

pytestmark = pytest.mark.filterwarnings("error::UserWarning")

# -- metaclass: run signature checks -------------------------------------------------------


def test_task_class_uses_the_task_metaclass():
    assert type(Task) is TaskMetaclass


def test_run_with_var_positional_arguments_is_rejected_at_class_definition():
    with pytest.raises(ValueError, match=r"variable positional arguments \(\*args\) are not"):

        class VarArgs(Task):
            def run(self, *values):
                pass


def test_var_positional_message_suggests_accepting_kwargs_instead():
    with pytest.raises(ValueError, match=r"accept \*\*kwargs and feeding the values to \*args\."):

        class VarArgs(Task):
            def run(self, x, *rest):
                pass


@pytest.mark.parametrize("reserved", ["upstream_tasks", "mapped", "task_args", "flow"])
def test_each_reserved_argument_name_is_rejected(reserved):
    namespace = {}
    exec(f"def run(self, {reserved}):\n    pass", namespace)
    message = (
        f"Tasks cannot have the following argument names: {reserved}. "
        "These are reserved keyword arguments."
    )
    with pytest.raises(ValueError, match=f"^{message}$"):
        TaskMetaclass("Reserved", (Task,), {"run": namespace["run"]})


def test_reserved_argument_message_lists_every_offender_in_reserved_order():
    with pytest.raises(ValueError, match="argument names: mapped, flow. These are reserved"):

        class TwoReserved(Task):
            def run(self, flow, x, mapped):
                pass


def test_reserved_names_as_keyword_only_arguments_are_allowed():
    class KeywordOnly(Task):
        def run(self, *, flow=None):
            return flow

    assert KeywordOnly().run(flow=3) == 3


def test_run_with_var_keyword_arguments_is_allowed():
    class Kwargs(Task):
        def run(self, **kwargs):
            return kwargs

    assert Kwargs().run(a=1) == {"a": 1}


def test_uninspectable_run_is_rejected_with_a_hint_to_wrap_it():
    with pytest.raises(ValueError, match="cannot be inspected") as raised:

        class Builtin(Task):
            run = max

    assert "Wrap it in a plain Python function" in str(raised.value)


def test_decorated_run_is_checked_through_its_wrapper():
    def passthrough(method):
        @functools.wraps(method)
        def wrapper(*args, **kwargs):
            return method(*args, **kwargs)

        return wrapper

    class Decorated(Task):
        @passthrough
        def run(self, x):
            return x

    assert Decorated().run(x=2) == 2


def test_decorated_run_hiding_var_positional_arguments_is_still_rejected():
    def passthrough(method):
        @functools.wraps(method)
        def wrapper(self, x):
            return method(self, x)

        return wrapper

    with pytest.raises(ValueError, match="variable positional arguments"):

        class Hidden(Task):
            @passthrough
            def run(self, *values):
                pass


def test_subclass_without_run_inherits_the_parent_run():
    class Parent(Task):
        def run(self, x):
            return x + 1

    class Child(Parent):
        pass

    assert Child().run(x=1) == 2


# -- metaclass: __init__ wrapping ----------------------------------------------------------


class Configurable(Task):
    """A task class with its own `__init__`."""

    def __init__(self, setting=None, **kwargs):
        self.setting = setting
        super().__init__(**kwargs)


def test_passing_a_task_to_a_subclass_init_warns_to_call_the_instance_instead():
    with pytest.warns(UserWarning, match="Initialise `Configurable` with static"):
        Configurable(Task())


def test_passing_a_task_as_keyword_to_a_subclass_init_warns():
    with pytest.warns(UserWarning, match="call the instance with the Task arguments"):
        Configurable(setting=Task())


def test_static_arguments_to_a_subclass_init_do_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        configured = Configurable(setting=3, name="c")
    assert configured.setting == 3
    assert configured.name == "c"


def test_wrapped_init_keeps_the_original_metadata():
    class Documented(Task):
        def __init__(self, **kwargs):
            """Build a documented task."""
            super().__init__(**kwargs)

    assert Documented.__init__.__name__ == "__init__"
    assert Documented.__init__.__doc__ == "Build a documented task."
    assert Documented.__init__.__wrapped__.__qualname__.endswith("Documented.__init__")


# -- reserved attributes -------------------------------------------------------------------


def test_subclass_with_a_reserved_class_attribute_warns_it_will_be_overwritten():
    class Named(Task):
        name = "fixed"

    message = (
        "`Named` sets a `name` attribute, which will be overwritten by `prefect.Task`. "
        "Please rename this attribute to avoid this issue."
    )
    with pytest.warns(UserWarning, match=f"^{message}$"):
        Named()


def test_subclass_setting_a_reserved_attribute_before_init_warns():
    class Tagged(Task):
        def __init__(self):
            self.tags = ["x"]
            super().__init__()

    with pytest.warns(UserWarning, match="sets a `tags` attribute"):
        tagged = Tagged()
    assert tagged.tags == set()


def test_subclass_setting_a_logger_before_init_warns():
    class Logging(Task):
        def __init__(self):
            self.logger = None
            super().__init__()

    with pytest.warns(UserWarning, match="sets a `logger` attribute"):
        Logging()


def test_one_warning_is_emitted_per_reserved_attribute():
    class Clashing(Task):
        nout = 2
        timeout = 3

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        Clashing()
    messages = [str(warning.message) for warning in caught]
    assert len(messages) == 2
    assert any("`timeout` attribute" in message for message in messages)
    assert any("`nout` attribute" in message for message in messages)


def test_plain_task_and_clean_subclasses_never_warn():
    class Clean(Task):
        other = 1

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Task()
        Clean()
        FunctionTask(lambda: 1)


# -- dunder basics -------------------------------------------------------------------------


def test_repr_shows_the_task_name():
    assert repr(Task(name="load")) == "<Task: load>"


def test_repr_of_subclasses_says_task_not_the_class_name():
    class Special(Task):
        pass

    assert repr(Special()) == "<Task: Special>"


def test_hash_is_the_identity():
    t = Task()
    assert hash(t) == id(t)


def test_tasks_with_identical_attributes_are_different():
    first, second = Task(name="same"), Task(name="same")
    assert first != second
    assert len({first, second}) == 2


def test_comparing_a_task_to_a_value_uses_identity():
    t = Task()
    assert (t == 1) is False
    assert (t != 1) is True
    assert t == t


def test_tasks_are_truthy():
    assert bool(Task())


def test_len_is_not_defined():
    with pytest.raises(TypeError):
        len(Task())


@pytest.mark.parametrize(
    "expression",
    [lambda t: -t, lambda t: ~t, lambda t: t ^ 1],
    ids=["neg", "invert", "xor"],
)
def test_operators_without_a_task_class_raise_type_error(expression):
    with pytest.raises(TypeError):
        expression(Task())


def test_missing_attributes_raise_attribute_error():
    with pytest.raises(AttributeError):
        Task().not_an_attribute  # noqa: B018


# -- run -----------------------------------------------------------------------------------


def test_base_run_takes_no_arguments_and_returns_none():
    assert Task().run() is None


def test_base_run_is_annotated_as_returning_none():
    assert inspect.signature(Task.run).return_annotation is None


# -- inputs / outputs ----------------------------------------------------------------------


class Annotated(Task):
    def run(self, x: int, y: "str" = "a", z=None) -> "int":
        return x


def test_inputs_report_type_default_and_required_for_each_argument():
    assert Annotated().inputs() == {
        "x": {"type": int, "default": None, "required": True},
        "y": {"type": "str", "default": "a", "required": False},
        "z": {"type": Any, "default": None, "required": False},
    }


def test_inputs_of_a_task_without_arguments_is_empty():
    assert Task().inputs() == {}


def test_outputs_report_the_return_annotation_as_stored():
    assert Annotated().outputs() == "int"


def test_outputs_of_library_tasks_are_objects_not_postponed_strings():
    from prefect_core import Parameter
    from prefect_core.tasks.core.constants import Constant

    assert Parameter("p").outputs() is Any
    assert Constant(1).outputs() is Any


def test_outputs_without_annotation_is_any():
    assert task(lambda: 1).outputs() is Any


def test_outputs_of_the_base_task_is_none():
    assert Task().outputs() is None


def test_inputs_of_a_function_task_describe_the_function():
    @task
    def scale(value: float, factor: float = 2.0) -> float:
        return value * factor

    assert scale.inputs()["factor"] == {"type": float, "default": 2.0, "required": False}
    assert scale.outputs() is float


# -- __signature__ -------------------------------------------------------------------------

CALL_EXTRAS = (
    "mapped: bool = False, task_args: dict = None, upstream_tasks: Iterable[Any] = None, "
    "flow: 'Flow' = None"
)


def test_signature_of_a_function_task_adds_the_call_extras():
    @task
    def add(x, y):
        return x + y

    assert str(inspect.signature(add)) == f"(x, y, *, {CALL_EXTRAS}) -> 'Task'"


def test_signature_puts_var_keyword_after_the_call_extras():
    @task
    def collect(x, **values):
        return values

    assert str(inspect.signature(collect)) == f"(x, *, {CALL_EXTRAS}, **values) -> 'Task'"


def test_signature_keeps_run_keyword_only_arguments_before_the_extras():
    @task
    def limited(x, *, limit=3):
        return x

    assert str(inspect.signature(limited)) == f"(x, *, limit=3, {CALL_EXTRAS}) -> 'Task'"


def test_signature_of_a_task_subclass_instance_drops_self():
    assert str(inspect.signature(Annotated())) == (
        f"(x: int, y: 'str' = 'a', z=None, *, {CALL_EXTRAS}) -> 'Task'"
    )


def test_signature_extras_carry_real_annotations():
    extras = inspect.signature(Task()).parameters
    assert extras["mapped"].annotation is bool
    assert extras["task_args"].annotation is dict
    assert extras["upstream_tasks"].annotation == typing.Iterable[Any]  # noqa: UP006
    assert extras["flow"].annotation == "Flow"


def test_signature_is_not_available_on_the_class():
    with pytest.raises(AttributeError):
        Task.__signature__  # noqa: B018
    assert "name" in inspect.signature(Task).parameters


def test_signature_is_cached_per_instance():
    t = Task()
    assert t.__signature__ is t.__signature__


# -- nout ----------------------------------------------------------------------------------


def _returning(annotation):
    def run():
        return None

    run.__annotations__["return"] = annotation
    return task(run)


@pytest.mark.parametrize(
    ("annotation", "expected"),
    [
        (Tuple[int, int, int], 3),  # noqa: UP006
        (tuple[int, str], 2),
        (Tuple[int], 1),  # noqa: UP006
        (Tuple[()], 0),  # noqa: UP006
        (tuple[()], 0),
        (Tuple, None),  # noqa: UP006
        (tuple, None),
        (Tuple[int, ...], None),  # noqa: UP006
        (tuple[int, ...], None),
        (int, None),
        (list[int], None),
        ("Tuple[int, int]", None),
        ("tuple[int, int]", None),
    ],
)
def test_nout_is_inferred_from_the_return_annotation(annotation, expected):
    assert _returning(annotation).nout == expected


def test_nout_is_none_without_a_return_annotation():
    assert task(lambda: (1, 2)).nout is None


def test_explicit_nout_wins_over_the_annotation():
    @task(nout=2)
    def pair() -> Tuple[int, int, int]:  # noqa: UP006
        return 1, 2, 3

    assert pair.nout == 2


def test_nout_of_a_task_subclass_comes_from_its_run():
    class Pair(Task):
        def run(self) -> tuple[int, int]:
            return 1, 2

    assert Pair().nout == 2
    assert Pair(nout=5).nout == 5


def test_nout_inference_never_raises_on_odd_annotations():
    class Odd:
        def __eq__(self, other):
            raise RuntimeError("boom")

        __hash__ = object.__hash__

    assert _returning(Odd()).nout is None


# -- NoDefault -----------------------------------------------------------------------------


def test_no_default_is_a_single_member_enum_with_a_readable_repr():
    assert list(NoDefault) == [NoDefault.value]
    assert repr(NoDefault.value) == "<no default>"
