"""`Schedule`: clocks merged in time order, then filtered and adjusted.

`Schedule.next(n)` is a pull pipeline over the clocks' lazy event streams:

1. merge the streams by instant and drop an event equal to the one just before it
   (compared on the clocks' own, unadjusted times);
2. keep an event when all `filters` pass, at least one `or_filter` passes (if any are
   given) and no `not_filter` passes; filters see the unadjusted time;
3. apply the `adjustments` in order to each kept event's start time;
4. stop at `n` kept events, when the clocks run dry, or after `CANDIDATE_LIMIT` candidates
   (filters no date can satisfy return what was found, with a warning).

The cost is proportional to the number of candidates examined, never to the time elapsed
since a clock's anchor. `next_scheduled_event` and `seconds_until` are the pure pieces a
loop running a flow on a schedule needs.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from prefect_core.schedules.clocks import (
    Clock,
    ClockEvent,
    CronClock,
    IntervalClock,
    RRuleClock,
    as_utc,
    ensure_aware,
)
from prefect_core.utilities.logging import get_logger

__all__ = [
    "CronSchedule",
    "IntervalSchedule",
    "RRuleSchedule",
    "Schedule",
    "next_scheduled_event",
    "seconds_until",
]

#: `Schedule.next` gives up after examining this many candidate events.
CANDIDATE_LIMIT = 10_000


def _check_callables(functions: Iterable[Callable] | None, name: str) -> list[Callable]:
    functions = list(functions or [])
    for function in functions:
        if not callable(function):
            raise TypeError(f"{name} should be a list of functions; got {function!r}.")
    return functions


class Schedule:
    """A schedule: when (and with which parameter values) a flow should run.

    Args:
        clocks: the clocks whose events are merged.
        filters: `fn(datetime) -> bool`; an event is kept only if all of them pass.
        or_filters: when given, at least one of them must pass.
        not_filters: when given, none of them may pass.
        adjustments: `fn(datetime) -> datetime`, applied in order to kept events.
    """

    def __init__(
        self,
        clocks: Iterable[Clock],
        filters: list[Callable[[datetime], bool]] | None = None,
        or_filters: list[Callable[[datetime], bool]] | None = None,
        not_filters: list[Callable[[datetime], bool]] | None = None,
        adjustments: list[Callable[[datetime], datetime]] | None = None,
    ) -> None:
        try:
            clocks = list(clocks)
        except TypeError:
            raise TypeError("clocks should be a list of clocks.") from None
        for clock in clocks:
            if not isinstance(clock, Clock):
                raise TypeError(f"clocks should be a list of clocks; got {clock!r}.")
        self.clocks = clocks
        self.filters = _check_callables(filters, "filters")
        self.or_filters = _check_callables(or_filters, "or_filters")
        self.not_filters = _check_callables(not_filters, "not_filters")
        self.adjustments = _check_callables(adjustments, "adjustments")

    @property
    def start_date(self) -> datetime | None:
        """The earliest start date of the clocks, or None when none has one."""
        dates = [clock.start_date for clock in self.clocks if clock.start_date is not None]
        return min(dates, key=as_utc) if dates else None

    @property
    def end_date(self) -> datetime | None:
        """The latest end date of the clocks, or None when none has one."""
        dates = [clock.end_date for clock in self.clocks if clock.end_date is not None]
        return max(dates, key=as_utc) if dates else None

    def _passes_filters(self, start_time: datetime) -> bool:
        return (
            all(keep(start_time) for keep in self.filters)
            and (not self.or_filters or any(keep(start_time) for keep in self.or_filters))
            and not any(drop(start_time) for drop in self.not_filters)
        )

    def next(
        self, n: int, after: datetime | None = None, return_events: bool = False
    ) -> list[datetime] | list[ClockEvent]:
        """Return the next `n` start times strictly later than `after` (default: now).

        Args:
            n: how many to return; `n <= 0` returns `[]`.
            after: naive means UTC.
            return_events: return the `ClockEvent`s (with `parameter_defaults` and
                `labels`) instead of datetimes.

        Fewer than `n` come back when the clocks run out, or when `CANDIDATE_LIMIT`
        candidates were examined (a warning is logged then).
        """
        if n <= 0:
            return []
        after = datetime.now(UTC) if after is None else ensure_aware(after, "after")
        merged = heapq.merge(
            *(clock.events(after=after) for clock in self.clocks),
            key=lambda event: as_utc(event.start_time),
        )
        kept: list[ClockEvent] = []
        previous: tuple | None = None
        examined = 0
        for event in merged:
            # Compare before adjusting: an adjusted time never hides a real clock event.
            identity = (as_utc(event.start_time), event.parameter_defaults, event.labels)
            if identity == previous:
                continue
            previous = identity
            examined += 1
            if self._passes_filters(event.start_time):
                for adjust in self.adjustments:
                    event.start_time = adjust(event.start_time)
                kept.append(event)
                if len(kept) >= n:
                    break
            if examined >= CANDIDATE_LIMIT:
                get_logger("Schedule").warning(
                    "Schedule.next stopped after examining %d candidate times after %s and "
                    "found %d of the %d requested: the filters may exclude (almost) every "
                    "date.",
                    examined,
                    after.isoformat(),
                    len(kept),
                    n,
                )
                break
        if return_events:
            return kept
        return [event.start_time for event in kept]


def next_scheduled_event(schedule: Schedule, now: datetime | None = None) -> ClockEvent | None:
    """The schedule's first event strictly later than `now` (default: the current time).

    Returns None when the schedule has no more events. Events whose time has passed are
    never returned, so a loop that calls this after each run skips the runs it missed.
    """
    events = schedule.next(1, after=now, return_events=True)
    return events[0] if events else None


def seconds_until(start_time: datetime, now: datetime | None = None) -> float:
    """Seconds of real time from `now` (default: the current time) to `start_time`, >= 0.

    Computed in UTC, so a DST change in between counts as the hour it really is.
    """
    now = datetime.now(UTC) if now is None else ensure_aware(now, "now")
    remaining = as_utc(ensure_aware(start_time, "start_time")) - as_utc(now)
    return max(remaining, timedelta(0)).total_seconds()


def IntervalSchedule(
    start_date: datetime | None = None,
    interval: timedelta | None = None,
    end_date: datetime | None = None,
) -> Schedule:
    """A `Schedule` with one `IntervalClock` (mind the argument order; use keywords)."""
    return Schedule(
        clocks=[IntervalClock(interval=interval, start_date=start_date, end_date=end_date)]
    )


def CronSchedule(
    cron: str,
    start_date: datetime | None = None,
    end_date: datetime | None = None,
    day_or: bool | None = None,
) -> Schedule:
    """A `Schedule` with one `CronClock`."""
    return Schedule(
        clocks=[CronClock(cron=cron, start_date=start_date, end_date=end_date, day_or=day_or)]
    )


def RRuleSchedule(
    rrule_obj: object,
    start_date: datetime | None = None,
    end_date: datetime | None = None,
) -> Schedule:
    """A `Schedule` with one `RRuleClock` (a `dateutil.rrule.rrule` or `rruleset`)."""
    return Schedule(
        clocks=[RRuleClock(rrule_obj=rrule_obj, start_date=start_date, end_date=end_date)]
    )
