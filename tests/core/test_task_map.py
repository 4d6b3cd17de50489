"""Running mapped tasks: `Task.map` in `flow.run()` (mapping-and-control-flow.md §1-§2)."""

from datetime import timedelta

import pytest

import prefect_core
from prefect_core import Flow, Parameter, Task, flatten, mapped, task, unmapped
from prefect_core.engine import signals
from prefect_core.engine.results import LocalResult
from prefect_core.engine.state import (
    Failed,
    Mapped,
    Pending,
    Retrying,
    Skipped,
    Success,
    TriggerFailed,
)
from prefect_core.triggers import all_finished
from prefect_core.utilities.context import context


@task
def inc(x):
    return x + 1


@task
def add(x, y):
    return x + y


@task
def total(xs):
    return sum(xs)


@task
def identity(x):
    return x


@task
def up_to(n):
    return list(range(n))


@task
def fail_on_two(x):
    if x == 2:
        raise ValueError("two")
    return x


@task
def skip_on_two(x):
    if x == 2:
        raise signals.SKIP("skip two")
    return x


def run(flow, **kwargs):
    state = flow.run(**kwargs)
    return state, state.result


def children_types(state):
    return [type(child).__name__ for child in state.map_states]


# -- the parent and its children ---------------------------------------------------------


def test_a_map_over_a_list_gives_a_mapped_parent_with_one_child_per_item():
    with Flow("f") as flow:
        out = inc.map([1, 2, 3])
    state, results = run(flow)
    assert state.is_successful()
    parent = results[out]
    assert isinstance(parent, Mapped)
    assert parent.message == "Ready to proceed with mapping."
    assert parent.n_map_states == 3
    assert children_types(parent) == ["Success", "Success", "Success"]
    assert parent.result == [2, 3, 4]
    assert [child.result for child in parent.map_states] == [2, 3, 4]


def test_children_see_their_map_index_and_full_name_in_the_context():
    @task
    def where(x):
        return (context.get("map_index"), context.get("task_full_name"), x)

    with Flow("f") as flow:
        out = where.map(["a", "b"])
    _, results = run(flow)
    assert results[out].result == [(0, "where[0]", "a"), (1, "where[1]", "b")]


def test_each_child_logs_under_its_own_name_and_no_logger_is_registered():
    import logging

    @task
    def log_it(x):
        context.get("logger").info("item %s", x)
        return context.get("logger").name

    with Flow("f") as flow:
        out = log_it.map([1, 2])
    _, results = run(flow)
    assert results[out].result == ["prefect_core.log_it[0]", "prefect_core.log_it[1]"]
    assert "prefect_core.log_it[0]" not in logging.Logger.manager.loggerDict


def test_a_failing_childs_error_log_names_the_child(caplog):
    with Flow("f") as flow:
        fail_on_two.map([1, 2])
    run(flow)
    assert "Task 'fail_on_two[1]': Exception encountered during task execution!" in caplog.text


def test_the_parent_run_sees_no_map_index():
    seen = []

    class Recorder(Task):
        def run(self, x):
            return x

    def handler(task, old, new):
        seen.append((context.get("map_index"), type(new).__name__))

    recorder = Recorder(state_handlers=[handler])
    with Flow("f") as flow:
        recorder.map([7])
    run(flow)
    assert (None, "Mapped") in seen
    assert (0, "Success") in seen


def test_mapping_over_several_iterables_zips_them():
    with Flow("f") as flow:
        out = add.map([1, 2, 3], [10, 20, 30])
    _, results = run(flow)
    assert results[out].result == [11, 22, 33]


def test_iterables_of_different_lengths_stop_at_the_shortest():
    with Flow("f") as flow:
        out = add.map([1, 2, 3], [10, 20])
    _, results = run(flow)
    assert results[out].n_map_states == 2
    assert results[out].result == [11, 22]


def test_unmapped_inputs_go_whole_to_every_child():
    with Flow("f") as flow:
        out = add.map([1, 2], y=unmapped(100))
    _, results = run(flow)
    assert results[out].result == [101, 102]


def test_an_unmapped_list_goes_whole_to_every_child():
    @task
    def length_plus(x, ys):
        return x + len(ys)

    with Flow("f") as flow:
        out = length_plus.map([1, 2], unmapped([0, 0, 0]))
    _, results = run(flow)
    assert results[out].result == [4, 5]


def test_a_mapped_annotation_maps_only_that_input_of_a_plain_call():
    with Flow("f") as flow:
        out = add(x=mapped([1, 2]), y=5)
    _, results = run(flow)
    assert results[out].result == [6, 7]


def test_a_map_over_a_parameter_uses_the_run_value():
    with Flow("f") as flow:
        out = inc.map(Parameter("xs"))
    _, results = run(flow, xs=[5, 6])
    assert results[out].result == [6, 7]


