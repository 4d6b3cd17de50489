"""Tests for prefect_core.engine.signals."""

import datetime

import cloudpickle
import pytest

from prefect_core.engine import signals
from prefect_core.engine.state import (
    Failed,
    Looped,
    Mapped,
    Paused,
    Pending,
    Retrying,
    Skipped,
    State,
    Success,
    TriggerFailed,
    ValidationFailed,
)
from prefect_core.exceptions import PrefectSignal

STATE_SIGNALS = [
    (signals.FAIL, signals.PrefectStateSignal, Failed),
    (signals.TRIGGERFAIL, signals.FAIL, TriggerFailed),
    (signals.VALIDATIONFAIL, signals.FAIL, ValidationFailed),
    (signals.SUCCESS, signals.PrefectStateSignal, Success),
    (signals.RETRY, signals.PrefectStateSignal, Retrying),
    (signals.SKIP, signals.PrefectStateSignal, Skipped),
    (signals.PAUSE, signals.PrefectStateSignal, Paused),
    (signals.LOOP, signals.PrefectStateSignal, Looped),
]


@pytest.mark.parametrize(("signal", "parent", "state_cls"), STATE_SIGNALS)
def test_signal_parent_class(signal, parent, state_cls):
    assert signal.__bases__ == (parent,)


@pytest.mark.parametrize(("signal", "parent", "state_cls"), STATE_SIGNALS)
def test_signal_builds_its_state_with_the_message(signal, parent, state_cls):
    raised = signal("why")
    assert type(raised.state) is state_cls
    assert raised.state.message == "why"


def test_signals_are_not_exceptions():
    assert issubclass(signals.PrefectStateSignal, PrefectSignal)
    assert issubclass(signals.ENDRUN, PrefectSignal)
    assert not issubclass(signals.FAIL, Exception)


def test_except_exception_does_not_catch_a_signal():
    with pytest.raises(signals.FAIL):
        try:
            raise signals.FAIL("x")
        except Exception:
            pytest.fail("a signal was caught by `except Exception`")


def test_state_result_defaults_to_the_signal():
    raised = signals.FAIL("x")
    assert raised.state.result is raised


def test_result_keyword_replaces_the_default_result():
    assert signals.SUCCESS(result=42).state.result == 42


def test_result_none_is_kept_as_no_data():
    assert signals.SKIP("skip", result=None).state.result is None


def test_message_is_the_exception_text():
    raised = signals.FAIL("the reason")
    assert str(raised) == "the reason"
    assert raised.args == ("the reason",)


def test_signal_without_message_has_no_state_message():
    raised = signals.SUCCESS()
    assert raised.state.message is None
    assert repr(raised.state) == "<Success>"


def test_extra_keywords_reach_the_state():
    start = datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)
    assert signals.RETRY("later", start_time=start).state.start_time == start


def test_retry_start_time_defaults_to_now():
    assert signals.RETRY().state.start_time is not None


def test_pause_start_time_defaults_to_none():
    assert signals.PAUSE().state.start_time is None


def test_positional_result_after_message_reaches_the_state():
    assert signals.FAIL("m", "data").state.result == "data"


def test_base_state_signal_builds_a_plain_state():
    assert type(signals.PrefectStateSignal("a").state) is State


def test_loop_default_result_is_the_signal_repr():
    assert signals.LOOP("go").state.result == "LOOP('go')"


def test_loop_without_message_default_result():
    assert signals.LOOP().state.result == "LOOP()"


def test_loop_result_keyword_wins():
    assert signals.LOOP(result={"i": 1}).state.result == {"i": 1}


def test_signal_pickles_with_its_state():
    copy = cloudpickle.loads(cloudpickle.dumps(signals.FAIL("z")))
    assert str(copy) == "z"
    assert copy.state.message == "z"


def test_endrun_carries_a_state():
    final = Success()
    assert signals.ENDRUN(final).state is final


def test_endrun_is_not_a_state_signal():
    assert not issubclass(signals.ENDRUN, signals.PrefectStateSignal)


def test_endrun_requires_a_state():
    with pytest.raises(TypeError):
        signals.ENDRUN()


def test_endrun_pickles_with_its_state():
    copy = cloudpickle.loads(cloudpickle.dumps(signals.ENDRUN(Failed("x"))))
    assert copy.state.message == "x"


@pytest.mark.parametrize(
    ("state", "signal"),
    [
        (Failed(), signals.FAIL),
        (TriggerFailed(), signals.TRIGGERFAIL),
        (ValidationFailed(), signals.VALIDATIONFAIL),
        (Success(), signals.SUCCESS),
        (Retrying(), signals.RETRY),
        (Skipped(), signals.SKIP),
        (Paused(), signals.PAUSE),
        (Looped(), signals.LOOP),
    ],
)
def test_signal_from_state(state, signal):
    assert signals.signal_from_state(state) is signal


@pytest.mark.parametrize("state", [Pending(), Mapped()])
def test_signal_from_state_without_a_match_raises(state):
    with pytest.raises(ValueError, match="No signal matches the provided state: <"):
        signals.signal_from_state(state)
