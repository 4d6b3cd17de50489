"""`Flow`: the graph of tasks and edges, built inside `with Flow(...)` or imperatively.

The graph is kept in structures that make every query cheap:

- `tasks` (a set) and `slugs` (`{task: slug}`, in insertion order, which also gives the
  deterministic tie-break of `sorted_tasks`);
- `edges` (a set) plus, per task, the lists of its incoming and outgoing edges, kept up
  to date by every mutation, so neighbour queries cost O(degree);
- a slug -> task index, so adding a task never scans the other slugs;
- a cache of whole-graph answers (sorted order, roots, terminals, reference tasks),
  dropped whenever the graph changes.

Mutating calls are atomic: if one fails half-way (a duplicate slug, a bad key, a
cycle under eager validation), everything it added is taken out again.
"""

from __future__ import annotations

import collections
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from prefect_core.configuration import config
from prefect_core.core.edge import Edge, check_key
from prefect_core.core.flow_graph import SortedGraph, find_path, sort_graph, topological_order
from prefect_core.core.task import Task, _handlers_with_failure_callback
from prefect_core.utilities.context import context
from prefect_core.utilities.logging import get_logger
from prefect_core.utilities.tasks import as_task, holds_no_task

if TYPE_CHECKING:
    from prefect_core.core.parameter import Parameter

CYCLE_MESSAGE = "Cycle found; flows must be acyclic!"


def _cycle_error(cycle: list[Task]) -> ValueError:
    """1.4.1's cycle error, naming the tasks on the cycle (the first one repeated last)."""
    names = " -> ".join(task.name for task in cycle)
    return ValueError(f"{CYCLE_MESSAGE} Tasks on the cycle: {names}")
_MISSING = object()


