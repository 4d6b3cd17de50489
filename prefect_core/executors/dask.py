"""The Dask executors: `LocalDaskExecutor` (dask's local schedulers) and `DaskExecutor`
(a `distributed` cluster, temporary or existing).

Both give the same states as `LocalExecutor` for the same flow; they only change where
and when task runs happen:

- `LocalDaskExecutor` builds a `dask.delayed` graph as the flow runner submits, and
  computes it on `wait`, in a thread pool, a process pool, or synchronously. The flow
  runner waits more than once per run (a mapped task's width, then the final states), so
  the executor remembers every computed key for the rest of the run: a later `wait`
  never runs an upstream task again.
- `DaskExecutor` submits each task run to a `distributed.Client` as soon as it is
  handed over, passing upstream futures along, so work starts while the flow is still
  being submitted and chained maps run depth first. Results stay on the workers until
  someone gathers them.

A task run whose state cannot be pickled ends `Failed` on the worker
(`picklable_outcome`). A task run that Dask itself could not complete (its worker lost
more often than `distributed.scheduler.allowed-failures`) comes back from `wait` as a
`Failed` state saying so (`executor_failure`), never as an exception.
"""

from __future__ import annotations

import importlib
import logging
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Executor as PoolExecutor
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from typing import Any

import cloudpickle
import dask
from dask.callbacks import Callback
from dask.delayed import Delayed

from prefect_core.executors.base import Executor, TaskRunLost
from prefect_core.utilities.context import context as prefect_context

__all__ = ["DaskExecutor", "LocalDaskExecutor"]

_SCHEDULERS = {
    "threads": "threads",
    "threading": "threads",
    "processes": "processes",
    "multiprocessing": "processes",
    "sync": "synchronous",
    "synchronous": "synchronous",
    "single-threaded": "synchronous",
}
_RESOURCE_TAG_PREFIX = "dask-resource:"


def task_run_key(extra_context: dict | None) -> str | None:
    """A readable, unique Dask key for a task run: `name-uuid` or `name-index-uuid`."""
    if not extra_context or not extra_context.get("task_name"):
        return None
    name, index = extra_context["task_name"], extra_context.get("task_index")
    if index is None:
        return f"{name}-{uuid.uuid4().hex}"
    return f"{name}-{index}-{uuid.uuid4().hex}"


def executor_failure(error: BaseException, key: Any = None) -> Any:
    """The `Failed` state standing for a task run that Dask could not complete.

    Its result is a `TaskRunLost`: `own` is false when the error is an upstream run's
    (Dask fails every dependent of a lost run), so the flow runner can run this task
    again with that upstream's `Failed` state and let its trigger decide.
    """
    from prefect_core.engine.state import Failed

    lost_key = getattr(error, "task", key)  # `KilledWorker` names the run it lost
    last_worker = getattr(error, "last_worker", None)
    if last_worker is not None:
        address = getattr(last_worker, "address", last_worker)
        message = (
            "Dask lost this task run: every worker that ran it died (the last one was "
            f"{address}); see distributed.scheduler.allowed-failures."
        )
    else:
        message = f"Dask could not complete this task run: {error!r}"
    return Failed(message, result=TaskRunLost(message, error, own=lost_key == key))


def picklable_outcome(fn: Callable, *args: Any, **kwargs: Any) -> Any:
    """Call `fn` (a task run) where Dask runs it, and make sure its state can leave the
    worker: a state that cannot be pickled becomes a `Failed` state saying why."""
    from prefect_core.engine.state import Failed, State

    outcome = fn(*args, **kwargs)
    if not isinstance(outcome, State):
        return outcome
    try:
        cloudpickle.dumps(outcome)
    except Exception as error:
        task = kwargs.get("task")
        name = getattr(task, "name", "?")
        message = (
            f"Task '{name}': its result cannot be pickled, so it cannot leave the Dask "
            f"worker: {error!r}"
        )
        return Failed(message, result=error)
    return outcome


class _RememberComputed(Callback):
    """Keeps every key computed by `dask.compute` and feeds it back to later computes."""

    def __init__(self, computed: dict) -> None:
        super().__init__()
        self.computed = computed

    def _start(self, dsk: dict) -> None:
        for key in dsk.keys() & self.computed.keys():
            dsk[key] = self.computed[key]  # a literal: the task is not run again

    def _posttask(self, key: Any, result: Any, dsk: Any, state: Any, worker_id: Any) -> None:
        self.computed[key] = result


