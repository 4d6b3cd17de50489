"""Schedule filters (schedules.md §4)."""

import inspect
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from prefect_core.schedules import filters

NEW_YORK = ZoneInfo("America/New_York")


def test_on_datetime_passes_the_same_instant_in_another_zone():
    keep = filters.on_datetime(datetime(2020, 1, 1, 14, tzinfo=UTC))
    assert keep(datetime(2020, 1, 1, 9, tzinfo=NEW_YORK))


def test_on_datetime_rejects_another_instant():
    assert not filters.on_datetime(datetime(2020, 1, 1))(datetime(2020, 1, 1, 0, 1, tzinfo=UTC))


def test_on_datetime_takes_a_naive_argument_as_utc():
    assert filters.on_datetime(datetime(2020, 1, 1))(datetime(2020, 1, 1, tzinfo=UTC))


def test_on_datetime_tells_the_two_copies_of_a_repeated_hour_apart():
    second_one_am = datetime(2018, 11, 4, 1, tzinfo=NEW_YORK).replace(fold=1)
    assert not filters.on_datetime(second_one_am)(datetime(2018, 11, 4, 1, tzinfo=NEW_YORK))


def test_on_date_passes_the_month_and_day_in_any_year():
    assert filters.on_date(12, 25)(datetime(1999, 12, 25, 18, tzinfo=UTC))


def test_on_date_rejects_another_day():
    assert not filters.on_date(12, 25)(datetime(1999, 12, 26, tzinfo=UTC))


def test_on_date_rejects_an_impossible_date():
    with pytest.raises(ValueError, match=r"Not a valid \(month, day\): \(2, 30\)"):
        filters.on_date(2, 30)


def test_on_date_accepts_february_29():
    assert filters.on_date(2, 29)(datetime(2024, 2, 29, tzinfo=UTC))


def test_at_time_compares_the_wall_clock_time():
    assert filters.at_time(time(9))(datetime(2020, 7, 1, 9, tzinfo=NEW_YORK))


def test_at_time_rejects_another_time():
    assert not filters.at_time(time(9))(datetime(2020, 7, 1, 9, 1, tzinfo=UTC))


def test_at_time_ignores_the_tzinfo_of_its_argument():
    assert filters.at_time(time(9, tzinfo=UTC))(datetime(2020, 7, 1, 9, tzinfo=NEW_YORK))


def test_at_time_requires_a_time():
    with pytest.raises(TypeError, match="t must be a datetime.time"):
        filters.at_time(datetime(2020, 1, 1, 9))


def test_between_datetimes_includes_both_ends():
    keep = filters.between_datetimes(datetime(2020, 1, 1), datetime(2020, 1, 2))
    assert keep(datetime(2020, 1, 1, tzinfo=UTC)) and keep(datetime(2020, 1, 2, tzinfo=UTC))


def test_between_datetimes_rejects_times_outside():
    keep = filters.between_datetimes(datetime(2020, 1, 1), datetime(2020, 1, 2))
    assert not keep(datetime(2020, 1, 2, 0, 0, 1, tzinfo=UTC))


def test_between_datetimes_compares_instants_across_zones():
    keep = filters.between_datetimes(datetime(2020, 1, 1, 12), datetime(2020, 1, 1, 13))
    assert keep(datetime(2020, 1, 1, 7, 30, tzinfo=NEW_YORK))


def test_between_datetimes_with_end_before_start_is_a_value_error_naming_both():
    with pytest.raises(ValueError, match="end .*2020-01-01.* is before start .*2020-01-02"):
        filters.between_datetimes(datetime(2020, 1, 2), datetime(2020, 1, 1))


def test_between_times_includes_both_ends():
    keep = filters.between_times(time(9), time(17))
    assert keep(datetime(2020, 1, 1, 9, tzinfo=UTC)) and keep(datetime(2020, 1, 1, 17, tzinfo=UTC))


def test_between_times_rejects_times_outside():
    assert not filters.between_times(time(9), time(17))(datetime(2020, 1, 1, 8, tzinfo=UTC))


def test_between_times_wraps_midnight_when_start_is_after_end():
    keep = filters.between_times(time(22), time(2))
    assert [keep(datetime(2020, 1, 1, hour, tzinfo=UTC)) for hour in (21, 23, 1, 3)] == [
        False,
        True,
        True,
        False,
    ]


