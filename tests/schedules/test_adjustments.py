"""Schedule adjustments (schedules.md §5)."""

import inspect
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from prefect_core.schedules import adjustments

NEW_YORK = ZoneInfo("America/New_York")


def test_add_adds_the_interval():
    shift = adjustments.add(timedelta(hours=2))
    assert shift(datetime(2020, 1, 1, tzinfo=UTC)) == datetime(2020, 1, 1, 2, tzinfo=UTC)


def test_add_counts_absolute_time_across_spring_forward():
    shift = adjustments.add(timedelta(hours=1))
    moved = shift(datetime(2018, 3, 11, 1, 30, tzinfo=NEW_YORK))
    assert f"{moved:%H:%M %Z}" == "03:30 EDT"


def test_add_keeps_the_zone_of_its_input():
    shift = adjustments.add(timedelta(days=1))
    assert shift(datetime(2020, 1, 1, tzinfo=NEW_YORK)).tzinfo is NEW_YORK


def test_add_accepts_a_negative_interval():
    shift = adjustments.add(timedelta(minutes=-5))
    assert shift(datetime(2020, 1, 1, tzinfo=UTC)) == datetime(2019, 12, 31, 23, 55, tzinfo=UTC)


def test_add_requires_a_timedelta():
    with pytest.raises(TypeError, match="interval must be a timedelta"):
        adjustments.add(5)


def test_add_closure_captures_exactly_interval():
    captured = inspect.getclosurevars(adjustments.add(timedelta(hours=1))).nonlocals
    assert set(captured) == {"interval"}


def test_next_weekday_leaves_a_weekday_unchanged():
    friday = datetime(2020, 6, 5, 9, tzinfo=UTC)
    assert adjustments.next_weekday(friday) == friday


def test_next_weekday_moves_saturday_to_monday():
    saturday = datetime(2020, 6, 6, 9, tzinfo=UTC)
    assert adjustments.next_weekday(saturday) == datetime(2020, 6, 8, 9, tzinfo=UTC)


def test_next_weekday_moves_sunday_to_monday():
    sunday = datetime(2020, 6, 7, 9, tzinfo=UTC)
    assert adjustments.next_weekday(sunday) == datetime(2020, 6, 8, 9, tzinfo=UTC)


def test_next_weekday_keeps_the_wall_clock_time_across_a_dst_change():
    saturday = datetime(2018, 3, 10, 9, tzinfo=NEW_YORK)  # EST; Monday is EDT
    assert f"{adjustments.next_weekday(saturday):%a %H:%M %Z}" == "Mon 09:00 EDT"
