"""`Task`: a node of the graph, and the functional and imperative APIs that bind it.

Calling a task inside `with Flow(...)` copies it and binds the copy to its inputs
(functional API); `bind`, `set_upstream` and `set_dependencies` change the graph in place
(imperative API). The graph itself lives in `prefect_core.core.flow.Flow`; a task never
knows how it will be run.
"""

from __future__ import annotations

import enum
import functools
import inspect
import logging
import typing
import warnings
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from prefect_core.configuration import config
from prefect_core.core.signatures import (
    RunSignature,
    call_signature,
    infer_nout,
    validate_run_signature,
)
from prefect_core.utilities.context import context
from prefect_core.utilities.edges import EdgeAnnotation
from prefect_core.utilities.logging import get_logger

if TYPE_CHECKING:
    from prefect_core.core.edge import Edge
    from prefect_core.core.flow import Flow
    from prefect_core.engine.result import Result


class NoDefault(enum.Enum):
    """Marks "no default was provided" (for `Parameter`, `GetItem`, `GetAttr`)."""

    value = "no_default"

    def __repr__(self) -> str:
        return "<no default>"


# Attributes that `Task.__init__` assigns; a subclass that already has one is warned.
RESERVED_ATTRIBUTES = (
    "name",
    "slug",
    "tags",
    "max_retries",
    "retry_delay",
    "retry_on",
    "timeout",
    "trigger",
    "skip_on_upstream_skip",
    "cache_for",
    "cache_key",
    "cache_validator",
    "checkpoint",
    "result",
    "target",
    "task_run_name",
    "state_handlers",
    "auto_generated",
    "log_stdout",
    "nout",
    "logger",
)


def _warn_on_task_arguments(init: Callable) -> Callable:
    """Wrap a subclass `__init__` to warn when it receives `Task` instances."""

    @functools.wraps(init)
    def checked_init(self: Task, *args: Any, **kwargs: Any) -> None:
        if any(isinstance(value, Task) for value in (*args, *kwargs.values())):
            class_name = type(self).__name__
            warnings.warn(
                f"A Task was passed to the constructor of `{class_name}`. Initialise "
                f"`{class_name}` with static (non-Task) arguments, then call the instance "
                "with the Task arguments, e.g. `t = "
                f"{class_name}(...)` then `result = t(upstream_task)` inside the flow.",
                stacklevel=2,
            )
        init(self, *args, **kwargs)

    return checked_init


def _own_annotation(run: Callable, annotation: str) -> Any:
    """The object a postponed return annotation of one of prefect_core's own `run`
    methods names (our modules postpone annotations; 1.4.1 reported the objects, e.g.
    `typing.Any`). A user's string annotation is kept as written, as in 1.4.1."""
    if not getattr(run, "__module__", "").startswith("prefect_core."):
        return annotation
    try:
        return typing.get_type_hints(run).get("return", annotation)
    except Exception:  # a name only imported for type checking: keep the text
        return annotation


class TaskMetaclass(type):
    """Checks a task class's `run` signature and wraps its `__init__` when it is defined."""

    def __new__(mcs, name: str, bases: tuple, namespace: dict) -> TaskMetaclass:
        if "run" in namespace:
            validate_run_signature(namespace["run"])
        if "__init__" in namespace:
            namespace["__init__"] = _warn_on_task_arguments(namespace["__init__"])
        return super().__new__(mcs, name, bases, namespace)


class _InstanceSignature:
    """`Task.__signature__`: `run`'s signature plus `__call__`'s extras, per instance."""

    def __get__(self, task: Task | None, owner: type) -> inspect.Signature:
        if task is None:
            raise AttributeError("__signature__")
        cached = task.__dict__.get("_call_signature")
        if cached is None:
            cached = call_signature(task._run_signature())
            task.__dict__["_call_signature"] = cached
        return cached