def test_a_map_over_a_string_gives_one_child_per_character():
    with Flow("f") as flow:
        out = identity.map("abc")
    _, results = run(flow)
    assert results[out].result == ["a", "b", "c"]


def test_a_map_whose_inputs_are_all_unmapped_runs_once_as_a_plain_task():
    with Flow("f") as flow:
        out = add.map(unmapped(1), unmapped(2))
    _, results = run(flow)
    assert type(results[out]) is Success
    assert results[out].result == 3


def test_upstream_tasks_of_a_map_are_mapped_too():
    @task
    def index():
        return context.get("map_index")

    with Flow("f") as flow:
        out = index.map(upstream_tasks=[up_to(3)])
    _, results = run(flow)
    assert results[out].result == [0, 1, 2]


# -- empty maps and reduces ---------------------------------------------------------------


def test_a_map_over_an_empty_list_is_mapped_with_no_children():
    with Flow("f") as flow:
        out = inc.map([])
        after = inc.map(out)
        reduced = total(out)
    state, results = run(flow)
    assert state.is_successful()
    assert isinstance(results[out], Mapped)
    assert results[out].map_states == [] and results[out].result == []
    assert isinstance(results[after], Mapped) and results[after].result == []
    assert results[reduced].result == 0


def test_a_reduce_receives_the_childrens_results_in_order():
    @task
    def collect(xs):
        return xs

    with Flow("f") as flow:
        out = collect(inc.map([3, 1, 2]))
    _, results = run(flow)
    assert results[out].result == [4, 2, 3]


def test_chained_maps_pair_children_by_index():
    with Flow("f") as flow:
        first = inc.map([1, 2, 3])
        second = add.map(first, [100, 200, 300])
        out = total(second)
    _, results = run(flow)
    assert results[second].result == [102, 203, 304]
    assert results[out].result == 609


def test_chained_maps_run_level_by_level_on_the_local_executor():
    order = []

    @task
    def first(x):
        order.append(("first", x))
        return x

    @task
    def second(x):
        order.append(("second", x))
        return x

    with Flow("f") as flow:
        second.map(first.map([1, 2]))
    run(flow)
    assert order == [("first", 1), ("first", 2), ("second", 1), ("second", 2)]


def test_unpacking_a_mapped_task_indexes_the_reduced_list():
    @task
    def pair(x):
        return (x, -x)

    with Flow("f") as flow:
        first, second = pair.map([1, 2], task_args={"nout": 2})
    _, results = run(flow)
    assert results[first].result == (1, -1)
    assert results[second].result == (2, -2)


# -- flatten ------------------------------------------------------------------------------


def test_flatten_of_a_constant_list_of_lists_maps_over_the_items():
    with Flow("f") as flow:
        out = identity.map(flatten([[1, 2], [3]]))
    _, results = run(flow)
    assert results[out].result == [1, 2, 3]


def test_flatten_on_a_plain_edge_passes_the_concatenated_list():
    with Flow("f") as flow:
        out = identity(flatten(identity([[1], [2, 3], []])))
    _, results = run(flow)
    assert results[out].result == [1, 2, 3]


def test_flatten_of_a_map_maps_over_every_item_of_every_child():
    with Flow("f") as flow:
        out = identity.map(flatten(up_to.map([1, 2, 3])))
    _, results = run(flow)
    assert results[out].result == [0, 0, 1, 0, 1, 2]
    assert results[out].n_map_states == 6


def test_flatten_of_a_map_on_a_reduce_edge_concatenates_the_children():
    with Flow("f") as flow:
        out = identity(flatten(up_to.map([2, 0, 1])))
    _, results = run(flow)
    assert results[out].result == [0, 1, 0]


def test_flatten_keeps_a_failed_child_in_one_slot():
    @task
    def lists(x):
        if x == 2:
            raise ValueError("no list")
        return [x, x]

    with Flow("f") as flow:
        out = identity.map(flatten(lists.map([1, 2, 3])))
    _, results = run(flow)
    assert children_types(results[out]) == [
        "Success", "Success", "TriggerFailed", "Success", "Success"
    ]
    assert [results[out].result[i] for i in (0, 1, 3, 4)] == [1, 1, 3, 3]


def test_flatten_of_a_non_sequence_child_passes_it_unchanged_with_a_warning(caplog):
    with Flow("f") as flow:
        out = identity.map(flatten(identity.map([[1, 2], 3])))
    _, results = run(flow)
    assert results[out].result == [1, 2, 3]
    assert "`flatten` was used on upstream task that did not return an iterable" in caplog.text


# -- failures, skips and triggers in children ---------------------------------------------


