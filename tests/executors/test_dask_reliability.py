"""Flows on a real Dask cluster when things go wrong: killed workers, unpicklable results,
timeouts in worker processes."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest
from distributed import LocalCluster

from prefect_core import Flow, task, triggers, unmapped
from prefect_core.engine.state import Failed, Success, TimedOut, TriggerFailed
from prefect_core.executors import DaskExecutor, LocalDaskExecutor
from prefect_core.executors.base import TaskRunLost

pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes, each restarted by its nanny when killed; Dask gives up on a
    run after its workers died `allowed-failures` + 1 times (3 + 1 by default)."""
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, silence_logs=50, dashboard_address=None
    ) as local_cluster:
        yield local_cluster


def executor(cluster):
    return DaskExecutor(address=cluster.scheduler_address)


@task
def kill_worker_once(marker):
    """Kill the worker process running it (SIGKILL) the first time, then succeed."""
    if not os.path.exists(marker):
        with open(marker, "w"):
            pass
        os.kill(os.getpid(), signal.SIGKILL)
    return "survived"


@task
def kill_worker_always():
    os.kill(os.getpid(), signal.SIGKILL)


@task
def passthrough(x):
    return x


@task(trigger=triggers.all_finished)
def cleanup(x):
    return "cleaned"


@task
def unpicklable():
    return threading.Lock()


def test_a_killed_worker_is_replaced_and_the_flow_finishes_with_the_right_states(
    cluster, tmp_path
):
    with Flow("survive") as flow:
        first = kill_worker_once(str(tmp_path / "killed-once"))
        second = passthrough(first)
    state = flow.run(executor=executor(cluster))
    assert state.is_successful()
    assert state.result[first].result == "survived"
    assert state.result[second].result == "survived"
    assert (tmp_path / "killed-once").exists()  # the worker really was killed once


def test_a_run_whose_workers_keep_dying_fails_naming_the_worker_and_the_flow_follows(
    cluster,
):
    with Flow("lost") as flow:
        doomed = kill_worker_always()
        downstream = passthrough(doomed)
        tidy = cleanup(doomed)
    state = flow.run(executor=executor(cluster))
    assert state.is_failed()
    lost = state.result[doomed]
    assert type(lost) is Failed
    assert lost.message.startswith("Dask lost this task run: every worker that ran it died")
    assert "tcp://127.0.0.1:" in lost.message
    assert isinstance(lost.result, TaskRunLost) and lost.result.own
    assert type(state.result[downstream]) is TriggerFailed
    assert type(state.result[tidy]) is Success and state.result[tidy].result == "cleaned"


@task
def kill_worker_once_at(index, marker):
    if index == 1:
        return kill_worker_once.run(marker)
    return index


def test_a_mapped_child_killing_its_worker_is_rerun_and_the_map_completes(cluster, tmp_path):
    with Flow("map-survive") as flow:
        children = kill_worker_once_at.map([0, 1, 2], unmapped(str(tmp_path / "child")))
        total = passthrough(children)
    state = flow.run(executor=executor(cluster))
    assert state.is_successful()
    assert state.result[children].result == [0, "survived", 2]
    assert state.result[total].result == [0, "survived", 2]


def test_an_unpicklable_result_fails_that_task_with_a_clear_message(cluster):
    with Flow("pickle") as flow:
        lock = unpicklable()
        after = cleanup(lock)
    state = flow.run(executor=executor(cluster))
    failed = state.result[lock]
    assert type(failed) is Failed
    assert failed.message.startswith(
        "Task 'unpicklable': its result cannot be pickled, so it cannot leave the Dask worker"
    )
    assert state.result[after].result == "cleaned"


def test_an_unpicklable_result_fails_that_task_on_local_dask_processes():
    with Flow("pickle") as flow:
        lock = unpicklable()
    state = flow.run(executor=LocalDaskExecutor("processes", num_workers=1))
    assert type(state.result[lock]) is Failed
    assert "its result cannot be pickled" in state.result[lock].message


@task(timeout=1)
def sleeps_too_long():
    import time

    time.sleep(4)
    return "woke up"


def test_a_timeout_in_a_worker_process_says_the_task_may_still_be_running(cluster):
    with Flow("timeout") as flow:
        slow = sleeps_too_long()
    state = flow.run(executor=executor(cluster))
    timed_out = state.result[slow]
    assert type(timed_out) is TimedOut
    assert "it may still be running" in timed_out.message


@task
def kill_worker_at_one(index):
    """Child 1 kills its worker every time, after a second: by then every other run of
    the flow that can run has finished, so none of them is on a dying worker (Dask would
    give up on such a bystander too after `allowed-failures` deaths)."""
    if index == 1:
        time.sleep(1)
        os.kill(os.getpid(), signal.SIGKILL)
    return index


@task(trigger=triggers.all_finished)
def always_child(x):
    return "ran"


def test_children_after_a_lost_child_follow_their_triggers(cluster):
    with Flow("lost-child") as flow:
        first = kill_worker_at_one.map([0, 1, 2])
        strict = passthrough.map(first)
        lenient = always_child.map(first)
    state = flow.run(executor=executor(cluster))
    first_children = state.result[first].map_states
    assert type(first_children[1]) is Failed
    assert first_children[1].message.startswith("Dask lost this task run")
    assert [type(child) for child in first_children] == [Success, Failed, Success]
    # The children after the lost one ran again, once the run was over, under their
    # triggers.
    strict_children = state.result[strict].map_states
    assert [type(child) for child in strict_children] == [Success, TriggerFailed, Success]
    assert state.result[lenient].result == ["ran", "ran", "ran"]