def test_between_times_uses_the_candidates_wall_clock():
    assert filters.between_times(time(9), time(10))(datetime(2020, 1, 1, 9, 30, tzinfo=NEW_YORK))


def test_between_dates_includes_both_ends():
    keep = filters.between_dates(3, 1, 3, 31)
    assert keep(datetime(2020, 3, 1, tzinfo=UTC)) and keep(datetime(2020, 3, 31, tzinfo=UTC))


def test_between_dates_rejects_dates_outside():
    assert not filters.between_dates(3, 1, 3, 31)(datetime(2020, 4, 1, tzinfo=UTC))


def test_between_dates_wraps_the_year_end_when_start_month_is_after_end_month():
    keep = filters.between_dates(10, 15, 3, 31)
    checks = [(10, 14), (10, 15), (12, 31), (1, 1), (3, 31), (4, 1)]
    assert [keep(datetime(2021, m, d, tzinfo=UTC)) for m, d in checks] == [
        False,
        True,
        True,
        True,
        True,
        False,
    ]


def test_between_dates_within_one_month_with_start_day_after_end_day_wraps_the_year():
    keep = filters.between_dates(3, 20, 3, 10)
    checks = [(3, 5), (3, 15), (3, 25), (7, 1)]
    assert [keep(datetime(2021, m, d, tzinfo=UTC)) for m, d in checks] == [True, False, True, True]


def test_between_dates_rejects_an_invalid_month():
    with pytest.raises(ValueError, match=r"Not a valid \(month, day\): \(13, 1\)"):
        filters.between_dates(13, 1, 1, 1)


def test_is_weekday_passes_monday_to_friday_only():
    week = [datetime(2020, 6, day, tzinfo=UTC) for day in range(1, 8)]  # Monday ... Sunday
    assert [filters.is_weekday(day) for day in week] == [True] * 5 + [False] * 2


def test_is_weekend_passes_saturday_and_sunday_only():
    week = [datetime(2020, 6, day, tzinfo=UTC) for day in range(1, 8)]
    assert [filters.is_weekend(day) for day in week] == [False] * 5 + [True] * 2


def test_is_weekday_judges_the_candidates_local_date():
    friday_evening_in_new_york = datetime(2020, 6, 5, 22, tzinfo=NEW_YORK)  # Saturday in UTC
    assert filters.is_weekday(friday_evening_in_new_york)


def test_is_month_start_passes_the_first_day_only():
    assert [filters.is_month_start(datetime(2020, 3, d, tzinfo=UTC)) for d in (1, 2)] == [
        True,
        False,
    ]


def test_is_month_end_passes_the_last_day_of_february_in_a_leap_year():
    days = [datetime(2020, 2, d, tzinfo=UTC) for d in (28, 29)]
    assert [filters.is_month_end(day) for day in days] == [False, True]


def test_is_month_end_passes_december_31():
    assert filters.is_month_end(datetime(2020, 12, 31, 23, tzinfo=UTC))


def test_is_day_of_week_counts_from_monday_zero():
    keep_monday = filters.is_day_of_week(0)
    assert keep_monday(datetime(2020, 6, 1, tzinfo=UTC))  # a Monday


def test_is_day_of_week_rejects_other_days():
    assert not filters.is_day_of_week(6)(datetime(2020, 6, 1, tzinfo=UTC))


def test_is_day_of_week_rejects_an_out_of_range_day():
    with pytest.raises(ValueError, match="day_of_week must be an int from 0"):
        filters.is_day_of_week(7)


@pytest.mark.parametrize(
    ("factory", "arguments"),
    [
        (filters.on_datetime, {"dt": datetime(2020, 1, 1, tzinfo=UTC)}),
        (filters.on_date, {"month": 1, "day": 2}),
        (filters.at_time, {"t": time(9)}),
        (filters.between_datetimes, {"start": datetime(2020, 1, 1), "end": datetime(2020, 2, 1)}),
        (filters.between_times, {"start": time(1), "end": time(5)}),
        (filters.between_dates, {"start_month": 1, "start_day": 2, "end_month": 3, "end_day": 4}),
        (filters.is_day_of_week, {"day_of_week": 3}),
    ],
)
def test_filter_closures_capture_exactly_the_factory_arguments(factory, arguments):
    captured = inspect.getclosurevars(factory(**arguments)).nonlocals
    assert set(captured) == set(arguments)
