"""Mapping: how wide a mapped task is, and what each of its children receives.

A mapped task runs in two parts (see `docs/mapping.md`):

1. the **parent** run decides the width: `map_width` looks at the upstream states on the
   mapped edges (a `Mapped` upstream counts its children, any other successful upstream
   the length of its result) and the shortest one wins;
2. each **child** `i` then runs the whole task pipeline on its own upstream states: a
   mapped edge from a `Mapped` upstream gives that upstream's child `i`; a mapped edge
   from any other state gives a copy of it holding item `i` of its result
   (`state_for_map_index`); an unmapped edge gives the whole state (a reduce when the
   upstream is `Mapped`).

`flatten(...)` edges are resolved once per task run, before either part:
`flatten_upstream_state` concatenates an ordinary upstream's result, and
`flatten_mapped_children` turns a mapped upstream's children into one state per item.

The functions here never wait on anything: they take states and return states, so
they run wherever a task run runs (inline, or on a Dask worker).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from prefect_core.engine.result import NoResult, Result
from prefect_core.engine.state import Failed, Mapped, State
from prefect_core.utilities.logging import get_logger

if TYPE_CHECKING:
    from prefect_core.core.edge import Edge
    from prefect_core.core.task import Task

UNMAPPABLE_MESSAGE = "At least one upstream state has an unmappable result."
NOTHING_TO_MAP_MESSAGE = "No upstream states can be mapped over."


def map_width(task: Task, upstream_states: dict[Edge, State]) -> State:
    """The parent's state: `Mapped(n_map_states=width)`, or `Failed` when it cannot map.

    The width is the shortest of the mapped inputs whose upstream succeeded; failed
    upstreams do not limit it (their children receive the failure).
    """
    width: int | None = None
    for edge, upstream_state in upstream_states.items():
        if not edge.mapped or not upstream_state.is_successful():
            continue
        if upstream_state.is_mapped():
            length = upstream_state.n_map_states  # type: ignore[attr-defined]
        else:
            length = _mappable_length(task, edge, upstream_state.result)
            if isinstance(length, State):
                return length
        width = length if width is None else min(width, length)
    if width is None and upstream_states:
        return Failed(NOTHING_TO_MAP_MESSAGE)
    return Mapped("Ready to proceed with mapping.", n_map_states=width or 0)


def _mappable_length(task: Task, edge: Edge, value: Any) -> int | State:
    """`len(value)` when children can index it, else the `Failed` state saying why."""
    argument = (
        f"argument '{edge.key}'" if edge.key is not None
        else f"upstream task '{edge.upstream_task.name}'"
    )
    if isinstance(value, Mapping):
        return Failed(
            f"Task '{task.name}' cannot map over {argument}: it is a "
            f"{type(value).__name__}; map over a list of its keys, values or items instead "
            "(e.g. `list(d.items())`)."
        )
    try:
        value.__getitem__  # noqa: B018 - only sequences can be indexed by child
        return len(value)
    except (AttributeError, TypeError):
        return Failed(
            f"{UNMAPPABLE_MESSAGE} Task '{task.name}' cannot map over {argument}: "
            f"its value, of type {type(value).__name__}, cannot be indexed."
        )


def state_for_map_index(state: State, map_index: int) -> State:
    """A copy of an (unmapped) upstream state holding item `map_index` of its result.

    A result that cannot be indexed (e.g. the exception of a failed upstream) gives
    `None`. The copy is shallow and skips `__init__`: this runs once per child and input.
    """
    try:
        item = state._result.value[map_index]
    except (TypeError, IndexError, KeyError, AttributeError):
        item = None
    return _copy_holding(state, item)


def _copy_holding(state: State, value: Any) -> State:
    """A shallow copy of `state` (skipping `__init__`) whose result holds `value`."""
    copied = object.__new__(type(state))
    copied.__dict__.update(state.__dict__)
    copied._result = _result_holding(state._result, value)
    return copied


def _result_holding(result: Any, value: Any) -> Result:
    """A copy of `result` (same class and serializer) holding `value` and no location."""
    if result is NoResult:
        return Result(value=value)
    copied = object.__new__(type(result))
    copied.__dict__.update(result.__dict__)
    copied.value = value
    copied.location = None
    return copied


def flatten_upstream_state(state: State) -> State:
    """An ordinary upstream's state with its result concatenated one level.

    A result that is not a sequence of sequences leaves the state unchanged (a mapped
    edge then fails as unmappable).
    """
    try:
        flat = [item for inner in state._result.value for item in inner]
    except TypeError:
        return state
    return _copy_holding(state, flat)


def flatten_mapped_children(children: list[State]) -> list[State]:
    """A mapped upstream's children, each successful sequence result expanded into one
    state per item; failed or skipped children (and non-sequences) keep one slot."""
    expanded: list[State] = []
    for child in children:
        value = child._result.value
        if child.is_successful() and not child.is_skipped():
            if hasattr(value, "__len__") and hasattr(value, "__getitem__"):
                expanded.extend(state_for_map_index(child, i) for i in range(len(value)))
                continue
            get_logger("FlowRunner").warning(
                "`flatten` was used on upstream task that did not return an iterable. "
                "The value will be passed downstream unmodified."
            )
        expanded.append(child)
    return expanded


def expanded_states(states: Iterable[State]) -> set[State]:
    """The distinct states, each `Mapped` one replaced by its children (what triggers and
    the flow's final state judge). States hash by identity, so a state reached twice
    counts once."""
    expanded: set[State] = set()
    for state in states:
        if isinstance(state, Mapped):
            expanded.update(state.map_states)
        else:
            expanded.add(state)
    return expanded


def with_children(parent: State, children: list[State]) -> Mapped:
    """A copy of a `Mapped` parent holding `children` and their results (a reduce input)."""
    copied = _copy_holding(parent, [child.result for child in children])
    copied.map_states = children  # type: ignore[attr-defined]
    copied._n_map_states = len(children)  # type: ignore[attr-defined]
    return copied  # type: ignore[return-value]


__all__ = [
    "expanded_states",
    "flatten_mapped_children",
    "flatten_upstream_state",
    "map_width",
    "state_for_map_index",
    "with_children",
]
