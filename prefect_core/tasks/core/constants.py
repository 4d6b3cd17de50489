"""`Constant`: a task that returns a fixed value (the flow runner never runs it)."""

from __future__ import annotations

from typing import Any

from prefect_core.core.task import Task


class Constant(Task):
    """A task whose result is `value`; named `repr(value)` when that is short."""

    _is_constant = True

    def __init__(self, value: Any, name: str | None = None, **task_kwargs: Any) -> None:
        self.value = value
        if name is None:
            shown = repr(value)
            name = shown if len(shown) <= 8 else f"Constant[{type(value).__name__}]"
        super().__init__(name=name, **task_kwargs)

    def run(self) -> Any:
        """Return the constant value."""
        return self.value
