"""Schemas for the `Result` objects held by states: their type and where the data lives.

A result's *value* is never serialized, only its class and location (plus `dir` for a
`LocalResult`). `StateResultSchema` picks the schema by class name:

| `type` | dumped keys | loads as |
| --- | --- | --- |
| `Result`, `PrefectResult`, `ConstantResult` | `location` | the same class |
| `LocalResult` | `dir`, `location` | `LocalResult` (the folder is not checked or created) |
| `NoResultType` | none | the `NoResult` singleton |
| `SecretResult` | `location`, `secret_type` | base `Result` (the secret tasks are out of scope) |
| `AzureResult`, `GCSResult`, `S3Result` | `container` / `bucket`, `location` | base `Result` |
| `CustomResult` (any other class) | `location`, `type` | base `Result` |

A payload of an unknown type loads as a base `Result` with its `location`.
"""

from __future__ import annotations

from typing import Any

from marshmallow import fields

from prefect_core.engine.result import NoResult, Result
from prefect_core.engine.results import ConstantResult, LocalResult, PrefectResult
from prefect_core.utilities.serialization import ObjectSchema, OneOfSchema, to_qualified_name

__all__ = [
    "AzureResultSchema",
    "ConstantResultSchema",
    "CustomResultSchema",
    "GCSResultSchema",
    "LocalResultSchema",
    "NoResultSchema",
    "PrefectResultSchema",
    "ResultSchema",
    "S3ResultSchema",
    "SecretResultSchema",
    "StateResultSchema",
]


class _LocatedOnlySchema(ObjectSchema):
    """Loads a base `Result` holding only the location (for classes not implemented here)."""

    def create_object(self, data: dict) -> Result:
        return Result(location=data.get("location"))


class ResultSchema(ObjectSchema):
    """A base `Result`: its location."""

    class Meta:
        object_class = Result

    location = fields.Str(allow_none=True)


class NoResultSchema(ObjectSchema):
    """`NoResult`: no fields; loads the singleton."""

    class Meta:
        object_class = None

    def create_object(self, data: dict) -> Result:
        return NoResult


class CustomResultSchema(_LocatedOnlySchema):
    """A result class without a schema of its own: its location and qualified class name."""

    location = fields.Str(allow_none=True)
    type = fields.Function(lambda result: to_qualified_name(type(result)), lambda value: value)


class PrefectResultSchema(ObjectSchema):
    """A `PrefectResult`, whose location is the JSON text of its value."""

    class Meta:
        object_class = PrefectResult

    location = fields.Str(allow_none=True)


class ConstantResultSchema(ObjectSchema):
    """A `ConstantResult` (its value is not kept)."""

    class Meta:
        object_class = ConstantResult

    location = fields.Str(allow_none=True)


class LocalResultSchema(ObjectSchema):
    """A `LocalResult`: its folder and file location."""

    class Meta:
        object_class = LocalResult

    dir = fields.Str(allow_none=False)
    location = fields.Str(allow_none=True)

    def create_object(self, data: dict) -> LocalResult:
        return super().create_object({**data, "validate_dir": False})


class SecretResultSchema(_LocatedOnlySchema):
    """A `SecretResult`: the secret's name and the class name of its secret task."""

    location = fields.Str(allow_none=True)
    secret_type = fields.Function(
        lambda result: type(result.secret_task).__name__, lambda value: value
    )


class AzureResultSchema(_LocatedOnlySchema):
    """Prefect 1.4.1's `AzureResult` (out of scope here)."""

    container = fields.Str(allow_none=False)
    location = fields.Str(allow_none=True)


class GCSResultSchema(_LocatedOnlySchema):
    """Prefect 1.4.1's `GCSResult` (out of scope here)."""

    bucket = fields.Str(allow_none=False)
    location = fields.Str(allow_none=True)


class S3ResultSchema(_LocatedOnlySchema):
    """Prefect 1.4.1's `S3Result` (out of scope here)."""

    bucket = fields.Str(allow_none=False)
    location = fields.Str(allow_none=True)


class StateResultSchema(OneOfSchema):
    """Any result, by class name; unregistered classes are `CustomResult`."""

    type_schemas = {
        "Result": ResultSchema,
        "CustomResult": CustomResultSchema,
        "AzureResult": AzureResultSchema,
        "ConstantResult": ConstantResultSchema,
        "GCSResult": GCSResultSchema,
        "LocalResult": LocalResultSchema,
        "PrefectResult": PrefectResultSchema,
        "S3Result": S3ResultSchema,
        "SecretResult": SecretResultSchema,
        "NoResultType": NoResultSchema,
    }

    def get_obj_type(self, obj: Any) -> str:
        name = type(obj).__name__
        return name if name in self.type_schemas else "CustomResult"

    def get_data_type(self, data: Any) -> str:
        name = data.get(self.type_field)
        return name if isinstance(name, str) and name in self.type_schemas else "CustomResult"
