"""`FlowRunner`: runs every task of a flow once, in topological order, on an executor.

A flow run:

1. **Plan once** (`RunPlan`): the sorted tasks and, for each, its incoming edges and
   constant inputs, and how many downstream tasks will read its state. Nothing per task
   is recomputed from the whole graph.
2. **Submit in order**: each task run goes to `executor.submit(run_task, ...)` with its
   upstream states (or futures). The LocalExecutor runs it inline; other executors
   resolve the futures themselves.
3. **Release** a task's state as soon as every downstream task has been submitted,
   unless the caller asked for it (`return_tasks`) or it decides the flow's state
   (terminal and reference tasks).
4. **Collect** the final states and decide the flow's state from the reference tasks.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from prefect_core.engine.mapping import (
    expanded_states,
    flatten_mapped_children,
    flatten_upstream_state,
    state_for_map_index,
    with_children,
)
from prefect_core.engine.run_plan import PlannedTask, RunPlan, plan_run
from prefect_core.engine.runner import Runner, call_state_handlers
from prefect_core.engine.signals import ENDRUN
from prefect_core.engine.state import Failed, Mapped, Pending, Running, State, Success
from prefect_core.utilities.context import context as prefect_context
from prefect_core.utilities.garbage_collection import relaxed_garbage_collection

if TYPE_CHECKING:
    from prefect_core.core.edge import Edge
    from prefect_core.core.flow import Flow
    from prefect_core.core.task import Task
    from prefect_core.engine.result import Result
    from prefect_core.executors import Executor


class FlowRunnerInitializeResult(NamedTuple):
    """What `FlowRunner.initialize_run` returns."""

    state: State
    task_states: dict
    context: dict
    task_contexts: dict


def _constant_state(value: Any) -> State:
    from prefect_core.engine.results import ConstantResult

    return Success("Auto-generated constant value", result=ConstantResult(value=value))


class FlowRunner(Runner):
    """Runs a flow: `FlowRunner(flow).run(parameters=..., executor=...)` -> flow state."""

    def __init__(
        self,
        flow: Flow,
        task_runner_cls: type | None = None,
        state_handlers: Sequence[Callable] | None = None,
    ) -> None:
        from prefect_core.engine import get_default_task_runner_class

        self.flow = flow
        super().__init__(state_handlers=state_handlers)
        self.task_runner_cls = task_runner_cls or get_default_task_runner_class()

    def __repr__(self) -> str:
        return f"<FlowRunner: {self.flow.name}>"

    def _target_has_handlers(self) -> bool:
        return bool(self.flow.state_handlers)

    def call_runner_target_handlers(self, old_state: State, new_state: State) -> State:
        """Log the transition and call the flow's own state handlers."""
        self.logger.debug(
            "Flow '%s': Handling state change from %s to %s",
            self.flow.name,
            type(old_state).__name__,
            type(new_state).__name__,
        )
        for handler in self.flow.state_handlers:
            new_state = handler(self.flow, old_state, new_state) or new_state
        return new_state

    def initialize_run(  # type: ignore[override]
        self,
        state: State | None,
        task_states: dict,
        context: dict,
        task_contexts: dict,
        parameters: dict,
    ) -> FlowRunnerInitializeResult:
        """Fill the run context (parameters, dates, names) and each task's context."""
        flow = self.flow
        run_parameters = dict(context.get("parameters") or {})
        for parameter in flow.parameters():
            if not parameter.required:
                run_parameters.setdefault(parameter.name, parameter.default)
        run_parameters.update(parameters)
        context["parameters"] = run_parameters
        context["flow_name"] = flow.name
        context.setdefault("scheduled_start_time", datetime.now(UTC))
        _set_date_keys(context, self.logger)

        for task, slug in flow.slugs.items():
            given = task_contexts.get(task)
            if given is None:
                task_contexts[task] = {"task_name": task.name, "task_slug": slug}
            elif given.get("task_slug") != slug or given.get("task_name") != task.name:
                # A new dict: the caller's is left untouched.
                task_contexts[task] = {**given, "task_name": task.name, "task_slug": slug}
        state, context = super().initialize_run(state, context)
        return FlowRunnerInitializeResult(state, task_states, context, task_contexts)

    def run(
        self,
        state: State | None = None,
        task_states: dict[Task, State] | None = None,
        return_tasks: Iterable[Task] | None = None,
        parameters: dict[str, Any] | None = None,
        task_runner_state_handlers: Iterable[Callable] | None = None,
        executor: Executor | None = None,
        context: dict[str, Any] | None = None,
        task_contexts: dict[Task, dict[str, Any]] | None = None,
    ) -> State:
        """Run the flow once; returns its state, whose result maps tasks to states."""
        from prefect_core.engine import get_default_executor_class

        self.logger.info("Beginning Flow run for '%s'", self.flow.name)
        self._decide_reporting()
        parameters = dict(parameters or {})
        task_states = dict(task_states or {})
        task_contexts = dict(task_contexts or {})
        if not isinstance(return_tasks, (set, frozenset)):
            return_tasks = set(return_tasks or ())
        if executor is None:
            executor = self.flow.executor or get_default_executor_class()()

        with relaxed_garbage_collection(), prefect_context(context or {}):
            run_context = prefect_context.current()
            try:
                state, task_states, run_context, task_contexts = self.initialize_run(
                    state, task_states, run_context, task_contexts, parameters
                )
                state = self.check_flow_is_pending_or_running(state)
                state = self.check_flow_reached_start_time(state)
                state = self.set_flow_to_running(state)
                state = self.get_flow_run_state(
                    state,
                    task_states=task_states,
                    task_contexts=task_contexts,
                    return_tasks=return_tasks,
                    task_runner_state_handlers=task_runner_state_handlers,
                    executor=executor,
                )
            except ENDRUN as exc:
                state = exc.state
            except Exception as exc:
                self.logger.exception("Unexpected error while running flow: %r", exc)
                if prefect_context.get("raise_on_exception"):
                    raise
                new_state = Failed(f"Unexpected error while running flow: {exc!r}", result=exc)
                state = self.handle_state_change(state or Pending(), new_state)
        return state

    @call_state_handlers
    def check_flow_is_pending_or_running(self, state: State) -> State:
        """Only a pending or running flow runs; a finished one ends as it is."""
        if state.is_finished():
            self.logger.info("Flow run has already finished.")
            raise ENDRUN(state)
        if not (state.is_pending() or state.is_running()):
            raise ENDRUN(state)
        return state

    @call_state_handlers
    def check_flow_reached_start_time(self, state: State) -> State:
        """A Scheduled flow run waits until its start time."""
        if state.is_scheduled():
            start_time = state.start_time  # type: ignore[attr-defined]
            if start_time is not None and start_time > datetime.now(UTC):
                raise ENDRUN(state)
        return state

    @call_state_handlers
    def set_flow_to_running(self, state: State) -> State:
        """Pending becomes Running; a Running state is kept as it is."""
        if state.is_pending():
            return Running(message="Running flow.")
        if state.is_running():
            return state
        raise ENDRUN(state)

    @call_state_handlers
    def get_flow_run_state(
        self,
        state: State,
        task_states: dict[Task, Any],
        task_contexts: dict[Task, dict[str, Any]],
        return_tasks: set[Task],
        task_runner_state_handlers: Iterable[Callable] | None,
        executor: Executor,
    ) -> State:
        """Submit every task in order, then collect and judge the final states."""
        if not state.is_running():
            raise ENDRUN(state)
        flow = self.flow
        if not (return_tasks is flow.tasks or return_tasks <= flow.tasks):
            raise ValueError("Some tasks in return_tasks were not found in the flow.")
        plan = plan_run(flow)
        steps = plan.steps
        if len(return_tasks) == len(flow.tasks):  # every state is returned, so kept
            is_final = [True] * len(steps)
        else:
            final_tasks = flow.terminal_tasks() | flow.reference_tasks() | return_tasks
            is_final = [task in final_tasks for task in plan.tasks]
        run_context = prefect_context.current()
        handlers = list(task_runner_state_handlers or [])
        states = (
            [task_states.get(task) for task in plan.tasks] if task_states else [None] * len(steps)
        )
        readers_left = list(plan.readers)

        with executor.start():
            # Executors running task runs elsewhere get the run's context once, shared by
            # every task run, instead of a copy (parameters included) with each of them.
            if not executor.runs_in_caller_context:
                run_context = executor.share(dict(run_context))
            for planned in steps:
                states[planned.index] = self._submit(
                    planned, states, task_contexts, run_context, handlers, executor
                )
                for _, upstream_index in planned.upstream:
                    readers_left[upstream_index] -= 1
                    if not readers_left[upstream_index] and not is_final[upstream_index]:
                        states[upstream_index] = None  # nobody reads it any more: release
            finals = {
                planned.task: states[planned.index] for planned in steps if is_final[planned.index]
            }
            # One wait for every final state and every mapped child: an executor computing
            # on `wait` (LocalDaskExecutor) then sees the whole remaining graph at once.
            children = {
                task: state.map_states for task, state in finals.items()
                if isinstance(state, Mapped)
            }
            final_states, final_children = executor.wait((finals, children))
            for task, resolved_children in final_children.items():
                _adopt_children(final_states[task], resolved_children)
            # Only an executor running task runs elsewhere can lose one (a dead worker).
            if not executor.runs_in_caller_context and any(
                map(_has_lost_with_upstream, final_states.values())
            ):
                self._rerun_lost_with_upstream(
                    plan, final_states, task_contexts, run_context, handlers, executor
                )

        key_states = expanded_states(final_states[task] for task in flow.reference_tasks())
        terminal_states = expanded_states(final_states[task] for task in flow.terminal_tasks())
        if len(return_tasks) == len(final_states):  # every task returned: in run order
            return_states = final_states
        else:
            return_states = {task: final_states[task] for task in return_tasks}
        return self.determine_final_state(
            state,
            key_states=key_states,
            return_states=return_states,
            terminal_states=terminal_states,
        )

    def _submit(
        self,
        planned: PlannedTask,
        states: list[Any],
        task_contexts: dict[Task, dict[str, Any]],
        run_context: Any,
        handlers: list[Callable],
        executor: Executor,
    ) -> Any:
        """Hand one task run to the executor; returns its state (or future).

        A constant's state is its value; a given finished state is kept (unless it is
        Cached or Mapped, or belongs to a resource setup/cleanup task, which reruns).
        """
        task = planned.task
        task_state = states[planned.index]
        if task_state is None and task._is_constant:
            return Success(result=task.value)  # type: ignore[attr-defined]
        if task_state is not None and task_state.is_finished() and not (
            task_state.is_cached() or task_state.is_mapped()
        ):
            if task._resource_role not in ("setup", "cleanup"):
                return task_state
            task_state = Pending()
        upstream_states: dict[Edge, Any] = {}
        for edge, upstream_index in planned.upstream:
            upstream_state = states[upstream_index]
            if upstream_state is None:
                upstream_state = Pending(message="Task state not available.")
            elif planned.reads_mapped_or_flattened:
                upstream_state = self._resolve_edge(edge, upstream_state, executor)
            upstream_states[edge] = upstream_state
        for edge, value in planned.constant_edges:
            upstream_states[edge] = _constant_state(value)
        task_context = task_contexts.get(task) or {}
        shared_context = None if executor.runs_in_caller_context else run_context
        if planned.is_mapped:
            return self._submit_mapped(
                task, task_state, upstream_states, task_context, shared_context, handlers,
                executor,
            )
        return executor.submit(
            run_task,
            task=task,
            state=task_state,
            upstream_states=upstream_states,
            context=task_context,
            flow_result=self.flow.result,
            task_runner_cls=self.task_runner_cls,
            task_runner_state_handlers=handlers,
            upstream_mapped_states={},
            run_context=shared_context,
            extra_context={"task_name": task.name, "task_tags": task.tags, "task_index": None},
        )

    def _submit_mapped(
        self,
        task: Task,
        task_state: State | None,
        upstream_states: dict[Edge, Any],
        task_context: dict[str, Any],
        shared_context: Any,
        handlers: list[Callable],
        executor: Executor,
    ) -> State:
        """Run a mapped task's parent, then submit one child run per item.

        The parent's state is waited for (it is small: the width); the children are
        submitted without waiting, each receiving its own upstream child (state or
        future), so an executor with futures can run chained maps depth first. Returns
        the parent state, whose `map_states` are the children (states or futures).
        """
        run_arguments = {
            "task": task,
            "flow_result": self.flow.result,
            "task_runner_cls": self.task_runner_cls,
            "task_runner_state_handlers": handlers,
            "upstream_mapped_states": {},
            "run_context": shared_context,
        }
        parent = executor.wait(
            executor.submit(
                run_task,
                state=task_state,
                upstream_states=upstream_states,
                context=task_context,
                is_mapped_parent=True,
                extra_context={"task_name": task.name, "task_tags": task.tags, "task_index": None},
                **run_arguments,
            )
        )
        if not parent.is_mapped():
            return parent
        previous_children = task_state.map_states if isinstance(task_state, Mapped) else None
        if parent is task_state:
            parent = copy.copy(parent)  # the caller's state object is left as it was given
        width = parent.n_map_states
        if previous_children is not None:
            width = min(width, len(previous_children))

        whole_inputs: dict[Edge, Any] = {}
        child_inputs: list[tuple[Edge, list]] = []
        map_sources: dict[Edge, Any] = {}
        for edge, upstream_state in upstream_states.items():
            if not edge.mapped:
                whole_inputs[edge] = upstream_state
            elif isinstance(upstream_state, Mapped):
                child_inputs.append((edge, upstream_state.map_states))
            else:
                map_sources[edge] = upstream_state
        children = []
        for map_index in range(width):
            child_upstream_states = dict(whole_inputs)
            for edge, upstream_children in child_inputs:
                child_upstream_states[edge] = upstream_children[map_index]
            children.append(
                executor.submit(
                    run_task,
                    state=previous_children[map_index] if previous_children else None,
                    upstream_states=child_upstream_states,
                    context={**task_context, "map_index": map_index},
                    map_sources=map_sources,
                    extra_context={
                        "task_name": task.name, "task_tags": task.tags, "task_index": map_index
                    },
                    **run_arguments,
                )
            )
        parent.map_states = children
        return parent

    @staticmethod
    def _resolve_edge(edge: Edge, upstream_state: Any, executor: Executor) -> Any:
        """The state an edge delivers: flattened, and a `Mapped` upstream on an unmapped
        edge (a reduce) holding its children's results."""
        if isinstance(upstream_state, Mapped):
            if edge.flattened:
                children = executor.wait(
                    executor.submit(flatten_mapped_children, upstream_state.map_states)
                )
                upstream_state = Mapped(map_states=children, n_map_states=len(children))
            if not edge.mapped:
                return executor.submit(with_children, upstream_state, upstream_state.map_states)
            return upstream_state
        if edge.flattened:
            return executor.submit(flatten_upstream_state, upstream_state)
        return upstream_state

    def _rerun_lost_with_upstream(
        self,
        plan: RunPlan,
        final_states: dict[Task, State],
        task_contexts: dict[Task, dict[str, Any]],
        run_context: dict[str, Any],
        handlers: list[Callable],
        executor: Executor,
    ) -> None:
        """Run again, in order, the task runs (and mapped children) an executor never
        started because an upstream run was lost (a Dask worker died): each now sees that
        upstream's `Failed` state, and its trigger decides, as if the upstream had failed
        in the usual way."""
        states: list[Any] = [final_states.get(task) for task in plan.tasks]
        for planned in plan.steps:
            state = states[planned.index]
            if not _has_lost_with_upstream(state):
                continue
            if not isinstance(state, Mapped):
                states[planned.index] = None
            else:
                rerun = copy.copy(state)  # finished children are kept, lost ones run again
                rerun.map_states = [
                    None if _lost_with_upstream(child) else child for child in state.map_states
                ]
                states[planned.index] = rerun
            state = executor.wait(
                self._submit(planned, states, task_contexts, run_context, handlers, executor)
            )
            if isinstance(state, Mapped):
                _collect_children(state, executor)
            states[planned.index] = final_states[planned.task] = state

    def determine_final_state(
        self,
        state: State,
        key_states: set[State],
        return_states: dict[Task, State],
        terminal_states: set[State],
    ) -> State:
        """The flow's state from its reference (key) and terminal task states."""
        if not all(task_state.is_finished() for task_state in terminal_states):
            self.logger.info("Flow run RUNNING: terminal tasks are incomplete.")
            state.result = return_states
        elif any(task_state.is_failed() for task_state in key_states):
            self.logger.info("Flow run FAILED: some reference tasks failed.")
            state = Failed(message="Some reference tasks failed.", result=return_states)
        elif all(task_state.is_successful() for task_state in key_states):
            self.logger.info("Flow run SUCCESS: all reference tasks succeeded")
            state = Success(message="All reference tasks succeeded.", result=return_states)
        else:
            self.logger.info("Flow run SUCCESS: no reference tasks failed")
            state = Success(message="No reference tasks failed.", result=return_states)

        handler = self.flow.terminal_state_handler
        if handler is not None:
            replaced = handler(self.flow, state, key_states)
            if replaced is not None:
                state = replaced
        return state


