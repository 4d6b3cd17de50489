"""ClockEvent, the base Clock, IntervalClock, DatesClock and RRuleClock (schedules.md §1-§2, §8).

CronClock is tested in test_cron_clock.py.
"""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from dateutil import rrule

from prefect_core.schedules.clocks import (
    Clock,
    ClockEvent,
    DatesClock,
    IntervalClock,
    RRuleClock,
)
from tests.schedules.clock_helpers import LONDON, NEW_YORK, first, local, ny, utc_hours

# ClockEvent ------------------------------------------------------------------------------


def test_clock_event_defaults_to_empty_parameter_defaults_and_no_labels():
    event = ClockEvent(datetime(2020, 1, 1, tzinfo=UTC))
    assert (event.parameter_defaults, event.labels) == ({}, None)


def test_clock_event_equals_a_datetime_at_the_same_instant():
    event = ClockEvent(ny(2020, 1, 1, 9), parameter_defaults={"x": 1})
    assert event == datetime(2020, 1, 1, 14, tzinfo=UTC)


def test_clock_events_with_different_parameter_defaults_are_not_equal():
    when = datetime(2020, 1, 1, tzinfo=UTC)
    assert ClockEvent(when, {"x": 1}) != ClockEvent(when, {"x": 2})


def test_clock_events_with_different_labels_are_not_equal():
    when = datetime(2020, 1, 1, tzinfo=UTC)
    assert ClockEvent(when, labels=["a"]) != ClockEvent(when, labels=["b"])


def test_clock_event_is_never_equal_to_other_types():
    assert ClockEvent(datetime(2020, 1, 1, tzinfo=UTC)) != "2020-01-01"


def test_clock_events_at_the_two_occurrences_of_a_repeated_hour_differ():
    first_one = ClockEvent(ny(2018, 11, 4, 1, 0))
    second_one = ClockEvent(ny(2018, 11, 4, 1, 0).replace(fold=1))
    assert first_one != second_one and first_one < second_one


def test_clock_events_order_by_instant():
    early = ClockEvent(datetime(2020, 1, 1, 12, tzinfo=UTC))
    late = ClockEvent(ny(2020, 1, 1, 8))  # 13:00 UTC
    assert early < late and late > early


def test_clock_event_compares_with_a_datetime():
    event = ClockEvent(datetime(2020, 1, 1, 12, tzinfo=UTC))
    assert event < datetime(2020, 1, 2, tzinfo=UTC) and event > datetime(2020, 1, 1, tzinfo=UTC)


def test_clock_event_ordering_against_other_types_raises_type_error():
    with pytest.raises(TypeError, match="'<' not supported between instances of 'ClockEvent'"):
        assert ClockEvent(datetime(2020, 1, 1, tzinfo=UTC)) < 5


def test_clock_events_are_hashable_by_instant():
    events = {ClockEvent(ny(2020, 1, 1, 9)), ClockEvent(datetime(2020, 1, 1, 14, tzinfo=UTC))}
    assert len(events) == 1


def test_clock_event_repr_shows_time_labels_and_parameters():
    event = ClockEvent(datetime(2020, 1, 1, tzinfo=UTC), {"x": 1}, ["l"])
    assert repr(event) == "<2020-01-01 00:00:00+00:00,['l'],{'x': 1}>"


# Clock base ------------------------------------------------------------------------------


def test_base_clock_events_is_not_implemented():
    with pytest.raises(NotImplementedError):
        next(Clock().events())


def test_naive_start_date_is_taken_as_utc():
    assert Clock(start_date=datetime(2020, 1, 1)).start_date == datetime(2020, 1, 1, tzinfo=UTC)


def test_non_datetime_start_date_is_a_type_error():
    with pytest.raises(TypeError, match="start_date must be a datetime"):
        Clock(start_date="2020-01-01")


def test_end_date_before_start_date_is_a_value_error_naming_both():
    with pytest.raises(ValueError) as info:
        Clock(start_date=datetime(2020, 1, 2), end_date=datetime(2020, 1, 1))
    assert "2020-01-02T00:00:00+00:00" in str(info.value)
    assert "2020-01-01T00:00:00+00:00" in str(info.value)


def test_end_date_equal_to_start_date_is_allowed():
    clock = Clock(start_date=datetime(2020, 1, 1), end_date=datetime(2020, 1, 1))
    assert clock.end_date == clock.start_date


def test_every_event_carries_the_clocks_parameter_defaults_and_labels():
    clock = IntervalClock(
        timedelta(hours=1), datetime(2020, 1, 1), parameter_defaults={"x": 1}, labels=["a"]
    )
    event = next(clock.events(after=datetime(2020, 1, 1)))
    assert (event.parameter_defaults, event.labels) == ({"x": 1}, ["a"])


