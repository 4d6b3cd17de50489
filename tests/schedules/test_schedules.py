"""Schedule, the convenience constructors and the flow-runner helpers (schedules.md §3, §6)."""

import logging
import time as wall_clock
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil import rrule

import prefect_core
from prefect_core.schedules import (
    CronSchedule,
    IntervalSchedule,
    RRuleSchedule,
    Schedule,
    adjustments,
    filters,
    schedules,
)
from prefect_core.schedules.clocks import (
    ClockEvent,
    CronClock,
    DatesClock,
    IntervalClock,
)
from prefect_core.schedules.schedules import next_scheduled_event, seconds_until

NEW_YORK = ZoneInfo("America/New_York")
JAN_1 = datetime(2020, 1, 1, tzinfo=UTC)  # a Wednesday


def hourly(**kwargs) -> IntervalClock:
    return IntervalClock(timedelta(hours=1), start_date=JAN_1, **kwargs)


def hours(*values: int, day: int = 1) -> list[datetime]:
    return [datetime(2020, 1, day, value, tzinfo=UTC) for value in values]


# construction ----------------------------------------------------------------------------


def test_schedule_is_exported_from_the_package():
    assert prefect_core.schedules.Schedule is schedules.Schedule


def test_clocks_must_be_iterable():
    with pytest.raises(TypeError, match="clocks should be a list of clocks."):
        Schedule(clocks=hourly())


def test_clocks_must_be_clocks():
    with pytest.raises(TypeError, match="clocks should be a list of clocks"):
        Schedule(clocks=[JAN_1])


def test_filters_must_be_callable():
    with pytest.raises(TypeError, match="filters should be a list of functions"):
        Schedule(clocks=[hourly()], filters=[True])


def test_filters_and_adjustments_default_to_empty_lists():
    schedule = Schedule(clocks=[hourly()])
    assert [
        schedule.filters,
        schedule.or_filters,
        schedule.not_filters,
        schedule.adjustments,
    ] == [[], [], [], []]


def test_start_date_is_the_earliest_clock_start_date():
    schedule = Schedule(
        [
            hourly(),
            IntervalClock(timedelta(hours=1), JAN_1 - timedelta(1)),
            IntervalClock(timedelta(1)),
        ]
    )
    assert schedule.start_date == JAN_1 - timedelta(1)


def test_end_date_is_the_latest_clock_end_date():
    schedule = Schedule(
        [hourly(end_date=JAN_1 + timedelta(1)), hourly(end_date=JAN_1 + timedelta(2))]
    )
    assert schedule.end_date == JAN_1 + timedelta(2)


def test_start_and_end_dates_are_none_without_any():
    schedule = Schedule([IntervalClock(timedelta(hours=1))])
    assert (schedule.start_date, schedule.end_date) == (None, None)


# next ------------------------------------------------------------------------------------


def test_next_returns_the_next_n_times_after_after():
    assert Schedule([hourly()]).next(3, after=JAN_1) == hours(1, 2, 3)


def test_next_takes_a_naive_after_as_utc():
    assert Schedule([hourly()]).next(1, after=datetime(2020, 1, 1, 5)) == hours(6)


def test_next_without_after_starts_from_now():
    start = datetime.now(UTC)
    [upcoming] = Schedule([IntervalClock(timedelta(minutes=1))]).next(1)
    assert start < upcoming <= start + timedelta(minutes=1, seconds=5)


def test_next_merges_clocks_in_time_order():
    schedule = Schedule([CronClock("0 */2 * * *"), CronClock("30 1,3 * * *")])
    assert schedule.next(4, after=JAN_1) == [
        datetime(2020, 1, 1, 1, 30, tzinfo=UTC),
        datetime(2020, 1, 1, 2, tzinfo=UTC),
        datetime(2020, 1, 1, 3, 30, tzinfo=UTC),
        datetime(2020, 1, 1, 4, tzinfo=UTC),
    ]


def test_next_drops_an_event_equal_to_the_one_before():
    assert Schedule([hourly(), hourly()]).next(3, after=JAN_1) == hours(1, 2, 3)


def test_next_keeps_simultaneous_events_with_different_parameter_defaults():
    schedule = Schedule([hourly(parameter_defaults={"x": 1}), hourly(parameter_defaults={"x": 2})])
    events = schedule.next(2, after=JAN_1, return_events=True)
    assert [event.parameter_defaults["x"] for event in events] == [1, 2]


def test_next_merges_an_instant_given_in_two_zones_into_one_event():
    here = DatesClock([datetime(2020, 1, 1, 14, tzinfo=UTC)])
    there = DatesClock([datetime(2020, 1, 1, 9, tzinfo=NEW_YORK)])
    assert len(Schedule([here, there]).next(5, after=JAN_1)) == 1


