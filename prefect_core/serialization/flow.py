"""`FlowSchema` and `Flow.serialize`: a flow's structure as a JSON-compatible dict.

The payload (keys in this order): `name`, `type`, `schedule`, `parameters`, `tasks`,
`edges`, `reference_tasks`, `run_config` (always `null`), `__version__` and, from
`Flow.serialize`, `storage` (always `null`). Every list is sorted by slug, so the same
structure always gives the same payload and `Flow.serialized_hash`.

What is not serialized: task code, `flow.constants` (plain values passed to tasks),
results' values, executors, state handlers, storage and run configs. A loaded flow has
the same names, slugs, tags, settings, edges, reference tasks and schedule, but its tasks
are base `Task`s (`Parameter`s stay parameters): running it does nothing useful. Use
`Flow.save` / `Flow.load` to keep a runnable flow.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from marshmallow import fields

from prefect_core.core.flow import Flow
from prefect_core.serialization.edge import EdgeSchema
from prefect_core.serialization.schedule import ScheduleSchema
from prefect_core.serialization.task import ParameterSchema, TaskSchema
from prefect_core.utilities.serialization import Nested, ObjectSchema, to_qualified_name

if TYPE_CHECKING:
    from prefect_core.core.task import Task

__all__ = ["FlowSchema", "serialize_flow", "serialized_flow_hash"]


def _slug(flow: Any, task: Task) -> str:
    """The task's slug attribute (set by `serialize_flow`), else its slug in the flow."""
    if task.slug is not None:
        return task.slug
    slugs = getattr(flow, "slugs", None)
    return (slugs or {}).get(task, "")


def _get(flow: Any, name: str) -> Any:
    if isinstance(flow, dict):
        return flow.get(name, [])
    return getattr(flow, name)


def get_parameters(flow: Any, context: dict) -> list:
    """The flow's parameters, sorted by slug."""
    parameters = flow.parameters() if isinstance(flow, Flow) else _get(flow, "parameters")
    return sorted(parameters, key=lambda task: _slug(flow, task))


def get_tasks(flow: Any, context: dict) -> list:
    """Every task of the flow (parameters and auto-generated tasks included), by slug."""
    return sorted(_get(flow, "tasks"), key=lambda task: _slug(flow, task))


def get_edges(flow: Any, context: dict) -> list:
    """The flow's edges, sorted by upstream slug, downstream slug and key."""
    return sorted(
        _get(flow, "edges"),
        key=lambda edge: (
            _slug(flow, edge.upstream_task),
            _slug(flow, edge.downstream_task),
            edge.key or "",
        ),
    )


def get_reference_tasks(flow: Any, context: dict) -> list:
    """The explicitly set reference tasks (none when they default to the terminal tasks)."""
    explicit = flow._reference_tasks if isinstance(flow, Flow) else _get(flow, "reference_tasks")
    return sorted(explicit, key=lambda task: _slug(flow, task))


class AlwaysNull(fields.Field):
    """Storage and run configs are out of scope: always dumped as `null`, ignored on load."""

    _CHECK_ATTRIBUTE = False

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> None:
        return None

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> None:
        return None


class FlowSchema(ObjectSchema):
    """A flow's structure; loads a `Flow` of base tasks, parameters and edges.

    Fields load in declaration order: parameters come before tasks, so a parameter's slug
    in the task list resolves to the `Parameter` already loaded.
    """

    class Meta:
        object_class = Flow
        exclude_fields = [
            "type",
            "parameters",
            "project",
            "version",
            "description",
            "run_config",
            "storage",
        ]

    # Prefect 1.4.1 declared these; `Flow` has no such attributes, so they are never dumped.
    project = fields.String(allow_none=True)
    name = fields.String(required=True)
    version = fields.String(allow_none=True)
    description = fields.String(allow_none=True)
    type = fields.Function(lambda flow: to_qualified_name(type(flow)), lambda value: value)
    schedule = fields.Nested(ScheduleSchema, allow_none=True)
    parameters = Nested(ParameterSchema, value_selection_fn=get_parameters, many=True)
    tasks = Nested(TaskSchema, value_selection_fn=get_tasks, many=True)
    edges = Nested(EdgeSchema, value_selection_fn=get_edges, many=True)
    reference_tasks = Nested(
        TaskSchema, value_selection_fn=get_reference_tasks, many=True, only=["slug"]
    )
    run_config = AlwaysNull(allow_none=True)
    storage = AlwaysNull(allow_none=True)

    def create_object(self, data: dict) -> Flow:
        # Tasks load as base `Task`s, whose `run` takes no arguments: validating keyed
        # edges against it would fail.
        return super().create_object({**data, "validate": False})


def serialize_flow(flow: Flow, build: bool = False) -> dict:
    """`Flow.serialize`: validate the flow, give every task its slug, dump it.

    As in Prefect 1.4.1, each task's `slug` attribute is set to its slug in the flow
    (and keeps it afterwards). `build=True` needs storage, which prefect_core does not
    implement: without storage it raises `ValueError("This flow has no storage to
    build")`, with storage `NotImplementedError`.
    """
    flow.validate()
    for task, slug in flow.slugs.items():
        task.slug = slug
    serialized = FlowSchema(exclude=["storage"]).dump(flow)
    if build:
        if not flow.storage:
            raise ValueError("This flow has no storage to build")
        raise NotImplementedError(
            "Building flow storage is not supported by prefect_core: storage is out of "
            "scope. Use `flow.serialize()` without `build`, or `flow.save()` to keep a "
            "runnable flow."
        )
    serialized["storage"] = None
    return serialized


def serialized_flow_hash(flow: Flow, build: bool = False) -> str:
    """`Flow.serialized_hash`: SHA-256 of the payload dumped as JSON with sorted keys."""
    payload = json.dumps(serialize_flow(flow, build), sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()
