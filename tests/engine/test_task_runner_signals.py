"""`TaskRunner`: what a task run ends as — signals, errors, timeouts, retries, loops."""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from prefect_core.core.task import Task
from prefect_core.engine import signals
from prefect_core.engine.state import (
    Failed,
    Looped,
    Paused,
    Retrying,
    Skipped,
    Success,
    TimedOut,
    TriggerFailed,
    ValidationFailed,
)
from prefect_core.engine.task_runner import TaskRunner
from prefect_core.exceptions import TaskTimeoutSignal
from prefect_core.utilities.context import context
from prefect_core.utilities.debug import raise_on_exception
from prefect_core.utilities.tasks import pause_task


class Raiser(Task):
    """Raises whatever it was given (an exception instance), counting its runs."""

    def __init__(self, error=None, **kwargs):
        super().__init__(**kwargs)
        self.error = error
        self.calls = 0

    def run(self):
        self.calls += 1
        if self.error is not None:
            raise self.error
        return "ok"


def transitions():
    """A task-handler that records `(old, new)` class names, and the list it fills."""
    calls = []

    def handler(task, old, new):
        calls.append((type(old).__name__, type(new).__name__))

    return calls, handler


# -- signals ----------------------------------------------------------------------------


def test_fail_signal_gives_failed_whose_result_is_the_signal():
    state = TaskRunner(Raiser(signals.FAIL("custom failure"))).run()
    assert type(state) is Failed
    assert state.message == "custom failure"
    assert isinstance(state.result, signals.FAIL)


def test_fail_signal_can_carry_a_result():
    state = TaskRunner(Raiser(signals.FAIL("f", result={"row": 3}))).run()
    assert state.result == {"row": 3}


def test_success_signal_carries_its_message_and_result():
    state = TaskRunner(Raiser(signals.SUCCESS("early", result=5))).run()
    assert type(state) is Success
    assert state.message == "early"
    assert state.result == 5


def test_bare_success_signal_result_is_the_signal():
    state = TaskRunner(Raiser(signals.SUCCESS())).run()
    assert type(state) is Success
    assert state.message is None
    assert isinstance(state.result, signals.SUCCESS)


def test_skip_signal_gives_skipped():
    task = Raiser(signals.SKIP("nothing to do"))
    state = TaskRunner(task).run()
    assert type(state) is Skipped
    assert state.message == "nothing to do"


def test_triggerfail_and_validationfail_give_their_states():
    assert type(TaskRunner(Raiser(signals.TRIGGERFAIL("t"))).run()) is TriggerFailed
    assert type(TaskRunner(Raiser(signals.VALIDATIONFAIL("v"))).run()) is ValidationFailed


def test_retry_signal_retries_without_max_retries():
    before = datetime.now(UTC)
    task = Raiser(signals.RETRY("again"))
    assert task.max_retries == 0
    state = TaskRunner(task).run()
    assert type(state) is Retrying
    assert state.message == "again"
    assert before <= state.start_time <= datetime.now(UTC)
    assert state.run_count == 1


def test_retry_signal_start_time_is_honoured():
    start = datetime.now(UTC) + timedelta(hours=1)
    state = TaskRunner(Raiser(signals.RETRY("later", start_time=start))).run()
    assert state.start_time == start


def test_pause_signal_gives_paused_without_start_time():
    state = TaskRunner(Raiser(signals.PAUSE("hold"))).run()
    assert type(state) is Paused
    assert state.message == "hold"
    assert state.start_time is None


def test_pause_task_pauses_with_default_message():
    class Pauser(Task):
        def run(self):
            pause_task()
            return "resumed"

    state = TaskRunner(Pauser()).run()
    assert type(state) is Paused
    assert state.message == "Pause signal raised during task execution."


def test_pause_task_with_duration_sets_start_time():
    class Pauser(Task):
        def run(self):
            pause_task(duration=timedelta(minutes=2))

    state = TaskRunner(Pauser()).run()
    assert type(state) is Paused
    assert state.start_time > datetime.now(UTC) + timedelta(minutes=1)


def test_pause_task_returns_when_resuming():
    class Pauser(Task):
        def run(self):
            pause_task()
            return "resumed"

    state = TaskRunner(Pauser()).run(state=Paused(start_time=datetime.now(UTC)))
    assert type(state) is Success
    assert state.result == "resumed"


