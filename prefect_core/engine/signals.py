"""Signals: exceptions a task (or a trigger) raises to choose its own final state.

`raise FAIL("bad input")` inside a task ends the run in `Failed("bad input")`; `SKIP`,
`RETRY`, `PAUSE`, `LOOP`, `SUCCESS` work the same way. Each state signal builds its state at
construction (`signal.state`) so the runner only has to read it. By default the state's
result is the signal itself; pass `result=` to carry data instead.

All signals derive from `prefect_core.exceptions.PrefectSignal`, a `BaseException`, so a
task's own `except Exception:` does not swallow them.

`ENDRUN` is not a state signal: runners raise it internally to stop a task run's pipeline
early with a given state (no retry is considered).
"""

from __future__ import annotations

from typing import Any

from prefect_core.engine import state as states
from prefect_core.exceptions import PrefectSignal

__all__ = [
    "ENDRUN",
    "FAIL",
    "LOOP",
    "PAUSE",
    "RETRY",
    "SKIP",
    "SUCCESS",
    "TRIGGERFAIL",
    "VALIDATIONFAIL",
    "PrefectStateSignal",
    "signal_from_state",
]


class ENDRUN(PrefectSignal):
    """Stop the current run's pipeline and finish with `state`.

    Args:
        state: the final state of the run.
    """

    def __init__(self, state: states.State) -> None:
        self.state = state
        super().__init__()


class PrefectStateSignal(PrefectSignal):
    """Base of the signals that carry a state (`_state_cls`).

    Args:
        message: the signal's message, also the state's message.
        *args, **kwargs: passed to the state's constructor after `message` (e.g.
            `result=`, `start_time=`); `result` defaults to the signal itself.
    """

    _state_cls: type[states.State] = states.State

    def __init__(self, message: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(message)
        if not args:
            kwargs.setdefault("result", self)
        self.state = self._state_cls(message, *args, **kwargs)


class FAIL(PrefectStateSignal):
    """The task failed (`Failed`); retries apply as for any failure."""

    _state_cls = states.Failed


class TRIGGERFAIL(FAIL):
    """A trigger refused to run the task (`TriggerFailed`)."""

    _state_cls = states.TriggerFailed


class VALIDATIONFAIL(FAIL):
    """A user validation failed (`ValidationFailed`)."""

    _state_cls = states.ValidationFailed


class SUCCESS(PrefectStateSignal):
    """The task succeeded (`Success`); `result=` becomes the task's value."""

    _state_cls = states.Success


class RETRY(PrefectStateSignal):
    """Retry the task (`Retrying`), whatever its `max_retries`; `start_time=` sets when."""

    _state_cls = states.Retrying


class SKIP(PrefectStateSignal):
    """Skip the task (`Skipped`, which counts as a success)."""

    _state_cls = states.Skipped


class PAUSE(PrefectStateSignal):
    """Pause the task (`Paused`) until resumed, or until `start_time=` if given."""

    _state_cls = states.Paused


class LOOP(PrefectStateSignal):
    """Run the task again with `result=` as `context.task_loop_result` (`Looped`).

    The default result is the signal's repr (a string), not the signal.
    """

    _state_cls = states.Looped

    def __init__(self, message: Any = None, *args: Any, **kwargs: Any) -> None:
        if not args:
            kwargs.setdefault("result", repr(self))
        super().__init__(message, *args, **kwargs)


def signal_from_state(state: states.State) -> type[PrefectStateSignal]:
    """Return the signal class whose state class has the same name as `state`'s class.

    Raises:
        ValueError: no signal produces that kind of state (e.g. `Pending`).
    """
    wanted = type(state).__name__
    pending = list(PrefectStateSignal.__subclasses__())
    while pending:
        signal_class = pending.pop(0)
        if signal_class._state_cls.__name__ == wanted:
            return signal_class
        pending.extend(signal_class.__subclasses__())
    raise ValueError(f"No signal matches the provided state: {state}")
