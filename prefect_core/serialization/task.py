"""Schemas for tasks and parameters: their settings, not their code.

`TaskSchema` dumps a task's class name, name, slug, tags, retry, timeout, trigger and
cache settings, and describes its inputs and output; it always loads a **base** `Task`
with the same settings (the class named in `"type"` is not looked up, so nothing a payload
names is imported or run). `ParameterSchema` dumps and loads `Parameter`s.

Within one top-level `load` call, tasks are cached by slug: a slug seen again (in an edge,
in the reference tasks, or a parameter also listed among the tasks) gives back the same
object. A task without a slug is never cached.
"""

from __future__ import annotations

import datetime
from typing import Any

from marshmallow import ValidationError, fields

from prefect_core import triggers
from prefect_core.core.parameter import Parameter
from prefect_core.core.task import Task
from prefect_core.engine import cache_validators
from prefect_core.utilities.serialization import (
    JSONCompatible,
    ObjectSchema,
    SortedList,
    StatefulFunctionReference,
    load_cache,
    to_qualified_name,
)

__all__ = ["ParameterSchema", "TaskMethodsMixin", "TaskSchema"]

_TASK_CACHE = "tasks_by_slug"

TRIGGERS = [
    triggers.all_finished,
    triggers.manual_only,
    triggers.always_run,
    triggers.all_successful,
    triggers.all_failed,
    triggers.any_successful,
    triggers.any_failed,
    triggers.some_failed,
    triggers.some_successful,
]

CACHE_VALIDATORS = [
    cache_validators.never_use,
    cache_validators.duration_only,
    cache_validators.all_inputs,
    cache_validators.all_parameters,
    cache_validators.partial_inputs_only,
    cache_validators.partial_parameters_only,
]


class WholeSeconds(fields.Field):
    """A `timedelta` dumped as whole seconds (an int; the fraction is dropped, not rounded)."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        if value is None:
            return None
        return int(value.total_seconds())

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValidationError(f"Not a number of seconds: {value!r}.")
        return datetime.timedelta(seconds=value)


def _type_name(value: Any) -> str:
    if not isinstance(value, str):
        raise ValidationError(f"Not a valid type name: {value!r}.")
    return value


class TaskMethodsMixin:
    """What task and parameter schemas share: attribute access, input and output
    descriptions, and the per-load cache of tasks by slug."""

    def dump_inputs(self, task: Any) -> Any:
        """`{argument: {"required": bool, "type": str(annotation)}}` of `task.inputs()`."""
        if not isinstance(task, Task):
            return self.get_attribute(task, "inputs", None)  # type: ignore[attr-defined]
        return {
            name: {"required": description["required"], "type": str(description["type"])}
            for name, description in task.inputs().items()
        }

    def dump_outputs(self, task: Any) -> Any:
        """`str(task.outputs())`, e.g. `"typing.Any"` or `"<class 'int'>"`."""
        if not isinstance(task, Task):
            return self.get_attribute(task, "outputs", None)  # type: ignore[attr-defined]
        return str(task.outputs())

    def create_object(self, data: dict) -> Any:
        """The task for `data`: the one already loaded with its slug, or a new one."""
        slug = data.get("slug")
        cache = load_cache(_TASK_CACHE)
        if slug is not None and slug in cache:
            return cache[slug]
        data = dict(data)
        auto_generated = data.pop("auto_generated", None)
        task = super().create_object(data)  # type: ignore[misc]
        if auto_generated is not None:
            task.auto_generated = auto_generated
        if slug is not None:
            cache[slug] = task
        return task


class TaskSchema(TaskMethodsMixin, ObjectSchema):
    """A task's settings; loads a base `Task`."""

    class Meta:
        object_class = Task
        exclude_fields = ["type", "inputs", "outputs"]

    type = fields.Function(lambda task: to_qualified_name(type(task)), _type_name)
    name = fields.String(allow_none=True)
    slug = fields.String(allow_none=True)
    tags = SortedList(fields.String())
    max_retries = fields.Integer(allow_none=True)
    retry_delay = WholeSeconds(allow_none=True)
    inputs = fields.Method("dump_inputs", allow_none=True)
    outputs = fields.Method("dump_outputs", allow_none=True)
    timeout = fields.Integer(allow_none=True)
    # Custom triggers and validators are stored by name and load as the default.
    trigger = StatefulFunctionReference(
        valid_functions=TRIGGERS, reject_invalid=False, allow_none=True
    )
    skip_on_upstream_skip = fields.Boolean(allow_none=True)
    cache_for = WholeSeconds(allow_none=True)
    cache_key = fields.String(allow_none=True)
    cache_validator = StatefulFunctionReference(
        valid_functions=CACHE_VALIDATORS, reject_invalid=False, allow_none=True
    )
    auto_generated = fields.Boolean(allow_none=True)


class ParameterSchema(TaskMethodsMixin, ObjectSchema):
    """A parameter's name, default, `required` flag and tags; loads a `Parameter`."""

    class Meta:
        object_class = Parameter
        exclude_fields = ["type", "outputs", "slug"]

    type = fields.Function(lambda task: to_qualified_name(type(task)), _type_name)
    name = fields.String(required=True)
    slug = fields.String(allow_none=True)
    default = JSONCompatible(allow_none=True)
    required = fields.Boolean(allow_none=True)
    tags = SortedList(fields.String())
    outputs = fields.Method("dump_outputs", allow_none=True)
