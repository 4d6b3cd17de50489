"""Schemas for states: one per state class, chosen by `StateSchema` from the `"type"` key.

Every state dumps `context` (JSON-compatible values only), `message` (stringified),
`_result` and `cached_inputs` (result *metadata*: class and location, never the value),
then the extras of its class (`start_time`, `run_count`, `loop_count`, the wrapped
`state` of meta states, the cache fields of `Cached`, `n_map_states` of `Mapped`),
`__version__` and `type`.

Loading builds the same state class. What is lost: result values (a loaded state holds
`Result` objects with a location only; `state.load_result()` can read them back from
there) and the children of a `Mapped` state (`map_states` becomes `n_map_states`
placeholders `None`). Missing keys take the constructor defaults.
"""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, validate

from prefect_core.engine import state
from prefect_core.serialization.result import StateResultSchema
from prefect_core.utilities.serialization import JSONCompatible, ObjectSchema, OneOfSchema

__all__ = [
    "BaseStateSchema",
    "CachedSchema",
    "CancelledSchema",
    "CancellingSchema",
    "ClientFailedSchema",
    "FailedSchema",
    "FinishedSchema",
    "LoopedSchema",
    "MappedSchema",
    "MetaStateSchema",
    "PausedSchema",
    "PendingSchema",
    "QueuedSchema",
    "ResumeSchema",
    "RetryingSchema",
    "RunningSchema",
    "ScheduledSchema",
    "SkippedSchema",
    "StateSchema",
    "SubmittedSchema",
    "SuccessSchema",
    "TimedOutSchema",
    "TriggerFailedSchema",
    "ValidationFailedSchema",
]


class _Context(JSONCompatible):
    """A state's context: a dict of JSON-compatible values."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, dict):
            raise ValidationError("Not a valid mapping type.")
        return super()._deserialize(value, attr, data, **kwargs)


class BaseStateSchema(ObjectSchema):
    """The fields every state has."""

    class Meta:
        object_class = state.State

    context = _Context(allow_none=True)
    message = fields.String(allow_none=True)
    _result = fields.Nested(StateResultSchema, allow_none=True)
    cached_inputs = fields.Dict(
        keys=fields.Str(), values=fields.Nested(StateResultSchema), allow_none=True
    )

    def create_object(self, data: dict) -> state.State:
        data = dict(data)
        data["result"] = data.pop("_result", None)
        return super().create_object(data)


class PendingSchema(BaseStateSchema):
    """`Pending`."""

    class Meta:
        object_class = state.Pending


class MetaStateSchema(BaseStateSchema):
    """States wrapping another state (`state`)."""

    state = fields.Nested(lambda: StateSchema(), allow_none=True)


class ClientFailedSchema(MetaStateSchema):
    """`ClientFailed`."""

    class Meta:
        object_class = state.ClientFailed


class SubmittedSchema(MetaStateSchema):
    """`Submitted`."""

    class Meta:
        object_class = state.Submitted


class QueuedSchema(MetaStateSchema):
    """`Queued`."""

    class Meta:
        object_class = state.Queued

    start_time = fields.DateTime(allow_none=True)


class ScheduledSchema(PendingSchema):
    """`Scheduled`."""

    class Meta:
        object_class = state.Scheduled

    start_time = fields.DateTime(allow_none=True)


class ResumeSchema(ScheduledSchema):
    """`Resume`."""

    class Meta:
        object_class = state.Resume


class PausedSchema(ScheduledSchema):
    """`Paused`."""

    class Meta:
        object_class = state.Paused


class RetryingSchema(ScheduledSchema):
    """`Retrying`."""

    class Meta:
        object_class = state.Retrying

    run_count = fields.Integer(allow_none=True)


class RunningSchema(BaseStateSchema):
    """`Running`."""

    class Meta:
        object_class = state.Running


class CancellingSchema(RunningSchema):
    """`Cancelling`."""

    class Meta:
        object_class = state.Cancelling


class FinishedSchema(BaseStateSchema):
    """`Finished`."""

    class Meta:
        object_class = state.Finished


class LoopedSchema(BaseStateSchema):
    """`Looped`."""

    class Meta:
        object_class = state.Looped

    loop_count = fields.Integer(allow_none=False)


class SuccessSchema(FinishedSchema):
    """`Success`."""

    class Meta:
        object_class = state.Success


class CachedSchema(SuccessSchema):
    """`Cached`."""

    class Meta:
        object_class = state.Cached

    cached_parameters = JSONCompatible(allow_none=True)
    cached_result_expiration = fields.DateTime(allow_none=True)
    hashed_inputs = fields.Dict(keys=fields.Str(), values=fields.Str(), allow_none=True)


class MappedSchema(SuccessSchema):
    """`Mapped` keeps only the number of its children; `_result` is not dumped."""

    class Meta:
        object_class = state.Mapped
        exclude = ("_result",)

    n_map_states = fields.Integer(validate=validate.Range(min=0))

    def create_object(self, data: dict) -> state.Mapped:
        data = dict(data)
        count = data.pop("n_map_states", None) or 0
        data["map_states"] = [None] * count
        return super().create_object(data)


class SkippedSchema(SuccessSchema):
    """`Skipped`."""

    class Meta:
        object_class = state.Skipped


class CancelledSchema(FinishedSchema):
    """`Cancelled`."""

    class Meta:
        object_class = state.Cancelled


class FailedSchema(FinishedSchema):
    """`Failed`."""

    class Meta:
        object_class = state.Failed


class TimedOutSchema(FinishedSchema):
    """`TimedOut`."""

    class Meta:
        object_class = state.TimedOut


class TriggerFailedSchema(FailedSchema):
    """`TriggerFailed`."""

    class Meta:
        object_class = state.TriggerFailed


class ValidationFailedSchema(FailedSchema):
    """`ValidationFailed`."""

    class Meta:
        object_class = state.ValidationFailed


class StateSchema(OneOfSchema):
    """Any state, by class name (`State` itself is not registered)."""

    type_schemas = {
        "Cancelled": CancelledSchema,
        "Cached": CachedSchema,
        "ClientFailed": ClientFailedSchema,
        "Failed": FailedSchema,
        "Finished": FinishedSchema,
        "Looped": LoopedSchema,
        "Mapped": MappedSchema,
        "Paused": PausedSchema,
        "Pending": PendingSchema,
        "Queued": QueuedSchema,
        "Resume": ResumeSchema,
        "Retrying": RetryingSchema,
        "Running": RunningSchema,
        "Cancelling": CancellingSchema,
        "Scheduled": ScheduledSchema,
        "Skipped": SkippedSchema,
        "Submitted": SubmittedSchema,
        "Success": SuccessSchema,
        "TimedOut": TimedOutSchema,
        "TriggerFailed": TriggerFailedSchema,
        "ValidationFailed": ValidationFailedSchema,
    }