# IntervalClock: arguments ----------------------------------------------------------------


def test_interval_must_be_a_timedelta():
    with pytest.raises(TypeError, match="Interval must be a timedelta."):
        IntervalClock(60)


def test_zero_interval_is_a_value_error():
    with pytest.raises(ValueError, match="Interval must be greater than 0."):
        IntervalClock(timedelta(0))


def test_negative_interval_is_a_value_error():
    with pytest.raises(ValueError, match="Interval must be greater than 0."):
        IntervalClock(timedelta(hours=-1))


def test_interval_clock_accepts_sub_minute_intervals():
    clock = IntervalClock(timedelta(seconds=1), datetime(2020, 1, 1))
    assert first(clock, 2)[1] == datetime(2020, 1, 1, 0, 0, 2, tzinfo=UTC)


# IntervalClock: plain behaviour ----------------------------------------------------------


def test_interval_clock_without_start_date_is_anchored_at_2019_in_utc():
    clock = IntervalClock(timedelta(hours=7))
    assert first(clock, 1, after=datetime(2019, 1, 1, 1)) == [datetime(2019, 1, 1, 7, tzinfo=UTC)]


def test_interval_clock_before_its_start_date_begins_at_the_start_date():
    clock = IntervalClock(timedelta(hours=1), datetime(2020, 1, 1), datetime(2020, 1, 1, 2))
    assert first(clock, 5, after=datetime(2019, 1, 1)) == [
        datetime(2020, 1, 1, hour, tzinfo=UTC) for hour in (0, 1, 2)
    ]


def test_interval_clock_stops_after_its_end_date_including_an_event_on_it():
    clock = IntervalClock(timedelta(hours=1), datetime(2020, 1, 1), datetime(2020, 1, 1, 2))
    assert len(list(clock.events(after=datetime(2019, 1, 1)))) == 3


def test_interval_clock_events_are_strictly_after_after():
    clock = IntervalClock(timedelta(hours=1), datetime(2020, 1, 1))
    assert first(clock, 2, after=datetime(2020, 1, 1, 1)) == [
        datetime(2020, 1, 1, 2, tzinfo=UTC),
        datetime(2020, 1, 1, 3, tzinfo=UTC),
    ]


def test_interval_clock_rounds_a_partial_interval_up():
    clock = IntervalClock(timedelta(hours=1), datetime(2020, 1, 1))
    assert first(clock, 1, after=datetime(2020, 1, 1, 1, 0, 1)) == [
        datetime(2020, 1, 1, 2, tzinfo=UTC)
    ]


def test_interval_clock_far_from_its_anchor_does_not_iterate_from_it():
    clock = IntervalClock(timedelta(seconds=1), datetime(1980, 1, 1))
    assert first(clock, 1, after=datetime(2020, 1, 1)) == [
        datetime(2020, 1, 1, 0, 0, 1, tzinfo=UTC)
    ]


def test_interval_clock_without_after_starts_from_now():
    clock = IntervalClock(timedelta(minutes=1))
    before = datetime.now(UTC)
    assert before < next(clock.events()).start_time <= before + timedelta(minutes=1, seconds=5)


def test_interval_clock_emits_times_in_the_start_dates_zone():
    clock = IntervalClock(timedelta(hours=1), ny(2020, 1, 1))
    assert first(clock, 1)[0].tzinfo is NEW_YORK


def test_interval_clock_keeps_a_fixed_offset_zone():
    zone = timezone(timedelta(hours=5, minutes=30))
    clock = IntervalClock(timedelta(days=1), datetime(2020, 1, 1, 9, tzinfo=zone))
    assert first(clock, 1) == [datetime(2020, 1, 2, 9, tzinfo=zone)]


def test_interval_clock_event_time_zero_is_the_anchor():
    clock = IntervalClock(timedelta(days=1), ny(2018, 11, 4, 1, 30))
    assert clock.event_time(0) is clock.start_date


# IntervalClock: daylight saving time (§2.1, §8) ------------------------------------------


def test_hourly_interval_runs_every_real_hour_across_spring_forward():
    times = first(IntervalClock(timedelta(hours=1), ny(2018, 3, 10, 23)), 4)
    assert local(times) == [
        "03-11 00:00 EST",
        "03-11 01:00 EST",
        "03-11 03:00 EDT",
        "03-11 04:00 EDT",
    ]