class _Placeholder:
    """Where the value of dependency number `index` goes in a deferred call."""

    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        self.index = index


class _DeferredCall:
    """A call whose arguments hold `_Placeholder`s for the delayed values it needs.

    dask walks every argument of a delayed call looking for other delayed values, deep
    into dicts and lists; a task run's arguments (its context, its upstream states)
    made that walk the main cost of submitting. Hidden in this object, the arguments
    are walked once by `_with_placeholders`, and dask sees only the dependencies.
    """

    __slots__ = ("fn", "args", "kwargs")

    def __init__(self, fn: Callable, args: tuple, kwargs: dict) -> None:
        self.fn, self.args, self.kwargs = fn, args, kwargs


def _with_placeholders(value: Any, dependencies: list) -> Any:
    """`value` with each `Delayed` inside plain dicts, lists and tuples replaced by a
    placeholder, the `Delayed` itself appended to `dependencies`."""
    if isinstance(value, Delayed):
        dependencies.append(value)
        return _Placeholder(len(dependencies) - 1)
    kind = type(value)
    if kind is dict:
        return {key: _with_placeholders(item, dependencies) for key, item in value.items()}
    if kind is list or kind is tuple:
        return kind(_with_placeholders(item, dependencies) for item in value)
    return value


def _filled(value: Any, values: tuple) -> Any:
    """`value` with its placeholders replaced by the computed `values`."""
    if type(value) is _Placeholder:
        return values[value.index]
    kind = type(value)
    if kind is dict:
        return {key: _filled(item, values) for key, item in value.items()}
    if kind is list or kind is tuple:
        return kind(_filled(item, values) for item in value)
    return value


def _run_deferred_call(call: _DeferredCall, *values: Any) -> Any:
    """Run a deferred call with its dependencies' computed values."""
    if not values:
        return call.fn(*call.args, **call.kwargs)
    return call.fn(*_filled(call.args, values), **_filled(call.kwargs, values))


def _exit_on_sigterm() -> None:
    """Process-pool initializer: a terminated worker exits quietly."""
    import signal
    import sys

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))


class LocalDaskExecutor(Executor):
    """Run task runs with dask's local scheduler: `scheduler="threads"` (default),
    `"processes"` or `"synchronous"`.

    Args:
        scheduler: `threads`/`threading`, `processes`/`multiprocessing`, or
            `sync`/`synchronous`/`single-threaded` (any case).
        **kwargs: dask configuration set while the executor is started; e.g.
            `num_workers=8` sizes the pool (default: the number of CPUs).
    """

    def __init__(self, scheduler: str = "threads", **kwargs: Any) -> None:
        name = str(scheduler).lower()
        if name not in _SCHEDULERS:
            raise ValueError(f"Unknown scheduler {name!r}")
        self.scheduler = _SCHEDULERS[name]
        self.dask_config = kwargs
        self._pool: PoolExecutor | None = None
        self._computed: dict = {}
        super().__init__()

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.update(_pool=None, _computed={})
        return state

    @contextmanager
    def start(self) -> Iterator[None]:
        """Create the worker pool for the run; shut it down afterwards."""
        with dask.config.set(self.dask_config):
            workers = dask.config.get("num_workers", None)
            if self.scheduler == "threads":
                self._pool = ThreadPoolExecutor(workers)
            elif self.scheduler == "processes":
                self._pool = ProcessPoolExecutor(workers, initializer=_exit_on_sigterm)
            try:
                yield
            except BaseException:
                if self._pool is not None:
                    self._pool.shutdown(wait=False, cancel_futures=True)
                raise
            else:
                if self._pool is not None:
                    self._pool.shutdown(wait=True)
            finally:
                self._pool = None
                self._computed = {}

    def submit(
        self, fn: Callable, *args: Any, extra_context: dict | None = None, **kwargs: Any
    ) -> Any:
        """A `dask.delayed` call of `fn`, computed by a later `wait`."""
        if self.scheduler == "processes":  # the state must leave the worker process
            fn, args = picklable_outcome, (fn, *args)
        dependencies: list[Delayed] = []
        call = _DeferredCall(
            fn,
            _with_placeholders(args, dependencies),
            _with_placeholders(kwargs, dependencies),
        )
        key = task_run_key(extra_context)
        options = {} if key is None else {"dask_key_name": key}
        return dask.delayed(_run_deferred_call, pure=False)(call, *dependencies, **options)

    def wait(self, futures: Any) -> Any:
        """Compute the delayed calls in `futures` (same shape), reusing earlier results."""
        options: dict[str, Any] = {"scheduler": self.scheduler, "optimize_graph": False}
        if self._pool is not None:
            options["pool"] = self._pool
        if self.scheduler == "processes":
            options["chunksize"] = 1
        with dask.config.set(self.dask_config), _RememberComputed(self._computed):
            (values,) = dask.compute(futures, **options)
        return values


