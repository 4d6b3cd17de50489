"""Schedule adjustments: functions that move a kept start time, `fn(datetime) -> datetime`.

A `Schedule` applies its adjustments in order to every event that passed its filters.
`add(...)` is a factory whose closure refers to exactly its parameter, so it can be
serialized as the factory's name plus its argument.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from prefect_core.schedules.clocks import as_utc, ensure_aware

__all__ = ["add", "next_weekday"]

Adjustment = Callable[[datetime], datetime]


def add(interval: timedelta) -> Adjustment:
    """Return an adjustment that adds `interval` of absolute (elapsed) time.

    The result keeps the input's time zone; across a DST change its wall-clock time moves
    by more or less than `interval`.
    """
    if not isinstance(interval, timedelta):
        raise TypeError(f"interval must be a timedelta, got {type(interval).__name__}.")

    def _adjustment_fn(dt: datetime) -> datetime:
        dt = ensure_aware(dt, "dt")
        return (as_utc(dt) + interval).astimezone(dt.tzinfo)

    return _adjustment_fn


def next_weekday(dt: datetime) -> datetime:
    """Return `dt` on a weekday, else moved forward by whole wall-clock days to Monday.

    The time of day is kept (a wall time that does not exist on that Monday is pushed
    forward by the DST gap).
    """
    dt = ensure_aware(dt, "dt")
    if dt.weekday() < 5:
        return dt
    monday = dt + timedelta(days=7 - dt.weekday())
    return as_utc(monday).astimezone(dt.tzinfo)
