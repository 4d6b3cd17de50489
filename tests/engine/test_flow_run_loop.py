"""`Flow.run()`: parameters, passes for retries and pauses, caches across runs, errors."""

from __future__ import annotations

import io
import logging
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from prefect_core import Flow, Parameter, task, triggers
from prefect_core.core.task import Task
from prefect_core.engine.flow_runner import FlowRunner
from prefect_core.engine.state import (
    Cached,
    Failed,
    Paused,
    Pending,
    Resume,
    Retrying,
    Running,
    Success,
    TriggerFailed,
)
from prefect_core.executors import LocalExecutor
from prefect_core.utilities.context import context
from prefect_core.utilities.tasks import pause_task
from tests.engine.sample_tasks import inc, one, peek


@pytest.fixture
def no_terminal(monkeypatch):
    """A non-interactive stdin (as under a scheduler or in CI)."""
    monkeypatch.setattr("sys.stdin", io.StringIO(""))


class Terminal(io.StringIO):
    def isatty(self):
        return True


def parameter_flow():
    with Flow("params") as flow:
        x = Parameter("x")
        y = Parameter("y", default=2)
        total = inc(x) + y
    return flow, x, y, total


# -- parameters -------------------------------------------------------------------------


def test_parameters_dict_is_used():
    flow, x, y, total = parameter_flow()
    state = flow.run(parameters={"x": 1})
    assert type(state) is Success
    assert state.result[total].result == 4


def test_kwargs_naming_parameters_are_parameters():
    flow, x, y, total = parameter_flow()
    state = flow.run(x=10, y=0)
    assert state.result[total].result == 11
    assert state.result[y].result == 0


def test_unknown_parameters_are_reported():
    flow, *_ = parameter_flow()
    with pytest.raises(ValueError) as info:
        flow.run(parameters={"x": 1, "zeta": 2, "alpha": 3})
    assert str(info.value) == ("Flow.run received the following unexpected parameters: alpha, zeta")


def test_missing_required_parameters_are_reported():
    with Flow("p") as flow:
        inc(Parameter("b")) + inc(Parameter("a"))
    with pytest.raises(ValueError) as info:
        flow.run()
    assert str(info.value) == "Flow.run did not receive the following required parameters: a, b"


def test_unknown_keyword_reaches_the_flow_runner():
    flow, *_ = parameter_flow()
    with pytest.raises(TypeError, match="unexpected keyword argument 'zeta'"):
        flow.run(x=1, zeta=2)


def test_flow_without_parameters_rejects_given_ones():
    with Flow("none") as flow:
        one()
    with pytest.raises(ValueError, match="unexpected parameters: x"):
        flow.run(parameters={"x": 1})


# -- basic contract ---------------------------------------------------------------------


def test_run_returns_the_state_of_every_task():
    with Flow("all") as flow:
        a = one()
        b = inc(a)
    state = flow.run()
    assert set(state.result) == flow.tasks
    assert state.result[b].result == 2


def test_run_inside_its_with_block_raises():
    with pytest.raises(RuntimeError, match="Don't call `flow.run\\(\\)` from within"):
        with Flow("inside") as flow:
            one()
            flow.run()


def test_return_tasks_is_rejected():
    with Flow("r") as flow:
        a = one()
    with pytest.raises(ValueError, match="The `return_tasks` keyword cannot be provided"):
        flow.run(return_tasks=[a])


def test_loading_flow_context_warns_and_returns_none():
    with Flow("loading") as flow:
        one()
    with context(loading_flow=True), pytest.warns(UserWarning, match="flow file"):
        assert flow.run() is None


def test_cycle_gives_a_failed_state_naming_the_cycle(caplog):
    first, second = Task(name="first"), Task(name="second")
    flow = Flow("cycle")
    flow.add_edge(first, second)
    flow.add_edge(second, first, validate=False)
    with caplog.at_level(logging.ERROR, logger="prefect_core"):
        state = flow.run()
    assert type(state) is Failed
    assert state.message == (
        "Unexpected error: ValueError('Cycle found; flows must be acyclic! "
        "Tasks on the cycle: first -> second -> first')"
    )
    assert isinstance(state.result, ValueError)
    assert any("Unexpected error occured in FlowRunner" in r.getMessage() for r in caplog.records)


