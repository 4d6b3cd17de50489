"""`FlowRunner`: parameters and the context keys a flow run sets."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from prefect_core import Flow, Parameter
from prefect_core.engine.flow_runner import FlowRunner, FlowRunnerInitializeResult
from prefect_core.engine.state import Failed, Pending
from prefect_core.utilities.context import context
from tests.engine.sample_tasks import chain_flow, inc, one, peek

# -- parameters and context -------------------------------------------------------------


def test_parameters_reach_parameter_tasks_with_defaults():
    with Flow("p") as flow:
        x = Parameter("x")
        y = Parameter("y", default=10)
        total = inc(x) + y
    state = FlowRunner(flow).run(parameters={"x": 1}, return_tasks=[total, y])
    assert state.result[total].result == 12
    assert state.result[y].result == 10


def test_missing_required_parameter_fails_the_parameter_task():
    flow = Flow("p")
    x = flow.add_task(Parameter("x"))
    state = FlowRunner(flow).run(return_tasks=[x])
    assert type(state.result[x]) is Failed
    assert state.result[x].message == 'Parameter "x" was required but not provided.'
    assert type(state) is Failed


def test_context_parameters_include_defaults_and_given_values():
    with Flow("p") as flow:
        flow.add_task(Parameter("x"))
        flow.add_task(Parameter("y", default=2))
        seen = peek(["parameters", "flow_name"])
    state = FlowRunner(flow).run(parameters={"x": 1}, return_tasks=[seen])
    assert state.result[seen].result == {"parameters": {"x": 1, "y": 2}, "flow_name": "p"}


def test_date_keys_are_set_from_now():
    keys = [
        "date",
        "today",
        "yesterday",
        "tomorrow",
        "today_nodash",
        "yesterday_nodash",
        "tomorrow_nodash",
        "scheduled_start_time",
    ]
    with Flow("d") as flow:
        seen = peek(keys)
    before = datetime.now(UTC)
    values = FlowRunner(flow).run(return_tasks=[seen]).result[seen].result
    assert before <= values["date"] <= datetime.now(UTC)
    today = values["date"]
    assert values["today"] == today.strftime("%Y-%m-%d")
    assert values["yesterday"] == (today - timedelta(days=1)).strftime("%Y-%m-%d")
    assert values["tomorrow"] == (today + timedelta(days=1)).strftime("%Y-%m-%d")
    assert values["today_nodash"] == today.strftime("%Y%m%d")
    assert values["tomorrow_nodash"] == (today + timedelta(days=1)).strftime("%Y%m%d")
    assert values["yesterday_nodash"] == (today - timedelta(days=1)).strftime("%Y%m%d")
    assert values["scheduled_start_time"].tzinfo is not None


def test_iso_date_string_in_context_is_parsed():
    with Flow("d") as flow:
        seen = peek(["date", "today", "yesterday_nodash", "tomorrow"])
    values = (
        FlowRunner(flow)
        .run(context={"date": "2020-03-01"}, return_tasks=[seen])
        .result[seen]
        .result
    )
    assert values == {
        "date": datetime(2020, 3, 1, tzinfo=UTC),
        "today": "2020-03-01",
        "yesterday_nodash": "20200229",
        "tomorrow": "2020-03-02",
    }


def test_iso_datetime_string_with_offset_keeps_it():
    with Flow("d") as flow:
        seen = peek(["date", "today"])
    values = (
        FlowRunner(flow)
        .run(context={"date": "2021-06-30T23:30:00-02:00"}, return_tasks=[seen])
        .result[seen]
        .result
    )
    assert values["date"] == datetime(2021, 7, 1, 1, 30, tzinfo=UTC)
    assert values["today"] == "2021-06-30"


def test_given_date_keys_are_not_overridden():
    with Flow("d") as flow:
        seen = peek(["today"])
    values = (
        FlowRunner(flow)
        .run(context={"date": "2020-03-01", "today": "custom"}, return_tasks=[seen])
        .result[seen]
        .result
    )
    assert values == {"today": "custom"}


def test_unusable_date_warns_and_keeps_the_value(caplog):
    with Flow("d") as flow:
        seen = peek(["date", "today"])
    with caplog.at_level(logging.WARNING, logger="prefect_core"):
        values = (
            FlowRunner(flow)
            .run(context={"date": "not a date"}, return_tasks=[seen])
            .result[seen]
            .result
        )
    assert values["date"] == "not a date"
    assert values["today"] == datetime.now(UTC).strftime("%Y-%m-%d")
    assert any(r.levelno == logging.WARNING for r in caplog.records)


def test_task_contexts_and_slugs_reach_each_task():
    with Flow("c") as flow:
        seen = peek(["task_slug", "task_name", "extra", "user"])
    state = FlowRunner(flow).run(
        context={"user": "u"}, task_contexts={seen: {"extra": 5}}, return_tasks=[seen]
    )
    assert state.result[seen].result == {
        "task_slug": flow.slugs[seen],
        "task_name": "peek",
        "extra": 5,
        "user": "u",
    }


def test_given_task_contexts_are_completed_in_new_dicts():
    with Flow("c") as flow:
        a, b = one(), one()
    given = {"extra": 5}
    complete = {"task_name": "one", "task_slug": flow.slugs[b]}
    result = FlowRunner(flow).initialize_run(
        state=None, task_states={}, context={}, task_contexts={a: given, b: complete},
        parameters={},
    )
    assert result.task_contexts[a] == {"extra": 5, "task_name": "one",
                                       "task_slug": flow.slugs[a]}
    assert given == {"extra": 5}  # the caller's dict is left as it was
    assert result.task_contexts[b] == complete


def test_flow_run_context_does_not_leak():
    flow, *_ = chain_flow()
    FlowRunner(flow).run(context={"leak": 1})
    assert "leak" not in context
    assert "flow_name" not in context


def test_initialize_run_returns_named_tuple():
    with Flow("i") as flow:
        flow.add_task(Parameter("x", default=1))
        a = one()
    result = FlowRunner(flow).initialize_run(
        state=None, task_states={}, context={}, task_contexts={}, parameters={}
    )
    assert isinstance(result, FlowRunnerInitializeResult)
    assert type(result.state) is Pending
    assert result.context["parameters"] == {"x": 1}
    assert result.task_contexts[a] == {"task_name": "one", "task_slug": flow.slugs[a]}