def test_signal_transitions_are_reported():
    calls, handler = transitions()
    TaskRunner(Raiser(signals.SKIP("s"), state_handlers=[handler])).run()
    assert calls == [("Pending", "Running"), ("Running", "Skipped")]


# -- exceptions -------------------------------------------------------------------------


def test_exception_gives_failed_with_the_exception_in_the_message():
    error = ValueError("bad row")
    state = TaskRunner(Raiser(error)).run()
    assert type(state) is Failed
    assert state.message == "Error during execution of task: ValueError('bad row')"
    assert state.result is error


def test_exception_traceback_is_logged(caplog):
    with caplog.at_level(logging.ERROR, logger="prefect_core"):
        TaskRunner(Raiser(ValueError("bad row"), name="parse")).run()
    records = [r for r in caplog.records if "Exception encountered" in r.getMessage()]
    assert records
    assert "parse" in records[0].getMessage()
    assert records[0].exc_info is not None


def test_exception_propagates_under_raise_on_exception():
    with raise_on_exception(), pytest.raises(ValueError, match="bad row"):
        TaskRunner(Raiser(ValueError("bad row"))).run()


def test_keyboard_interrupt_reaches_the_caller_and_nothing_succeeds(caplog):
    calls, handler = transitions()
    task = Raiser(KeyboardInterrupt(), name="slow", state_handlers=[handler])
    with caplog.at_level(logging.ERROR, logger="prefect_core"), pytest.raises(KeyboardInterrupt):
        TaskRunner(task).run()
    assert calls == [("Pending", "Running")]
    assert any(
        "slow" in r.getMessage() and "interrupt" in r.getMessage().lower() for r in caplog.records
    )


# -- timeouts ---------------------------------------------------------------------------


class Sleeper(Task):
    def run(self, seconds=5.0):
        time.sleep(seconds)
        return "woke"


def test_timeout_gives_timed_out_in_the_main_thread():
    started = time.monotonic()
    state = TaskRunner(Sleeper(timeout=1)).run()
    assert time.monotonic() - started < 3
    assert type(state) is TimedOut
    assert state.message == "Task timed out during execution."
    assert isinstance(state.result, TaskTimeoutSignal)
    assert state.is_failed()


def test_fast_task_with_timeout_succeeds_and_restores_alarm_handler():
    before = signal.getsignal(signal.SIGALRM)

    class Quick(Task):
        def run(self):
            return "fast"

    state = TaskRunner(Quick(timeout=1)).run()
    assert type(state) is Success
    assert state.result == "fast"
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_timeout_is_retried_like_a_failure():
    task = Sleeper(timeout=1, max_retries=1, retry_delay=timedelta(0))
    state = TaskRunner(task).run()
    assert type(state) is Retrying


# -- retries ----------------------------------------------------------------------------


def test_failure_with_retries_left_becomes_retrying():
    task = Raiser(ValueError("x"), max_retries=2, retry_delay=timedelta(seconds=30))
    before = datetime.now(UTC)
    state = TaskRunner(task).run()
    assert type(state) is Retrying
    assert state.message == "Retrying Task (after attempt 1 of 3)"
    assert state.run_count == 1
    assert before + timedelta(seconds=30) <= state.start_time
    assert state.start_time <= datetime.now(UTC) + timedelta(seconds=30)


def test_retry_runs_again_with_incremented_run_count():
    seen = []

    class Flaky(Task):
        def run(self):
            seen.append(context.task_run_count)
            raise ValueError("again")

    task = Flaky(max_retries=2, retry_delay=timedelta(0))
    first = TaskRunner(task).run()
    second = TaskRunner(task).run(state=first)
    third = TaskRunner(task).run(state=second)
    assert type(first) is Retrying
    assert type(second) is Retrying
    assert second.message == "Retrying Task (after attempt 2 of 3)"
    assert type(third) is Failed
    assert seen == [1, 2, 3]


def test_retry_transitions_are_reported():
    calls, handler = transitions()
    task = Raiser(
        ValueError("x"), max_retries=1, retry_delay=timedelta(0), state_handlers=[handler]
    )
    retrying = TaskRunner(task).run()
    task.error = None
    TaskRunner(task).run(state=retrying)
    assert calls == [
        ("Pending", "Running"),
        ("Running", "Failed"),
        ("Failed", "Retrying"),
        ("Retrying", "Running"),
        ("Running", "Success"),
    ]


