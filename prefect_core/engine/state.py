"""States: what a task run or a flow run is doing, or how it ended.

Every run moves through state objects (`Pending` -> `Running` -> `Success`, ...). A state
is a small value object carrying:

* `message`: a human-readable reason (or an exception);
* `_result`: a `Result` wrapping the data (read through the `result` property);
* `context`: a dict of run metadata (tags, run counts) kept with the state;
* `cached_inputs`: the task inputs, as results, kept for reruns of mapped children.

The class hierarchy is the predicate table: `is_failed()` is `isinstance(self, Failed)`,
and so on, so a subclass is automatically counted as its parent. Class definition order
matters because `State.children()` walks subclasses in that order.

States are created on the hot path (one or more per task run), so constructors only copy
the given dicts and read one key (`task_tags`) from the context.

Equality compares the type, the result value and the public attributes other than
`context` and `message`; hashing is by identity, so equal states are still distinct
members of a set (triggers collect upstream states in sets).
"""

from __future__ import annotations

import copy
import datetime
from typing import Any

import cloudpickle

from prefect_core.engine.result import NoResult, Result
from prefect_core.utilities.context import context as _run_context
from prefect_core.utilities.context import thread_state as _thread_context

__all__ = [
    "Cached",
    "Cancelled",
    "Cancelling",
    "ClientFailed",
    "Failed",
    "Finished",
    "Looped",
    "Mapped",
    "Paused",
    "Pending",
    "Queued",
    "Resume",
    "Retrying",
    "Running",
    "Scheduled",
    "Skipped",
    "State",
    "Submitted",
    "Success",
    "TimedOut",
    "TriggerFailed",
    "ValidationFailed",
]

_UTC = datetime.UTC
# Attributes that never take part in equality, besides private ones.
_NOT_COMPARED = frozenset({"context", "message"})


def _as_aware(value: datetime.datetime) -> datetime.datetime:
    """Return `value`, reading a naive datetime as UTC."""
    return value.replace(tzinfo=_UTC) if value.tzinfo is None else value