def test_a_failed_child_does_not_stop_its_siblings_and_fails_the_flow():
    with Flow("f") as flow:
        out = fail_on_two.map([1, 2, 3])
    state, results = run(flow)
    assert state.is_failed()
    assert children_types(results[out]) == ["Success", "Failed", "Success"]
    assert results[out].result[0] == 1
    assert isinstance(results[out].result[1], ValueError)


def test_a_failed_upstream_child_fails_only_the_matching_downstream_child():
    with Flow("f") as flow:
        out = inc.map(fail_on_two.map([1, 2, 3]))
    _, results = run(flow)
    assert children_types(results[out]) == ["Success", "TriggerFailed", "Success"]
    assert results[out].map_states[1].message == (
        'Trigger was "all_successful" but some of the upstream tasks failed.'
    )
    assert results[out].result[0] == 2 and results[out].result[2] == 4


def test_a_skipped_upstream_child_skips_only_the_matching_downstream_child():
    with Flow("f") as flow:
        out = inc.map(skip_on_two.map([1, 2, 3]))
    _, results = run(flow)
    assert children_types(results[out]) == ["Success", "Skipped", "Success"]
    assert results[out].result == [2, None, 4]


def test_a_reduce_over_a_failed_child_is_trigger_failed():
    with Flow("f") as flow:
        out = total(fail_on_two.map([1, 2, 3]))
    _, results = run(flow)
    assert isinstance(results[out], TriggerFailed)


def test_a_reduce_over_a_skipped_child_is_skipped():
    with Flow("f") as flow:
        out = total(skip_on_two.map([1, 2, 3]))
    _, results = run(flow)
    assert type(results[out]) is Skipped


def test_a_reduce_that_runs_always_receives_errors_and_signals_in_place():
    @task(trigger=all_finished, skip_on_upstream_skip=False)
    def collect(xs):
        return xs

    with Flow("f") as flow:
        failed = collect(fail_on_two.map([1, 2]))
        skipped = collect(skip_on_two.map([1, 2]))
    _, results = run(flow)
    first, error = results[failed].result
    assert first == 1 and isinstance(error, ValueError)
    first, signal = results[skipped].result
    assert first == 1 and isinstance(signal, signals.SKIP)


def test_a_failed_list_producer_fails_the_map_and_the_maps_after_it():
    @task
    def broken():
        raise RuntimeError("no list")

    with Flow("f") as flow:
        first = inc.map(broken())
        second = inc.map(first)
    _, results = run(flow)
    for task_ in (first, second):
        assert type(results[task_]) is Failed
        assert results[task_].message == "No upstream states can be mapped over."


def test_a_skipped_list_producer_skips_the_map():
    @task
    def skipper():
        raise signals.SKIP("nothing today")

    with Flow("f") as flow:
        out = inc.map(skipper())
    _, results = run(flow)
    assert type(results[out]) is Skipped


def test_one_failed_mapped_upstream_among_several_trigger_fails_every_child():
    @task
    def broken():
        raise RuntimeError("no list")

    with Flow("f") as flow:
        out = add.map([1, 2], broken())
    _, results = run(flow)
    assert isinstance(results[out], Mapped)
    assert children_types(results[out]) == ["TriggerFailed", "TriggerFailed"]


def test_children_follow_their_own_trigger():
    @task(trigger=all_finished)
    def after(x):
        return "ran"

    with Flow("f") as flow:
        out = after.map(fail_on_two.map([1, 2]))
    _, results = run(flow)
    assert results[out].result == ["ran", "ran"]


# -- unmappable inputs ------------------------------------------------------------------


@pytest.mark.parametrize("value", [5, {1, 2}, None], ids=["int", "set", "none"])
def test_mapping_over_an_unmappable_result_fails_naming_task_and_argument(value):
    with Flow("f") as flow:
        out = inc.map(x=identity(value))
    _, results = run(flow)
    assert type(results[out]) is Failed
    assert results[out].message.startswith(
        "At least one upstream state has an unmappable result."
    )
    assert "Task 'inc'" in results[out].message and "argument 'x'" in results[out].message


def test_mapping_over_a_dict_fails_saying_how_to_map_over_it():
    with Flow("f") as flow:
        out = inc.map(x=identity({"a": 1}))
        after = inc(3)
    state, results = run(flow)
    assert type(results[out]) is Failed
    assert "cannot map over argument 'x': it is a dict" in results[out].message
    assert "map over a list of its keys, values or items" in results[out].message
    assert results[after].result == 4  # the rest of the flow runs
    assert state.is_failed()


# -- per-child retries, caching, targets, looping ------------------------------------------


