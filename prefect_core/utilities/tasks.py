"""Helpers for building tasks: `@task`, `tags`, `as_task`, `apply_map`, `defaults_from_attrs`,
`pause_task`."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
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


@dataclass(frozen=True)
class _MapArgument:
    """How one `apply_map` argument is passed to the tasks `func` builds."""

    mapped: bool
    constant: bool
    flattened: bool


def apply_map(func: Callable, *args: Any, flow: Flow | None = None, **kwargs: Any) -> Any:
    """Map `func`, a function that builds tasks, over `args` and `kwargs`.

    `func` is called once, inside a temporary flow and a mapped context, with every input
    as a task; every task it creates then joins `flow` (default: the active flow) as a
    mapped task, so the sub-pipeline runs once per element, zipped over the shortest
    mapped input. Wrap an input in `unmapped` to pass it whole, in `flatten` to un-nest
    it first. With an explicit `flow`, `func` also receives `flow=<temporary flow>`.
    Tasks created inside an open `case` or resource block join it. Returns what `func`
    returns.
    """
    from prefect_core.core.flow import Flow
    from prefect_core.core.task import Task
    from prefect_core.tasks.core.constants import Constant

    flow_given = flow is not None
    if flow is None:
        flow = context.get("flow")
        if flow is None:
            raise ValueError("Couldn't infer a flow in the current context")
    for value in (*args, *kwargs.values()):
        if not isinstance(value, (Task, EdgeAnnotation, Sequence)):
            raise TypeError(f"Cannot map over non-sequence object of type `{type(value).__name__}`")

    tasks_before = set(flow.tasks)
    temporary = Flow("temporary flow")
    arguments: dict[Task, _MapArgument] = {}
    # `id(value)` of each mapped constant input -> its `Constant`: `func` sees the Constant
    # task, but binding it folds the bare value into `temporary.constants`.
    mapped_constants: dict[int, Task] = {}

    def convert(value: Any) -> Task:
        annotations = value.annotations if isinstance(value, EdgeAnnotation) else {}
        with context(case=None, resource=None):
            converted = as_task(value, flow=temporary)
            argument = _MapArgument(
                mapped=annotations.get("mapped", True),
                constant=isinstance(converted, Constant),
                flattened=annotations.get("flattened", False),
            )
            if not argument.constant:
                temporary.add_task(converted)
        arguments[converted] = argument
        if argument.mapped and argument.constant:
            mapped_constants[id(converted.value)] = converted
        return converted

    converted_args = [convert(value) for value in args]
    converted_kwargs = {key: convert(value) for key, value in kwargs.items()}
    if flow_given:
        converted_kwargs["flow"] = temporary
    with context(mapped=True, case=None, resource=None), temporary:
        returned = func(*converted_args, **converted_kwargs)

    # Outside the mapped context again (mapped edges are refused inside it), and back in
    # any enclosing case or resource block, which the added tasks join.
    flow._atomically(
        _merge_mapped_subflow, flow, temporary, arguments, mapped_constants, tasks_before
    )
    return returned


def _merge_mapped_subflow(
    flow: Flow,
    temporary: Flow,
    arguments: dict[Task, _MapArgument],
    mapped_constants: dict[int, Task],
    tasks_before: set[Task],
) -> None:
    """Add `apply_map`'s temporary flow to `flow`, mapping every edge that is not an
    unmapped argument, and map the sub-pipeline's roots over every argument."""
    for argument_task, argument in arguments.items():
        if not argument.constant:
            flow.add_task(argument_task)
    for task in temporary.slugs:
        flow.add_task(task)
    for edge in temporary.edges:
        argument = arguments.get(edge.upstream_task)
        flow.add_edge(
            edge.upstream_task,
            edge.downstream_task,
            key=edge.key,
            mapped=argument.mapped if argument else True,
            flattened=argument.flattened if argument else False,
        )
    for task, inputs in temporary.constants.items():
        for key, value in inputs.items():
            constant = mapped_constants.get(id(value))
            if constant is None:
                flow._set_constant(task, key, value)
            else:
                flow.add_edge(
                    constant, task, key=key, mapped=True,
                    flattened=arguments[constant].flattened,
                )

    # Each root of the sub-pipeline depends on every argument (unmapped constants aside),
    # so it runs once per element even when it uses no input, like `hello()` in `func`.
    new_tasks = temporary.tasks - tasks_before - arguments.keys()
    for task in temporary.slugs:
        if task not in new_tasks:
            continue
        upstream_tasks = flow.upstream_tasks(task)
        if not upstream_tasks.isdisjoint(new_tasks):
            continue
        for argument_task, argument in arguments.items():
            unmapped_constant = argument.constant and not argument.mapped
            if unmapped_constant or argument_task in upstream_tasks:
                continue
            flow.add_edge(
                argument_task, task, mapped=argument.mapped, flattened=argument.flattened
            )


class TaskBlock:
    """A `with` block collecting the tasks newly added to a flow while it is open.

    While open, context key `context_key` holds the block, and `Flow.add_task` calls its
    `add_task` for every task newly added (Parameters and Constants excepted). Blocks
    nest: leaving one restores the block that was open before. Subclasses (`case`, a
    resource manager's block) wire the collected tasks up on exit.
    """

    context_key = ""
    multiple_flows_message = ""

    def __init__(self, flow: Flow | None = None) -> None:
        self._flow = flow
        # An ordered set: edges are added in the order the tasks were created.
        self._tasks: dict[Task, None] = {}
        self._previous_block: Any = None

    def add_task(self, task: Task, flow: Flow) -> None:
        """Register `task`, newly added to `flow`, as part of this block."""
        if self._flow is None:
            self._flow = flow
        elif self._flow is not flow:
            raise ValueError(self.multiple_flows_message)
        self._tasks[task] = None

    def _open(self) -> None:
        self._previous_block = context.get(self.context_key)
        context[self.context_key] = self

    def _close(self) -> None:
        if self._previous_block is None:
            context.pop(self.context_key, None)
        else:
            context[self.context_key] = self._previous_block
        self._previous_block = None


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
