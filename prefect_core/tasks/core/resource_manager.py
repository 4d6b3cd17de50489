"""Resource managers: set a resource up before a block of tasks and clean it up after.

A resource class follows a small protocol: `__init__(...)` takes any arguments, the
optional `setup(self)` creates and returns the resource, and `cleanup(self, resource)`
releases it. Decorating the class with `resource_manager` gives a `ResourceManager`;
calling that inside a flow adds up to three tasks:

    init (ResourceInitTask) --mgr--> setup (ResourceSetupTask) --resource--> cleanup
      \\----------------------------------------------------mgr---------------^

`with manager(...) as resource:` (a `ResourceContext`) binds `resource` to the setup task
(or `None` without `setup`) and records every task newly added to the flow inside the
block. On exit the block's first tasks are made downstream of setup and its last tasks
upstream of cleanup. Cleanup's trigger, `resource_cleanup_trigger`, lets it run whatever
happened to the block's tasks, as long as init and setup succeeded.

The engine knows the tasks only by their `_resource_role`: each flow-runner pass resets
finished setup and cleanup states to `Pending` (a retry pass recreates the resource), and
the default reference tasks leave init and cleanup out, so the flow's state follows the
block's tasks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, overload

from prefect_core.core.edge import Edge
from prefect_core.core.flow import Flow
from prefect_core.core.task import Task
from prefect_core.engine import signals
from prefect_core.engine.state import State
from prefect_core.utilities.context import context
from prefect_core.utilities.tasks import TaskBlock

__all__ = [
    "ResourceCleanupTask",
    "ResourceContext",
    "ResourceInitTask",
    "ResourceManager",
    "ResourceSetupTask",
    "resource_cleanup_trigger",
    "resource_manager",
]


class ResourceInitTask(Task):
    """Create the resource manager object: `run` is the resource class itself, so the
    task's inputs are the class constructor's arguments."""

    _resource_role = "init"

    def __init__(self, resource_class: Callable, **task_kwargs: Any) -> None:
        # Set before `Task.__init__`, which reads `run`'s signature.
        self.run = resource_class  # type: ignore[method-assign]
        super().__init__(**task_kwargs)


class ResourceSetupTask(Task):
    """Call `mgr.setup()` and return the resource it creates."""

    _resource_role = "setup"

    def run(self, mgr: Any) -> Any:  # type: ignore[override]
        """Return `mgr.setup()`."""
        return mgr.setup()


class ResourceCleanupTask(Task):
    """Call `mgr.cleanup(resource)` (`resource` is `None` when the class has no setup)."""

    _resource_role = "cleanup"

    def run(self, mgr: Any, resource: Any = None) -> None:  # type: ignore[override]
        """Release `resource` through its manager."""
        mgr.cleanup(resource)


def resource_cleanup_trigger(upstream_states: dict[Edge, State]) -> bool:
    """Let cleanup run once every upstream task finished, however the block's tasks
    ended, provided init (edge `mgr`) and setup (edge `resource`) succeeded; skip it
    otherwise, as there is nothing to clean up."""
    if not all(state.is_finished() for state in upstream_states.values()):
        raise signals.TRIGGERFAIL(
            "Trigger was 'resource_cleanup_trigger' but some of the upstream tasks were "
            "not finished."
        )
    states_by_key = {edge.key: state for edge, state in upstream_states.items()}
    # Init is checked first: when it failed, setup failed too, and init is the cause.
    for key, step in (("mgr", "init"), ("resource", "setup")):
        state = states_by_key.get(key)
        if state is None:
            continue
        if state.is_skipped():
            raise signals.SKIP(f"Resource manager {step} skipped")
        if not state.is_successful():
            raise signals.SKIP(f"Resource manager {step} failed")
    return True


class ResourceContext(TaskBlock):
    """The block opened by calling a `ResourceManager`; see the module docstring.

    Args:
        init_task: the task creating the resource manager object.
        setup_task: the task creating the resource, or `None` when there is no `setup`.
        cleanup_task: the task releasing the resource.
        flow: the flow the three tasks belong to; the block's tasks must join it too.
    """

    context_key = "resource"
    multiple_flows_message = "Multiple flows cannot be used with the same resource block"

    def __init__(
        self, init_task: Task, setup_task: Task | None, cleanup_task: Task, flow: Flow
    ) -> None:
        super().__init__(flow)
        self.init_task = init_task
        self.setup_task = setup_task
        self.cleanup_task = cleanup_task

    def __enter__(self) -> Task | None:
        self._open()
        return self.setup_task

    def __exit__(self, *exc_info: object) -> None:
        self._close()
        self._wrap_block_tasks()

    def _wrap_block_tasks(self) -> None:
        """Put setup before the block's first tasks and cleanup after its last ones."""
        block = self._tasks.keys()
        for task in block:
            upstream = self._flow.upstream_tasks(task)
            if (
                self.setup_task is not None
                and self.setup_task not in upstream
                and not block & upstream
            ):
                task.set_upstream(self.setup_task, flow=self._flow)
            downstream = self._flow.downstream_tasks(task)
            if self.cleanup_task not in downstream and not block & downstream:
                task.set_downstream(self.cleanup_task, flow=self._flow)