class State:
    """Base class of all states.

    Args:
        message: a human-readable reason, or an exception.
        result: the data; a `Result` is kept as is, anything else is wrapped in one,
            and `None` means `NoResult`.
        context: run metadata for this state (copied).
        cached_inputs: the task's inputs as `Result`s (copied).
    """

    color = "#696969"

    def __init__(
        self,
        message: Any = None,
        result: Any = None,
        context: dict[str, Any] | None = None,
        cached_inputs: dict[str, Result] | None = None,
    ) -> None:
        # States are made several times per task run: keep this constructor lean.
        self.message = message
        if result is None:
            self._result = NoResult
        elif isinstance(result, Result):
            self._result = result
        else:
            self._result = Result(value=result)
        task_tags = _thread_context.current.get("task_tags")
        if context:
            self.context: dict[str, Any] = dict(context)
            if task_tags is not None:
                self.context.setdefault("tags", list(task_tags))
        else:
            self.context = {} if task_tags is None else {"tags": list(task_tags)}
        self.cached_inputs: dict[str, Result] = dict(cached_inputs) if cached_inputs else {}

    @property
    def result(self) -> Any:
        """The data: the wrapped result's `value` (or the wrapper itself if it has none)."""
        return getattr(self._result, "value", self._result)

    @result.setter
    def result(self, value: Any) -> None:
        self._result = value if isinstance(value, Result) else Result(value=value)

    def __repr__(self) -> str:
        if self.message is None:
            return f"<{type(self).__name__}>"
        return f'<{type(self).__name__}: "{self.message}">'

    def __eq__(self, other: object) -> bool:
        if type(self) is not type(other):
            return False
        if not self.result == other.result:
            return False
        return self._compared_attributes() == other._compared_attributes()

    def __hash__(self) -> int:
        return id(self)

    def _compared_attributes(self) -> dict[str, Any]:
        return {
            name: value
            for name, value in vars(self).items()
            if not name.startswith("_") and name not in _NOT_COMPARED
        }

    def __getstate__(self) -> dict[str, Any]:
        """Pickle support: an unpicklable exception result is replaced by its description.

        States cross process boundaries (Dask); an exception holding e.g. a lock or a
        socket would make the whole state unpicklable, so the pickled copy carries the
        string `"The following exception could not be pickled due to <err>: <exc>"`.
        The live state is left unchanged.
        """
        attributes = self.__dict__.copy()
        value = getattr(self._result, "value", None)
        if isinstance(value, BaseException) and not _is_state_signal(value):
            try:
                cloudpickle.dumps(value)
            except Exception as err:
                replacement = copy.copy(self._result)
                replacement.value = (
                    f"The following exception could not be pickled due to {err!r}: {value!r}"
                )
                attributes["_result"] = replacement
        return attributes

    def load_result(self, result: Result | None = None) -> State:
        """Read the data of a state that only knows where its result is stored.

        A `Mapped` state loads each child and sets its own result to the list of the
        children's results. Otherwise, when the value is `None` and a location is known,
        the result is replaced by `(result or self._result).read(location)`.

        Returns this state, loaded in place.
        """
        if self.is_mapped():
            for child in self.map_states:
                child.load_result(result)
            self.result = [child.result for child in self.map_states]
        elif self._result.value is None and self._result.location is not None:
            reader = result if result is not None else self._result
            self._result = reader.read(self._result.location)
        return self

    def load_cached_results(self, results: dict[str, Result] | None = None) -> State:
        """Read every stored entry of `cached_inputs`, as `load_result` does for the result.

        Args:
            results: per-input readers; an input without one is read by its own result.

        Returns this state, loaded in place.
        """
        readers = results or {}
        for name, cached in self.cached_inputs.items():
            if cached.value is None and cached.location is not None:
                reader = readers.get(name, cached)
                self.cached_inputs[name] = reader.read(cached.location)
        return self

    @classmethod
    def children(
        cls, include_self: bool = False, names_only: bool = False
    ) -> list[type[State]] | list[str]:
        """All public subclasses, depth first in definition order (`include_self` appends this
        class); private classes are skipped but their subclasses are included."""
        found: list[type[State]] = []

        def walk(klass: type[State]) -> None:
            for subclass in klass.__subclasses__():
                if not subclass.__name__.startswith("_"):
                    found.append(subclass)
                walk(subclass)

        walk(cls)
        if include_self:
            found.append(cls)
        return [klass.__name__ for klass in found] if names_only else found

    @classmethod
    def parents(
        cls, include_self: bool = False, names_only: bool = False
    ) -> list[type[State]] | list[str]:
        """The public base classes, nearest first (`include_self` puts this class first)."""
        found = [
            klass
            for klass in cls.__mro__
            if klass is not object
            and (include_self or klass is not cls)
            and not klass.__name__.startswith("_")
        ]
        return [klass.__name__ for klass in found] if names_only else found

    def _repr_html_(self) -> str | None:
        """Jupyter's display of a flow state: an HTML table of its task states."""
        from prefect_core.utilities.notebook import state_html

        return state_html(self)

    def serialize(self) -> dict[str, Any]:
        """Dump this state with `StateSchema` (result values are not included)."""
        from prefect_core.serialization.state import StateSchema

        return StateSchema().dump(self)

    @staticmethod
    def deserialize(json_blob: dict[str, Any]) -> State:
        """Load a state dumped by `serialize`."""
        from prefect_core.serialization.state import StateSchema

        return StateSchema().load(json_blob)

    def is_pending(self) -> bool:
        """`Pending` and its subclasses (`Scheduled`, `Paused`, `Resume`, `Retrying`)."""
        return isinstance(self, Pending)

    def is_scheduled(self) -> bool:
        """`Scheduled` and its subclasses, and `Queued`."""
        return isinstance(self, (Scheduled, Queued))

    def is_retrying(self) -> bool:
        """`Retrying`."""
        return isinstance(self, Retrying)

    def is_queued(self) -> bool:
        """`Queued`."""
        return isinstance(self, Queued)

    def is_submitted(self) -> bool:
        """`Submitted`."""
        return isinstance(self, Submitted)

    def is_running(self) -> bool:
        """`Running` and `Cancelling`."""
        return isinstance(self, Running)

    def is_finished(self) -> bool:
        """`Finished` and every subclass (including `Looped`, `Cancelled`, `Skipped`)."""
        return isinstance(self, Finished)

    def is_looped(self) -> bool:
        """`Looped`."""
        return isinstance(self, Looped)

    def is_successful(self) -> bool:
        """`Success`, `Cached`, `Mapped` and `Skipped`."""
        return isinstance(self, Success)

    def is_cached(self) -> bool:
        """`Cached`."""
        return isinstance(self, Cached)

    def is_mapped(self) -> bool:
        """`Mapped`."""
        return isinstance(self, Mapped)

    def is_skipped(self) -> bool:
        """`Skipped`."""
        return isinstance(self, Skipped)

    def is_failed(self) -> bool:
        """`Failed`, `TimedOut`, `TriggerFailed` and `ValidationFailed`."""
        return isinstance(self, Failed)

    def is_meta_state(self) -> bool:
        """The wrapper states `ClientFailed`, `Submitted` and `Queued`."""
        return isinstance(self, _MetaState)