def test_handler_returning_state_without_results_fills_pending_tasks():
    with Flow("custom", terminal_state_handler=lambda f, s, k: Failed("custom")) as flow:
        a = one()
    state = flow.run()
    assert type(state) is Failed
    assert state.message == "custom"
    assert type(state.result[a]) is Pending
    assert state.result[a].message == "Task not run."


def test_executor_and_context_kwargs_reach_the_runner():
    submitted = []

    class Recording(LocalExecutor):
        def submit(self, fn, *args, **kwargs):
            submitted.append(kwargs["extra_context"]["task_name"])
            return super().submit(fn, *args, **kwargs)

    with Flow("kw") as flow:
        seen = peek(["user"])
    state = flow.run(executor=Recording(), context={"user": "me"})
    assert submitted == ["peek"]
    assert state.result[seen].result == {"user": "me"}


def test_custom_runner_class_is_used():
    runners = []

    class Recording(FlowRunner):
        def run(self, **kwargs):
            runners.append(self)
            return super().run(**kwargs)

    with Flow("cls") as flow:
        one()
    assert flow.run(runner_cls=Recording).is_successful()
    assert len(runners) == 1


def test_flow_run_context_keys():
    with Flow("ids") as flow:
        seen = peek(
            [
                "flow_id",
                "flow_run_id",
                "flow_run_name",
                "task_id",
                "task_run_id",
                "scheduled_start_time",
                "flow_name",
            ]
        )
    values = flow.run(flow_run_name="nightly").result[seen].result
    assert values["flow_id"] == "ids"
    assert values["flow_name"] == "ids"
    assert values["flow_run_name"] == "nightly"
    assert len(values["flow_run_id"]) == 36
    assert values["task_id"] == flow.slugs[seen]
    assert len(values["task_run_id"]) == 36
    assert values["scheduled_start_time"] <= datetime.now(UTC)


def test_flow_run_id_from_context_wins():
    with Flow("ids") as flow:
        seen = peek(["flow_run_id"])
    values = flow.run(context={"flow_run_id": "given"}, flow_run_id="kwarg").result[seen]
    assert values.result == {"flow_run_id": "given"}


def test_run_on_schedule_false_runs_once_now():
    from prefect_core.schedules import IntervalSchedule

    schedule = IntervalSchedule(
        start_date=datetime.now(UTC) + timedelta(days=1), interval=timedelta(hours=1)
    )
    with Flow("scheduled", schedule=schedule) as flow:
        a = one()
    started = time.monotonic()
    state = flow.run(run_on_schedule=False)
    assert time.monotonic() - started < 1
    assert state.result[a].result == 1


# -- retries across passes --------------------------------------------------------------


def make_flaky(events, failures=1, delay=0.3, name="flaky"):
    attempts = []

    @task(name=name, max_retries=2, retry_delay=timedelta(seconds=delay))
    def flaky():
        attempts.append(1)
        events.append((f"{name}{len(attempts)}", time.monotonic()))
        if len(attempts) <= failures:
            raise ValueError(f"attempt {len(attempts)}")
        return len(attempts)

    return flaky


def test_retry_happens_in_a_later_pass_after_retry_delay():
    events = []
    with Flow("retry") as flow:
        flaky = make_flaky(events)()
        after = inc(flaky)
    started = time.monotonic()
    state = flow.run()
    assert type(state) is Success
    assert state.result[flaky].result == 2
    assert state.result[after].result == 3
    assert [name for name, _ in events] == ["flaky1", "flaky2"]
    assert events[1][1] - events[0][1] >= 0.29
    assert time.monotonic() - started < 1.5


def test_retrying_task_does_not_block_other_tasks():
    events = []

    @task
    def other():
        events.append(("other", time.monotonic()))

    with Flow("nonblocking") as flow:
        make_flaky(events, delay=0.5)()
        other()
    flow.run()
    assert [name for name, _ in events] == ["flaky1", "other", "flaky2"]
    assert events[1][1] - events[0][1] < 0.2


def test_exhausted_retries_fail_the_flow():
    events = []
    with Flow("exhausted") as flow:
        flaky = make_flaky(events, failures=5, delay=0)()
    state = flow.run()
    assert type(state) is Failed
    assert type(state.result[flaky]) is Failed
    assert state.result[flaky].message == "Error during execution of task: ValueError('attempt 3')"
    assert len(events) == 3


