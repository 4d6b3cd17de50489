"""`LocalExecutor`: runs each task run immediately, in the calling thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from prefect_core.executors.base import Executor


class LocalExecutor(Executor):
    """Runs every submitted function inline; its "futures" are the values themselves."""

    runs_in_caller_context = True

    def submit(
        self, fn: Callable, *args: Any, extra_context: dict | None = None, **kwargs: Any
    ) -> Any:
        """Call `fn(*args, **kwargs)` now and return its value."""
        return fn(*args, **kwargs)

    def wait(self, futures: Any) -> Any:
        """Return `futures` unchanged: they are already values."""
        return futures