def test_retry_on_matching_error_retries():
    task = Raiser(
        KeyError("k"), max_retries=1, retry_delay=timedelta(0), retry_on=[KeyError, OSError]
    )
    assert type(TaskRunner(task).run()) is Retrying


def test_retry_on_other_error_does_not_retry():
    task = Raiser(ValueError("v"), max_retries=1, retry_delay=timedelta(0), retry_on=KeyError)
    state = TaskRunner(task).run()
    assert type(state) is Failed
    assert task.calls == 1


def test_skipped_retry_is_logged_at_info(caplog):
    task = Raiser(ValueError("v"), max_retries=1, retry_delay=timedelta(0), retry_on=KeyError)
    with caplog.at_level(logging.INFO, logger="prefect_core"):
        TaskRunner(task).run()
    assert any(
        record.levelno == logging.INFO
        and record.getMessage()
        == f"Task '{task.name}': Skipping retry. Exception of type 'ValueError' is not an "
        "instance of the retry on exception types."
        for record in caplog.records
    )


def test_retry_on_subclass_of_listed_error_retries():
    task = Raiser(FileNotFoundError("f"), max_retries=1, retry_delay=timedelta(0), retry_on=OSError)
    assert type(TaskRunner(task).run()) is Retrying


def test_fail_signal_is_not_retried_with_retry_on():
    task = Raiser(signals.FAIL("f"), max_retries=1, retry_delay=timedelta(0), retry_on=KeyError)
    assert type(TaskRunner(task).run()) is Failed


def test_fail_signal_with_matching_result_is_retried_with_retry_on():
    task = Raiser(
        signals.FAIL("f", result=KeyError("k")),
        max_retries=1,
        retry_delay=timedelta(0),
        retry_on=KeyError,
    )
    assert type(TaskRunner(task).run()) is Retrying


def test_fail_signal_is_retried_without_retry_on():
    task = Raiser(signals.FAIL("f"), max_retries=1, retry_delay=timedelta(0))
    assert type(TaskRunner(task).run()) is Retrying


def test_timed_out_is_not_retried_with_retry_on():
    task = Sleeper(timeout=1, max_retries=1, retry_delay=timedelta(0), retry_on=ValueError)
    assert type(TaskRunner(task).run()) is TimedOut


def test_retrying_state_has_no_result_outside_loops():
    error = ValueError("x")
    state = TaskRunner(Raiser(error, max_retries=1, retry_delay=timedelta(0))).run()
    assert type(state) is Retrying
    assert state.result is None


# -- looping ----------------------------------------------------------------------------


class Looper(Task):
    """Loops until `task_loop_count` reaches `until`, recording the loop context."""

    def __init__(self, until=3, fail_at=None, **kwargs):
        super().__init__(**kwargs)
        self.until = until
        self.fail_at = fail_at
        self.seen = []

    def run(self):
        count = context.get("task_loop_count")
        self.seen.append((count, context.get("task_loop_result"), context.task_run_count))
        if self.fail_at is not None and count == self.fail_at:
            self.fail_at = None
            raise ValueError("loop failure")
        if (count or 1) < self.until:
            raise signals.LOOP(result=(count or 1) * 10)
        return "done"


def test_loop_reruns_the_task_until_it_returns():
    task = Looper(until=3)
    state = TaskRunner(task).run()
    assert type(state) is Success
    assert state.result == "done"
    assert task.seen == [(None, None, 1), (2, 10, 1), (3, 20, 1)]


def test_loop_transitions_and_messages_are_reported():
    calls = []
    task = Looper(
        until=2,
        state_handlers=[
            lambda t, o, n: calls.append((type(o).__name__, type(n).__name__, n.message))
        ],
    )
    TaskRunner(task).run()
    assert calls == [
        ("Pending", "Running", "Starting task run."),
        ("Running", "Looped", "Task is looping (1)"),
        ("Pending", "Running", "Starting task run."),
        ("Running", "Success", "Task run succeeded."),
    ]


