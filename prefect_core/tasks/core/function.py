"""`FunctionTask`: a task whose `run` is a plain function (what `@task` creates)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from prefect_core.core.signatures import validate_run_signature
from prefect_core.core.task import Task


class FunctionTask(Task):
    """A task running `fn`; `name` defaults to the function's name."""

    _is_function_task = True

    def __init__(self, fn: Callable, name: str | None = None, **task_kwargs: Any) -> None:
        if not callable(fn):
            raise TypeError("`fn` must be callable")
        if name is None:
            name = getattr(fn, "__name__", type(self).__name__)
        validate_run_signature(fn)
        self.run = fn  # type: ignore[method-assign]
        functools.update_wrapper(self, fn)  # type: ignore[arg-type]
        super().__init__(name=name, **task_kwargs)
