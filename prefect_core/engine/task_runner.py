"""`TaskRunner`: one run of one task, as a short pipeline of steps.

The pipeline, in order (`run` shows it on one screen):

    ready? -> start time reached? -> upstream finished? -> upstream skipped?
    -> inputs -> run name -> target or cache -> trigger -> Running -> run the task
    -> cache the result -> retry? -> (looping: start again with the loop result)

Each step takes the current state and returns the next; a step ends the run early by
raising `ENDRUN(state)`. State handlers see every transition (see `engine.runner`).

The hot path is kept lean: the task's context is one flat dict entered once, handlers
are only called when there are any, nothing is logged or formatted below the active log
level, and the pipeline tests state classes with `isinstance` (what the `is_...`
predicates test) instead of calling a predicate per check.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from contextlib import redirect_stdout
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from dask.base import tokenize

from prefect_core.engine import signals
from prefect_core.engine.mapping import map_width
from prefect_core.engine.result import NoResult, Result
from prefect_core.engine.result.base import ResultDeserializationError, ResultNotImplementedError
from prefect_core.engine.results import ConstantResult, SecretResult
from prefect_core.engine.runner import Runner, call_state_handlers
from prefect_core.engine.signals import ENDRUN
from prefect_core.engine.state import (
    Cached,
    Failed,
    Finished,
    Looped,
    Mapped,
    Paused,
    Pending,
    Queued,
    Resume,
    Retrying,
    Running,
    Scheduled,
    Skipped,
    State,
    Success,
    TimedOut,
    TriggerFailed,
)
from prefect_core.exceptions import TaskTimeoutSignal
from prefect_core.utilities import executors
from prefect_core.utilities.context import context as prefect_context
from prefect_core.utilities.context import thread_state
from prefect_core.utilities.logging import RedirectToLog, get_transient_logger

if TYPE_CHECKING:
    from prefect_core.core.edge import Edge
    from prefect_core.core.task import Task

_INFO = logging.INFO
_DEFAULT_RESULT = Result()


class TaskRunnerInitializeResult(NamedTuple):
    """What `TaskRunner.initialize_run` returns."""

    state: State
    context: dict


def _expanded_upstream_states(upstream_states: dict[Edge, State]) -> Iterable[State]:
    """Upstream states, with a `Mapped` state replaced by its children unless the edge
    itself is mapped."""
    states = upstream_states.values()
    for state in states:
        if type(state) is Mapped:
            break
    else:
        return states
    expanded: list[State] = []
    for edge, state in upstream_states.items():
        if not edge.mapped and isinstance(state, Mapped):
            expanded.extend(state.map_states)  # type: ignore[attr-defined]
        else:
            expanded.append(state)
    return expanded


class TaskRunner(Runner):
    """Runs one task: `TaskRunner(task).run(state, upstream_states, context)`."""

    def __init__(
        self,
        task: Task,
        state_handlers: Sequence[Callable] | None = None,
        flow_result: Result | None = None,
    ) -> None:
        self.task = task
        super().__init__(state_handlers=state_handlers)
        if task.result:
            self.result = task.result
        elif flow_result is not None:
            self.result = flow_result.copy()
        else:
            self.result = _DEFAULT_RESULT

    def __repr__(self) -> str:
        return f"<TaskRunner: {self.task.name}>"

    def _full_name(self) -> str:
        """The name log lines use: `name`, or `name[i]` for mapped child `i`."""
        return prefect_context.get("task_full_name", self.task.name)

    def _target_has_handlers(self) -> bool:
        return bool(self.task.state_handlers)

    def call_runner_target_handlers(self, old_state: State, new_state: State) -> State:
        """Log the transition and call the task's own state handlers."""
        if self.logger.isEnabledFor(logging.DEBUG):
            self.logger.debug(
                "Task '%s': Handling state change from %s to %s",
                self._full_name(),
                type(old_state).__name__,
                type(new_state).__name__,
            )
        for handler in self.task.state_handlers:
            new_state = handler(self.task, old_state, new_state) or new_state
        return new_state

    # -- the run ------------------------------------------------------------------------

    def run(
        self,
        state: State | None = None,
        upstream_states: dict[Edge, State] | None = None,
        context: dict | None = None,
        is_mapped_parent: bool = False,
    ) -> State:
        """Run the task from `state` given its upstream states; returns the final state."""
        upstream_states = upstream_states or {}
        self._decide_reporting()
        saved_context = prefect_context._push(context or {})
        try:
            task_context = thread_state.current
            map_index = task_context.setdefault("map_index", None)
            task_context["task_full_name"] = (
                self.task.name if map_index is None else f"{self.task.name}[{map_index}]"
            )
            state, task_context = self.initialize_run(state, task_context)
            # Formatted only when INFO is on. A retried looping task resumes its loop
            # without a new "Starting" line (as 1.4.1); "Finished" ends every run.
            log_info = self.logger.isEnabledFor(_INFO)
            name = task_context["task_full_name"]
            if log_info and "task_loop_count" not in task_context:
                self.logger.info("Task '%s': Starting task run...", name)
            try:
                while True:
                    state = self._run_pipeline(state, upstream_states, is_mapped_parent)
                    if not isinstance(state, Looped):
                        break
                    state = self._prepare_next_loop(state, task_context)
            except KeyboardInterrupt:
                self.logger.error(
                    "Task '%s': interrupted by the user (KeyboardInterrupt)%s; "
                    "the flow run stops here.",
                    name,
                    _loop_iteration(task_context),
                )
                raise
            if log_info:
                self.logger.info(
                    "Task '%s': Finished task run for task with final state: '%s'",
                    name,
                    type(state).__name__,
                )
            return state
        finally:
            prefect_context._restore(saved_context)

    def _run_pipeline(
        self, state: State, upstream_states: dict[Edge, State], is_mapped_parent: bool
    ) -> State:
        """One pass through the pipeline; `ENDRUN` and errors become the final state."""
        task = self.task
        # A step is skipped where it has nothing to check (no start time, no upstream,
        # no cache, no failure): it would return its input state unchanged.
        try:
            state = self.check_task_is_ready(state)
            if isinstance(state, (Scheduled, Queued)):
                state = self.check_task_reached_start_time(state)
            if upstream_states:
                state = self.check_upstream_finished(state, upstream_states)
                state = self.check_upstream_skipped(state, upstream_states)
            state, upstream_states = self.load_results(state, upstream_states)
            inputs = self.get_task_inputs(state, upstream_states)
            if is_mapped_parent:
                state = self.check_task_ready_to_map(state, upstream_states)
            if task.task_run_name:
                self.set_task_run_name(inputs)
            if task.target:
                state = self.check_target(state, inputs)
            elif task.cache_for is not None or isinstance(state, Cached):
                state = self.check_task_is_cached(state, inputs)
            state = self.check_task_trigger(state, upstream_states)
            state = self.set_task_to_running(state, inputs)
            state = self.get_task_run_state(state, inputs)
            if task.cache_for is not None:
                state = self.cache_result(state, inputs)
            if isinstance(state, Failed):
                state = self.check_for_retry(state, inputs)
        except ENDRUN as exc:
            state = exc.state
        except signals.PrefectStateSignal as exc:
            if prefect_context.get("raise_on_exception"):
                raise
            state = exc.state
        except Exception as exc:
            if prefect_context.get("raise_on_exception"):
                raise
            message = f"Task '{self._full_name()}': Unexpected error while running task: {exc!r}"
            self.logger.exception(message)
            state = Failed(message, result=exc)
        return state

    def initialize_run(  # type: ignore[override]
        self, state: State | None, context: dict
    ) -> TaskRunnerInitializeResult:
        """Set the run's context keys (run count, resume, loop, checkpointing, logger)."""
        state, context = super().initialize_run(state, context)
        if isinstance(state, Retrying):
            context["task_run_count"] = state.run_count + 1
        else:
            context["task_run_count"] = state.context.get("task_run_count", 1)
        if isinstance(state, Resume) or (
            isinstance(state, Paused)
            and state.start_time is not None
            and state.start_time <= datetime.now(UTC)
        ):
            context["resume"] = True
        if "_loop_count" in state.context:
            loop_result = state._result
            if loop_result.value is None and loop_result.location is not None:
                loop_result = self.result.read(loop_result.location)
            context["task_loop_result"] = loop_result.value
            context["task_loop_count"] = state.context.pop("_loop_count")

        task = self.task
        context["task_name"] = task.name
        context["task_tags"] = task.tags
        if "checkpointing" not in context:
            run_config = context.get("config")
            context["checkpointing"] = (
                run_config.flows.checkpointing if run_config is not None else False
            )
        if context.get("map_index") is None:
            context["logger"] = task.logger
        else:
            context["logger"] = get_transient_logger(context["task_full_name"])
        if task.target:
            self.result = self.result.copy()
            if callable(task.target):
                self.result._formatter = task.target
                self.result.location = None
            else:
                self.result.location = task.target
        return TaskRunnerInitializeResult(state, context)

    def _prepare_next_loop(self, state: State, task_context: dict) -> State:
        """Set the context for the next loop iteration; returns its starting state."""
        loop_count = state.loop_count  # type: ignore[attr-defined]
        task_context["task_loop_result"] = state.result
        task_context["task_loop_count"] = loop_count + 1
        task_context["task_run_count"] = 1
        return Pending(message=f"Looping task (on loop index {loop_count + 1})")

    # -- the steps ----------------------------------------------------------------------

    @call_state_handlers
    def check_task_is_ready(self, state: State) -> State:
        """Continue from Pending, Mapped or Cached; any other state ends the run as it is."""
        if isinstance(state, (Pending, Mapped, Cached)):
            return state
        if state.is_finished() and self.logger.isEnabledFor(logging.DEBUG):
            self.logger.debug("Task '%s': task is already finished.", self._full_name())
        raise ENDRUN(state)

    @call_state_handlers
    def check_task_reached_start_time(self, state: State) -> State:
        """A Scheduled state (incl. Retrying, Paused) waits until its start time."""
        if state.is_scheduled():
            start_time = state.start_time  # type: ignore[attr-defined]
            if start_time is None or start_time > datetime.now(UTC):
                raise ENDRUN(state)
        return state

    @call_state_handlers
    def check_upstream_finished(self, state: State, upstream_states: dict[Edge, State]) -> State:
        """Wait (end the run unchanged) while any upstream task is unfinished."""
        if not upstream_states:
            return state
        for upstream_state in _expanded_upstream_states(upstream_states):
            if not isinstance(upstream_state, Finished):
                raise ENDRUN(state)
        return state

    @call_state_handlers
    def check_upstream_skipped(self, state: State, upstream_states: dict[Edge, State]) -> State:
        """Skip the task when an upstream task was skipped (unless it opts out)."""
        if upstream_states and self.task.skip_on_upstream_skip:
            for upstream_state in _expanded_upstream_states(upstream_states):
                if isinstance(upstream_state, Skipped):
                    raise ENDRUN(
                        Skipped(
                            message="Upstream task was skipped; if this was not the intended "
                            "behavior, consider changing `skip_on_upstream_skip=False` for "
                            "this task."
                        )
                    )
        return state

    def load_results(
        self, state: State, upstream_states: dict[Edge, State]
    ) -> tuple[State, dict[Edge, State]]:
        """Hook for loading upstream results; returns its inputs unchanged."""
        return state, upstream_states

    def get_task_inputs(
        self, state: State, upstream_states: dict[Edge, State]
    ) -> dict[str, Result]:
        """The task's keyword inputs: the result of each keyed upstream edge."""
        return {
            edge.key: upstream_state._result
            for edge, upstream_state in upstream_states.items()
            if edge.key is not None
        }

    @call_state_handlers
    def check_task_ready_to_map(self, state: State, upstream_states: dict[Edge, State]) -> State:
        """A mapped parent ends here: `Mapped` with its width (kept from an earlier pass),
        or `Failed` when there is nothing it can map over."""
        if state.is_mapped():
            raise ENDRUN(state)
        raise ENDRUN(map_width(self.task, upstream_states))

    def set_task_run_name(self, task_inputs: dict[str, Result]) -> None:
        """Render `task.task_run_name` into context key `task_run_name`."""
        template = self.task.task_run_name
        if template:
            values = self._template_values(task_inputs)
            rendered = template(**values) if callable(template) else template.format(**values)
            prefect_context.current()["task_run_name"] = rendered

    def _template_values(self, task_inputs: dict[str, Result]) -> dict[str, Any]:
        """Values for templates: parameters, then the context, then the task's inputs."""
        current = prefect_context.current()
        values = dict(current.get("parameters") or {})
        values.update(current)
        values.update({key: result.value for key, result in task_inputs.items()})
        values.pop("self", None)
        return values

    def _render_location(self, template: Any, values: dict[str, Any]) -> str:
        """A target or result location from its template, or a clear error ending the run."""
        try:
            return template(**values) if callable(template) else template.format(**values)
        except (KeyError, IndexError, AttributeError) as exc:
            message = (
                f"Task '{self._full_name()}': could not render the location template "
                f"{template!r}: {exc!r} is neither a parameter, a context key nor an input "
                "of the task."
            )
            raise ENDRUN(Failed(message, result=exc)) from exc

    @call_state_handlers
    def check_target(self, state: State, inputs: dict[str, Result]) -> State:
        """A result already stored at the task's target makes the run `Cached`."""
        values = self._template_values(inputs)
        target = self.task.target
        location = self._render_location(target, values)
        # `exists` formats what it is given: pass the template, not the rendered location,
        # so that braces inside a rendered value are not formatted a second time.
        if not self.result.exists(target if isinstance(target, str) else location, **values):
            return state
        try:
            stored = self.result.read(location)
        except ResultDeserializationError as exc:
            self.logger.warning(
                "Task '%s': the result at target %s cannot be read (%s); running the task "
                "again.",
                self._full_name(),
                exc.location,
                exc.__cause__ or exc,
            )
            return state
        return Cached(
            result=stored,
            hashed_inputs={key: tokenize(result.value) for key, result in inputs.items()},
            cached_result_expiration=None,
            cached_parameters=values.get("parameters"),
            message=f"Result found at task target {location}",
        )

    @call_state_handlers
    def check_task_is_cached(self, state: State, inputs: dict[str, Result]) -> State:
        """Reuse a valid cached state (the given one, or one from `context.caches`)."""
        task = self.task
        if task.cache_for is None and not state.is_cached():
            return state
        parameters = prefect_context.get("parameters") or {}
        raw_inputs = {key: result.value for key, result in inputs.items()}
        if state.is_cached():
            if task.cache_validator(state, raw_inputs, parameters):
                return state
            return Pending("Cache was invalid; ready to run.")
        caches = prefect_context.get("caches") or {}
        for candidate in caches.get(task.cache_key or task.name, ()):
            if task.cache_validator(candidate, raw_inputs, parameters):
                return candidate
        self.logger.warning(
            "Task '%s': Can't use cache because it is now invalid", self._full_name()
        )
        return state

    @call_state_handlers
    def check_task_trigger(self, state: State, upstream_states: dict[Edge, State]) -> State:
        """Run the task's trigger; a failing trigger ends the run."""
        try:
            if not self.task.trigger(upstream_states):
                raise signals.TRIGGERFAIL(message="Trigger failed")
        except signals.PrefectStateSignal as exc:
            if self.logger.isEnabledFor(logging.DEBUG):
                self.logger.debug(
                    "Task '%s': %s signal raised during trigger.",
                    self._full_name(),
                    type(exc).__name__,
                )
            if prefect_context.get("raise_on_exception"):
                raise
            raise ENDRUN(exc.state) from exc
        except Exception as exc:
            if prefect_context.get("raise_on_exception"):
                raise
            raise ENDRUN(
                TriggerFailed(
                    f"Unexpected error while checking task trigger: {exc!r}", result=exc
                )
            ) from exc
        return state

    @call_state_handlers
    def set_task_to_running(self, state: State, inputs: dict[str, Result]) -> State:
        """Pending becomes Running; anything else (e.g. a valid Cached) ends the run."""
        if not isinstance(state, Pending):
            raise ENDRUN(state)
        return Running(message="Starting task run.")

    @call_state_handlers
    def get_task_run_state(self, state: State, inputs: dict[str, Result]) -> State:
        """Run the task body and turn its outcome into a state."""
        if not isinstance(state, Running):
            raise ENDRUN(state)
        task = self.task
        raw_inputs = {key: result.value for key, result in inputs.items()}
        signal_state = None
        try:
            if task.log_stdout:
                with redirect_stdout(RedirectToLog(self.logger)):  # type: ignore[type-var]
                    value = executors.run_task_with_timeout(task, kwargs=raw_inputs,
                                                            logger=self.logger)
            else:
                value = executors.run_task_with_timeout(task, kwargs=raw_inputs,
                                                        logger=self.logger)
        except TaskTimeoutSignal as exc:
            self.logger.error("Task '%s': %s", self._full_name(), exc)
            if isinstance(exc, executors.SoftTimeoutSignal):
                return TimedOut(
                    "Task timed out during execution; it may still be running (this worker "
                    "process can only stop waiting for it: a soft timeout).",
                    result=exc,
                )
            return TimedOut("Task timed out during execution.", result=exc)
        except (signals.LOOP, signals.SUCCESS) as exc:
            signal_state = exc.state
            value = signal_state.result
            if isinstance(exc, signals.LOOP) and signal_state.message is None:
                signal_state.message = f"Task is looping ({signal_state.loop_count})"
        except signals.PrefectStateSignal:
            raise
        except Exception as exc:
            if prefect_context.get("raise_on_exception"):
                raise
            self.logger.exception(
                "Task '%s': Exception encountered during task execution!", self._full_name()
            )
            return Failed(f"Error during execution of task: {exc!r}", result=exc)

        result = self._result_for(value, inputs)
        if signal_state is not None:
            signal_state._result = result
            return signal_state
        return Success(result=result, message="Task run succeeded.")

    def _result_for(self, value: Any, inputs: dict[str, Result]) -> Result:
        """The run's result: written to storage when checkpointing, else in memory."""
        checkpointing = thread_state.current.get("checkpointing") is True
        if not checkpointing or self.task.checkpoint is False or value is None:
            if self.result is _DEFAULT_RESULT:
                return Result(value=value, serializer=_DEFAULT_RESULT.serializer)
            return self.result.from_value(value)
        values = self._template_values(inputs)
        if isinstance(self.result.location, str) or self.result._formatter is not None:
            self._render_location(self.result._formatter or self.result.location, values)
        try:
            return self.result.write(value, **values)
        except ResultNotImplementedError:
            return self.result.from_value(value)
        except Exception as exc:
            if isinstance(self.result, (ConstantResult, SecretResult)):
                raise  # as in 1.4.1: they refuse writes -> "Unexpected error: ValueError(...)"
            message = (
                f"Task '{self._full_name()}': could not store its result with "
                f"{type(self.result).__name__}: {type(exc).__name__}: {exc}"
            )
            self.logger.error(message)
            raise ENDRUN(Failed(message, result=exc)) from exc

    @call_state_handlers
    def cache_result(self, state: State, inputs: dict[str, Result]) -> State:
        """A successful run of a task with `cache_for` becomes `Cached`."""
        if state.is_successful() and not state.is_skipped() and self.task.cache_for is not None:
            return Cached(
                result=state._result,
                hashed_inputs={key: tokenize(result.value) for key, result in inputs.items()},
                cached_result_expiration=datetime.now(UTC) + self.task.cache_for,
                cached_parameters=prefect_context.get("parameters"),
                message=state.message,
            )
        return state

    @call_state_handlers
    def check_for_retry(self, state: State, inputs: dict[str, Result]) -> State:
        """A failed run with attempts left becomes `Retrying` after `retry_delay`."""
        if not state.is_failed():
            return state
        task = self.task
        if task.retry_on and state.result is not None and not isinstance(
            state.result, tuple(task.retry_on)
        ):
            self.logger.info(
                "Task '%s': Skipping retry. Exception of type %r is not an instance of the "
                "retry on exception types.",
                self._full_name(),
                type(state.result).__name__,
            )
            return state
        run_count = prefect_context.get("task_run_count", 1)
        if run_count > task.max_retries:
            return state
        current = prefect_context.current()
        retry_context: dict[str, Any] = {}
        retry_result: Any = NoResult
        if "task_loop_count" in current:
            retry_context["_loop_count"] = current["task_loop_count"]
            retry_result = self._result_for(current.get("task_loop_result"), inputs)
        return Retrying(
            start_time=datetime.now(UTC) + task.retry_delay,
            message=f"Retrying Task (after attempt {run_count} of {task.max_retries + 1})",
            run_count=run_count,
            context=retry_context,
            result=retry_result,
        )


def _loop_iteration(task_context: dict) -> str:
    count = task_context.get("task_loop_count")
    return f" during loop iteration {count}" if count else ""


__all__ = ["TaskRunner", "TaskRunnerInitializeResult"]