def test_next_returns_events_with_parameter_defaults_and_labels():
    schedule = Schedule([hourly(parameter_defaults={"x": 1}, labels=["blue"])])
    [event] = schedule.next(1, after=JAN_1, return_events=True)
    assert (event.start_time, event.parameter_defaults, event.labels) == (
        hours(1)[0],
        {"x": 1},
        ["blue"],
    )


def test_next_returns_clock_events_when_asked():
    [event] = Schedule([hourly()]).next(1, after=JAN_1, return_events=True)
    assert isinstance(event, ClockEvent)


def test_next_zero_returns_an_empty_list():
    assert Schedule([hourly()]).next(0, after=JAN_1) == []


def test_next_negative_returns_an_empty_list():
    assert Schedule([hourly()]).next(-3, after=JAN_1) == []


def test_next_returns_fewer_when_the_clocks_run_out():
    dates = DatesClock([datetime(2030, 1, 1), datetime(2031, 1, 1)])
    assert len(Schedule([dates]).next(5)) == 2


def test_next_of_a_schedule_without_clocks_is_empty():
    assert Schedule([]).next(3, after=JAN_1) == []


def test_next_of_an_every_minute_cron_is_capped_at_1000():
    assert len(Schedule([CronClock("* * * * *")]).next(1500)) == 1000


# filters ---------------------------------------------------------------------------------


def test_next_keeps_only_events_passing_all_filters():
    schedule = Schedule(
        [hourly()], filters=[filters.between_times(time(3), time(9)), filters.is_weekday]
    )
    assert schedule.next(3, after=JAN_1) == hours(3, 4, 5)


def test_next_keeps_events_passing_any_or_filter():
    schedule = Schedule(
        [hourly()], or_filters=[filters.at_time(time(9)), filters.at_time(time(17))]
    )
    assert schedule.next(3, after=JAN_1) == hours(9, 17) + hours(9, day=2)


def test_next_drops_events_passing_a_not_filter():
    schedule = Schedule([hourly()], not_filters=[filters.between_times(time(1), time(22))])
    assert schedule.next(3, after=JAN_1) == hours(23) + hours(0, 23, day=2)


def test_next_combines_filters_and_or_filters():
    schedule = Schedule(
        [IntervalClock(timedelta(hours=1), JAN_1)],
        filters=[filters.is_weekday],
        or_filters=[filters.at_time(time(9)), filters.at_time(time(17))],
    )
    after = datetime(2020, 1, 3, 12, tzinfo=UTC)  # a Friday
    assert schedule.next(3, after=after) == [
        datetime(2020, 1, 3, 17, tzinfo=UTC),
        datetime(2020, 1, 6, 9, tzinfo=UTC),
        datetime(2020, 1, 6, 17, tzinfo=UTC),
    ]


def test_filters_see_the_unadjusted_time():
    schedule = Schedule(
        [hourly()],
        filters=[filters.at_time(time(3))],
        adjustments=[adjustments.add(timedelta(minutes=30))],
    )
    assert schedule.next(1, after=JAN_1) == [datetime(2020, 1, 1, 3, 30, tzinfo=UTC)]


def test_filters_judge_times_in_the_clocks_zone():
    schedule = Schedule(
        [IntervalClock(timedelta(hours=1), datetime(2020, 1, 1, tzinfo=NEW_YORK))],
        filters=[filters.at_time(time(9))],
    )
    assert schedule.next(1, after=JAN_1) == [datetime(2020, 1, 1, 9, tzinfo=NEW_YORK)]


def test_a_filter_no_date_satisfies_stops_after_the_candidate_limit():
    schedule = Schedule([IntervalClock(timedelta(minutes=1))], filters=[filters.on_date(2, 29)])
    started = wall_clock.perf_counter()
    found = schedule.next(1, after=datetime(2021, 3, 1))
    assert (found, wall_clock.perf_counter() - started < 5) == ([], True)


def test_a_filter_no_date_satisfies_logs_a_warning(caplog):
    schedule = Schedule([IntervalClock(timedelta(hours=1))], filters=[lambda _: False])
    with caplog.at_level(logging.WARNING):
        schedule.next(2, after=JAN_1)
    [record] = [r for r in caplog.records if r.name == "prefect_core.Schedule"]
    assert "10000 candidate" in record.getMessage() and "found 0 of the 2" in record.getMessage()


def test_a_rare_filter_returns_what_it_found_before_the_limit():
    schedule = Schedule([hourly()], filters=[filters.on_datetime(datetime(2020, 1, 2, 5))])
    assert schedule.next(3, after=JAN_1) == [datetime(2020, 1, 2, 5, tzinfo=UTC)]


def test_candidate_limit_is_ten_thousand():
    examined = []
    schedule = Schedule([hourly()], filters=[lambda when: examined.append(when) and False])
    schedule.next(1, after=JAN_1)
    assert len(examined) == schedules.CANDIDATE_LIMIT == 10_000


