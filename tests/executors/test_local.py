"""`LocalExecutor` and the `Executor` contract."""

from __future__ import annotations

import threading

import cloudpickle
import pytest

from prefect_core import Flow, task
from prefect_core.engine.state import Success
from prefect_core.executors import Executor, LocalExecutor


def test_submit_runs_immediately_and_returns_the_value():
    calls = []

    def fn(x, y=0):
        calls.append(threading.current_thread())
        return x + y

    executor = LocalExecutor()
    assert executor.submit(fn, 1, y=2) == 3
    assert calls == [threading.current_thread()]


def test_extra_context_is_not_passed_to_the_function():
    def fn(**kwargs):
        return kwargs

    extra = {"task_name": "t", "task_tags": set(), "task_index": None}
    assert LocalExecutor().submit(fn, a=1, extra_context=extra) == {"a": 1}


def test_wait_returns_its_argument_unchanged():
    nested = {"a": [1, 2], "b": {"c": 3}}
    assert LocalExecutor().wait(nested) is nested
    assert LocalExecutor().wait(5) == 5


def test_start_is_a_context_manager():
    executor = LocalExecutor()
    with executor.start() as value:
        assert value is None
        assert executor.submit(lambda: "inside") == "inside"


def test_repr_and_logger():
    executor = LocalExecutor()
    assert repr(executor) == "<Executor: LocalExecutor>"
    assert executor.logger.name == "prefect_core.LocalExecutor"


def test_local_executor_is_an_executor_and_picklable():
    executor = LocalExecutor()
    assert isinstance(executor, Executor)
    assert isinstance(cloudpickle.loads(cloudpickle.dumps(executor)), LocalExecutor)


def test_base_executor_needs_submit_and_wait():
    executor = Executor()
    with executor.start():
        with pytest.raises(NotImplementedError):
            executor.submit(print)
        with pytest.raises(NotImplementedError):
            executor.wait([])


def test_errors_from_submitted_functions_propagate():
    def broken():
        raise ValueError("inline")

    with pytest.raises(ValueError, match="inline"):
        LocalExecutor().submit(broken)


def test_deprecated_engine_executors_alias_warns():
    from prefect_core.engine import executors as deprecated

    moved = "has been moved to `prefect_core.executors.LocalExecutor`"
    with pytest.warns(UserWarning, match=moved):
        executor = deprecated.LocalExecutor()
    assert isinstance(executor, LocalExecutor)
    assert deprecated.Executor is Executor


@pytest.mark.parametrize("name", ["LocalExecutor", "LocalDaskExecutor", "DaskExecutor"])
def test_deprecated_engine_executors_aliases_warn_and_subclass_the_new_classes(name):
    import prefect_core.executors
    from prefect_core.engine import executors as deprecated

    moved = (
        f"^prefect_core.engine.executors.{name} has been moved to "
        f"`prefect_core.executors.{name}`, please update your imports$"
    )
    with pytest.warns(UserWarning, match=moved) as warned:
        executor = getattr(deprecated, name)()
    assert warned[0].filename == __file__  # the warning points at the caller
    assert isinstance(executor, getattr(prefect_core.executors, name))
    assert name in deprecated.__all__


def test_deprecated_dask_aliases_accept_the_new_classes_arguments():
    from prefect_core.engine import executors as deprecated

    with pytest.warns(UserWarning):
        local_dask = deprecated.LocalDaskExecutor("processes", num_workers=2)
    assert (local_dask.scheduler, local_dask.dask_config) == ("processes", {"num_workers": 2})
    with pytest.warns(UserWarning):
        dask = deprecated.DaskExecutor(address="tcp://127.0.0.1:8786")
    assert dask.address == "tcp://127.0.0.1:8786"


def test_flow_run_with_local_executor_gives_the_default_states():
    @task
    def double(x):
        return 2 * x

    with Flow("local") as flow:
        result = double(double(3))
    default = flow.run()
    explicit = flow.run(executor=LocalExecutor())
    assert type(explicit) is Success
    assert explicit.result[result].result == default.result[result].result == 12
    assert {t: type(s) for t, s in explicit.result.items()} == {
        t: type(s) for t, s in default.result.items()
    }


def test_local_executor_runs_work_in_the_callers_context():
    from prefect_core.executors import Executor, LocalExecutor

    assert LocalExecutor.runs_in_caller_context is True
    assert Executor.runs_in_caller_context is False


def test_an_executor_outside_the_callers_context_gets_the_full_run_context():
    import threading

    import prefect_core as prefect
    from prefect_core.executors import LocalExecutor
    from prefect_core.utilities.context import context

    class OtherThreadExecutor(LocalExecutor):
        """Runs each task in a fresh thread, which starts without the run's context."""

        runs_in_caller_context = False

        def submit(self, fn, *args, extra_context=None, **kwargs):
            outcome = []
            worker = threading.Thread(target=lambda: outcome.append(fn(*args, **kwargs)))
            worker.start()
            worker.join()
            return outcome[0]

    @prefect.task
    def seen():
        return context.get("flow_name"), context.get("parameters"), context.get("custom")

    with prefect.Flow("threads") as flow:
        result = seen()
    state = flow.run(executor=OtherThreadExecutor(), context={"custom": 7})
    assert state.result[result].result == ("threads", {}, 7)