def test_task_run_ids_of_a_pass_are_distinct_version_4_uuids():
    ids = []

    @task
    def record():
        ids.append(context.task_run_id)

    with Flow("ids") as flow:
        for _ in range(50):
            record()
    flow.run()
    parsed = [uuid.UUID(run_id) for run_id in ids]
    assert len(set(ids)) == 50
    assert all(str(value) == run_id for value, run_id in zip(parsed, ids))
    assert {(value.version, value.variant) for value in parsed} == {(4, uuid.RFC_4122)}


def test_task_run_ids_change_between_passes():
    run_ids = []

    @task(max_retries=1, retry_delay=timedelta(0))
    def flaky():
        run_ids.append((context.task_run_id, context.flow_run_id, context.task_run_count))
        if len(run_ids) == 1:
            raise ValueError("again")

    with Flow("ids") as flow:
        flaky()
    flow.run()
    assert len(run_ids) == 2
    assert run_ids[0][0] != run_ids[1][0]
    assert run_ids[0][1] == run_ids[1][1]
    assert [count for *_, count in run_ids] == [1, 2]


def test_task_contexts_apply_to_the_first_pass_only():
    seen = []

    @task(max_retries=1, retry_delay=timedelta(0))
    def flaky():
        seen.append(context.get("marker"))
        if len(seen) == 1:
            raise ValueError("again")

    with Flow("tc") as flow:
        f = flaky()
    flow.run(task_contexts={f: {"marker": "first"}})
    assert seen == ["first", None]


def test_given_task_states_seed_the_run():
    calls = []

    @task
    def counted():
        calls.append(1)
        return 1

    with Flow("seed") as flow:
        a = counted()
        b = inc(a)
    state = flow.run(task_states={a: Success(result=41)})
    assert state.result[b].result == 42
    assert calls == []


# -- pauses -----------------------------------------------------------------------------


def manual_flow():
    with Flow("manual") as flow:
        start = one()
        gate = inc(start, task_args={"trigger": triggers.manual_only})
        end = inc(gate)
    return flow, start, gate, end


def test_pause_without_terminal_leaves_the_task_paused(no_terminal):
    flow, start, gate, end = manual_flow()
    state = flow.run()
    assert type(state) is Running
    assert type(state.result[start]) is Success
    assert type(state.result[gate]) is Paused
    assert type(state.result[end]) is Pending


def test_paused_flow_resumes_with_resume_task_state(no_terminal):
    flow, start, gate, end = manual_flow()
    paused = flow.run()
    task_states = dict(paused.result)
    task_states[gate] = Resume()
    state = flow.run(task_states=task_states)
    assert type(state) is Success
    assert state.result[gate].result == 2
    assert state.result[end].result == 3


