"""The `Runner` base: handler calls and the `call_state_handlers` step decorator."""

from __future__ import annotations

import pytest

from prefect_core.engine import signals
from prefect_core.engine.runner import ENDRUN, Runner, call_state_handlers
from prefect_core.engine.state import (
    Failed,
    Paused,
    Pending,
    Queued,
    Running,
    Skipped,
    Submitted,
    Success,
)
from prefect_core.utilities.debug import raise_on_exception


class StepRunner(Runner):
    """A runner whose steps do whatever the test asks."""

    @call_state_handlers
    def step(self, state, outcome):
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome(state) if callable(outcome) else outcome


def recorder(calls):
    def handler(runner, old, new):
        calls.append((type(old).__name__, type(new).__name__))

    return handler


# -- construction -----------------------------------------------------------------------


def test_runner_state_handlers_default_to_empty_list():
    assert Runner().state_handlers == []


def test_runner_keeps_given_handlers_as_a_list():
    handler = recorder([])
    assert Runner(state_handlers=(handler,)).state_handlers == [handler]


def test_runner_rejects_non_sequence_handlers():
    with pytest.raises(TypeError, match="state_handlers should be iterable."):
        Runner(state_handlers=recorder([]))


def test_runner_logger_is_named_after_the_class():
    assert StepRunner().logger.name == "prefect_core.StepRunner"


# -- initialize_run ---------------------------------------------------------------------


def test_initialize_run_defaults_missing_state_to_pending():
    state, ctx = Runner().initialize_run(None, {"a": 1})
    assert type(state) is Pending
    assert ctx == {"a": 1}


def test_initialize_run_unwraps_nested_meta_states():
    inner = Running()
    state, _ = Runner().initialize_run(Submitted(state=Queued(state=inner)), {})
    assert state is inner


def test_initialize_run_keeps_a_plain_state():
    given = Success(result=3)
    state, _ = Runner().initialize_run(given, {})
    assert state is given


# -- handle_state_change ----------------------------------------------------------------


def test_handlers_are_called_in_order_with_runner_old_and_new_states():
    calls = []
    runner = StepRunner(state_handlers=[recorder(calls), recorder(calls)])
    old, new = Pending(), Running()
    assert runner.handle_state_change(old, new) is new
    assert calls == [("Pending", "Running"), ("Pending", "Running")]


def test_handler_returning_a_state_replaces_it_for_the_next_handler():
    seen = []
    replacement = Failed("overridden")

    def override(runner, old, new):
        return replacement

    def record(runner, old, new):
        seen.append(new)

    runner = StepRunner(state_handlers=[override, record])
    assert runner.handle_state_change(Pending(), Success()) is replacement
    assert seen == [replacement]


def test_raising_handler_ends_run_with_failed_state():
    def broken(runner, old, new):
        raise ZeroDivisionError("boom")

    runner = StepRunner(state_handlers=[broken])
    with pytest.raises(ENDRUN) as info:
        runner.handle_state_change(Pending(), Running())
    state = info.value.state
    assert type(state) is Failed
    assert state.message.startswith("Unexpected error while calling state handlers: ")
    assert "ZeroDivisionError('boom')" in state.message
    assert isinstance(state.result, ZeroDivisionError)


def test_raising_handler_propagates_under_raise_on_exception():
    def broken(runner, old, new):
        raise ZeroDivisionError("boom")

    runner = StepRunner(state_handlers=[broken])
    with raise_on_exception(), pytest.raises(ZeroDivisionError):
        runner.handle_state_change(Pending(), Running())


def test_handler_raising_a_state_signal_gives_its_state():
    def skip(runner, old, new):
        raise signals.SKIP("not today")

    runner = StepRunner(state_handlers=[skip])
    state = runner.handle_state_change(Pending(), Running())
    assert type(state) is Skipped
    assert state.message == "not today"


def test_handler_raising_pause_propagates():
    def pause(runner, old, new):
        raise signals.PAUSE("wait")

    runner = StepRunner(state_handlers=[pause])
    with pytest.raises(signals.PAUSE):
        runner.handle_state_change(Pending(), Running())


