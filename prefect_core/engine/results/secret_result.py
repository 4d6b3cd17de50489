"""`SecretResult`: a value fetched from a secret task each time it is read."""

from __future__ import annotations

from typing import Any

from prefect_core.engine.result import Result

__all__ = ["SecretResult"]


class SecretResult(Result):
    """A result backed by a task whose `run(name=...)` returns a secret.

    Nothing is ever stored: `read(location)` calls `secret_task.run(name=location)` again,
    so the secret never lands in a file or a serialized state.

    Args:
        secret_task: any task with a `run(name: str)` method returning the secret.
        **kwargs: `value` and `location` (default: the task's name), as for `Result`; a
            `serializer` is not accepted.
    """

    def __init__(self, secret_task: Any, **kwargs: Any) -> None:
        if "serializer" in kwargs:
            raise ValueError("Can't pass a serializer to a SecretResult.")
        self.secret_task = secret_task
        kwargs.setdefault("location", secret_task.name)
        super().__init__(**kwargs)

    def read(self, location: str) -> Result:
        """Return a copy holding the secret named `location`, fetched now."""
        new = self.copy()
        new.value = self.secret_task.run(name=location)
        new.location = location
        return new

    def write(self, value_: Any, **kwargs: Any) -> Result:
        """Always raises `ValueError`: secrets are never stored."""
        raise ValueError("SecretResults cannot be written to.")
