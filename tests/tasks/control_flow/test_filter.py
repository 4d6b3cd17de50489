"""`prefect_core.tasks.control_flow.filter.FilterTask`."""

import logging

import pytest

from prefect_core import triggers
from prefect_core.core import Flow
from prefect_core.engine import signals
from prefect_core.tasks.control_flow import FilterTask
from prefect_core.utilities.tasks import task

pytestmark = pytest.mark.filterwarnings("error::UserWarning")

@task
def inc(x):
    return x + 1


@task
def reciprocal(x):
    return 1 / x


@task
def produce(items):
    return items


def test_filter_task_runs_whatever_its_upstreams_ended_in():
    filter_task = FilterTask()
    assert filter_task.skip_on_upstream_skip is False
    assert filter_task.trigger is triggers.all_finished


def test_filter_task_trigger_and_skip_flag_can_be_overridden():
    filter_task = FilterTask(trigger=triggers.all_successful, skip_on_upstream_skip=True)
    assert filter_task.skip_on_upstream_skip is True
    assert filter_task.trigger is triggers.all_successful


def test_filter_task_passes_other_keywords_to_task():
    assert FilterTask(name="clean").name == "clean"


def test_default_filter_drops_none_and_exceptions():
    assert FilterTask().run([1, None, ValueError("x"), 2, KeyError("k")]) == [1, 2]


def test_default_filter_keeps_prefect_signals():
    skip, fail = signals.SKIP("s"), signals.FAIL("f")
    assert FilterTask().run([0, skip, fail, 4]) == [0, skip, fail, 4]


def test_default_filter_keeps_falsy_values_that_are_not_none():
    assert FilterTask().run([0, "", [], False]) == [0, "", [], False]


def test_filter_func_decides_which_items_are_kept():
    evens = FilterTask(filter_func=lambda x: x % 2 == 0)
    assert evens.run([1, 2, 3, 4]) == [2, 4]


def test_log_func_logs_the_filtered_list_at_info(caplog):
    filter_task = FilterTask(name="evens", filter_func=lambda x: x % 2 == 0, log_func=repr)
    with caplog.at_level(logging.INFO, logger="prefect_core"):
        filter_task.run([1, 2, 3, 4])
    [record] = [r for r in caplog.records if r.name == "prefect_core.evens"]
    assert record.levelno == logging.INFO
    assert record.getMessage() == "[2, 4]"


def test_without_log_func_nothing_is_logged(caplog):
    with caplog.at_level(logging.DEBUG, logger="prefect_core"):
        FilterTask(name="quiet").run([1, None])
    assert not [r for r in caplog.records if r.name == "prefect_core.quiet"]


def test_filter_task_filters_an_upstream_result_in_a_flow():
    with Flow("f") as flow:
        kept = FilterTask()(produce([1, None, ValueError("x"), 3]))
    state = flow.run()
    assert state.is_successful()
    assert state.result[kept].result == [1, 3]


def test_filter_task_log_func_logs_during_a_flow_run(caplog):
    log_filter = FilterTask(name="evens", filter_func=lambda x: x % 2 == 0, log_func=str)
    with Flow("f") as flow:
        log_filter(produce([1, 2, 3, 4]))
    with caplog.at_level(logging.INFO, logger="prefect_core"):
        flow.run()
    messages = [r.getMessage() for r in caplog.records if r.name == "prefect_core.evens"]
    assert messages == ["[2, 4]"]


def test_filter_task_keeps_matching_results_of_a_map():
    evens = FilterTask(filter_func=lambda x: x % 2 == 0)
    with Flow("f") as flow:
        kept = evens(inc.map([0, 1, 2]))
    assert flow.run().result[kept].result == [2]


def test_filter_task_drops_the_failed_children_of_a_map():
    with Flow("f") as flow:
        kept = FilterTask()(reciprocal.map([1, 0, 2]))
    state = flow.run()
    assert state.result[kept].result == [1.0, 0.5]