def test_pause_prompt_on_a_terminal_resumes_on_y(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", Terminal("n\ny\n"))
    flow, start, gate, end = manual_flow()
    state = flow.run()
    assert type(state) is Success
    assert state.result[end].result == 3
    prompt = f"{gate} is currently Paused; enter 'y' to resume:"
    assert capsys.readouterr().out.count(prompt) == 2


def test_pause_task_raised_in_the_body_pauses(no_terminal):
    calls = []

    @task
    def approve():
        calls.append(1)
        pause_task("needs approval")
        return "approved"

    with Flow("body") as flow:
        a = approve()
    state = flow.run()
    assert type(state.result[a]) is Paused
    assert state.result[a].message == "needs approval"
    resumed = flow.run(task_states={a: Resume()})
    assert resumed.result[a].result == "approved"
    assert calls == [1, 1]


def test_pause_with_a_duration_resumes_on_its_own():
    @task
    def wait_a_little():
        pause_task(duration=timedelta(seconds=0.3))
        return "done"

    with Flow("timed") as flow:
        w = wait_a_little()
    started = time.monotonic()
    state = flow.run()
    assert type(state) is Success
    assert state.result[w].result == "done"
    assert 0.25 <= time.monotonic() - started < 1.5


# -- caches -----------------------------------------------------------------------------


def test_cache_is_reused_across_two_runs():
    calls = []

    @task(cache_for=timedelta(minutes=1))
    def expensive():
        calls.append(1)
        return "value"

    with Flow("cache") as flow:
        e = expensive()
        after = peek(["x"], upstream_tasks=[e])
    first = flow.run()
    second = flow.run()
    assert calls == [1]
    assert type(second.result[e]) is Cached
    assert second.result[e] is first.result[e]
    assert second.result[e].result == "value"
    assert type(second.result[after]) is Success


def test_cache_validator_reruns_on_other_parameters():
    from prefect_core.engine.cache_validators import all_parameters

    calls = []

    @task(cache_for=timedelta(minutes=1), cache_validator=all_parameters)
    def expensive(x):
        calls.append(x)
        return x * 2

    with Flow("cache-params") as flow:
        e = expensive(Parameter("x"))
    assert flow.run(x=1).result[e].result == 2
    assert flow.run(x=1).result[e].result == 2
    assert flow.run(x=2).result[e].result == 4
    assert calls == [1, 2]
    assert len(context.caches["expensive"]) == 2


def test_expired_caches_are_dropped():
    @task(cache_for=timedelta(microseconds=1))
    def short():
        return 1

    with Flow("short") as flow:
        short()
    flow.run()
    assert context.caches.get("short") == []


def test_failed_run_adds_no_cache():
    @task(cache_for=timedelta(minutes=1))
    def broken():
        raise ValueError("x")

    with Flow("broken") as flow:
        b = broken()
    state = flow.run()
    assert type(state.result[b]) is Failed
    assert not context.caches.get("broken")


def test_trigger_failed_downstream_in_run_states():
    @task
    def bad():
        raise ValueError("no")

    with Flow("tf") as flow:
        after = inc(bad())
    assert type(flow.run().result[after]) is TriggerFailed


def test_retrying_is_never_the_final_task_state():
    events = []
    with Flow("final") as flow:
        flaky = make_flaky(events, delay=0)()
    state = flow.run()
    assert not isinstance(state.result[flaky], Retrying)
    assert state.result[flaky].is_successful()


def test_paused_task_does_not_stop_other_tasks_retries(no_terminal):
    events = []

    @task(trigger=triggers.manual_only)
    def gate():
        return "g"

    with Flow("paused-and-retrying") as flow:
        flaky = make_flaky(events, delay=0.2)()
        paused = gate()
    state = flow.run()
    assert type(state.result[flaky]) is Success
    assert type(state.result[paused]) is Paused
    assert type(state) is Running


def test_closed_stdin_leaves_the_task_paused(monkeypatch):
    closed = io.StringIO("")
    closed.close()
    monkeypatch.setattr("sys.stdin", closed)
    flow, start, gate, end = manual_flow()
    state = flow.run()
    assert type(state.result[gate]) is Paused


def test_end_of_input_on_a_terminal_leaves_the_task_paused(monkeypatch):
    monkeypatch.setattr("sys.stdin", Terminal(""))
    flow, start, gate, end = manual_flow()
    state = flow.run()
    assert type(state.result[gate]) is Paused
    assert type(state.result[end]) is Pending


def test_target_hits_are_not_added_to_caches(tmp_path):
    from prefect_core.engine.results import LocalResult

    @task(target="out.bin", result=LocalResult(dir=tmp_path), checkpoint=True)
    def produce():
        return 5

    with Flow("target") as flow:
        p = produce()
    flow.run(context={"checkpointing": True})
    state = flow.run()
    assert type(state.result[p]) is Cached
    assert state.result[p].result == 5
    assert not context.caches.get("produce")


def test_keyboard_interrupt_reaches_the_caller_and_names_the_task(caplog):
    handler_states = []

    @task
    def slow_step():
        raise KeyboardInterrupt

    with Flow("interrupt", state_handlers=[lambda f, o, n: handler_states.append(n)]) as flow:
        slow_step()
    with caplog.at_level(logging.ERROR, logger="prefect_core"):
        with pytest.raises(KeyboardInterrupt):
            flow.run()
    assert any(
        "slow_step" in r.getMessage() and "KeyboardInterrupt" in r.getMessage()
        for r in caplog.records
    )
    assert not any(state.is_successful() for state in handler_states)


def test_raise_on_exception_raises_the_task_error_out_of_run():
    from prefect_core.utilities.debug import raise_on_exception

    @task
    def broken():
        raise ZeroDivisionError("in task")

    with Flow("raise") as flow:
        broken()
    with raise_on_exception(), pytest.raises(ZeroDivisionError, match="in task"):
        flow.run()