class Flow:
    """A named graph of tasks; `flow.run()` runs it and returns a state per task."""

    def __init__(
        self,
        name: str,
        schedule: Any = None,
        executor: Any = None,
        run_config: Any = None,
        storage: Any = None,
        tasks: Iterable[Task] | None = None,
        edges: Iterable[Edge] | None = None,
        reference_tasks: Iterable[Task] | None = None,
        state_handlers: Sequence[Callable] | None = None,
        on_failure: Callable | None = None,
        validate: bool | None = None,
        result: Any = None,
        terminal_state_handler: Callable | None = None,
    ) -> None:
        if not name:
            raise ValueError("A name must be provided for the flow.")
        self.name = name
        self.logger = get_logger(name)
        self.schedule = schedule
        self.executor = executor
        self.run_config = run_config
        self.storage = storage
        self.result = result
        self.terminal_state_handler = terminal_state_handler

        self.tasks: set[Task] = set()
        self.edges: set[Edge] = set()
        self.slugs: dict[Task, str] = {}
        self.constants: collections.defaultdict[Task, dict[str, Any]] = (
            collections.defaultdict(dict)
        )
        self._slug_counters: dict[str, int] = {}
        self._task_by_slug: dict[str, Task] = {}
        self._edges_in: dict[Task, list[Edge]] = {}
        self._edges_out: dict[Task, list[Edge]] = {}
        self._reference_tasks: set[Task] = set()
        self._version = 0
        self._cache: dict[str, Any] = {}
        self._cache_token: tuple = ()
        self._undo_log: list[Callable[[], None]] | None = None
        self._open_blocks: list[Any] = []

        for task in tasks or ():
            self.add_task(task)
        self.set_reference_tasks(reference_tasks or [])
        for edge in edges or ():
            self.add_edge(
                edge.upstream_task,
                edge.downstream_task,
                key=edge.key,
                mapped=edge.mapped,
                flattened=edge.flattened,
                validate=validate,
            )
        self.state_handlers = _handlers_with_failure_callback(state_handlers, on_failure)

    # -- identity ---------------------------------------------------------------------

    def __repr__(self) -> str:
        return f'<{type(self).__name__}: name="{self.name}">'

    def __eq__(self, other: object) -> bool:
        if type(self) is not type(other):
            return False
        return (
            self.name == other.name  # type: ignore[attr-defined]
            and self.tasks == other.tasks  # type: ignore[attr-defined]
            and self.edges == other.edges  # type: ignore[attr-defined]
            and self.reference_tasks() == other.reference_tasks()  # type: ignore[attr-defined]
        )

    __hash__ = None  # type: ignore[assignment]  # flows are mutable and unhashable

    def __iter__(self) -> Iterator[Task]:
        return iter(self.sorted_tasks())

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["_cache"] = {}
        state["_cache_token"] = ()
        state["_open_blocks"] = []
        state["_undo_log"] = None
        return state

    # -- the `with Flow(...)` block ---------------------------------------------------

    def __enter__(self) -> Flow:
        block = context(flow=self, _unused_task_tracker=set())
        block.__enter__()
        self._open_blocks.append(block)
        return self

    def __exit__(self, exc_type: Any, exc: Any, traceback: Any) -> None:
        block = self._open_blocks.pop()
        tracker = context.get("_unused_task_tracker") or set()
        block.__exit__(exc_type, exc, traceback)
        if exc_type is None:
            unused = tracker - self.tasks
            if unused:
                warnings.warn(
                    f"Tasks were created but not added to the flow: {unused}. This can "
                    "occur when `Task` classes, including `Parameters`, are instantiated "
                    "inside a `with flow:` block but not added to the flow either "
                    "explicitly or as the input to another task. For more information, see "
                    "the flow-building section of the prefect_core docs.",
                    stacklevel=2,
                )

    # -- atomic mutation ----------------------------------------------------------------

    def _changed(self) -> None:
        self._version += 1

    def _record_undo(self, undo: Callable[[], None]) -> None:
        if self._undo_log is not None:
            self._undo_log.append(undo)

    def _atomically(self, operation: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run `operation`; if it raises, undo every graph change it made."""
        if self._undo_log is not None:  # already inside an atomic operation
            return operation(*args, **kwargs)
        self._undo_log = undo_log = []
        try:
            return operation(*args, **kwargs)
        except BaseException:
            self._undo_log = None
            for undo in reversed(undo_log):
                undo()
            self._changed()
            raise
        finally:
            self._undo_log = None

    # -- adding tasks and edges -------------------------------------------------------

    def add_task(self, task: Task) -> Task:
        """Add `task` to the flow (a no-op if it is already there) and return it."""
        if not isinstance(task, Task):
            raise TypeError(f"Tasks must be Task instances (received {type(task)})")
        if task in self.tasks:
            return task
        if task.slug and task.slug in self._task_by_slug:
            raise ValueError(f'A task with the slug "{task.slug}" already exists in this flow.')
        slug = task.slug or self._generate_slug(task)
        self.tasks.add(task)
        self.slugs[task] = slug
        self._task_by_slug[slug] = task
        self._changed()
        self._record_undo(lambda: self._forget_task(task))

        if not (task._is_parameter or task._is_constant):
            current = context.current()
            for block_key in ("case", "resource"):
                block = current.get(block_key)
                if block is not None:
                    block.add_task(task, self)
        return task

    def _generate_slug(self, task: Task) -> str:
        prefix = "-".join([task.name, *sorted(task.tags)])
        previous = self._slug_counters.get(prefix, 0)
        counter = previous
        while True:
            counter += 1
            slug = f"{prefix}-{counter}"
            if slug not in self._task_by_slug:
                self._slug_counters[prefix] = counter
                # A failed call gives its slug numbers back, so it leaves no gap.
                self._record_undo(lambda: self._slug_counters.__setitem__(prefix, previous))
                return slug

    def _forget_task(self, task: Task) -> None:
        """Remove `task` (which must have no edges left) from the task indexes."""
        self.tasks.discard(task)
        slug = self.slugs.pop(task, None)
        if slug is not None and self._task_by_slug.get(slug) is task:
            del self._task_by_slug[slug]
        self._edges_in.pop(task, None)
        self._edges_out.pop(task, None)
        self._changed()

    def _store_edge(self, edge: Edge) -> None:
        edge_count = len(self.edges)
        self.edges.add(edge)
        if len(self.edges) == edge_count:  # an equal edge is already there
            return
        # try/except rather than setdefault: no throwaway list for the common case
        try:
            self._edges_in[edge.downstream_task].append(edge)
        except KeyError:
            self._edges_in[edge.downstream_task] = [edge]
        try:
            self._edges_out[edge.upstream_task].append(edge)
        except KeyError:
            self._edges_out[edge.upstream_task] = [edge]
        self._changed()
        self._record_undo(lambda: self._discard_edge(edge))

    def _discard_edge(self, edge: Edge) -> None:
        if edge not in self.edges:
            return
        self.edges.discard(edge)
        self._edges_in[edge.downstream_task].remove(edge)
        self._edges_out[edge.upstream_task].remove(edge)
        self._changed()
        self._record_undo(lambda: self._store_edge(edge))

    def _set_constant(self, task: Task, key: str, value: Any) -> None:
        inputs = self.constants[task]
        previous = inputs.get(key, _MISSING)
        inputs[key] = value

        def undo() -> None:
            if previous is _MISSING:
                inputs.pop(key, None)
            else:
                inputs[key] = previous

        self._record_undo(undo)

    def add_edge(
        self,
        upstream_task: Any,
        downstream_task: Any,
        key: str | None = None,
        mapped: bool = False,
        flattened: bool = False,
        validate: bool | None = None,
    ) -> Edge:
        """Add an edge (a data edge when `key` is given); non-task ends become tasks.

        A keyed, unmapped, unflattened constant input is not stored as an edge: its value
        goes into `constants[downstream_task][key]`, and the returned edge (from a
        `Constant` task) is not part of the flow.
        """
        edge = self._atomically(
            self._add_edge, upstream_task, downstream_task, key, mapped, flattened, validate
        )
        if edge is None:  # folded into `constants`
            edge = Edge(upstream_task, downstream_task, key=key, flow=self)
        return edge

    def _add_edge(
        self,
        upstream_task: Any,
        downstream_task: Any,
        key: str | None,
        mapped: bool,
        flattened: bool,
        validate: bool | None,
    ) -> Edge | None:
        """Add an edge; returns `None` when a constant input is folded into `constants`."""
        if validate is None:
            validate = config.flows.eager_edge_validation
        if mapped and context.get("mapped"):
            raise ValueError(
                "Cannot set `mapped=True` when running from inside a mapped context"
            )
        if getattr(downstream_task, "_is_parameter", False):
            raise ValueError(
                "Parameters must be root tasks and can not have upstream dependencies."
            )
        if (
            key is not None
            and not (mapped or flattened)
            and not isinstance(upstream_task, Task)
            and isinstance(downstream_task, Task)
            and holds_no_task(upstream_task)
        ):
            # The common case of a plain value passed to a task: fold it without building
            # the `Constant` task that `Edge` would make of it.
            check_key(key)
            if downstream_task not in self.tasks:
                self.add_task(downstream_task)
            self._set_constant(downstream_task, key, upstream_task)
            return None
        edge = Edge(upstream_task, downstream_task, key=key, mapped=mapped,
                    flattened=flattened, flow=self)
        upstream, downstream = edge.upstream_task, edge.downstream_task
        if upstream._is_constant and key is not None and not edge.mapped and not edge.flattened:
            self.add_task(downstream)
            self._set_constant(downstream, key, upstream.value)
            return None

        if validate:
            self._check_edge(edge)
        if upstream not in self.tasks:
            self.add_task(upstream)
        if downstream not in self.tasks:
            self.add_task(downstream)
        self._store_edge(edge)
        return edge

    def _check_edge(self, edge: Edge) -> None:
        """Eager validation of a new edge: its key, and that it closes no cycle."""
        downstream = edge.downstream_task
        if edge.key is not None:
            keys = [e.key for e in self._edges_in.get(downstream, ()) if e.key is not None]
            if edge.key in keys:
                raise ValueError(
                    f'Argument "{edge.key}" for task {downstream} has already been assigned '
                    "in this flow. If you are trying to call the task again with new "
                    "arguments, call Task.copy() before adding the result to this flow."
                )
            keys.append(edge.key)
            downstream._run_signature().bind_partial(**dict.fromkeys(keys))
        path = find_path(edge.downstream_task, edge.upstream_task, self._edges_out)
        if path is not None:
            raise _cycle_error([edge.upstream_task, *path])

    def set_dependencies(
        self,
        task: Any,
        upstream_tasks: Iterable[Any] | None = None,
        downstream_tasks: Iterable[Any] | None = None,
        keyword_tasks: dict[str, Any] | None = None,
        mapped: bool = False,
        validate: bool | None = None,
    ) -> None:
        """Add `task` and the edges from its upstream tasks and to its downstream tasks."""
        self._atomically(
            self._set_dependencies,
            task,
            upstream_tasks,
            downstream_tasks,
            keyword_tasks,
            mapped,
            validate,
        )

    def _set_dependencies(
        self,
        task: Any,
        upstream_tasks: Iterable[Any] | None,
        downstream_tasks: Iterable[Any] | None,
        keyword_tasks: dict[str, Any] | None,
        mapped: bool,
        validate: bool | None,
    ) -> None:
        if mapped and context.get("mapped"):
            raise ValueError(
                "Cannot set `mapped=True` when running from inside a mapped context"
            )
        if validate is None:
            validate = config.flows.eager_edge_validation
        if not isinstance(task, Task):
            task = as_task(task, flow=self)
        self.add_task(task)
        for upstream in upstream_tasks or ():
            self._add_edge(upstream, task, None, mapped, False, validate)
        for downstream in downstream_tasks or ():
            self._add_edge(task, downstream, None, False, False, validate)
        for key, upstream in (keyword_tasks or {}).items():
            self._add_edge(upstream, task, key, mapped, False, validate)

    def chain(self, *tasks: Any, validate: bool | None = None) -> list[Edge]:
        """Add key-less edges between consecutive `tasks`; returns the edges."""
        return self._atomically(
            lambda: [
                self._add_edge(upstream, downstream, None, False, False, validate)
                for upstream, downstream in zip(tasks, tasks[1:])
            ]
        )

    def update(
        self,
        flow: Flow,
        merge_parameters: bool = False,
        validate: bool | None = None,
        merge_reference_tasks: bool = False,
    ) -> None:
        """Add every task, edge and constant of `flow` to this flow."""
        self._atomically(
            self._update, flow, merge_parameters, validate, merge_reference_tasks
        )

    def _update(
        self, flow: Flow, merge_parameters: bool, validate: bool | None, merge_references: bool
    ) -> None:
        if merge_parameters:
            validate = True
            theirs = {parameter.name: parameter for parameter in flow.parameters()}
            for parameter in self.parameters():
                if parameter.name in theirs:
                    self.replace(parameter, theirs[parameter.name])
        for task in flow.slugs:
            if task not in self.tasks:
                self.add_task(task)
        for edge in flow.edges:
            if edge not in self.edges:
                self._add_edge(edge.upstream_task, edge.downstream_task, edge.key,
                               edge.mapped, edge.flattened, validate)
        if merge_references:
            self.set_reference_tasks(self.reference_tasks() | flow.reference_tasks())
        for task, inputs in flow.constants.items():
            for key, value in inputs.items():
                self._set_constant(task, key, value)

    def replace(self, old: Task, new: Any, validate: bool = True) -> None:
        """Put `new` in `old`'s place, with all of `old`'s edges and constant inputs."""
        self._require_task(old)
        self._atomically(self._replace, old, new, validate)

    def _replace(self, old: Task, new: Any, validate: bool) -> None:
        new = as_task(new, flow=self)
        touching = [*self._edges_in.get(old, ()), *self._edges_out.get(old, ())]
        for edge in touching:
            self._discard_edge(edge)
        was_reference = old in self._reference_tasks
        slug = self.slugs[old]
        self._forget_task(old)
        self._record_undo(lambda: self._restore_task(old, slug))
        self.add_task(new)
        for edge in touching:
            self._add_edge(
                new if edge.upstream_task is old else edge.upstream_task,
                new if edge.downstream_task is old else edge.downstream_task,
                edge.key,
                edge.mapped,
                edge.flattened,
                False,
            )
        self._carry_constants(old, new)
        if was_reference:
            self._replace_reference_tasks((self._reference_tasks - {old}) | {new})
        if validate:
            self.validate()

    def _restore_task(self, task: Task, slug: str) -> None:
        self.tasks.add(task)
        self.slugs[task] = slug
        self._task_by_slug[slug] = task
        self._changed()

    def _carry_constants(self, old: Task, new: Task) -> None:
        """Give `new` the constant inputs of `old` that its `run` accepts.

        1.4.1 dropped them; carrying them over is the improvement its notes allow.
        """
        inputs = self.constants.pop(old, None)
        if not inputs:
            return
        self._record_undo(lambda: self.constants.__setitem__(old, inputs))
        parameters = new._run_signature().parameters
        accepts_any = any(p.kind is p.VAR_KEYWORD for p in parameters.values())
        for key, value in inputs.items():
            if accepts_any or key in parameters:
                self._set_constant(new, key, value)

    def copy(self) -> Flow:
        """A shallow copy: new graph containers, the same task objects."""
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new.tasks = set(self.tasks)
        new.edges = set(self.edges)
        new.slugs = dict(self.slugs)
        new.constants = collections.defaultdict(dict, self.constants)
        new._task_by_slug = dict(self._task_by_slug)
        new._edges_in = {task: list(edges) for task, edges in self._edges_in.items()}
        new._edges_out = {task: list(edges) for task, edges in self._edges_out.items()}
        new._reference_tasks = set(self._reference_tasks)
        new._cache = {}
        new._cache_token = ()
        new._undo_log = None
        new._open_blocks = []
        new.state_handlers = list(self.state_handlers)
        return new

    # -- reference tasks --------------------------------------------------------------

    def set_reference_tasks(self, tasks: Iterable[Task]) -> None:
        """Choose the tasks whose states decide the flow run's state (empty: default)."""
        tasks = set(tasks)
        if any(task not in self.tasks for task in tasks):
            raise ValueError("reference tasks must be part of the flow.")
        self._replace_reference_tasks(tasks)

    def _replace_reference_tasks(self, tasks: set[Task]) -> None:
        previous = self._reference_tasks
        self._reference_tasks = tasks
        self._changed()
        self._record_undo(lambda: setattr(self, "_reference_tasks", previous))

    def reference_tasks(self) -> set[Task]:
        """The explicit reference tasks, or the terminal tasks (ignoring resource cleanup)."""
        if self._reference_tasks:
            return set(self._reference_tasks)
        return set(self._cached("reference_tasks", self._default_reference_tasks))

    def _default_reference_tasks(self) -> frozenset[Task]:
        return frozenset(
            task
            for task in self.slugs
            if task._resource_role not in ("init", "cleanup")
            and all(
                edge.downstream_task._resource_role == "cleanup"
                for edge in self._edges_out.get(task, ())
            )
        )

    # -- introspection ----------------------------------------------------------------

    def _cached(self, name: str, compute: Callable[[], Any]) -> Any:
        token = (self._version, len(self.tasks), len(self.edges))
        if token != self._cache_token:
            self._cache = {}
            self._cache_token = token
        try:
            return self._cache[name]
        except KeyError:
            value = self._cache[name] = compute()
            return value

    def _require_task(self, task: Task) -> None:
        if task not in self.tasks:
            raise ValueError(f"Task {task} was not found in Flow {self}")

    def _has_edges(self, task: Task) -> bool:
        return bool(self._edges_in.get(task) or self._edges_out.get(task))

    def get_tasks(
        self,
        name: str | None = None,
        slug: str | None = None,
        tags: Iterable[str] | None = None,
        task_type: type | None = None,
    ) -> list[Task]:
        """The tasks matching every given filter (name, slug, a superset of tags, type)."""
        wanted_tags = set(tags) if tags is not None else None
        return [
            task
            for task in self.slugs
            if (name is None or task.name == name)
            and (slug is None or task.slug == slug)
            and (wanted_tags is None or task.tags >= wanted_tags)
            and (task_type is None or isinstance(task, task_type))
        ]

    def root_tasks(self) -> set[Task]:
        """The tasks with no incoming edge."""
        return set(
            self._cached(
                "root_tasks",
                lambda: frozenset(t for t in self.slugs if not self._edges_in.get(t)),
            )
        )

    def terminal_tasks(self) -> set[Task]:
        """The tasks with no outgoing edge."""
        return set(
            self._cached(
                "terminal_tasks",
                lambda: frozenset(t for t in self.slugs if not self._edges_out.get(t)),
            )
        )

    def parameters(self) -> set[Parameter]:
        """The `Parameter` tasks of the flow."""
        return set(
            self._cached("parameters", lambda: frozenset(t for t in self.tasks if t._is_parameter))
        )

    def edges_to(self, task: Task) -> set[Edge]:
        """The edges into `task`."""
        self._require_task(task)
        return set(self._edges_in.get(task, ()))

    def edges_from(self, task: Task) -> set[Edge]:
        """The edges out of `task`."""
        self._require_task(task)
        return set(self._edges_out.get(task, ()))

    def upstream_tasks(self, task: Task) -> set[Task]:
        """The tasks with an edge into `task`."""
        self._require_task(task)
        return {edge.upstream_task for edge in self._edges_in.get(task, ())}

    def downstream_tasks(self, task: Task) -> set[Task]:
        """The tasks with an edge from `task`."""
        self._require_task(task)
        return {edge.downstream_task for edge in self._edges_out.get(task, ())}

    def all_upstream_edges(self) -> dict[Task, set[Edge]]:
        """`{task: its incoming edges}` for every task."""
        return {task: set(self._edges_in.get(task, ())) for task in self.slugs}

    def all_downstream_edges(self) -> dict[Task, set[Edge]]:
        """`{task: its outgoing edges}` for every task."""
        return {task: set(self._edges_out.get(task, ())) for task in self.slugs}

    def sorted_tasks(self, root_tasks: Iterable[Task] | None = None) -> tuple[Task, ...]:
        """The tasks in topological order (from `root_tasks` and downstream, if given).

        Every task comes after all of its upstream tasks; the order is deterministic
        (level by level, ties in insertion order). A cycle raises `ValueError`.
        """
        if root_tasks is None:
            return self._cached("sorted_tasks", self._whole_order)
        roots = list(root_tasks)
        for task in roots:
            self._require_task(task)
        return self._sort(self._downstream_closure(roots))

    def _downstream_closure(self, roots: list[Task]) -> list[Task]:
        """`roots` and every task downstream of them, in insertion order."""
        reached = set(roots)
        frontier = list(roots)
        while frontier:
            task = frontier.pop()
            for edge in self._edges_out.get(task, ()):
                if edge.downstream_task not in reached:
                    reached.add(edge.downstream_task)
                    frontier.append(edge.downstream_task)
        return [task for task in self.slugs if task in reached]

    def _whole_order(self) -> tuple[Task, ...]:
        graph = self._sorted_graph()
        return tuple(graph.tasks[index] for index in graph.order)

    def _sorted_graph(self) -> SortedGraph:
        """The whole graph sorted, cached until it changes (a cycle raises `ValueError`).
        The run plan is built from it."""
        return self._cached("sorted_graph", self._sort_whole_graph)

    def _sort_whole_graph(self) -> SortedGraph:
        graph = sort_graph(list(self.slugs), self._edges_in)
        if graph.cycle is not None:
            raise _cycle_error(graph.cycle)
        return graph

    def _sort(self, tasks: list[Task]) -> tuple[Task, ...]:
        order, cycle = topological_order(tasks, self._edges_in)
        if cycle is not None:
            raise _cycle_error(cycle)
        return order

    def validate(self) -> None:
        """Check that edges and reference tasks belong to the flow and there is no cycle."""
        self._cache = {}
        self._cache_token = ()
        if any(not edge.tasks <= self.tasks for edge in self.edges):
            raise ValueError("Some edges refer to tasks not contained in this flow.")
        self.sorted_tasks()
        if not self._reference_tasks <= self.tasks:
            raise ValueError("Some reference tasks are not contained in this flow.")

    # -- running ------------------------------------------------------------------------

    def run(
        self,
        parameters: dict[str, Any] | None = None,
        run_on_schedule: bool | None = None,
        runner_cls: type | None = None,
        **kwargs: Any,
    ) -> Any:
        """Run the flow (on its schedule, if it has one) and return the final flow state.

        Keyword arguments naming a flow parameter are parameter values; the others go to
        the flow runner (`executor=`, `context=`, `task_states=`, ...).
        """
        if self._open_blocks:
            raise RuntimeError(
                "Don't call `flow.run()` from within a `Flow` context manager.\n\n"
                "Do:\n    with Flow('my-flow') as flow:\n        ...\n    flow.run()\n\n"
                "Don't:\n    with Flow('my-flow') as flow:\n        ...\n        flow.run()"
            )
        if context.get("loading_flow"):
            warnings.warn(
                "Attempting to call `flow.run` during execution of flow file will lead to "
                "unexpected results.",
                stacklevel=2,
            )
            return None
        if "return_tasks" in kwargs:
            raise ValueError(
                "The `return_tasks` keyword cannot be provided to `flow.run()`; all task "
                "states are always returned. If you want to receive a subset of task states, "
                "use a FlowRunner directly."
            )
        from prefect_core.engine import get_default_flow_runner_class
        from prefect_core.engine.flow_run_loop import run_flow

        if run_on_schedule is None:
            run_on_schedule = config.flows.run_on_schedule
        return run_flow(
            self,
            parameters=parameters,
            run_on_schedule=run_on_schedule,
            runner_cls=runner_cls or get_default_flow_runner_class(),
            **kwargs,
        )

    # -- drawing (prefect_core/core/flow_drawing.py) --------------------------------------

    def visualize(
        self,
        flow_state: Any = None,
        filename: str | None = None,
        format: str | None = None,
        horizontal: bool = False,
    ) -> Any:
        """Return the flow's `graphviz.Digraph`, coloured by `flow_state` when given.

        A mapped task in a `Mapped` state is one node counting its children per state.
        With `filename`, also write `"{filename}.{format or 'pdf'}"` (needs Graphviz's `dot`
        program). Never opens a viewer; a notebook displays the returned graph inline.
        """
        from prefect_core.core.flow_drawing import visualize

        return visualize(self, flow_state, filename, format, horizontal)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **kwargs: Any) -> dict:
        """Jupyter display: the flow's SVG drawing when `dot` is available, else text."""
        from prefect_core.utilities.notebook import flow_mimebundle

        return flow_mimebundle(self, include, exclude)

    # -- saving (prefect_core/core/flow_storage.py) ---------------------------------------

    def save(self, fpath: str | None = None) -> str:
        """Pickle the flow (cloudpickle) to `fpath`, atomically; return the path.

        The default path is `{home_dir}/flows/{slugified name}.prefect`.
        """
        from prefect_core.core.flow_storage import save_flow

        return save_flow(self, fpath)

    @classmethod
    def load(cls, fpath: str) -> Flow:
        """Read a flow written by `save`; a non-absolute `fpath` is a flow name.

        Loading unpickles, which runs code: only load files you trust. A corrupt,
        truncated or foreign file raises `FlowStorageError` naming the path.
        """
        from prefect_core.core.flow_storage import load_flow

        return load_flow(fpath)

    # -- serializing (prefect_core/serialization/flow.py) -------------------------------

    def serialize(self, build: bool = False) -> dict:
        """The flow's structure as a JSON-compatible dict (`FlowSchema`); task code,
        constants and result values are not included.

        Validates the flow first and sets every task's `slug` attribute to its slug here.
        `build=True` raises: storage is out of scope (`ValueError` without storage).
        """
        from prefect_core.serialization.flow import serialize_flow

        return serialize_flow(self, build)

    def serialized_hash(self, build: bool = False) -> str:
        """SHA-256 hex digest of `serialize(build)`, the same for the same structure."""
        from prefect_core.serialization.flow import serialized_flow_hash

        return serialized_flow_hash(self, build)

    # -- out of scope -------------------------------------------------------------------

    def register(self, *args: Any, **kwargs: Any) -> None:
        """Not supported: prefect_core has no backend to register flows with."""
        raise NotImplementedError(
            "Flow.register is not supported by prefect_core: no backend. Run the flow with "
            "`flow.run()` or the `prefect-core run` command instead."
        )

    def run_agent(self, *args: Any, **kwargs: Any) -> None:
        """Not supported: prefect_core has no backend or agents."""
        raise NotImplementedError(
            "Flow.run_agent is not supported by prefect_core: no backend. Run the flow with "
            "`flow.run()` or the `prefect-core run` command instead."
        )
