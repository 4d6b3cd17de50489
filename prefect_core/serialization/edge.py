"""`EdgeSchema`: an edge as the slugs of its two tasks plus its key and flags.

The tasks of a loaded edge come from the load's slug cache (see `serialization.task`):
loading a flow ties edges to the flow's tasks; loading an edge on its own makes bare
`Task` objects carrying the slugs.
"""

from __future__ import annotations

from marshmallow import fields

from prefect_core.core.edge import Edge
from prefect_core.serialization.task import TaskSchema
from prefect_core.utilities.serialization import ObjectSchema

__all__ = ["EdgeSchema"]


class EdgeSchema(ObjectSchema):
    """`{"upstream_task": {"slug": ...}, "downstream_task": {...}, "key", "mapped",
    "flattened"}`; loads an `Edge`."""

    class Meta:
        object_class = Edge

    upstream_task = fields.Nested(TaskSchema, only=["slug"], required=True)
    downstream_task = fields.Nested(TaskSchema, only=["slug"], required=True)
    key = fields.String(allow_none=True)
    mapped = fields.Boolean(allow_none=True)
    flattened = fields.Boolean(allow_none=True)
