"""`TaskRunner`: the pipeline's early steps — ready, start time, upstream, skips, triggers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from prefect_core import triggers
from prefect_core.core.edge import Edge
from prefect_core.core.task import Task
from prefect_core.engine.result import Result
from prefect_core.engine.results import PrefectResult
from prefect_core.engine.state import (
    Cached,
    Failed,
    Mapped,
    Paused,
    Pending,
    Resume,
    Retrying,
    Running,
    Scheduled,
    Skipped,
    Submitted,
    Success,
    TriggerFailed,
)
from prefect_core.engine.task_runner import TaskRunner, TaskRunnerInitializeResult
from tests.engine.sample_tasks import Counter

SKIP_MESSAGE = (
    "Upstream task was skipped; if this was not the intended behavior, consider changing "
    "`skip_on_upstream_skip=False` for this task."
)


def upstream(state, key=None, mapped=False, downstream=None):
    """`{edge: state}` for one upstream edge into `downstream`."""
    return {Edge(Task(), downstream or Task(), key=key, mapped=mapped): state}


def past(seconds=1):
    return datetime.now(UTC) - timedelta(seconds=seconds)


def future(seconds=60):
    return datetime.now(UTC) + timedelta(seconds=seconds)


# -- construction -----------------------------------------------------------------------


def test_repr_names_the_task():
    assert repr(TaskRunner(Task(name="load"))) == "<TaskRunner: load>"


def test_task_result_wins_over_flow_result():
    task_result = PrefectResult()
    runner = TaskRunner(Task(result=task_result), flow_result=Result(location="x"))
    assert runner.result is task_result


def test_flow_result_is_copied_when_task_has_none():
    flow_result = PrefectResult()
    runner = TaskRunner(Task(), flow_result=flow_result)
    assert runner.result == flow_result
    assert runner.result is not flow_result


def test_default_result_is_a_base_result():
    assert type(TaskRunner(Task()).result) is Result


def test_initialize_run_returns_named_tuple_with_run_count():
    result = TaskRunner(Task(name="t")).initialize_run(None, {})
    assert isinstance(result, TaskRunnerInitializeResult)
    assert type(result.state) is Pending
    assert result.context["task_run_count"] == 1
    assert result.context["task_name"] == "t"


def test_initialize_run_counts_retries():
    state = Retrying(run_count=2)
    _, ctx = TaskRunner(Task()).initialize_run(state, {})
    assert ctx["task_run_count"] == 3


# -- a plain run ------------------------------------------------------------------------


def test_run_without_upstreams_succeeds_with_return_value():
    task = Counter()
    state = TaskRunner(task).run()
    assert type(state) is Success
    assert state.message == "Task run succeeded."
    assert state.result == 1
    assert task.calls == 1


def test_run_passes_keyed_upstream_results_as_inputs():
    task = Counter()
    state = TaskRunner(task).run(
        upstream_states=upstream(Success(result=41), key="x", downstream=task)
    )
    assert state.is_successful()
    assert state.result == 42


def test_run_ignores_unkeyed_upstream_results():
    task = Counter()
    state = TaskRunner(task).run(upstream_states=upstream(Success(result=41), downstream=task))
    assert state.result == 1


def test_run_unwraps_meta_state():
    task = Counter()
    state = TaskRunner(task).run(state=Submitted(state=Pending()))
    assert type(state) is Success
    assert task.calls == 1


def test_run_returns_none_value_as_success():
    class Nothing(Task):
        def run(self):
            return None

    state = TaskRunner(Nothing()).run()
    assert type(state) is Success
    assert state.result is None


def test_run_context_does_not_leak_into_the_caller():
    from prefect_core.utilities.context import context

    TaskRunner(Counter()).run(context={"leaky": 1})
    assert "leaky" not in context
    assert "task_name" not in context


# -- check_task_is_ready ----------------------------------------------------------------


@pytest.mark.parametrize("given", [Running(), Success(result=5), Failed("x"), Skipped()])
def test_not_ready_states_end_the_run_unchanged(given):
    task = Counter()
    state = TaskRunner(task).run(state=given)
    assert state is given
    assert task.calls == 0


def test_pending_state_runs():
    task = Counter()
    assert TaskRunner(task).run(state=Pending()).is_successful()
    assert task.calls == 1


# -- check_task_reached_start_time ------------------------------------------------------


def test_scheduled_in_the_future_is_kept():
    task = Counter()
    given = Scheduled(start_time=future())
    assert TaskRunner(task).run(state=given) is given
    assert task.calls == 0


def test_scheduled_in_the_past_runs():
    task = Counter()
    assert TaskRunner(task).run(state=Scheduled(start_time=past())).is_successful()


def test_retrying_before_its_start_time_waits():
    task = Counter()
    given = Retrying(start_time=future(), run_count=1)
    assert TaskRunner(task).run(state=given) is given
    assert task.calls == 0


def test_retrying_after_its_start_time_runs():
    task = Counter()
    state = TaskRunner(task).run(state=Retrying(start_time=past(), run_count=1))
    assert state.is_successful()


def test_paused_without_start_time_stays_paused():
    task = Counter()
    given = Paused()
    assert TaskRunner(task).run(state=given) is given
    assert task.calls == 0


def test_paused_with_elapsed_start_time_runs_and_resumes():
    seen = {}

    class Peek(Task):
        def run(self):
            from prefect_core.utilities.context import context

            seen["resume"] = context.get("resume")

    state = TaskRunner(Peek()).run(state=Paused(start_time=past()))
    assert state.is_successful()
    assert seen["resume"] is True


# -- check_upstream_finished ------------------------------------------------------------


@pytest.mark.parametrize("upstream_state", [Pending(), Running(), Retrying(run_count=1)])
def test_unfinished_upstream_keeps_the_task_waiting(upstream_state):
    task = Counter()
    given = Pending()
    state = TaskRunner(task).run(state=given, upstream_states=upstream(upstream_state))
    assert state is given
    assert task.calls == 0


def test_unfinished_mapped_child_keeps_reducer_waiting():
    task = Counter()
    mapped = Mapped(map_states=[Success(result=1), Pending()])
    given = Pending()
    assert TaskRunner(task).run(state=given, upstream_states=upstream(mapped)) is given
    assert task.calls == 0


def test_unfinished_child_does_not_block_a_mapped_edge():
    task = Counter(trigger=lambda upstream_states: True)
    mapped = Mapped(map_states=[Pending()])
    state = TaskRunner(task).run(upstream_states=upstream(mapped, mapped=True))
    assert state.is_successful()


# -- check_upstream_skipped -------------------------------------------------------------


def test_skipped_upstream_skips_the_task():
    task = Counter()
    state = TaskRunner(task).run(upstream_states=upstream(Skipped()))
    assert type(state) is Skipped
    assert state.message == SKIP_MESSAGE
    assert task.calls == 0


def test_skip_on_upstream_skip_false_runs_the_task():
    task = Counter(skip_on_upstream_skip=False)
    state = TaskRunner(task).run(upstream_states=upstream(Skipped()))
    assert type(state) is Success
    assert task.calls == 1


def test_skipped_mapped_child_skips_the_reducer():
    task = Counter()
    mapped = Mapped(map_states=[Success(result=1), Skipped()])
    state = TaskRunner(task).run(upstream_states=upstream(mapped))
    assert type(state) is Skipped


def test_skip_beats_failure_and_trigger():
    task = Counter(trigger=triggers.all_successful)
    mapped = Mapped(map_states=[Success(), Failed(), Skipped()])
    state = TaskRunner(task).run(upstream_states=upstream(mapped))
    assert type(state) is Skipped


def test_skip_transition_is_reported_to_handlers():
    calls = []
    task = Counter(state_handlers=[lambda t, o, n: calls.append((type(o), type(n)))])
    TaskRunner(task).run(upstream_states=upstream(Skipped()))
    assert calls == [(Pending, Skipped)]


# -- check_task_trigger -----------------------------------------------------------------


def test_failed_upstream_fails_the_default_trigger():
    task = Counter()
    state = TaskRunner(task).run(upstream_states=upstream(Failed()))
    assert type(state) is TriggerFailed
    assert state.message == 'Trigger was "all_successful" but some of the upstream tasks failed.'
    assert task.calls == 0


def test_trigger_failure_is_not_retried():
    task = Counter(max_retries=2, retry_delay=timedelta(0))
    state = TaskRunner(task).run(upstream_states=upstream(Failed()))
    assert type(state) is TriggerFailed


@pytest.mark.parametrize(
    ("trigger", "upstream_state", "expected"),
    [
        (triggers.all_failed, Failed(), Success),
        (triggers.all_failed, Success(), TriggerFailed),
        (triggers.any_failed, Success(), TriggerFailed),
        (triggers.any_failed, Failed(), Success),
        (triggers.any_successful, Failed(), TriggerFailed),
        (triggers.always_run, Failed(), Success),
        (triggers.all_finished, Success(), Success),
        (triggers.some_successful(at_least=1), Failed(), TriggerFailed),
    ],
)
def test_trigger_outcomes(trigger, upstream_state, expected):
    task = Counter(trigger=trigger)
    state = TaskRunner(task).run(upstream_states=upstream(upstream_state))
    assert type(state) is expected
    assert task.calls == (1 if expected is Success else 0)


def test_trigger_returning_false_gives_trigger_failed():
    task = Counter(trigger=lambda upstream_states: False)
    state = TaskRunner(task).run()
    assert type(state) is TriggerFailed
    assert state.message == "Trigger failed"


def test_trigger_raising_an_error_gives_trigger_failed_with_the_error():
    def broken(upstream_states):
        raise ValueError("bad trigger")

    state = TaskRunner(Counter(trigger=broken)).run()
    assert type(state) is TriggerFailed
    assert state.message == (
        "Unexpected error while checking task trigger: ValueError('bad trigger')"
    )
    assert isinstance(state.result, ValueError)


def test_manual_only_pauses_the_task():
    calls = []
    task = Counter(
        trigger=triggers.manual_only,
        state_handlers=[lambda t, o, n: calls.append((type(o), type(n)))],
    )
    state = TaskRunner(task).run(upstream_states=upstream(Success()))
    assert type(state) is Paused
    assert state.message == 'Trigger function is "manual_only"'
    assert state.start_time is None
    assert task.calls == 0
    assert calls == [(Pending, Paused)]


def test_manual_only_runs_when_resumed():
    task = Counter(trigger=triggers.manual_only)
    state = TaskRunner(task).run(state=Resume(), upstream_states=upstream(Success()))
    assert type(state) is Success
    assert task.calls == 1


def test_manual_only_runs_with_resume_in_context():
    task = Counter(trigger=triggers.manual_only)
    state = TaskRunner(task).run(upstream_states=upstream(Success()), context={"resume": True})
    assert type(state) is Success


def test_not_all_skipped_skips_when_every_upstream_skipped():
    task = Counter(trigger=triggers.not_all_skipped, skip_on_upstream_skip=False)
    state = TaskRunner(task).run(upstream_states=upstream(Skipped()))
    assert type(state) is Skipped
    assert state.message == "All upstreams were skipped"
    assert state.result is None
    assert task.calls == 0


def test_not_all_skipped_runs_when_some_succeeded():
    task = Counter(trigger=triggers.not_all_skipped, skip_on_upstream_skip=False)
    states = {**upstream(Skipped()), **upstream(Success())}
    assert type(TaskRunner(task).run(upstream_states=states)) is Success


def test_not_all_skipped_fails_on_a_failed_upstream():
    task = Counter(trigger=triggers.not_all_skipped, skip_on_upstream_skip=False)
    states = {**upstream(Skipped()), **upstream(Failed())}
    assert type(TaskRunner(task).run(upstream_states=states)) is TriggerFailed


def test_trigger_sees_every_upstream_state():
    seen = []

    def spy(upstream_states):
        seen.extend(upstream_states.values())
        return True

    first, second = Success(result=1), Success(result=2)
    TaskRunner(Counter(trigger=spy)).run(upstream_states={**upstream(first), **upstream(second)})
    assert seen == [first, second]


def test_trigger_runs_before_a_valid_cached_state_ends_the_run():
    calls = []

    def spy(upstream_states):
        calls.append(1)
        return True

    given = Cached(result=3, cached_result_expiration=future())
    task = Counter(trigger=spy, cache_for=timedelta(minutes=1))
    state = TaskRunner(task).run(state=given)
    assert state is given
    assert calls == [1]


# -- transitions seen by handlers -------------------------------------------------------


def test_successful_run_reports_pending_running_success():
    calls = []
    task = Counter(state_handlers=[lambda t, o, n: calls.append((type(o), type(n)))])
    TaskRunner(task).run()
    assert calls == [(Pending, Running), (Running, Success)]


def test_running_state_message_is_starting_task_run():
    messages = []
    task = Counter(state_handlers=[lambda t, o, n: messages.append(n.message)])
    TaskRunner(task).run()
    assert messages[0] == "Starting task run."


def test_handlers_added_after_the_runner_is_made_see_the_run():
    calls = []
    runner = TaskRunner(task=Task(name="late-handler"))
    runner.state_handlers.append(lambda r, old, new: calls.append(type(new).__name__))
    runner.task.state_handlers.append(lambda t, old, new: calls.append("task"))
    assert runner.run().is_successful()
    assert calls == ["task", "Running", "task", "Success"]


def test_an_overridden_handle_state_change_sees_every_transition():
    seen = []

    class Watching(TaskRunner):
        def handle_state_change(self, old_state, new_state):
            seen.append((type(old_state).__name__, type(new_state).__name__))
            return new_state

    assert Watching(task=Task(name="watched")).run().is_successful()
    assert seen == [("Pending", "Running"), ("Running", "Success")]
