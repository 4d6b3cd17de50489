"""`FlowRunner`: one pass over a flow — states, reference tasks, handlers, context."""

from __future__ import annotations

import gc
import logging
import weakref
from datetime import UTC, datetime, timedelta

import pytest

from prefect_core import Flow, task
from prefect_core.core.task import Task
from prefect_core.engine.flow_runner import FlowRunner, run_task
from prefect_core.engine.state import (
    Cached,
    Cancelled,
    Failed,
    Pending,
    Retrying,
    Running,
    Scheduled,
    Skipped,
    Success,
    TriggerFailed,
)
from prefect_core.engine.task_runner import TaskRunner
from prefect_core.executors import LocalExecutor
from tests.engine.sample_tasks import chain_flow, fail, inc, one

# -- basics -----------------------------------------------------------------------------


def test_repr_and_default_task_runner():
    flow = Flow("f")
    runner = FlowRunner(flow)
    assert repr(runner) == "<FlowRunner: f>"
    assert runner.task_runner_cls is TaskRunner


def test_run_succeeds_and_returns_no_task_states_by_default():
    flow, *_ = chain_flow()
    state = FlowRunner(flow).run()
    assert type(state) is Success
    assert state.message == "All reference tasks succeeded."
    assert state.result == {}


def test_return_tasks_selects_task_states():
    flow, a, b, c = chain_flow()
    state = FlowRunner(flow).run(return_tasks=[a, c])
    assert set(state.result) == {a, c}
    assert state.result[a].result == 1
    assert state.result[c].result == 3


def test_return_tasks_outside_the_flow_fail_the_run():
    flow, *_ = chain_flow()
    state = FlowRunner(flow).run(return_tasks=[Task()])
    assert type(state) is Failed
    assert state.message == (
        "Unexpected error: ValueError('Some tasks in return_tasks were not found in the flow.')"
    )


def test_empty_flow_succeeds():
    state = FlowRunner(Flow("empty")).run()
    assert type(state) is Success


def test_constants_reach_the_task():
    with Flow("const") as flow:
        total = inc(41)
    state = FlowRunner(flow).run(return_tasks=[total])
    assert state.result[total].result == 42


def test_custom_task_runner_class_is_used():
    used = []

    class Recording(TaskRunner):
        def run(self, *args, **kwargs):
            used.append(self.task)
            return super().run(*args, **kwargs)

    flow, a, b, c = chain_flow()
    state = FlowRunner(flow, task_runner_cls=Recording).run()
    assert state.is_successful()
    assert used == [a, b, c]


def test_run_task_runs_one_task():
    state = run_task(
        task=one,
        state=None,
        upstream_states={},
        context={},
        flow_result=None,
        task_runner_cls=TaskRunner,
        task_runner_state_handlers=[],
        upstream_mapped_states={},
    )
    assert type(state) is Success
    assert state.result == 1


# -- flow state -------------------------------------------------------------------------


def test_finished_flow_state_is_returned_unchanged(caplog):
    flow, *_ = chain_flow()
    given = Success("done before")
    with caplog.at_level(logging.INFO, logger="prefect_core"):
        assert FlowRunner(flow).run(state=given) is given
    assert "Flow run has already finished." in [r.getMessage() for r in caplog.records]


def test_future_scheduled_flow_state_waits():
    flow, *_ = chain_flow()
    given = Scheduled(start_time=datetime.now(UTC) + timedelta(hours=1))
    assert FlowRunner(flow).run(state=given) is given


def test_running_flow_state_continues_without_new_transition():
    calls = []
    flow, *_ = chain_flow()
    flow.state_handlers.append(lambda f, o, n: calls.append((type(o), type(n))))
    state = FlowRunner(flow).run(state=Running())
    assert type(state) is Success
    assert calls == [(Running, Success)]


def test_failed_reference_task_fails_the_flow():
    with Flow("f") as flow:
        bad = fail()
    state = FlowRunner(flow).run(return_tasks=[bad])
    assert type(state) is Failed
    assert state.message == "Some reference tasks failed."
    assert type(state.result[bad]) is Failed