class ResourceManager:
    """Adds a resource's init, setup and cleanup tasks to a flow when called.

    Args:
        resource_class: a callable (usually the class) returning an object with an
            optional `setup()` and a `cleanup(resource)` method.
        name: the resource's name (default: `resource_class.__name__`, else
            `"resource"`); the tasks are named `name`, `name.setup` and `name.cleanup`.
        init_task_kwargs, setup_task_kwargs, cleanup_task_kwargs: `Task` keyword
            arguments for each task (copied; defaults filled in).
    """

    def __init__(
        self,
        resource_class: Callable,
        name: str | None = None,
        init_task_kwargs: dict | None = None,
        setup_task_kwargs: dict | None = None,
        cleanup_task_kwargs: dict | None = None,
    ) -> None:
        if name is None:
            name = getattr(resource_class, "__name__", "resource")
        self.resource_class = resource_class
        self.name = name
        self.init_task_kwargs = {"name": name, **(init_task_kwargs or {})}
        self.setup_task_kwargs = {
            "name": f"{name}.setup",
            "checkpoint": False,
            **(setup_task_kwargs or {}),
        }
        self.cleanup_task_kwargs = {
            "name": f"{name}.cleanup",
            "trigger": resource_cleanup_trigger,
            "skip_on_upstream_skip": False,
            "checkpoint": False,
            **(cleanup_task_kwargs or {}),
        }

    def __call__(self, *args: Any, flow: Flow | None = None, **kwargs: Any) -> ResourceContext:
        """Add the resource's tasks to `flow` (default: the active flow); `args` and
        `kwargs` (values or tasks) go to the resource class's constructor."""
        if flow is None:
            flow = context.get("flow")
            if flow is None:
                raise ValueError("Could not infer an active Flow context.")
        init = ResourceInitTask(self.resource_class, **self.init_task_kwargs)(
            *args, flow=flow, **kwargs
        )
        setup: Task | None = None
        if hasattr(self.resource_class, "setup"):
            setup = ResourceSetupTask(**self.setup_task_kwargs)(init, flow=flow)
            cleanup = ResourceCleanupTask(**self.cleanup_task_kwargs)(init, setup, flow=flow)
        else:
            cleanup = ResourceCleanupTask(**self.cleanup_task_kwargs)(init, flow=flow)
        return ResourceContext(init, setup, cleanup, flow)


@overload
def resource_manager(
    resource_class: Callable,
    *,
    name: str | None = None,
    init_task_kwargs: dict | None = None,
    setup_task_kwargs: dict | None = None,
    cleanup_task_kwargs: dict | None = None,
) -> ResourceManager: ...


@overload
def resource_manager(
    resource_class: None = None,
    *,
    name: str | None = None,
    init_task_kwargs: dict | None = None,
    setup_task_kwargs: dict | None = None,
    cleanup_task_kwargs: dict | None = None,
) -> Callable[[Callable], ResourceManager]: ...


def resource_manager(
    resource_class: Callable | None = None,
    *,
    name: str | None = None,
    init_task_kwargs: dict | None = None,
    setup_task_kwargs: dict | None = None,
    cleanup_task_kwargs: dict | None = None,
) -> ResourceManager | Callable[[Callable], ResourceManager]:
    """Turn a resource class into a `ResourceManager`; use bare (`@resource_manager`) or
    with keyword arguments (`@resource_manager(name="db")`), which `ResourceManager`
    documents.

    ```python
    @resource_manager
    class TempDir:
        def setup(self):
            return tempfile.mkdtemp()

        def cleanup(self, path):
            shutil.rmtree(path)

    with Flow("f") as flow:
        with TempDir() as path:
            write(path)
    ```
    """

    def make_manager(cls: Callable) -> ResourceManager:
        return ResourceManager(
            cls,
            name=name,
            init_task_kwargs=init_task_kwargs,
            setup_task_kwargs=setup_task_kwargs,
            cleanup_task_kwargs=cleanup_task_kwargs,
        )

    if resource_class is None:
        return make_manager
    return make_manager(resource_class)
