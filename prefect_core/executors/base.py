"""The `Executor` contract shared by every executor.

The flow runner hands each task run to `submit` and collects results with `wait`; the
executor decides where and when the work runs. Whatever runs it, a flow gives the same
states: an executor may only change *where* a task run happens, never what it computes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from prefect_core.utilities.logging import get_logger


class TaskRunLost(Exception):
    """The executor could not complete a task run (e.g. every worker running it died).

    `own` is false when the run was never attempted because an upstream run was lost.
    """

    def __init__(self, message: str, cause: BaseException, own: bool) -> None:
        super().__init__(message)
        self.cause = cause
        self.own = own

    def __reduce__(self) -> tuple:
        return type(self), (self.args[0], self.cause, self.own)


class Executor:
    """Base class: `start()` opens the executor, `submit` runs work, `wait` resolves it."""

    #: True when submitted work runs in the submitting thread, inside its context, so a
    #: task run needs only its own context keys; otherwise it gets the full context.
    runs_in_caller_context = False

    def __init__(self) -> None:
        self.logger = get_logger(type(self).__name__)

    def __repr__(self) -> str:
        return f"<Executor: {type(self).__name__}>"

    @contextmanager
    def start(self) -> Iterator[None]:
        """Open the executor's resources for the duration of a flow run."""
        yield

    def submit(
        self, fn: Callable, *args: Any, extra_context: dict | None = None, **kwargs: Any
    ) -> Any:
        """Run `fn(*args, **kwargs)`, returning a future (or the value itself)."""
        raise NotImplementedError()

    def share(self, value: Any) -> Any:
        """Make `value`, an argument of many submitted calls, available to all of them;
        returns what to pass in its place (here: `value` itself)."""
        return value

    def wait(self, futures: Any) -> Any:
        """Resolve a future, or lists/dicts of futures, into their values (same shape)."""
        raise NotImplementedError()
