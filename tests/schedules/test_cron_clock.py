"""CronClock (schedules.md §2.2, §8): arguments, matching, and daylight saving time."""

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from prefect_core.schedules import clocks
from prefect_core.schedules.clocks import CronClock
from tests.schedules.clock_helpers import (
    LONDON,
    SANTIAGO,
    SYDNEY,
    first,
    local,
    ny,
    utc_hours,
)

# CronClock: arguments --------------------------------------------------------------------


def test_invalid_cron_string_error_quotes_it_and_says_why():
    with pytest.raises(ValueError, match=r"Invalid cron string: '61 \* \* \* \*' \(.*out of range"):
        CronClock("61 * * * *")


def test_cron_string_with_too_few_fields_is_a_value_error():
    with pytest.raises(ValueError, match=r"Invalid cron string: '\* \* \*' \(.*columns"):
        CronClock("* * *")


def test_non_string_cron_is_a_value_error():
    with pytest.raises(ValueError, match="Invalid cron string: 5 .*expected a str"):
        CronClock(5)


def test_cron_day_or_defaults_to_true():
    assert CronClock("0 0 * * *").day_or is True


# CronClock: plain behaviour --------------------------------------------------------------


def test_cron_clock_without_start_date_runs_in_utc():
    clock = CronClock("0 12 * * *")
    assert first(clock, 1, after=datetime(2020, 1, 1)) == [datetime(2020, 1, 1, 12, tzinfo=UTC)]


def test_cron_clock_includes_a_start_date_that_matches():
    clock = CronClock("0 * * * *", start_date=datetime(2020, 1, 1))
    assert first(clock, 2, after=datetime(2019, 1, 1)) == [
        datetime(2020, 1, 1, 0, tzinfo=UTC),
        datetime(2020, 1, 1, 1, tzinfo=UTC),
    ]


def test_cron_clock_events_are_strictly_after_after():
    clock = CronClock("0 * * * *")
    assert first(clock, 1, after=datetime(2020, 1, 1, 1)) == [datetime(2020, 1, 1, 2, tzinfo=UTC)]


def test_cron_clock_start_date_with_microseconds_skips_the_earlier_whole_second():
    clock = CronClock("0 0 * * *", start_date=datetime(2020, 1, 1, 0, 0, 0, 1))
    assert first(clock, 1, after=datetime(2019, 1, 1)) == [datetime(2020, 1, 2, tzinfo=UTC)]


def test_cron_clock_after_a_fraction_of_a_second_before_an_event_still_emits_it():
    clock = CronClock("0 * * * *")
    after = datetime(2020, 1, 1, 11, 59, 59, 500000)
    assert first(clock, 1, after=after) == [datetime(2020, 1, 1, 12, tzinfo=UTC)]


def test_cron_clock_stops_after_its_end_date_including_an_event_on_it():
    clock = CronClock("0 * * * *", datetime(2020, 1, 1), datetime(2020, 1, 1, 3))
    assert len(list(clock.events(after=datetime(2019, 1, 1)))) == 4


def test_cron_day_or_true_matches_day_of_month_or_day_of_week():
    clock = CronClock("0 0 1 * 1", start_date=datetime(2020, 6, 1))  # a Monday
    assert [f"{time:%m-%d %a}" for time in first(clock, 6, after=datetime(2020, 5, 31))] == [
        "06-01 Mon", "06-08 Mon", "06-15 Mon", "06-22 Mon", "06-29 Mon", "07-01 Wed",
    ]  # fmt: skip


def test_cron_day_or_false_matches_day_of_month_and_day_of_week():
    second_friday = CronClock("0 9 8-14 * 5", start_date=datetime(2020, 1, 1), day_or=False)
    assert [time.date().isoformat() for time in first(second_friday, 3)] == [
        "2020-01-10", "2020-02-14", "2020-03-13",
    ]  # fmt: skip


def test_cron_clock_emits_times_in_the_start_dates_zone():
    clock = CronClock("0 9 * * *", start_date=ny(2020, 1, 1))
    assert first(clock, 1) == [ny(2020, 1, 1, 9)]


def test_cron_clock_events_call_is_capped_at_1000_events():
    clock = CronClock("* * * * *", start_date=datetime(2020, 1, 1))
    assert len(list(clock.events(after=datetime(2020, 1, 1)))) == clocks.MAX_CRON_EVENTS == 1000


def test_cron_expression_no_date_satisfies_yields_nothing():
    clock = CronClock("0 0 30 2 *", start_date=datetime(2020, 1, 1))
    assert list(clock.events(after=datetime(2020, 1, 1))) == []


def test_cron_clock_supports_a_seconds_field():
    clock = CronClock("* * * * * 30", start_date=datetime(2020, 1, 1))
    assert first(clock, 1) == [datetime(2020, 1, 1, 0, 0, 30, tzinfo=UTC)]


# CronClock: daylight saving time (§2.2, §8) ----------------------------------------------


def test_hourly_cron_runs_every_real_hour_across_spring_forward():
    times = first(CronClock("0 * * * *", ny(2018, 3, 10, 23)), 4)
    assert local(times) == [
        "03-11 00:00 EST",
        "03-11 01:00 EST",
        "03-11 03:00 EDT",
        "03-11 04:00 EDT",
    ]


def test_hourly_cron_runs_both_one_oclocks_at_fall_back():
    times = first(CronClock("0 * * * *", ny(2018, 11, 3, 23)), 4)
    assert local(times) == [
        "11-04 00:00 EDT",
        "11-04 01:00 EDT",
        "11-04 01:00 EST",
        "11-04 02:00 EST",
    ]
    assert utc_hours(times) == [4, 5, 6, 7]