def _collect_children(parent: Mapped, executor: Executor) -> None:
    """Resolve a final mapped state's children (see `_adopt_children`)."""
    _adopt_children(parent, executor.wait(parent.map_states))


def _adopt_children(parent: Mapped, children: list[State]) -> None:
    """Give a final mapped state its resolved children and their results."""
    parent.map_states = children
    parent.result = [child.result for child in children]


def _lost_with_upstream(state: Any) -> bool:
    """Whether an executor never started this run because an upstream run was lost."""
    if not isinstance(state, Failed):
        return False
    from prefect_core.executors.base import TaskRunLost

    result = getattr(state, "_result", None)
    lost = getattr(result, "value", None)
    return isinstance(lost, TaskRunLost) and not lost.own


def _has_lost_with_upstream(state: Any) -> bool:
    """Whether this run, or one of its mapped children, was never started because an
    upstream run was lost."""
    if isinstance(state, Mapped):
        return any(map(_lost_with_upstream, state.map_states))
    return _lost_with_upstream(state)


def _set_date_keys(context: dict[str, Any], logger: Any) -> None:
    """Set `date` (from an ISO string if given) and the derived `today`, ... keys."""
    given = context.get("date")
    if isinstance(given, str):
        try:
            parsed = datetime.fromisoformat(given)
        except ValueError:
            pass
        else:  # date-only or offset-less strings are UTC
            context["date"] = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    date = context.get("date")
    if isinstance(date, datetime):
        if date.tzinfo is None:
            date = date.replace(tzinfo=UTC)
    else:
        if "date" in context:
            logger.warning(
                "Context key `date` (%r) is not a datetime or an ISO-8601 string; the "
                "date keys are derived from the current time instead.",
                given,
            )
        date = datetime.now(UTC)
    context.setdefault("date", date)
    for key, day in (("today", date), ("yesterday", date - timedelta(days=1)),
                     ("tomorrow", date + timedelta(days=1))):
        context.setdefault(key, day.strftime("%Y-%m-%d"))
        context.setdefault(f"{key}_nodash", day.strftime("%Y%m%d"))


