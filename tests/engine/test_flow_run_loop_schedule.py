"""`flow.run()` on a schedule: one run per event, each at its time, with its parameters."""

from datetime import UTC, datetime, timedelta

import pytest

import prefect_core as prefect
from prefect_core.schedules import IntervalSchedule, Schedule
from prefect_core.schedules.clocks import DatesClock, IntervalClock


def _recording_flow(schedule):
    runs = []

    @prefect.task
    def record(label):
        runs.append((datetime.now(UTC), label))
        return label

    with prefect.Flow("scheduled", schedule=schedule) as flow:
        record(prefect.Parameter("label", default="default"))
    return flow, runs


def test_a_flow_on_an_interval_schedule_runs_once_per_event_until_the_end_date():
    now = datetime.now(UTC)
    schedule = IntervalSchedule(
        start_date=now + timedelta(seconds=0.5),
        interval=timedelta(seconds=0.5),
        end_date=now + timedelta(seconds=1.8),
    )
    flow, runs = _recording_flow(schedule)
    state = flow.run()
    assert state.is_successful()
    assert len(runs) == 3
    gaps = [(b[0] - a[0]).total_seconds() for a, b in zip(runs, runs[1:])]
    assert all(0.3 < gap < 0.9 for gap in gaps), gaps


def test_each_run_waits_until_its_scheduled_time():
    start = datetime.now(UTC) + timedelta(seconds=0.6)
    flow, runs = _recording_flow(Schedule(clocks=[DatesClock([start])]))
    flow.run()
    assert len(runs) == 1
    assert runs[0][0] >= start


def test_clock_parameter_defaults_override_parameters_given_to_run():
    start = datetime.now(UTC) + timedelta(seconds=0.2)
    clock = DatesClock([start], parameter_defaults={"label": "from-clock"})
    flow, runs = _recording_flow(Schedule(clocks=[clock]))
    flow.run(label="from-call")
    assert [label for _, label in runs] == ["from-clock"]


def test_run_on_schedule_false_runs_once_now():
    schedule = Schedule(clocks=[IntervalClock(timedelta(hours=1))])
    flow, runs = _recording_flow(schedule)
    state = flow.run(run_on_schedule=False)
    assert state.is_successful()
    assert len(runs) == 1


def test_an_exhausted_schedule_is_an_error():
    past = datetime.now(UTC) - timedelta(days=1)
    flow, _ = _recording_flow(Schedule(clocks=[DatesClock([past])]))
    with pytest.raises(ValueError, match="Flow has no more scheduled runs."):
        flow.run()


def test_ctrl_c_while_waiting_for_the_next_run_stops_the_loop_and_returns_the_last_state(
    monkeypatch,
):
    from prefect_core.engine import flow_run_loop

    # Events every 30 s, the first one 0.3 s from now: one real wait, one run, then Ctrl-C.
    now = datetime.now(UTC)
    schedule = IntervalSchedule(
        start_date=now - timedelta(seconds=29.7), interval=timedelta(seconds=30)
    )
    flow, runs = _recording_flow(schedule)
    real_sleep = flow_run_loop.time.sleep
    waits = []

    def sleep_then_interrupt(seconds):
        waits.append(seconds)
        if len(waits) > 1:
            raise KeyboardInterrupt
        real_sleep(seconds)

    monkeypatch.setattr(flow_run_loop.time, "sleep", sleep_then_interrupt)
    state = flow.run()
    assert len(runs) == 1
    assert len(waits) == 2 and waits[1] > 25
    assert state.is_successful()


def test_ctrl_c_before_the_first_run_reaches_the_caller(monkeypatch):
    from prefect_core.engine import flow_run_loop

    start = datetime.now(UTC) + timedelta(minutes=5)
    flow, runs = _recording_flow(Schedule(clocks=[DatesClock([start])]))

    def interrupted_sleep(seconds):
        raise KeyboardInterrupt

    monkeypatch.setattr(flow_run_loop.time, "sleep", interrupted_sleep)
    with pytest.raises(KeyboardInterrupt):
        flow.run()
    assert runs == []
