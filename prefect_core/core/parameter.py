"""`Parameter` and `DateTimeParameter`: named flow inputs supplied when a flow runs."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from prefect_core.core.task import NoDefault, Task
from prefect_core.utilities.context import context

if TYPE_CHECKING:
    from prefect_core.core.flow import Flow

no_default = NoDefault.value


class Parameter(Task):
    """A flow input, named uniquely within its flow (its slug is its name).

    Parameters are always root tasks. At run time `run()` returns the value given for
    the parameter's name, else its default; a required parameter with no value fails.
    """

    _is_parameter = True

    def __init__(
        self,
        name: str,
        default: Any = no_default,
        required: bool | None = None,
        tags: Iterable[str] | None = None,
    ) -> None:
        from prefect_core.engine.results import PrefectResult

        if required is None:
            required = default is no_default
        if default is no_default:
            default = None
        self.required = required
        self.default = default
        super().__init__(name=name, slug=name, tags=tags, result=PrefectResult(), checkpoint=True)

    def __repr__(self) -> str:
        return f"<Parameter: {self.name}>"

    def __call__(self, flow: Flow | None = None) -> Parameter:  # type: ignore[override]
        """Add this parameter to `flow` (default: the active flow) and return it."""
        return self.bind(flow=flow)

    def copy(self, name: str, **task_args: Any) -> Parameter:  # type: ignore[override]
        """A copy of this parameter under a new `name` (which is also its slug)."""
        return super().copy(name=name, slug=name, **task_args)  # type: ignore[return-value]

    def run(self) -> Any:
        """The value given for this parameter in this flow run, else its default."""
        from prefect_core.engine import signals

        values = context.get("parameters") or {}
        if self.required and self.name not in values:
            self.logger.debug('Parameter "%s" was required but not provided.', self.name)
            raise signals.FAIL(f'Parameter "{self.name}" was required but not provided.')
        return values.get(self.name, self.default)

    def serialize(self) -> dict:
        """This parameter as a JSON-compatible dict (`ParameterSchema`)."""
        from prefect_core.serialization.task import ParameterSchema

        return ParameterSchema().dump(self)


def _as_aware_datetime(value: Any) -> Any:
    """An aware `datetime` from an ISO-8601 string or a datetime; naive means UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    elif isinstance(value, date) and not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


class DateTimeParameter(Parameter):
    """A parameter whose value is parsed into a timezone-aware `datetime`.

    ISO-8601 strings are accepted (a date alone means midnight; no offset means UTC).
    Unlike `Parameter`, it is required by default even when a default is given.
    """

    def __init__(
        self,
        name: str,
        default: Any = no_default,
        required: bool = True,
        tags: Iterable[str] | None = None,
    ) -> None:
        from prefect_core.engine.results import PrefectResult
        from prefect_core.engine.serializers import DateTimeSerializer

        super().__init__(name=name, default=default, required=required, tags=tags)
        self.result = PrefectResult(serializer=DateTimeSerializer())

    def run(self) -> datetime | None:
        """The parameter's value as an aware `datetime` (or `None`)."""
        return _as_aware_datetime(super().run())
