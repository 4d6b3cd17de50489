"""Tests for prefect_core.utilities.notifications.callback_factory."""

from prefect_core.utilities.notifications import callback_factory


class FakeState:
    def __init__(self, failed):
        self.failed = failed

    def is_failed(self):
        return self.failed


def test_fn_is_called_with_object_and_new_state_when_check_passes():
    calls = []
    handler = callback_factory(lambda obj, state: calls.append((obj, state)), lambda s: True)
    new = FakeState(True)
    handler("task", FakeState(False), new)
    assert calls == [("task", new)]


def test_fn_is_not_called_when_check_fails():
    calls = []
    handler = callback_factory(lambda obj, state: calls.append(state), lambda s: False)
    handler("task", None, FakeState(True))
    assert calls == []


def test_check_must_return_exactly_true():
    calls = []
    handler = callback_factory(lambda obj, state: calls.append(state), lambda s: "truthy")
    handler("task", None, FakeState(True))
    assert calls == []


def test_handler_returns_the_new_state_either_way():
    new = FakeState(True)
    assert callback_factory(lambda o, s: None, lambda s: True)("t", None, new) is new
    assert callback_factory(lambda o, s: None, lambda s: False)("t", None, new) is new


def test_check_receives_the_new_state():
    seen = []
    handler = callback_factory(lambda o, s: None, lambda s: seen.append(s) or s.is_failed())
    old, new = FakeState(False), FakeState(True)
    handler("task", old, new)
    assert seen == [new]
