"""Zones and small helpers shared by the clock tests."""

import itertools
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from prefect_core.schedules.clocks import Clock

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
SYDNEY = ZoneInfo("Australia/Sydney")
SANTIAGO = ZoneInfo("America/Santiago")


def ny(*args: int) -> datetime:
    return datetime(*args, tzinfo=NEW_YORK)


def first(clock: Clock, n: int, after: datetime | None = None) -> list[datetime]:
    """The start times of the first `n` events after `after` (default: the clock's start)."""
    after = clock.start_date if after is None else after
    return [event.start_time for event in itertools.islice(clock.events(after=after), n)]


def utc_hours(times: list[datetime]) -> list[int]:
    return [time.astimezone(UTC).hour for time in times]


def local(times: list[datetime]) -> list[str]:
    return [f"{time:%m-%d %H:%M %Z}" for time in times]
