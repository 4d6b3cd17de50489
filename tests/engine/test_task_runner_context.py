"""`TaskRunner`: state handlers, `on_failure`, the task run's context keys and logs."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from prefect_core.core.edge import Edge
from prefect_core.core.task import Task
from prefect_core.engine import signals
from prefect_core.engine.state import Failed, Pending, Retrying, Skipped, Success
from prefect_core.engine.task_runner import TaskRunner
from prefect_core.utilities.context import context


class Add(Task):
    def run(self, x=0, y=0):
        return x + y


class Broken(Task):
    def run(self):
        raise ValueError("broken")


class Peek(Task):
    """Returns a copy of the context keys it was asked about."""

    def __init__(self, keys, **kwargs):
        super().__init__(**kwargs)
        self.keys = keys

    def run(self):
        return {key: context.get(key, "<absent>") for key in self.keys}


def names(calls):
    return [(type(old).__name__, type(new).__name__) for old, new in calls]


# -- state handlers ---------------------------------------------------------------------


def test_task_handlers_run_before_runner_handlers():
    order = []
    task = Add(state_handlers=[lambda t, o, n: order.append(("task", type(n).__name__))])
    runner = TaskRunner(
        task, state_handlers=[lambda r, o, n: order.append(("runner", type(n).__name__))]
    )
    runner.run()
    assert order == [
        ("task", "Running"),
        ("runner", "Running"),
        ("task", "Success"),
        ("runner", "Success"),
    ]


def test_handlers_receive_the_task_and_the_runner():
    received = []
    task = Add(state_handlers=[lambda t, o, n: received.append(t)])
    runner = TaskRunner(task, state_handlers=[lambda r, o, n: received.append(r)])
    runner.run()
    assert received[:2] == [task, runner]


def test_task_handler_can_override_the_final_state():
    def override(task, old, new):
        if new.is_successful():
            return Failed("overridden", result=new.result)

    state = TaskRunner(Add(state_handlers=[override])).run()
    assert type(state) is Failed
    assert state.message == "overridden"
    assert state.result == 0


def test_runner_handler_sees_the_task_handler_override():
    seen = []
    task = Add(state_handlers=[lambda t, o, n: Skipped("s") if n.is_successful() else None])
    TaskRunner(task, state_handlers=[lambda r, o, n: seen.append(n)]).run()
    assert type(seen[-1]) is Skipped


def test_handler_returning_none_keeps_the_state():
    state = TaskRunner(Add(state_handlers=[lambda t, o, n: None])).run()
    assert type(state) is Success


def test_raising_task_handler_fails_the_run():
    def broken(task, old, new):
        raise RuntimeError("handler broke")

    task = Add(state_handlers=[broken])
    state = TaskRunner(task).run()
    assert type(state) is Failed
    assert state.message == (
        "Unexpected error while calling state handlers: RuntimeError('handler broke')"
    )
    assert isinstance(state.result, RuntimeError)


def test_raising_handler_on_success_fails_the_run():
    def broken(task, old, new):
        if new.is_successful():
            raise RuntimeError("late")

    state = TaskRunner(Add(state_handlers=[broken])).run()
    assert type(state) is Failed
    assert "Unexpected error while calling state handlers" in state.message


def test_raising_runner_handler_fails_the_run():
    def broken(runner, old, new):
        raise KeyError("runner")

    state = TaskRunner(Add(), state_handlers=[broken]).run()
    assert type(state) is Failed
    assert state.message.startswith("Unexpected error while calling state handlers: KeyError")


def test_handler_failure_is_not_retried():
    calls = []

    def broken(task, old, new):
        calls.append(type(new).__name__)
        if new.is_running():
            raise RuntimeError("x")

    task = Add(state_handlers=[broken], max_retries=1, retry_delay=timedelta(0))
    state = TaskRunner(task).run()
    assert type(state) is Failed
    assert calls == ["Running"]


def test_handler_raising_a_signal_sets_its_state():
    def skipper(task, old, new):
        if new.is_running():
            raise signals.SKIP("handler skip")

    state = TaskRunner(Add(state_handlers=[skipper])).run()
    assert type(state) is Skipped
    assert state.message == "handler skip"


def test_handlers_see_the_old_state_object():
    olds = []
    given = Pending("given")
    TaskRunner(Add(state_handlers=[lambda t, o, n: olds.append(o)])).run(state=given)
    assert olds[0] is given


# -- on_failure -------------------------------------------------------------------------


def test_on_failure_is_called_with_the_task_and_failed_state():
    calls = []
    task = Broken(on_failure=lambda t, s: calls.append((t, s)))
    state = TaskRunner(task).run()
    assert calls == [(task, state)]
    assert type(state) is Failed


def test_on_failure_is_not_called_on_success():
    calls = []
    TaskRunner(Add(on_failure=lambda t, s: calls.append(s))).run()
    assert calls == []


def test_on_failure_is_called_before_a_retry():
    calls = []
    task = Broken(
        on_failure=lambda t, s: calls.append(type(s).__name__),
        max_retries=1,
        retry_delay=timedelta(0),
    )
    state = TaskRunner(task).run()
    assert type(state) is Retrying
    assert calls == ["Failed"]


def test_on_failure_sees_trigger_failures():
    calls = []
    task = Add(on_failure=lambda t, s: calls.append(type(s).__name__))
    TaskRunner(task).run(upstream_states={Edge(Task(), task): Failed()})
    assert calls == ["TriggerFailed"]


def test_on_failure_keeps_other_handlers():
    calls = []
    task = Broken(
        state_handlers=[lambda t, o, n: calls.append("handler")],
        on_failure=lambda t, s: calls.append("on_failure"),
    )
    TaskRunner(task).run()
    assert calls == ["handler", "handler", "on_failure"]


# -- context keys -----------------------------------------------------------------------


def test_context_keys_inside_a_task_run():
    task = Peek(
        [
            "task_name",
            "task_full_name",
            "task_run_count",
            "map_index",
            "task_tags",
            "checkpointing",
            "resume",
        ],
        name="peek",
        tags=["a", "b"],
    )
    state = TaskRunner(task).run(context={"checkpointing": False})
    assert state.result == {
        "task_name": "peek",
        "task_full_name": "peek",
        "task_run_count": 1,
        "map_index": None,
        "task_tags": {"a", "b"},
        "checkpointing": False,
        "resume": "<absent>",
    }


def test_map_index_in_context_names_the_child():
    task = Peek(["task_full_name", "map_index"], name="child")
    state = TaskRunner(task).run(context={"map_index": 2})
    assert state.result == {"task_full_name": "child[2]", "map_index": 2}


def test_logger_in_context_is_the_task_logger():
    class Log(Task):
        def run(self):
            return context.logger

    task = Log(name="logs")
    assert TaskRunner(task).run().result is task.logger
    child_logger = TaskRunner(task).run(context={"map_index": 1}).result
    assert child_logger.name == "prefect_core.logs[1]"


def test_checkpointing_defaults_from_config():
    from prefect_core.utilities.configuration import set_temporary_config

    with set_temporary_config({"flows.checkpointing": True}):
        state = TaskRunner(Peek(["checkpointing"])).run()
    assert state.result == {"checkpointing": True}


def test_task_run_count_follows_retrying_state():
    state = TaskRunner(Peek(["task_run_count"])).run(state=Retrying(run_count=3))
    assert state.result == {"task_run_count": 4}


def test_task_run_count_is_taken_from_state_context():
    state = TaskRunner(Peek(["task_run_count"])).run(state=Pending(context={"task_run_count": 5}))
    assert state.result == {"task_run_count": 5}


def test_user_context_keys_reach_the_task():
    state = TaskRunner(Peek(["custom"])).run(context={"custom": "value"})
    assert state.result == {"custom": "value"}


def test_task_run_name_is_rendered_from_inputs():
    class Named(Task):
        def run(self, x):
            return context.task_run_name

    task = Named(task_run_name="run-{x}-{task_name}")
    state = TaskRunner(task).run(upstream_states={Edge(Task(), task, key="x"): Success(result=3)})
    assert state.result == "run-3-Named"


def test_callable_task_run_name():
    class Named(Task):
        def run(self, x):
            return context.task_run_name

    task = Named(task_run_name=lambda **kw: f"value={kw['x']}")
    state = TaskRunner(task).run(upstream_states={Edge(Task(), task, key="x"): Success(result=3)})
    assert state.result == "value=3"


def test_states_created_in_a_run_carry_the_task_tags():
    state = TaskRunner(Add(tags=["etl"])).run()
    assert state.context["tags"] == ["etl"]


# -- logs -------------------------------------------------------------------------------


def test_start_and_finish_are_logged(caplog):
    with caplog.at_level(logging.INFO, logger="prefect_core"):
        TaskRunner(Add(name="adder")).run()
    messages = [r.getMessage() for r in caplog.records]
    assert "Task 'adder': Starting task run..." in messages
    assert "Task 'adder': Finished task run for task with final state: 'Success'" in messages


def test_log_stdout_sends_prints_to_the_task_log(caplog):
    class Printer(Task):
        def run(self):
            print("hello from the task")
            return 1

    with caplog.at_level(logging.INFO, logger="prefect_core"):
        state = TaskRunner(Printer(log_stdout=True)).run()
    assert state.result == 1
    assert any("hello from the task" in r.getMessage() for r in caplog.records)


def test_unexpected_error_in_the_pipeline_fails_naming_the_task():
    class BadRunner(TaskRunner):
        def get_task_inputs(self, state, upstream_states):
            raise RuntimeError("pipeline bug")

    state = BadRunner(Add(name="adder")).run()
    assert type(state) is Failed
    assert state.message == (
        "Task 'adder': Unexpected error while running task: RuntimeError('pipeline bug')"
    )


def test_unexpected_pipeline_error_propagates_under_raise_on_exception():
    from prefect_core.utilities.debug import raise_on_exception

    class BadRunner(TaskRunner):
        def get_task_inputs(self, state, upstream_states):
            raise RuntimeError("pipeline bug")

    with raise_on_exception(), pytest.raises(RuntimeError):
        BadRunner(Add()).run()


def test_the_callers_context_is_visible_inside_the_run():
    with context(outer="visible"):
        state = TaskRunner(Peek(["outer"])).run()
    assert state.result == {"outer": "visible"}
