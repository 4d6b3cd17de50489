"""`PrefectResult`: a small JSON value whose location is its own JSON text.

Nothing is stored anywhere: `write` turns the value into JSON and uses that text as the
location, so serializing a state (which keeps locations, never values) keeps the value too.
`Parameter` tasks use this result by default.
"""

from __future__ import annotations

from typing import Any

from prefect_core.engine.result import Result
from prefect_core.engine.serializers import DateTimeSerializer, JSONSerializer, Serializer

__all__ = ["PrefectResult"]


class PrefectResult(Result):
    """A result whose location is the serialized value itself.

    Args:
        **kwargs: as for `Result`; `serializer` defaults to `JSONSerializer()` and must be a
            `JSONSerializer` or a `DateTimeSerializer` (else `TypeError`).
    """

    def __init__(self, **kwargs: Any) -> None:
        if kwargs.get("serializer") is None:
            kwargs["serializer"] = JSONSerializer()
        super().__init__(**kwargs)

    @property
    def serializer(self) -> Serializer:
        """The serializer; only text serializers are allowed."""
        return self._serializer

    @serializer.setter
    def serializer(self, value: Serializer) -> None:
        if not isinstance(value, (JSONSerializer, DateTimeSerializer)):
            raise TypeError("PrefectResult only supports JSONSerializer or DateTimeSerializer")
        self._serializer = value

    def read(self, location: str) -> Result:
        """Return a copy holding the value encoded in `location`."""
        new = self.copy()
        new.value = self.serializer.deserialize(location.encode())
        new.location = location
        return new

    def write(self, value_: Any, **kwargs: Any) -> Result:
        """Return a copy holding `value_`, located at its serialized text."""
        new = self.copy()
        new.value = value_
        new.location = self.serializer.serialize(value_).decode()
        return new

    def exists(self, location: str, **kwargs: Any) -> bool:
        """Whether `location` is valid serialized text for this result's serializer."""
        try:
            self.serializer.deserialize(location.encode())
        except Exception:
            return False
        return True
