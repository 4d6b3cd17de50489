"""Helpers for building tasks: `@task`, `tags`, `as_task`, `defaults_from_attrs`, `pause_task`."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from prefect_core.utilities.context import context
from prefect_core.utilities.edges import EdgeAnnotation

if TYPE_CHECKING:
    from prefect_core.core.flow import Flow
    from prefect_core.core.task import Task


def task(fn: Callable | None = None, **task_init_kwargs: Any) -> Any:
    """Turn a function into a task: `@task`, `@task(name=..., max_retries=...)`, `task(fn)`."""
    from prefect_core.tasks.core.function import FunctionTask

    if fn is None:
        return lambda function: FunctionTask(fn=function, **task_init_kwargs)
    return FunctionTask(fn=fn, **task_init_kwargs)


@contextmanager
def tags(*tags: str) -> Iterator[None]:
    """Give every task created, copied or bound in the block these tags (and outer ones)."""
    with context(tags=set(tags) | set(context.get("tags") or ())):
        yield


# Types that can never hold a task: the most common task inputs, checked first.
_SCALAR_TYPES = frozenset({int, float, complex, str, bytes, bool, type(None)})


def holds_no_task(value: Any) -> bool:
    """True when `value` holds no task at any depth of its lists, tuples, sets and dicts."""
    if type(value) in _SCALAR_TYPES:
        return True
    from prefect_core.core.task import Task

    if isinstance(value, (Task, EdgeAnnotation)):
        return False
    if isinstance(value, dict):
        return all(holds_no_task(item) for item in value.values())
    if isinstance(value, (list, tuple, set)):
        return all(holds_no_task(item) for item in value)
    return True


def as_task(x: Any, flow: Flow | None = None) -> Task:
    """`x` as a task: tasks as they are, constants as `Constant`, collections of tasks
    as `List`/`Tuple`/`Set`/`Dict` tasks bound to their items in `flow`."""
    from prefect_core.core.task import Task

    if isinstance(x, Task):
        return x
    if isinstance(x, EdgeAnnotation):
        return as_task(x.value, flow=flow)

    from prefect_core.tasks.core import collections
    from prefect_core.tasks.core.constants import Constant

    if holds_no_task(x):
        converted: Task = Constant(x)
    elif isinstance(x, dict):
        converted = _untracked(collections.Dict()).bind(
            keys=as_task(list(x.keys()), flow=flow),
            values=as_task(list(x.values()), flow=flow),
            flow=flow,
        )
    else:
        collection_class = {list: collections.List, tuple: collections.Tuple, set: collections.Set}
        kind = next(cls for base, cls in collection_class.items() if isinstance(x, base))
        converted = _untracked(kind()).bind(*x, flow=flow)
    converted.auto_generated = True
    return converted


def _untracked(task: Task) -> Task:
    """`task`, taken out of the unused-task tracker: `as_task` made it, not the user, so a
    failed build call must not report it as created but unused."""
    task._untrack()
    return task


def defaults_from_attrs(*attr_names: str) -> Callable[[Callable], Callable]:
    """Decorate a `run` method so missing keyword arguments come from `self.<name>`."""

    def decorator(method: Callable) -> Callable:
        @functools.wraps(method)
        def run(self: Any, *args: Any, **kwargs: Any) -> Any:
            for name in attr_names:
                if name not in kwargs:
                    kwargs[name] = getattr(self, name)
            return method(self, *args, **kwargs)

        return run

    return decorator


def pause_task(message: str | None = None, duration: timedelta | None = None) -> None:
    """Pause the running task (raises `PAUSE`) unless the run is resuming.

    The pause is skipped whenever context `resume` is present and is not the object
    `False` itself (1.4.1's identity test, kept).
    """
    from prefect_core.engine import signals

    if context.get("resume", False) is False:
        start_time = datetime.now(UTC) + duration if duration is not None else None
        raise signals.PAUSE(
            message=message or "Pause signal raised during task execution.",
            start_time=start_time,
        )
