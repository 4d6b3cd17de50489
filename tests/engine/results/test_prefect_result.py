"""Tests for prefect_core.engine.results.PrefectResult."""

import datetime

import pytest

from prefect_core.engine.results import PrefectResult
from prefect_core.engine.serializers import DateTimeSerializer, JSONSerializer, PickleSerializer


def test_serializer_defaults_to_json():
    assert isinstance(PrefectResult().serializer, JSONSerializer)


def test_explicit_none_serializer_falls_back_to_json():
    assert isinstance(PrefectResult(serializer=None).serializer, JSONSerializer)


def test_datetime_serializer_is_accepted():
    assert isinstance(PrefectResult(serializer=DateTimeSerializer()).serializer, DateTimeSerializer)


def test_other_serializers_are_rejected_at_construction():
    with pytest.raises(TypeError, match="PrefectResult only supports JSONSerializer or Date"):
        PrefectResult(serializer=PickleSerializer())


def test_other_serializers_are_rejected_on_assignment():
    result = PrefectResult()
    with pytest.raises(TypeError, match="PrefectResult only supports"):
        result.serializer = PickleSerializer()


def test_equality_ignores_the_serializer():
    assert PrefectResult(value=1) == PrefectResult(value=1, serializer=DateTimeSerializer())


def test_equality_compares_values():
    assert PrefectResult(value=1) != PrefectResult(value=2)


def test_write_uses_the_serialized_value_as_location():
    written = PrefectResult().write({"a": 1})
    assert written.location == '{"a": 1}'
    assert written.value == {"a": 1}


def test_write_returns_a_copy():
    result = PrefectResult()
    written = result.write(3)
    assert written is not result
    assert result.location is None


def test_write_with_datetime_serializer():
    moment = datetime.datetime(2020, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    written = PrefectResult(serializer=DateTimeSerializer()).write(moment)
    assert written.location == "2020-01-02T03:04:05Z"


def test_read_decodes_the_location():
    loaded = PrefectResult().read("[1, 2]")
    assert (loaded.value, loaded.location) == ([1, 2], "[1, 2]")


def test_read_of_invalid_text_raises():
    with pytest.raises(ValueError):
        PrefectResult().read("{bad")


def test_exists_for_valid_text():
    assert PrefectResult().exists("3") is True


def test_exists_is_false_for_invalid_text():
    assert PrefectResult().exists("{bad") is False


def test_write_then_read_round_trips():
    result = PrefectResult()
    assert result.read(result.write([1, "a", None]).location).value == [1, "a", None]