# adjustments -----------------------------------------------------------------------------


def test_adjustments_apply_in_order():
    schedule = Schedule(
        [hourly()], adjustments=[adjustments.add(timedelta(days=1)), adjustments.next_weekday]
    )
    after = datetime(2020, 1, 3, 23, tzinfo=UTC)  # Friday 23:00 -> Saturday 00:00 + 1 day
    assert schedule.next(1, after=after) == [datetime(2020, 1, 6, 0, tzinfo=UTC)]


def test_adjusted_times_do_not_hide_the_next_clock_event():
    schedule = Schedule([hourly()], adjustments=[adjustments.add(timedelta(hours=1))])
    assert schedule.next(3, after=JAN_1) == hours(2, 3, 4)


def test_next_weekday_adjustment_keeps_every_weekend_run():
    friday = datetime(2021, 1, 1, tzinfo=UTC)
    schedule = Schedule(
        [IntervalClock(timedelta(days=1), friday)], adjustments=[adjustments.next_weekday]
    )
    assert [f"{when:%a %d}" for when in schedule.next(5, after=datetime(2020, 1, 1))] == [
        "Fri 01",
        "Mon 04",
        "Mon 04",
        "Mon 04",
        "Tue 05",
    ]


def test_adjusted_events_are_updated_in_place():
    schedule = Schedule([hourly()], adjustments=[adjustments.add(timedelta(minutes=5))])
    [event] = schedule.next(1, after=JAN_1, return_events=True)
    assert event.start_time == datetime(2020, 1, 1, 1, 5, tzinfo=UTC)


# convenience constructors ----------------------------------------------------------------


def test_interval_schedule_builds_one_interval_clock():
    schedule = IntervalSchedule(
        start_date=JAN_1, interval=timedelta(hours=1), end_date=JAN_1 + timedelta(hours=2)
    )
    assert schedule.next(5, after=JAN_1 - timedelta(days=1)) == hours(0, 1, 2)


def test_interval_schedule_without_interval_is_the_clocks_type_error():
    with pytest.raises(TypeError, match="Interval must be a timedelta."):
        IntervalSchedule(start_date=JAN_1)


def test_cron_schedule_builds_one_cron_clock_with_day_or():
    schedule = CronSchedule("0 9 8-14 * 5", start_date=JAN_1, day_or=False)
    assert schedule.clocks[0].day_or is False


def test_cron_schedule_rejects_an_invalid_cron_string():
    with pytest.raises(ValueError, match="Invalid cron string: 'nope'"):
        CronSchedule("nope")


def test_rrule_schedule_builds_one_rrule_clock():
    rule = rrule.rrule(rrule.DAILY, dtstart=datetime(2020, 1, 1, 9))
    schedule = RRuleSchedule(rule, end_date=datetime(2020, 1, 2, 9))
    assert schedule.next(5, after=JAN_1) == [datetime(2020, 1, d, 9, tzinfo=UTC) for d in (1, 2)]


# flow-runner helpers ---------------------------------------------------------------------


def test_next_scheduled_event_is_the_first_event_after_now():
    schedule = Schedule([hourly(parameter_defaults={"x": 1})])
    event = next_scheduled_event(schedule, now=datetime(2020, 1, 1, 2, 30))
    assert (event.start_time, event.parameter_defaults) == (hours(3)[0], {"x": 1})


def test_next_scheduled_event_skips_runs_whose_time_has_passed():
    schedule = Schedule(
        [DatesClock([datetime(2020, 1, 1), datetime(2020, 1, 2), datetime(2020, 1, 3)])]
    )
    assert next_scheduled_event(schedule, now=datetime(2020, 1, 2, 0, 0, 1)).start_time.day == 3


def test_next_scheduled_event_is_none_when_the_schedule_is_exhausted():
    schedule = Schedule([DatesClock([datetime(2020, 1, 1)])])
    assert next_scheduled_event(schedule, now=datetime(2020, 1, 1)) is None


def test_next_scheduled_event_defaults_now_to_the_current_time():
    schedule = Schedule([DatesClock([datetime(2000, 1, 1), datetime(2999, 1, 1)])])
    assert next_scheduled_event(schedule).start_time.year == 2999


def test_seconds_until_counts_real_time_across_a_dst_change():
    before = datetime(2018, 11, 4, 0, 30, tzinfo=NEW_YORK)
    after = datetime(2018, 11, 4, 1, 30, tzinfo=NEW_YORK).replace(fold=1)
    assert seconds_until(after, now=before) == 2 * 3600


def test_seconds_until_a_past_time_is_zero():
    assert seconds_until(JAN_1, now=JAN_1 + timedelta(seconds=5)) == 0.0


def test_seconds_until_defaults_now_to_the_current_time():
    assert 0 < seconds_until(datetime.now(UTC) + timedelta(minutes=1)) <= 60
