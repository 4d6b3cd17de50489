"""What `Flow.run()` does around the flow runner: passes, retries, pauses, caches, schedules.

One call of `run_flow`:

- checks the parameters (unknown or missing required ones are errors);
- for each scheduled run (one, without a schedule): starts from `Scheduled`, then calls
  the flow runner in *passes* until the flow state is finished. A pass runs every task
  that can run; a task that fails with retries left ends the pass `Retrying`, and the
  next pass starts once the earliest retry is due, so waiting for a retry never blocks
  the other tasks of the pass;
- between passes, a task paused without a deadline is offered for resuming on an
  interactive terminal; without one, the run stops and leaves it `Paused`;
- after a run, the `Cached` states it produced join `context.caches` for later runs.
"""

from __future__ import annotations

import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from prefect_core.engine.state import Cached, Mapped, Paused, Pending, Resume, Scheduled, State
from prefect_core.utilities.context import context
from prefect_core.utilities.garbage_collection import relaxed_garbage_collection

if TYPE_CHECKING:
    from prefect_core.core.flow import Flow
    from prefect_core.core.task import Task


def _now() -> datetime:
    return datetime.now(UTC)


def check_parameters(flow: Flow, parameters: dict[str, Any], kwargs: dict[str, Any]) -> dict:
    """The run's parameters: `parameters` plus kwargs naming a flow parameter (moved out)."""
    parameters = dict(parameters or {})
    flow_parameters = {parameter.name: parameter for parameter in flow.parameters()}
    for name in list(kwargs):
        if name in flow_parameters:
            parameters[name] = kwargs.pop(name)
    unexpected = sorted(set(parameters) - set(flow_parameters))
    if unexpected:
        raise ValueError(
            "Flow.run received the following unexpected parameters: " + ", ".join(unexpected)
        )
    missing = sorted(
        name
        for name, parameter in flow_parameters.items()
        if parameter.required and name not in parameters
    )
    if missing:
        raise ValueError(
            "Flow.run did not receive the following required parameters: " + ", ".join(missing)
        )
    return parameters


def _scheduled_runs(
    flow: Flow, run_on_schedule: bool, parameters: dict[str, Any]
) -> Iterator[tuple[datetime, dict[str, Any]]]:
    """`(start_time, parameters)` for each run: one now, or one per schedule event.

    A schedule's events come one at a time, each the first one after the moment it is
    asked for, so runs missed while a long run was going are skipped, not queued. The
    clock's `parameter_defaults` override the parameters given to `flow.run`.
    """
    if not (run_on_schedule and flow.schedule is not None):
        yield _now(), parameters
        return
    from prefect_core.schedules.schedules import next_scheduled_event

    event = next_scheduled_event(flow.schedule, now=_now())
    if event is None:
        raise ValueError("Flow has no more scheduled runs.")
    while event is not None:
        yield event.start_time, {**parameters, **(event.parameter_defaults or {})}
        event = next_scheduled_event(flow.schedule, now=_now())


def _sleep_until(moment: datetime, message: str, flow: Flow) -> None:
    from prefect_core.schedules.schedules import seconds_until

    delay = seconds_until(moment, now=_now())
    if delay > 0:
        flow.logger.info("%s %s", message, moment.isoformat())
        time.sleep(delay)


def run_flow(
    flow: Flow,
    parameters: dict[str, Any] | None,
    run_on_schedule: bool,
    runner_cls: type,
    **kwargs: Any,
) -> State | None:
    """Run `flow` (see the module docstring); returns the last flow state."""
    with relaxed_garbage_collection():
        return _run_flow(flow, parameters, run_on_schedule, runner_cls, **kwargs)


def _run_flow(
    flow: Flow,
    parameters: dict[str, Any] | None,
    run_on_schedule: bool,
    runner_cls: type,
    **kwargs: Any,
) -> State | None:
    parameters = check_parameters(flow, parameters or {}, kwargs)
    context.setdefault("caches", {})
    flow_run_context = dict(kwargs.pop("context", None) or {})
    for key in ("flow_run_id", "flow_run_name"):
        given = kwargs.pop(key, None)
        flow_run_context.setdefault(key, given or str(uuid.uuid4()))
    flow_run_context["flow_id"] = flow.name
    initial_state = kwargs.pop("state", None)
    initial_task_states = kwargs.pop("task_states", None) or {}
    task_contexts = kwargs.pop("task_contexts", None) or {}

    flow_state = None
    for start_time, run_parameters in _scheduled_runs(flow, run_on_schedule, parameters):
        run_context = dict(flow_run_context, scheduled_start_time=start_time)
        next_state = initial_state or Scheduled(start_time=start_time, result={})
        if isinstance(next_state.result, dict):
            next_state.result.update(initial_task_states)
        initial_state, initial_task_states = None, {}
        try:
            _sleep_until(start_time, "Waiting for next scheduled run at", flow)
        except KeyboardInterrupt:
            if flow_state is None:
                raise
            flow.logger.info("Interrupted while waiting for the next scheduled run; stopping.")
            break
        flow_state, errored = _run_passes(
            flow, next_state, run_parameters, run_context, task_contexts, runner_cls, kwargs
        )
        task_contexts = {}
        if not errored:
            _refresh_caches(flow, flow_state)
    return _completed(flow, flow_state, runner_cls)


