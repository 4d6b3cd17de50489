"""Engine helpers for running a task body: timeouts and tail recursion.

A task timeout is enforced in one of three ways, chosen by where the task runs:

1. the main thread (LocalExecutor, worker processes of LocalDaskExecutor("processes")):
   a `SIGALRM` timer interrupts the task in place;
2. another thread of a non-daemonic process (LocalDaskExecutor("threads"), an in-process
   Dask cluster): the task runs in a freshly spawned process that is killed on timeout,
   so side effects on the parent's memory are lost;
3. a daemonic process (Dask worker processes), or Windows: a *soft* timeout. The task runs
   in a helper thread and the caller stops waiting after `timeout` seconds; Python cannot
   stop that thread, so the timeout message says the task may still be running.
"""

from __future__ import annotations

import functools
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeoutError
from typing import Any

import cloudpickle

from prefect_core.exceptions import TaskTimeoutSignal
from prefect_core.utilities.context import context


class SoftTimeoutSignal(TaskTimeoutSignal):
    """A soft timeout: the caller stopped waiting, but the task may still be running."""


def run_task_with_timeout(
    task: Any, args: tuple = (), kwargs: dict | None = None, logger: Any = None
) -> Any:
    """Call `task.run(*args, **kwargs)`, raising `TaskTimeoutSignal` after `task.timeout` s."""
    kwargs = kwargs or {}
    timeout = task.timeout
    if not timeout:
        return task.run(*args, **kwargs)
    name = getattr(task, "name", repr(task))
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGALRM"):
        return run_with_thread_timeout(task.run, args, kwargs, timeout=timeout, name=name)
    if not multiprocessing.current_process().daemon and os.name != "nt":
        return run_with_multiprocess_timeout(task.run, args, kwargs, timeout=timeout, name=name)
    if logger is not None:
        logger.warning(
            "Task '%s': this process cannot stop a running task, so its %s s timeout is "
            "soft: the run is abandoned at the deadline but may keep running.",
            name,
            timeout,
        )
    return run_with_soft_timeout(task.run, args, kwargs, timeout=timeout, name=name)


def run_with_thread_timeout(
    fn: Callable, args: tuple = (), kwargs: dict | None = None, timeout: int | None = None,
    name: str | None = None,
) -> Any:
    """Run `fn` in the main thread, interrupted by `SIGALRM` after `timeout` seconds."""
    if not timeout:
        return fn(*args, **(kwargs or {}))

    def interrupt(signum: int, frame: Any) -> None:
        raise TaskTimeoutSignal("Execution timed out.")

    previous_handler = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        return fn(*args, **(kwargs or {}))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)


def _run_pickled_call(payload: bytes, answers: Any) -> None:
    """Child-process side of `run_with_multiprocess_timeout`."""
    call = cloudpickle.loads(payload)
    try:
        with context(call["context"]):
            outcome: tuple = ("value", call["fn"](*call["args"], **call["kwargs"]))
    except BaseException as exc:  # signals too: the parent re-raises them
        outcome = ("error", exc)
    try:
        answer = cloudpickle.dumps(outcome)
    except Exception as exc:
        answer = cloudpickle.dumps(
            ("error", RuntimeError(f"The task's outcome could not be pickled: {exc!r}"))
        )
    answers.send_bytes(answer)


def run_with_multiprocess_timeout(
    fn: Callable, args: tuple = (), kwargs: dict | None = None, timeout: int | None = None,
    name: str | None = None,
) -> Any:
    """Run `fn` in a spawned process, killed after `timeout` seconds."""
    if not timeout:
        return fn(*args, **(kwargs or {}))
    spawn = multiprocessing.get_context("spawn")
    receiver, sender = spawn.Pipe(duplex=False)
    context_keys = {k: v for k, v in context.current().items() if k not in ("config", "logger")}
    payload = cloudpickle.dumps(
        {"fn": fn, "args": args, "kwargs": kwargs or {}, "context": context_keys}
    )
    process = spawn.Process(target=_run_pickled_call, args=(payload, sender), daemon=True)
    process.start()
    sender.close()  # the child holds the only writer: its exit makes `receiver` readable
    try:
        if not multiprocessing.connection.wait([receiver], timeout):
            raise TaskTimeoutSignal(f"Execution timed out for Task '{name}'.")
        try:
            kind, value = cloudpickle.loads(receiver.recv_bytes())
        except EOFError:  # the child died without answering (crash, os._exit, ...)
            process.join(5)
            raise RuntimeError(
                f"The process running Task '{name}' exited with code {process.exitcode} "
                "before returning a result."
            ) from None
    finally:
        process.terminate()
        process.join()
        receiver.close()
    if kind == "error":
        raise value
    return value


def run_with_soft_timeout(
    fn: Callable, args: tuple = (), kwargs: dict | None = None, timeout: int | None = None,
    name: str | None = None,
) -> Any:
    """Run `fn` in a helper thread and stop waiting for it after `timeout` seconds."""
    pool = ThreadPoolExecutor(max_workers=1)
    task_context = dict(context.current())

    def call() -> Any:
        with context(task_context):
            return fn(*args, **(kwargs or {}))

    future = pool.submit(call)
    try:
        return future.result(timeout=timeout)
    except FutureTimeoutError:
        raise SoftTimeoutSignal(
            f"Execution timed out for Task '{name}' (soft timeout: the task may still be "
            "running in the background)."
        ) from None
    finally:
        pool.shutdown(wait=False)


class RecursiveCall(Exception):
    """Raised inside a `tail_recursive` function to call it again without growing the stack."""

    def __init__(self, func: Callable, *args: Any, **kwargs: Any) -> None:
        super().__init__()
        self.func = func
        self.call_args = args
        self.call_kwargs = kwargs


def tail_recursive(func: Callable) -> Callable:
    """Let `func` call itself by raising `RecursiveCall(func, ...)`, iterating instead."""

    @functools.wraps(func)
    def loop(*args: Any, **kwargs: Any) -> Any:
        while True:
            try:
                return func(*args, **kwargs)
            except RecursiveCall as call:
                if call.func is not loop and call.func is not func:
                    raise
                args, kwargs = call.call_args, call.call_kwargs

    return loop