def test_handler_raising_endrun_propagates():
    def end(runner, old, new):
        raise ENDRUN(Success("ended"))

    runner = StepRunner(state_handlers=[end])
    with pytest.raises(ENDRUN) as info:
        runner.handle_state_change(Pending(), Running())
    assert info.value.state.message == "ended"


# -- call_state_handlers ----------------------------------------------------------------


def test_step_returning_the_same_state_calls_no_handler():
    calls = []
    runner = StepRunner(state_handlers=[recorder(calls)])
    state = Pending()
    assert runner.step(state, lambda s: s) is state
    assert calls == []


def test_step_returning_a_new_state_reports_the_transition():
    calls = []
    runner = StepRunner(state_handlers=[recorder(calls)])
    new = Running()
    assert runner.step(Pending(), new) is new
    assert calls == [("Pending", "Running")]


def test_step_raising_endrun_reports_and_reraises_with_new_state():
    calls = []
    runner = StepRunner(state_handlers=[recorder(calls)])
    with pytest.raises(ENDRUN) as info:
        runner.step(Pending(), ENDRUN(Skipped("skip")))
    assert type(info.value.state) is Skipped
    assert calls == [("Pending", "Skipped")]


def test_step_raising_endrun_with_the_same_state_calls_no_handler():
    calls = []
    runner = StepRunner(state_handlers=[recorder(calls)])
    state = Pending()
    with pytest.raises(ENDRUN) as info:
        runner.step(state, ENDRUN(state))
    assert info.value.state is state
    assert calls == []


def test_endrun_state_can_be_replaced_by_a_handler():
    replacement = Success("handled")
    runner = StepRunner(state_handlers=[lambda r, o, n: replacement])
    with pytest.raises(ENDRUN) as info:
        runner.step(Pending(), ENDRUN(Failed()))
    assert info.value.state is replacement


def test_step_raising_a_state_signal_returns_its_state():
    state = StepRunner().step(Pending(), signals.FAIL("nope"))
    assert type(state) is Failed
    assert state.message == "nope"
    assert isinstance(state.result, signals.FAIL)


def test_step_raising_a_state_signal_is_logged(caplog):
    caplog.set_level("INFO", logger="prefect_core")
    StepRunner().step(Pending(), signals.SKIP("skipping"))
    assert any("SKIP signal raised" in record.getMessage() for record in caplog.records)


def test_step_raising_an_exception_returns_failed_with_the_exception():
    state = StepRunner().step(Pending(), ValueError("bad"))
    assert type(state) is Failed
    assert state.message == "Unexpected error: ValueError('bad')"
    assert isinstance(state.result, ValueError)


def test_step_errors_propagate_under_raise_on_exception():
    with raise_on_exception():
        with pytest.raises(ValueError):
            StepRunner().step(Pending(), ValueError("bad"))
        with pytest.raises(signals.FAIL):
            StepRunner().step(Pending(), signals.FAIL("bad"))


def test_step_handler_error_ends_run_failed():
    def broken(runner, old, new):
        raise RuntimeError("handler")

    with pytest.raises(ENDRUN) as info:
        StepRunner(state_handlers=[broken]).step(Pending(), Running())
    assert "Unexpected error while calling state handlers" in info.value.state.message


def test_step_handler_pause_reaches_the_caller():
    def pause(runner, old, new):
        raise signals.PAUSE("hold")

    with pytest.raises(signals.PAUSE):
        StepRunner(state_handlers=[pause]).step(Pending(), Running())


def test_step_keyboard_interrupt_is_not_swallowed():
    with pytest.raises(KeyboardInterrupt):
        StepRunner().step(Pending(), KeyboardInterrupt())


def test_step_keeps_method_metadata():
    assert StepRunner.step.__name__ == "step"


def test_paused_state_from_step_reports_transition():
    calls = []
    runner = StepRunner(state_handlers=[recorder(calls)])
    with pytest.raises(ENDRUN):
        runner.step(Pending(), ENDRUN(Paused()))
    assert calls == [("Pending", "Paused")]
