"""Schedule filters: predicates that keep or drop a candidate start time.

A filter is any `fn(datetime) -> bool`. The candidate is judged in its own time zone
(the zone of the clock that produced it): `at_time(time(9))` means 09:00 on the candidate's
wall clock. Factories (`on_date(12, 25)`, `between_times(...)`, ...) return a filter;
`is_weekday`, `is_weekend`, `is_month_start` and `is_month_end` are filters themselves.

The closure a factory returns refers to exactly the factory's parameters, so a filter can
be serialized as the factory's name plus its arguments and rebuilt from them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from prefect_core.schedules.clocks import as_utc, ensure_aware

__all__ = [
    "at_time",
    "between_dates",
    "between_datetimes",
    "between_times",
    "is_day_of_week",
    "is_month_end",
    "is_month_start",
    "is_weekday",
    "is_weekend",
    "on_date",
    "on_datetime",
]

Filter = Callable[[datetime], bool]


def _check_month_day(month: int, day: int) -> None:
    try:
        date(2000, month, day)  # a leap year, so February 29 is accepted
    except (TypeError, ValueError):
        raise ValueError(f"Not a valid (month, day): ({month!r}, {day!r}).") from None


def _wall_time(t: time, name: str) -> time:
    if not isinstance(t, time):
        raise TypeError(f"{name} must be a datetime.time, got {type(t).__name__}: {t!r}")
    return t.replace(tzinfo=None)


def on_datetime(dt: datetime) -> Filter:
    """Keep only the candidate at the instant `dt` (naive means UTC)."""
    dt = ensure_aware(dt, "dt")

    def _filter_fn(candidate: datetime) -> bool:
        return as_utc(ensure_aware(candidate)) == as_utc(dt)

    return _filter_fn


def between_datetimes(start: datetime, end: datetime) -> Filter:
    """Keep candidates from `start` to `end`, both included (naive means UTC)."""
    start = ensure_aware(start, "start")
    end = ensure_aware(end, "end")
    if as_utc(end) < as_utc(start):
        raise ValueError(
            f"between_datetimes: end ({end.isoformat()}) is before start ({start.isoformat()})."
        )

    def _filter_fn(candidate: datetime) -> bool:
        return as_utc(start) <= as_utc(ensure_aware(candidate)) <= as_utc(end)

    return _filter_fn


def on_date(month: int, day: int) -> Filter:
    """Keep candidates on the given month and day, in any year."""
    _check_month_day(month, day)

    def _filter_fn(candidate: datetime) -> bool:
        return (candidate.month, candidate.day) == (month, day)

    return _filter_fn


def between_dates(start_month: int, start_day: int, end_month: int, end_day: int) -> Filter:
    """Keep candidates whose (month, day) lies in the inclusive range, in any year.

    A range whose start comes after its end wraps the year end: `between_dates(10, 15, 3,
    31)` keeps October 15 through March 31.
    """
    _check_month_day(start_month, start_day)
    _check_month_day(end_month, end_day)

    def _filter_fn(candidate: datetime) -> bool:
        month_day = (candidate.month, candidate.day)
        if (start_month, start_day) <= (end_month, end_day):
            return (start_month, start_day) <= month_day <= (end_month, end_day)
        return month_day >= (start_month, start_day) or month_day <= (end_month, end_day)

    return _filter_fn


def at_time(t: time) -> Filter:
    """Keep candidates whose wall-clock time is exactly `t` (its tzinfo is ignored)."""
    t = _wall_time(t, "t")

    def _filter_fn(candidate: datetime) -> bool:
        return candidate.time() == t

    return _filter_fn


def between_times(start: time, end: time) -> Filter:
    """Keep candidates whose wall-clock time is from `start` to `end`, both included.

    When `start` is later than `end` the window wraps midnight: `between_times(time(22),
    time(2))` keeps 22:00 through 02:00.
    """
    start = _wall_time(start, "start")
    end = _wall_time(end, "end")

    def _filter_fn(candidate: datetime) -> bool:
        wall = candidate.time()
        if start <= end:
            return start <= wall <= end
        return wall >= start or wall <= end

    return _filter_fn


def is_weekday(dt: datetime) -> bool:
    """True from Monday to Friday."""
    return dt.weekday() < 5


def is_weekend(dt: datetime) -> bool:
    """True on Saturday and Sunday."""
    return dt.weekday() >= 5


def is_month_start(dt: datetime) -> bool:
    """True on the first day of a month."""
    return dt.day == 1


def is_month_end(dt: datetime) -> bool:
    """True on the last day of a month."""
    return (dt.date() + timedelta(days=1)).month != dt.month


def is_day_of_week(day_of_week: int) -> Filter:
    """Keep candidates on one day of the week: 0 = Monday ... 6 = Sunday (`datetime.weekday`).

    1.4.1's docstring says 0 = Sunday, but its code, like this one, uses Monday = 0.
    """
    if not isinstance(day_of_week, int) or not 0 <= day_of_week <= 6:
        raise ValueError(f"day_of_week must be an int from 0 (Monday) to 6, got {day_of_week!r}.")

    def _filter_fn(candidate: datetime) -> bool:
        return candidate.weekday() == day_of_week

    return _filter_fn