def test_loop_state_keeps_a_given_message():
    calls = []

    class Once(Task):
        def run(self):
            if context.get("task_loop_count") is None:
                raise signals.LOOP("custom", result=1)
            return context.task_loop_result

    task = Once(state_handlers=[lambda t, o, n: calls.append(n)])
    state = TaskRunner(task).run()
    looped = [s for s in calls if isinstance(s, Looped)]
    assert looped[0].message == "custom"
    assert looped[0].loop_count == 1
    assert state.result == 1


def test_bare_loop_result_is_its_repr():
    class Once(Task):
        def run(self):
            if context.get("task_loop_count") is None:
                raise signals.LOOP()
            return context.task_loop_result

    assert TaskRunner(Once()).run().result == "LOOP()"


def test_many_loop_iterations_do_not_grow_the_stack():
    task = Looper(until=2000)
    state = TaskRunner(task).run()
    assert state.result == "done"
    assert len(task.seen) == 2000


def test_loop_failure_with_retries_resumes_the_loop():
    task = Looper(until=4, fail_at=3, max_retries=1, retry_delay=timedelta(0))
    retrying = TaskRunner(task).run()
    assert type(retrying) is Retrying
    assert retrying.context["_loop_count"] == 3
    assert retrying.result == 20
    final = TaskRunner(task).run(state=retrying)
    assert type(final) is Success
    assert final.result == "done"
    assert task.seen == [(None, None, 1), (2, 10, 1), (3, 20, 1), (3, 20, 2), (4, 30, 1)]


def test_loop_failure_without_retries_fails():
    task = Looper(until=4, fail_at=2)
    state = TaskRunner(task).run()
    assert type(state) is Failed
    assert state.message == "Error during execution of task: ValueError('loop failure')"


def test_loop_keys_do_not_leak_after_the_run():
    TaskRunner(Looper(until=2)).run()
    assert "task_loop_count" not in context


def test_loop_retry_reads_a_checkpointed_loop_result(tmp_path):
    from prefect_core.engine.results import LocalResult

    task = Looper(
        until=4,
        fail_at=3,
        max_retries=1,
        retry_delay=timedelta(0),
        result=LocalResult(dir=tmp_path),
    )
    retrying = TaskRunner(task).run(context={"checkpointing": True})
    location = retrying._result.location
    assert location.startswith(str(tmp_path))
    retrying._result = LocalResult(dir=tmp_path, location=location)
    assert retrying._result.value is None
    final = TaskRunner(task).run(state=retrying, context={"checkpointing": True})
    assert final.result == "done"
    assert task.seen[3] == (3, 20, 2)


def test_ctrl_c_ends_a_loop_that_never_ends_and_the_log_names_the_iteration(caplog):
    class Forever(Task):
        def run(self):
            raise signals.LOOP(result=(context.get("task_loop_result") or 0) + 1)

    # A real Ctrl-C: SIGINT to this process, handled by Python's default handler.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    ctrl_c = threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGINT))
    ctrl_c.start()
    try:
        with caplog.at_level(logging.ERROR, logger="prefect_core"), pytest.raises(
            KeyboardInterrupt
        ):
            TaskRunner(Forever(name="forever")).run()
    finally:
        ctrl_c.cancel()
        signal.signal(signal.SIGINT, previous)
    [record] = [r for r in caplog.records if "interrupted" in r.getMessage()]
    message = record.getMessage()
    assert "Task 'forever'" in message and "during loop iteration" in message
    iteration = int(message.split("during loop iteration ")[1].split(";")[0])
    assert iteration > 1


def test_a_loop_logs_starting_and_finished_once(caplog):
    task = Looper(until=3, name="looper")
    with caplog.at_level(logging.INFO, logger="prefect_core"):
        TaskRunner(task).run()
    messages = [record.getMessage() for record in caplog.records]
    assert messages.count("Task 'looper': Starting task run...") == 1
    assert messages.count(
        "Task 'looper': Finished task run for task with final state: 'Success'"
    ) == 1


def test_a_retried_loop_resumes_without_starting_but_logs_finished(caplog):
    task = Looper(until=4, fail_at=3, max_retries=1, retry_delay=timedelta(0), name="looper")
    retrying = TaskRunner(task).run()
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="prefect_core"):
        TaskRunner(task).run(state=retrying)
    messages = [record.getMessage() for record in caplog.records]
    assert "Task 'looper': Starting task run..." not in messages
    assert "Task 'looper': Finished task run for task with final state: 'Success'" in messages