def test_hourly_interval_runs_both_one_oclocks_at_fall_back():
    times = first(IntervalClock(timedelta(hours=1), ny(2018, 11, 3, 23)), 4)
    assert local(times) == [
        "11-04 00:00 EDT",
        "11-04 01:00 EDT",
        "11-04 01:00 EST",
        "11-04 02:00 EST",
    ]
    assert utc_hours(times) == [4, 5, 6, 7]


def test_hourly_interval_stays_on_the_utc_hour_a_day_after_fall_back():
    times = first(IntervalClock(timedelta(hours=1), ny(2018, 11, 3, 23)), 26)
    assert [f"{time.astimezone(UTC):%d %H}" for time in times[-7:]] == [
        "04 23", "05 00", "05 01", "05 02", "05 03", "05 04", "05 05",
    ]  # fmt: skip


def test_hourly_interval_anchored_a_day_earlier_has_no_repeated_hour_at_spring_forward():
    clock = IntervalClock(timedelta(hours=1), ny(2018, 3, 10, 1))
    assert utc_hours(first(clock, 4, after=ny(2018, 3, 11, 0, 30))) == [6, 7, 8, 9]


def test_daily_interval_keeps_local_time_across_spring_forward():
    times = first(IntervalClock(timedelta(days=1), ny(2018, 3, 8, 9)), 4)
    assert local(times) == [
        "03-09 09:00 EST",
        "03-10 09:00 EST",
        "03-11 09:00 EDT",
        "03-12 09:00 EDT",
    ]
    assert utc_hours(times) == [14, 14, 13, 13]


def test_daily_interval_keeps_local_time_across_fall_back():
    times = first(IntervalClock(timedelta(days=1), ny(2018, 11, 1, 9)), 4)
    assert [f"{time:%m-%d %H:%M}" for time in times] == [
        "11-02 09:00", "11-03 09:00", "11-04 09:00", "11-05 09:00",
    ]  # fmt: skip
    assert utc_hours(times) == [13, 13, 14, 14]


def test_daily_interval_at_a_repeated_wall_time_takes_the_later_occurrence():
    times = first(IntervalClock(timedelta(days=1), ny(2018, 11, 3, 1, 30)), 2)
    assert local(times) == ["11-04 01:30 EST", "11-05 01:30 EST"]
    assert times[0].astimezone(UTC) == datetime(2018, 11, 4, 6, 30, tzinfo=UTC)


def test_daily_interval_at_a_missing_wall_time_is_pushed_forward_by_the_gap():
    times = first(IntervalClock(timedelta(days=1), ny(2018, 3, 10, 2, 30)), 2)
    assert local(times) == ["03-11 03:30 EDT", "03-12 02:30 EDT"]
    assert times[0].astimezone(UTC) == datetime(2018, 3, 11, 7, 30, tzinfo=UTC)


def test_thirty_hour_interval_counts_its_remainder_in_real_time():
    times = first(IntervalClock(timedelta(hours=30), ny(2018, 11, 2, 22)), 4)
    assert local(times) == [
        "11-04 03:00 EST", "11-05 10:00 EST", "11-06 16:00 EST", "11-07 22:00 EST",
    ]  # fmt: skip
    assert times[0].astimezone(UTC) - ny(2018, 11, 2, 22).astimezone(UTC) == timedelta(hours=30)


def test_daily_interval_after_an_event_across_spring_forward_starts_strictly_after_it():
    clock = IntervalClock(timedelta(days=1), ny(2018, 3, 8, 9))
    assert first(clock, 2, after=ny(2018, 3, 12, 9)) == [ny(2018, 3, 13, 9), ny(2018, 3, 14, 9)]


def test_daily_interval_after_fall_back_does_not_skip_the_next_event():
    clock = IntervalClock(timedelta(days=1), ny(2018, 11, 1, 9))
    assert first(clock, 2, after=ny(2018, 11, 5, 8, 30)) == [ny(2018, 11, 5, 9), ny(2018, 11, 6, 9)]


def test_weekly_interval_keeps_local_time_in_london():
    start = datetime(2018, 10, 21, 9, tzinfo=LONDON)
    times = first(IntervalClock(timedelta(weeks=1), start), 2)
    assert [f"{time:%m-%d %H:%M %Z}" for time in times] == ["10-28 09:00 GMT", "11-04 09:00 GMT"]


def test_hourly_interval_in_london_runs_every_real_hour_at_fall_back():
    clock = IntervalClock(timedelta(hours=1), datetime(2018, 10, 28, 0, tzinfo=LONDON))
    times = first(clock, 3)
    assert [f"{time:%H:%M %Z}" for time in times] == ["01:00 BST", "01:00 GMT", "02:00 GMT"]


