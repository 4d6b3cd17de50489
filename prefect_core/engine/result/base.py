"""The `Result` interface: a value, where it is stored, and how it is serialized.

A `Result` pairs a value with a `location` (a string, or a template formatted at write time)
and a `Serializer`. Subclasses decide what a location means (a file path for `LocalResult`,
the JSON text itself for `PrefectResult`) by implementing `exists`, `read` and `write`; the
base class implements none of them and raises `ResultNotImplementedError`, which the engine
takes to mean "keep the value in memory only".

`NoResult` is the singleton "no data at all" marker, distinct from a result whose value is
`None`.

Results never mutate in place when reading, writing or formatting: those methods return a
copy, so one configured result (a task's `result=`) can serve every run of the task.
"""

from __future__ import annotations

import copy
import datetime
import logging
import uuid
from collections.abc import Callable
from typing import Any

from prefect_core.engine.serializers import PickleSerializer, Serializer
from prefect_core.utilities.logging import get_logger

__all__ = [
    "NoResult",
    "NoResultType",
    "Result",
    "ResultDeserializationError",
    "ResultNotImplementedError",
]


class ResultNotImplementedError(NotImplementedError):
    """A storage operation was called on a result class that does not implement it."""


class ResultDeserializationError(ValueError):
    """Stored data exists at `location` but its serializer cannot read it back.

    Typical causes: a file torn by a crash of an older writer, a file written with another
    serializer, or a pickle referring to a class that no longer exists. Callers checking a
    target or a checkpoint treat this like a missing result (warn, naming `location`, and
    run the task again); the original error is chained as `__cause__`.
    """

    def __init__(self, location: str, error: BaseException) -> None:
        super().__init__(f"Could not deserialize the result stored at {location!r}: {error!r}")
        self.location = location


class Result:
    """A value plus the information needed to store and reload it.

    Args:
        value: the data.
        location: where the data lives, or a template such as `"{task_name}/{map_index}"`
            formatted with run information by `format`; a callable `fn(**kwargs) -> str`
            is also accepted and used by `format` instead.
        serializer: turns the value into bytes and back (default `PickleSerializer()`).
    """

    def __init__(
        self,
        value: Any = None,
        location: str | Callable[..., str] | None = None,
        serializer: Serializer | None = None,
    ) -> None:
        self.value = value
        self.serializer = serializer if serializer is not None else PickleSerializer()
        if callable(location):
            self._formatter: Callable[..., str] | None = location
            self.location: str | None = None
        else:
            self._formatter = None
            self.location = location

    @property
    def logger(self) -> logging.Logger:
        """The `prefect_core.<ResultClass>` logger."""
        return get_logger(type(self).__name__)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.value!r}>"

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and _public_attributes(self) == _public_attributes(other)

    def copy(self) -> Result:
        """Return a shallow copy."""
        return copy.copy(self)

    def from_value(self, value: Any) -> Result:
        """Return a copy holding `value` and no location."""
        new = self.copy()
        new.location = None
        new.value = value
        return new

    @property
    def default_location(self) -> str:
        """`{year}/{month}/{day}/{uuid4}.prefect_result` (UTC date, no zero padding)."""
        now = datetime.datetime.now(datetime.UTC)
        return f"{now.year}/{now.month}/{now.day}/{uuid.uuid4()}.prefect_result"

    def format(self, **kwargs: Any) -> Result:
        """Return a copy whose `location` is rendered with `kwargs`.

        A string location is `str.format`-ed; a callable location is called with the
        keyword arguments; without either, the class's `default_location` is used.
        """
        new = self.copy()
        if isinstance(self.location, str):
            new.location = self.location.format(**kwargs)
        elif self._formatter is not None:
            new.location = self._formatter(**kwargs)
        else:
            new.location = new.default_location
        return new

    def exists(self, location: str, **kwargs: Any) -> bool:
        """Whether data is stored at `location` (formatted with `kwargs`)."""
        raise ResultNotImplementedError(_NOT_IMPLEMENTED_MESSAGE)

    def read(self, location: str) -> Result:
        """Return a copy holding the data stored at `location`."""
        raise ResultNotImplementedError(_NOT_IMPLEMENTED_MESSAGE)

    def write(self, value_: Any, **kwargs: Any) -> Result:
        """Store `value_` at this result's location formatted with `kwargs`.

        Returns a copy holding the value and the concrete location it was written to.
        """
        raise ResultNotImplementedError(_NOT_IMPLEMENTED_MESSAGE)


_NOT_IMPLEMENTED_MESSAGE = (
    "Not implemented on the base Result class: storing, reading or checking results needs a "
    "Result subclass such as LocalResult or PrefectResult (pass `result=` to the task or flow)."
)


def _public_attributes(obj: object) -> dict[str, Any]:
    return {name: value for name, value in vars(obj).items() if not name.startswith("_")}


class NoResultType(Result):
    """The type of `NoResult`: a result that holds no data (not even `None`)."""


NoResult = NoResultType()
