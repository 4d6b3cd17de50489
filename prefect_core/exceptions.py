"""Exceptions shared across prefect_core.

Two families:

* `PrefectSignal` derives from `BaseException`, so a bare `except Exception` in user code
  does not swallow it. The engine raises signals to interrupt a task run (a timeout, for
  instance); the state signals (`FAIL`, `SKIP`, ...) live in `prefect_core.engine.signals`.
* `PrefectException` derives from `Exception` and is the base of ordinary errors.

The client/backend errors exist so that code written for Prefect 1.4.1 can import them;
prefect_core has no backend and never raises them itself.
"""

from __future__ import annotations

__all__ = [
    "AuthorizationError",
    "ClientError",
    "FlowStorageError",
    "ObjectNotFoundError",
    "PrefectException",
    "PrefectSignal",
    "TaskTimeoutSignal",
    "VersionLockMismatchSignal",
]


class PrefectSignal(BaseException):
    """Base of the signals the engine uses to interrupt a run; not an `Exception`."""

    def __init__(self, message: str = "", *args: object) -> None:
        super().__init__(message, *args)


class TaskTimeoutSignal(PrefectSignal):
    """A task ran longer than its `timeout`; the task run ends in a `TimedOut` state."""


class VersionLockMismatchSignal(PrefectSignal):
    """Backend version-lock conflict; kept so 1.4.1 imports keep working."""


class PrefectException(Exception):
    """Base of the ordinary errors raised by prefect_core."""

    def __init__(self, message: str = "", *args: object) -> None:
        super().__init__(message, *args)


class ClientError(PrefectException):
    """Communication with a backend failed (never raised locally)."""


class ObjectNotFoundError(ClientError):
    """A backend object was not found (never raised locally)."""


class AuthorizationError(ClientError):
    """A backend refused the credentials (never raised locally)."""


class FlowStorageError(PrefectException):
    """Loading a flow from storage (for example `Flow.load`) failed."""
