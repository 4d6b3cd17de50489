"""Tests for prefect_core.exceptions."""

import pytest

from prefect_core import exceptions
from prefect_core.exceptions import (
    AuthorizationError,
    ClientError,
    FlowStorageError,
    ObjectNotFoundError,
    PrefectException,
    PrefectSignal,
    TaskTimeoutSignal,
    VersionLockMismatchSignal,
)


@pytest.mark.parametrize(
    ("cls", "base"),
    [
        (PrefectSignal, BaseException),
        (TaskTimeoutSignal, PrefectSignal),
        (VersionLockMismatchSignal, PrefectSignal),
        (PrefectException, Exception),
        (ClientError, PrefectException),
        (ObjectNotFoundError, ClientError),
        (AuthorizationError, ClientError),
        (FlowStorageError, PrefectException),
    ],
)
def test_class_hierarchy(cls, base):
    assert issubclass(cls, base)


def test_signals_are_not_caught_by_except_exception():
    with pytest.raises(TaskTimeoutSignal):
        try:
            raise TaskTimeoutSignal("too slow")
        except Exception:
            pytest.fail("a signal must not be an Exception")


def test_message_defaults_to_empty_string():
    assert str(PrefectException()) == ""
    assert PrefectSignal().args == ("",)


def test_message_is_the_string_form():
    assert str(FlowStorageError("could not load")) == "could not load"
    assert str(TaskTimeoutSignal("timed out")) == "timed out"


def test_all_lists_every_exception():
    assert sorted(exceptions.__all__) == sorted(
        [
            "AuthorizationError",
            "ClientError",
            "FlowStorageError",
            "ObjectNotFoundError",
            "PrefectException",
            "PrefectSignal",
            "TaskTimeoutSignal",
            "VersionLockMismatchSignal",
        ]
    )