class DaskExecutor(Executor):
    """Run task runs on a `distributed` cluster: a temporary one (a `LocalCluster` of
    worker processes by default) or an existing one at `address`.

    Args:
        address: the scheduler to connect to (default: `engine.executor.dask.address`
            in the configuration; empty means start a temporary cluster).
        cluster_class: the cluster to start when there is no address: a class or its
            dotted path (default `distributed.deploy.local.LocalCluster`).
        cluster_kwargs: keyword arguments for `cluster_class`.
        adapt_kwargs: when given, `cluster.adapt(**adapt_kwargs)` (adaptive scaling).
        client_kwargs: keyword arguments for `distributed.Client`.
        debug: when true, a `LocalCluster` keeps its warnings (default `config.debug`).
        performance_report_path: write a Dask performance report (HTML) there.
        disable_cancellation_event, watch_worker_status: accepted for compatibility
            with Prefect 1.x; they have no effect when running locally.
    """

    def __init__(
        self,
        address: str | None = None,
        cluster_class: str | Callable | None = None,
        cluster_kwargs: dict | None = None,
        adapt_kwargs: dict | None = None,
        client_kwargs: dict | None = None,
        debug: bool | None = None,
        performance_report_path: str | None = None,
        disable_cancellation_event: bool = False,
        watch_worker_status: bool | None = None,
    ) -> None:
        config = prefect_context.get("config")
        dask_config = config.engine.executor.dask
        if address is None:
            address = dask_config.address or None
        if address is not None and (cluster_class is not None or cluster_kwargs is not None):
            raise ValueError("Cannot specify `address` and `cluster_class`/`cluster_kwargs`")
        cluster_kwargs = dict(cluster_kwargs or {})
        if address is None:
            if cluster_class is None:
                cluster_class = dask_config.cluster_class
            if isinstance(cluster_class, str):
                cluster_class = _import_object(cluster_class)
            if debug is None:
                debug = bool(config.get("debug", False))
            from distributed.deploy.local import LocalCluster

            if isinstance(cluster_class, type) and issubclass(cluster_class, LocalCluster):
                cluster_kwargs.setdefault(
                    "silence_logs", logging.WARNING if debug else logging.CRITICAL
                )
        self.address = address
        self.cluster_class = cluster_class
        self.cluster_kwargs = cluster_kwargs
        self.adapt_kwargs = dict(adapt_kwargs or {})
        self.client_kwargs = dict(client_kwargs or {})
        self.client_kwargs.setdefault("set_as_default", False)
        self.debug = debug
        self.performance_report_path = performance_report_path
        self.disable_cancellation_event = disable_cancellation_event
        self.watch_worker_status = watch_worker_status
        self.client: Any = None
        self._report: Any = None
        super().__init__()

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.update(client=None, _report=None)
        return state

    @contextmanager
    def start(self) -> Iterator[None]:
        """Connect to the cluster (or start a temporary one) for the run."""
        from distributed import Client

        from prefect_core.executors.dask_logging import forwarded_task_logs

        with ExitStack() as stack:
            if self.address is not None:
                self.logger.info("Connecting to an existing Dask cluster at %s", self.address)
                client = stack.enter_context(Client(self.address, **self.client_kwargs))
            else:
                cluster_class = self.cluster_class
                self.logger.info(
                    "Creating a new Dask cluster with `%s.%s`...",
                    cluster_class.__module__,
                    cluster_class.__qualname__,
                )
                cluster = stack.enter_context(cluster_class(**self.cluster_kwargs))
                link = getattr(cluster, "dashboard_link", None)
                if link:
                    self.logger.info("The Dask dashboard is available at %s", link)
                if self.adapt_kwargs:
                    cluster.adapt(**self.adapt_kwargs)
                client = stack.enter_context(Client(cluster, **self.client_kwargs))
            stack.enter_context(forwarded_task_logs(client))
            if self.performance_report_path:
                self._report = stack.enter_context(
                    _performance_report(client, self.performance_report_path)
                )
            self.client = client
            try:
                yield
            finally:
                self.client = None

    @property
    def performance_report(self) -> str:
        """The HTML text of the performance report, or `""` when there is none."""
        path = self.performance_report_path
        if not path:
            self.logger.info("No performance report was asked for (performance_report_path).")
            return ""
        try:
            with open(path, encoding="utf-8") as report:
                return report.read()
        except OSError:
            self.logger.info("The performance report %s has not been written.", path)
            return ""

    def _started_client(self) -> Any:
        if self.client is None:
            raise ValueError("This executor has not been started.")
        return self.client

    def submit(
        self, fn: Callable, *args: Any, extra_context: dict | None = None, **kwargs: Any
    ) -> Any:
        """Submit `fn(*args, **kwargs)` to the cluster; futures among the arguments are
        passed to the run as their values, without coming back to this process."""
        client = self._started_client()
        options: dict[str, Any] = {"pure": False}
        key = task_run_key(extra_context)
        if key is not None:
            options["key"] = key
        resources = _resources_from_tags((extra_context or {}).get("task_tags") or ())
        if resources:
            options["resources"] = resources
        return client.submit(picklable_outcome, fn, *args, **options, **kwargs)

    def share(self, value: Any) -> Any:
        """A future of `value`, which submitted calls receive as the value itself: it
        travels to each worker once instead of with every call. (A task returning it,
        not scattered data, so Dask can recompute it if the workers holding it die.)"""
        return self._started_client().submit(_shared, value, pure=False)

    def wait(self, futures: Any) -> Any:
        """Gather futures (nested in lists/dicts) into their values, same shape; a run
        Dask could not complete becomes a `Failed` state (see `executor_failure`)."""
        client = self._started_client()
        try:
            return client.gather(futures)
        except Exception:
            return _gather_one_by_one(client, futures)