def test_downstream_of_a_failure_is_trigger_failed():
    with Flow("f") as flow:
        bad = fail()
        after = inc(bad)
    state = FlowRunner(flow).run(return_tasks=[after])
    assert type(state.result[after]) is TriggerFailed
    assert type(state) is Failed


def test_reference_tasks_decide_the_flow_state():
    with Flow("f") as flow:
        good = one()
        fail()
    flow.set_reference_tasks([good])
    assert type(FlowRunner(flow).run()) is Success


def test_skipped_reference_task_counts_as_success():
    flow, a, *_ = chain_flow()
    state = FlowRunner(flow).run(task_states={a: Skipped()})
    assert type(state) is Success
    assert state.message == "All reference tasks succeeded."


def test_cancelled_reference_task_gives_no_reference_tasks_failed():
    flow, a, b, c = chain_flow()
    state = FlowRunner(flow).run(task_states={c: Cancelled()})
    assert type(state) is Success
    assert state.message == "No reference tasks failed."


def test_unfinished_terminal_task_keeps_the_flow_running():
    calls = []

    @task(max_retries=1, retry_delay=timedelta(minutes=1))
    def flaky():
        calls.append(1)
        raise ValueError("retry me")

    with Flow("f") as flow:
        first = flaky()
        after = inc(first)
    state = FlowRunner(flow).run(return_tasks=[first, after])
    assert type(state) is Running
    assert type(state.result[first]) is Retrying
    assert type(state.result[after]) is Pending
    assert calls == [1]


def test_unexpected_error_while_running_flow_gives_failed():
    class Broken(FlowRunner):
        def initialize_run(self, *args, **kwargs):
            raise RuntimeError("init broke")

    flow, *_ = chain_flow()
    state = Broken(flow).run()
    assert type(state) is Failed
    assert state.message == "Unexpected error while running flow: RuntimeError('init broke')"
    assert isinstance(state.result, RuntimeError)


# -- task_states ------------------------------------------------------------------------


def test_given_finished_task_state_is_kept_and_not_rerun():
    calls = []

    @task
    def counted():
        calls.append(1)
        return 1

    with Flow("f") as flow:
        a = counted()
        b = inc(a)
    seeded = Success(result=10)
    state = FlowRunner(flow).run(task_states={a: seeded}, return_tasks=[a, b])
    assert state.result[a] is seeded
    assert state.result[b].result == 11
    assert calls == []


def test_given_failed_state_fails_downstream_without_running():
    flow, a, b, c = chain_flow()
    state = FlowRunner(flow).run(task_states={a: Failed("seeded")}, return_tasks=[b, c])
    assert type(state.result[b]) is TriggerFailed
    assert type(state) is Failed


def test_given_pending_state_runs_the_task():
    flow, a, b, c = chain_flow()
    state = FlowRunner(flow).run(task_states={a: Pending()}, return_tasks=[a])
    assert type(state.result[a]) is Success


def test_given_cached_state_is_validated_and_reused():
    @task(cache_for=timedelta(minutes=1))
    def cached():
        raise AssertionError("must not run")

    with Flow("f") as flow:
        c = cached()
    seeded = Cached(result=5, cached_result_expiration=datetime.now(UTC) + timedelta(1))
    state = FlowRunner(flow).run(task_states={c: seeded}, return_tasks=[c])
    assert state.result[c] is seeded


def test_missing_upstream_state_means_the_task_waits():
    flow, a, b, c = chain_flow()
    state = FlowRunner(flow).run(
        task_states={a: Retrying(start_time=datetime.now(UTC) + timedelta(1), run_count=1)},
        return_tasks=[a, b, c],
    )
    assert type(state.result[a]) is Retrying
    assert type(state.result[b]) is Pending
    assert type(state.result[c]) is Pending
    assert type(state) is Running


# -- handlers ---------------------------------------------------------------------------


def test_flow_handlers_see_the_transitions_before_runner_handlers():
    calls = []
    flow, *_ = chain_flow()
    flow.state_handlers.append(lambda f, o, n: calls.append(("flow", type(n).__name__)))
    runner = FlowRunner(
        flow, state_handlers=[lambda r, o, n: calls.append(("runner", type(n).__name__))]
    )
    runner.run()
    assert calls == [
        ("flow", "Running"),
        ("runner", "Running"),
        ("flow", "Success"),
        ("runner", "Success"),
    ]


