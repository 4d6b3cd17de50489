"""Tests for prefect_core.engine.results.SecretResult."""

import pytest

from prefect_core.engine.result import ResultNotImplementedError
from prefect_core.engine.results import SecretResult


class SecretSource:
    """Any object with a `name` and a `run(name=...)` works as the secret task."""

    name = "token"

    def __init__(self):
        self.calls = []

    def run(self, name):
        self.calls.append(name)
        return f"secret-{name}"


def test_location_defaults_to_the_task_name():
    assert SecretResult(SecretSource()).location == "token"


def test_explicit_location_wins():
    assert SecretResult(SecretSource(), location="other").location == "other"


def test_keeps_the_secret_task():
    source = SecretSource()
    assert SecretResult(source).secret_task is source


def test_serializer_is_refused():
    with pytest.raises(ValueError, match="Can't pass a serializer to a SecretResult."):
        SecretResult(SecretSource(), serializer=None)


def test_read_fetches_the_named_secret_into_a_copy():
    result = SecretResult(SecretSource())
    loaded = result.read("api")
    assert (loaded.value, loaded.location) == ("secret-api", "api")
    assert result.value is None


def test_read_fetches_again_every_time():
    source = SecretSource()
    result = SecretResult(source)
    result.read("a")
    result.read("a")
    assert source.calls == ["a", "a"]


def test_write_is_refused():
    with pytest.raises(ValueError, match="SecretResults cannot be written to."):
        SecretResult(SecretSource()).write("x")


def test_exists_is_not_implemented():
    with pytest.raises(ResultNotImplementedError):
        SecretResult(SecretSource()).exists("token")