def test_only_the_failing_child_is_retried():
    calls = []

    @task(max_retries=1, retry_delay=timedelta(0))
    def flaky(x):
        calls.append(x)
        if x == 2 and calls.count(2) == 1:
            raise ValueError("first time")
        return x * 10

    with Flow("f") as flow:
        out = flaky.map([1, 2, 3])
        reduced = total(out)
    state, results = run(flow)
    assert state.is_successful()
    assert sorted(calls) == [1, 2, 2, 3]
    assert results[out].result == [10, 20, 30]
    assert results[reduced].result == 60


def test_a_retrying_child_leaves_its_parent_mapped_and_the_flow_running():
    from prefect_core.engine.flow_runner import FlowRunner

    @task(max_retries=1, retry_delay=timedelta(hours=1))
    def flaky(x):
        raise ValueError("not yet")

    with Flow("f") as flow:
        out = flaky.map([1, 2])
        reduced = total(out)
    state = FlowRunner(flow).run(return_tasks=flow.tasks)
    assert state.is_running()
    assert isinstance(state.result[out], Mapped)
    assert children_types(state.result[out]) == ["Retrying", "Retrying"]
    assert type(state.result[reduced]) is Pending


def test_a_second_pass_keeps_finished_children_and_reruns_retrying_ones():
    from prefect_core.engine.flow_runner import FlowRunner

    calls = []

    @task
    def record(x):
        calls.append(x)
        return x

    with Flow("f") as flow:
        out = record.map([1, 2])
    given = Mapped(
        map_states=[Success(result=1), Retrying(start_time=None, run_count=1)],
        n_map_states=2,
    )
    given.map_states[1].start_time = given.map_states[1].start_time  # runnable now
    state = FlowRunner(flow).run(return_tasks=flow.tasks, task_states={out: given})
    assert calls == [2]
    assert state.result[out].result == [1, 2]
    assert given.map_states[1].is_retrying()  # the caller's state object is unchanged


def test_children_are_cached_one_by_one():
    calls = []

    @task(cache_for=timedelta(hours=1))
    def slow(x):
        calls.append(x)
        return x

    with Flow("f") as flow:
        out = slow.map(Parameter("xs"))
    flow.run(xs=[1, 2])
    _, results = run(flow, xs=[1, 2])
    assert calls == [1, 2]
    assert children_types(results[out]) == ["Cached", "Cached"]


def test_a_target_template_can_name_the_map_index(tmp_path):
    calls = []

    @task(result=LocalResult(dir=str(tmp_path)), target="item-{map_index}.txt", checkpoint=True)
    def write(x):
        calls.append(x)
        return x * 2

    with Flow("f") as flow:
        out = write.map([1, 2])
    with context(checkpointing=True):
        flow.run()
        _, results = run(flow)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["item-0.txt", "item-1.txt"]
    assert calls == [1, 2]
    assert children_types(results[out]) == ["Cached", "Cached"]
    assert results[out].result == [2, 4]


def test_each_child_loops_on_its_own():
    @task
    def count_to(limit):
        so_far = context.get("task_loop_result", 0)
        if so_far < limit:
            raise signals.LOOP(result=so_far + 1)
        return (so_far, context.get("task_loop_count"))

    with Flow("f") as flow:
        out = count_to.map([0, 2, 3])
    _, results = run(flow)
    assert results[out].result == [(0, None), (2, 3), (3, 4)]


def test_child_state_handlers_receive_the_parent_task():
    seen = []

    def handler(task_, old, new):
        seen.append((task_, context.get("map_index"), type(new).__name__))
        return new

    @task(state_handlers=[handler])
    def double(x):
        return 2 * x

    with Flow("f") as flow:
        parent = double.map([1])
    run(flow)
    assert (parent, 0, "Success") in seen
    assert all(entry[0] is parent for entry in seen)


# -- the flow's state and what it returns --------------------------------------------------


def test_a_mapped_reference_task_judges_by_its_children():
    with Flow("f") as flow:
        out = fail_on_two.map([1, 2])
    flow.set_reference_tasks([out])
    state, _ = run(flow)
    assert state.is_failed()
    assert state.message == "Some reference tasks failed."


def test_a_skipped_child_does_not_fail_the_flow():
    with Flow("f") as flow:
        skip_on_two.map([1, 2])
    state, _ = run(flow)
    assert state.is_successful()


def test_flow_runner_return_tasks_gives_mapped_states_with_their_results():
    from prefect_core.engine.flow_runner import FlowRunner

    with Flow("f") as flow:
        first = inc.map([1, 2])
        out = total(inc.map(first))
    state = FlowRunner(flow).run(return_tasks=[first])
    assert set(state.result) == {first}
    assert state.result[first].result == [2, 3]
    assert out not in state.result


def test_mapping_inside_apply_like_mapped_context_is_refused_at_build_time():
    with Flow("f"), prefect_core.context(mapped=True), pytest.raises(ValueError) as error:
        inc.map([1, 2])
    assert str(error.value) == "Cannot set `mapped=True` when running from inside a mapped context"