def test_flow_handler_can_override_the_final_state():
    flow, *_ = chain_flow()
    flow.state_handlers.append(
        lambda f, o, n: Failed("overridden", result=n.result) if n.is_finished() else None
    )
    state = FlowRunner(flow).run()
    assert type(state) is Failed
    assert state.message == "overridden"


def test_raising_flow_handler_fails_the_flow():
    def broken(flow, old, new):
        raise RuntimeError("handler")

    flow, *_ = chain_flow()
    flow.state_handlers.append(broken)
    state = FlowRunner(flow).run()
    assert type(state) is Failed
    assert state.message == (
        "Unexpected error while calling state handlers: RuntimeError('handler')"
    )
    assert isinstance(state.result, RuntimeError)


def test_flow_on_failure_is_called():
    calls = []
    with Flow("f", on_failure=lambda f, s: calls.append((f, type(s)))) as flow:
        fail()
    FlowRunner(flow).run()
    assert calls == [(flow, Failed)]


def test_terminal_state_handler_can_replace_the_state():
    seen = []

    def terminal(flow, state, key_states):
        seen.append((type(state), {type(s) for s in key_states}))
        return Success("all good anyway", result=state.result)

    with Flow("f", terminal_state_handler=terminal) as flow:
        fail()
    state = FlowRunner(flow).run()
    assert type(state) is Success
    assert state.message == "all good anyway"
    assert seen == [(Failed, {Failed})]


def test_terminal_state_handler_returning_none_keeps_the_state():
    with Flow("f", terminal_state_handler=lambda f, s, k: None) as flow:
        fail()
    assert type(FlowRunner(flow).run()) is Failed


def test_terminal_state_handler_is_called_while_running():
    seen = []

    @task(max_retries=1, retry_delay=timedelta(minutes=1))
    def flaky():
        raise ValueError("x")

    def terminal(flow, state, key_states):
        seen.append(type(state))

    with Flow("f", terminal_state_handler=terminal) as flow:
        flaky()
    assert type(FlowRunner(flow).run()) is Running
    assert seen == [Running]


def test_task_runner_state_handlers_reach_every_task():
    calls = []
    flow, a, b, c = chain_flow()
    FlowRunner(flow).run(
        task_runner_state_handlers=[lambda r, o, n: calls.append((r.task, type(n).__name__))]
    )
    assert calls == [
        (a, "Running"),
        (a, "Success"),
        (b, "Running"),
        (b, "Success"),
        (c, "Running"),
        (c, "Success"),
    ]


def test_keyboard_interrupt_in_a_task_reaches_the_caller():
    flow_calls = []

    @task
    def interrupted():
        raise KeyboardInterrupt

    with Flow("f", state_handlers=[lambda f, o, n: flow_calls.append(type(n))]) as flow:
        before = one()
        interrupted(upstream_tasks=[before])
    with pytest.raises(KeyboardInterrupt):
        FlowRunner(flow).run()
    assert Success not in flow_calls


# -- executors and results --------------------------------------------------------------


def test_executor_argument_is_started_and_used():
    events = []

    class Recording(LocalExecutor):
        def submit(self, fn, *args, **kwargs):
            events.append(kwargs["extra_context"]["task_name"])
            return super().submit(fn, *args, **kwargs)

    flow, *_ = chain_flow()
    assert FlowRunner(flow).run(executor=Recording()).is_successful()
    assert events == ["one", "inc", "inc"]


def test_flow_executor_is_used_when_none_is_given():
    submitted = []

    class Recording(LocalExecutor):
        def submit(self, fn, *args, **kwargs):
            submitted.append(1)
            return super().submit(fn, *args, **kwargs)

    flow, *_ = chain_flow()
    flow.executor = Recording()
    FlowRunner(flow).run()
    assert submitted == [1, 1, 1]


