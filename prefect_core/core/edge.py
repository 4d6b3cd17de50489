"""`Edge`: a directed, optionally keyed connection from one task to another."""

from __future__ import annotations

import keyword
from typing import TYPE_CHECKING, Any

from prefect_core.core.task import Task
from prefect_core.utilities.edges import EdgeAnnotation
from prefect_core.utilities.tasks import as_task

if TYPE_CHECKING:
    from prefect_core.core.flow import Flow


def is_valid_identifier(string: str) -> bool:
    """True when `string` can be a keyword argument name (an identifier, not a keyword)."""
    return string.isidentifier() and not keyword.iskeyword(string)


# Keys already found valid: a flow uses a handful of keys, each on many edges.
_valid_keys: set[str] = set()


def check_key(key: Any) -> None:
    """Raise `ValueError` unless `key` can name a keyword argument of `run`."""
    if type(key) is str and key in _valid_keys:
        return
    if not (isinstance(key, str) and is_valid_identifier(key)):
        raise ValueError(f'Key must be a valid identifier (received "{key}")')
    if len(_valid_keys) < 10_000:  # bounded: keys generated on the fly must not pile up
        _valid_keys.add(key)


class Edge:
    """An edge from `upstream_task` to `downstream_task`.

    A `key` makes it a data edge: the upstream result is passed to the downstream task's
    `run` under that keyword. `mapped` edges map the downstream task over the upstream
    result; `flattened` edges un-nest it first. Edge annotations on either end
    (`mapped`, `unmapped`, `flatten`) override the flags; non-task ends are converted
    with `as_task`, which may add constant or collection tasks to `flow`.
    """

    __slots__ = ("upstream_task", "downstream_task", "key", "mapped", "flattened", "_hash")

    def __init__(
        self,
        upstream_task: Any,
        downstream_task: Any,
        key: str | None = None,
        mapped: bool | None = None,
        flattened: bool | None = None,
        flow: Flow | None = None,
    ) -> None:
        if upstream_task is downstream_task:
            raise ValueError("Edges can not connect a task to itself.")
        if key is not None:
            check_key(key)

        mapped = mapped or False
        flattened = flattened or False
        if not (isinstance(upstream_task, Task) and isinstance(downstream_task, Task)):
            annotations: dict[str, bool] = {}
            for end in (upstream_task, downstream_task):
                if isinstance(end, EdgeAnnotation):
                    annotations.update(end.annotations)
            mapped = annotations.get("mapped", mapped)
            flattened = annotations.get("flattened", flattened)
            upstream_task = as_task(upstream_task, flow=flow)
            downstream_task = as_task(downstream_task, flow=flow)

        self.upstream_task: Task = upstream_task
        self.downstream_task: Task = downstream_task
        self.key = key
        self.mapped: bool = mapped
        self.flattened: bool = flattened
        # Edges are dictionary keys on the engine's hot path: hash them once
        # (the tuple is `_identity()`, spelled out because this runs once per edge).
        self._hash = hash((id(upstream_task), id(downstream_task), key, mapped, flattened))

    @property
    def tasks(self) -> set[Task]:
        """Both ends of the edge."""
        return {self.upstream_task, self.downstream_task}

    def _identity(self) -> tuple:
        return (
            id(self.upstream_task),
            id(self.downstream_task),
            self.key,
            self.mapped,
            self.flattened,
        )

    def __eq__(self, other: object) -> bool:
        if type(self) is not type(other):
            return NotImplemented
        return self._identity() == other._identity()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return self._hash

    def __getstate__(self) -> dict:
        return {name: getattr(self, name) for name in self.__slots__ if name != "_hash"}

    def __setstate__(self, state: dict) -> None:
        for name, value in state.items():
            setattr(self, name, value)
        self._hash = hash(self._identity())

    def __repr__(self) -> str:
        return (
            f"<Edge(key={self.key}, mapped={self.mapped}, flattened={self.flattened}): "
            f"{self.upstream_task.name} to {self.downstream_task.name}>"
        )

    def serialize(self) -> dict:
        """This edge as a JSON-compatible dict (see `prefect_core.serialization.edge`)."""
        from prefect_core.serialization.edge import EdgeSchema

        return EdgeSchema().dump(self)
