"""Triggers: decide from its upstream states whether a task may run.

A trigger is `fn(upstream_states: dict[Edge, State]) -> bool`. It returns `True` to let the
task run and raises a state signal to stop it: normally `TRIGGERFAIL` (the task ends
`TriggerFailed`), `SKIP` (`not_all_skipped`) or `PAUSE` (`manual_only`). A falsy return
value makes the runner raise `TRIGGERFAIL("Trigger failed")` itself.

The runner only calls a trigger once every upstream task is finished. The states counted
are the upstream states with every `Mapped` state replaced by its children's states, so a
reduce step sees each child, and a state reached through several edges counts once
(states hash by identity); the "are there upstreams at all" tests look at the edges.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from prefect_core.engine import signals
from prefect_core.engine.mapping import expanded_states
from prefect_core.engine.state import Failed, Finished, Mapped, State, Success
from prefect_core.utilities.context import context

__all__ = [
    "all_failed",
    "all_finished",
    "all_successful",
    "always_run",
    "any_failed",
    "any_successful",
    "manual_only",
    "not_all_skipped",
    "some_failed",
    "some_successful",
]

Trigger = Callable[[dict[Any, State]], bool]


def _every_state(upstream_states: dict[Any, State], kind: type[State]) -> bool:
    """Whether every upstream state (a `Mapped` one: each of its children) is a `kind`
    (the class its `is_...` predicate tests).

    The common check of the default trigger, so it walks the states without building the
    set `expanded_states` makes (duplicates cannot change the answer) or calling a
    predicate per state.
    """
    for state in upstream_states.values():
        if isinstance(state, Mapped):
            for child in state.map_states:
                if not isinstance(child, kind):
                    return False
        elif not isinstance(state, kind):
            return False
    return True


def _fail(trigger_name: str, reason: str) -> signals.TRIGGERFAIL:
    return signals.TRIGGERFAIL(f'Trigger was "{trigger_name}" but {reason}.')


def all_finished(upstream_states: dict[Any, State]) -> bool:
    """Run once every upstream task is finished, whatever the outcome (alias `always_run`)."""
    if not _every_state(upstream_states, Finished):
        raise _fail("all_finished", "some of the upstream tasks were not finished")
    return True


always_run = all_finished


def manual_only(upstream_states: dict[Any, State]) -> bool:
    """Run only when resumed by hand (`context.resume`); otherwise pause the task."""
    if context.get("resume"):
        return True
    raise signals.PAUSE('Trigger function is "manual_only"')


def all_successful(upstream_states: dict[Any, State]) -> bool:
    """Run when every upstream task succeeded (`Skipped` counts); the default trigger."""
    if not _every_state(upstream_states, Success):
        raise _fail("all_successful", "some of the upstream tasks failed")
    return True


def all_failed(upstream_states: dict[Any, State]) -> bool:
    """Run when every upstream task failed."""
    if not _every_state(upstream_states, Failed):
        raise _fail("all_failed", "some of the upstream tasks succeeded")
    return True


def any_successful(upstream_states: dict[Any, State]) -> bool:
    """Run when at least one upstream task succeeded (always, with no upstream tasks)."""
    if upstream_states and not any(
        state.is_successful() for state in expanded_states(upstream_states.values())
    ):
        raise _fail("any_successful", "none of the upstream tasks succeeded")
    return True


def any_failed(upstream_states: dict[Any, State]) -> bool:
    """Run when at least one upstream task failed (always, with no upstream tasks)."""
    if upstream_states and not any(
        state.is_failed() for state in expanded_states(upstream_states.values())
    ):
        raise _fail("any_failed", "none of the upstream tasks failed")
    return True


def not_all_skipped(upstream_states: dict[Any, State]) -> bool:
    """Run when every upstream task succeeded and not all of them were skipped.

    All upstreams skipped (including, as in 1.4.1, no upstreams at all) skips this task
    too; any non-successful upstream fails the trigger.
    """
    states = expanded_states(upstream_states.values())
    if all(state.is_skipped() for state in states):
        raise signals.SKIP("All upstreams were skipped", result=None)
    if not all(state.is_successful() for state in states):
        raise _fail("not_all_skipped", "some of the upstream tasks failed")
    return True


def _resolve_bound(bound: float | None, default: float, total: int) -> float:
    """A bound below 1 is a fraction of `total`; otherwise it is a count."""
    if bound is None:
        return default
    return bound * total if bound < 1 else bound


def _check_thresholds(
    upstream_states: dict[Any, State],
    name: str,
    counts: Callable[[State], bool],
    at_least: float | None,
    at_most: float | None,
) -> bool:
    """The body of the `some_*` triggers: count the matching upstream states."""
    if not upstream_states:
        return True
    states = expanded_states(upstream_states.values())
    total = len(states)
    matching = sum(1 for state in states if counts(state))
    lower = _resolve_bound(at_least, 0, total)
    upper = _resolve_bound(at_most, total, total)
    if not lower <= matching <= upper:
        raise _fail(name, "thresholds were not met")
    return True


# The factories below define their triggers inline, so that each closure's free variables
# are exactly the factory's parameters: serialization stores a trigger as the factory's
# name plus those variables and rebuilds it by calling the factory with them.


def some_successful(at_least: float | None = None, at_most: float | None = None) -> Trigger:
    """Make a trigger that runs when the number of successful upstreams is within bounds.

    Args:
        at_least: the minimum number of successes (default 0); a value below 1 is a
            fraction of the upstream states.
        at_most: the maximum (default: all); a value below 1 is a fraction.
    """

    def _some_successful(upstream_states: dict[Any, State]) -> bool:
        return _check_thresholds(
            upstream_states, "some_successful", State.is_successful, at_least, at_most
        )

    return _some_successful


def some_failed(at_least: float | None = None, at_most: float | None = None) -> Trigger:
    """Make a trigger that runs when the number of failed upstreams is within bounds.

    Args:
        at_least: the minimum number of failures (default 0); a value below 1 is a
            fraction of the upstream states.
        at_most: the maximum (default: all); a value below 1 is a fraction.
    """

    def _some_failed(upstream_states: dict[Any, State]) -> bool:
        return _check_thresholds(upstream_states, "some_failed", State.is_failed, at_least, at_most)

    return _some_failed