def test_flow_result_is_used_for_checkpoints(tmp_path):
    from prefect_core.engine.results import LocalResult

    flow, a, b, c = chain_flow()
    flow.result = LocalResult(dir=tmp_path, location="{task_slug}.bin")
    state = FlowRunner(flow).run(context={"checkpointing": True}, return_tasks=[c])
    assert state.result[c]._result.location == str(tmp_path / f"{flow.slugs[c]}.bin")
    assert len(list(tmp_path.iterdir())) == 3


def test_results_of_non_returned_tasks_are_released_before_the_flow_ends():
    class Payload:
        pass

    refs = []

    @task
    def produce():
        payload = Payload()
        refs.append(weakref.ref(payload))
        return payload

    @task
    def consume(payload):
        return "consumed"

    @task
    def check(_):
        gc.collect()
        return refs[0]() is None

    with Flow("release") as flow:
        produced = produce()
        consumed = consume(produced)
        checked = check(consumed)
    state = FlowRunner(flow).run(return_tasks=[checked])
    assert state.result[checked].result is True


def test_returned_task_results_are_kept():
    class Payload:
        pass

    @task
    def produce():
        return Payload()

    with Flow("keep") as flow:
        produced = produce()
        last = inc(1, upstream_tasks=[produced])
    state = FlowRunner(flow).run(return_tasks=[produced, last])
    assert isinstance(state.result[produced].result, Payload)


def test_constant_task_is_not_submitted_and_succeeds_with_its_value():
    from prefect_core.tasks.core.constants import Constant

    submitted = []

    class Recording(LocalExecutor):
        def submit(self, fn, *args, **kwargs):
            submitted.append(kwargs["task"])
            return super().submit(fn, *args, **kwargs)

    flow = Flow("constant")
    constant = flow.add_task(Constant(5))
    after = flow.add_task(one.copy())
    flow.add_edge(constant, after)
    state = FlowRunner(flow).run(return_tasks=[constant, after], executor=Recording())
    assert submitted == [after]
    assert type(state.result[constant]) is Success
    assert state.result[constant].result == 5


def test_constant_inputs_reach_triggers_as_successful_states():
    from prefect_core import triggers

    seen = []

    def spy(upstream_states):
        seen.extend((type(state), state.result) for state in upstream_states.values())
        return triggers.all_failed(upstream_states)

    @task(trigger=spy)
    def handle(x):
        return x

    with Flow("constant-trigger") as flow:
        handled = handle(7)
    state = FlowRunner(flow).run(return_tasks=[handled])
    assert seen == [(Success, 7)]
    assert type(state.result[handled]) is TriggerFailed


def test_run_task_swaps_resolved_children_into_a_mapped_upstream_for_a_reduce():
    from prefect_core.core.edge import Edge
    from prefect_core.engine.state import Mapped

    @task
    def collect(xs):
        return xs

    edge = Edge(Task(), collect, key="xs")
    state = run_task(
        task=collect,
        state=None,
        upstream_states={edge: Mapped(n_map_states=2)},
        context={},
        flow_result=None,
        task_runner_cls=TaskRunner,
        task_runner_state_handlers=[],
        upstream_mapped_states={edge: [Success(result=1), Success(result=2)]},
    )
    assert state.result == [1, 2]


def test_run_task_gives_a_mapped_child_its_item_of_a_map_source():
    from prefect_core.core.edge import Edge

    edge = Edge(Task(), inc, key="x", mapped=True)
    state = run_task(
        task=inc,
        state=None,
        upstream_states={},
        context={"map_index": 2},
        flow_result=None,
        task_runner_cls=TaskRunner,
        task_runner_state_handlers=[],
        upstream_mapped_states={},
        map_sources={edge: Success(result=[10, 20, 30])},
    )
    assert state.result == 31


def test_the_flow_state_lists_task_states_in_run_order():
    flow = Flow("order")
    last, first = Task(name="last"), Task(name="first")
    flow.add_task(last)  # added first, runs last
    flow.add_edge(first, last)
    middle = Task(name="middle")
    flow.add_edge(first, middle)
    flow.add_edge(middle, last)
    assert list(flow.run().result) == [first, middle, last] == list(flow.sorted_tasks())