def run_task(
    task: Task,
    state: State | None,
    upstream_states: dict[Edge, State],
    context: dict[str, Any],
    flow_result: Result | None,
    task_runner_cls: Callable,
    task_runner_state_handlers: Iterable[Callable],
    upstream_mapped_states: dict[Edge, list[State]],
    is_mapped_parent: bool = False,
    map_sources: dict[Edge, State] | None = None,
    run_context: dict[str, Any] | None = None,
) -> State:
    """Run one task with a fresh task runner; the function executors receive.

    Args (besides the runner's own):
        upstream_mapped_states: for unmapped edges from a `Mapped` upstream, its
            children, resolved by the executor and swapped into that upstream state.
        map_sources: for a mapped child (`context["map_index"]`), the whole upstream
            states of its mapped edges from unmapped upstreams; the child takes its item
            of each here, where the task runs, so the whole result never has to travel.
        run_context: the flow run's context, shared by every task run of an executor
            that runs them elsewhere; `context` (the task's own keys) is laid over it.
    """
    if run_context:
        context = {**run_context, **context}
    if upstream_mapped_states:
        upstream_states = dict(upstream_states)
        for edge, children in upstream_mapped_states.items():
            upstream_states[edge] = with_children(upstream_states[edge], children)
    if map_sources:
        map_index = context["map_index"]
        for edge, source in map_sources.items():
            upstream_states[edge] = state_for_map_index(source, map_index)
    runner = task_runner_cls(
        task=task, state_handlers=task_runner_state_handlers, flow_result=flow_result
    )
    return runner.run(
        state=state,
        upstream_states=upstream_states,
        context=context,
        is_mapped_parent=is_mapped_parent,
    )


__all__ = ["FlowRunner", "FlowRunnerInitializeResult", "run_task"]