@contextmanager
def _performance_report(client: Any, path: str) -> Iterator[None]:
    """`distributed.performance_report(path)` for `client`, which need not be the
    default client: the report finds its client with `get_client()`."""
    from distributed import performance_report

    report = performance_report(filename=path)
    with client.as_current():
        report.__enter__()
    try:
        yield
    finally:
        with client.as_current():
            report.__exit__(None, None, None)


def _shared(value: Any) -> Any:
    """The value given to `DaskExecutor.share`, as the result of a task."""
    return value


def _gather_one_by_one(client: Any, futures: Any) -> Any:
    """`client.gather`, future by future, turning an errored future into a state."""
    from distributed import Future

    if isinstance(futures, Future):
        try:
            return client.gather(futures)
        except Exception as error:
            return executor_failure(error, futures.key)
    if isinstance(futures, dict):
        return {key: _gather_one_by_one(client, value) for key, value in futures.items()}
    if isinstance(futures, (list, tuple, set)):
        return type(futures)(_gather_one_by_one(client, value) for value in futures)
    return futures


def _resources_from_tags(tags: Any) -> dict[str, float]:
    """`dask-resource:NAME=AMOUNT` task tags as Dask worker resources."""
    resources = {}
    for tag in tags:
        if tag.lower().startswith(_RESOURCE_TAG_PREFIX):
            name, _, amount = tag[len(_RESOURCE_TAG_PREFIX):].partition("=")
            resources[name] = float(amount)
    return resources


def _import_object(dotted_path: str) -> Any:
    """The object at `package.module.Name`."""
    module_name, _, name = dotted_path.rpartition(".")
    return getattr(importlib.import_module(module_name), name)