def _is_state_signal(value: BaseException) -> bool:
    # Imported here: the signals module builds states, so it imports this one.
    from prefect_core.engine.signals import PrefectStateSignal

    return isinstance(value, PrefectStateSignal)


class Pending(State):
    """Waiting to run."""

    color = "#7ebdff"

    def __init__(
        self,
        message: Any = None,
        result: Any = None,
        cached_inputs: dict[str, Result] | None = None,
        context: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message, result, context, cached_inputs)


class Scheduled(Pending):
    """Waiting to run at `start_time` (an aware datetime; default now).

    The current `task_run_count`, if any, is recorded in the state's context.
    """

    color = "#ffab00"

    def __init__(
        self,
        message: Any = None,
        result: Any = None,
        start_time: datetime.datetime | None = None,
        cached_inputs: dict[str, Result] | None = None,
        context: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message, result, cached_inputs, context)
        self.start_time = self._start_time(start_time)
        run_count = _run_context.get("task_run_count")
        if run_count is not None:
            self.context["task_run_count"] = run_count

    @staticmethod
    def _start_time(start_time: datetime.datetime | None) -> datetime.datetime | None:
        if start_time is None:
            return datetime.datetime.now(_UTC)
        return _as_aware(start_time)


class Paused(Scheduled):
    """Waiting for a manual resume; without a `start_time` it waits indefinitely."""

    color = "#99a8e8"

    @staticmethod
    def _start_time(start_time: datetime.datetime | None) -> datetime.datetime | None:
        return None if start_time is None else _as_aware(start_time)


class Resume(Scheduled):
    """Resumed after a pause: the next run skips the `manual_only` trigger."""

    color = "#f58c0c"


class Retrying(Scheduled):
    """Failed, and waiting to run again at `start_time`.

    `run_count` is the number of the attempt that failed (default: the context's
    `task_run_count`, else 1).
    """

    color = "#f66a0a"

    def __init__(
        self,
        message: Any = None,
        result: Any = None,
        start_time: datetime.datetime | None = None,
        cached_inputs: dict[str, Result] | None = None,
        context: dict[str, Any] | None = None,
        run_count: int | None = None,
    ) -> None:
        super().__init__(message, result, start_time, cached_inputs, context)
        self.run_count = (
            run_count if run_count is not None else _run_context.get("task_run_count", 1)
        )


class _MetaState(State):
    """A state wrapping another state (`state`), e.g. "submitted while Retrying".

    Nested meta states are unwrapped: the wrapped state is never itself a meta state.
    """

    def __init__(
        self,
        message: Any = None,
        result: Any = None,
        state: State | None = None,
        context: dict[str, Any] | None = None,
        cached_inputs: dict[str, Result] | None = None,
    ) -> None:
        super().__init__(message, result, context, cached_inputs)
        self.state = state

    @property
    def state(self) -> State | None:
        """The wrapped (non-meta) state."""
        return self._state

    @state.setter
    def state(self, value: State | None) -> None:
        while isinstance(value, _MetaState):
            value = value.state
        self._state = value


class ClientFailed(_MetaState):
    """A backend call failed while the run was in `state` (never produced locally)."""

    color = "#eb0000"


class Submitted(_MetaState):
    """Submitted for execution while in `state`."""

    color = "#ffdf5d"


