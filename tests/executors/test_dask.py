"""`LocalDaskExecutor` and `DaskExecutor` against real dask schedulers and clusters.

Nothing of dask or distributed is mocked. Clusters are expensive on two cores, so:

* tests of a cluster's own behaviour (log lines, adaptive scaling, resources, reports)
  start a small in-process `LocalCluster` (`processes=False`);
* tests that need worker *processes* share one module-scoped
  `LocalCluster(n_workers=2, processes=True, threads_per_worker=1)`;
* one test starts `dask scheduler` and two `dask worker` processes from the command line.

Task functions live in `tests/executors/sample_tasks.py`, which worker processes import;
the command-line cluster fixture is in `tests/executors/conftest.py`.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import cloudpickle
import dask
import distributed
import pytest
from distributed import LocalCluster

from prefect_core import Flow, task
from prefect_core.engine.state import State, TimedOut
from prefect_core.exceptions import TaskTimeoutSignal
from prefect_core.executors import DaskExecutor, LocalDaskExecutor, LocalExecutor
from prefect_core.executors.dask import task_run_key
from prefect_core.utilities.configuration import set_temporary_config
from tests.executors.sample_tasks import (
    add,
    calls_in,
    count_call,
    counted_numbers,
    current_dask_key,
    describe_run,
    equivalence_flow,
    extra_context,
    flaky_double,
    inc,
    log_once,
    numbers,
    resources_of_this_run,
    sleepy,
    square,
    timed_first,
    timed_second,
    total,
    tracked_items,
    warn_from_worker,
)

KEY_HEX = "[0-9a-f]{32}"
# Small in-process clusters: worker threads in this process, no dashboard port clash.
IN_PROCESS = {
    "n_workers": 1, "threads_per_worker": 1, "processes": False, "dashboard_address": ":0"
}
# For tests reading `caplog`: pytest also puts its capture handlers on the non-propagating
# `distributed` logger, and `silence_logs` (default CRITICAL) raises the level of that
# logger's handlers for the cluster's lifetime, which would hide every other record too.
IN_PROCESS_UNSILENCED = {**IN_PROCESS, "silence_logs": False}


# == LocalDaskExecutor ====================================================================


@pytest.mark.parametrize(
    "name, scheduler",
    [
        ("threads", "threads"),
        ("threading", "threads"),
        ("Threads", "threads"),
        ("processes", "processes"),
        ("multiprocessing", "processes"),
        ("MultiProcessing", "processes"),
        ("sync", "synchronous"),
        ("synchronous", "synchronous"),
        ("single-threaded", "synchronous"),
        ("SYNC", "synchronous"),
    ],
)
def test_local_dask_executor_normalises_scheduler_names(name, scheduler):
    assert LocalDaskExecutor(name).scheduler == scheduler


def test_local_dask_executor_defaults_to_threads():
    assert LocalDaskExecutor().scheduler == "threads"


def test_unknown_scheduler_is_rejected_quoting_the_lower_cased_name():
    with pytest.raises(ValueError, match=r"^Unknown scheduler 'bogus'$"):
        LocalDaskExecutor("BoGuS")


def test_task_run_key_is_name_and_hex_or_name_index_and_hex():
    assert re.fullmatch(f"inc-{KEY_HEX}", task_run_key(extra_context("inc")))
    assert re.fullmatch(f"inc-3-{KEY_HEX}", task_run_key(extra_context("inc", index=3)))
    assert re.fullmatch(f"inc-0-{KEY_HEX}", task_run_key(extra_context("inc", index=0)))
    assert task_run_key(extra_context("inc")) != task_run_key(extra_context("inc"))


def test_task_run_key_is_none_without_a_task_name():
    assert task_run_key(None) is None
    assert task_run_key({}) is None
    assert task_run_key(extra_context("")) is None


def test_local_dask_submissions_get_readable_keys():
    executor = LocalDaskExecutor("sync")
    with executor.start():
        parent = executor.submit(inc, 1, extra_context=extra_context("inc"))
        child = executor.submit(inc, parent, extra_context=extra_context("inc", index=2))
        assert re.fullmatch(f"inc-{KEY_HEX}", parent.key)
        assert re.fullmatch(f"inc-2-{KEY_HEX}", child.key)
        assert executor.wait([parent, child]) == [2, 3]


def test_local_dask_flow_runs_under_readable_keys():
    keys = []

    def record_key(key, dsk, state):
        keys.append(key)

    with Flow("keys") as flow:
        square.map(numbers())
    with dask.callbacks.Callback(pretask=record_key):
        state = flow.run(executor=LocalDaskExecutor("sync"))
    assert state.is_successful()
    assert sum(bool(re.fullmatch(f"numbers-{KEY_HEX}", key)) for key in keys) == 1
    assert sorted(
        int(key.split("-")[1]) for key in keys if re.fullmatch(f"square-\\d+-{KEY_HEX}", key)
    ) == [0, 1, 2, 3]


@pytest.mark.parametrize("scheduler", ["threads", "processes", "sync"])
def test_local_dask_wait_resolves_nested_futures_in_the_same_shape(scheduler):
    executor = LocalDaskExecutor(scheduler)
    with executor.start():
        one = executor.submit(inc, 0)
        two = executor.submit(add, one, 1)
        assert executor.wait({"a": [one, two], "b": {"c": two}, "d": 7}) == {
            "a": [1, 2],
            "b": {"c": 2},
            "d": 7,
        }


@pytest.mark.parametrize("workers", [1, 3])
def test_num_workers_sizes_the_thread_pool(workers):
    lock = threading.Lock()
    running = peak = 0
    # Every task waits until `workers` tasks run at once: proves at least that many threads.
    all_running = threading.Barrier(workers, timeout=10)

    def work(index):
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        all_running.wait()
        time.sleep(0.05)
        with lock:
            running -= 1
        return index

    executor = LocalDaskExecutor(num_workers=workers)
    with executor.start():
        assert executor.wait([executor.submit(work, i) for i in range(2 * workers)]) == list(
            range(2 * workers)
        )
    assert peak == workers


@pytest.mark.parametrize(
    "scheduler, pool_class",
    [("threads", ThreadPoolExecutor), ("processes", ProcessPoolExecutor), ("sync", type(None))],
)
def test_the_pool_exists_only_inside_start(scheduler, pool_class):
    executor = LocalDaskExecutor(scheduler)
    assert executor._pool is None
    with executor.start():
        assert type(executor._pool) is pool_class
        assert executor.wait(executor.submit(inc, 1)) == 2
    assert executor._pool is None


def test_thread_pool_workers_are_gone_after_start_exits():
    threads = []

    def record_thread():
        threads.append(threading.current_thread())

    executor = LocalDaskExecutor("threads", num_workers=2)
    with executor.start():
        executor.wait([executor.submit(record_thread) for _ in range(4)])
    assert threads and threading.main_thread() not in threads
    assert not any(thread.is_alive() for thread in threads)


@pytest.mark.parametrize("scheduler", ["threads", "processes", "sync"])
def test_local_dask_executor_is_picklable_without_its_pool(scheduler):
    executor = LocalDaskExecutor(scheduler, num_workers=2)
    with executor.start():
        executor.wait(executor.submit(inc, 1))
        copy = cloudpickle.loads(cloudpickle.dumps(executor))
    assert copy._pool is None
    assert copy.scheduler == executor.scheduler
    assert copy.dask_config == {"num_workers": 2}
    with copy.start():
        assert copy.wait(copy.submit(inc, 41)) == 42


@pytest.mark.parametrize("scheduler", ["threads", "processes", "sync"])
def test_a_second_wait_does_not_rerun_upstream_work(scheduler, tmp_path):
    counter = tmp_path / "calls"
    executor = LocalDaskExecutor(scheduler)
    with executor.start():
        upstream = executor.submit(count_call, str(counter), 1, extra_context=extra_context("up"))
        downstream = executor.submit(inc, upstream, extra_context=extra_context("down"))
        assert executor.wait(upstream) == 1
        assert executor.wait(downstream) == 2
        assert executor.wait([upstream, downstream]) == [1, 2]
    assert calls_in(counter) == 1


@pytest.mark.parametrize("scheduler", ["threads", "processes", "sync"])
def test_each_task_runs_once_in_a_flow_with_a_map_and_a_reduce(scheduler, tmp_path):
    counter = tmp_path / "calls"
    with Flow("once") as flow:
        produced = counted_numbers(str(counter))
        summed = total(square.map(produced))
    state = flow.run(executor=LocalDaskExecutor(scheduler))
    assert state.is_successful()
    assert state.result[summed].result == 14
    assert calls_in(counter) == 1


@pytest.mark.timeout(60)
@pytest.mark.parametrize("scheduler", ["threads", "processes", "sync"])
def test_local_dask_executor_gives_the_local_executors_states(scheduler):
    flow = equivalence_flow()
    expected = describe_run(flow, LocalExecutor())
    assert expected["flow"] == ("Failed", "Some reference tasks failed.")
    assert describe_run(flow, LocalDaskExecutor(scheduler)) == expected


def test_the_equivalence_flow_exercises_retries_skips_failures_and_triggers():
    flow = equivalence_flow()
    state = flow.run(executor=LocalExecutor())
    by_name = {task_.name: task_state for task_, task_state in state.result.items()}
    assert by_name["flaky_double"].result == [2, 4, 6, 8]
    assert [type(child).__name__ for child in by_name["square"].map_states] == [
        "Skipped", "Success", "Skipped", "Success"
    ]
    assert [type(child).__name__ for child in by_name["reject_three"].map_states] == [
        "Success", "Success", "Failed", "Success"
    ]
    assert by_name["alert"].result == "on-call paged"
    assert by_name["cleanup"].result == "cleaned up"
    totals = sorted(type(s).__name__ for t, s in state.result.items() if t.name == "total")
    assert totals == ["Success", "TriggerFailed"]


# == DaskExecutor: construction and configuration =========================================


class RecordingCluster(LocalCluster):
    """A `LocalCluster` that records the `adapt` calls made on it."""

    adapt_calls: list[dict] = []

    def adapt(self, **kwargs):
        RecordingCluster.adapt_calls.append(kwargs)
        return super().adapt(**kwargs)


def test_submit_and_wait_need_a_started_executor():
    executor = DaskExecutor(address="tcp://127.0.0.1:1")  # never connected to
    with pytest.raises(ValueError, match=r"^This executor has not been started\.$"):
        executor.submit(inc, 1)
    with pytest.raises(ValueError, match=r"^This executor has not been started\.$"):
        executor.wait([])


@pytest.mark.parametrize(
    "options", [{"cluster_class": LocalCluster}, {"cluster_kwargs": {"n_workers": 1}}]
)
def test_address_excludes_cluster_class_and_cluster_kwargs(options):
    message = r"^Cannot specify `address` and `cluster_class`/`cluster_kwargs`$"
    with pytest.raises(ValueError, match=message):
        DaskExecutor(address="tcp://127.0.0.1:8786", **options)


def test_cluster_class_may_be_a_dotted_path():
    assert DaskExecutor(cluster_class="distributed.LocalCluster").cluster_class is LocalCluster
    executor = DaskExecutor(cluster_class="tests.executors.test_dask.RecordingCluster")
    assert executor.cluster_class is RecordingCluster


def test_defaults_come_from_the_configuration():
    executor = DaskExecutor()
    assert executor.address is None
    assert executor.cluster_class is distributed.deploy.local.LocalCluster
    assert executor.adapt_kwargs == {}
    with set_temporary_config({"engine.executor.dask.address": "tcp://127.0.0.1:8786"}):
        assert DaskExecutor().address == "tcp://127.0.0.1:8786"
    path = "tests.executors.test_dask.RecordingCluster"
    with set_temporary_config({"engine.executor.dask.cluster_class": path}):
        assert DaskExecutor().cluster_class is RecordingCluster


def test_client_kwargs_default_to_not_setting_the_default_client():
    assert DaskExecutor().client_kwargs == {"set_as_default": False}
    given = DaskExecutor(client_kwargs={"set_as_default": True, "timeout": 5})
    assert given.client_kwargs == {"set_as_default": True, "timeout": 5}


def test_a_local_cluster_is_silenced_unless_debugging():
    assert DaskExecutor().cluster_kwargs == {"silence_logs": logging.CRITICAL}
    assert DaskExecutor(debug=True).cluster_kwargs == {"silence_logs": logging.WARNING}
    with set_temporary_config({"debug": True}):
        assert DaskExecutor().cluster_kwargs == {"silence_logs": logging.WARNING}
    given = DaskExecutor(cluster_kwargs={"n_workers": 3, "silence_logs": logging.INFO})
    assert given.cluster_kwargs == {"n_workers": 3, "silence_logs": logging.INFO}


def test_silence_logs_is_only_added_for_local_clusters():
    executor = DaskExecutor(cluster_class=distributed.SpecCluster, cluster_kwargs={"workers": {}})
    assert executor.cluster_kwargs == {"workers": {}}


def test_cluster_kwargs_are_copied():
    given = {"n_workers": 2}
    DaskExecutor(cluster_kwargs=given)
    assert given == {"n_workers": 2}


def test_performance_report_is_empty_without_a_path(tmp_path):
    assert DaskExecutor().performance_report == ""
    unwritten = DaskExecutor(performance_report_path=str(tmp_path / "never.html"))
    assert unwritten.performance_report == ""


# == DaskExecutor: temporary in-process clusters ==========================================


@pytest.mark.timeout(60)
def test_a_temporary_cluster_logs_its_class_and_dashboard(caplog):
    caplog.set_level(logging.INFO, logger="prefect_core")
    with Flow("temporary") as flow:
        summed = total(square.map(numbers()))
    executor = DaskExecutor(cluster_kwargs=IN_PROCESS_UNSILENCED)
    state = flow.run(executor=executor)
    assert state.result[summed].result == 30
    messages = [record.getMessage() for record in caplog.records]
    assert (
        "Creating a new Dask cluster with `distributed.deploy.local.LocalCluster`..." in messages
    )
    assert any(
        re.fullmatch(r"The Dask dashboard is available at http://\S+:\d+/status", message)
        for message in messages
    )
    assert executor.client is None


@pytest.mark.timeout(60)
def test_start_sets_the_client_only_while_inside():
    executor = DaskExecutor(cluster_kwargs=IN_PROCESS)
    with executor.start():
        assert isinstance(executor.client, distributed.Client)
        assert executor.wait(executor.submit(inc, 1)) == 2
    assert executor.client is None
    with pytest.raises(ValueError, match="has not been started"):
        executor.submit(inc, 1)


@pytest.mark.timeout(60)
def test_adapt_kwargs_make_the_cluster_adaptive():
    RecordingCluster.adapt_calls.clear()
    executor = DaskExecutor(
        cluster_class=RecordingCluster,
        cluster_kwargs={**IN_PROCESS, "n_workers": 0},  # without adapting, nothing would run
        adapt_kwargs={"minimum": 1, "maximum": 2},
    )
    with Flow("adaptive") as flow:
        squared = square.map(numbers())
    state = flow.run(executor=executor)
    assert RecordingCluster.adapt_calls == [{"minimum": 1, "maximum": 2}]
    assert state.is_successful()
    assert state.result[squared].result == [1, 4, 9, 16]


@pytest.mark.timeout(60)
def test_dask_resource_tags_become_dask_resources():
    executor = DaskExecutor(cluster_kwargs={**IN_PROCESS, "resources": {"GPU": 1}})
    with Flow("gpu") as flow:
        used = resources_of_this_run()
    state = flow.run(executor=executor)
    assert state.result[used].result == {"GPU": 1.0}


@pytest.mark.timeout(60)
def test_resource_tag_prefix_is_case_insensitive():
    executor = DaskExecutor(cluster_kwargs={**IN_PROCESS, "resources": {"GPU": 2}})

    def reserved():
        worker = distributed.get_worker()
        return dict(worker.state.tasks[worker.get_current_task()].resource_restrictions)

    tags = {"DASK-RESOURCE:GPU=2", "unrelated"}
    with executor.start():
        future = executor.submit(reserved, extra_context=extra_context("gpu", tags=tags))
        assert executor.wait(future) == {"GPU": 2.0}


@pytest.mark.timeout(60)
def test_performance_report_path_writes_an_html_report(tmp_path):
    path = tmp_path / "report.html"
    executor = DaskExecutor(cluster_kwargs=IN_PROCESS, performance_report_path=str(path))
    with Flow("report") as flow:
        square.map(numbers())
    state = flow.run(executor=executor)
    assert state.is_successful(), state.message
    assert path.exists()
    report = executor.performance_report
    assert report == path.read_text(encoding="utf-8")
    assert "<html" in report.lower()


# == DaskExecutor: worker processes of a shared cluster ===================================


@pytest.fixture(scope="module")
def cluster():
    """One cluster of two single-threaded worker processes for the whole module."""
    with LocalCluster(
        n_workers=2,
        processes=True,
        threads_per_worker=1,
        dashboard_address=":0",
        silence_logs=logging.CRITICAL,
    ) as shared:
        yield shared


def on(cluster: LocalCluster) -> DaskExecutor:
    return DaskExecutor(address=cluster.scheduler_address)


@pytest.mark.timeout(60)
def test_connecting_to_an_existing_cluster_logs_its_address(cluster, caplog):
    caplog.set_level(logging.INFO, logger="prefect_core")
    executor = on(cluster)
    with executor.start():
        assert executor.wait(executor.submit(inc, 1)) == 2
    expected = f"Connecting to an existing Dask cluster at {cluster.scheduler_address}"
    assert expected in [record.getMessage() for record in caplog.records]


@pytest.mark.timeout(60)
def test_futures_get_readable_keys(cluster):
    executor = on(cluster)
    with executor.start():
        parent = executor.submit(inc, 1, extra_context=extra_context("inc"))
        child = executor.submit(inc, parent, extra_context=extra_context("inc", index=4))
        anonymous = executor.submit(inc, 1)
        assert re.fullmatch(f"inc-{KEY_HEX}", parent.key)
        assert re.fullmatch(f"inc-4-{KEY_HEX}", child.key)
        assert not anonymous.key.startswith("inc-")
        assert executor.wait({"values": [parent, child, anonymous]}) == {"values": [2, 3, 2]}


@pytest.mark.timeout(60)
def test_task_runs_execute_under_their_readable_keys(cluster):
    with Flow("keys") as flow:
        keys = current_dask_key.map(numbers())
    state = flow.run(executor=on(cluster))
    assert [re.fullmatch(f"current_dask_key-(\\d)-{KEY_HEX}", key).group(1)
            for key in state.result[keys].result] == ["0", "1", "2", "3"]


@pytest.mark.timeout(60)
def test_dask_executor_is_picklable_without_its_client(cluster):
    executor = on(cluster)
    with executor.start():
        copy = cloudpickle.loads(cloudpickle.dumps(executor))
        assert executor.client is not None
    assert copy.client is None
    assert copy.address == cluster.scheduler_address
    assert copy.client_kwargs == {"set_as_default": False}
    with copy.start():
        assert copy.wait(copy.submit(inc, 41)) == 42


@pytest.mark.timeout(90)
def test_dask_executor_gives_the_local_executors_states(cluster):
    flow = equivalence_flow()
    assert describe_run(flow, on(cluster)) == describe_run(flow, LocalExecutor())


@pytest.mark.timeout(60)
def test_a_mapped_flow_runs_on_worker_processes(cluster):
    @task
    def worker_pid(x: int) -> int:
        return os.getpid()

    with Flow("processes") as flow:
        items = numbers()
        squares = square.map(items)
        summed = total(squares)
        pids = worker_pid.map(squares)
    state = flow.run(executor=on(cluster))
    assert state.is_successful()
    assert state.result[squares].result == [1, 4, 9, 16]
    assert state.result[summed].result == 30
    assert os.getpid() not in state.result[pids].result


@pytest.mark.timeout(60)
def test_logs_from_tasks_on_workers_reach_the_callers_logger(cluster, caplog):
    caplog.set_level(logging.INFO, logger="prefect_core")
    with Flow("logs") as flow:
        warn_from_worker.map([1, 2])
    state = flow.run(executor=on(cluster))
    assert state.is_successful()
    expected = {"hello from worker 1", "hello from worker 2"}
    deadline = time.monotonic() + 10  # forwarded records arrive asynchronously
    while time.monotonic() < deadline:
        forwarded = {
            record.getMessage()
            for record in caplog.records
            if record.name.startswith("prefect_core") and record.levelno == logging.WARNING
        }
        if expected <= forwarded:
            break
        time.sleep(0.05)
    assert expected <= forwarded


@pytest.mark.timeout(60)
def test_a_record_from_an_in_process_worker_is_logged_once(caplog):
    # The worker is a thread of this process: its records are logged here already, and
    # must not be forwarded back to this process again (and again).
    caplog.set_level(logging.INFO, logger="prefect_core")
    executor = DaskExecutor(cluster_kwargs=IN_PROCESS_UNSILENCED)
    with executor.start():
        executor.wait(executor.submit(log_once, "logged once"))
        time.sleep(1)  # time for any forwarded copy to arrive
    assert [record.getMessage() for record in caplog.records].count("logged once") == 1


@pytest.mark.timeout(60)
def test_a_record_from_a_worker_process_is_forwarded_once(cluster, caplog):
    caplog.set_level(logging.INFO, logger="prefect_core")
    executor = on(cluster)
    with executor.start():
        executor.wait(executor.submit(log_once, "forwarded once"))
        time.sleep(1)
    assert [record.getMessage() for record in caplog.records].count("forwarded once") == 1


# == Timeouts under each executor =========================================================


def timed_out_run(executor) -> tuple[State, float]:
    with Flow("timeout") as flow:
        slow = sleepy()
    started = time.monotonic()
    state = flow.run(executor=executor)
    return state.result[slow], time.monotonic() - started


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "make_executor, signal_message",
    [
        # SIGALRM in the main thread (of this process, or of a pool process)
        (LocalExecutor, "Execution timed out."),
        (lambda: LocalDaskExecutor("sync"), "Execution timed out."),
        (lambda: LocalDaskExecutor("processes"), "Execution timed out."),
        # another thread of a non-daemonic process: the task runs in a spawned process
        (lambda: LocalDaskExecutor("threads"), "Execution timed out for Task 'sleepy'."),
        (lambda: DaskExecutor(cluster_kwargs=IN_PROCESS), "Execution timed out for Task 'sleepy'."),
    ],
    ids=["local", "dask-sync", "dask-processes", "dask-threads", "dask-in-process-cluster"],
)
def test_a_task_past_its_timeout_is_timed_out(make_executor, signal_message):
    state, elapsed = timed_out_run(make_executor())
    assert type(state) is TimedOut
    assert state.message == "Task timed out during execution."
    assert isinstance(state.result, TaskTimeoutSignal)
    assert str(state.result) == signal_message
    assert elapsed < 5


@pytest.mark.timeout(60)
def test_a_task_past_its_timeout_on_a_worker_process_is_timed_out(cluster):
    # Worker processes are daemonic: the timeout is soft, the task is abandoned.
    state, elapsed = timed_out_run(on(cluster))
    assert type(state) is TimedOut
    assert elapsed < 10


# == A cluster started from the command line ==============================================


@pytest.mark.timeout(120)
def test_a_mapped_flow_runs_on_a_cluster_started_from_the_command_line(command_line_cluster):
    @task
    def worker_name(x: int) -> str:
        return distributed.get_worker().name

    with Flow("command line") as flow:
        items = numbers()
        doubled = flaky_double.map(items)
        squared = square.map(doubled)
        summed = total(squared)
        names = worker_name.map(items)
    state = flow.run(executor=DaskExecutor(address=command_line_cluster))
    assert type(state).__name__ == "Success", state
    assert state.result[doubled].result == [2, 4, 6, 8]
    assert [type(child).__name__ for child in state.result[squared].map_states] == ["Success"] * 4
    assert state.result[squared].result == [4, 16, 36, 64]
    assert state.result[summed].result == 120
    assert set(state.result[names].result) <= {"cli-worker-0", "cli-worker-1"}


# == chained maps run depth first =========================================================


def test_chained_maps_run_depth_first_on_a_dask_cluster(cluster):
    """`second[0]` starts as soon as `first[0]` is done, while `first[1]` still runs."""
    with Flow("depth-first") as flow:
        spans = timed_first.map([0.0, 3.0])
        starts = timed_second.map(spans)
    state = flow.run(executor=on(cluster))
    assert state.is_successful()
    (_, fast_end), (_, slow_end) = state.result[spans].result
    second_zero_start, _ = state.result[starts].result
    assert fast_end <= second_zero_start < slow_end


def test_chained_maps_run_depth_first_on_the_synchronous_local_dask_scheduler():
    order = []

    @task
    def first(x):
        order.append(f"first[{x}]")
        return x

    @task
    def second(x):
        order.append(f"second[{x}]")
        return x

    with Flow("chained") as flow:
        second.map(first.map([0, 1, 2]))
    flow.run(executor=LocalDaskExecutor("synchronous"))
    for index in range(3):  # each second[i] right after its first[i]
        assert order.index(f"second[{index}]") == order.index(f"first[{index}]") + 1


def test_a_mapped_list_never_comes_back_to_the_client_unless_asked_for(cluster, tmp_path):
    """Mapping needs only the list's length: the list itself stays on the workers."""
    from prefect_core.engine.flow_runner import FlowRunner

    marker = tmp_path / "unpickled"
    with Flow("stays") as flow:
        items = tracked_items(50, os.getpid(), str(marker))
        doubled = square.map(items)
        reduced = total(doubled)
    executor = on(cluster)
    state = FlowRunner(flow).run(return_tasks=[reduced], executor=executor)
    assert state.result[reduced].result == sum(i * i for i in range(50))
    assert not marker.exists()  # the list was never unpickled in this process
    everything = FlowRunner(flow).run(return_tasks=[items], executor=executor)
    assert everything.result[items].result == list(range(50))
    assert marker.exists()  # asked for: now it came back