# `{task class: (its run attribute, RunSignature of run as a bound method)}`: inspecting
# a signature costs more than building the rest of a task, and classes such as `GetItem`
# are instantiated once per use. Keyed weakly, so classes can be collected.
_class_run_signatures: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _normalise_retry_on(retry_on: Any) -> set[type] | None:
    if not retry_on:
        return None
    single = isinstance(retry_on, type) or not isinstance(retry_on, Iterable)
    members = {retry_on} if single else set(retry_on)
    for member in members:
        if not isinstance(member, type):
            raise TypeError(
                f"Invalid `retry_on` value {member!r}. Expected an exception type but got "
                f"an instance of {type(member).__name__}"
            )
        if not issubclass(member, Exception):
            raise TypeError(f"Invalid `retry_on` value {member!r}. Expected an exception subclass.")
    return members


def _normalise_timeout(timeout: Any) -> int | None:
    if isinstance(timeout, timedelta):
        if timeout.microseconds:
            warnings.warn(
                "Task timeouts are whole seconds; the sub-second part of the timeout "
                f"{timeout} is ignored.",
                stacklevel=3,
            )
        timeout = int(timeout.total_seconds())
    if timeout is not None and (not isinstance(timeout, int) or isinstance(timeout, bool)):
        raise TypeError("Only integer timeouts (representing seconds) are supported.")
    return timeout


def _handlers_with_failure_callback(
    state_handlers: Sequence[Callable] | None, on_failure: Callable | None
) -> list[Callable]:
    """The handler list, with `on_failure` appended as a failed-state callback."""
    if state_handlers and not isinstance(state_handlers, Sequence):
        raise TypeError("state_handlers should be iterable.")
    handlers = state_handlers if isinstance(state_handlers, list) else list(state_handlers or [])
    if on_failure is not None:
        from prefect_core.utilities.notifications import callback_factory

        handlers.append(callback_factory(on_failure, check=lambda state: state.is_failed()))
    return handlers