class Queued(_MetaState):
    """Waiting for an execution slot while in `state`; retried at `start_time` (default now)."""

    color = "#ffea7f"

    def __init__(
        self,
        message: Any = None,
        result: Any = None,
        state: State | None = None,
        start_time: datetime.datetime | None = None,
        context: dict[str, Any] | None = None,
        cached_inputs: dict[str, Result] | None = None,
    ) -> None:
        super().__init__(message, result, state, context, cached_inputs)
        self.start_time = start_time if start_time is not None else datetime.datetime.now(_UTC)


class Running(State):
    """Running now."""

    color = "#3d67ff"


class Cancelling(Running):
    """Running, with a cancellation requested."""

    color = "#E8E8E8"


class Finished(State):
    """Done, whatever the outcome."""

    color = "#003ccb"


class Looped(Finished):
    """One iteration of a looping task finished; the next one follows.

    `loop_count` is the iteration number (default: the context's `task_loop_count`, else 1).
    """

    color = "#003ccb"

    def __init__(
        self,
        message: Any = None,
        result: Any = None,
        loop_count: int | None = None,
        context: dict[str, Any] | None = None,
        cached_inputs: dict[str, Result] | None = None,
    ) -> None:
        super().__init__(message, result, context, cached_inputs)
        self.loop_count = (
            loop_count if loop_count is not None else _run_context.get("task_loop_count", 1)
        )


class Success(Finished):
    """Finished successfully."""

    color = "#28a745"


class Cached(Success):
    """Finished successfully; the result may be reused by later runs.

    Args:
        cached_parameters: the flow parameters of the run that produced it.
        cached_result_expiration: when the cache stops being valid (aware datetime; a naive
            one is read as UTC), or `None` for never.
        hashed_inputs: input name -> `dask.base.tokenize` token of the input value.
    """

    color = "#34d058"

    def __init__(
        self,
        message: Any = None,
        result: Any = None,
        cached_inputs: dict[str, Result] | None = None,
        cached_parameters: dict[str, Any] | None = None,
        cached_result_expiration: datetime.datetime | None = None,
        context: dict[str, Any] | None = None,
        hashed_inputs: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message, result, context, cached_inputs)
        self.cached_parameters = cached_parameters
        self.cached_result_expiration = (
            None if cached_result_expiration is None else _as_aware(cached_result_expiration)
        )
        self.hashed_inputs = hashed_inputs


class Mapped(Success):
    """A mapped task finished spawning its children, whose states are `map_states`.

    `n_map_states` is the number of children: the value given, if non-zero, else
    `len(map_states)` (a deserialized `Mapped` knows the count but not the children).
    """

    color = "#003ccb"

    def __init__(
        self,
        message: Any = None,
        result: Any = None,
        map_states: list[State] | None = None,
        context: dict[str, Any] | None = None,
        cached_inputs: dict[str, Result] | None = None,
        n_map_states: int | None = None,
    ) -> None:
        super().__init__(message, result, context, cached_inputs)
        self.map_states: list[State] = map_states if map_states is not None else []
        self._n_map_states = n_map_states

    @property
    def n_map_states(self) -> int:
        """The number of mapped children."""
        return self._n_map_states or len(self.map_states)

    @n_map_states.setter
    def n_map_states(self, value: int | None) -> None:
        self._n_map_states = value


class Skipped(Success):
    """Not run (a `SKIP` signal, skipped upstreams, or a `case` branch not taken); counts as
    a success."""

    color = "#62757f"


class Cancelled(Finished):
    """Cancelled: finished, neither successful nor failed."""

    color = "#bdbdbd"


class Failed(Finished):
    """Finished with an error (the exception is usually the result)."""

    color = "#eb0000"

    def __init__(
        self,
        message: Any = None,
        result: Any = None,
        cached_inputs: dict[str, Result] | None = None,
        context: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message, result, context, cached_inputs)


class TimedOut(Failed):
    """Failed because the task ran longer than its `timeout`."""

    color = "#ff4e33"


class TriggerFailed(Failed):
    """Not run because the task's trigger refused the upstream states."""

    color = "#ff5131"


class ValidationFailed(Failed):
    """Failed a user validation (`VALIDATIONFAIL`)."""

    color = "#ff5131"