def test_daily_cron_keeps_local_time_across_spring_forward():
    times = first(CronClock("0 9 * * *", ny(2018, 3, 8, 9)), 4)
    assert utc_hours(times) == [14, 14, 13, 13]
    assert {time.hour for time in times} == {9}


def test_daily_cron_keeps_local_time_across_fall_back():
    times = first(CronClock("0 9 * * *", ny(2018, 11, 1, 9)), 4)
    assert utc_hours(times) == [13, 13, 14, 14]
    assert {time.hour for time in times} == {9}


def test_weekly_cron_at_a_missing_midnight_in_santiago_is_pushed_forward():
    start = datetime(2022, 8, 21, 10, tzinfo=SANTIAGO)
    times = first(CronClock("0 0 * * 0", start), 4)
    assert [f"{time:%m-%d %H:%M %z}" for time in times] == [
        "08-28 00:00 -0400", "09-04 00:00 -0400", "09-11 01:00 -0300", "09-18 00:00 -0300",
    ]  # fmt: skip


def test_fixed_time_cron_at_a_repeated_time_fires_once_at_the_first_occurrence():
    times = first(CronClock("30 1 * * *", ny(2018, 11, 3, 1, 30)), 3)
    assert local(times) == ["11-04 01:30 EDT", "11-05 01:30 EST", "11-06 01:30 EST"]
    assert times[0].astimezone(UTC) == datetime(2018, 11, 4, 5, 30, tzinfo=UTC)


def test_cron_with_listed_hours_fires_once_in_the_repeated_hour():
    times = first(CronClock("0 1,2 * * *", ny(2018, 11, 4)), 3)
    assert local(times) == ["11-04 01:00 EDT", "11-04 02:00 EST", "11-05 01:00 EST"]
    assert utc_hours(times) == [5, 7, 6]


def test_every_twenty_minutes_cron_runs_through_both_copies_of_the_repeated_hour():
    times = first(CronClock("*/20 * * * *", ny(2018, 11, 4, 0, 30)), 7)
    assert local(times) == [
        "11-04 00:40 EDT", "11-04 01:00 EDT", "11-04 01:20 EDT", "11-04 01:40 EDT",
        "11-04 01:00 EST", "11-04 01:20 EST", "11-04 01:40 EST",
    ]  # fmt: skip
    gaps = {b.astimezone(UTC) - a.astimezone(UTC) for a, b in itertools.pairwise(times)}
    assert gaps == {timedelta(minutes=20)}


def test_cron_in_the_missing_hour_is_pushed_forward_by_the_gap():
    times = first(CronClock("45 2 * * *", ny(2018, 3, 10, 12)), 3)
    assert local(times) == ["03-11 03:45 EDT", "03-12 02:45 EDT", "03-13 02:45 EDT"]


def test_cron_at_the_start_of_the_missing_hour_fires_when_it_ends():
    times = first(CronClock("0 2 * * *", ny(2018, 3, 10, 12)), 2)
    assert local(times) == ["03-11 03:00 EDT", "03-12 02:00 EDT"]


def test_two_cron_times_in_the_missing_hour_both_fire_pushed_forward():
    times = first(CronClock("10,50 2 * * *", ny(2018, 3, 10, 12)), 3)
    assert local(times) == ["03-11 03:10 EDT", "03-11 03:50 EDT", "03-12 02:10 EDT"]


def test_pushed_forward_cron_time_that_is_also_matched_fires_once():
    times = first(CronClock("15 1-4 * * *", ny(2018, 3, 11)), 4)
    assert local(times) == [
        "03-11 01:15 EST",
        "03-11 03:15 EDT",
        "03-11 04:15 EDT",
        "03-12 01:15 EDT",
    ]


def test_quarter_past_cron_skips_nothing_at_spring_forward():
    times = first(CronClock("15 * * * *", ny(2018, 3, 11)), 3)
    assert local(times) == ["03-11 00:15 EST", "03-11 01:15 EST", "03-11 03:15 EDT"]


def test_hourly_cron_in_sydney_runs_both_two_oclocks_at_fall_back():
    times = first(CronClock("0 * * * *", datetime(2018, 4, 1, tzinfo=SYDNEY)), 4)
    assert [f"{time:%H:%M %Z}" for time in times] == [
        "01:00 AEDT",
        "02:00 AEDT",
        "02:00 AEST",
        "03:00 AEST",
    ]
    assert utc_hours(times) == [14, 15, 16, 17]


def test_fixed_time_cron_in_london_fires_once_at_the_first_occurrence():
    times = first(CronClock("30 1 * * *", datetime(2018, 10, 27, 12, tzinfo=LONDON)), 2)
    assert [f"{time:%m-%d %H:%M %Z}" for time in times] == ["10-28 01:30 BST", "10-29 01:30 GMT"]
    assert times[0].astimezone(UTC) == datetime(2018, 10, 28, 0, 30, tzinfo=UTC)


def test_cron_in_london_missing_hour_is_pushed_forward():
    times = first(CronClock("30 1 * * *", datetime(2018, 3, 24, 12, tzinfo=LONDON)), 2)
    assert [f"{time:%m-%d %H:%M %Z}" for time in times] == ["03-25 02:30 BST", "03-26 01:30 BST"]


def test_cron_after_inside_the_repeated_hour_resumes_in_the_second_copy():
    after = ny(2018, 11, 4, 1, 30).replace(fold=1)  # 06:30 UTC
    times = first(CronClock("0 * * * *", ny(2018, 11, 1)), 1, after=after)
    assert local(times) == ["11-04 02:00 EST"]
