"""Notification helpers: `callback_factory` builds state handlers that call back on a check.

The e-mail, Slack and Jira notifiers of Prefect 1.4.1 need external services and are not
part of prefect_core.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["callback_factory"]


def callback_factory(fn: Callable[[Any, Any], Any], check: Callable[[Any], bool]) -> Callable:
    """Return a state handler that calls `fn(obj, new_state)` whenever `check(new_state)`
    is `True`.

    The handler has the signature `(obj, old_state, new_state) -> new_state`, so it can be
    attached to tasks and flows (`state_handlers=[...]`); it never changes the state.

    Args:
        - fn (Callable): `fn(task_or_flow, state)`, called for its side effects
        - check (Callable): `check(state) -> bool`; only a result that `is True` triggers `fn`
    """

    def state_handler(obj: Any, old_state: Any, new_state: Any) -> Any:
        if check(new_state) is True:
            fn(obj, new_state)
        return new_state

    return state_handler
