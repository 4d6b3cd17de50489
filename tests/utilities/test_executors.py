"""Engine helpers in `prefect_core.utilities.executors`: timeouts and tail recursion."""

from __future__ import annotations

import logging
import signal
import sys
import threading
import time
from types import SimpleNamespace

import pytest

from prefect_core.exceptions import TaskTimeoutSignal
from prefect_core.utilities import executors
from prefect_core.utilities.context import context
from prefect_core.utilities.executors import (
    RecursiveCall,
    run_task_with_timeout,
    run_with_multiprocess_timeout,
    run_with_soft_timeout,
    run_with_thread_timeout,
    tail_recursive,
)


class FakeTask:
    """The part of a task `run_task_with_timeout` uses."""

    def __init__(self, fn, timeout=None, name="fake"):
        self.run = fn
        self.timeout = timeout
        self.name = name


def in_thread(fn):
    """Run `fn()` in a new (non-main) thread; return its value or raise its error."""
    outcome = {}

    def target():
        try:
            outcome["value"] = fn()
        except BaseException as exc:  # re-raised below
            outcome["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(10)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


# -- run_task_with_timeout --------------------------------------------------------------


def test_no_timeout_calls_run_directly():
    calls = []
    task = FakeTask(lambda x, y=0: calls.append(threading.current_thread()) or x + y)
    assert run_task_with_timeout(task, args=(1,), kwargs={"y": 2}) == 3
    assert calls == [threading.current_thread()]


def test_no_timeout_in_another_thread_runs_in_that_thread():
    task = FakeTask(lambda: threading.current_thread().name)
    assert in_thread(lambda: run_task_with_timeout(task)) != "MainThread"


def test_main_thread_timeout_interrupts_the_task():
    task = FakeTask(lambda: time.sleep(5), timeout=1)
    started = time.monotonic()
    with pytest.raises(TaskTimeoutSignal, match="Execution timed out."):
        run_task_with_timeout(task)
    assert time.monotonic() - started < 2


def test_main_thread_timeout_returns_value_and_clears_alarm():
    previous = signal.getsignal(signal.SIGALRM)
    task = FakeTask(lambda: "quick", timeout=1)
    assert run_task_with_timeout(task) == "quick"
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is previous


def test_main_thread_timeout_lets_errors_through_and_clears_alarm():
    def broken():
        raise ValueError("inside")

    with pytest.raises(ValueError, match="inside"):
        run_task_with_timeout(FakeTask(broken, timeout=1))
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_thread_timeout_without_timeout_calls_fn():
    assert run_with_thread_timeout(lambda a, b: a * b, args=(3,), kwargs={"b": 4}) == 12


def test_other_thread_uses_a_process_and_times_out():
    task = FakeTask(lambda: time.sleep(10), timeout=1, name="sleepy")
    started = time.monotonic()
    with pytest.raises(TaskTimeoutSignal, match="Execution timed out for Task 'sleepy'."):
        in_thread(lambda: run_task_with_timeout(task))
    assert time.monotonic() - started < 5


def test_other_thread_returns_the_value_from_the_process():
    import os

    task = FakeTask(lambda x: (x, os.getpid()), timeout=5)
    value, pid = in_thread(lambda: run_task_with_timeout(task, kwargs={"x": 7}))
    assert value == 7
    assert pid != os.getpid()


def test_multiprocess_timeout_reraises_the_child_error():
    def broken():
        raise KeyError("child")

    with pytest.raises(KeyError, match="child"):
        run_with_multiprocess_timeout(broken, timeout=5)


def test_multiprocess_timeout_carries_the_context():
    def read():
        from prefect_core.utilities.context import context as child_context

        return child_context.get("flavour")

    with context(flavour="lemon"):
        assert run_with_multiprocess_timeout(read, timeout=5) == "lemon"


def test_multiprocess_unpicklable_value_becomes_runtime_error():
    def make_lock():
        import threading as child_threading

        return child_threading.Lock()

    with pytest.raises(RuntimeError, match="could not be pickled"):
        run_with_multiprocess_timeout(make_lock, timeout=5)


def test_multiprocess_side_effects_do_not_reach_the_parent():
    box = []
    run_with_multiprocess_timeout(lambda: box.append(1), timeout=5)
    assert box == []


def test_daemonic_process_uses_a_soft_timeout(monkeypatch, caplog):
    monkeypatch.setattr(
        executors.multiprocessing, "current_process", lambda: SimpleNamespace(daemon=True)
    )
    logger = logging.getLogger("prefect_core.test-soft")
    task = FakeTask(lambda: time.sleep(1.5), timeout=1, name="soft")
    with (
        caplog.at_level(logging.WARNING, logger="prefect_core"),
        pytest.raises(TaskTimeoutSignal, match="soft timeout"),
    ):
        in_thread(lambda: run_task_with_timeout(task, logger=logger))
    assert any("soft" in r.getMessage() for r in caplog.records)


def test_soft_timeout_returns_value_and_carries_context():
    with context(colour="blue"):
        value = run_with_soft_timeout(lambda: context.get("colour"), timeout=1)
    assert value == "blue"


def test_soft_timeout_lets_errors_through():
    def broken():
        raise ValueError("soft error")

    with pytest.raises(ValueError, match="soft error"):
        run_with_soft_timeout(broken, timeout=1)


def test_soft_timeout_abandons_a_slow_call():
    started = time.monotonic()
    with pytest.raises(TaskTimeoutSignal, match="Execution timed out for Task 'slow'"):
        run_with_soft_timeout(lambda: time.sleep(1.5), timeout=0.2, name="slow")
    assert time.monotonic() - started < 1


# -- tail_recursive ---------------------------------------------------------------------


def test_tail_recursion_does_not_grow_the_stack():
    @tail_recursive
    def count_down(n, total=0):
        if n == 0:
            return total
        raise RecursiveCall(count_down, n - 1, total=total + 1)

    depth = sys.getrecursionlimit() * 5
    assert count_down(depth) == depth


def test_tail_recursion_accepts_the_undecorated_function():
    def step(n):
        if n >= 3:
            return n
        raise RecursiveCall(step, n + 1)

    looped = tail_recursive(step)
    assert looped(0) == 3


def test_recursive_call_for_another_function_propagates():
    def other():
        return "other"

    @tail_recursive
    def jump():
        raise RecursiveCall(other)

    with pytest.raises(RecursiveCall) as info:
        jump()
    assert info.value.func is other


def test_tail_recursive_keeps_metadata_and_plain_returns():
    @tail_recursive
    def plain(x):
        """Doc."""
        return x

    assert plain.__name__ == "plain"
    assert plain.__doc__ == "Doc."
    assert plain(5) == 5


def test_recursive_call_stores_its_arguments():
    def fn():
        return None

    call = RecursiveCall(fn, 1, 2, key="v")
    assert (call.func, call.call_args, call.call_kwargs) == (fn, (1, 2), {"key": "v"})


def test_multiprocess_child_that_dies_is_reported_without_waiting_for_the_timeout():
    import os

    started = time.monotonic()
    with pytest.raises(RuntimeError, match="exited with code 3 before returning a result"):
        run_with_multiprocess_timeout(lambda: os._exit(3), timeout=30, name="crash")
    assert time.monotonic() - started < 10


def test_multiprocess_large_value_is_returned_whole():
    value = run_with_multiprocess_timeout(lambda: b"x" * 20_000_000, timeout=20)
    assert len(value) == 20_000_000
