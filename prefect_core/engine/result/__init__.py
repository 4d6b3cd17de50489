"""The result interface: `Result`, the `NoResult` marker and their errors (see `base`)."""

from prefect_core.engine.result.base import (
    NoResult,
    NoResultType,
    Result,
    ResultDeserializationError,
    ResultNotImplementedError,
)

__all__ = [
    "NoResult",
    "NoResultType",
    "Result",
    "ResultDeserializationError",
    "ResultNotImplementedError",
]