# DatesClock ------------------------------------------------------------------------------


def test_dates_clock_fires_on_each_future_date_then_stops():
    dates = [datetime(2031, 1, 1, tzinfo=UTC), datetime(2030, 1, 1, tzinfo=UTC)]
    assert first(DatesClock(dates), 5, after=datetime(2020, 1, 1)) == sorted(dates)


def test_dates_clock_start_and_end_dates_are_the_earliest_and_latest_dates():
    clock = DatesClock([datetime(2030, 6, 1), datetime(2030, 1, 1), datetime(2031, 1, 1)])
    assert (clock.start_date.year, clock.end_date.year) == (2030, 2031)


def test_dates_clock_yields_only_dates_strictly_after_after():
    clock = DatesClock([datetime(2020, 1, 1), datetime(2020, 1, 2)])
    assert first(clock, 5, after=datetime(2020, 1, 1)) == [datetime(2020, 1, 2, tzinfo=UTC)]


def test_dates_clock_defaults_after_to_now():
    clock = DatesClock([datetime(2000, 1, 1), datetime(2999, 1, 1)])
    assert [event.start_time.year for event in clock.events()] == [2999]


def test_dates_clock_takes_naive_dates_as_utc():
    assert DatesClock([datetime(2030, 1, 1)]).dates == [datetime(2030, 1, 1, tzinfo=UTC)]


def test_dates_clock_keeps_each_dates_zone():
    clock = DatesClock([ny(2030, 1, 1, 9)])
    assert first(clock, 1, after=datetime(2020, 1, 1))[0].tzinfo is NEW_YORK


def test_dates_clock_yields_duplicate_dates_as_given():
    clock = DatesClock([datetime(2030, 1, 1), datetime(2030, 1, 1)])
    assert len(first(clock, 5, after=datetime(2020, 1, 1))) == 2


def test_dates_clock_without_dates_is_a_value_error():
    with pytest.raises(ValueError, match="at least one date"):
        DatesClock([])


# RRuleClock ------------------------------------------------------------------------------


def test_rrule_clock_requires_an_rrule():
    with pytest.raises(TypeError, match="rrule_obj must be an rrule or rruleset"):
        RRuleClock("FREQ=DAILY")


def test_rrule_clock_yields_occurrences_strictly_after_after():
    rule = rrule.rrule(rrule.DAILY, dtstart=datetime(2020, 1, 1, 9))
    clock = RRuleClock(rule)
    assert first(clock, 2, after=datetime(2020, 1, 2, 9)) == [
        datetime(2020, 1, 3, 9, tzinfo=UTC),
        datetime(2020, 1, 4, 9, tzinfo=UTC),
    ]


def test_rrule_clock_before_start_date_includes_the_start_date():
    rule = rrule.rrule(rrule.DAILY, dtstart=datetime(2020, 1, 1, 9))
    clock = RRuleClock(rule, start_date=datetime(2020, 1, 5, 9))
    assert first(clock, 1, after=datetime(2019, 1, 1)) == [datetime(2020, 1, 5, 9, tzinfo=UTC)]


def test_rrule_clock_stops_after_end_date():
    rule = rrule.rrule(rrule.DAILY, dtstart=datetime(2020, 1, 1))
    clock = RRuleClock(rule, end_date=datetime(2020, 1, 3))
    assert len(list(clock.events(after=datetime(2019, 1, 1)))) == 3


def test_rrule_clock_respects_the_rules_count():
    rule = rrule.rrule(rrule.WEEKLY, dtstart=datetime(2020, 1, 1), count=2)
    assert len(list(RRuleClock(rule).events(after=datetime(2019, 1, 1)))) == 2


def test_rrule_clock_with_an_aware_rule_keeps_its_zone():
    rule = rrule.rrule(rrule.DAILY, dtstart=ny(2018, 3, 10, 9))
    times = first(RRuleClock(rule), 2, after=datetime(2018, 3, 10, 15, tzinfo=UTC))
    assert local(times) == ["03-11 09:00 EDT", "03-12 09:00 EDT"]


def test_rrule_clock_without_after_starts_from_now():
    rule = rrule.rrule(rrule.YEARLY, dtstart=datetime(2000, 1, 1))
    assert next(RRuleClock(rule).events()).start_time > datetime.now(UTC)


def test_rrule_clock_accepts_an_rruleset():
    rules = rrule.rruleset()
    rules.rdate(datetime(2030, 1, 1))
    rules.rdate(datetime(2030, 2, 1))
    assert len(list(RRuleClock(rules).events(after=datetime(2020, 1, 1)))) == 2
