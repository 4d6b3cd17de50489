"""Tests for prefect_core.engine.result (the base `Result` and `NoResult`)."""

import datetime
import re

import pytest

from prefect_core.engine import result as result_package
from prefect_core.engine.result import NoResult, NoResultType, Result
from prefect_core.engine.result.base import (
    ResultDeserializationError,
    ResultNotImplementedError,
)
from prefect_core.engine.serializers import JSONSerializer, PickleSerializer


def test_package_exports_the_base_names():
    assert result_package.Result is Result
    assert result_package.NoResult is NoResult
    assert result_package.NoResultType is NoResultType
    assert result_package.ResultNotImplementedError is ResultNotImplementedError


def test_defaults():
    result = Result()
    assert result.value is None
    assert result.location is None
    assert isinstance(result.serializer, PickleSerializer)


def test_value_location_and_serializer_are_stored():
    serializer = JSONSerializer()
    result = Result(3, location="here", serializer=serializer)
    assert (result.value, result.location, result.serializer) == (3, "here", serializer)


def test_callable_location_becomes_the_formatter():
    def formatter(**kwargs):
        return "x"

    result = Result(location=formatter)
    assert result.location is None
    assert result._formatter is formatter


def test_logger_is_named_after_the_class():
    assert Result().logger.name == "prefect_core.Result"


def test_repr_shows_class_and_value():
    assert repr(Result([1])) == "<Result: [1]>"


def test_equal_when_type_and_public_attributes_match():
    assert Result(1, location="a") == Result(1, location="a")


def test_not_equal_when_value_differs():
    assert Result(1) != Result(2)


def test_not_equal_when_location_differs():
    assert Result(1, location="a") != Result(1)


def test_not_equal_when_serializer_differs():
    assert Result(1) != Result(1, serializer=JSONSerializer())


def test_not_equal_to_a_subclass_instance():
    assert Result() != NoResultType()


def test_equality_ignores_the_formatter():
    assert Result(location=lambda **kw: "a") == Result(location=lambda **kw: "b")


def test_results_are_unhashable():
    with pytest.raises(TypeError):
        hash(Result(1))


def test_copy_is_shallow_and_distinct():
    original = Result([1], location="a")
    copy = original.copy()
    assert copy is not original
    assert copy == original
    assert copy.value is original.value


def test_from_value_drops_the_location():
    original = Result(1, location="a")
    new = original.from_value(2)
    assert (new.value, new.location) == (2, None)
    assert (original.value, original.location) == (1, "a")


def test_default_location_is_dated_and_not_zero_padded():
    location = Result().default_location
    today = datetime.datetime.now(datetime.UTC)
    prefix = f"{today.year}/{today.month}/{today.day}/"
    assert location.startswith(prefix)
    assert re.fullmatch(r"[0-9a-f-]{36}\.prefect_result", location[len(prefix) :])


def test_default_locations_are_unique():
    assert Result().default_location != Result().default_location


def test_format_renders_a_template_location():
    assert Result(location="{task}/{index}").format(task="t", index=3).location == "t/3"


def test_format_ignores_extra_keywords():
    assert Result(location="{a}").format(a=1, b=2).location == "1"


def test_format_with_missing_keyword_raises_key_error():
    with pytest.raises(KeyError):
        Result(location="{a}").format()


def test_format_returns_a_copy_and_keeps_the_template():
    template = Result(location="{a}")
    formatted = template.format(a=1)
    assert formatted is not template
    assert template.location == "{a}"


def test_format_calls_the_formatter():
    result = Result(location=lambda **kwargs: f"x{kwargs['a']}")
    assert result.format(a="1").location == "x1"


def test_format_without_location_uses_default_location():
    assert Result().format().location.endswith(".prefect_result")


@pytest.mark.parametrize(
    ("method", "args"), [("exists", ("loc",)), ("read", ("loc",)), ("write", (1,))]
)
def test_storage_methods_are_not_implemented_on_the_base_class(method, args):
    with pytest.raises(ResultNotImplementedError, match="Result subclass"):
        getattr(Result(), method)(*args)


def test_result_not_implemented_error_is_a_not_implemented_error():
    assert issubclass(ResultNotImplementedError, NotImplementedError)


def test_deserialization_error_names_the_location_and_is_a_value_error():
    error = ResultDeserializationError("/tmp/x", EOFError("short"))
    assert isinstance(error, ValueError)
    assert error.location == "/tmp/x"
    assert "/tmp/x" in str(error)
    assert "EOFError('short')" in str(error)


def test_no_result_has_no_value_and_no_location():
    assert NoResult.value is None
    assert NoResult.location is None


def test_no_result_repr():
    assert repr(NoResult) == "<NoResultType: None>"


def test_no_result_equals_any_no_result_type_instance():
    assert NoResult == NoResultType()
    assert NoResult != Result()


def test_no_result_is_a_result():
    assert isinstance(NoResult, Result)
