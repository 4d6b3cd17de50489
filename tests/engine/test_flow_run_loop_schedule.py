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
