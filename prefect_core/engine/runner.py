"""`Runner`: what task and flow runners share — state handlers and pipeline steps.

A run is a short sequence of steps, each taking the current state and returning the next.
`call_state_handlers` wraps a step so that:

- a step that returns a *different* state object reports the transition to the state
  handlers (the task's or flow's own first, then the runner's), which may replace it;
- a step may end the pipeline by raising `ENDRUN(state)`: the handlers still see the
  transition, then `ENDRUN` is raised again with the (possibly replaced) state;
- a state signal raised inside a step becomes its state; any other exception becomes
  `Failed("Unexpected error: ...")` (or propagates under `raise_on_exception`).

Handlers are only called when there are any, and debug lines are only formatted when
debug logging is on: without either, a step does not even call `handle_state_change`
(`Runner._decide_reporting`), so it costs a function call when nothing happens.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from typing import Any

from prefect_core.engine import signals
from prefect_core.engine.signals import ENDRUN
from prefect_core.engine.state import Failed, Pending, State
from prefect_core.utilities.context import context
from prefect_core.utilities.logging import get_logger

__all__ = ["ENDRUN", "Runner", "call_state_handlers"]


def call_state_handlers(method: Callable[..., State]) -> Callable[..., State]:
    """Wrap a pipeline step `method(self, state, ...) -> State` (see the module doc)."""

    @functools.wraps(method)
    def step(self: Runner, state: State, *args: Any, **kwargs: Any) -> State:
        end_run = None
        try:
            new_state = method(self, state, *args, **kwargs)
        except ENDRUN as exc:
            end_run = exc
            new_state = exc.state
        except signals.PrefectStateSignal as exc:
            if self.logger.isEnabledFor(logging.INFO):
                self.logger.info("%s signal raised: %r", type(exc).__name__, exc)
            if context.get("raise_on_exception"):
                raise
            new_state = exc.state
        except Exception as exc:
            if context.get("raise_on_exception"):
                raise
            self.logger.exception("Unexpected error while running %s", method.__name__)
            new_state = Failed(f"Unexpected error: {exc!r}", result=exc)

        if new_state is not state and self._reports_changes:
            new_state = self.handle_state_change(state, new_state)
        if end_run is not None:
            raise ENDRUN(new_state)
        return new_state

    return step


@functools.lru_cache(maxsize=64)
def _runner_logger(name: str) -> logging.Logger:
    """One logger per runner class, looked up once (a runner is created per task run)."""
    return get_logger(name)


class Runner:
    """Base of `TaskRunner` and `FlowRunner`: holds and calls state handlers."""

    def __init__(self, state_handlers: Sequence[Callable] | None = None) -> None:
        if state_handlers is not None and not isinstance(state_handlers, (list, tuple, Sequence)):
            raise TypeError("state_handlers should be iterable.")
        self.state_handlers = list(state_handlers) if state_handlers else []
        self.logger = _runner_logger(type(self).__name__)

    #: Whether steps report transitions to `handle_state_change`; every one is reported
    #: until `run` decides (`_decide_reporting`), so steps called alone report too.
    _reports_changes = True

    def _decide_reporting(self) -> None:
        """Report transitions only when there are handlers, debug lines, or an overridden
        `handle_state_change` to see them (called when a run starts)."""
        self._reports_changes = (
            bool(self.state_handlers)
            or self._target_has_handlers()
            or type(self).handle_state_change is not Runner.handle_state_change
            or self.logger.isEnabledFor(logging.DEBUG)
        )

    def _target_has_handlers(self) -> bool:
        """Whether the runner's target (task or flow) has handlers of its own."""
        return False

    def initialize_run(self, state: State | None, context: dict) -> tuple[State, dict]:
        """Unwrap meta states and default a missing state to `Pending`."""
        while state is not None and state.is_meta_state():
            state = state.state  # type: ignore[attr-defined]
        return (state if state is not None else Pending()), context

    def call_runner_target_handlers(self, old_state: State, new_state: State) -> State:
        """Call the target's own handlers; the base runner has none."""
        return new_state

    def handle_state_change(self, old_state: State, new_state: State) -> State:
        """Report a transition to the handlers; each may replace the new state."""
        if not self.state_handlers and not self._target_has_handlers():
            if self.logger.isEnabledFor(logging.DEBUG):
                self.call_runner_target_handlers(old_state, new_state)
            return new_state
        raise_on_exception = context.get("raise_on_exception")
        try:
            new_state = self.call_runner_target_handlers(old_state, new_state)
            for handler in self.state_handlers:
                new_state = handler(self, old_state, new_state) or new_state
        except (signals.PAUSE, ENDRUN):
            raise
        except signals.PrefectStateSignal as exc:
            if raise_on_exception:
                raise
            return exc.state
        except Exception as exc:
            if raise_on_exception:
                raise
            message = f"Unexpected error while calling state handlers: {exc!r}"
            self.logger.exception(message)
            raise ENDRUN(Failed(message, result=exc)) from exc
        return new_state
