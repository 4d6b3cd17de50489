"""`ConstantResult`: a value fixed at build time that is never written anywhere."""

from __future__ import annotations

from typing import Any

from prefect_core.engine.result import Result

__all__ = ["ConstantResult"]


class ConstantResult(Result):
    """A result whose value is given up front; reading returns it, writing is refused.

    Args:
        **kwargs: `value` and `location`, as for `Result`; a `serializer` is not accepted.
    """

    def __init__(self, **kwargs: Any) -> None:
        if "serializer" in kwargs:
            raise ValueError("Can't pass a serializer to a ConstantResult.")
        super().__init__(**kwargs)

    def read(self, location: str) -> Result:
        """Return this result itself: the value is already known."""
        return self

    def write(self, value_: Any, **kwargs: Any) -> Result:
        """Always raises `ValueError`: a constant cannot be written."""
        raise ValueError("Cannot write values to `ConstantResult` types.")

    def exists(self, location: str, **kwargs: Any) -> bool:
        """Always `True`: the value is always available."""
        return True
