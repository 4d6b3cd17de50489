"""`prefect_core.core.signatures`: run-signature checks, argument binding, the call
signature and `nout` inference."""

import inspect
import itertools
from typing import Tuple  # noqa: UP035 - the typing spelling is what users annotate

import pytest

from prefect_core.core.signatures import (
    RESERVED_ARGUMENT_NAMES,
    RunSignature,
    call_signature,
    infer_nout,
    validate_run_signature,
)

pytestmark = pytest.mark.filterwarnings("error::UserWarning")


# -- validate_run_signature --------------------------------------------------------------------


def test_reserved_names_are_the_call_keywords():
    assert RESERVED_ARGUMENT_NAMES == ("upstream_tasks", "mapped", "task_args", "flow")


def test_plain_functions_pass_validation():
    validate_run_signature(lambda x, y=1, *, z, **rest: None)


def test_var_positional_functions_fail_validation():
    with pytest.raises(ValueError, match=r"\(\*args\) are not supported"):
        validate_run_signature(lambda *values: None)


def test_reserved_argument_names_fail_validation():
    with pytest.raises(ValueError, match="argument names: upstream_tasks, task_args. These"):
        validate_run_signature(lambda task_args, upstream_tasks: None)


def test_uninspectable_callables_fail_validation_with_a_value_error():
    with pytest.raises(ValueError, match="cannot be inspected"):
        validate_run_signature(max)


# -- RunSignature ---------------------------------------------------------------------------------


def run_signature(function):
    return RunSignature(inspect.signature(function))


def reference_bind(function, args, kwargs):
    """What `inspect` binds, with `**kwargs` values expanded under their own names."""
    signature = inspect.signature(function)
    inputs = dict(signature.bind(*args, **kwargs).arguments)
    for name, parameter in signature.parameters.items():
        if parameter.kind is inspect.Parameter.VAR_KEYWORD and name in inputs:
            inputs.update(inputs.pop(name))
    return inputs


def plain(x, y, z=3):
    pass


def keyword_only(x, *, limit, scale=1):
    pass


def open_ended(x, y=2, **rest):
    pass


def no_arguments():
    pass


FUNCTIONS = [plain, keyword_only, open_ended, no_arguments]
ARGUMENT_SETS = [(), (1,), (1, 2), (1, 2, 3), (1, 2, 3, 4)]
KEYWORD_SETS = [
    {},
    {"x": 9},
    {"y": 8},
    {"z": 7},
    {"limit": 6},
    {"rest": 5},
    {"other": 4},
    {"y": 1, "x": 2},
    {"scale": 2, "limit": 1},
    {"b": 1, "a": 2, "x": 3},
    {"b": 1, "rest": 2},
    {"rest": 1, "y": 2, "a": 3},
]


def _outcome(bind, function, args, kwargs):
    try:
        return list(bind(function, args, kwargs).items())
    except TypeError as error:
        return f"TypeError: {error}"


@pytest.mark.parametrize("function", FUNCTIONS, ids=[f.__name__ for f in FUNCTIONS])
def test_bind_matches_inspect_for_every_call_pattern(function):
    fast = run_signature(function)
    for args, kwargs in itertools.product(ARGUMENT_SETS, KEYWORD_SETS):
        expected = _outcome(reference_bind, function, args, kwargs)
        actual = _outcome(lambda _, a, k: fast.bind(a, k), function, args, kwargs)
        assert actual == expected, (function.__name__, args, kwargs)


def test_bind_leaves_defaults_out():
    assert run_signature(plain).bind((1, 2), {}) == {"x": 1, "y": 2}


def test_bind_orders_named_arguments_as_the_signature_does():
    assert list(run_signature(plain).bind((), {"z": 1, "y": 2, "x": 3})) == ["x", "y", "z"]


def test_bind_expands_var_keyword_values_after_the_named_ones():
    bound = run_signature(open_ended).bind((), {"b": 1, "x": 2, "a": 3})
    assert list(bound.items()) == [("x", 2), ("b", 1), ("a", 3)]


def test_bind_reports_missing_arguments_like_inspect():
    with pytest.raises(TypeError, match="^missing a required argument: 'y'$"):
        run_signature(plain).bind((1,), {})


def test_bind_reports_unknown_keywords_like_inspect():
    with pytest.raises(TypeError, match="^got an unexpected keyword argument 'w'$"):
        run_signature(plain).bind((1, 2), {"w": 1})


def test_bind_reports_arguments_given_twice_like_inspect():
    with pytest.raises(TypeError, match="multiple values for argument 'x'"):
        run_signature(plain).bind((1,), {"x": 1, "y": 2})


def test_bind_handles_positional_only_parameters_through_inspect():
    def positional(a, /, b):
        pass

    signature = run_signature(positional)
    assert signature.positional_only == ["a"]
    assert signature.bind((1, 2), {}) == {"a": 1, "b": 2}


def test_signature_attribute_is_the_inspected_signature():
    assert run_signature(plain).signature == inspect.signature(plain)
    assert run_signature(plain).positional_only == []


# -- call_signature ------------------------------------------------------------------------------


def test_call_signature_adds_the_keyword_extras_and_returns_a_task():
    assert str(call_signature(inspect.signature(plain))) == (
        "(x, y, z=3, *, mapped: bool = False, task_args: dict = None, "
        "upstream_tasks: Iterable[Any] = None, flow: 'Flow' = None) -> 'Task'"
    )


def test_call_signature_keeps_var_keyword_last():
    names = list(call_signature(inspect.signature(open_ended)).parameters)
    assert names == ["x", "y", "mapped", "task_args", "upstream_tasks", "flow", "rest"]


def test_call_signature_keeps_keyword_only_arguments_before_the_extras():
    names = list(call_signature(inspect.signature(keyword_only)).parameters)
    assert names[:3] == ["x", "limit", "scale"]


# -- infer_nout ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("annotation", "expected"),
    [
        (Tuple[int, int], 2),  # noqa: UP006
        (tuple[int, int, int, int], 4),
        (Tuple[()], 0),  # noqa: UP006
        (Tuple, None),  # noqa: UP006
        (Tuple[int, ...], None),  # noqa: UP006
        (inspect.Signature.empty, None),
        ("Tuple[int, int]", None),
        (None, None),
        (dict[str, int], None),
    ],
)
def test_infer_nout_reads_tuple_annotations_only(annotation, expected):
    assert infer_nout(annotation) == expected
