"""Tests for prefect_core.engine.results.ConstantResult."""

import pytest

from prefect_core.engine.results import ConstantResult


def test_holds_the_given_value():
    assert ConstantResult(value=3).value == 3


def test_repr():
    assert repr(ConstantResult(value=3)) == "<ConstantResult: 3>"


def test_serializer_is_refused():
    with pytest.raises(ValueError, match="Can't pass a serializer to a ConstantResult."):
        ConstantResult(serializer=None)


def test_read_returns_the_result_itself():
    result = ConstantResult(value=3)
    assert result.read("anything") is result


def test_exists_is_always_true():
    assert ConstantResult().exists("anything") is True


def test_write_is_refused():
    with pytest.raises(ValueError, match="Cannot write values to `ConstantResult` types."):
        ConstantResult(value=1).write(2)