class Task(metaclass=TaskMetaclass):
    """A unit of work in a flow; subclasses implement `run(self, ...)`.

    Every constructor option is validated here, so a misconfigured task fails when the
    flow is built, not when it runs. See the spec's core.md §1 for each option.
    """

    __signature__ = _InstanceSignature()

    def __init__(
        self,
        name: str | None = None,
        slug: str | None = None,
        tags: Iterable[str] | None = None,
        max_retries: int | None = None,
        retry_delay: timedelta | None = None,
        retry_on: type[Exception] | Iterable[type[Exception]] | None = None,
        timeout: int | timedelta | None = None,
        trigger: Callable[[dict[Edge, Any]], bool] | None = None,
        skip_on_upstream_skip: bool = True,
        cache_for: timedelta | None = None,
        cache_validator: Callable | None = None,
        cache_key: str | None = None,
        checkpoint: bool | None = None,
        state_handlers: Sequence[Callable] | None = None,
        on_failure: Callable | None = None,
        log_stdout: bool = False,
        result: Result | None = None,
        target: str | Callable[..., str] | None = None,
        task_run_name: str | Callable[..., str] | None = None,
        nout: int | None = None,
    ) -> None:
        if type(self) is not Task:
            self._warn_about_reserved_attributes()

        self.name = name or type(self).__name__
        self.slug = slug
        positional_only = self._run_facts().positional_only
        if positional_only:
            raise TypeError(
                "Found positional-only parameters in the function signature for task "
                f"{self.name}: {positional_only}. Prefect passes arguments using keywords "
                "and does not support positional-only parameters."
            )

        if isinstance(tags, str):
            raise TypeError("Tags should be a set of tags, not a string.")
        self.tags = set(tags or ()) | set(context.get("tags") or ())

        task_defaults = config.tasks.defaults
        if max_retries is None:
            max_retries = task_defaults.get("max_retries") or 0
        if retry_delay is None and max_retries:
            retry_delay = task_defaults.get("retry_delay")
        if max_retries > 0 and retry_delay is None:
            raise ValueError(
                "A datetime.timedelta `retry_delay` must be provided if max_retries > 0"
            )
        if retry_on and not max_retries > 0:
            raise ValueError("A number of `max_retries` must be provided if `retry_on` is set.")
        self.retry_on = _normalise_retry_on(retry_on)
        if retry_delay is not None and not max_retries:
            raise ValueError(
                "A `max_retries` argument greater than 0 must be provided if specifying "
                "a retry delay."
            )
        self.max_retries = max_retries
        self.retry_delay = retry_delay
        self.timeout = _normalise_timeout(
            task_defaults.get("timeout") if timeout is None else timeout
        )

        from prefect_core import triggers
        from prefect_core.engine import cache_validators

        self.trigger = trigger or triggers.all_successful
        self.skip_on_upstream_skip = skip_on_upstream_skip
        if cache_for is None and cache_validator not in (None, cache_validators.never_use):
            warnings.warn(
                "cache_validator provided without specifying cache expiration (cache_for); "
                "this Task will not be cached.",
                stacklevel=2,
            )
        self.cache_for = cache_for
        self.cache_validator = cache_validator or (
            cache_validators.never_use if cache_for is None else cache_validators.duration_only
        )
        self.cache_key = cache_key
        self.checkpoint = checkpoint
        self.result = result
        self.target = target
        self._apply_target_to_result()
        self.task_run_name = task_run_name
        self.state_handlers = _handlers_with_failure_callback(state_handlers, on_failure)
        self.auto_generated = False
        self.log_stdout = log_stdout
        self.nout = infer_nout(self._run_signature().return_annotation) if nout is None else nout

        tracker = context.get("_unused_task_tracker")
        if tracker is not None and not self._is_constant:
            tracker.add(self)

    # Whether the flow runner may skip running this task and use `value` as its result.
    _is_constant = False
    # Whether this task is a flow `Parameter` (a root task named by its slug).
    _is_parameter = False
    # The part a task plays for a resource manager: None, "init", "setup" or "cleanup".
    _resource_role: str | None = None

    def _warn_about_reserved_attributes(self) -> None:
        instance_attributes = self.__dict__
        task_class = type(self)
        for attribute in RESERVED_ATTRIBUTES:
            if attribute == "logger":
                # Task's own `logger` property is no clash; a logger already stored
                # through it, or a subclass's own `logger`, is.
                clashes = "_logger" in instance_attributes or (
                    task_class.logger is not Task.__dict__["logger"]
                )
            else:
                clashes = attribute in instance_attributes or hasattr(task_class, attribute)
            if clashes:
                warnings.warn(
                    f"`{type(self).__name__}` sets a `{attribute}` attribute, which will be "
                    "overwritten by `prefect.Task`. Please rename this attribute to avoid "
                    "this issue.",
                    stacklevel=3,
                )

    def _apply_target_to_result(self) -> None:
        """With both a target and a result, the result's location becomes the target."""
        if self.target and self.result is not None:
            location = getattr(self.result, "location", None)
            if location and location != self.target:
                warnings.warn(
                    f"Both `result.location` ({location!r}) and `target` ({self.target!r}) "
                    f"were provided for task {self.name!r}; the target is used as the "
                    "result location.",
                    stacklevel=3,
                )
            self.result = self.result.copy()
            self.result.location = self.target

    @property
    def logger(self) -> logging.Logger:
        """The task's logger, `prefect_core.<task name>` (created on first use)."""
        logger = self.__dict__.get("_logger")
        if logger is None:
            logger = get_logger(self.name)
            self.__dict__["_logger"] = logger
        return logger

    @logger.setter
    def logger(self, logger: logging.Logger) -> None:
        self.__dict__["_logger"] = logger

    def _run_facts(self) -> RunSignature:
        """`run`'s signature and binding facts, computed once per instance `run` (shared
        with copies of the task) or once per class `run` (shared by its instances)."""
        facts = self.__dict__.get("_run_signature_facts")
        if facts is not None:
            return facts
        if "run" in self.__dict__:  # e.g. a FunctionTask's function
            facts = RunSignature(inspect.signature(self.run))
            self.__dict__["_run_signature_facts"] = facts
            return facts
        task_class = type(self)
        class_run = task_class.run
        cached = _class_run_signatures.get(task_class)
        if cached is None or cached[0] is not class_run:
            cached = (class_run, RunSignature(inspect.signature(self.run)))
            _class_run_signatures[task_class] = cached
        return cached[1]

    def _run_signature(self) -> inspect.Signature:
        """`run`'s signature (cached, see `_run_facts`)."""
        return self._run_facts().signature

    def __repr__(self) -> str:
        return f"<Task: {self.name}>"

    def __hash__(self) -> int:
        return id(self)

    def run(self) -> None:
        """The work of the task; subclasses override it. Inputs arrive as keywords."""

    # Postponed evaluation made the annotation the string "None"; report the real `None`.
    run.__annotations__["return"] = None

    # -- copies and calls -------------------------------------------------------------

    def copy(self, **task_args: Any) -> Task:
        """A shallow copy of this task with `task_args` set on it (tags are added)."""
        current = context.current()
        flow = current.get("flow")
        if flow is not None and self in flow.tasks and flow._has_edges(self):
            warnings.warn(
                "You are making a copy of a task that has dependencies on or to other tasks "
                "in the active flow context. The copy will not retain those dependencies.",
                stacklevel=2,
            )
        new = object.__new__(type(self))
        new.__dict__ = self.__dict__.copy()
        if new.slug and "slug" not in task_args:
            task_args["slug"] = new.slug + "-copy"
        for attribute, value in task_args.items():
            if not hasattr(new, attribute):
                raise AttributeError(f"{self} does not have {attribute} as an attribute")
            setattr(new, attribute, value)
        if new.name != self.name:
            new.__dict__.pop("_logger", None)
        new._apply_target_to_result()
        new.tags = self.tags | set(new.tags) | set(current.get("tags") or ())

        tracker = current.get("_unused_task_tracker")
        if tracker is not None:
            tracker.discard(self)
            if not new._is_constant:
                tracker.add(new)
        return new

    def __call__(
        self,
        *args: Any,
        mapped: bool = False,
        task_args: dict | None = None,
        upstream_tasks: Iterable[Any] | None = None,
        flow: Flow | None = None,
        **kwargs: Any,
    ) -> Task:
        """Copy this task and bind the copy to the given inputs in the active flow."""
        new = self.copy(**(task_args or {}))
        try:
            positional_only = new._run_facts().positional_only
            if positional_only:
                raise TypeError(
                    "Prefect passes arguments to task as keyword arguments. Positional-Only "
                    f"arguments found : {positional_only}"
                )
            return new.bind(
                *args, mapped=mapped, upstream_tasks=upstream_tasks, flow=flow, **kwargs
            )
        except BaseException:
            new._untrack()
            raise

    def _untrack(self) -> None:
        """Take this task out of the open flow block's unused-task tracker (a copy whose
        binding failed, or a task made by the library rather than the user)."""
        tracker = context.get("_unused_task_tracker")
        if tracker is not None:
            tracker.discard(self)

    def bind(
        self,
        *args: Any,
        mapped: bool = False,
        upstream_tasks: Iterable[Any] | None = None,
        flow: Flow | None = None,
        **kwargs: Any,
    ) -> Task:
        """Bind inputs to this task in `flow` (default: the active flow); returns `self`."""
        try:
            inputs = self._run_facts().bind(args, kwargs)
        except TypeError as exc:
            raise TypeError(f"{exc} (binding arguments of task {self.name!r})") from None

        current = context.current()
        flow = flow or current.get("flow")
        if flow is None:
            shown = self.name if getattr(self, "_is_function_task", False) else (
                f"{type(self).__name__}(...)"
            )
            raise ValueError(
                f"Could not infer an active Flow context while creating edge to {self}. "
                "This often means you called a task outside a `with Flow(...)` block. If "
                "you're trying to run this task outside of a Flow context, you need to call "
                f"`{shown}.run(...)`"
            )
        self.set_dependencies(
            flow=flow, upstream_tasks=upstream_tasks, keyword_tasks=inputs, mapped=mapped
        )
        context_tags = current.get("tags")
        if context_tags:
            self.tags.update(context_tags)
        return self

    def map(
        self,
        *args: Any,
        upstream_tasks: Iterable[Any] | None = None,
        flow: Flow | None = None,
        task_args: dict | None = None,
        **kwargs: Any,
    ) -> Task:
        """Copy this task and map the copy over the given inputs (one child per item)."""
        for argument in args:
            if not (hasattr(argument, "__getitem__") or isinstance(argument, EdgeAnnotation)):
                raise TypeError(
                    "Cannot map over unsubscriptable object of type "
                    f"{type(argument)}: {repr(argument)[:10]}..."
                )
        task_args = dict(task_args or {})
        task_args.setdefault("nout", None)
        new = self.copy(**task_args)
        try:
            return new.bind(
                *args, mapped=True, upstream_tasks=upstream_tasks, flow=flow, **kwargs
            )
        except BaseException:
            new._untrack()
            raise

    # -- dependencies -----------------------------------------------------------------

    def set_dependencies(
        self,
        flow: Flow | None = None,
        upstream_tasks: Iterable[Any] | None = None,
        downstream_tasks: Iterable[Any] | None = None,
        keyword_tasks: dict[str, Any] | None = None,
        mapped: bool = False,
        validate: bool | None = None,
    ) -> Task:
        """Add edges to and from this task in `flow` (default: the active flow)."""
        flow = flow or context.get("flow")
        if flow is None:
            raise ValueError("No Flow was passed, and could not infer an active Flow context.")
        flow.set_dependencies(
            task=self,
            upstream_tasks=upstream_tasks,
            downstream_tasks=downstream_tasks,
            keyword_tasks=keyword_tasks,
            mapped=mapped,
            validate=validate,
        )
        return self

    def set_upstream(
        self, task: Any, flow: Flow | None = None, key: str | None = None, mapped: bool = False
    ) -> Task:
        """Make `task` upstream of this one (a data edge when `key` is given)."""
        if key is None:
            return self.set_dependencies(flow=flow, upstream_tasks=[task], mapped=mapped)
        return self.set_dependencies(flow=flow, keyword_tasks={key: task}, mapped=mapped)

    def set_downstream(
        self, task: Task, flow: Flow | None = None, key: str | None = None, mapped: bool = False
    ) -> Task:
        """Make `task` downstream of this one; returns `self`."""
        if key is None:
            task.set_dependencies(flow=flow, upstream_tasks=[self], mapped=mapped)
        else:
            task.set_dependencies(flow=flow, keyword_tasks={key: self}, mapped=mapped)
        return self

    # -- introspection ----------------------------------------------------------------

    def inputs(self) -> dict[str, dict[str, Any]]:
        """Each `run` argument's annotation, default and whether it is required."""
        described = {}
        for name, parameter in self._run_signature().parameters.items():
            has_default = parameter.default is not inspect.Parameter.empty
            annotation = parameter.annotation
            described[name] = {
                "type": Any if annotation is inspect.Parameter.empty else annotation,
                "default": parameter.default if has_default else None,
                "required": not has_default,
            }
        return described

    def outputs(self) -> Any:
        """`run`'s return annotation, or `typing.Any` when it has none."""
        annotation = self._run_signature().return_annotation
        if annotation is inspect.Signature.empty:
            return Any
        if isinstance(annotation, str):
            return _own_annotation(self.run, annotation)
        return annotation

    def pipe(_prefect_self, _prefect_task: Any, **kwargs: Any) -> Task:  # noqa: N805
        """`a.pipe(f, k=1)` is `f(a, k=1)`: chain task calls left to right."""
        if "self" in kwargs:
            raise ValueError('You cannot use the keyword argument "self" in .pipe.')
        if isinstance(_prefect_task, type) and issubclass(_prefect_task, EdgeAnnotation):
            from prefect_core.utilities.tasks import as_task

            return as_task(_prefect_task(_prefect_self))
        return _prefect_task(_prefect_self, **kwargs)

    def serialize(self) -> dict:
        """This task as a JSON-compatible dict (see `prefect_core.serialization.task`)."""
        from prefect_core.serialization.task import TaskSchema

        return TaskSchema().dump(self)

    # -- indexing, unpacking and operators ---------------------------------------------

    def __getitem__(self, key: Any) -> Task:
        from prefect_core.tasks.core.operators import GetItem

        shown = key.name if isinstance(key, Task) else repr(key)
        return GetItem(
            checkpoint=self.checkpoint, name=f"{self.name}[{shown}]", result=self.result
        ).bind(self, key)

    def __iter__(self) -> Iterator[Task]:
        if self.nout is None:
            raise TypeError(
                "Task is not iterable. If your task returns multiple results, pass `nout` "
                "to the task decorator/constructor, or provide a `Tuple` return-type "
                "annotation to your task."
            )
        return (self[index] for index in range(self.nout))

    def _operator(self, operator_name: str, *inputs: Any) -> Task:
        from prefect_core.tasks.core import operators

        return getattr(operators, operator_name)().bind(*inputs)

    def __add__(self, other: Any) -> Task:
        return self._operator("Add", self, other)

    def __radd__(self, other: Any) -> Task:
        return self._operator("Add", other, self)

    def __sub__(self, other: Any) -> Task:
        return self._operator("Sub", self, other)

    def __rsub__(self, other: Any) -> Task:
        return self._operator("Sub", other, self)

    def __mul__(self, other: Any) -> Task:
        return self._operator("Mul", self, other)

    def __rmul__(self, other: Any) -> Task:
        return self._operator("Mul", other, self)

    def __truediv__(self, other: Any) -> Task:
        return self._operator("Div", self, other)

    def __rtruediv__(self, other: Any) -> Task:
        return self._operator("Div", other, self)

    def __floordiv__(self, other: Any) -> Task:
        return self._operator("FloorDiv", self, other)

    def __rfloordiv__(self, other: Any) -> Task:
        return self._operator("FloorDiv", other, self)

    def __mod__(self, other: Any) -> Task:
        return self._operator("Mod", self, other)

    def __rmod__(self, other: Any) -> Task:
        return self._operator("Mod", other, self)

    def __pow__(self, other: Any) -> Task:
        return self._operator("Pow", self, other)

    def __rpow__(self, other: Any) -> Task:
        return self._operator("Pow", other, self)

    def __and__(self, other: Any) -> Task:
        return self._operator("And", self, other)

    def __rand__(self, other: Any) -> Task:
        return self._operator("And", other, self)

    def __gt__(self, other: Any) -> Task:
        return self._operator("GreaterThan", self, other)

    def __ge__(self, other: Any) -> Task:
        return self._operator("GreaterThanOrEqual", self, other)

    def __lt__(self, other: Any) -> Task:
        return self._operator("LessThan", self, other)

    def __le__(self, other: Any) -> Task:
        return self._operator("LessThanOrEqual", self, other)

    def is_equal(self, other: Any) -> Task:
        """A task computing `self == other` at run time."""
        return self._operator("Equal", self, other)

    def is_not_equal(self, other: Any) -> Task:
        """A task computing `self != other` at run time."""
        return self._operator("NotEqual", self, other)

    def not_(self) -> Task:
        """A task computing `not self` at run time."""
        return self._operator("Not", self)

    def or_(self, other: Any) -> Task:
        """A task computing `self or other` at run time."""
        return self._operator("Or", self, other)

    def __or__(self, other: Any) -> Any:
        """`a | b` makes `b` depend on `a` (no data passed) and returns `b`."""
        self.set_dependencies(downstream_tasks=[other])
        return other

    def __ror__(self, other: Any) -> Task:
        self.set_dependencies(upstream_tasks=[other])
        return self