def _run_passes(
    flow: Flow,
    flow_state: State,
    parameters: dict[str, Any],
    run_context: dict[str, Any],
    task_contexts: dict[Task, dict],
    runner_cls: type,
    runner_kwargs: dict[str, Any],
) -> tuple[State, bool]:
    """Call the flow runner until the flow state is finished; returns (state, errored)."""
    while True:
        run_ids = _task_run_ids(len(flow.slugs))
        # `task_name` and `task_slug` are the flow runner's keys; set here too, they
        # spare it a second dict per task.
        contexts = {
            task: {
                **task_contexts.get(task, {}),
                "task_run_id": run_id,
                "task_id": slug,
                "task_name": task.name,
                "task_slug": slug,
            }
            for (task, slug), run_id in zip(flow.slugs.items(), run_ids)
        }
        task_contexts = {}
        flow_state = runner_cls(flow=flow).run(
            parameters=parameters,
            return_tasks=flow.tasks,
            state=flow_state,
            task_states=flow_state.result if isinstance(flow_state.result, dict) else {},
            context=run_context,
            task_contexts=contexts,
            **runner_kwargs,
        )
        if not isinstance(flow_state.result, dict) or flow_state.is_scheduled():
            return flow_state, True
        if flow_state.is_finished():
            return flow_state, False
        _resume_paused_tasks(flow_state.result)
        next_start = _earliest_start(flow_state.result.values())
        if next_start is None:
            return flow_state, False
        _sleep_until(next_start, "Waiting for next available Task run at", flow)


def _task_run_ids(count: int) -> list[str]:
    """`count` distinct version-4 UUID strings, for one pass's task runs.

    The pass draws one random UUID; its first 74 random bits (with the RFC 4122 version
    and variant bits) are shared by the pass's ids, and the last 48 bits number the
    tasks. Ids are as unlikely to repeat across passes and runs as random ones, and each
    costs one short format instead of a random UUID of its own.
    """
    prefix = str(uuid.uuid4())[:24]  # "xxxxxxxx-xxxx-4xxx-yxxx-"
    return [f"{prefix}{index:012x}" for index in range(count)]


def _resume_paused_tasks(task_states: dict[Task, State]) -> None:
    """Offer each task paused without a deadline for resuming.

    Only an interactive terminal is asked; elsewhere the tasks stay `Paused` (the rest of
    the run, e.g. other tasks' retries, goes on without them).
    """
    for task, state in list(task_states.items()):
        if not (isinstance(state, Paused) and state.start_time is None):
            continue
        try:
            if not sys.stdin or not sys.stdin.isatty():
                return
            while input(f"{task} is currently Paused; enter 'y' to resume:\n").strip() != "y":
                pass
        except (EOFError, ValueError, OSError):  # stdin closed, detached or at its end
            return
        task_states[task] = Resume("Approval given to resume.")


def _with_children(state: State) -> list[State]:
    """A mapped state's children, or the state itself."""
    return getattr(state, "map_states", None) or [state]


def _earliest_start(states: Any) -> datetime | None:
    """The earliest start time among scheduled states, mapped children included."""
    earliest = None
    for state in states:
        for candidate in _with_children(state):
            start_time = getattr(candidate, "start_time", None)
            if (
                candidate.is_scheduled()
                and start_time is not None
                and (earliest is None or start_time < earliest)
            ):
                earliest = start_time
    return earliest


def _refresh_caches(flow: Flow, flow_state: State) -> None:
    """Add the run's unexpired `Cached` states to `context.caches`."""
    caches = context.get("caches")
    task_states = flow_state.result
    if caches is None or not isinstance(task_states, dict):
        return
    now = _now()
    for task, state in task_states.items():
        if not (caches or isinstance(state, (Cached, Mapped))):
            continue  # nothing cached before, and nothing cached by this task now
        produced = [s for s in _with_children(state) if isinstance(s, Cached)]
        key = task.cache_key or task.name
        if not produced and key not in caches:
            continue
        kept, seen = [], set()
        for cached in [*caches.get(key, []), *produced]:
            expiration = cached.cached_result_expiration
            if expiration is not None and expiration > now and id(cached) not in seen:
                seen.add(id(cached))
                kept.append(cached)
        caches[key] = kept


def _completed(flow: Flow, flow_state: State | None, runner_cls: type) -> State | None:
    """The final flow state, with `Pending("Task not run.")` for tasks it lacks."""
    if flow_state is None:
        return None
    if isinstance(flow_state.result, BaseException):
        flow.logger.error(
            "Unexpected error occured in %s: %r", runner_cls.__name__, flow_state.result
        )
        return flow_state
    if not isinstance(flow_state.result, dict):
        flow_state.result = {}
    task_states = flow_state.result
    # A runner's result only holds tasks of the flow: as many of them means all of them.
    if len(task_states) != len(flow.tasks):
        for task in flow.tasks:
            if task not in task_states:
                task_states[task] = Pending("Task not run.")
    return flow_state
